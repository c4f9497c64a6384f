"""Find bad curves: messages on settings and the what-to-notice texts, each quoting the numbers
on screen."""

from __future__ import annotations

import math

import pandas as pd

from ui.anomalies.widgets import DEFECT_NAMES, DETECTORS, representation_label
from ui.common.score_text import BASELINE_NAMES, GUESSING

#: Where each defect type leaves its trace, and what sees it.
TYPE_HINTS = {
    "popin": "a pop-in is a short burst at low load: the pop-in-size feature or the curve "
    "rate see it directly; a small one hides in the noise of the features",
    "drift": "drift adds depth in proportion to time, most visibly in the holds: the "
    "drift-rate feature measures it directly, while on the normalised curve a slow drift is "
    "hard to tell from a slightly softer indent",
    "surface_offset": "a zero-point error shifts every depth by the same amount: H and E move "
    "only within their scatter unless it is large, but the normalised whole curve changes "
    "shape",
    "elbow": "an elbow bends the lower unloading branch: h_f / h_max, the unloading exponent "
    "and the fit R² move a little",
    "crack": "a crack burst during loading shifts every later depth: a one-off step that the "
    "curve rate sees at once",
    "pore": "a pore hit softens the contact and bursts at low load: H, E and the initial "
    "stiffness drop",
}


#: Fall of the ROC-AUC [-] below the one-component PCA that counts as "the extra components
#: model the anomalies" (smaller changes are noise).
AUC_DROP = 0.02
#: Recall of the drift curves [-] from which the notes say drift is found (below it, that
#: it hides): each note about drift follows the recall it quotes.
DRIFT_FOUND = 0.5


def input_problems(data: dict, detector: dict) -> list[str]:
    """Settings that cannot give a result: messages for ``st.error`` (empty list if fine)."""
    problems = []
    if not data["defect_types"] and data["contamination"] > 0:
        problems.append(
            "**Choose at least one defect type** in *Defect mix*: with none, the campaign "
            "has no defective curves to find."
        )
    if detector["representation"] == "features" and not detector["features"]:
        problems.append(
            "**Choose at least one physical feature** in *Physical features used*, or let "
            "the detector see the whole curve."
        )
    return problems


def data_warnings(data: dict, summary_: dict) -> list[str]:
    """Settings that run but leave little to learn: messages for ``st.warning``."""
    out = []
    if summary_["n_defect"] == 0:
        out.append(
            "**No defective curves in this campaign** (defective share 0 % or too few curves "
            "for it): there is nothing to catch, so recall, ROC-AUC and the table by type "
            "cannot be computed, and every flagged curve is a false alarm. Raise *Defective "
            "curves (%)* to score the detector."
        )
    if data["size_scale"] == 0 and summary_["n_defect"]:
        out.append(
            "**Defect size 0:** the 'defective' curves are simulated without their defect, "
            "so they are good curves with a wrong label. Every detector is at chance "
            "(ROC-AUC ≈ 0.5): what the truth says is only as good as what happened."
        )
    if summary_["n_flagged"] == 0:
        out.append(
            "**No curve scores above the threshold**, so nothing is flagged. Lower the score "
            "threshold (read the scores off the histogram) or flag a share instead."
        )
    elif summary_["n_flagged"] == summary_["n"]:
        out.append(
            "**Every curve scores above the threshold**, so everything is flagged. Raise the "
            "score threshold (read the scores off the histogram) or flag a share instead."
        )
    return out


def campaign_sample(truth: pd.DataFrame) -> str:
    """The campaign's sample(s) and peak load from its truth: "silicon (100) at 5 mN"; a
    defect drawn on a second sample that shows it is named with its share of indents."""
    counts = truth["material"].value_counts()
    loads = sorted({float(p) for p in truth["P_max_mN"]})
    at = " / ".join(f"{p:g}" for p in loads)
    if len(counts) == 1:
        return f"{counts.index[0]} at {at} mN"
    parts = [f"{name} ({count})" for name, count in counts.items()]
    return f"{', '.join(parts)} at {at} mN"


def equal_counts_note(summary_: dict) -> str:
    """Why recall equals precision when as many curves are flagged as are defective; ""
    when the counts differ (or there are no defective curves)."""
    if not summary_["n_defect"] or summary_["n_flagged"] != summary_["n_defect"]:
        return ""
    return (
        f"**Recall equals precision here by construction:** you flag {summary_['n_flagged']} "
        f"curves and {summary_['n_defect']} are defective, so every missed defect frees a "
        "flag for a non-defective curve: caught / defective and caught / flagged are the same "
        "fraction. Flagging the true share needs the truth, which a real campaign does not "
        "have; move the threshold and the two part."
    )


