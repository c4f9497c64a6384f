"""My own data's creep note on simulated curves: it names the nose (Feng & Ngan 2002) only
when the curve shows one, and points to the page's creep correction (issue 16)."""

from __future__ import annotations

from learners import curve_features
from simulator import simulate_curve
from ui.my_data.notes import settings_summary, what_to_notice


def _features(hold_s: float, unloading_s: float, creep_nm: float, correct: bool):
    protocol = {"P_max_mN": 10.0, "hold_s": hold_s, "unloading_s": unloading_s}
    c = simulate_curve(material="aluminium", protocol=protocol, defects={"creep_nm": creep_nm})
    # a learner's file has no segment column: the analysis finds the parts from the load
    return curve_features(c.h_nm, c.P_mN, c.t_s, nu=0.35, creep_correction=correct)


def _notes(features, **kw) -> str:
    return " ".join(text for _, text in what_to_notice(["Al 1"], features, **kw))


def test_strong_nose_named_when_the_correction_measured_it():
    text = _notes(_features(1.0, 5.0, 20.0, correct=True), creep_option=True)
    assert "**Creep in the hold**" in text and "(a strong nose;" in text
    assert "*Creep correction (Feng & Ngan)* is on" in text


def test_settled_creep_is_called_settled():
    text = _notes(_features(60.0, 1.0, 20.0, correct=True), creep_option=True)
    assert "(settled;" in text and "nose;" not in text


def test_creep_note_points_to_the_option_only_where_the_page_offers_it():
    features = _features(60.0, 5.0, 20.0, correct=False)  # a weak nose: the fit still works
    offered = _notes(features, creep_option=True)
    assert "*Creep correction (Feng & Ngan)* (sidebar) measures" in offered
    assert "Creep correction" not in _notes(features)


def test_a_fit_spoilt_by_a_strong_nose_points_to_the_correction():
    features = _features(1.0, 5.0, 20.0, correct=False)
    assert not features["ok"].any()
    assert "can spoil the fit: try *Creep correction" in _notes(features, creep_option=True)
    fine = _features(60.0, 1.0, 0.0, correct=False)
    assert "spoil the fit" not in _notes(fine, creep_option=True)


def test_no_creep_no_creep_note():
    text = _notes(_features(5.0, 5.0, 0.0, correct=True), creep_option=True)
    assert "Creep" not in text and "nose" not in text


def test_settings_summary_names_the_creep_correction():
    class Curves:
        n_curves, t_s = 1, object()

    options = {"area": (24.5,), "fit_range": (0.2, 0.95), "nu": 0.3, "creep_correction": True}
    assert "corrected: creep (Feng & Ngan)" in settings_summary(options, Curves())
    Curves.t_s = None  # no time column: not applied, so not claimed
    assert "creep" not in settings_summary(options, Curves())
