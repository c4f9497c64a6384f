"""The "My own data" page with files as labs export them, run headless with AppTest.

Uploads (``at.file_uploader(...).set_value``) of a generated multi-sheet .xlsx, the real
.xls, a .zip and several text files at once; every kind of bad file gets our message and
leaves the upload before it in place; the calibration's round trip (download the JSON,
upload it, applied); the "Real curves" sample with its no-truth statement and pop-ins.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from apptest_helpers import widget
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest
from workbook_fixtures import calibration_csv, kla_like_workbook, ods_workbook, zip_of

from learners.reading import read_table, sample_csv
from simulator.materials import reduced_modulus

APP = "../../streamlit_app.py"  # relative to this test file
PAGE = "app_pages/my_data.py"
KLA = Path(__file__).resolve().parents[2] / "data" / "realdata" / "kla_example" / "Example.xls"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _open(source: str = "Upload files") -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    at.switch_page(PAGE).run()
    widget(at, "mydata_source").set_value(source)
    at.run()
    assert not at.exception
    return at


def _upload(at: AppTest, files, key: str = "mydata_file") -> AppTest:
    at.file_uploader(key=key).set_value(files)
    at.run()
    assert not at.exception, at.exception
    return at


def _results(at: AppTest) -> pd.DataFrame:
    return next(f.value for f in at.dataframe if "H (GPa)" in f.value.columns).set_index("curve")


def _texts(at: AppTest, *kinds: str) -> str:
    return " ".join(e.value for kind in kinds for e in at.get(kind))


def _sample_curve_files() -> list[tuple[str, bytes, str]]:
    """The sample's three curves as three text files, one curve each."""
    frame = read_table(sample_csv(0)).frame
    return [
        (f"{name}.csv", rows.drop(columns="curve").to_csv(index=False).encode(), "text/csv")
        for name, rows in frame.groupby("curve", sort=False)
    ]


def test_a_multi_sheet_xlsx_is_read_sheet_by_sheet():
    at = _upload(_open(), ("tests.xlsx", kla_like_workbook(3), XLSX))
    assert not at.error
    table = _results(at)
    assert list(table.index) == ["Test 001", "Test 002", "Test 003"]
    assert table["ok"].all()
    assert table["H (GPa)"].between(8.5, 9.5).all()  # fused silica
    assert "Read your file **tests.xlsx**: 3 curves" in _texts(at, "caption")
    assert "Contact found from the load signal on 3 curves" in _texts(at, "caption")


def test_the_real_xls_and_a_zip_and_several_text_files():
    at = _upload(_open(), ("Example.xls", KLA.read_bytes(), "application/vnd.ms-excel"))
    assert list(_results(at).index) == ["Test 001", "Test 002"]
    archive = zip_of({"run1/tests.xlsx": kla_like_workbook(2), "notes/fused.csv": sample_csv(0)})
    _upload(at, ("campaign.zip", archive, "application/zip"))
    names = list(_results(at).index)
    assert len(names) == 5 and names[0].endswith("Test 001")
    assert not at.error
    _upload(at, _sample_curve_files())
    table = _results(at)
    assert len(table) == 3 and table["ok"].all()
    assert "your **3 files**" in _texts(at, "caption")


def _no_test_sheet() -> bytes:
    return ods_workbook({"Notes": [["operator", "Ada"], ["date", "today"]]})


BAD_FILES = {
    "no-test-sheet": (("notes.ods", _no_test_sheet(), "application/octet-stream"), "no test sheet"),
    "corrupt-zip": (("broken.zip", b"PK\x03\x04" + b"\x00garbage" * 50, "application/zip"), "not a readable zip"),  # noqa: E501
    "zip-of-10000": (None, "holds 10,000 files"),
    "100-MB-workbook": (("huge.xlsx", b"PK\x03\x04" + bytes(100_000_000), XLSX), "reads workbooks up to"),  # noqa: E501
    "unknown-type": (("scan.pdf", b"%PDF-1.4 not curves", "application/pdf"), "not a file type IndentLab reads"),  # noqa: E501
}  # fmt: skip


