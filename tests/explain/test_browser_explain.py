"""The explanation pages in a real browser: `streamlit run` on loopback, driven by headless
chromium.

Reuses the server and browser fixtures of ``test_browser.py``. Screenshots go to
``test-artifacts/`` (git-ignored): look at them after changing an explanation page.
"""

from __future__ import annotations

import time

from browser_support import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    CHART,
    _full_page_screenshot,
    _wait_for_change,
    _wait_until_idle,
    app_url,
    browser,
    page,
    pytestmark,
)

#: Fewer curves and LIME samples than the defaults keep the first (cold) run short.
FAST = "xp_n=200&xp_samples=1000"


def test_kernel_width_slider_changes_the_explanation(app_url, page):  # noqa: F811
    # First visit straight to a deep link, as a shared link does.
    page.goto(f"{app_url}/why-did-the-model-decide?{FAST}")
    _wait_until_idle(page, 120)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator(CHART).count() == 6
    _full_page_screenshot(page, "explain_before.png")
    stability = page.locator(CHART).nth(3)  # the same curve under five LIME seeds
    stability.scroll_into_view_if_needed()
    before = stability.screenshot()

    thumb = (
        page.get_by_test_id("stSlider")
        .filter(has_text="Kernel width (× lime's default 0.75 √d)")
        .get_by_role("slider")
    )
    thumb.focus()
    for _ in range(7):  # 1.0 -> 0.3: a narrow kernel, an unstable explanation
        thumb.press("ArrowLeft")
    _wait_for_change(stability, before, "the LIME seeds chart", timeout_s=90)
    _wait_until_idle(page, 120)
    after = stability.screenshot()
    (ARTIFACTS / "explain_seeds_before.png").write_bytes(before)
    (ARTIFACTS / "explain_seeds_after.png").write_bytes(after)
    _full_page_screenshot(page, "explain_after.png")

    assert "xp_kernel=0.3" in page.url  # the setting lives in the URL, ready to share
    assert page.locator('[data-testid="stException"]').count() == 0


def test_clever_hans_scenario_fails_the_checklist(app_url, page):  # noqa: F811
    page.goto(f"{app_url}/is-it-physical?{FAST}")
    _wait_until_idle(page, 120)
    assert page.locator('[data-testid="stException"]').count() == 0
    passed = page.get_by_test_id("stMetric").filter(has_text="Checks passed")
    before = passed.inner_text()
    _full_page_screenshot(page, "physical_before.png")

    page.get_by_role("button", name="Clever Hans").click()
    deadline = time.monotonic() + 120
    while passed.inner_text() == before:
        assert time.monotonic() < deadline, "the checklist did not change"
        page.wait_for_timeout(300)
    _wait_until_idle(page, 120)
    _full_page_screenshot(page, "physical_clever_hans.png")

    assert passed.inner_text() != before
    assert page.get_by_text("Leans on a nuisance", exact=False).count() >= 1  # drift
    assert page.get_by_text("clean test set (days at random)", exact=False).count() >= 1
    assert "xp_task=" in page.url
    assert page.locator('[data-testid="stException"]').count() == 0
