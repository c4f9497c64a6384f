"""Home's primer and the Indentation curve lesson: one simulated curve, its Oliver-Pharr
analysis against the truth, notes on each active defect, and the error-guess exercise."""
