"""Browser tests: one Debian Chromium per session, driven by Playwright, a fresh context per test.

Nothing here downloads a browser: `make browser-deps` installs Chromium (apt) and axe-core (npm).
Outside CI a missing piece skips the browser tests; with CI=true it fails them.
"""

import json
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import Browser, BrowserContext, ConsoleMessage, Page, sync_playwright

from articles.services import seed_article_load
from comments.models import DiscussionSettings
from tests.fake_wordpress import fake_wordpress  # noqa: F401 (a fixture, found by pytest through this import)
from tests.idp.fixture import start_identity_provider  # noqa: F401 (a fixture, found by pytest through this import)
from tests.needs import missing

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE_SCRIPT = settings.BASE_DIR / "var" / "node" / "node_modules" / "axe-core" / "axe.min.js"
AXE_FAILING_IMPACTS = frozenset({"serious", "critical"})
# Short enough that a broken page fails in seconds, long enough for a loaded CI machine.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        missing(f"Chromium not found at {CHROMIUM}; install it with apt-get install chromium")
    # Between its calls, Playwright's sync API marks its asyncio loop as
    # running in this thread, and Django then treats the test code as async:
    # 1. Every ORM call here (factories, the flush between transactional
    #    tests) raises SynchronousOnlyOperation. Django's documented escape
    #    hatch is DJANGO_ALLOW_ASYNC_UNSAFE, set only while Playwright runs so
    #    the tests before keep Django's guard.
    # 2. The connection handler keeps async connections apart from the
    #    thread's, so this thread would get new connections that lack what
    #    pytest-django set up on the old ones, notably the migrated data that
    #    serialized_rollback restores (the editorial groups, the site name).
    #    Keep the thread on its connections, as Django's LiveServerThread does
    #    with the connections it shares.
    thread_connections = {alias: connections[alias] for alias in connections}
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        for alias, connection in thread_connections.items():
            connections[alias] = connection
        yield chromium
        chromium.close()


class PageWatch:
    """Records what a page asked for and what the browser refused, for `assert_well_behaved`."""

    def __init__(self, page: Page, origin: str) -> None:
        self.origin = origin
        self.requests: list[str] = []
        self.csp_errors: list[str] = []
        page.on("request", lambda request: self.requests.append(request.url))
        page.on("console", self._on_console)

    def _on_console(self, message: ConsoleMessage) -> None:
        # Chromium reports a blocked script, style or request as a console
        # error: "Refused to ... because it violates the following Content
        # Security Policy directive: ...".
        if message.type == "error" and "Content Security Policy" in message.text:
            self.csp_errors.append(message.text)

    def foreign_requests(self) -> list[str]:
        # The trailing slash keeps "http://localhost:8000.example.com" out.
        return [url for url in self.requests if not url.startswith(f"{self.origin}/")]


@pytest.fixture
def page_watches() -> dict[Page, PageWatch]:
    return {}


@pytest.fixture
def new_page(browser: Browser, live_server, page_watches) -> Iterator[Callable[..., Page]]:
    """Open a page in a new browser context: its own cookies, so its own visitor (`options`: the context's, as
    java_script_enabled=False or a phone's viewport)."""
    contexts: list[BrowserContext] = []

    def open_page(**options) -> Page:
        context = browser.new_context(base_url=live_server.url, **options)
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        page_watches[page] = PageWatch(page, origin=live_server.url)
        return page

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page) -> Page:
    return new_page()


@pytest.fixture
def assert_well_behaved(page_watches) -> Callable[[Page], None]:
    """Check that a page stayed on our origin and broke none of the Content Security Policy."""

    def check(page: Page) -> None:
        watch = page_watches[page]
        foreign = watch.foreign_requests()
        assert not foreign, f"Requests to another origin than {watch.origin}:\n" + "\n".join(foreign)
        assert not watch.csp_errors, "Content Security Policy errors:\n" + "\n".join(watch.csp_errors)

    return check


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_SCRIPT.is_file():
        missing(f"axe-core not found at {AXE_SCRIPT}; install it with `make browser-deps`")
    return AXE_SCRIPT.read_text(encoding="utf-8")


@pytest.fixture
def assert_accessible(axe_source: str) -> Callable[[Page], None]:
    """Run axe-core on the page and fail on any serious or critical violation."""

    def check(page: Page) -> None:
        # The site's CSP (script-src 'self' plus a nonce) would block an
        # injected <script> tag. page.evaluate() goes through the DevTools
        # protocol, which CSP does not govern, so axe runs on the page exactly
        # as readers get it, policy enforced. (bypass_csp=True on the context
        # would also work, but then the CSP check in assert_well_behaved would
        # test nothing on these pages.)
        page.evaluate(axe_source)
        results = page.evaluate("() => axe.run(document, {resultTypes: ['violations']})")
        violations = [v for v in results["violations"] if v["impact"] in AXE_FAILING_IMPACTS]
        assert not violations, f"axe-core found serious or critical violations on {page.url}:\n" + "\n".join(
            f"- {v['id']} ({v['impact']}): {v['help']}\n  {json.dumps([node['target'] for node in v['nodes']])}"
            for v in violations
        )

    return check


def admin_log_in(page: Page, username: str, password: str = "correct horse battery") -> Page:
    """Log in to the admin in this page, as staff do."""
    page.goto("/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    return page


@pytest.fixture
def seed():
    """The seed article, with the spam checks a browser here would trip turned off."""
    article, _ = seed_article_load()
    # Every browser here comes from 127.0.0.1 and types faster than a person.
    DiscussionSettings.objects.update_or_create(pk=1, defaults={"flood_seconds": 0, "minimum_fill_seconds": 0})
    return article


@pytest.fixture(autouse=True)
def _shared_pages(settings):
    # The browser tests commit for real: readers get the shared pages as in production.
    settings.PAGE_CACHE_SECONDS = 600
