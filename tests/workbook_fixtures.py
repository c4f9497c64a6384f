"""Generated instrument files for the reading tests and benches (built at run time)."""

from __future__ import annotations

import io
import zipfile

import numpy as np
import pandas as pd

from simulator import simulate_curves


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
