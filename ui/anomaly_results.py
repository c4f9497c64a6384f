"""Pure functions of the "Find bad curves" page: threshold, flags, tables, notes, exercise.

Nothing here draws or caches: the page calls these on a :class:`ui.anomaly_cached.Detection`
and shows the result, and the tests call them directly. ``truth`` is the per-curve truth
table of a Detection (``defect`` "none" for good and rare curves, ``defect_size``, ``rare``).
"Good curves" below are the curves with no defect that are not rare; rare but physical
curves are counted on their own (they are not defects, but detectors flag them).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
from sklearn.metrics import roc_auc_score

from learners.unsupervised.anomaly import detection_report
from simulator.datasets import DEFECT_SIZE_RANGES
from ui.anomaly_widgets import DEFECT_NAMES, DETECTORS, FEATURE_LABELS, representation_label

GOOD = "good"
RARE_NAMES = {"popin": "rare: pop-in in a clean grain", "inclusion": "rare: hard inclusion"}
#: Truth groups in the order charts and tables list them.
GROUP_ORDER = (GOOD, *DEFECT_NAMES.values(), *RARE_NAMES.values())
#: Unit of each defect type's size (see simulator.datasets.DEFECT_TYPES).
SIZE_UNITS = {
    "popin": "mN (pop-in load)",
    "drift": "nm/s",
    "surface_offset": "nm",
    "elbow": "nm",
    "crack": "nm",
    "pore": "pore fraction (-)",
}
#: What each curve becomes once the threshold is set: truth x flag.
OUTCOMES = (
    "defect, caught",
    "defect, missed",
    "good, flagged (false alarm)",
    "good, kept",
    "rare physical, flagged",
    "rare physical, kept",
)
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

EXERCISE_TYPE = "popin"
EXERCISE_SIZE = 0.15
#: Pop-in loads of the exercise's small pop-ins [mN].
EXERCISE_POPIN_MN = tuple(EXERCISE_SIZE * v for v in DEFECT_SIZE_RANGES["popin"])
EXERCISE_RECALL = 0.90
EXERCISE_FALSE_ALARMS = 0.05
EXERCISE_MIN_CURVES = 5


#: Fall of the ROC-AUC [-] below the one-component PCA that counts as "the extra components
#: model the anomalies" (smaller changes are noise).
AUC_DROP = 0.02


def groups(truth: pd.DataFrame) -> np.ndarray:
    """Truth group per curve: "good", the defect's name, or the rare kind's name."""
    label = truth["defect"].map(DEFECT_NAMES).fillna(GOOD)
    rare = truth["rare"].map(RARE_NAMES)
    return np.where(rare.notna(), rare, label).astype(object)


def threshold_value(score: np.ndarray, rule: dict) -> float:
    """The score above which curves are flagged: the (1 - share) quantile of the scores
    (as :meth:`learners.unsupervised.anomaly.Detector.threshold`), or the learner's score."""
    if rule["rule"] == "share":
        return float(np.quantile(np.asarray(score, dtype=float), 1 - rule["share"]))
    return float(rule["score"])


def masks(truth: pd.DataFrame) -> dict[str, np.ndarray]:
    """Boolean masks ``defect``, ``good`` (not rare) and ``rare`` over the curves."""
    defect = (truth["defect"] != "none").to_numpy()
    rare = (truth["rare"] != "").to_numpy()
    return {"defect": defect, "good": ~defect & ~rare, "rare": rare}


def outcomes(truth: pd.DataFrame, flagged: np.ndarray) -> np.ndarray:
    """Outcome per curve (one of :data:`OUTCOMES`)."""
    m = masks(truth)
    kind = np.select([m["defect"], m["rare"]], ["defect", "rare physical"], "good")
    out = np.empty(len(truth), dtype=object)
    for k, caught, kept in (
        ("defect", OUTCOMES[0], OUTCOMES[1]),
        ("good", OUTCOMES[2], OUTCOMES[3]),
        ("rare physical", OUTCOMES[4], OUTCOMES[5]),
    ):
        out[(kind == k) & flagged] = caught
        out[(kind == k) & ~flagged] = kept
    return out