def type_score_text(
    by_type: pd.DataFrame | None, name: str, score: str, value: float = math.nan
) -> str:
    """ "recall 90 % (95 % interval 60–98 %; baseline, flag at random: 10 %)" for one row
    (``name``) of the type table indexed by defect, ``score`` "recall" or "ROC-AUC"; ending
    in "no better than guessing" when the interval reaches the baseline. Without the row,
    ``value`` alone (the table is missing only when there is nothing to tabulate)."""
    if by_type is None or name not in by_type.index:  # no table: the value alone, if given
        return f"{score} {value:.2f}" if math.isfinite(value) else f"{score} –"
    row = by_type.loc[name]
    if score == "recall":
        value, interval = row["recall (%)"], row["recall 95 % interval (%)"]
        base, unit, digits = row["baseline recall (%)"], " %", 0
    else:
        value, interval = row["ROC-AUC"], row["ROC-AUC 95 % interval"]
        base, unit, digits = row["baseline ROC-AUC"], "", 2
    parts = interval.split("–") if isinstance(interval, str) else []
    low = float(parts[0]) if len(parts) == 2 else math.nan
    text = (
        f"{score} {value:.{digits}f}{unit} (95 % interval {interval}{unit}; baseline, "
        f"{BASELINE_NAMES['anomaly']}: {base:.{digits}f}{unit})"
    )
    return text if math.isfinite(low) and low > base else f"{text}: {GUESSING}"


