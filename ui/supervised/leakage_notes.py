"""Teaching text of the leakage section of Classify curves, quoting the measured numbers.

Every sentence that claims an effect is conditional on the numbers: leakage is named only
when the gap exceeds the within-class null's by more than its interval.
"""

from __future__ import annotations

from learners.supervised.leakage import INTERVAL_SE
from learners.supervised.leakage_maps import over_maps_verdict
from simulator.instrument import as_session

from .leakage_tables import leakage_verdicts, split_name

#: A leakage interval wider than ± this is reported as too uncertain, not as "no leakage".
WIDE = 0.1

CAUSES = {
    "buffered": "test indents had training indents nearby (beyond the buffer, in the same "
    "rows of the raster) that share more than their phase: the grain, the tip state, the "
    "drift of the same hour",
    "day": "the held-out day's instrument state (tip radius, drift) was never seen in "
    "training, while random folds train on indents of every day",
    "tip": "the held-out tip state was never seen in training, while random folds train on "
    "indents measured with both tips",
}
#: The per-day split's cause when the instrument did not change: the days are also bands of
#: the raster, so a held-out day also loses the neighbours it shares grains with.
DAY_WITHOUT_INSTRUMENT = (
    "the instrument did not change here, but the days are also bands of the raster: a "
    "held-out day loses the training neighbours across its edges that share its grains"
)


def instrument_changes(session: dict | None) -> bool:
    """True when the map's session wears or chips the tip or lets the drift wander
    (:attr:`simulator.instrument.Session.changes_instrument`)."""
    return as_session(session).changes_instrument


def _cause(split: str, instrument: bool) -> str:
    if split == "day" and not instrument:
        return DAY_WITHOUT_INSTRUMENT
    return CAUSES.get(split, "")


def _pm(value: float, se: float) -> str:
    return f"{value:+.3f} ± {INTERVAL_SE * se:.3f}"


def split_note(row, verdict: str, instrument: bool = True) -> str:
    """One blocked split against random k-fold and its null, in words; ``instrument``:
    whether the map's instrument changed (:func:`instrument_changes`)."""
    name = split_name(row["split"])
    head = (
        f"**{name}: random k-fold minus this split = {_pm(row['gap'], row['gap_se'])}; on the "
        f"within-class shuffle (the null) {_pm(row['null_gap'], row['null_se'])}; leakage "
        f"(the difference) {_pm(row['leakage'], row['leakage_se'])}.**"
    )
    if verdict == "leak":
        return (
            f"{head} Random cross-validation flatters this model beyond what the null "
            f"explains: {_cause(row['split'], instrument)}."
        )
    if verdict == "below":
        return (
            f"{head} This split scores higher than the null predicts, beyond the interval: "
            "blocks or days that happen to be easier, not leakage."
        )
    bound = 1 - row["blocked"]
    if INTERVAL_SE * row["leakage_se"] > WIDE:
        return (
            f"{head} Too uncertain to tell: the interval of the leakage includes 0 but is wider "
            f"than ± {WIDE:g} (few folds or few indents); more indents or more days narrow it."
        )
    return (
        f"{head} No leakage beyond the null: the gap is what shuffling the curves within "
        f"each class also gives (smaller training sets, class mixtures that change from fold "
        f"to fold). Leakage can only turn errors into hits, so it could never exceed the "
        f"errors left under this split: {100 * bound:.1f} % here."
    )


def leakage_notes(result, instrument: bool = True) -> list[str]:
    """The notes of a :class:`ui.supervised.cached_leakage.MapLeakage`; ``instrument``:
    whether the map's instrument changed (:func:`instrument_changes`)."""
    verdicts = leakage_verdicts(result.model)
    out = [
        split_note(r, verdicts[r["split"]], instrument) for _, r in result.model.summary.iterrows()
    ]
    c = result.control.row("buffered")
    base = result.control.baseline
    chance = c["blocked"] <= base + INTERVAL_SE * c["blocked_se"]
    out.append(
        f"**Positive control, a 5-nearest-neighbour model that sees only the stage x, y: "
        f"random k-fold {c['random']:.3f} ± {INTERVAL_SE * c['random_se']:.3f}, buffered "
        f"{c['blocked']:.3f} ± {INTERVAL_SE * c['blocked_se']:.3f}; always the most frequent "
        f"class: {base:.3f}.** "
        + (
            "Under the buffered split it falls to chance: the buffer removed the neighbours "
            "it copied its label from."
            if chance
            else "It stays above chance under the buffered split: the buffer is shorter than "
            "the distance over which the phases stay alike. Widen it."
        )
    )
    return out