@pytest.mark.parametrize("kind", list(BAD_FILES))
def test_a_bad_file_gets_our_message_and_keeps_what_was_loaded(kind):
    at = _upload(_open(), ("tests.xlsx", kla_like_workbook(2), XLSX))
    before = _results(at)
    bad, message = BAD_FILES[kind]
    if bad is None:
        bad = (
            "many.zip",
            zip_of({f"c{i}.csv": b"h,P\n1,2\n" for i in range(10_000)}, level=1),
            "application/zip",
        )  # noqa: E501
    _upload(at, bad)
    errors = _texts(at, "error")
    assert "Cannot read this upload" in errors and message in errors, errors
    assert "still analysed below" in errors
    pd.testing.assert_frame_equal(_results(at), before)  # nothing already loaded is lost
    _upload(at, None)  # the bad file removed: the good one is still analysed
    assert not at.error and "(uploaded earlier)" in _texts(at, "caption")
    pd.testing.assert_frame_equal(_results(at), before)


def test_removing_the_files_forgets_them():
    at = _upload(_open(), _sample_curve_files())
    assert len(_results(at)) == 3
    _upload(at, None)
    assert "No data yet" in _texts(at, "info")


def test_the_uploader_takes_any_type_and_several_files():
    at = _open()
    uploader = at.file_uploader(key="mydata_file")
    assert uploader.accept_multiple_files
    assert uploader.allowed_type == []  # the page checks the type, not the browser
    assert "Excel" in uploader.label and uploader.help


def test_calibration_round_trip(monkeypatch):
    storages = []
    init = MemoryMediaFileStorage.__init__

    def keep(self, *args, **kwargs):
        init(self, *args, **kwargs)
        storages.append(self)

    monkeypatch.setattr(MemoryMediaFileStorage, "__init__", keep)
    at = _open()
    _upload(at, [("silica.csv", calibration_csv(), "text/csv")], "mydata_reference_file")
    assert "**Calibrated** on" in _texts(at, "success")
    assert len(at.get("vega_lite_chart")) == 2  # the area fit and its residuals
    tungsten = [("tungsten.csv", calibration_csv("tungsten"), "text/csv")]
    _upload(at, tungsten, "mydata_stiff_file")
    assert len(at.get("vega_lite_chart")) == 4  # and the compliance fit with its residuals
    summary = _texts(at, "success")
    C_f = float(summary.split("frame compliance ")[1].split(" nm/mN")[0])
    assert C_f == pytest.approx(0.3, rel=0.05)  # the truth of the calibration set
    button = next(
        b for b in at.get("download_button") if b.proto.label.startswith("Download the calib")
    )
    saved = storages[-1].get_file(button.proto.url.rsplit("/", 1)[1]).content
    calibration = json.loads(saved)
    assert calibration["area_coefficients"][0] > 0
    # the calibration, applied to another file: a simulated fused silica with the same tip
    _upload(at, ("tests.xlsx", kla_like_workbook(2), XLSX))
    ideal = _results(at)
    json_file = ("indentlab_calibration.json", saved, "application/json")
    _upload(at, json_file, "mydata_calibration_file")
    assert widget(at, "mydata_tip").value == "saved calibration (JSON)"
    summary = _texts(at, "caption")
    assert "saved calibration indentlab_calibration.json" in summary
    applied = _results(at)
    assert not applied["H (GPa)"].equals(ideal["H (GPa)"])
    # a file that is no calibration gets a message and changes nothing
    _upload(at, ("oops.json", b"{not json", "application/json"), "mydata_calibration_file")
    assert "Cannot apply oops.json" in _texts(at, "error")
    pd.testing.assert_frame_equal(_results(at), applied)


def test_real_curves_say_no_truth_exists_and_show_the_popins():
    at = _open("Real curves")
    assert not at.error
    statement = _texts(at, "info")
    assert "No truth exists for real data" in statement
    assert "the pop-in detector found" in statement
    popins = next(f.value for f in at.dataframe if "onset load (mN)" in f.value.columns)
    assert len(popins) >= 15 and popins["burst size (nm)"].min() >= 5
    assert len(_results(at)) == 18
    # the tip they were made with: a conospherical tip of 5.323 µm, Hertz beside Oliver-Pharr
    widget(at, "mydata_tip").set_value("conospherical tip")
    at.run()
    widget(at, "mydata_radius_um").set_value(5.323)
    at.run()
    hertz = next(f.value for f in at.dataframe if "E Hertz (GPa)" in f.value.columns)
    assert hertz["E Hertz (GPa)"].between(90, 160).all()
    assert "Hertz fit of the elastic loading gives" in _texts(at, "info")
    # the KLA workbook: the vendor's own results beside
    widget(at, "mydata_real").set_value("kla")
    at.run()
    assert any("E Average Over Defined Range (GPa)" in f.value.columns for f in at.dataframe)


