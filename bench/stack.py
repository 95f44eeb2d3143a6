"""The production stack on free ports: gunicorn with DEBUG off, and the shipped nginx in front of it.

Used by the front-proxy test (tests/deploy/) and by `make bench`. Nothing here is
mocked: gunicorn runs config.wsgi, nginx runs deploy/nginx/leave-a-reply.conf with
only its addresses and folders replaced.
"""

import os
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NGINX_CONF = ROOT / "deploy" / "nginx" / "leave-a-reply.conf"
GUNICORN_CONF = ROOT / "deploy" / "gunicorn.conf.py"
PYTHON = sys.executable


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


STATIC_ROOT = ROOT / "var" / "static"  # settings.STATIC_ROOT, where collectstatic puts the files


def production_env(*, database_url: str, redis_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production process, on this machine's services; `extra` overrides."""
    env = {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(40),
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        # Plain HTTP on loopback: TLS is nginx's job in production.
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "SECURE_HSTS_SECONDS": "0",
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    env.update(extra)
    return env


def manage(env: dict[str, str], *args: str, input_text: str | None = None) -> str:
    """Run a management command in that environment; its output."""
    done = subprocess.run(  # noqa: S603 (our own manage.py)
        [PYTHON, str(ROOT / "manage.py"), *args],
        env=env,
        cwd=ROOT,
        input=input_text,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        raise RuntimeError(f"manage.py {' '.join(args)} failed:\n{done.stdout}\n{done.stderr}")
    return done.stdout


def wait_until_up(url: str, *, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 (a loopback address of ours)
                return
        except urllib.error.HTTPError:
            return  # it answers
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


@contextmanager
def running(command: list[str], *, env: dict[str, str] | None = None, up: str, log: Path) -> Iterator[None]:
    """A server process, started and waited for at `up`; stopped at the end."""
    with log.open("w") as output:
        process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=output, stderr=subprocess.STDOUT)  # noqa: S603
        try:
            wait_until_up(up)
            yield
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()


@contextmanager
def gunicorn(
    env: dict[str, str], *, port: int, workers: int | None = None, app: str = "config.wsgi", log: Path
) -> Iterator[int]:
    """gunicorn with the shipped config (its number of workers unless `workers` is given); yields its master's pid."""
    command = [PYTHON, "-m", "gunicorn", "--config", str(GUNICORN_CONF), app, "--bind", f"127.0.0.1:{port}"]
    command += ["--workers", str(workers)] if workers else []
    command += ["--pid", str(log.with_suffix(".pid")), "--access-logfile", "-"]
    with running(command, env=env, up=f"http://127.0.0.1:{port}/robots.txt", log=log):
        yield int(log.with_suffix(".pid").read_text())


def nginx_config(*, listen: int, upstream: int, static_root: Path, workdir: Path) -> str:
    """The shipped config, its addresses and folders replaced, inside a minimal nginx.conf of its own."""
    site = NGINX_CONF.read_text()
    for shipped, here in (
        ("server 127.0.0.1:8000;", f"server 127.0.0.1:{upstream};"),
        ("listen 80;", f"listen 127.0.0.1:{listen};"),
        ("/var/cache/nginx/leave-a-reply", str(workdir / "cache")),
        ("/srv/leave-a-reply/var/static/", f"{static_root}/"),
    ):
        if shipped not in site:
            raise ValueError(f"{NGINX_CONF} no longer contains {shipped!r}")
        site = site.replace(shipped, here)
    # Started as root (CI), nginx would run its workers as www-data, which may not write the folders made here.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
{user}
worker_processes auto;
daemon off;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    include /etc/nginx/mime.types;
    access_log off;
    client_body_temp_path {workdir}/client;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    {site}
}}
"""


@contextmanager
def nginx(*, listen: int, upstream: int, static_root: Path, workdir: Path, extra_http: str = "") -> Iterator[None]:
    """The shipped nginx config in front of gunicorn at `upstream`."""
    workdir.mkdir(parents=True, exist_ok=True)
    config = workdir / "nginx.conf"
    text = nginx_config(listen=listen, upstream=upstream, static_root=static_root, workdir=workdir)
    config.write_text(text.replace("http {\n", "http {\n" + extra_http, 1))
    command = ["nginx", "-c", str(config), "-p", str(workdir)]
    with running(command, up=f"http://127.0.0.1:{listen}/robots.txt", log=workdir / "nginx.out"):
        yield
