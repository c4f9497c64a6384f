""" "My own data" in a real browser: upload the sample file, and an Excel workbook, through
the real file input.

Reuses the server and browser fixtures of ``test_browser.py``. Screenshots go to
``test-artifacts/`` (git-ignored): look at them after changing the page.
"""

from __future__ import annotations

from browser_support import (  # noqa: F401 (fixtures)
    ARTIFACTS,
    CHART,
    _full_page_screenshot,
    _wait_until_idle,
    app_url,
    browser,
    page,
    pytestmark,
)
from workbook_fixtures import kla_like_workbook

from learners.reading import sample_csv


def test_upload_the_sample_file(app_url, page, tmp_path):  # noqa: F811
    # First visit straight to the deep link, as a shared link does.
    page.goto(f"{app_url}/my-own-data")
    page.get_by_text("No data yet").wait_for(timeout=60_000)
    assert page.get_by_text("Page not found").count() == 0
    _full_page_screenshot(page, "my_data_empty.png")

    upload = tmp_path / "my_curves.csv"
    upload.write_text(sample_csv(0))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(upload)
    page.get_by_text("Read your file my_curves.csv").wait_for(timeout=60_000)
    _wait_until_idle(page, 60)

    assert page.locator('[data-testid="stException"]').count() == 0
    # the curve with its fit, H against E, and H and E against depth
    assert page.locator(CHART).count() == 4
    tables = page.locator('[data-testid="stDataFrame"]')
    assert tables.count() >= 1
    assert page.get_by_text("3 curves analysed with").count() == 1
    chart = page.locator(CHART).first
    picture = chart.screenshot()
    (ARTIFACTS / "my_data_curve_chart.png").write_bytes(picture)
    assert len(picture) > 5000  # a drawn chart, not an empty frame
    # the uploaded file is the sample: three materials, so no mean H or E over them
    assert page.get_by_text("three different materials").count() == 1
    _full_page_screenshot(page, "my_data_uploaded.png")

    # the calibrated area function with the extra Hysitron terms open in the sidebar
    page.get_by_text("calibrated area function").click()
    page.get_by_text("More coefficients (C3-C5)").click()
    page.get_by_text("C5 (nm^1.9375)").wait_for(timeout=30_000)
    _wait_until_idle(page, 60)
    assert page.locator('[data-testid="stException"]').count() == 0
    _full_page_screenshot(page, "my_data_calibrated.png")

    # after a page switch the uploader is empty, but the file is still analysed: it is named,
    # and can be forgotten
    page.get_by_role("link", name="Home").click()
    page.get_by_role("link", name="My own data").click()
    page.get_by_text("(uploaded earlier)").wait_for(timeout=60_000)
    _wait_until_idle(page, 60)
    _full_page_screenshot(page, "my_data_after_switch.png")
    page.get_by_role("button", name="Forget this file").click()
    page.get_by_text("No data yet").wait_for(timeout=60_000)


def test_upload_a_multi_sheet_xlsx(app_url, page, tmp_path):  # noqa: F811
    """An Excel workbook through the real file input: no browser tooltip refuses it, the
    page reads its three test sheets."""
    page.goto(f"{app_url}/my-own-data")
    page.get_by_text("No data yet").wait_for(timeout=60_000)
    upload = tmp_path / "tests.xlsx"
    upload.write_bytes(kla_like_workbook(3))
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(upload)
    page.get_by_text("Read your file tests.xlsx: 3 curves").wait_for(timeout=90_000)
    _wait_until_idle(page, 90)
    assert page.locator('[data-testid="stException"]').count() == 0
    assert page.get_by_text("not allowed").count() == 0  # no browser tooltip
    assert page.get_by_text("3 curves analysed with").count() == 1
    assert page.locator(CHART).count() >= 4  # curve, H-E, H and E against depth
    _full_page_screenshot(page, "my_data_xlsx.png")

    # a type we cannot read reaches the page (no browser tooltip) and gets our message;
    # the workbook stays analysed
    scan = tmp_path / "scan.pdf"
    scan.write_bytes(b"%PDF-1.4 not curves")
    page.locator('[data-testid="stFileUploader"] input[type="file"]').first.set_input_files(scan)
    page.get_by_text("not a file type IndentLab reads").wait_for(timeout=60_000)
    _wait_until_idle(page, 60)
    assert page.get_by_text("3 curves analysed with").count() == 1
    assert page.get_by_text("files are not allowed").count() == 0
    _full_page_screenshot(page, "my_data_bad_type.png")
