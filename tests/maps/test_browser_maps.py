"""The map pages in a real browser: `streamlit run` on loopback, driven by headless chromium.

Reuses the server and browser fixtures of ``test_browser.py``. Screenshots go to
``test-artifacts/`` (git-ignored): look at them after changing a map page.
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


def test_depth_slider_redraws_the_property_maps(app_url, page):  # noqa: F811
    # First visit straight to a deep link, as a shared link does.
    page.goto(f"{app_url}/property-maps?map_offset_x_um=3")
    _wait_until_idle(page, 60)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.locator(CHART).count() == 6
    _full_page_screenshot(page, "maps_before.png")
    scatter = page.locator(CHART).nth(3)
    scatter.scroll_into_view_if_needed()
    before = scatter.screenshot()
    interface = page.get_by_test_id("stMetric").filter(has_text="Interface indents")
    share_before = interface.inner_text()

    thumb = (
        page.get_by_test_id("stSlider")
        .filter(has_text="Indent depth: peak load (mN)")
        .get_by_role("slider")
    )
    thumb.focus()
    for _ in range(4):  # 1 -> 2 -> 5 -> 10 -> 20 mN
        thumb.press("ArrowRight")
    after = _wait_for_change(scatter, before, "the H-E scatter")
    _wait_until_idle(page, 60)
    after = scatter.screenshot()
    (ARTIFACTS / "maps_scatter_before.png").write_bytes(before)
    (ARTIFACTS / "maps_scatter_after.png").write_bytes(after)
    _full_page_screenshot(page, "maps_after.png")

    assert "map_P_max_mN=20" in page.url  # the setting lives in the URL, ready to share
    assert interface.inner_text() != share_before  # more interface indents
    assert page.locator('[data-testid="stException"]').count() == 0


def test_find_the_phases_continues_with_the_same_map(app_url, page):  # noqa: F811
    page.goto(f"{app_url}/property-maps?map_preset=WC-Co+hardmetal&map_image=phase+map+%28truth%29")
    _wait_until_idle(page, 60)
    _full_page_screenshot(page, "maps_wc_co_phase_map.png")
    page.get_by_test_id("stSidebarNavLink").filter(has_text="Find the phases").click()
    page.wait_for_url("**/find-phases**")
    page.get_by_text("Adjusted Rand index").wait_for(timeout=90_000)
    _wait_until_idle(page, 90)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("Map: WC-Co hardmetal, 30 × 30 indents").count() == 1
    assert "map_preset=WC-Co" in page.url
    charts = page.locator(CHART)
    assert charts.count() >= 8  # 3 maps, scatter, 3 criteria, 2 populations
    cluster_map = charts.nth(1)
    cluster_map.scroll_into_view_if_needed()
    picture = cluster_map.screenshot()
    (ARTIFACTS / "phases_cluster_map.png").write_bytes(picture)
    assert len(picture) > 5000  # a drawn map, not an empty frame
    assert page.get_by_text("Adjusted Rand index").count() == 1
    _full_page_screenshot(page, "phases.png")
