"""The batch Oliver-Pharr analysis gives the previous implementation's results on fixed curves.

``tests/data/oliver_pharr_reference.npz`` holds the input curves of 14 cases (242 curves;
float64 exactly as analysed) and the outputs of :func:`learners.oliver_pharr` and
:func:`learners.curve_features` written by ``tests/data/make_oliver_pharr_reference.py``
with main's implementation before the fit window was compacted (issue 18), which has the
robust unloading of issue 13 and the Feng-Ngan correction of issue 16. Every case is
recomputed from the stored inputs (the simulator is not run) and every column compared.

Tolerance: a value passes when |new - ref| <= 1e-10 * max(|ref|, 1), i.e. 1e-10 relative
for values above 1 and 1e-10 absolute below (h_f, m, H, areas in nm^2 ... span many
magnitudes; a purely absolute bound would be meaningless for A_nm2 ~ 1e6, a purely relative
one for values that cross zero such as drift rates). NaN must sit at the same places;
booleans, integers and the ``reason`` strings must be equal.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pytest

# tests/data is not a package (and the repository root has a data/ folder of its own)
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "data"))

from make_oliver_pharr_reference import OUT, options, run_case, stored_inputs  # noqa: E402

TOLERANCE = 1e-10
REFERENCE = np.load(OUT)
INPUTS = stored_inputs(REFERENCE)
OPTIONS = options()


def test_reference_file_is_small_and_complete():
    assert OUT.stat().st_size < 3_000_000
    names = {key.split("/")[0] for key in REFERENCE.files}
    assert names == set(OPTIONS) == set(INPUTS)
    n_curves = sum(INPUTS[name]["h_nm"].shape[0] for name in names)
    assert n_curves >= 240
    for name, arrays in INPUTS.items():
        assert {"h_nm", "P_mN"} <= set(arrays) <= {"h_nm", "P_mN", "t_s", "segment"}, name
        assert arrays["h_nm"].dtype == arrays["P_mN"].dtype == np.float64, name


@pytest.mark.parametrize("name", sorted(OPTIONS))
def test_outputs_match_reference(name):
    new = run_case(INPUTS[name], OPTIONS[name])
    stored = sorted(
        k.removeprefix(f"{name}/")
        for k in REFERENCE.files
        if k.startswith(name + "/") and not k.startswith(f"{name}/in/")
    )
    assert sorted(new) == stored
    for key in stored:
        ref, got = REFERENCE[f"{name}/{key}"], new[key]
        assert got.shape == ref.shape, key
        if ref.dtype.kind in "fc":
            got = got.astype(float)
            np.testing.assert_array_equal(np.isnan(got), np.isnan(ref), err_msg=key)
            both = ~np.isnan(ref)
            error = np.abs(got[both] - ref[both]) / np.maximum(np.abs(ref[both]), 1.0)
            worst = error.max(initial=0.0)
            assert worst <= TOLERANCE, f"{key}: scaled error {worst:.2e}"
        else:
            np.testing.assert_array_equal(got, ref, err_msg=key)
