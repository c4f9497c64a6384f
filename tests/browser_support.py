"""Fixtures of the real-browser tests: the app under `streamlit run` on loopback, headless
Debian chromium through Playwright, and helpers to wait for reruns and take screenshots.

Every browser test module imports these (``from browser_support import ...``). Screenshots
go to ``test-artifacts/`` (git-ignored). Skipped only when Debian's chromium is
missing (``bash .ci/run`` installs it); Playwright never downloads a browser here.
"""

from __future__ import annotations

import contextlib
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian chromium is not installed at /usr/bin/chromium "
        "(bash .ci/run installs it with apt-get install chromium)",
    ),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def serve_app(log_name: str, env: dict | None = None):
    """The app under `streamlit run` on 127.0.0.1 and a free port, logging to
    ``test-artifacts/<log_name>``; yields its URL once /_stcore/health answers, stops it after.
    ``env``: the server's environment (default: this process's)."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = _free_port()
    log_path = ARTIFACTS / log_name
    log = open(log_path, "w")  # noqa: SIM115 (closed below)
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as reply:
                    if reply.read() == b"ok":
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(f"streamlit did not start; see {log_path}")
            time.sleep(0.3)
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        log.close()


@pytest.fixture(scope="module")
def app_url(request):
    """The app on a free loopback port for one test module; stopped afterwards.

    One server per test module, logging to its own file (test modules may run at the same
    time in pytest-xdist workers)."""
    with serve_app(f"streamlit-server-{request.module.__name__}.log") as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    page = browser.new_page(viewport={"width": 1500, "height": 1000})
    yield page
    page.close()


def _wait_until_idle(page, timeout_s: float = 30) -> None:
    """Wait until the script has finished running and the charts have drawn."""
    drawn = '[data-testid="stVegaLiteChart"] canvas, [data-testid="stVegaLiteChart"] svg'
    page.wait_for_selector(drawn, timeout=timeout_s * 1000)
    page.locator('[data-testid="stStatusWidget"]').wait_for(
        state="hidden", timeout=timeout_s * 1000
    )
    page.wait_for_timeout(1000)  # vega draws after the data arrives


#: Selector of an Altair (Vega-Lite) chart on a page.
CHART = '[data-testid="stVegaLiteChart"]'


def _wait_for_change(locator, before: bytes, what: str, timeout_s: float = 60) -> bytes:
    """Screenshots of ``locator`` until it differs from ``before``; the new screenshot."""
    deadline = time.monotonic() + timeout_s
    while (now := locator.screenshot()) == before:
        assert time.monotonic() < deadline, f"{what} did not change"
        locator.page.wait_for_timeout(300)
    return now


def _full_page_screenshot(page, name: str) -> None:
    """Screenshot the whole page: Streamlit scrolls inside its main area, so the viewport is
    stretched to the content's height first, then put back."""
    size = page.viewport_size
    height = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0"
    )
    page.set_viewport_size({"width": size["width"], "height": max(size["height"], height + 40)})
    page.wait_for_timeout(1000)  # charts re-fit to the new size
    page.screenshot(path=ARTIFACTS / name, full_page=True)
    page.set_viewport_size(size)
    page.wait_for_timeout(500)
