"""IndentLab's physics: nanoindentation curves, their defects, and the truth behind them.

Units throughout: load mN, displacement nm, time s, E and H GPa.
"""

from ._lazy import lazy_attributes

#: Public name -> submodule defining it. Importing the package imports none of them:
#: each is imported on first access (``from simulator import x`` or ``simulator.x``), so a page
#: that needs one simulated curve does not import the maps, micrographs and data sets.
_SOURCES = {
    "Curve": ".curves",
    "Curves": ".curves",
    "simulate_curve": ".curves",
    "simulate_curves": ".curves",
    "TASKS": ".datasets",
    "Dataset": ".datasets",
    "make_dataset": ".datasets",
    "IndentMap": ".grid",
    "indent_map": ".grid",
    "correlative_image": ".imaging",
    "DIAMOND_E_GPA": ".materials",
    "DIAMOND_NU": ".materials",
    "MATERIALS": ".materials",
    "Material": ".materials",
    "get_material": ".materials",
    "reduced_modulus": ".materials",
    "sample_modulus": ".materials",
    "MICROSTRUCTURES": ".microstructure",
    "Microstructure": ".microstructure",
    "make_microstructure": ".microstructure",
    "SEGMENT_CODES": ".protocol",
    "SEGMENT_NAMES": ".protocol",
    "Protocol": ".protocol",
    "time_base": ".protocol",
    "DEFAULT_NOISE": ".settings",
    "Defects": ".settings",
    "Noise": ".settings",
    "Tip": ".tips",
    "contact_area_nm2": ".tips",
    "make_tip": ".tips",
}
#: Submodules that dir() listed after the former eager import; imported on access.
_SUBMODULES = (
    "contact",
    "curves",
    "datasets",
    "grid",
    "imaging",
    "materials",
    "microstructure",
    "popins",
    "protocol",
    "settings",
    "tips",
)

__all__ = [
    "Curve",
    "Dataset",
    "TASKS",
    "make_dataset",
    "IndentMap",
    "MICROSTRUCTURES",
    "Microstructure",
    "correlative_image",
    "indent_map",
    "make_microstructure",
    "Curves",
    "DEFAULT_NOISE",
    "DIAMOND_E_GPA",
    "DIAMOND_NU",
    "Defects",
    "MATERIALS",
    "Material",
    "Noise",
    "Protocol",
    "SEGMENT_CODES",
    "SEGMENT_NAMES",
    "Tip",
    "contact_area_nm2",
    "get_material",
    "make_tip",
    "reduced_modulus",
    "sample_modulus",
    "simulate_curve",
    "simulate_curves",
    "time_base",
]


__getattr__, __dir__ = lazy_attributes(__name__, _SOURCES, _SUBMODULES)
