"""IndentLab's physics: nanoindentation curves, their defects, and the truth behind them.

Units throughout: load mN, displacement nm, time s, E and H GPa.
"""

from .curves import Curve, Curves, simulate_curve, simulate_curves
from .datasets import TASKS, Dataset, make_dataset
from .grid import IndentMap, indent_map
from .imaging import correlative_image
from .materials import (
    DIAMOND_E_GPA,
    DIAMOND_NU,
    MATERIALS,
    Material,
    get_material,
    reduced_modulus,
    sample_modulus,
)
from .microstructure import MICROSTRUCTURES, Microstructure, make_microstructure
from .protocol import SEGMENT_CODES, SEGMENT_NAMES, Protocol, time_base
from .settings import DEFAULT_NOISE, Defects, Noise
from .tips import Tip, contact_area_nm2, make_tip

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