def _multi_cycle_csv() -> bytes:
    """One test of four load-unload cycles (Kick loading, power-law unloading to half the
    peak) and one test with a broken record (a 300 nm jump at almost no load)."""
    Er = reduced_modulus(72.0, 0.17) * 1e-6
    h_parts, P_parts, P_prev = [], [], 0.0
    for P_k in (1.0, 2.0, 4.0, 8.0):
        P_up = np.linspace(P_prev, P_k, 80)
        hc = np.sqrt(P_up / (24.5 * 9.0e-6))
        S = 2 * 1.034 * Er * np.sqrt(24.5 / np.pi) * np.maximum(hc, 1e-9)
        h_up = hc + 0.75 * P_up / S
        h_f = h_up[-1] - 1.5 * P_k / S[-1]
        P_down = np.linspace(P_k, 0.5 * P_k, 80)
        h_down = h_f + (h_up[-1] - h_f) * (P_down / P_k) ** (1 / 1.5)
        h_parts += [h_up, np.full(10, h_up[-1]), h_down, h_down[::-1][1:]]
        P_parts += [P_up, np.full(10, P_k), P_down, P_down[::-1][1:]]
        P_prev = P_k
    h, P = np.concatenate(h_parts[:-1]), np.concatenate(P_parts[:-1])
    broken = h.copy()
    broken[20:] += 300.0  # during the first loading, below 5 % of the peak
    frame = pd.concat(
        [
            pd.DataFrame({"curve": "cycles", "depth_nm": h, "load_mN": P}),
            pd.DataFrame({"curve": "broken", "depth_nm": broken, "load_mN": P}),
        ]
    )
    return frame.to_csv(index=False).encode()


def test_every_unloading_is_plotted_and_a_broken_record_left_out():
    at = _upload(_open(), ("cycles.csv", _multi_cycle_csv(), "text/csv"))
    assert widget(at, "mydata_cycles").options == ["1", "2", "3", "4"]
    assert "8 unloadings in 2 tests" in _texts(at, "caption")
    left_out = _texts(at, "warning")
    assert "left out" in left_out and "broken record" in left_out and "*broken*" in left_out
    widget(at, "mydata_cycles").set_value([1, 4])
    at.run()
    assert not at.exception


#: The analysis settings: bound to the URL (the data choices and uploaders are not).
SETTINGS = (
    "mydata_nu", "mydata_tip", "mydata_radius_um", "mydata_beta", "mydata_epsilon",
    "mydata_frame_compliance", "mydata_reference_E", "mydata_reference_nu",
    *(f"mydata_C{k}" for k in range(6)),
)  # fmt: skip


def test_the_analysis_settings_live_in_the_url():
    at = _upload(_open(), ("tests.xlsx", kla_like_workbook(2), XLSX))
    for key in SETTINGS:
        assert widget(at, key).proto.query_param_key == key, key
    for uploader in at.file_uploader:  # an upload never lives in the URL
        assert not getattr(uploader.proto, "query_param_key", "")
    for key, value in (
        ("mydata_tip", "spherical tip"),
        ("mydata_radius_um", 2.0),
        ("mydata_beta", 1.05),
        ("mydata_frame_compliance", 0.2),
    ):
        widget(at, key).set_value(value)
        at.run()
        assert not at.exception
    summary = _texts(at, "caption")
    assert "spherical tip, R = 2 µm" in summary and "β = 1.05" in summary
    assert "frame compliance 0.2 nm/mN" in summary
    assert "Hertz fit of the elastic loading" in " ".join(h.value for h in at.subheader)


def test_a_mixed_upload_loads_the_good_files_and_names_the_bad_ones():
    # a researcher's 3 good files with a broken zip, a workbook without a test sheet and
    # a PDF among them: the 3 are analysed, the 3 others listed with why
    kinds = ("corrupt-zip", "no-test-sheet", "unknown-type")
    bad = [BAD_FILES[kind][0] for kind in kinds]
    at = _upload(_open(), _sample_curve_files() + bad)
    assert not at.error
    table = _results(at)
    assert len(table) == 3 and table["ok"].all()
    warning = _texts(at, "warning")
    assert "3 files could not be read and were left out" in warning
    for (name, _, _), kind in zip(bad, kinds, strict=True):
        assert f"**{name}**" in warning and BAD_FILES[kind][1] in warning, warning
    # only bad files: our message, and the good upload before stays analysed
    _upload(at, bad)
    assert "Cannot read this upload" in _texts(at, "error")
    pd.testing.assert_frame_equal(_results(at), table)
