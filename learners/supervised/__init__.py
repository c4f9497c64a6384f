"""Supervised learning on curves and its honest evaluation.

- :mod:`.representations`: what a model sees (Oliver-Pharr, features, curve, PCA).
- :mod:`.models`: classifier and regressor pipelines.
- :mod:`.splits`, :mod:`.evaluation`, :mod:`.scores`: splits (random, k-fold, spatial,
  buffered spatial, group, day, tip, clean test), cross-validated evaluation and its reports.
- :mod:`.leakage`, :mod:`.variogram`: leakage against a within-class null with corrected
  intervals; the variogram range that sizes spatial blocks.
- :mod:`.baselines`: the Oliver-Pharr baseline and the out-of-range check.
- :mod:`.separability`: how well small feature subsets separate the classes.
"""
