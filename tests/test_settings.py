import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection

from articles.models import Article

ROOT = Path(__file__).resolve().parent.parent


def run_django(*args: str, **env: str) -> subprocess.CompletedProcess:
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "SECRET_KEY", "DATABASE_URL", "REDIS_URL"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=60
    )


def test_with_debug_off_the_site_refuses_to_start_without_a_secret_key():
    result = run_django("check", DEBUG="false")
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_with_debug_off_the_site_refuses_to_start_on_a_private_database_or_cache():
    result = run_django("check", DEBUG="false", SECRET_KEY="a-real-secret-" + "x7Qp2" * 10)
    assert result.returncode != 0
    assert "DATABASE_URL and REDIS_URL must be set" in result.stderr


def test_with_debug_off_the_development_secret_key_is_refused():
    result = run_django("check", DEBUG="false", SECRET_KEY="django-insecure-development-only-never-use-in-production")
    assert result.returncode != 0


PRODUCTION_SERVICES = {
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
}


@pytest.mark.parametrize(
    "secret",
    ["x7Qp2" * 8, "ab" * 32],
    ids=["shorter than 50 characters", "fewer than 5 different characters"],
)
def test_with_debug_off_a_secret_key_djangos_deployment_check_calls_weak_is_refused(secret):
    result = run_django("check", DEBUG="false", SECRET_KEY=secret, **PRODUCTION_SERVICES)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_the_secret_key_of_the_example_environment_is_refused_so_a_copy_of_it_cannot_go_live():
    example = dict(
        line.split("=", 1) for line in (ROOT / ".env.example").read_text().splitlines() if line and line[0] != "#"
    )
    result = run_django("check", DEBUG="false", SECRET_KEY=example["SECRET_KEY"], **PRODUCTION_SERVICES)
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"DEBUG": "true"},
        {
            "DEBUG": "false",
            "SECRET_KEY": "a-real-secret-" + "x7Qp2" * 10,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
            "REDIS_URL": "redis://127.0.0.1:6379/0",
        },
    ],
    ids=["development", "production"],
)
def test_each_log_line_is_written_once(env):
    code = "import logging; logging.getLogger('django.request').warning('Not Found: /nowhere/')"
    result = run_django("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    assert result.stderr.count("Not Found: /nowhere/") == 1


@pytest.mark.django_db
def test_production_settings_pass_the_deployment_checklist():
    result = run_django(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="false",
        SECRET_KEY="a-real-secret-" + "x7Qp2" * 10,
        ALLOWED_HOSTS="health.example",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        REDIS_URL="redis://127.0.0.1:6379/0",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def printed(code: str, **env: str) -> str:
    """What the site's shell prints running `code` in that environment."""
    result = run_django("shell", "--no-imports", "-c", code, **env)
    assert result.returncode == 0, result.stderr
    return result.stdout


def database_options(**env: str) -> str:
    return printed(
        "from django.db import connection; print(connection.settings_dict['OPTIONS'])",
        DEBUG="true",
        DATABASE_URL="postgres://postgres@127.0.0.1:5432/postgres",
        **env,
    )


def test_postgresql_queries_are_prepared_unless_a_pooler_needs_them_not_to_be():
    options = database_options()
    assert "'prepare_threshold': 5" in options
    assert "'server_side_binding': True" in options
    assert "prepare_threshold" not in database_options(DATABASE_PREPARED_STATEMENTS="false")


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's prepared statements")
def test_a_query_a_connection_runs_again_and_again_is_parsed_and_planned_once():
    for number in range(6):
        list(Article.objects.filter(pk=number))
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [statement for (statement,) in cursor.fetchall()]
    assert any('FROM "articles_article"' in statement for statement in prepared)


def test_a_number_setting_left_empty_takes_its_default_and_one_that_is_no_number_is_named():
    # Found by a deployment review: SECURE_HSTS_SECONDS= (as an env file leaves it) stopped the site with a bare
    # ValueError, while an empty on/off setting took its default.
    shown = printed(
        "from django.conf import settings; print(settings.PAGE_CACHE_SECONDS)", DEBUG="true", PAGE_CACHE_SECONDS=""
    )
    assert shown.strip() == "600"
    refused = run_django("check", DEBUG="true", PAGE_CACHE_SECONDS="ten minutes")
    assert refused.returncode != 0
    assert "PAGE_CACHE_SECONDS must be a whole number, not 'ten minutes'." in refused.stderr
