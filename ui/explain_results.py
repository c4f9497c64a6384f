"""Pure functions of the two explanation pages: tasks, the truth per feature, instance
picks, the scorecard, the physical checklist and the teaching texts.

Nothing here draws or caches; the pages call these and show the result, and the tests call
them directly. *Data settings* are the plain dict every supervised page uses:
``{"task", "n", "seed", "noise", "options"}`` (``task`` a :data:`simulator.TASKS` name,
``noise`` in multiples of the typical instrument noise, ``options`` further keyword
arguments of :func:`simulator.make_dataset`).
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from learners.explain import curve_segments


@dataclass(frozen=True)
class Task:
    """A task of the explanation pages.

    Attributes
    ----------
    label : str
        What the learner sees.
    dataset_task : str
        The :func:`simulator.make_dataset` task.
    options : dict
        Its options (tuples, so that the settings stay hashable).
    """

    label: str
    dataset_task: str
    options: dict


TASKS: dict[str, Task] = {
    "phase": Task("Phase under the indent (WC-Co map)", "phase", {"preset": "WC-Co hardmetal"}),
    "popin": Task(
        "Pop-in or not (quality control)",
        "quality",
        {"defect_types": ("popin",), "label_mode": "binary"},
    ),
    "clever_hans": Task("Aged or as-received steel (Clever Hans)", "confounded", {}),
}

#: What the model sees: label, representation of learners.make_pipeline, feature list.
INPUTS: dict[str, tuple[str, str, tuple[str, ...] | None]] = {
    "he": ("H and E (Oliver-Pharr)", "op", None),
    "he_nuisance": (
        "H, E + creep and drift rate",
        "features",
        ("H_GPa", "E_GPa", "creep_nm", "drift_rate_nm_per_s"),
    ),
    "correlated": (
        "H, W_p/W_t, E + creep and drift rate (correlated)",
        "features",
        ("H_GPa", "Wp_over_Wt", "E_GPa", "creep_nm", "drift_rate_nm_per_s"),
    ),
    "features": ("all 22 curve features", "features", None),
    "curve": ("the whole curve, resampled (81 points)", "curve", None),
}

#: Held-out share of the curves of a model trained on these pages.
TEST_SIZE = 0.25
#: Peak load of each dataset task's curves [mN] (simulator.make_dataset defaults).
TRAINING_LOAD_MN = {"phase": 1.0, "quality": 5.0, "confounded": 10.0, "material": 10.0}
#: Thermal drift of the two measurement days of the confounded task [nm/s].
DAY_DRIFT_NM_PER_S = (0.12, -0.04)
#: Roles of a feature against the truth, as shown in legends.
ROLES = {
    "truth": "truth (set the label)",
    "indirect": "indirect (made from the truth)",
    "nuisance": "nuisance or shortcut",
    "mixed": "mixed (principal component)",
}
#: Seeds of the stability check (LIME seed, seed + 1, ...).
N_STABILITY_SEEDS = 5
#: Verdict thresholds of the checklist.
NUISANCE_LIMIT = 0.25  # largest share of the importance on nuisance features
JACCARD_LIMIT = 0.8  # smallest mean Jaccard of the top-k sets across seeds
SPREAD_LIMIT = 0.15  # largest weight spread across seeds
#: Correlation above which two inputs count as redundant for the note on ill-posedness.
CORRELATED = 0.85

_HE_INDIRECT = {
    "Er_GPa",
    "S_mN_per_nm",
    "hc_nm",
    "h_max_nm",
    "h_f_nm",
    "hf_over_hmax",
    "W_total_pJ",
    "W_elastic_pJ",
    "W_plastic_pJ",
    "Wp_over_Wt",
    "kick_C_GPa",
    "initial_stiffness_mN_per_nm",
}
_H_ONLY_INDIRECT = _HE_INDIRECT - {"Er_GPa", "S_mN_per_nm", "initial_stiffness_mN_per_nm"}
_POPIN = {"popin_load_mN", "popin_size_nm"}
_BRANCH = re.compile(r"^([hP])_(load|unload)_(nm|mN)_at_(\d+)pct_(Pmax|hmax)$")
_HOLD = re.compile(r"^dh_(hold|drift_hold)_nm_at_(\d+)pct_t$")
#: Share of the peak load below which a pop-in changes the loading curve (pop-in loads of
#: the quality task: 0.2-0.6 mN at 5 mN, i.e. 4-12 %).
_POPIN_LOAD_SHARE_PCT = 15


def data_settings(task: str, n: int, seed: int) -> dict:
    """Data settings of a task of :data:`TASKS` (typical instrument noise)."""
    spec = TASKS[task]
    return {
        "task": spec.dataset_task,
        "n": int(n),
        "seed": int(seed),
        "noise": 1.0,
        "options": dict(spec.options),
    }


def task_kind(data: dict) -> str:
    """How the truth is stated: "he" (H and E set the label), "quality" (a defect),
    "clever_hans" (H, with drift as a shortcut) or "other"."""
    return {
        "phase": "he",
        "material": "he",
        "quality": "quality",
        "anomalies": "quality",
        "confounded": "clever_hans",
    }.get(data["task"], "other")


def _defect_types(data: dict) -> tuple[str, ...]:
    default = ("popin", "drift", "surface_offset", "elbow", "crack", "pore")
    return tuple(data.get("options", {}).get("defect_types", default))


def is_drift_feature(name: str) -> bool:
    """Does the feature measure thermal drift (the Clever Hans shortcut)?"""
    return name == "drift_rate_nm_per_s" or name.startswith("dh_drift_hold")


def feature_role(name: str, data: dict) -> str:
    """Role of one model input against the task's truth: a key of :data:`ROLES`.

    "truth": a quantity the simulator set the label with (H and E for phases, H for the
    Clever Hans task, the pop-in's load and size for pop-ins); "indirect": a quantity made
    from the truth (E_r, S, h_c, the energies, the loading branch ...); "nuisance":
    everything else (drift, creep, fit quality, a constant); "mixed": a principal component.
    """
    if re.fullmatch(r"pca\d+", name):
        return "mixed"
    missing = name.startswith("missingindicator_")
    base = name.removeprefix("missingindicator_")
    branch, hold = _BRANCH.match(base), _HOLD.match(base)
    kind = task_kind(data)
    if kind == "he":
        if base in ("H_GPa", "E_GPa") and not missing:
            return "truth"
        if (base in _HE_INDIRECT and not missing) or branch or base == "h_max_nm":
            return "indirect"
        return "nuisance"
    if kind == "clever_hans":
        if base == "H_GPa" and not missing:
            return "truth"
        if (base in _H_ONLY_INDIRECT and not missing) or branch:
            return "indirect"
        return "nuisance"
    if kind == "quality":
        truth, indirect = set(), set()
        types = _defect_types(data)
        low_load = bool(
            branch and branch.group(2) == "load" and int(branch.group(4)) <= _POPIN_LOAD_SHARE_PCT
        )
        if "popin" in types:
            truth |= _POPIN
            indirect |= {"initial_stiffness_mN_per_nm", "zero_offset_nm", "kick_C_GPa"}
            if low_load:
                return "truth" if base in truth else "indirect"
        if "drift" in types:
            truth |= {"drift_rate_nm_per_s"}
            if hold and hold.group(1) == "drift_hold":
                return "truth"
        if "surface_offset" in types:
            truth |= {"zero_offset_nm"}
            indirect |= {"kick_C_GPa", "h_max_nm", "hc_nm", "H_GPa", "E_GPa"}
        if "crack" in types:
            indirect |= _POPIN
        if "pore" in types:
            indirect |= {"H_GPa", "E_GPa"}
        if "elbow" in types:
            indirect |= {"m", "fit_r2", "fit_rmse_mN", "hf_over_hmax"}
            if branch and branch.group(2) == "unload":
                return "indirect"
        if base in truth:
            return "truth"
        return "indirect" if base in indirect else "nuisance"
    return "nuisance"


def roles(names, data: dict) -> list[str]:
    """:func:`feature_role` of every name."""
    return [feature_role(str(n), data) for n in names]


_UNITS = (
    ("_mN_per_nm", "mN/nm"),
    ("_nm_per_s", "nm/s"),
    ("_GPa", "GPa"),
    ("_pJ", "pJ"),
    ("_mN", "mN"),
    ("_nm", "nm"),
)


def feature_title(name: str) -> str:
    """An axis title with the unit, e.g. ``"H (GPa)"``, ``"h at 50 % P_max, loading (nm)"``."""
    if name.startswith("missingindicator_"):
        return f"no {name.removeprefix('missingindicator_')} found (0/1)"
    if branch := _BRANCH.match(name):
        q, part, unit, pct, ref = branch.groups()
        ref = "P_max" if ref == "Pmax" else "h_max"
        return f"{q} at {pct} % {ref}, {part}ing ({unit})"
    if hold := _HOLD.match(name):
        what, pct = hold.groups()
        return f"depth gained in the {what.replace('_', ' ')} at {pct} % of it (nm)"
    if re.fullmatch(r"pca\d+", name):
        return f"principal component {name[3:]} (-)"
    for suffix, unit in _UNITS:
        if name.endswith(suffix):
            return f"{name.removesuffix(suffix)} ({unit})"
    return f"{name} (-)"


def truth_statement(data: dict) -> str:
    """The task's truth in words, for the truth panel."""
    kind = task_kind(data)
    if kind == "he":
        return (
            "The phase (or material) under the indent sets its hardness H and modulus E; the "
            "curve carries them in the loading curvature (H) and the slope of the upper "
            "unloading (S, hence E)."
        )
    if kind == "clever_hans":
        return (
            "'aged' steel is 4 % harder than 'as-received': only H carries the label. In "
            "training, most 'aged' curves were measured on the day with +0.12 nm/s drift, so "
            "drift predicts the label there, and only there."
        )
    if kind == "quality":
        return (
            "The label is the defect. A pop-in is a burst at constant load on the loading "
            "curve: the truth is the points it changed; the material (H, E) varies in both "
            "classes and is a nuisance."
        )
    return "This task states no truth the explanation pages can use."


# --- instances -------------------------------------------------------------------------

PICKS = ("typical", "misclassified", "confounded", "by number")


@dataclass(frozen=True)
class Pick:
    """The curve to explain: its position in the pool of held-out curves, and why."""

    position: int | None
    reason: str


def _class_of_interest(data: dict, y: np.ndarray) -> str | None:
    kind = task_kind(data)
    if kind == "quality" and "defect" in set(y):
        return "defect"
    if kind == "clever_hans":
        return "aged"
    values, counts = np.unique(y, return_counts=True)
    return str(values[np.argmax(counts)]) if values.size else None


def pick_instance(
    kind: str,
    data: dict,
    truth: pd.DataFrame,
    y: np.ndarray,
    predicted: np.ndarray,
    confidence: np.ndarray,
    number: int = 0,
) -> Pick:
    """Choose a held-out curve: typical, misclassified, confounded, or by its number.

    Parameters
    ----------
    kind : one of :data:`PICKS`
    data : data settings of the pool
    truth : the pool's truth table (one row per held-out curve)
    y, predicted : true and predicted labels of the pool
    confidence : predicted probability of the predicted class, per curve
    number : position in the pool for ``"by number"``

    Returns
    -------
    Pick with ``position`` None (and the reason) when no curve fits.
    """
    y, predicted = np.asarray(y).astype(str), np.asarray(predicted).astype(str)
    n = y.size
    if kind == "by number":
        if not 0 <= number < n:
            return Pick(None, f"Curve number must be from 0 to {n - 1}. Got {number}.")
        return Pick(number, f"held-out curve {number}, chosen by number")
    correct = predicted == y
    if kind == "typical":
        interest = _class_of_interest(data, y)
        pool = np.flatnonzero(correct & (y == interest))
        pool = pool if pool.size else np.flatnonzero(correct)
        pool = pool if pool.size else np.arange(n)
        median = np.median(confidence[pool])
        i = int(pool[np.argmin(np.abs(confidence[pool] - median))])
        return Pick(i, f"a typical, correctly classified '{y[i]}' curve")
    if kind == "misclassified":
        wrong = np.flatnonzero(~correct)
        if not wrong.size:
            return Pick(None, "This model classifies every held-out curve correctly.")
        i = int(wrong[np.argmax(confidence[wrong])])
        return Pick(
            i, f"the most confidently misclassified curve: '{y[i]}' called '{predicted[i]}'"
        )
    if kind != "confounded":
        raise ValueError(f"kind must be one of {PICKS}. Got {kind!r}.")
    task = task_kind(data)
    if task == "clever_hans" and "day" in truth:
        day = truth["day"].to_numpy()
        other_day = ((y == "aged") & (day == 2)) | ((y == "as-received") & (day == 1))
        pool = np.flatnonzero(other_day)
        if not pool.size:
            return Pick(None, "No held-out curve was measured on the other class's day.")
        fooled = pool[~correct[pool]]
        pool = fooled if fooled.size else pool
        i = int(pool[np.argmax(confidence[pool])])
        return Pick(
            i,
            f"an '{y[i]}' curve measured on day {day[i]}, the day of the other class: its "
            "drift points to the wrong label",
        )
    if task == "he" and "on_interface" in truth:
        pool = np.flatnonzero(truth["on_interface"].to_numpy(dtype=bool))
        if not pool.size:
            return Pick(None, "No held-out indent sits on an interface.")
        i = int(pool[np.argmin(np.abs(confidence[pool] - 0.5))])
        return Pick(
            i, f"an indent on an interface: its zone mixes two phases (true phase '{y[i]}')"
        )
    if task == "quality" and "defect_size" in truth:
        sizes = truth["defect_size"].to_numpy(dtype=float)
        pool = np.flatnonzero(truth["defect"].to_numpy().astype(str) != "none")
        if not pool.size:
            return Pick(None, "No held-out curve has a defect.")
        i = int(pool[np.argmin(np.abs(sizes[pool]))])
        return Pick(
            i,
            f"the smallest defect ({sizes[i]:.2g} mN pop-in load). This task has no confound "
            "(the material varies in both classes), so this is its hardest case instead",
        )
    return Pick(None, "This task has no confounded curves.")


def instance_facts(data: dict, row: pd.Series) -> str:
    """What the simulator knows about one curve, in a short line."""
    kind = task_kind(data)
    facts = [f"true H {row['H_GPa']:.3g} GPa, E {row['E_GPa']:.3g} GPa"]
    if kind == "clever_hans":
        facts.append(f"day {int(row['day'])}, drift {row['drift_nm_per_s']:+.3f} nm/s")
    if kind == "he" and "on_interface" in row:
        facts.append("on an interface" if row["on_interface"] else "inside a grain")
    if kind == "quality" and "defect" in row:
        if row["defect"] == "none":
            facts.append("no defect")
        else:
            facts.append(f"{row['defect']} of size {row['defect_size']:.3g}")
        if "popin_size_nm" in row and row.get("popin_size_nm", 0) > 0:
            facts.append(f"pop-in burst {row['popin_size_nm']:.3g} nm")
    return "; ".join(facts)


def truth_region(data: dict, segment: np.ndarray, P_mN: np.ndarray, defect_points) -> tuple:
    """Where in the curve the truth lies, as (mask of points, label) and, for the Clever
    Hans task, the shortcut's mask (the drift hold) else None.

    Pop-ins and other defects: the points the defect changed (empty for a good curve).
    H and E: the loading (curvature, H) and the upper unloading (slope S, hence E).
    """
    kind = task_kind(data)
    if kind == "quality":
        return np.asarray(defect_points, dtype=bool), "points the defect changed", None
    names, masks = curve_segments(segment, P_mN)
    wanted = ("early loading", "late loading", "upper unloading")
    if kind == "clever_hans":
        wanted = ("early loading", "late loading")
    region = np.zeros(len(segment), dtype=bool)
    for name, mask in zip(names, masks, strict=True):
        if name in wanted:
            region |= mask
    label = "loading and upper unloading (H and E)" if kind == "he" else "loading (H)"
    shortcut = None
    if kind == "clever_hans":
        shortcut = np.zeros(len(segment), dtype=bool)
        for name, mask in zip(names, masks, strict=True):
            if name == "drift hold":
                shortcut |= mask
    return region, label, shortcut


# --- scorecard -------------------------------------------------------------------------


def _fmt(value, digits: int = 2) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if isinstance(value, bool | np.bool_):
        return "yes" if value else "no"
    return f"{value:.{digits}f}"


def scorecard_table(card: dict, k: int) -> pd.DataFrame:
    """The scorecard as rows: score, value (text), what it says, source.

    ``card`` holds the numbers (NaN or None where a score does not apply); see
    :func:`ui.explain_cached.explain_instance` and :func:`ui.explain_cached.explain_curve`.
    """
    rows = [
        (
            f"top-{k} agreement with the truth",
            _fmt(card.get("top_k_truth")),
            f"share of LIME's top {k} features (by |weight|) that the simulator made carry "
            "the label",
            "OpenXAI feature agreement (Krishna et al. 2022)",
        ),
        (
            f"top-{k} on physics (truth or indirect)",
            _fmt(card.get("top_k_physics")),
            "the same, counting quantities made from the truth (E_r, S, h_c, W_p/W_t ...)",
            "as above",
        ),
        (
            "rank correlation with the exact attribution",
            _fmt(card.get("rank_correlation")),
            "Spearman correlation of |LIME contribution| and |coef × (z − mean z)|: 1 = same "
            "ranking (logistic regression only)",
            "OpenXAI rank correlation",
        ),
        (
            f"sign agreement (exact top {k})",
            _fmt(card.get("sign_agreement")),
            "share of the exact attribution's top features whose LIME contribution has the "
            "same sign",
            "OpenXAI sign agreement",
        ),
        (
            f"top-{k} agreement with the exact attribution",
            _fmt(card.get("top_k_exact")),
            "share of LIME's top features that are also the exact attribution's top features",
            "OpenXAI feature agreement",
        ),
        (
            f"faithfulness gap (top {k} vs random {k})",
            _fmt(card.get("faithfulness_gap"), 3),
            f"drop of p(predicted class) when LIME's top {k} features are set to their "
            f"training mean ({_fmt(card.get('top_k_drop'), 3)}), minus the mean drop for "
            f"random {k} features ({_fmt(card.get('random_drop'), 3)}): > 0 when LIME points "
            "at what the model uses",
            "XAI-Bench removal test (Liu et al. 2021); PGI of OpenXAI",
        ),
        (
            f"prediction gap, bottom {k} (PGU)",
            _fmt(card.get("pgu"), 3),
            f"change of p(predicted class) when LIME's least important {k} features are "
            "removed: small when LIME is right that they do not matter",
            "OpenXAI PGU",
        ),
        (
            "local fit R² of LIME",
            _fmt(card.get("lime_r2")),
            "how well LIME's weighted linear model fits the model around this curve",
            "Ribeiro et al. 2016",
        ),
        (
            "pointing game: top segment in the truth region",
            _fmt(card.get("pointing_game")),
            "does the curve segment with the largest weight overlap the truth region?",
            "Zhang et al. 2018; Quantus",
        ),
        (
            "relevance mass in the truth region",
            _fmt(card.get("relevance_mass")),
            "share of the positive segment relevance (spread over each segment's points) that "
            "lies in the truth region",
            "Arras, Osman & Samek 2022",
        ),
    ]
    if "shortcut_mass" in card:
        rows.append(
            (
                "relevance mass in the drift hold (shortcut)",
                _fmt(card.get("shortcut_mass")),
                "share of the positive segment relevance in the low-load drift hold, where "
                "only drift shows",
                "as above",
            )
        )
    rows += [
        (
            f"stability: Jaccard of top {k} over {N_STABILITY_SEEDS} seeds",
            _fmt(card.get("jaccard")),
            "mean overlap of the top-k sets of LIME run with different seeds: 1 = the same "
            "features every time",
            "Visani et al. 2022",
        ),
        (
            f"stability: weight spread over {N_STABILITY_SEEDS} seeds",
            _fmt(card.get("spread")),
            "mean standard deviation of a weight across seeds / mean |weight|: 0 = identical",
            "Visani et al. 2022",
        ),
        (
            "local Lipschitz estimate",
            _fmt(card.get("lipschitz")),
            "largest change of the LIME contributions per unit change of the (standardised) "
            "inputs, over the nearest held-out curves: large = the explanation jumps",
            "Alvarez-Melis & Jaakkola 2018",
        ),
    ]
    return pd.DataFrame(rows, columns=["score", "value", "what it says", "source"])


def correlated_note(F: np.ndarray, names: list[str], weights: np.ndarray) -> str | None:
    """A note on ill-posed attribution when two of LIME's top inputs are strongly correlated.

    ``F`` are the training inputs (rows = curves), ``weights`` the LIME weights in the order
    of ``names``. Returns None when LIME's top four hold no pair with |r| >= 0.8.
    """
    top = np.argsort(-np.abs(weights), kind="stable")[:4]
    best = None
    for a_pos, a in enumerate(top):
        for b in top[a_pos + 1 :]:
            x, y = F[:, a], F[:, b]
            if np.nanstd(x) == 0 or np.nanstd(y) == 0:
                continue
            r = float(np.corrcoef(x, y)[0, 1])
            if abs(r) >= CORRELATED and (best is None or abs(r) > abs(best[2])):
                best = (a, b, r)
    if best is None:
        return None
    a, b, r = best
    wa, wb = abs(weights[a]), abs(weights[b])
    share = wa / (wa + wb) if wa + wb > 0 else math.nan
    why = (
        "Physically both follow from the same contact (W_p/W_t falls as H/E rises, Cheng & "
        "Cheng 1998)"
        if "Wp_over_Wt" in (names[a], names[b])
        else "Both are read off the same contact"
    )
    return (
        f"**Two of the top inputs say the same thing.** {names[a]} and {names[b]} correlate "
        f"at r = {r:+.2f} over the training curves, and LIME gives {names[a]} "
        f"{share:.0%} of their joint weight. {why}, so a model can lean on either; LIME "
        "samples each input on its own, off the line the real curves lie on, and how it "
        "splits the weight depends on the model and the sampling. *Which feature* is then "
        "an ill-posed question: read the pair together, or drop one and refit."
    )


# --- checklist -------------------------------------------------------------------------


@dataclass(frozen=True)
class Verdict:
    """One item of the physical checklist."""

    status: str  # "pass", "warn" or "n/a"
    headline: str
    physics: str
    table: pd.DataFrame | None = None
    values: dict = field(default_factory=dict)


def check_physics(importance: pd.DataFrame, data: dict, k: int) -> Verdict:
    """Item 1: does the model use the quantities physics says carry the answer?

    ``importance`` has columns feature, importance (permutation importance on held-out
    curves, accuracy drop), role. Pass: a truth input among the top k and at most
    :data:`NUISANCE_LIMIT` of the (positive) importance on nuisance inputs.
    """
    imp = importance.sort_values("importance", ascending=False, kind="stable")
    positive = imp["importance"].clip(lower=0)
    total = float(positive.sum())
    share = positive.groupby(imp["role"]).sum() / total if total > 0 else pd.Series(dtype=float)
    table = pd.DataFrame(
        {"role": list(ROLES), "share of importance": [float(share.get(r, 0.0)) for r in ROLES]}
    )
    physics = {
        "he": "The phase under the indent sets H and E (WC is hard and stiff, the Co binder "
        "soft and compliant): a physically meaningful model rests on them, or on quantities "
        "that follow from them at a known load.",
        "clever_hans": "Aged steel is 4 % harder and nothing else differs: drift is a property "
        "of the measurement day, not of the steel, and E is the same for both classes.",
        "quality": "A pop-in is a burst at constant load during loading: only inputs that see "
        "that burst (the pop-in features, the low-load part of the loading curve) can find it.",
    }.get(task_kind(data), "")
    top = imp.head(k)
    nuisance = float(share.get("nuisance", 0.0))
    values = {
        "nuisance_share": nuisance,
        "top_roles": list(top["role"]),
        "truth_in_top": bool((top["role"] == "truth").any()),
    }
    if total <= 0:
        return Verdict(
            "warn",
            "Shuffling no input lowers the held-out accuracy: the model uses nothing it "
            "could be checked on (it may predict one class for every curve).",
            physics,
            table,
            values,
        )
    names = ", ".join(f"{f} ({r})" for f, r in zip(top["feature"], top["role"], strict=True))
    numbers = (
        f"Top {k} by permutation importance: {names}; {nuisance:.0%} of the importance is on "
        f"nuisance inputs (limit {NUISANCE_LIMIT:.0%})."
    )
    if values["truth_in_top"] and nuisance <= NUISANCE_LIMIT:
        return Verdict("pass", "Uses the truth. " + numbers, physics, table, values)
    if nuisance > NUISANCE_LIMIT:
        return Verdict("warn", "Leans on a nuisance. " + numbers, physics, table, values)
    if top["role"].iloc[0] == "mixed":
        return Verdict(
            "warn",
            "Its inputs are principal components that mix every part of the curve, so their "
            "names cannot say; use the curve-segment explanation. " + numbers,
            physics,
            table,
            values,
        )
    return Verdict(
        "warn",
        "Uses quantities related to the truth, but not the ones the simulator set: "
        "check whether they survive a change of load (item 3). " + numbers,
        physics,
        table,
        values,
    )


SHIFT_PHYSICS = {
    "drift": "Thermal drift adds displacement in proportion to time: depths, the hold and "
    "the drift hold move, and so does the unloading slope S that E comes from.",
    "noise": "More noise blurs every point; features made from a few points (pop-in size, "
    "drift rate, creep) suffer first, fits over many points hardly.",
    "tip": "A worn, rounded tip has a larger contact area at a given contact depth than the "
    "ideal area function 24.5 h_c² says: Oliver-Pharr H comes out too high by that factor "
    "and E by its square root, the more so the shallower the indent. This is why tips are "
    "recalibrated on fused silica.",
    "load": "At another peak load the depths, stiffness and work all change (h ∝ √P for "
    "a Berkovich tip) while H and E do not: only intensive quantities carry over.",
    "clean": "On the clean test set the days are random: drift no longer goes with the "
    "class, so only the 4 % in H is left to classify by.",
}


def check_shifts(rows: pd.DataFrame, tolerance_pct: float) -> Verdict:
    """Items 2 and 3: does the accuracy survive shifted test sets?

    ``rows`` has columns shift (a key of :data:`SHIFT_PHYSICS`), test set, control
    accuracy, shifted accuracy; rows whose shifted accuracy is NaN are not available.
    """
    table = rows.copy()
    table["drop (points)"] = 100 * (table["control accuracy"] - table["shifted accuracy"])
    done = table[table["shifted accuracy"].notna()]
    if done.empty:
        return Verdict("n/a", "No shifted test set is available for this task.", "", table)
    worst = done.loc[done["drop (points)"].idxmax()]
    numbers = "; ".join(
        f"{r['test set']}: {100 * r['control accuracy']:.0f} % → "
        f"{100 * r['shifted accuracy']:.0f} %"
        for _, r in done.iterrows()
    )
    if worst["drop (points)"] <= tolerance_pct:
        return Verdict(
            "pass",
            f"Accuracy holds within {tolerance_pct:g} points. {numbers}.",
            " ".join(SHIFT_PHYSICS[s] for s in done["shift"]),
            table,
        )
    return Verdict(
        "warn",
        f"Accuracy falls by {worst['drop (points)']:.0f} points on '{worst['test set']}' "
        f"(tolerance {tolerance_pct:g}). {numbers}.",
        SHIFT_PHYSICS[worst["shift"]],
        table,
    )


def check_stability(jaccard: list[float], spread: list[float], k: int) -> Verdict:
    """Item 4: is the explanation the same with another LIME seed?"""
    J, S = float(np.mean(jaccard)), float(np.mean(spread))
    table = pd.DataFrame(
        {
            "curve": [f"held-out {i}" for i in range(len(jaccard))],
            f"Jaccard of top {k}": jaccard,
            "weight spread": spread,
        }
    )
    numbers = (
        f"Mean Jaccard of the top {k} over {N_STABILITY_SEEDS} seeds {J:.2f} (at least "
        f"{JACCARD_LIMIT:g}), weight spread {S:.2f} (at most {SPREAD_LIMIT:g}), on "
        f"{len(jaccard)} held-out curves."
    )
    physics = (
        "An explanation that changes with LIME's random seed describes LIME's sampling, not "
        "the material: make it repeatable before reading physics into it (more samples, a "
        "kernel width near lime's default)."
    )
    ok = J >= JACCARD_LIMIT and S <= SPREAD_LIMIT
    return Verdict(
        "pass" if ok else "warn", ("Stable. " if ok else "Unstable. ") + numbers, physics, table
    )


# --- texts -----------------------------------------------------------------------------


def decision_notes(
    data: dict,
    lime: pd.DataFrame,
    card: dict,
    importance: pd.DataFrame,
    lime_settings: dict,
) -> list[str]:
    """What to notice on "Why did the model decide?", from this explanation's numbers."""
    notes = []
    top = lime["feature"].iloc[0]
    top_role = lime["role"].iloc[0]
    used = importance.sort_values("importance", ascending=False)["feature"].iloc[0]
    agree = "A local explanation and a global one answer different questions" + (
        "; here they agree." if top == used else " and need not agree."
    )
    notes.append(
        f"LIME's strongest input here is **{top}** – {ROLES[top_role]}; over all held-out "
        f"curves the model leans most on **{used}** (permutation importance). {agree}"
    )
    if task_kind(data) == "clever_hans":
        drift = [f for f in lime["feature"].head(3) if is_drift_feature(f)]
        if drift:
            notes.append(
                f"**Right for the wrong reason?** {', '.join(drift)} is among LIME's top "
                "three: drift is a property of the measurement day. The model may score well "
                "in this lab and fail in the next; the clean-test accuracy in the exercise "
                "below tells."
            )
        else:
            notes.append(
                "LIME's top three hold no drift feature. Check the clean-test accuracy in "
                "the exercise below before believing the model."
            )
    if not math.isnan(card.get("rank_correlation", math.nan)):
        notes.append(
            f"For this logistic model the exact attribution is known: LIME ranks the inputs "
            f"with Spearman {card['rank_correlation']:.2f} against it. That checks LIME "
            "against the model, not the model against the physics."
        )
    settings = (
        f"With {lime_settings['num_samples']} samples and kernel width × "
        f"{lime_settings['kernel_scale']:g}"
    )
    if card.get("jaccard", 1.0) < JACCARD_LIMIT:
        samples = "the samples (spread falls about as 1/√samples)"
        correlated = (
            "if two top inputs are correlated, the swap is the correlation, not the sampling."
        )
        if lime_settings["kernel_scale"] == 1:
            advice = (
                f"The kernel width is already lime's default: raise {samples}, and {correlated}"
            )
        else:
            advice = f"Raise {samples} or move the kernel width toward 1; {correlated}"
        notes.append(
            f"**Unstable.** {settings} the top {lime_settings['k']} change with the seed "
            f"(Jaccard {card['jaccard']:.2f}, spread {card['spread']:.2f}). {advice}"
        )
    elif card.get("spread", 0.0) > SPREAD_LIMIT:
        notes.append(
            f"**The top {lime_settings['k']} hold, the weights jitter.** {settings} the same "
            f"inputs lead under every seed (Jaccard {card['jaccard']:.2f}), but the weights "
            f"spread by {card['spread']:.2f} of their mean size: read the ranking, not the "
            "decimals (with many inputs most weights are small and noisy)."
        )
    if card.get("pointing_game") is False:
        notes.append(
            "The top curve segment misses the truth region: the model (or LIME) sees this "
            "curve's class elsewhere in the curve."
        )
    return notes


def physical_notes(verdicts: list[Verdict], data: dict) -> list[str]:
    """What to notice on "Is it physically meaningful?"."""
    passed = sum(v.status == "pass" for v in verdicts)
    notes = [
        f"This model passes {passed} of {len(verdicts)} checks. Each check is a measurement "
        "with its own numbers: a pass says the model survived *this* test, not that it is "
        "right."
    ]
    if verdicts[0].status == "pass" and verdicts[2].status == "warn":
        notes.append(
            "It uses the right quantities in the lab yet fails to extrapolate: where it draws "
            "its boundaries outside the training range is not tied to the physics."
        )
    if verdicts[0].status == "warn" and verdicts[2].status == "pass":
        notes.append(
            "It extrapolates although its top inputs are not the truth: related quantities "
            "can carry over when the shift leaves them alone. The next shift may not."
        )
    if task_kind(data) == "clever_hans":
        notes.append(
            "On the Clever Hans task an honest model cannot do much better than about 65 %: "
            "a 4 % difference in H under 6 % scatter. Higher lab accuracy is the shortcut."
        )
    return notes


def clever_hans_exercise(
    data: dict, lime: pd.DataFrame, used: str, lab: float, clean: float | None
) -> tuple[str, str]:
    """Self-check of the exercise of "Why did the model decide?": a Clever Hans model whose
    explanation does not point at drift and that generalises to the clean test set.

    Returns (status, message) with status "setup", "hint" or "done".
    """
    if task_kind(data) != "clever_hans" or clean is None:
        return "setup", (
            "Choose the task *Aged or as-received steel (Clever Hans)* (or press its "
            "scenario button) to start."
        )
    top = lime["feature"].iloc[0]
    if is_drift_feature(top) or is_drift_feature(used):
        return "hint", (
            f"Not yet: LIME's top input is **{top}** and the model's most important input "
            f"overall is **{used}**; drift is still in charge. Which inputs would leave the "
            "model no drift to see?"
        )
    drop = 100 * (lab - clean)
    if clean < 0.56 or drop > 5:
        return "hint", (
            f"The explanation no longer points at drift (top: {top}), but on the clean test "
            f"set the accuracy is {clean:.0%} against {lab:.0%} in the lab. Something else "
            "still carries the day (E and S are measured during the drifting unloading)."
        )
    return "done", (
        f"Done. LIME's top input is **{top}**, the model's is **{used}**, and it scores "
        f"{clean:.0%} on the clean test set ({lab:.0%} on held-out lab curves). Lower than "
        "the drift model's lab score, and honest: 4 % in H under 6 % scatter allows no more."
    )


def physical_exercise(data: dict, verdicts: list[Verdict], inputs: str | None) -> tuple[str, str]:
    """Self-check of the exercise of "Is it physically meaningful?": on the phase task, a
    model whose importance rests on H, E and quantities made from them (at most
    :data:`NUISANCE_LIMIT` on nuisance inputs) and that still fails to extrapolate to
    another peak load (item 3).

    Returns (status, message) with status "setup", "hint" or "done".
    """
    if data["task"] != "phase":
        return "setup", "Choose the task *Phase under the indent (WC-Co map)* to start."
    physics, load = verdicts[0], verdicts[2]
    if load.status == "n/a":
        return "setup", "The peak-load test set could not be made with these settings."
    if load.status == "pass":
        return "hint", (
            "This model survives the change of peak load. Which inputs change with the load "
            "although the phase does not? Try other inputs (and a load factor of 3 or 5)."
        )
    if physics.values.get("nuisance_share", 1.0) > NUISANCE_LIMIT:
        return "hint", (
            "It fails at the new load, but it also leans on nuisance inputs: find one that "
            "fails while resting on H, E or quantities made from them."
        )
    what = INPUTS[inputs][0] if inputs in INPUTS else "these inputs"
    return "done", (
        f"Done: with *{what}* the model rests on quantities made from H and E, yet loses its "
        "accuracy at the new peak load. Depths, stiffness and work scale with the load "
        "(h ∝ √P for a Berkovich tip), H and E do not: physically related is not the same "
        "as physically meaningful."
    )


def truth_vs_use(
    informative: list[str],
    nuisance: list[str],
    names: list[str],
    model_roles: list[str],
    importance: pd.DataFrame,
    exact: pd.DataFrame | None,
) -> str:
    """The two truths side by side: what the simulator made informative, and what this
    model actually uses (permutation importance; the exact attribution where known)."""
    lines = [
        f"**The simulator made informative:** {', '.join(informative) or 'nothing stated'}"
        f"; **nuisance:** {', '.join(nuisance) or 'none'} (its truth-table columns).",
    ]
    truth_inputs = [n for n, r in zip(names, model_roles, strict=True) if r == "truth"]
    lines.append(
        "**Truth among this model's inputs:** "
        + (", ".join(truth_inputs) if truth_inputs else "none: the model cannot see them")
        + "."
    )
    imp = importance.set_index("feature")["importance"]
    top = importance.head(3)
    lines.append(
        "**What this model actually uses** (permutation importance, held-out): "
        + ", ".join(f"{f} {v:.3f}" for f, v in zip(top["feature"], top["importance"], strict=True))
        + "."
    )
    if exact is not None:
        e = exact.reindex(exact["attribution"].abs().sort_values(ascending=False).index).head(3)
        lines.append(
            "**Exact attribution of this curve:** "
            + ", ".join(
                f"{f} {v:+.2f}" for f, v in zip(e["feature"], e["attribution"], strict=True)
            )
            + " (log-odds)."
        )
    if len(truth_inputs) >= 2:
        values = imp.reindex(truth_inputs).fillna(0.0)
        lead, least = values.idxmax(), values.idxmin()
        if values[lead] > 0 and values[least] < 0.2 * values[lead]:
            lines.append(
                f"Both {lead} and {least} carry the label, yet this model leans on {lead} "
                f"({values[lead]:.3f}) and hardly on {least} ({values[least]:.3f}): one model "
                "may rely on one of two informative quantities. An explanation that misses "
                f"{least} can still be faithful to the model."
            )
    return "\n\n".join(lines)
