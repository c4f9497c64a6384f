"""The real app in a real browser: `streamlit run` on loopback, driven by headless chromium.

Screenshots go to ``test-artifacts/`` (git-ignored). Skipped only when Debian's chromium is
missing (``bash .ci/run`` installs it); Playwright never downloads a browser here.
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


def test_moving_a_slider_redraws_the_curve(app_url, page):  # noqa: F811
    # First visit after the server started, straight to a deep link, as a shared link does.
    page.goto(f"{app_url}/indentation-curve")
    _wait_until_idle(page)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    _full_page_screenshot(page, "curve_before.png")
    chart = page.locator('[data-testid="stVegaLiteChart"]').first
    before = chart.screenshot()

    thumb = page.get_by_test_id("stSlider").filter(has_text="Peak load (mN)").get_by_role("slider")
    thumb.focus()
    for _ in range(10):
        thumb.press("ArrowRight")
    deadline = time.monotonic() + 30
    while chart.screenshot() == before:
        assert time.monotonic() < deadline, "the P-h chart did not change after the slider moved"
        page.wait_for_timeout(300)
    _wait_until_idle(page)
    after = chart.screenshot()
    (ARTIFACTS / "curve_chart_before.png").write_bytes(before)
    (ARTIFACTS / "curve_chart_after.png").write_bytes(after)
    _full_page_screenshot(page, "curve_after.png")

    assert after != before
    assert "P_max_mN=15" in page.url  # the setting lives in the URL, ready to share
    assert page.locator('[data-testid="stException"]').count() == 0


def test_home_page_renders(app_url, page):  # noqa: F811
    page.goto(app_url)
    _wait_until_idle(page)
    assert page.get_by_role("heading", name="IndentLab").first.is_visible()
    assert page.locator('[data-testid="stException"]').count() == 0
    _full_page_screenshot(page, "home.png")
