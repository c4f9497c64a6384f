"""The batch Oliver-Pharr analysis gives today's results on a fixed set of ~300 curves.

``tests/data/oliver_pharr_reference.npz`` holds the outputs of :func:`learners.oliver_pharr`
and :func:`learners.curve_features` written by ``tests/data/make_oliver_pharr_reference.py``
with the implementation before the fit window was compacted (issue 18). Every case is
recomputed and every column compared.

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

DATA = Path(__file__).parent / "data"
sys.path.insert(0, str(DATA))

from make_oliver_pharr_reference import OUT, cases, run_case  # noqa: E402

TOLERANCE = 1e-10
REFERENCE = np.load(OUT)
CASES = cases()


def test_reference_file_is_small_and_complete():
    assert OUT.stat().st_size < 1_000_000
    names = {key.split("/")[0] for key in REFERENCE.files}
    assert names == set(CASES)
    n_curves = sum(REFERENCE[f"{name}/op/H_GPa"].shape[0] for name in names)
    assert n_curves >= 300


@pytest.mark.parametrize("name", sorted(CASES))
def test_outputs_match_reference(name):
    inputs, options = CASES[name]
    new = run_case(inputs, options)
    stored = sorted(k.removeprefix(f"{name}/") for k in REFERENCE.files if k.startswith(name + "/"))
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
