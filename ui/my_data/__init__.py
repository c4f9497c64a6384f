"""My own data: reading a learner's file or pasted columns, column and unit choices,
Oliver-Pharr with a calibrated area function, notes and the hardness-by-hand exercise."""
