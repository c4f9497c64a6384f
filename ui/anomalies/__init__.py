"""Find bad curves: anomaly detectors on features or the whole curve, scored per defect
type against the truth, with the flagged curves and the exercise on small pop-ins."""
