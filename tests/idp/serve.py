"""Start the test identity provider on 127.0.0.1 with one user and one registered client.

    python -m tests.idp.serve --port 8765 --client-id site --client-secret s3cret \
        --redirect-uri http://127.0.0.1:8000/accounts/oidc/test-idp/login/callback/

Its issuer, and the `server_url` for allauth's openid_connect provider, is
http://127.0.0.1:<port>/o. Everything lives in a temporary directory that goes
when the process ends (Ctrl-C or SIGTERM).
"""

import argparse
import contextlib
import os
import signal
import sys
import tempfile
from pathlib import Path

HOST = "127.0.0.1"
USERNAME = "olivia"
PASSWORD = "correct horse battery staple"
FIRST_NAME = "Olivia"
LAST_NAME = "Okafor"
EMAIL = "olivia@idp.example"


def issuer_for(port: int) -> str:
    return f"http://{HOST}:{port}/o"


def parse_arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.idp.serve", description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--client-id", required=True)
    parser.add_argument("--client-secret", required=True)
    parser.add_argument(
        "--redirect-uri",
        action="append",
        dest="redirect_uris",
        required=True,
        help="A callback URL of the relying party, registered exactly; repeat for more.",
    )
    return parser.parse_args(argv)


def provision(*, client_id: str, client_secret: str, redirect_uris: list[str]) -> None:
    """Create the database, the user who signs in, and the client that asks for consent."""
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from oauth2_provider.models import get_application_model

    call_command("migrate", interactive=False, run_syncdb=True, verbosity=0)
    get_user_model().objects.create_user(
        username=USERNAME, password=PASSWORD, first_name=FIRST_NAME, last_name=LAST_NAME, email=EMAIL
    )
    application_model = get_application_model()
    application_model.objects.create(
        name="Leave a Reply (tests)",
        client_id=client_id,
        client_secret=client_secret,
        client_type=application_model.CLIENT_CONFIDENTIAL,
        authorization_grant_type=application_model.GRANT_AUTHORIZATION_CODE,
        algorithm=application_model.RS256_ALGORITHM,
        redirect_uris=" ".join(redirect_uris),
        skip_authorization=False,
    )


def main(argv: list[str] | None = None) -> None:
    arguments = parse_arguments(argv)
    # SIGTERM ends the server like Ctrl-C, so the temporary directory is removed.
    signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(0))
    with tempfile.TemporaryDirectory(prefix="test-idp-") as directory:
        os.environ["DJANGO_SETTINGS_MODULE"] = "tests.idp.settings"
        os.environ["IDP_DATABASE"] = str(Path(directory) / "idp.sqlite3")
        os.environ["IDP_ISSUER"] = issuer_for(arguments.port)

        import django
        from django.core.servers.basehttp import run
        from django.core.wsgi import get_wsgi_application

        django.setup()
        provision(
            client_id=arguments.client_id,
            client_secret=arguments.client_secret,
            redirect_uris=arguments.redirect_uris,
        )

        def announce(port: int) -> None:
            print(f"Test identity provider ready at {issuer_for(port)}", flush=True)

        with contextlib.suppress(KeyboardInterrupt):
            run(HOST, arguments.port, get_wsgi_application(), threading=True, on_bind=announce)


if __name__ == "__main__":
    main()