def summary(truth: pd.DataFrame, score: np.ndarray, flagged: np.ndarray) -> dict:
    """Counts and rates of the flags against the truth.

    Keys: ``n``, ``n_flagged``, ``n_defect``, ``caught``, ``recall`` [-], ``n_good``,
    ``false_alarms``, ``false_alarm_rate`` [-] (of the good curves), ``n_rare``,
    ``rare_flagged``, ``precision`` [-] (defects among the flagged), ``roc_auc`` (all defects
    against good and rare curves; NaN without defects). Rates without a denominator are NaN.
    """
    m = masks(truth)

    def rate(a: int, b: int) -> float:
        return a / b if b else math.nan

    n_defect, n_good, n_rare = int(m["defect"].sum()), int(m["good"].sum()), int(m["rare"].sum())
    caught = int((flagged & m["defect"]).sum())
    false_alarms = int((flagged & m["good"]).sum())
    rare_flagged = int((flagged & m["rare"]).sum())
    auc = math.nan
    if 0 < n_defect < len(truth):
        auc = float(roc_auc_score(m["defect"], score))
    return {
        "n": len(truth),
        "n_flagged": int(flagged.sum()),
        "n_defect": n_defect,
        "caught": caught,
        "recall": rate(caught, n_defect),
        "n_good": n_good,
        "false_alarms": false_alarms,
        "false_alarm_rate": rate(false_alarms, n_good),
        "n_rare": n_rare,
        "rare_flagged": rare_flagged,
        "precision": rate(caught, int(flagged.sum())),
        "roc_auc": auc,
    }


def type_table(
    truth: pd.DataFrame,
    score: np.ndarray,
    threshold: float,
    peak_in_region: np.ndarray | None = None,
) -> pd.DataFrame:
    """Caught and missed curves by defect type, with the scores of
    :func:`learners.unsupervised.anomaly.detection_report` (each type against the good and rare curves).

    Columns: defect (truth), curves, caught, missed, recall (%), ROC-AUC, average precision,
    median |size| of the caught and of the missed curves with the size unit, and (PCA on a
    curve representation) the share of curves whose residual peaks inside the truth's
    region. Raises ValueError without defective curves (nothing to score).
    """
    score = np.asarray(score, dtype=float)
    report = detection_report(score, truth["defect"], threshold=threshold).set_index("defect")
    flagged = score > threshold
    size = truth["defect_size"].abs().to_numpy()
    rows = []
    order = [k for k in ("all", *DEFECT_NAMES) if k in report.index]
    for kind in order + [k for k in report.index if k not in order]:
        bad = (truth["defect"] != "none").to_numpy() if kind == "all" else (
            truth["defect"] == kind
        ).to_numpy()  # fmt: skip
        caught, missed = bad & flagged, bad & ~flagged
        row = {
            "defect (truth)": "all defects" if kind == "all" else DEFECT_NAMES.get(kind, kind),
            "curves": int(bad.sum()),
            "caught": int(caught.sum()),
            "missed": int(missed.sum()),
            "recall (%)": 100 * report.loc[kind, "recall"],
            "ROC-AUC": report.loc[kind, "roc_auc"],
            "avg. precision": report.loc[kind, "average_precision"],
            "size caught (median)": np.median(size[caught]) if kind != "all" and caught.any()
            else math.nan,
            "size missed (median)": np.median(size[missed]) if kind != "all" and missed.any()
            else math.nan,
            "size unit": "" if kind == "all" else SIZE_UNITS.get(kind, ""),
        }  # fmt: skip
        if peak_in_region is not None:
            row["residual peak in truth (%)"] = 100 * float(np.mean(peak_in_region[bad]))
        rows.append(row)
    return pd.DataFrame(rows)


def histogram_frame(
    group: np.ndarray, score: np.ndarray, bins: int = 40
) -> tuple[pd.DataFrame, bool]:
    """Counts of curves per truth group and score bin, and whether the score axis is log.

    The axis is logarithmic when every score is positive and the largest is more than 30
    times the median (robust z, PCA error, Elliptic Envelope, LOF: a few anomalies score
    orders of magnitude above the rest). Returns columns ``group``, ``lo``, ``hi`` (bin
    edges) and ``count``, empty bins left out.
    """
    s = np.asarray(score, dtype=float)
    lo, hi = float(np.min(s)), float(np.max(s))
    log = lo > 0 and hi > 30 * float(np.median(s))
    if hi <= lo:
        hi = lo + 1e-9 if not log else lo * 1.001
    edges = np.geomspace(lo, hi, bins + 1) if log else np.linspace(lo, hi, bins + 1)
    index = np.clip(np.searchsorted(edges, s, side="right") - 1, 0, bins - 1)
    frame = (
        pd.DataFrame({"group": group, "bin": index})
        .groupby(["group", "bin"], as_index=False)
        .size()
        .rename(columns={"size": "count"})
    )
    frame["lo"], frame["hi"] = edges[frame["bin"]], edges[frame["bin"] + 1]
    return frame[["group", "lo", "hi", "count"]], log


