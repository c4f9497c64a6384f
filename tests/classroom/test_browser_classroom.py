"""A workshop in real browsers: an instructor creates a class, two learners join it in their
own browser contexts, one passes the curve page's exercise, and the instructor's live view
(a third context) shows it within 10 s; without the key nothing of the class is shown. The
learner's progress survives a reload and travels in a downloaded progress file.

The app runs under ``streamlit run`` on 127.0.0.1 with its own SQLite store in a temporary
folder (``INDENTLAB_STORE_URL``); the expected answer comes from the app's own functions.
"""

from __future__ import annotations

import os
import re
import time

import pytest
from browser_support import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    browser,
    pytestmark,
    serve_app,
)

from ui.classroom import answers, tables

STATUS = '[data-testid="stStatusWidget"]'


@pytest.fixture(scope="module")
def class_app(tmp_path_factory):
    """The app on a free loopback port with a store of its own; stopped afterwards."""
    ARTIFACTS.mkdir(exist_ok=True)
    store = tmp_path_factory.mktemp("store") / "classroom.sqlite3"
    env = {**os.environ, "INDENTLAB_STORE_URL": f"sqlite:///{store}"}
    with serve_app("streamlit-classroom.log", env) as url:
        yield url


def _context_page(browser, name):  # noqa: F811
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.name = name
    return context, page


def _idle(page) -> None:
    page.wait_for_timeout(500)
    page.locator(STATUS).wait_for(state="hidden", timeout=60_000)
    page.wait_for_timeout(300)


def _no_exception(page) -> None:
    assert page.locator('[data-testid="stException"]').count() == 0, page.name


def test_a_workshop_in_three_browsers(class_app, browser, tmp_path):  # noqa: F811
    contexts = []
    try:
        # the instructor creates a class
        context, teacher = _context_page(browser, "instructor")
        contexts.append(context)
        teacher.goto(f"{class_app}/instructor")
        teacher.get_by_label("Class title", exact=True).fill("Browser workshop")
        teacher.get_by_label("Class title", exact=True).press("Enter")
        _idle(teacher)
        teacher.get_by_role("button", name="Create a class").click()
        teacher.get_by_text("Instructor key").first.wait_for()
        _idle(teacher)
        blocks = teacher.locator('[data-testid="stCode"] code')
        key, link = blocks.nth(0).inner_text().strip(), blocks.nth(1).inner_text().strip()
        assert link.startswith(class_app) and "?class=" in link
        code = link.rsplit("=", 1)[1]
        teacher.get_by_text("No attempts yet.").wait_for()

        # two learners join with the link and a nickname each
        learners = []
        for nickname in ("Ada", "Bo"):
            context, page = _context_page(browser, nickname)
            contexts.append(context)
            page.goto(link)
            page.get_by_label("Nickname", exact=True).fill(nickname)
            page.get_by_label("Nickname", exact=True).press("Enter")
            _idle(page)
            page.get_by_role("button", name="Join the class").click()
            page.get_by_text(f"You are in class {code}").wait_for()
            assert "member=" in page.url
            learners.append(page)
        ada, bo = learners

        # Ada passes the curve exercise by typing the answer the app computes
        ada.get_by_role("link", name="Start: Indentation curve").click()
        ada.get_by_label("H too high by (%)", exact=True).wait_for()
        _idle(ada)
        guess = ada.get_by_label("H too high by (%)", exact=True)
        guess.fill(f"{answers.pileup_answers()['H']:.1f}")
        guess.press("Enter")
        ada.get_by_text("Right: you said").wait_for()
        passed_at = time.monotonic()
        _no_exception(ada)
        assert f"class={code}" in ada.url and "learner=" in ada.url

        # the instructor's live view shows it within 10 s
        teacher.get_by_text(re.compile(r"how far is H off\?: 1 passed")).wait_for(timeout=10_000)
        assert time.monotonic() - passed_at < 10
        teacher.screenshot(path=ARTIFACTS / "classroom_instructor.png", full_page=True)
        _no_exception(teacher)

        # without the key nothing of the class is shown (Bo tries with a forged key)
        bo.goto(f"{class_app}/instructor")
        bo.get_by_label("Class code", exact=True).fill(code)
        bo.get_by_label("Instructor key", exact=True).fill("forged" + key[6:])
        bo.get_by_label("Instructor key", exact=True).press("Enter")
        _idle(bo)
        bo.get_by_role("button", name="Open the class").click()
        bo.get_by_text("Wrong instructor key").wait_for()
        _idle(bo)
        assert bo.get_by_text(re.compile(r"passed, .* tried and not yet")).count() == 0
        _no_exception(bo)

        # Ada's progress survives a reload and a page switch
        ada.reload()
        _idle(ada)
        ada.get_by_test_id("stSidebarNav").get_by_role("link", name="Home").click()
        ada.get_by_text(f"{tables.PASSED} Pile-up: how far is H off?").wait_for()
        assert "learner=" in ada.url
        _idle(ada)

        # ... and travels in the downloaded progress file
        with ada.expect_download() as download:
            ada.get_by_role("button", name="Download my progress").click()
        saved = tmp_path / "progress.json"
        download.value.save_as(saved)
        context, other = _context_page(browser, "another machine")
        contexts.append(context)
        other.goto(class_app)
        _idle(other)
        tampered = tmp_path / "tampered.json"
        tampered.write_bytes(saved.read_bytes().replace(b'"passed": true', b'"passed": false'))
        uploader = other.locator('[data-testid="stFileUploader"] input[type="file"]')
        uploader.set_input_files(str(tampered))
        other.get_by_text("nothing changed").wait_for()
        _idle(other)
        assert "learner=" not in other.url  # nothing was stored for the tampered file
        uploader.set_input_files(str(saved))
        other.get_by_text("Restored 1 passed exercise(s)").wait_for()
        _idle(other)
        other.reload()
        other.get_by_text(f"{tables.PASSED} Pile-up: how far is H off?").wait_for()
        _no_exception(other)
    finally:
        for context in contexts:
            context.close()
