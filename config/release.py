"""Which release of the code is running: kept pages and kept parts of pages never outlive it.

A deployment may name itself with RELEASE (a git commit, say). Otherwise the release is a
hash of what makes a page: the templates, the static files and the apps' code.
"""

import hashlib
import os
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCES = ("templates", "static", "config", "articles", "comments", "accounts")


def _digest() -> str:
    digest = hashlib.sha256()
    for folder in SOURCES:
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


RELEASE = os.environ.get("RELEASE") or _digest()
