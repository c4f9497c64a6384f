"""Find the phases: ARI and accuracy with their intervals and baselines (issue 14)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

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
