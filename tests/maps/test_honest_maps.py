"""Find the phases: ARI and accuracy with their intervals and baselines (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ui.maps import tables

APP = "../../streamlit_app.py"
PHASES = "app_pages/find_phases.py"


def test_ari_and_accuracy_show_interval_and_baseline():
    at = AppTest.from_file(APP, default_timeout=120)
    for key, value in {"map_nx": "12", "map_ny": "12"}.items():
        at.query_params[key] = value
    at.run()
    at.switch_page(PHASES).run()
    assert not at.exception, at.exception
    scores = [m for m in at.metric if m.label in ("Adjusted Rand index", "Accuracy")]
    assert len(scores) == 2
    for m in scores:
        assert "±" in m.proto.delta and "baseline" in m.proto.delta, (m.label, m.proto.delta)


def test_scores_by_location_and_fractions_carry_intervals_and_baselines():

    rng = np.random.default_rng(0)
    n = 200
    truth = np.where(rng.random(n) < 0.7, 0, 1)
    interface = rng.random(n) < 0.2
    # right in the interior, a coin toss on interfaces
    matched = np.where(interface & (rng.random(n) < 0.5), 1 - truth, truth)
    table = pd.DataFrame(
        {"phase": truth, "phase_name": np.where(truth == 0, "a", "b"), "on_interface": interface}
    )
    loc = tables.location_scores(table, matched, matched).set_index("indents")
    assert loc.loc["interior", "accuracy (%)"] == 100
    low = float(loc.loc["interior", "accuracy 95 % interval (%)"].split("–")[0])
    assert low > loc.loc["interior", "baseline accuracy (%)"]  # the interior beats guessing
    low, high = (float(v) for v in loc.loc["interface", "ARI 95 % interval"].split("–"))
    assert low <= loc.loc["interface", "ARI"] <= high
    share = np.mean(truth == 0)
    assert loc.loc["all indents", "baseline accuracy (%)"] == pytest.approx(100 * share)
    fractions = pd.DataFrame(
        {"true_fraction": [share, 1 - share], "predicted_fraction": [np.mean(matched == 0),
                                                                    np.mean(matched == 1)]},
        index=pd.Index([0, 1], name="phase"),
    )  # fmt: skip
    fractions["error_pp"] = 100 * (fractions["predicted_fraction"] - fractions["true_fraction"])
    shown = tables.fraction_table(fractions, ["a", "b"], pd.Series([0.7, 0.3]), truth, matched)
    # always "a": 100 % assigned to a, 0 % to b
    assert list(shown["baseline error (pp)"]) == pytest.approx(
        [100 * (1 - share), -100 * (1 - share)]
    )
    worst = tables.largest_fraction_error(fractions, truth, matched)
    assert worst.value == pytest.approx(fractions["error_pp"].abs().max())
    assert worst.baseline == pytest.approx(100 * (1 - share)) and worst.beats_baseline
