"""Running the course: a learner's progress panel on Home (join a class, progress, the
progress file), the Instructor page (classes and the live view), the instructor guide built
from the app's own functions, and the glossary."""
