"""Controls of the map task on the Classify page: the instrument over the session and the
blocks of the buffered spatial split.

The instrument settings become the ``session`` option of :func:`simulator.make_dataset`
(None when everything is off, so the default map is the same as before); the block settings
are ``data["blocks"]``: ``{"auto": bool, "block_um": float, "buffer_um": float}``.
"""

from __future__ import annotations

import streamlit as st

from simulator.instrument import LITERATURE_WEAR_NM_PER_100

from .options import CHIP_SIZES_NM, CLS_DEFAULTS, DRIFT_TAU_S, INDENT_S, TIP_WEAR_RATES


def bound(widget, *args, **kwargs):
    """Call a Streamlit widget bound to the URL and kept for the whole session."""
    return widget(*args, **kwargs, bind="query-params", persist_state="session")


def session_controls(n_indents: int) -> dict | None:
    """Tip wear, a chip, drift wander and days; None when all are off."""
    d = CLS_DEFAULTS
    wear = bound(
        st.select_slider,
        "Tip wear (nm of tip radius per 100 indents)",
        TIP_WEAR_RATES,
        value=d["cls_tip_wear"],
        key="cls_tip_wear",
        help="How fast the Berkovich tip's rounding radius grows with the indent count, in nm "
        f"per 100 indents. On sapphire it is about {LITERATURE_WEAR_NM_PER_100:g} nm per 100 "
        "indents (+7 % over thousands of indents, J. Mater. Res. 36 (2021) 4449); the larger "
        "values are a teaching exaggeration (an abrasive phase, a worn-out tip). Curves are "
        "analysed as if the tip were ideal.",
    )
    chip = bound(
        st.select_slider,
        "Tip chip at mid-map (nm added to the radius)",
        CHIP_SIZES_NM,
        value=d["cls_chip_nm"],
        key="cls_chip_nm",
        help="A chip half-way through the raster (between days 1 and 2 of a two-day map): "
        "the tip's rounding radius jumps by this many nm. Before and after are two tip "
        "states; the per-tip split leaves one out. 0: no chip.",
    )
    wander = bound(
        st.slider,
        "Drift wander (nm/s)",
        0.0,
        0.5,
        d["cls_drift_wander"],
        0.05,
        key="cls_drift_wander",
        help="Standard deviation, in nm/s, of a thermal drift rate that wanders in time "
        f"(Ornstein-Uhlenbeck, correlation time {DRIFT_TAU_S / 60:g} min, restarted each "
        "day); typical drift is 0.01-0.1 nm/s. The curves are not drift-corrected.",
    )
    days = bound(
        st.slider,
        "Measurement days",
        1,
        5,
        d["cls_days"],
        1,
        key="cls_days",
        help=f"The map is measured over this many days, in equal runs of the raster "
        f"({INDENT_S:g} s per indent). The per-day split leaves one day out.",
    )
    session = {
        "indent_s": INDENT_S,
        "tip_wear_nm_per_100": float(wear),
        "chip_at_indent": (n_indents + 1) // 2 if chip > 0 else -1,
        "chip_nm": float(chip),
        "drift_wander_nm_per_s": float(wander),
        "drift_tau_s": DRIFT_TAU_S,
        "days": int(days),
    }
    off = wear == 0 and chip == 0 and wander == 0 and days == 1
    return None if off else session


def block_controls() -> dict:
    """Blocks and buffer by the book (variogram range, zone of influence, grain) or by hand."""
    d = CLS_DEFAULTS
    auto = bound(
        st.checkbox,
        "Blocks and buffer by the book",
        value=d["cls_auto_blocks"],
        key="cls_auto_blocks",
        help="On: the buffered split's block side is the range of spatial autocorrelation of "
        "the map's H and E (its variogram), at least two spacings; the buffer is the larger "
        "of two zones of influence (4 contact radii each) and the grain size. Off: the block "
        "size slider above and the buffer below.",
    )
    buffer = bound(
        st.slider,
        "Buffer around test blocks (µm)",
        0.0,
        30.0,
        d["cls_buffer_um"],
        1.0,
        key="cls_buffer_um",
        disabled=auto,
        help="Training indents closer than this, in µm, to any test indent are left out of "
        "that fold's training: the buffered split guarantees that no test indent has a "
        "training indent within this distance.",
    )
    return {"auto": bool(auto), "buffer_um": float(buffer)}


def more_maps_controls(choices: tuple[int, int, int]) -> tuple[int, bool]:
    """How many independent maps, and whether the learner asked for the measurement now."""
    low, default, high = choices
    n_maps = bound(
        st.select_slider,
        "Independent maps",
        list(range(low, high + 1, 2)),
        value=default,
        key="cls_more_maps_n",
        help="Maps with the same settings and new seeds (the next seeds after yours): a new "
        "microstructure, new noise, the same instrument. Each map takes about as long as "
        "the leakage comparison of one Train: under 2 s for logistic regression, k-NN or "
        "an SVM, 5-15 s for boosting, a random forest or a neural network.",
    )
    asked = st.button(
        f"Measure the leakage on {n_maps} maps",
        key="cls_more_maps_go",
        help="Runs the comparison above (random k-fold against each blocked split, beside "
        "the within-class null) on each map with your model settings; the result stays "
        "shown until you change a setting.",
    )
    return int(n_maps), bool(asked)
