"""The "What a model sees" page in a real browser: `streamlit run` on loopback, headless chromium.

Reuses the server and browser fixtures of ``test_browser.py``. Opens the page by its URL (as a
shared link does), checks that its charts draw, changes the task and waits for the feature
scatter to change. Screenshots go to ``test-artifacts/`` (git-ignored): look at them after
changing the page.
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

EXCEPTION = '[data-testid="stException"]'


def test_model_sees_page_draws_and_follows_the_task(app_url, page):  # noqa: F811
    page.goto(f"{app_url}/what-a-model-sees")
    _wait_until_idle(page, 90)
    assert page.locator(EXCEPTION).count() == 0
    assert page.get_by_text("Page not found").count() == 0
    assert page.get_by_role("heading", name="What a model sees").first.is_visible()
    page.wait_for_function(f"document.querySelectorAll('{CHART}').length >= 6", timeout=60_000)
    for chart in page.locator(CHART).all():  # every chart drew something
        assert chart.locator("canvas, svg").count() > 0
    _full_page_screenshot(page, "model_sees_before.png")
    scatter = page.locator(CHART).first
    before = scatter.screenshot()

    page.get_by_test_id("stSelectbox").filter(has_text="Task").first.click()
    page.get_by_role("option", name="Which material (5 metals)", exact=True).click()
    after = _wait_for_change(scatter, before, "the feature scatter")
    _wait_until_idle(page, 90)
    assert "sees_task=Which+material" in page.url  # the setting lives in the URL
    assert page.locator(EXCEPTION).count() == 0
    (ARTIFACTS / "model_sees_scatter_before.png").write_bytes(before)
    (ARTIFACTS / "model_sees_scatter_after.png").write_bytes(after)
    _full_page_screenshot(page, "model_sees_after.png")
