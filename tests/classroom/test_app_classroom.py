"""The course pages headless (AppTest): Instructor, Instructor guide, Glossary, and the
learner's side on Home and the curve page (progress, joining a class, bad inputs).

Each test gets its own SQLite store (``INDENTLAB_STORE_URL`` in ``tmp_path``).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from apptest_helpers import widget
from streamlit.testing.v1 import AppTest

import classroom
from ui.classroom import answers, learner, tables
from ui.common import exercises

APP = "../../streamlit_app.py"  # relative to this test file


@pytest.fixture
def store_url(tmp_path, monkeypatch):
    url = f"sqlite:///{tmp_path / 'classroom.sqlite3'}"
    monkeypatch.setenv("INDENTLAB_STORE_URL", url)
    return url


def _page(page: str, params: dict | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=90)
    for key, value in (params or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "app_pages/home.py":
        at.switch_page(page).run()
    assert not at.exception, at.exception
    return at


def _texts(at: AppTest) -> str:
    kinds = ("markdown", "success", "info", "warning", "error", "caption")
    return " ".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def test_registry_ids_are_unique_and_cover_all_outcomes():
    ids = [e.id for e in exercises.EXERCISES]
    assert len(ids) == len(set(ids))
    assert exercises.outcomes_reached(set(ids)) == [1, 2, 3, 4, 5]
    assert exercises.next_page("app_pages/indentation_curve.py")[1] == "What a model sees"
    assert exercises.next_page("app_pages/my_data.py") is None


def test_passing_the_curve_guess_is_recorded_and_ticked_on_home(store_url):
    at = _page("app_pages/indentation_curve.py")
    assert "learner" not in at.query_params  # reading leaves nothing in the store
    law = answers.pileup_answers()["H"]
    widget(at, "guess_H_pct").set_value(law).run()
    assert not at.exception
    token = at.query_params["learner"]
    token = token[0] if isinstance(token, list) else token
    store = classroom.open_store(store_url)
    assert store.progress(token)["curve.pileup_H"]["passed"] is True
    # a wrong guess at the other quantity is recorded as a failed attempt with its answer
    widget(at, "guess_E_r_pct").set_value(99.0).run()
    row = store.progress(token)["curve.pileup_E_r"]
    assert row["passed"] is False and row["last_answer"] == "+99 %"
    # the same link opened again (a reload) shows the progress on Home
    home = _page("app_pages/home.py", {"learner": token})
    text = _texts(home)
    assert f"{tables.PASSED} Pile-up: how far is H off?" in text
    assert f"{tables.TRIED} Pile-up: how far is E_r off?" in text
    assert "1 of" in text
    assert home.get("download_button")  # the progress file


def test_unknown_token_in_the_link_gets_a_notice(store_url):
    home = _page("app_pages/home.py", {"learner": "x" * 43})
    assert any("unknown" in w.value for w in home.warning)
    assert "learner" not in home.query_params


def test_joining_a_class_and_bad_inputs(store_url):
    store = classroom.open_store(store_url)
    code, key = store.create_class("Monday")
    home = _page("app_pages/home.py", {"class": code})
    for bad, message in (
        ("A" * 10_000, "1 to 40 characters"),
        ("", "1 to 40 characters"),
    ):
        home.text_input(key="join_nickname").set_value(bad)
        widget(home, "join_button").click().run()
        assert not home.exception
        assert any(message in e.value for e in home.error), bad
    assert store.summary(code, key).empty
    # a learner who passed an exercise before joining brings it into the class
    solo = store.new_token()
    store.record_progress(solo, "my_data.hardness", True, "9 GPa")
    home = _page("app_pages/home.py", {"class": code, "learner": solo})
    html = "<b>Ada</b>'; DROP TABLE x; --"
    home.text_input(key="join_nickname").set_value(html)
    widget(home, "join_button").click().run()
    assert not home.exception and not home.error
    assert home.query_params.get("member")
    (row,) = store.summary(code, key).itertuples()
    assert (row.learner, row.exercise, row.passed) == (html, "my_data.hardness", True)
    # the class code of the invitation is unknown or closed: a clear message
    closed, closed_key = store.create_class("Closed")
    store.close_class(closed, closed_key)
    for bad_code, message in (("ZZZZZZ", "no class"), (closed, "closed"), ("<b>x", "no class")):
        other = _page("app_pages/home.py", {"class": bad_code})
        other.text_input(key="join_nickname").set_value("Bo")
        widget(other, "join_button").click().run()
        assert not other.exception
        assert any(message in e.value for e in other.error), bad_code
    assert store.summary(closed, closed_key).empty


def test_instructor_page_creates_opens_and_guards_a_class(store_url):
    at = _page("app_pages/instructor.py")
    assert any("Create a class" in i.value for i in at.info)
    widget(at, "instructor_title").set_value("Workshop").run()
    widget(at, "instructor_create").click().run()
    assert not at.exception
    code_blocks = [c.value for c in at.code]
    key, link = code_blocks[0], code_blocks[1]
    assert "?class=" in link
    code = link.rsplit("=", 1)[1]
    store = classroom.open_store(store_url)
    me = store.join(code, "Ada")
    store.record(code, me, "curve.pileup_H", False, "+14 %")
    store.record(code, me, "curve.pileup_H", True, "+30 %")
    html = store.join(code, "<img src=x onerror=alert(1)>")
    store.record(code, html, "my_data.hardness", False, "=HYPERLINK(1)")
    at.run()  # the live view
    (overview, *_) = at.dataframe
    row = overview.value.set_index("exercise").loc["Indentation curve: Pile-up: how far is H off?"]
    assert row["passed"] == 1 and row["who passed"] == "Ada"
    assert "<img" in overview.value.to_csv()  # as text, in a dataframe only
    assert not any("<img" in m.value for m in at.markdown)
    widget(at, "instructor_wrong_of").set_value("my_data.hardness").run()
    assert at.dataframe[1].value["answer"].tolist() == ["=HYPERLINK(1)"]
    assert at.get("download_button")  # CSV export
    # a second instructor session without the key sees nothing; a forged key neither
    other = _page("app_pages/instructor.py")
    widget(other, "instructor_code").set_value(code)
    widget(other, "instructor_key").set_value("forged-" + key[:10])
    widget(other, "instructor_open").click().run()
    assert not other.exception
    assert any("Wrong instructor key" in e.value for e in other.error)
    assert not other.dataframe
    widget(other, "instructor_code").set_value("'; DROP TABLE x; --")
    widget(other, "instructor_open").click().run()
    assert any("no class" in e.value for e in other.error) and not other.dataframe
    # closing: the box first, then the button
    widget(at, "instructor_close_sure").check().run()
    widget(at, "instructor_close").click().run()
    assert not at.exception
    with pytest.raises(ValueError, match="closed"):
        store.join(code, "Late")


def test_a_tampered_progress_file_is_refused_and_a_good_one_restores(store_url, monkeypatch):
    store = classroom.open_store(store_url)
    token = store.new_token()
    store.record_progress(token, "my_data.hardness", True, "9 GPa")
    raw = classroom.progress_file.dump(store.progress(token))
    tampered = raw.replace(b'"attempts": 1', b'"attempts": 2')
    assert tampered != raw
    monkeypatch.setattr(learner.progress, "passed_exercises", dict)
    monkeypatch.setattr(learner.progress, "token", lambda create=False: token)
    kind, message = learner.restore(tampered)
    assert kind == "error" and "nothing changed" in message
    assert kind == "error" and learner.restore(b"\x00garbage")[0] == "error"
    # a good file into a fresh learner's progress
    fresh = store.new_token()
    monkeypatch.setattr(learner.progress, "token", lambda create=False: fresh)
    monkeypatch.setattr(learner, "get_store", lambda: store)
    kind, message = learner.restore(raw)
    assert kind == "success", message
    assert store.progress(fresh)["my_data.hardness"]["passed"] is True


def test_glossary_filters_and_says_when_nothing_matches(store_url):
    at = _page("app_pages/glossary.py")
    every = _texts(at)
    assert "Pile-up" in every and "LIME" in every
    widget(at, "glossary_search").set_value("ARI").run()
    assert "Adjusted Rand index" in _texts(at) and "Creep" not in _texts(at)
    widget(at, "glossary_search").set_value("<script>zzz").run()
    assert not at.exception and any("No term" in i.value for i in at.info)


def test_guide_page_shows_the_computed_answers(store_url):
    at = _page("app_pages/instructor_guide.py")
    text = _texts(at)
    assert f"{answers.pileup_answers()['E_r']:+.1f} %" in text
    widget(at, "guide_base").set_value("https://example.org/app").run()
    assert "https://example.org/app/find-phases?map_preset=" in _texts(at)
    widget(at, "guide_base").set_value("javascript:alert(1)").run()
    assert not at.exception and at.error


def test_every_exercise_is_recorded_on_its_page_and_every_page_links_on():
    root = Path(__file__).resolve().parents[2]
    for exercise in exercises.EXERCISES:
        text = (root / exercise.page).read_text(encoding="utf-8")
        stem = exercise.id.split("_")[0] if exercise.id.startswith("curve.") else exercise.id
        assert f'progress.record("{exercise.id}"' in text or f'record(f"{stem}_' in text, (
            exercise.id
        )
    for page, _ in exercises.PATH_PAGES[1:]:
        text = (root / page).read_text(encoding="utf-8")
        assert "path.next_link(" in text or "st.page_link(" in text, page


def test_text_helpers_escape_markdown_and_defuse_spreadsheet_formulas():
    assert tables.escape_markdown("**x** <b>[a](javascript:y)</b>") == (
        r"\*\*x\*\* \<b\>\[a\]\(javascript\:y\)\</b\>"
    )
    summary = pd.DataFrame(
        {"learner": ["=cmd()"], "exercise": ["curve.pileup_H"], "passed": [False],
         "attempts": [1], "last_answer": ["+1 %"]}
    )  # fmt: skip
    csv = tables.class_csv(summary)
    assert "'=cmd()" in csv and "'+1 %" in csv
    assert "Indentation curve: Pile-up: how far is H off?" in csv


def test_the_store_url_comes_from_the_secrets_before_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("INDENTLAB_STORE_URL", f"sqlite:///{tmp_path / 'env.sqlite3'}")
    url = f"sqlite:///{tmp_path / 'secrets.sqlite3'}"
    at = AppTest.from_file(APP, default_timeout=90)
    at.secrets["connections"] = {"classroom": {"url": url}}
    at.run()
    at.switch_page("app_pages/indentation_curve.py").run()
    widget(at, "guess_H_pct").set_value(answers.pileup_answers()["H"]).run()
    token = at.query_params["learner"]
    token = token[0] if isinstance(token, list) else token
    assert classroom.open_store(url).progress(token)["curve.pileup_H"]["passed"] is True
