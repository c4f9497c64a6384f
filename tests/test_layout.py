"""The layout a newcomer relies on: one ui subpackage per lesson, small modules, plain
imports, and the public names of ``learners`` importable as before the regrouping."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_LINES = 500
LESSONS = ("curve", "model_sees", "maps", "supervised", "anomalies", "explain", "my_data")
PUBLIC_NAMES = (
    "oliver_pharr", "curve_features", "map_feature_table", "scale_features", "resample_curves",
    "curve_pca", "cluster_phases", "choose_n_phases", "deconvolve", "micrograph_boundaries",
    "boundary_distance_um", "interior_indents", "score_clustering", "property_errors",
    "make_pipeline", "curve_matrix", "evaluate", "compare_random_vs_spatial",
    "learning_curve_scores", "oliver_pharr_baseline", "out_of_range_check", "Detector",
    "anomaly_inputs", "anomaly_scores", "detection_report", "explain_lime", "explain_segments",
    "exact_attribution", "score_explanation",
)  # fmt: skip


def _modules(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


@pytest.mark.parametrize("package", ["ui", "learners"])
def test_no_module_over_500_lines(package):
    long = {
        str(p.relative_to(ROOT)): n
        for p in _modules(package)
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these along their seams: {long}"


def test_every_lesson_is_a_subpackage_and_ui_has_no_flat_modules():
    flat = [p.name for p in (ROOT / "ui").glob("*.py") if p.name != "__init__.py"]
    assert not flat, f"ui/ holds only lesson subpackages: {flat}"
    for lesson in (*LESSONS, "common"):
        assert (ROOT / "ui" / lesson / "__init__.py").exists(), lesson


def test_no_alias_renames_a_project_module():
    """``from ui.maps import cached as map_cached`` undoes the layout; import by plain name."""
    renamed = []
    for path in [*_modules("ui"), *_modules("app_pages"), *_modules("tests"), *_modules("bench")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.ImportFrom) or not node.module:
                continue
            if node.module.split(".")[0] not in ("ui", "learners", "simulator"):
                continue
            for alias in node.names:
                target = ROOT / node.module.replace(".", "/") / f"{alias.name}.py"
                if alias.asname and target.exists():
                    renamed.append(f"{path.relative_to(ROOT)}: {alias.name} as {alias.asname}")
    assert not renamed, renamed


def test_public_names_still_import_from_learners():
    import learners

    missing = [name for name in PUBLIC_NAMES if not callable(getattr(learners, name, None))]
    assert not missing, missing
    assert set(PUBLIC_NAMES) <= set(learners.__all__)


def test_pages_never_rebind_an_imported_lesson_module():
    """A page that imports ``importance`` and later assigns ``importance = ...`` breaks on its
    next call of the module: names of lesson modules stay free on pages and in ui/."""
    rebound = []
    for path in [*_modules("ui"), *_modules("app_pages")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        modules = {
            alias.asname or alias.name
            for node in ast.walk(tree)
            if isinstance(node, ast.ImportFrom) and node.module
            for alias in node.names
            if (ROOT / node.module.replace(".", "/") / f"{alias.name}.py").exists()
        }
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Name) and isinstance(node.ctx, ast.Store):
                names = [node.id]
            elif isinstance(node, ast.FunctionDef | ast.Lambda):
                names = [a.arg for a in node.args.args + node.args.kwonlyargs]
            rebound += [
                f"{path.relative_to(ROOT)}:{node.lineno} {n}" for n in names if n in modules
            ]
    assert not rebound, rebound
