"""Benchmark: the app server's memory while one learner visits every page at its defaults.

Run from the repository root (needs Debian's chromium at /usr/bin/chromium and Playwright's
Python package; it never downloads a browser)::

    python bench/bench_app_memory.py

Starts ``streamlit run streamlit_app.py`` on 127.0.0.1 and a free port, opens each page by
its URL in headless chromium, waits until the script has finished, and prints the seconds
each page took and the server's resident memory (VmRSS) after it, with the number of
exceptions shown. Community Cloud gives an app 0.7-2.7 GB for all its sessions; the caches
are shared, so 30 learners on the default settings cost about one learner's caches plus
their session state. Not a test: nothing is asserted; timings depend on the machine.
"""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
PAGES = (
    "", "indentation-curve", "what-a-model-sees", "property-maps", "find-phases",
    "classify-curves", "predict-properties", "find-bad-curves", "why-did-the-model-decide",
    "is-it-physical", "my-own-data",
)  # fmt: skip
ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--no-first-run",
]  # fmt: skip


def rss_mb(pid: int) -> float:
    """Resident memory of a process [MB] (Linux /proc)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS"):
            return int(line.split()[1]) / 1000
    return float("nan")


def start_server() -> tuple[subprocess.Popen, int]:
    """Start ``streamlit run streamlit_app.py`` on 127.0.0.1 and a free port; wait 5 s."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "streamlit_app.py",
         "--server.headless", "true", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--browser.gatherUsageStats", "false"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        stdin=subprocess.DEVNULL,
    )  # fmt: skip
    time.sleep(5)
    return server, port


def visit(page, url: str) -> tuple[float, int]:
    """Open ``url`` in ``page``, wait until the script has finished; seconds and exceptions."""
    start = time.perf_counter()
    page.goto(url)
    page.wait_for_timeout(1500)
    for _ in range(240):  # the running-man widget shows while the script runs
        if page.locator('[data-testid="stStatusWidget"]').count() == 0:
            break
        page.wait_for_timeout(500)
    errors = page.locator('[data-testid="stException"]').count()
    return time.perf_counter() - start, errors


def main() -> None:
    server, port = start_server()
    try:
        print(f"server idle: {rss_mb(server.pid):.0f} MB")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page()
            for name in PAGES:
                seconds, errors = visit(page, f"http://127.0.0.1:{port}/{name}")
                print(
                    f"{name or 'home':30s} {seconds:5.1f} s   server "
                    f"{rss_mb(server.pid):5.0f} MB   exceptions {errors}",
                    flush=True,
                )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