def pick_shown(
    truth: pd.DataFrame, score: np.ndarray, flagged: np.ndarray, inspect: str, k: int = 8
) -> tuple[int, ...]:
    """Up to ``k`` curves to draw in colour, by the view's choice (see
    :data:`ui.anomaly_widgets.INSPECT`): flagged by highest score, missed defects by largest
    true |size|, false alarms by highest score, rare curves by highest score."""
    m = masks(truth)
    score = np.asarray(score, dtype=float)
    if inspect.startswith("missed"):
        ids = np.flatnonzero(m["defect"] & ~flagged)
        order = np.argsort(-truth["defect_size"].abs().to_numpy()[ids], kind="stable")
        return tuple(int(i) for i in ids[order][:k])
    pick = {"flagged": flagged, "false": m["good"] & flagged, "rare": m["rare"]}
    ids = np.flatnonzero(pick[inspect.split()[0]])
    return tuple(int(i) for i in ids[np.argsort(-score[ids], kind="stable")][:k])


def pick_background(
    truth: pd.DataFrame, flagged: np.ndarray, seed: int, k: int = 40
) -> tuple[int, ...]:
    """Up to ``k`` good, unflagged curves (a seeded random choice) to draw in grey."""
    ids = np.flatnonzero(masks(truth)["good"] & ~flagged)
    rng = np.random.default_rng([seed, 1])
    return tuple(int(i) for i in np.sort(rng.choice(ids, size=min(k, ids.size), replace=False)))


