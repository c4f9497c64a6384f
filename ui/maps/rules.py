"""The map rules and the targets of the map exercises (no imports: the progress sidebar of
every page reads them)."""

#: Spacing / depth below which neighbouring indents interact (Phani & Oliver 2019).
SPACING_RULE = 10.0
#: Depth / phase size above which an indent mixes phases (Constantinides et al. 2006).
DEPTH_RULE = 0.1
#: The "separate two close phases" exercise of "Find the phases": its preset and the ARI
#: it asks for.
EXERCISE_PRESET = "Ti-6Al-4V"
EXERCISE_ARI = 0.8
