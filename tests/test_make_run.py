"""`make run PORT=…`: the first run on another port serves the site there, with its links and emails pointing there."""

import os
import signal
import subprocess
import time
import urllib.request

import pytest

from bench.stack import ROOT, free_port

START_SECONDS = 180  # migrating a fresh database and starting the development server


@pytest.fixture
def make_run(tmp_path):
    """`make run PORT=<free port>` on a database of its own, stopped (with its server) afterwards."""
    port = free_port()
    env = {key: value for key, value in os.environ.items() if key not in ("DATABASE_URL", "REDIS_URL", "ADMIN_EMAIL")}
    env |= {"DATABASE_URL": f"sqlite:///{tmp_path / 'first-run.sqlite3'}", "DEBUG": "true"}
    output = tmp_path / "make-run.log"
    with output.open("wb") as log:
        process = subprocess.Popen(
            ["make", "--no-print-directory", "run", f"PORT={port}"],
            cwd=ROOT,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        yield port, process, output
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def first_page(port: int, process) -> int:
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5) as response:
                return response.status
        except OSError:
            time.sleep(0.5)
    return 0


def test_make_run_serves_on_the_port_asked_and_says_where_links_and_emails_go(make_run):
    port, process, output = make_run
    assert first_page(port, process) == 200, output.read_text()
    said = output.read_text()
    assert f"sign in at http://127.0.0.1:{port}/admin/" in said
    assert "user name: admin" in said
    assert f"Links in emails and feeds point to http://127.0.0.1:{port}/" in said
    # No terminal attached: nothing was asked, and the owner is told what to set.
    assert "held comments are emailed to nobody" in said
    assert "Held comments are emailed to nobody" in said
