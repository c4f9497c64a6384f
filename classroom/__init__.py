"""Learner progress and workshop classes in a SQL database (no Streamlit here).

>>> db = open_store("sqlite:///:memory:")
>>> code, key = db.create_class("Nanoindentation + ML, Monday")
>>> me = db.join(code, "Ada")
>>> db.record(code, me, "curve-1", passed=True, answer="H = 9.1 GPa")
>>> db.summary(code, key)[["learner", "exercise", "passed", "attempts"]].values.tolist()
[['Ada', 'curve-1', True, 1]]

``ui/`` reaches it through ``Store.from_engine(st.connection("classroom", type="sql")
.engine)``. See DEVELOPERS.md ("The class store").
"""

from . import progress_file
from .schema import SCHEMA_VERSION, SchemaVersionError
from .store import NewClass, Store, open_store

__all__ = [
    "SCHEMA_VERSION",
    "NewClass",
    "SchemaVersionError",
    "Store",
    "open_store",
    "progress_file",
]
