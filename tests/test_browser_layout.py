"""Every page on laptop screens (1024 × 768 and 1400 × 900) in a real browser: no two charts'
boxes overlap, and no chart is drawn wider than the box it sits in (which cuts its title or
its axis).

Each page opens with small settings through the URL (as a shared link would set them), the
viewport is stretched to the page's height so that every chart is laid out, and the boxes of
the drawn charts (the canvas or svg inside each Altair element) are read with
``getBoundingClientRect``. Screenshots go to ``test-artifacts/layout_<page>_<width>.png``.
"""

from __future__ import annotations

import pytest
from browser_support import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    _wait_until_idle,
    app_url,
    browser,
    pytestmark,
)

#: Page URL with small settings, by name.
PAGES = {
    "home": "",
    "curve": "indentation-curve",
    "model_sees": "what-a-model-sees?sees_n=60",
    "maps": "property-maps?map_nx=12&map_ny=12",
    "phases": "find-phases?map_nx=12&map_ny=12",
    "classify": "classify-curves?cls_n=60&cls_block_um=10",
    "predict": "predict-properties?prop_n=60",
    "bad_curves": "find-bad-curves",
    "decide": "why-did-the-model-decide?xp_n=100&xp_samples=500",
    "physical": "is-it-physical?xp_n=100&xp_samples=500",
    "my_data": "my-own-data",
    "instructor": "instructor",
    "guide": "instructor-guide",
    "glossary": "glossary",
}
SCREENS = [(1024, 768), (1400, 900)]
#: Pages that draw no chart at their defaults (only their layout of text is checked).
WITHOUT_CHARTS = {"my_data", "instructor", "guide", "glossary"}
#: Pixels two boxes may share (anti-aliased edges, rounding).
SLACK = 2

#: The drawn graphic of every chart and the box of its Streamlit element.
BOXES_JS = """
() => [...document.querySelectorAll('[data-testid="stVegaLiteChart"]')].map((el, i) => {
  const g = el.querySelector('canvas, svg.marks, svg');
  const r = (g || el).getBoundingClientRect();
  const box = el.parentElement.getBoundingClientRect();
  return {i, x: r.left, y: r.top, w: r.width, h: r.height,
          bx: box.left, bw: box.width, vw: document.documentElement.clientWidth};
})
"""


def _overlap(a: dict, b: dict) -> float:
    dx = min(a["x"] + a["w"], b["x"] + b["w"]) - max(a["x"], b["x"])
    dy = min(a["y"] + a["h"], b["y"] + b["h"]) - max(a["y"], b["y"])
    return max(dx, 0) * max(dy, 0) if dx > SLACK and dy > SLACK else 0.0


@pytest.mark.parametrize("name", list(PAGES))
def test_charts_neither_overlap_nor_overflow(app_url, browser, name):  # noqa: F811
    """The page opens once at the first screen size; the viewport then changes to the next
    one (the charts re-fit as they do when a learner resizes the window)."""
    (width, height), *others = SCREENS
    page = browser.new_page(viewport={"width": width, "height": height})
    try:
        page.goto(f"{app_url}/{PAGES[name]}")
        if name in WITHOUT_CHARTS:
            page.get_by_role("heading", level=1).first.wait_for(timeout=60_000)
            page.wait_for_timeout(3000)
        else:
            _wait_until_idle(page, 180)
        assert page.locator('[data-testid="stException"]').count() == 0
        _check_screen(page, name, width, height)
        for width, height in others:
            page.set_viewport_size({"width": width, "height": height})
            page.wait_for_timeout(1500)
            _check_screen(page, name, width, height)
    finally:
        page.close()


def _check_screen(page, name: str, width: int, height: int) -> None:
    """Stretch the viewport to the page's height at ``width``, then check every chart's box."""
    tall = page.evaluate(
        "() => document.querySelector('[data-testid=\"stMain\"]')?.scrollHeight ?? 0"
    )
    page.set_viewport_size({"width": width, "height": max(height, tall + 40)})
    page.wait_for_timeout(1500)  # charts re-fit to the new size
    page.screenshot(path=ARTIFACTS / f"layout_{name}_{width}.png", full_page=True)
    boxes = [b for b in page.evaluate(BOXES_JS) if b["w"] > 0 and b["h"] > 0]
    clipped = [
        (b["i"], round(b["x"]), round(b["w"]), round(b["bx"]), round(b["bw"]))
        for b in boxes
        if b["x"] + b["w"] > b["bx"] + b["bw"] + SLACK
        or b["x"] < b["bx"] - SLACK
        or b["x"] + b["w"] > b["vw"] + SLACK
    ]
    assert not clipped, (
        f"{name} at {width} px: charts (i, x, w, box x, box w) {clipped} wider than their box"
    )
    pairs = [
        (a["i"], b["i"]) for k, a in enumerate(boxes) for b in boxes[k + 1 :] if _overlap(a, b) > 0
    ]
    assert not pairs, f"{name} at {width} px: charts {pairs} overlap"
