"""Analysis of one batch of load-displacement curves: Oliver-Pharr and curve features.

- :mod:`.oliver_pharr`: hardness and modulus (Oliver & Pharr 1992, 2004), batch or one curve.
- :mod:`.analysis`: the batch pipeline behind it (segments, corrections, unloading fit).
- :mod:`.segments`, :mod:`.corrections`, :mod:`.fit_window`, :mod:`.power_law`,
  :mod:`.contact`: its steps.
- :mod:`.features`: Oliver-Pharr columns plus energies, Kick's C, pop-in, creep and drift.
- :mod:`.area_function`: calibrated tip area functions (C0-C5).
- :mod:`.rowstats`, :mod:`._inputs`: row-wise array helpers and input checks.
"""
