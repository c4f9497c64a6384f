"""Targets of the small-pop-in exercise of Find bad curves (no imports: the progress sidebar
of every page reads them)."""

#: Recall of the small pop-ins the exercise asks for [fraction].
EXERCISE_RECALL = 0.90
#: False alarms among the good curves the exercise allows [fraction].
EXERCISE_FALSE_ALARMS = 0.05
