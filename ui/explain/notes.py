"""What to notice on the explanation pages, and the truth in words, from this explanation's
numbers."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from ui.common.score_text import BASELINE_NAMES, GUESSING, sentence

from .checklist import Verdict, noise_mask
from .tasks import CORRELATED, JACCARD_LIMIT, ROLES, SPREAD_LIMIT, is_drift_feature, task_kind


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


def guessing_warning(scored) -> str:
    """The warning over a model that does not beat its baseline on its held-out curves."""
    return (
        f"**This model is {GUESSING}:** "
        + sentence("held-out accuracy", scored, BASELINE_NAMES["classification"], 2)
        + ". Its explanations describe a model that has learned nothing the baseline lacks; "
        "no check on this page credits it."
    )


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
    real = importance[~noise_mask(importance)].sort_values("importance", ascending=False)
    if real.empty:
        notes.append(
            f"LIME's strongest input here is **{top}** – {ROLES[top_role]}; but over all "
            "held-out curves every permutation importance is indistinguishable from zero: "
            "nothing shows which input the model leans on, so no explanation of it can be "
            "checked against its use."
        )
    else:
        used = real["feature"].iloc[0]
        agree = "A local explanation and a global one answer different questions" + (
            "; here they agree." if top == used else " and need not agree."
        )
        notes.append(
            f"LIME's strongest input here is **{top}** – {ROLES[top_role]}; over all "
            f"held-out curves the model leans most on **{used}** (permutation importance, "
            f"beyond its noise). {agree}"
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
        if card.get("reference") == "exact attribution":
            notes.append(
                f"For this two-class logistic model the exact attribution is known: LIME "
                f"ranks the inputs with Spearman {card['rank_correlation']:.2f} against it. "
                "That checks LIME against the model, not the model against the physics."
            )
        else:
            notes.append(
                "With more than two classes, coef × (z − mean z) decomposes only a softmax "
                "score, not the log-odds LIME explains; the reference here is the occlusion "
                "of the one-vs-rest log-odds (each input set to its mean alone), which is "
                f"exact for what it measures but not additive. LIME ranks the inputs with "
                f"Spearman {card['rank_correlation']:.2f} against it."
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
    if card.get("pointing_game") is False and not card.get("segment_noise", False):
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
    noise = noise_mask(importance)
    imp = importance.set_index("feature")["importance"].where(~noise.to_numpy(), 0.0)
    top = importance.head(3)
    if noise.all():
        lines.append(
            "**What this model actually uses** (permutation importance, held-out): every "
            "input's importance is indistinguishable from zero (its 95 % interval over the "
            "shuffles reaches 0): the numbers cannot say what this model uses."
        )
    else:
        lines.append(
            "**What this model actually uses** (permutation importance, held-out, 95 % "
            "interval over the shuffles): "
            + ", ".join(
                f"{f} {v:.3f} ({lo:.3f} to {hi:.3f}"
                + (", indistinguishable from zero)" if n else ")")
                for f, v, lo, hi, n in zip(
                    top["feature"],
                    top["importance"],
                    top.get("low", top["importance"]),
                    top.get("high", top["importance"]),
                    noise.head(3),
                    strict=True,
                )
            )
            + "."
        )
    if exact is not None:
        e = exact.reindex(exact["attribution"].abs().sort_values(ascending=False).index).head(3)
        name = exact.attrs.get("name", "exact attribution")
        lines.append(
            f"**{name[0].upper() + name[1:]} of this curve:** "
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