def grid_layout(n: int, seed: int) -> pd.DataFrame:
    """A map of the campaign: the n curves laid out on a near-square grid in a seeded random
    order (the simulated campaign has no positions; a random order keeps its defect types,
    which the simulator lists in blocks, from forming stripes). Columns ``curve``,
    ``column``, ``row`` (grid indices, from 1)."""
    nx = math.ceil(math.sqrt(n))
    place = np.random.default_rng([seed, 2]).permutation(n)
    return pd.DataFrame({"curve": np.arange(n), "column": place % nx + 1, "row": place // nx + 1})


def size_texts(truth: pd.DataFrame) -> list[str]:
    """Each curve's true defect size as text ("0.31 mN (pop-in load)"; "" if no defect)."""
    return [
        f"{size:.3g} {SIZE_UNITS[kind]}" if kind in SIZE_UNITS else ""
        for size, kind in zip(truth["defect_size"], truth["defect"], strict=True)
    ]


def curve_info(
    truth: pd.DataFrame, score: np.ndarray, flagged: np.ndarray, ids: tuple[int, ...]
) -> pd.DataFrame:
    """One row per drawn curve: ``curve``, ``group``, ``size`` (text), ``score``,
    ``outcome`` and ``panel`` (the title of its small-multiple panel)."""
    rows = list(ids)
    info = pd.DataFrame(
        {
            "curve": rows,
            "group": groups(truth)[rows],
            "size": np.asarray(size_texts(truth), dtype=object)[rows],
            "score": np.asarray(score, dtype=float)[rows],
            "outcome": outcomes(truth, flagged)[rows],
        }
    )
    info["panel"] = [
        f"#{i} {g}, score {s:.3g}"
        for i, g, s in zip(info["curve"], info["group"], info["score"], strict=True)
    ]
    return info


def map_cells(
    truth: pd.DataFrame, score: np.ndarray, flagged: np.ndarray, seed: int
) -> pd.DataFrame:
    """The campaign map's cells: :func:`grid_layout` with each curve's ``outcome``,
    ``group``, ``size`` (text) and ``score``."""
    return grid_layout(len(truth), seed).assign(
        outcome=outcomes(truth, flagged),
        group=groups(truth),
        size=size_texts(truth),
        score=np.asarray(score, dtype=float),
    )


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


def _pct(x: float) -> str:
    return "–" if not math.isfinite(x) else f"{100 * x:.0f} %"


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

    rep = detector["representation"]
    if summary_["roc_auc"] < 0.4:
        out.append(
            f"**Worse than a coin toss** (ROC-AUC {summary_['roc_auc']:.2f}): this detector "
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
    if "drift" in data["defect_types"] and math.isfinite(recall("drift")):
        if rep == "features" and "drift_rate_nm_per_s" in detector["features"]:
            out.append(
                f"**Drift is found through one feature** (recall {_pct(recall('drift'))}): "
                "the drift rate measured in the low-load hold. Untick *drift rate in the "
                "hold* in *Physical features used* and watch drift hide: its side effects "
                "on H and E lie within the material's scatter."
            )
        elif rep == "features":
            out.append(
                f"**Drift hides without the drift-rate feature** (recall "
                f"{_pct(recall('drift'))}): what drift does to H, E and the energies is "
                "smaller than their scatter from indent to indent. A detector can only find "
                "what its inputs measure."
            )
        elif rep == "curve_rate":
            out.append(
                f"**On the curve rate drift almost vanishes** (recall "
                f"{_pct(recall('drift'))}): it adds the same tiny amount to every step, "
                "buried in the steps of loading and unloading. On the whole curve the same "
                "drift accumulates over time and stands out."
            )
    if detector["method"] == "pca_residual":
        k = detector["n_components"]
        if k >= 3 and auc_k1 is not None and math.isfinite(summary_["roc_auc"]):
            if summary_["roc_auc"] < auc_k1 - AUC_DROP:
                out.append(
                    f"**{k} components start to model the anomalies.** ROC-AUC "
                    f"{summary_['roc_auc']:.2f} against {auc_k1:.2f} with one component: the "
                    "extra components are spent on the shapes the defective curves share, so "
                    "they are rebuilt well and no longer stand out."
                )
            else:
                out.append(
                    f"**{k} components: ROC-AUC {summary_['roc_auc']:.2f} against "
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
                f"(ROC-AUC {per_type.loc[worst, 'ROC-AUC']:.2f}). Physically, "
                f"{TYPE_HINTS[kind]}."
            )
    return out


def exercise(data: dict, detector: dict, table: pd.DataFrame | None, summary_: dict):
    """Self-check of the exercise: catch >= 90 % of small pop-ins while flagging <= 5 % of
    the good curves. Returns ``(status, message)``, status "done", "hint" or "setup"."""
    name = DEFECT_NAMES[EXERCISE_TYPE]
    if EXERCISE_TYPE not in data["defect_types"]:
        return "setup", f"Add **{name}** to the *Defect mix* to start."
    if data["contamination"] <= 0 or summary_["n_defect"] == 0:
        return "setup", (
            "There are no defective curves in the campaign: raise *Defective curves (%)* "
            "above 0 first, then make the pop-ins small."
        )
    if data["size_scale"] > EXERCISE_SIZE:
        return "setup", (
            f"Set *Defect size* to **{EXERCISE_SIZE:g} × typical or less** (now "
            f"{data['size_scale']:g}): small pop-ins are the ones that hide."
        )
    by_type = table.set_index("defect (truth)") if table is not None else None
    n = int(by_type.loc[name, "curves"]) if by_type is not None and name in by_type.index else 0
    if n < EXERCISE_MIN_CURVES:
        return "setup", (
            f"Only {n} pop-in curves in the campaign: too few to judge. Raise the number of "
            f"curves or the defective share until there are at least {EXERCISE_MIN_CURVES}."
        )
    recall = by_type.loc[name, "recall (%)"] / 100
    fa = summary_["false_alarm_rate"]
    caught = int(by_type.loc[name, "caught"])
    said = (
        f"You catch **{recall:.0%} of the pop-ins** ({caught} of {n}) and flag **{fa:.1%} of "
        "the good curves**"
    )
    if recall >= EXERCISE_RECALL and fa <= EXERCISE_FALSE_ALARMS:
        return "done", (
            f"Done! {said}, with {DETECTORS[detector['method']]} on "
            f"{representation_label(detector['representation'])}. Now check it is not luck: "
            "does it hold for seed 1 and 2? And which other defect "
            "types does the same setting miss (table above)?"
        )
    advice = []
    if recall < EXERCISE_RECALL:
        advice.append(
            "to catch more pop-ins, flag more curves, or give the detector inputs in which a "
            "small burst stands out from the noise"
        )
    if fa > EXERCISE_FALSE_ALARMS:
        advice.append("to flag fewer good curves, raise the threshold or change the detector")
    return "hint", f"Not yet: {said}. Hint: " + "; ".join(advice) + "."


def feature_label(name: str) -> str:
    """A detector input's label with its unit (feature), or the name itself."""
    return FEATURE_LABELS.get(name, name)
