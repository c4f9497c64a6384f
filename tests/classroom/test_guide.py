"""The instructor guide cannot go stale: the committed Markdown is what the code builds now,
its links point at pages of the app, and its computed answers pass the pages' own checks."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from apptest_helpers import widget
from streamlit.testing.v1 import AppTest

from ui.classroom import answers, guide
from ui.common import exercises

ROOT = Path(__file__).resolve().parents[2]
GUIDE = ROOT / "docs" / "instructor_guide.md"


def test_committed_guide_is_up_to_date():
    built = subprocess.run(
        [sys.executable, "-m", "ui.classroom.guide"],
        cwd=ROOT, capture_output=True, text=True, check=True, timeout=120,
    ).stdout  # fmt: skip
    assert built == GUIDE.read_text(encoding="utf-8"), (
        "docs/instructor_guide.md is out of date: run "
        "python -m ui.classroom.guide > docs/instructor_guide.md"
    )


def test_every_exercise_has_a_link_to_a_page_of_the_app_and_its_mistakes():
    entry = (ROOT / "streamlit_app.py").read_text(encoding="utf-8")
    text = guide.build("https://example.org")
    for exercise in exercises.EXERCISES:
        assert f'"{exercise.page}"' in entry
        assert f'url_path="{guide.PAGE_URLS[exercise.page]}"' in entry
        assert f"<{guide.link(exercise.id, 'https://example.org')}>" in text
        assert exercise.id in guide.MISTAKES
    assert sum(slot.minutes for slot in guide.PLAN if slot.half == 1) == 90
    assert sum(slot.minutes for slot in guide.PLAN if slot.half == 2) == 90


def test_guide_answers_pass_the_pages_own_checks(tmp_path, monkeypatch):
    monkeypatch.setenv("INDENTLAB_STORE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    laws = answers.pileup_answers()
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=90).run()
    at.switch_page("app_pages/indentation_curve.py").run()
    for quantity in ("H", "E_r"):
        widget(at, f"guess_{quantity}_pct").set_value(round(laws[quantity], 1)).run()
    assert len(at.success) == 2 and all(s.value.startswith("Right") for s in at.success)
    at.switch_page("app_pages/my_data.py").run()
    widget(at, "mydata_use_sample").click().run()
    widget(at, "mydata_guess_H").set_value(round(answers.sample_hardness()["H_GPa"], 2)).run()
    assert not at.exception
    assert any(s.value.startswith("Right") for s in at.success)


def test_guide_link_and_best_pair_pass_what_a_model_sees(tmp_path, monkeypatch):
    monkeypatch.setenv("INDENTLAB_STORE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=90)
    for key, value in guide.LINK_SETTINGS["model_sees.feature_pair"].items():
        at.query_params[key] = str(value)
    at.run()
    at.switch_page("app_pages/what_a_model_sees.py").run()
    assert widget(at, "sees_task").value == answers.PAIR_DATA["task"]
    assert widget(at, "sees_n").value == answers.PAIR_DATA["n"]
    a, b = answers.best_pair()["features"]
    widget(at, "sees_ex_a").set_value(a).run()
    widget(at, "sees_ex_b").set_value(b).run()
    assert not at.exception
    assert any(s.value.startswith("Right") for s in at.success)


def test_guide_link_and_deepest_map_pass_property_maps(tmp_path, monkeypatch):
    monkeypatch.setenv("INDENTLAB_STORE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    deepest = answers.deepest_map()
    assert deepest, "some step of the default map obeys both rules"
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=120)
    for key, value in guide.LINK_SETTINGS["maps.depth_rules"].items():
        at.query_params[key] = str(value)
    at.query_params["map_P_max_mN"] = f"{deepest['P_max_mN']:g}"
    at.run()
    at.switch_page("app_pages/property_maps.py").run()
    widget(at, "map_check_depth").set_value(True).run()
    assert not at.exception
    assert any(s.value.startswith("Right") for s in at.success), [w.value for w in at.warning]


def test_guide_out_of_range_guess_is_right_on_predict_properties(tmp_path, monkeypatch):
    monkeypatch.setenv("INDENTLAB_STORE_URL", f"sqlite:///{tmp_path / 'store.sqlite3'}")
    at = AppTest.from_file("../../streamlit_app.py", default_timeout=120).run()
    at.switch_page("app_pages/predict_properties.py").run()
    widget(at, "prop_guess").set_value(answers.out_of_range_answer()["guess"]).run()
    assert not at.exception
    assert any(s.value.startswith("Right") for s in at.success)
