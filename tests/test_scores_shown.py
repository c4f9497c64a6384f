"""Issue 14's must-hold: every accuracy, balanced accuracy, ROC-AUC, ARI, R² and error an
ML page shows has its baseline and an interval or ± beside it. Each page runs headless
(AppTest, small settings) and :func:`score_check.bare_scores` reads its metrics, tables,
texts and chart titles; the checker itself is tested on scores with and without them."""

from __future__ import annotations

import pandas as pd
import pytest
from apptest_helpers import apply
from score_check import bare_in_chart, bare_in_table, bare_in_text, bare_scores, shown_scores
from streamlit.testing.v1 import AppTest

APP = "../streamlit_app.py"
#: page, URL settings (small, as the pages' own tests use), widgets set after opening,
#: names the page shows that are no score of a model, and the least number of scores read.
PAGES = {
    "classify": ("classify_curves.py", {"cls_n": "60", "cls_block_um": "10"}, {}, (), 8),
    "classify-clever-hans": (
        "classify_curves.py", {"cls_n": "60", "cls_task": "confounded"}, {}, (), 6,
    ),
    "classify-quality": ("classify_curves.py", {"cls_n": "60", "cls_task": "quality"}, {}, (), 8),
    "predict": ("predict_properties.py", {"prop_n": "60"}, {"prop_guess": "Oliver-Pharr"}, (), 8),
    "what-a-model-sees": ("what_a_model_sees.py", {}, {}, (), 4),
    "find-bad-curves": ("find_bad_curves.py", {}, {}, (), 8),
    "find-the-phases": ("find_phases.py", {"map_nx": "12", "map_ny": "12"}, {}, (), 5),
    "property-maps": ("property_maps.py", {"map_nx": "12", "map_ny": "12"}, {}, (), 0),
    # LIME's local R² is the fit of LIME's surrogate, not a score of the model
    "why-did-the-model-decide": (
        "explain_decision.py", {"xp_n": "100", "xp_samples": "1000"}, {}, (r"local (fit )?R²",), 2,
    ),
    "is-it-physical": ("is_it_physical.py", {"xp_n": "300", "xp_samples": "1000"}, {}, (), 3),
    "my-own-data": ("my_data.py", {}, {"mydata_source": "Sample data"}, (), 0),
}  # fmt: skip


@pytest.mark.parametrize("name", list(PAGES))
def test_every_shown_score_has_its_interval_and_baseline(name):
    page, params, widgets, ignore, least = PAGES[name]
    at = AppTest.from_file(APP, default_timeout=300)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(f"app_pages/{page}").run()
    assert not at.exception, at.exception
    apply(at, widgets)
    assert shown_scores(at) >= least  # the check reads the page, not an empty one
    assert bare_scores(at, ignore) == []


def test_the_checker_finds_a_bare_score_and_accepts_a_full_one():
    assert bare_in_text("The model reaches accuracy 0.91 on held-out curves.")
    assert bare_in_text("**Hardest: pores** (ROC-AUC 0.98).")
    assert not bare_in_text(
        "accuracy 0.91 (95 % interval 0.85–0.95; baseline, always the most frequent class: 0.62)"
    )
    assert not bare_in_text("Find settings that reach an **ARI ≥ 0.8**.")  # a target
    bare = pd.DataFrame({"class": ["a", "b"], "recall (%)": [90.0, 80.0]})
    assert bare_in_table(bare) == ["recall (%) (no interval)", "recall (%) (no baseline)"]
    full = bare.assign(
        **{"recall 95 % interval (%)": ["80–95", "70–88"], "baseline recall (%)": [100.0, 0.0]}
    )
    assert bare_in_table(full) == []
    chart = {"title": "Learning curve", "encoding": {"y": {"title": "Accuracy (fraction)"}}}
    assert bare_in_chart(chart)
    chart["title"] = {"text": "Learning curve", "subtitle": "band: 95 % interval; baseline"}
    assert not bare_in_chart(chart)
