"""pytest fixtures that run the test identity provider as a separate process.

`start_identity_provider(redirect_uris=[...])` starts one (session-wide, one process per set of
redirect URIs, since a client's callbacks are registered exactly); `identity_provider` is the one
whose callback is Django's test client's, for allauth's openid_connect app `PROVIDER_ID`.
"""

import contextlib
import dataclasses
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pytest
import requests

from tests.idp import serve

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PROVIDER_ID = "test-idp"
STARTUP_TIMEOUT_SECONDS = 30


@dataclasses.dataclass(frozen=True)
class IdentityProvider:
    """A running test identity provider: what a SocialApp needs, and who can sign in."""

    server_url: str
    client_id: str
    client_secret: str
    redirect_uris: tuple[str, ...]
    username: str = serve.USERNAME
    password: str = serve.PASSWORD
    display_name: str = f"{serve.FIRST_NAME} {serve.LAST_NAME}"
    email: str = serve.EMAIL

    def register_on_site(self, name: str = "Test IdP"):
        """Set it up as a site owner does: a Social application in the admin, for the current site."""
        from allauth.socialaccount.models import SocialApp
        from django.contrib.sites.models import Site

        app = SocialApp.objects.create(
            provider="openid_connect",
            provider_id=PROVIDER_ID,
            name=name,
            client_id=self.client_id,
            secret=self.client_secret,
            settings={"server_url": self.server_url},
        )
        app.sites.add(Site.objects.get_current())
        return app


def callback_url(site_url: str, provider_id: str = PROVIDER_ID) -> str:
    """Where allauth's openid_connect app `provider_id` asks to be sent back on the site at `site_url`."""
    return f"{site_url.rstrip('/')}/accounts/oidc/{provider_id}/login/callback/"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((serve.HOST, 0))
        return probe.getsockname()[1]


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def wait_until_ready(process: subprocess.Popen, url: str, output: Path) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        with contextlib.suppress(requests.ConnectionError):
            if requests.get(url, timeout=2).ok:
                return
        time.sleep(0.05)
    if process.poll() is None:
        why = f"it did not answer {url} within {STARTUP_TIMEOUT_SECONDS} s"
    else:
        why = f"it exited with code {process.returncode}"
    pytest.fail(f"The test identity provider did not start: {why}. Its output:\n{output.read_text()}", pytrace=False)


@pytest.fixture(scope="session")
def start_identity_provider(tmp_path_factory) -> Iterator[Callable[..., IdentityProvider]]:
    running: dict[tuple[str, ...], IdentityProvider] = {}
    with contextlib.ExitStack() as cleanup:

        def start(*, redirect_uris: Sequence[str]) -> IdentityProvider:
            key = tuple(redirect_uris)
            if key in running:
                return running[key]
            port = free_port()
            provider = IdentityProvider(
                server_url=serve.issuer_for(port),
                client_id=f"leave-a-reply-{port}",
                client_secret=secrets.token_urlsafe(32),
                redirect_uris=key,
            )
            output = tmp_path_factory.mktemp("identity-provider") / "output.log"
            command = [sys.executable, "-m", "tests.idp.serve", "--port", str(port)]
            # "--option=value": a secret may begin with "-", which argparse would take for an option.
            command += [f"--client-id={provider.client_id}", f"--client-secret={provider.client_secret}"]
            for uri in key:
                command += ["--redirect-uri", uri]
            with output.open("wb") as log:
                process = subprocess.Popen(
                    command,
                    cwd=PROJECT_ROOT,
                    env={**os.environ, "DJANGO_SETTINGS_MODULE": "tests.idp.settings"},
                    stdout=log,
                    stderr=subprocess.STDOUT,
                )
            cleanup.callback(stop, process)
            wait_until_ready(process, f"{provider.server_url}/.well-known/openid-configuration", output)
            running[key] = provider
            return provider

        yield start


@pytest.fixture(scope="session")
def identity_provider(start_identity_provider) -> IdentityProvider:
    return start_identity_provider(redirect_uris=[callback_url("http://testserver")])
