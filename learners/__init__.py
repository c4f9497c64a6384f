"""IndentLab's analysis: Oliver-Pharr hardness and modulus, and curve features for ML.

Units throughout: load mN, displacement nm, time s, E and H GPa, energy pJ (mN nm).

Public functions
----------------
oliver_pharr : hardness and modulus of one curve (dict) or a batch (DataFrame).
curve_features : the Oliver-Pharr columns plus energies, Kick's C, pop-in, creep, drift.
"""

from .features import curve_features
from .oliver_pharr import oliver_pharr

__all__ = ["curve_features", "oliver_pharr"]
