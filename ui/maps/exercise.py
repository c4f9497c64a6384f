"""The exercises of the map pages (the deepest map that obeys both rules; separate two close
phases) and their self-checks."""

from __future__ import annotations

from .rules import DEPTH_RULE, EXERCISE_ARI, EXERCISE_PRESET
from .tables import rules_hold


def depth_exercise(summary: dict, deeper: dict | None, deeper_label: str = ""):
    """Feedback on "the deepest map that obeys both rules"; returns ``(done, message)``.

    ``deeper`` is the summary of the same map one step further along the depth slider (None
    at its end), ``deeper_label`` that step ("2 mN", "200 nm").
    """
    spacing_ok, depth_ok = rules_hold(summary)
    if not (spacing_ok and depth_ok):
        reasons = []
        if not spacing_ok:
            reasons.append(f"the spacing is only {summary['spacing_ratio']:.1f} × the depth")
        if not depth_ok:
            reasons.append(
                f"h_max ≈ {summary['h_D_nm']:.0f} nm in "
                f"{summary.get('D_phase') or 'the smallest phase'} exceeds its D / 10 = "
                f"{100 * summary['D_um']:.0f} nm"
            )
        return False, f"Too deep: {' and '.join(reasons)}. Move the depth slider left."
    if deeper is not None and all(rules_hold(deeper)):
        return False, (
            f"Both rules hold here, but they still hold at {deeper_label}: go deeper "
            "(a deeper indent averages more roughness and is less sensitive to the surface)."
        )
    return True, (
        f"Right: at h_max ≈ {summary['h_nm']:.0f} nm the spacing is "
        f"{summary['spacing_ratio']:.0f} × the depth and the depth "
        f"{100 * summary['depth_ratio']:.0f} % of D; one step deeper breaks a rule."
    )


def phase_exercise(preset: str, summary: dict, choice: dict, ari: float) -> tuple[str, str]:
    """Self-check of "separate two close phases" from the current settings.

    Returns ``(status, message)``, status one of ``"other"`` (not on the exercise's
    microstructure), ``"done"`` (ARI >= 0.8) or ``"hint"``.
    """
    if preset != EXERCISE_PRESET:
        return "other", (
            f"This exercise uses the **{EXERCISE_PRESET}** microstructure: choose it under "
            "Map settings › Microstructure (the map is shared with Property maps)."
        )
    if ari >= EXERCISE_ARI:
        return "done", (
            f"Done: ARI = {ari:.2f} ≥ {EXERCISE_ARI:g}. At h_max ≈ {summary['h_nm']:.0f} nm "
            f"the indents are shallow against the β lamellae (D ≈ {summary['D_um']:.2f} µm), "
            "so most of them measure one phase, and the clustering can separate phases only "
            "0.8 × apart in E and H."
        )
    if summary["depth_ratio"] > DEPTH_RULE:
        hint = (
            f"your indents (h_max ≈ {summary['h_D_nm']:.0f} nm in "
            f"{summary['D_phase']}) are deep compared with the "
            f"{summary['D_phase']} lamellae (D ≈ {summary['D_um']:.2f} µm, D / 10 ≈ "
            f"{100 * summary['D_um']:.0f} nm): {summary['interface_pct']:.0f} % of them mix α "
            "and β. Make the indents shallower."
        )
    elif choice["k"] != 2 and choice["method"] not in ("dbscan", "hdbscan"):
        hint = "there are two phases: set k = 2."
    elif choice["method"] != "gmm":
        hint = (
            "β is a small population (15 %) close to α; k-means cuts the cloud into "
            "round pieces of similar size. A Gaussian mixture lets each phase have its own "
            "size and shape."
        )
    elif not {"H_GPa", "E_GPa"} <= set(choice["columns"]):
        hint = "use both H and E: β is softer *and* more compliant than α."
    elif choice["scaling"] != "log":
        hint = "H and E scatter by ratios: try the log scaling."
    else:
        hint = "shallower still, or less instrument noise: shallow indents are noisy."
    return "hint", f"ARI = {ari:.2f}, not yet {EXERCISE_ARI:g}. Hint: {hint}"
