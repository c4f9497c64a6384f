"""Find bad curves: every rate beside its interval and a baseline that knows nothing, and
the note that recall equals precision only when it does so by construction (issue 14)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from apptest_helpers import apply
from streamlit.testing.v1 import AppTest

from ui.anomalies import tables

PAGE = "../../app_pages/find_bad_curves.py"
RATES = {"Defects caught", "ROC-AUC", "False alarms", "Flag precision"}
NOTE = "Recall equals precision here by construction"


def test_rates_show_interval_and_baseline_and_the_equal_counts_note_follows_the_flags():
    at = AppTest.from_file(PAGE, default_timeout=120).run()
    assert not at.exception, at.exception
    rates = [m for m in at.metric if m.label in RATES]
    assert {m.label for m in rates} == RATES
    for m in rates:
        assert "±" in m.proto.delta and "baseline" in m.proto.delta, (m.label, m.proto.delta)
    assert any(NOTE in i.value for i in at.info)  # the default flags the true share
    apply(at, {"bad_share": 15.0})  # flag more curves than are defective
    assert not any(NOTE in i.value for i in at.info)


def test_type_table_gives_each_score_its_interval_and_the_random_flag_baseline():

    rng = np.random.default_rng(1)
    defect = np.array(["none"] * 180 + ["popin"] * 20)
    score = rng.normal(0, 1, 200) + 3 * (defect == "popin")
    truth = pd.DataFrame({"defect": defect, "defect_size": np.where(defect == "none", 0.0, 1.0)})
    threshold = float(np.quantile(score, 0.9))
    table = tables.type_table(truth, score, threshold).set_index("defect (truth)")
    row = table.loc["pop-in"]
    assert row["baseline recall (%)"] == 10.0  # 10 % flagged at random catch 10 %
    assert row["baseline ROC-AUC"] == 0.5
    assert row["baseline avg. precision"] == 0.1  # 20 pop-ins among 200 curves compared
    low, high = (float(v) for v in row["ROC-AUC 95 % interval"].split("–"))
    assert 0.5 < low <= row["ROC-AUC"] <= high
    low, high = (float(v) for v in row["recall 95 % interval (%)"].split("–"))
    assert low <= row["recall (%)"] <= high