def blocks_caption(result) -> str:
    """How the blocks and the buffer were chosen, and what the split guarantees."""
    b = result.blocks
    if b.auto:
        how = (
            f"Block side {b.block_um:g} µm: at least the variogram's range ({b.range_um:.1f} µm, "
            "where the semivariance of log H and log E first reaches 95 % of its sill) and two "
            "spacings (Roberts et al. 2017)"
            + (", made smaller so that every fold gets a block" if b.shrunk else "")
            + f". Buffer {b.buffer_um:g} µm: the larger of two zones of influence "
            f"(2 × {b.zone_um:.1f} µm, 4 contact radii of the largest indents) and the grain "
            f"size ({b.grain_um:g} µm)."
        )
    else:
        how = (
            f"Block side {b.block_um:g} µm and buffer {b.buffer_um:g} µm, set by hand (the "
            f"variogram's range is {b.range_um:.1f} µm)."
        )
    return (
        f"{how} What the split guarantees: no test indent has a training indent closer than "
        f"the buffer (nearest here: {result.nearest_um:.1f} µm). It does not remove what "
        "indents share through time (the tip, the drift): the per-day split does."
    )


def instrument_caption(truth) -> str:
    """What the simulated instrument did, from the truth table."""
    radius = truth["tip_radius_nm"]
    drift = truth["drift_nm_per_s"]
    return (
        f"Over {int(truth['day'].max())} day(s) the tip's rounding radius went from "
        f"{radius.iloc[0]:.0f} to {radius.iloc[-1]:.0f} nm and the drift rate ranged "
        f"{drift.min():+.2f} to {drift.max():+.2f} nm/s. The curves are analysed as if the tip "
        "were ideal and without drift correction: these are causes the label knows nothing of."
    )


def over_maps_notes(summary, single, instrument: bool = True) -> list[str]:
    """What the repeat on independent maps shows, split by split, against the learner's map.

    ``summary``: :func:`learners.supervised.leakage_maps.summarise_over_maps`; ``single``:
    the learner's map's :class:`learners.supervised.leakage.LeakageMeasurement`;
    ``instrument``: whether the map's instrument changed (:func:`instrument_changes`).
    """
    one = single.summary.set_index("split")
    out = []
    for _, r in summary.iterrows():
        name = split_name(r["split"])
        head = (
            f"**{name}, {int(r['n_maps'])} maps: leakage {_pm(r['leakage'], r['leakage_se'])} "
            f"(± 2 se over the maps)"
        )
        if r["split"] in one.index:
            s = one.loc[r["split"]]
            head += f"; your map alone: {_pm(s['leakage'], s['leakage_se'])}"
        head += ".**"
        verdict = over_maps_verdict(r)
        if verdict == "leak":
            text = (
                f" Over the maps random k-fold flatters this model beyond the null: "
                f"{_cause(r['split'], instrument)}. Only {int(r['maps_leaking'])} of "
                f"{int(r['n_maps'])} maps show it within their own interval"
                + (
                    ": one map's few folds cannot see an effect this small."
                    if r["maps_leaking"] < r["n_maps"] / 2
                    else "."
                )
            )
        elif verdict == "below":
            text = " The blocked split scores higher than the null predicts: not leakage."
        elif verdict == "none":
            text = (
                " No leakage beyond the null over the maps: 0 lies inside the interval. "
                "Its width says how large an effect these settings could still hide."
            )
        else:
            text = " One map gives no spread over maps: choose more maps."
        out.append(head + text)
    return out
