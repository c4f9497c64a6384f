"""The "Find bad curves" page in a real browser: `streamlit run` on loopback, headless chromium.

Reuses the server and browser fixtures and the helpers of ``test_browser.py``. Screenshots go
to ``test-artifacts/`` (git-ignored): look at them after changing the page.
"""

from __future__ import annotations

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


def _no_exception(page) -> None:  # noqa: F811 (a page, not the fixture)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0


def test_threshold_slider_moves_the_flags(app_url, page):  # noqa: F811
    # First visit straight to a deep link, as a shared link does.
    page.goto(f"{app_url}/find-bad-curves")
    _wait_until_idle(page, 60)
    _no_exception(page)
    assert page.get_by_role("heading", name="Find bad curves").first.is_visible()
    assert page.locator(CHART).count() == 3  # score histogram, curves, map
    _full_page_screenshot(page, "anomaly_before.png")
    histogram, grid = page.locator(CHART).nth(0), page.locator(CHART).nth(2)
    histogram.scroll_into_view_if_needed()
    before = histogram.screenshot()
    grid.scroll_into_view_if_needed()
    grid_before = grid.screenshot()
    false_alarms = page.get_by_test_id("stMetric").filter(has_text="False alarms")
    alarms_before = false_alarms.inner_text()

    thumb = (
        page.get_by_test_id("stSlider").filter(has_text="Flagged share (%)").get_by_role("slider")
    )
    thumb.focus()
    for _ in range(20):  # 10 % -> 20 %, in steps of 0.5 %
        thumb.press("ArrowRight")
    _wait_for_change(histogram, before, "the score histogram's threshold")
    _wait_until_idle(page, 60)
    after = histogram.screenshot()
    grid.scroll_into_view_if_needed()
    assert grid.screenshot() != grid_before  # more indents flagged on the map
    (ARTIFACTS / "anomaly_histogram_before.png").write_bytes(before)
    (ARTIFACTS / "anomaly_histogram_after.png").write_bytes(after)
    (ARTIFACTS / "anomaly_map_before.png").write_bytes(grid_before)
    (ARTIFACTS / "anomaly_map_after.png").write_bytes(grid.screenshot())
    _full_page_screenshot(page, "anomaly_after.png")

    assert "bad_share=20" in page.url  # the setting lives in the URL, ready to share
    assert false_alarms.inner_text() != alarms_before  # flagging 20 % costs false alarms
    _no_exception(page)


def test_pca_detector_shows_where_in_the_curve(app_url, page):  # noqa: F811
    page.goto(f"{app_url}/find-bad-curves?bad_representation=curve+rate+%28step+to+step%29")
    _wait_until_idle(page, 60)
    _no_exception(page)
    detector = page.get_by_role("combobox", name="Detector")
    detector.click()
    detector.press("ArrowDown")  # opens the list of options
    page.get_by_role("option", name="PCA reconstruction error").click()
    page.locator(CHART).nth(3).wait_for(timeout=60_000)  # the residual panels appear
    _wait_until_idle(page, 60)
    _no_exception(page)
    assert page.locator(CHART).count() == 4
    residuals = page.locator(CHART).nth(2)
    residuals.scroll_into_view_if_needed()
    picture = residuals.screenshot()
    (ARTIFACTS / "anomaly_residuals.png").write_bytes(picture)
    assert len(picture) > 5000  # drawn panels, not an empty frame
    _full_page_screenshot(page, "anomaly_pca.png")
