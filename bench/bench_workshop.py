"""Benchmark: the app server's memory while N learners use one copy of the app at once.

Run from the repository root (needs Debian's chromium at /usr/bin/chromium and Playwright's
Python package; it never downloads a browser)::

    python bench/bench_workshop.py 10                  # 10 learners, default settings
    python bench/bench_workshop.py 10 --distinct-seeds # learner i opens every page with seed i

Starts ``streamlit run streamlit_app.py`` once on 127.0.0.1 and a free port, then lets N
learners (N browser contexts, so N Streamlit sessions, in one headless chromium) visit every
page of :data:`bench_app_memory.PAGES` in turn; each learner's context stays open, so its
session state stays alive. Prints the server's resident memory (VmRSS) after each learner,
then the RSS idle, after learner 1, after all N, and the mean MB each extra learner added,
with the exceptions shown. On default settings the learners share the ``st.cache_data``
entries, so the extra cost per learner is their session state; with ``--distinct-seeds``
every learner's pages use their own seed (URL query parameters), so nothing is shared and
the growth shows what each setting costs until ``max_entries`` bounds the caches.
Community Cloud gives the whole app 0.7-2.7 GB. Not a test: nothing is asserted; timings
depend on the machine.
"""

from __future__ import annotations

import argparse
import time

from bench_app_memory import ARGS, PAGES, rss_mb, start_server, visit
from playwright.sync_api import sync_playwright

#: The URL parameter of each page's seed widget (home and my-own-data have none).
SEED_PARAMS = {
    "indentation-curve": "seed", "what-a-model-sees": "sees_seed",
    "property-maps": "map_seed", "find-phases": "map_seed", "classify-curves": "cls_seed",
    "predict-properties": "prop_seed", "find-bad-curves": "bad_seed",
    "why-did-the-model-decide": "xp_seed", "is-it-physical": "xp_seed",
}  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", type=int, help="number of learners")
    parser.add_argument("--distinct-seeds", action="store_true", help="seed i for learner i")
    args = parser.parse_args()
    server, port = start_server()
    try:
        idle = rss_mb(server.pid)
        print(f"server idle: {idle:.0f} MB", flush=True)
        after, errors, start = [], 0, time.perf_counter()
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            for i in range(1, args.n + 1):
                page, t0, errs = browser.new_context().new_page(), time.perf_counter(), 0
                for name in PAGES:
                    query = ""
                    if args.distinct_seeds and name in SEED_PARAMS:
                        query = f"?{SEED_PARAMS[name]}={i}"
                    shown = visit(page, f"http://127.0.0.1:{port}/{name}{query}")[1]
                    for text in page.locator('[data-testid="stException"]').all_inner_texts():
                        print(f"  exception on {name or 'home'}{query}: {text[:300]!r}")
                    errs += shown
                errors += errs
                after.append(rss_mb(server.pid))
                print(
                    f"learner {i:2d}: {time.perf_counter() - t0:5.1f} s   server "
                    f"{after[-1]:5.0f} MB   exceptions {errs}",
                    flush=True,
                )
            per = (after[-1] - after[0]) / (args.n - 1) if args.n > 1 else float("nan")
            print(
                f"\n{'distinct seeds' if args.distinct_seeds else 'default settings'}, "
                f"N = {args.n}: idle {idle:.0f} MB, after learner 1 {after[0]:.0f} MB, "
                f"after all {after[-1]:.0f} MB, {per:.1f} MB per extra learner, "
                f"{time.perf_counter() - start:.0f} s, exceptions {errors}",
                flush=True,
            )
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    main()
