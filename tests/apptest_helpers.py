"""Helpers shared by the AppTest page tests: find a widget by key, set widgets in order."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

#: Every widget kind the pages use; keys are unique across kinds, so a look-up over all of
#: them finds the one widget with a key.
WIDGET_KINDS = (
    "slider", "select_slider", "number_input", "selectbox", "multiselect", "radio",
    "text_input", "toggle", "checkbox", "button", "file_uploader",
)  # fmt: skip


def widget(at: AppTest, key: str):
    """The widget with ``key``, whatever its type."""
    for kind in WIDGET_KINDS:
        found = [w for w in getattr(at, kind) if w.key == key]
        if found:
            return found[0]
    raise KeyError(key)


def apply(at: AppTest, values: dict) -> AppTest:
    """Set each widget in ``values`` (in order, one rerun each) and return the app."""
    for key, value in values.items():
        widget(at, key).set_value(value)
        at.run()
        assert not at.exception, f"{key}={value!r}: {at.exception}"
    return at
