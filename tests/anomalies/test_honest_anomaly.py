"""Find bad curves: every rate beside its interval and a baseline that knows nothing, and
the note that recall equals precision only when it does so by construction (issue 14)."""

from __future__ import annotations

from apptest_helpers import apply
from streamlit.testing.v1 import AppTest

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
