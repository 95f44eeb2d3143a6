"""What a clone brings: the project's files, never a link into one machine's environment."""

import shutil
import subprocess

from bench.stack import ROOT


def git(*args: str, cwd=ROOT) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout


def test_the_repository_tracks_no_symbolic_link():
    # Found by a review: a clone's `.venv`, a link to /work/main/.venv, was committed. Checked out in /work/main, it
    # replaced the environment there with a link to itself: nothing ran (Too many levels of symbolic links).
    links = [line.split("\t")[1] for line in git("ls-files", "--stage").splitlines() if line.startswith("120000 ")]
    assert links == []


def test_an_environment_linked_in_from_elsewhere_is_ignored(tmp_path):
    # `.venv/` ignores a directory only: a clone that links the environment in (.venv -> ../main/.venv) had it
    # offered to `git add -A`.
    git("init", "-q", cwd=tmp_path)
    shutil.copy(ROOT / ".gitignore", tmp_path / ".gitignore")
    (tmp_path / "elsewhere").mkdir()
    for name in (".venv", "var"):
        (tmp_path / name).symlink_to(tmp_path / "elsewhere")
    assert git("status", "--porcelain", "--untracked-files=all", cwd=tmp_path).split() == ["??", ".gitignore"]
