"""The instrument over a mapping session: what it records and how it changes the curves."""

import numpy as np
import pytest

from learners import oliver_pharr
from simulator import indent_map, make_microstructure
from simulator.instrument import Session, as_session, radius_levels


@pytest.fixture(scope="module")
def ms():
    return make_microstructure("dual-phase steel", size_um=(50, 50), seed=0)


def test_session_off_gives_the_same_map_bit_for_bit(ms):
    plain = indent_map(ms, nx=8, ny=8, seed=3)
    off = indent_map(ms, nx=8, ny=8, seed=3, session=None)
    days_only = indent_map(ms, nx=8, ny=8, seed=3, session={"days": 2})
    np.testing.assert_array_equal(plain.h_nm, off.h_nm)
    np.testing.assert_array_equal(plain.h_nm, days_only.h_nm)  # days alone change no curve
    assert days_only.truth["day"].tolist() == [1] * 32 + [2] * 32


def test_session_state_is_recorded_and_deterministic(ms):
    session = {
        "tip_wear_nm_per_100": 50.0,
        "drift_wander_nm_per_s": 0.1,
        "days": 2,
        "chip_at_indent": 40,
        "chip_nm": 100.0,
    }
    a = indent_map(ms, nx=8, ny=8, seed=5, session=session)
    b = indent_map(ms, nx=8, ny=8, seed=5, session=session)
    np.testing.assert_array_equal(a.h_nm, b.h_nm)
    assert a.truth.equals(b.truth)
    t = a.truth
    for column in ("day", "time_s", "session_s", "tip_radius_nm", "tip_state", "drift_nm_per_s"):
        assert column in t
    np.testing.assert_allclose(t["session_s"], 60.0 * np.arange(64))
    assert t["time_s"].iloc[32] == 0  # the second day starts its own clock
    radius = t["tip_radius_nm"].to_numpy()
    assert np.all(np.diff(radius) >= 0) and radius[63] == pytest.approx(0.5 * 63 + 100, rel=0.02)
    assert t["tip_state"].tolist() == [0] * 40 + [1] * 24
    drift = t["drift_nm_per_s"].to_numpy()
    assert 0.03 < drift.std() < 0.3  # OU with stationary sd 0.1 nm/s
    assert np.corrcoef(drift[:-1], drift[1:])[0, 1] > 0.7  # tau = 10 indents: neighbours alike


def test_a_worn_tip_and_a_drift_change_the_curves_physically(ms):
    sharp = indent_map(ms, nx=6, ny=6, seed=1, noise=None, session={"days": 1, "indent_s": 30.0})
    worn = indent_map(ms, nx=6, ny=6, seed=1, noise=None, session={"tip_wear_nm_per_100": 2000.0})
    # a rounded tip analysed as ideal: shallower contact, Oliver-Pharr H too high, more so
    # as the tip wears
    excess = (
        oliver_pharr(worn.h_nm, worn.P_mN, 0.3)["H_GPa"]
        / oliver_pharr(sharp.h_nm, sharp.P_mN, 0.3)["H_GPa"]
    )
    assert excess.iloc[0] == pytest.approx(1, abs=0.02) and excess.iloc[-1] > 1.3
    assert np.corrcoef(np.arange(36), excess)[0, 1] > 0.7  # 0.81: depths differ by phase
    drifting = indent_map(
        ms, nx=6, ny=6, seed=1, noise=None, session={"drift_wander_nm_per_s": 0.3}
    )
    shift = drifting.h_nm[:, -1] - sharp.h_nm[:, -1]
    rate = drifting.truth["drift_nm_per_s"].to_numpy()
    assert np.corrcoef(shift, rate)[0, 1] > 0.99  # drift adds rate * time to the depth


def test_bad_sessions_are_refused():
    with pytest.raises(ValueError, match="tip_wear_nm_per_100"):
        as_session({"tip_wear_nm_per_100": -1.0})
    with pytest.raises(ValueError, match="days"):
        Session(days=0)
    with pytest.raises(ValueError, match="Unknown session"):
        as_session({"wear": 1.0})
    np.testing.assert_allclose(radius_levels(np.array([0.0, 100.0])), [0.0, 100.0], rtol=0.011)


def test_radius_levels_are_whole_nanometres_below_50_nm_and_2_percent_above():
    r = np.array([0.0, 0.3, 0.6, 12.4, 49.6, 51.0, 200.0])
    levels = radius_levels(r)
    np.testing.assert_array_equal(levels[:5], [0.0, 0.0, 1.0, 12.0, 50.0])
    np.testing.assert_allclose(levels[5:], r[5:], rtol=0.011)
    # the depth offset of a rounded Berkovich, 0.062 R, moves by at most 0.031 nm
    worn = np.linspace(0.0, 150.0, 300)  # 50 nm per 100 indents from a sharp tip
    assert np.max(0.062 * np.abs(radius_levels(worn) - worn)[worn < 50]) <= 0.031
    assert np.unique(radius_levels(worn)).size <= 110  # batches of the simulator
