"""Generated instrument files for the reading tests and benches (built at run time)."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd

from simulator import Tip, simulate_curves


def kla_like_workbook(n_tests: int = 3, *, points: int = 600, extra_columns: int = 3) -> bytes:
    """An .xlsx laid out as KLA NanoSuite exports: "Results", then "Test 001", ...

    Each test sheet has the column names in the first row and the units in the second;
    load in mN, depth in nm, time in s, plus ``extra_columns`` CSM-like columns. Needs
    openpyxl (a development requirement).
    """
    curves = simulate_curves(
        n_tests,
        material="fused silica",
        noise="default",
        protocol={"data_rate_hz": points / 32.0},
        seed=1,
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="openpyxl") as writer:
        results = pd.DataFrame(
            [["Test", "E Average Over Defined Range", "H Average Over Defined Range"]]
            + [["", "GPa", "GPa"]]
            + [[k + 1, 72.0 + k, 9.0] for k in range(n_tests)]
        )
        results.to_excel(writer, sheet_name="Results", header=False, index=False)
        pd.DataFrame([["Tip", "Berkovich"]]).to_excel(
            writer, sheet_name="Required Inputs", header=False, index=False
        )
        for k in range(n_tests):
            names = ["Displacement Into Surface", "Load On Sample", "Time On Sample"]
            names += [f"Harmonic Stiffness {j}" for j in range(extra_columns)]
            units = ["nm", "mN", "s"] + ["N/m"] * extra_columns
            body = np.column_stack(
                [curves.h_nm[k], curves.P_mN[k], curves.t_s[k]]
                + [np.full(curves.n_points, 1.0e5 + j) for j in range(extra_columns)]
            )
            frame = pd.DataFrame([names, units, *body.tolist()])
            frame.to_excel(writer, sheet_name=f"Test {k + 1:03d}", header=False, index=False)
    return buffer.getvalue()


def zip_of(files: dict[str, bytes], *, level: int = 6) -> bytes:
    """A zip archive of ``{name: bytes}``."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=level) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def ods_workbook(sheets: dict[str, list[list]]) -> bytes:
    """A minimal OpenDocument spreadsheet (.ods) of ``{sheet: rows}`` (str or float cells),
    written by hand: a zip with the mimetype first and a content.xml."""
    from xml.sax.saxutils import escape

    def cell(value) -> str:
        if isinstance(value, str):
            return f'<table:table-cell office:value-type="string"><text:p>{escape(value)}</text:p></table:table-cell>'  # noqa: E501
        return f'<table:table-cell office:value-type="float" office:value="{float(value)!r}"/>'

    tables = "".join(
        f'<table:table table:name="{escape(name)}">'
        + "".join(
            f"<table:table-row>{''.join(cell(v) for v in row)}</table:table-row>" for row in rows
        )
        + "</table:table>"
        for name, rows in sheets.items()
    )
    content = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
        f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
        "</office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" '
        'manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet"
        )
        archive.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        archive.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def calibration_csv(material: str = "fused silica") -> bytes:
    """A calibration set as one CSV with a curve column: a Berkovich blunted to 200 nm and a
    0.3 nm/mN frame, default noise; fused silica at 12 depths (0.3-100 mN), or tungsten
    (``material="tungsten"``) at 8 large loads (100-500 mN) for the frame compliance."""
    silica = material == "fused silica"
    n = 12 if silica else 8
    loads = np.geomspace(0.3, 100, n) if silica else np.geomspace(100, 500, n)
    s = simulate_curves(
        n,
        material=material,
        P_max_mN=loads,
        tip=Tip("berkovich", 200.0),  # blunted to a 200 nm radius
        noise="default",
        defects={"frame_compliance_nm_per_mN": 0.3},
        seed=1 if silica else 2,
    )
    frames = [
        pd.DataFrame({"curve": k, "time_s": s.t_s[k], "depth_nm": s.h_nm[k], "load_mN": s.P_mN[k]})
        for k in range(n)
    ]
    return pd.concat(frames).dropna().to_csv(index=False).encode()