def notes(
    data: dict,
    detector: dict,
    rule: dict,
    summary_: dict,
    table: pd.DataFrame | None,
    auc_k1: float | None = None,
) -> list[str]:
    """ "What to notice" texts for the current settings and result (markdown strings).

    ``table`` is :func:`type_table` (None without defects); ``auc_k1`` the overall ROC-AUC
    of the PCA detector with one component (for the note on many components).
    """
    out = []
    by_type = table.set_index("defect (truth)") if table is not None else None

    def recall(kind: str) -> float:
        name = DEFECT_NAMES[kind]
        if by_type is None or name not in by_type.index:
            return math.nan
        return by_type.loc[name, "recall (%)"] / 100

    def quoted(name: str, score: str) -> str:
        overall = summary_["roc_auc"] if (name, score) == ("all defects", "ROC-AUC") else math.nan
        return type_score_text(by_type, name, score, overall)

    rep = detector["representation"]
    if summary_["roc_auc"] < 0.4:
        out.append(
            f"**Worse than a coin toss** ({quoted('all defects', 'ROC-AUC')}): this detector "
            "ranks the defective curves as *more normal* than the good ones. Its model of "
            "'normal' has learnt the defects (a PCA with many components rebuilds the "
            "defect shapes, even their noise, better than the good curves' noise). A score "
            "is only as good as its idea of normal, and only the truth can tell you this."
        )
    share, contamination = rule.get("share"), data["contamination"]
    if share is not None and summary_["n_defect"]:
        if share < contamination - 0.005:
            out.append(
                f"**The threshold caps the recall.** You flag {share:.1%} of the curves but "
                f"{contamination:.0%} are defective: even a perfect detector could catch at "
                f"most {min(share / contamination, 1):.0%} of them. In a real campaign you do "
                "not know the true share, which is why the score histogram matters more than "
                "a fixed percentage."
            )
        elif share > contamination + 0.005:
            out.append(
                f"**The threshold forces false alarms.** You flag {share:.1%} of the curves "
                f"but only {contamination:.0%} are defective: at least "
                f"{(share - contamination) / share:.0%} of the flags must fall on good (or "
                "rare) curves, however good the detector."
            )
    drift = recall("drift")
    if "drift" in data["defect_types"] and math.isfinite(drift):
        drift_recall = quoted(DEFECT_NAMES["drift"], "recall")
        uses_rate = rep == "features" and "drift_rate_nm_per_s" in detector["features"]
        if uses_rate and drift >= DRIFT_FOUND:
            out.append(
                f"**Drift is found through one feature** ({drift_recall}): the drift "
                "rate measured in the low-load hold. Untick *drift rate in the "
                "hold* in *Physical features used* and watch drift hide: its side effects "
                "on H and E lie within the material's scatter."
            )
        elif rep == "features" and not uses_rate and drift < DRIFT_FOUND:
            out.append(
                f"**Drift hides without the drift-rate feature** "
                f"({drift_recall}): what drift does to H, E and the energies is smaller"
                " than their scatter from indent to indent. A detector can only find "
                "what its inputs measure."
            )
        elif rep == "curve_rate" and drift < DRIFT_FOUND:
            out.append(
                f"**On the curve rate drift almost vanishes** "
                f"({drift_recall}): it adds the same tiny amount to every step, buried"
                " in the steps of loading and unloading. On the whole curve the same "
                "drift accumulates over time and stands out."
            )
    if detector["method"] == "pca_residual":
        k = detector["n_components"]
        if k >= 3 and auc_k1 is not None and math.isfinite(summary_["roc_auc"]):
            if summary_["roc_auc"] < auc_k1 - AUC_DROP:
                out.append(
                    f"**{k} components start to model the anomalies.** "
                    f"{quoted('all defects', 'ROC-AUC')} against {auc_k1:.2f} with one "
                    "component: the "
                    "extra components are spent on the shapes the defective curves share, so "
                    "they are rebuilt well and no longer stand out."
                )
            else:
                out.append(
                    f"**{k} components: {quoted('all defects', 'ROC-AUC')} against "
                    f"{auc_k1:.2f} with one component.** Components beyond the good curves' "
                    "few modes usually end up rebuilding the shapes the defective curves "
                    "share, so the anomalies stop standing out; here the score has not fallen "
                    "(yet). Raise *PCA components k* or the defective share and watch the "
                    "ROC-AUC."
                )
        elif k < 3:
            out.append(
                f"**{k} component{'s' if k > 1 else ''}:** good curves of one material vary "
                "mainly along one mode (stiffer or softer), so a small PCA rebuilds them and "
                "leaves the defects in the residual. Raise *PCA components k* to 10 or 20 "
                "and watch the ROC-AUC fall."
            )
        if rep == "curve" and by_type is not None and "elbow on unloading" in by_type.index:
            out.append(
                "**Where in the curve:** on the whole curve an elbow or a burst shifts every "
                "later point, and the residual often peaks outside the truth's region (see "
                "*residual peak in truth*). The curve rate keeps a change where it "
                "happens: switch *What the detector sees* and compare. Drift and a "
                "zero-point error act on every point, so their region is the whole curve."
            )
    if data["rare_fraction"] > 0 and summary_["n_rare"]:
        out.append(
            f"**Rare is not wrong.** {summary_['rare_flagged']} of {summary_['n_rare']} rare "
            "but physical curves are flagged. A detector finds *unusual* curves: a pop-in in "
            "a clean grain or a hard inclusion is material behaviour you may want to keep "
            "and study. Look at them (*Curves to draw* › rare but physical) before you "
            "delete anything."
        )
    elif summary_["n_defect"]:
        out.append(
            "**Unusual is not the same as wrong.** Add *rare but physical curves* (pop-ins "
            "in clean grains, hard inclusions) and see how many the detector flags with the "
            "real defects."
        )
    if by_type is not None:
        per_type = by_type.drop(index="all defects", errors="ignore")
        smaller = [
            f"{name} ({row['size missed (median)']:.3g} against {row['size caught (median)']:.3g} "
            f"{row['size unit']})"
            for name, row in per_type.iterrows()
            if row["size missed (median)"] < row["size caught (median)"]
        ]
        if smaller:
            out.append(
                "**Small defects are missed first.** Median size of the missed against the "
                "caught curves: " + "; ".join(smaller) + ". Move *Defect size* to see each "
                "type's detection rise with its size."
            )
        if len(per_type):
            worst = per_type["ROC-AUC"].idxmin()
            kind = {v: k for k, v in DEFECT_NAMES.items()}[worst]
            out.append(
                f"**Hardest for {DETECTORS[detector['method']]} on "
                f"{representation_label(rep)}: {worst}** "
                f"({quoted(worst, 'ROC-AUC')}). Physically, "
                f"{TYPE_HINTS[kind]}."
            )
    return out


def popin_note(counts: dict, n_rows: int = 0) -> str:
    """What the pop-in finder did on the campaign, against the truth."""
    shown = f"The table shows the first 10 of {n_rows} curves concerned. " if n_rows > 10 else ""
    return shown + (
        f"`learners.find_popins` (no training, no threshold to set) found {counts['found']} "
        f"bursts; of the {counts['true']} true pop-ins it found {counts['matched']} (onset "
        f"within 5 % or 0.03 mN of the true load) and missed {counts['missed']}"
        + (
            " (true onsets "
            + ", ".join(f"{v:.3g}" for v in counts["missed_loads_mN"])
            + " mN: compare them with the loads of those it found)"
            if counts["missed"]
            else ""
        )
        + f". Of its {counts['extra']} other finds, {counts['extra_on_defects']} sit on curves "
        "whose truth is another defect: a pore collapsing or a crack opening is a burst of "
        "depth too, and a detector of bursts cannot tell them from a pop-in (the load they "
        f"happen at and the grain can); {counts['extra'] - counts['extra_on_defects']} are "
        "false alarms or second bursts. The same finder runs on real curves on *My own data*."
    )
