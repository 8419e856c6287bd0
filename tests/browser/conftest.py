"""Browser fixtures: a real Chromium driven by Playwright.

Playwright's own browser download is not used; the tests run Debian's `chromium` (or whichever
Chromium `CHROMIUM_PATH` names). Without one, every browser test is skipped and the run ends
with a loud notice, so a missing browser is never mistaken for a pass.

The address of the running service comes from the `live_gateway_url` fixture, which the
top-level conftest provides by starting the full stack.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS_DIR = REPO_ROOT / "test-artifacts"

# No sandbox: CI containers run as root. The rest keeps Chromium off the network on its own.
LAUNCH_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
DESKTOP = {"width": 1280, "height": 900}
MOBILE = {"width": 390, "height": 844}

NO_CHROMIUM = (
    "BROWSER TESTS SKIPPED: no Chromium found; install Debian's chromium "
    "(apt-get install chromium) or set CHROMIUM_PATH"
)
_skipped_for_no_browser: list[str] = []


def find_chromium() -> str | None:
    """The Chromium to drive: CHROMIUM_PATH, else the usual names on this machine."""
    configured = os.environ.get("CHROMIUM_PATH")
    if configured:
        # Set but wrong is a configuration mistake, not a reason to skip quietly.
        if not (os.path.isfile(configured) and os.access(configured, os.X_OK)):
            pytest.fail(f"CHROMIUM_PATH={configured!r} is not an executable file", pytrace=False)
        return configured
    if os.access("/usr/bin/chromium", os.X_OK):
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome"):
        found = shutil.which(name)
        if found:
            return found
    return None


@pytest.fixture(scope="session")
def chromium_path() -> str:
    path = find_chromium()
    if path is None:
        _skipped_for_no_browser.append(NO_CHROMIUM)
        pytest.skip(NO_CHROMIUM)
    return path


@pytest.fixture(scope="session")
def chromium(chromium_path: str) -> Iterator[Any]:
    """One browser for the whole session; each test gets its own context (fresh storage)."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:  # pragma: no cover - the dev group installs it
        pytest.skip("BROWSER TESTS SKIPPED: the playwright package is not installed")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path, args=LAUNCH_ARGS)
        try:
            yield browser
        finally:
            browser.close()


@pytest.fixture(scope="session")
def artifacts_dir() -> Path:
    """Where screenshots are kept after the run (git-ignored)."""
    ARTIFACTS_DIR.mkdir(exist_ok=True)
    return ARTIFACTS_DIR


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[Any]:
    # Lets the page fixtures see whether the test failed, to keep a screenshot of it.
    outcome: Any = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def _open_page(
    request: pytest.FixtureRequest, chromium: Any, artifacts_dir: Path, **context_options: Any
) -> Iterator[Any]:
    context = chromium.new_context(locale="en-GB", timezone_id="Europe/London", **context_options)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    try:
        yield page
        failed = getattr(request.node, "rep_call", None)
        if failed is not None and failed.failed:
            name = re.sub(r"[^A-Za-z0-9_.-]+", "_", request.node.name)
            page.screenshot(path=str(artifacts_dir / f"FAILED-{name}.png"))
        # A script error in the page fails the test even when the assertions passed.
        assert not errors, f"JavaScript errors on the page: {errors}"
    finally:
        context.close()


@pytest.fixture
def page(request: pytest.FixtureRequest, chromium: Any, artifacts_dir: Path) -> Iterator[Any]:
    """A desktop-sized page in a fresh browser context."""
    yield from _open_page(request, chromium, artifacts_dir, viewport=DESKTOP)


@pytest.fixture
def mobile_page(
    request: pytest.FixtureRequest, chromium: Any, artifacts_dir: Path
) -> Iterator[Any]:
    """A phone-sized page (390x844, touch) in a fresh browser context."""
    yield from _open_page(
        request,
        chromium,
        artifacts_dir,
        viewport=MOBILE,
        device_scale_factor=2,
        is_mobile=True,
        has_touch=True,
    )


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if _skipped_for_no_browser:
        terminalreporter.write_sep("!", NO_CHROMIUM, red=True, bold=True)
