"""Why did the model decide? and Is it physically meaningful?: the tasks and their truth
(``tasks``), the explained model (``models``, ``cached``), LIME and its scorecard, permutation
importance (``inspection``), shifted test sets (``stress``), the checklist (``checklist``)."""
