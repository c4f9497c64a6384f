"""Issue 14: every score a page shows has its baseline and its interval beside it.

:func:`bare_scores` reads what an AppTest run shows (metrics, tables, texts, chart titles and
axes) and lists every score that stands without them. A score is a shown number next to
one of :data:`SCORE_WORDS`; "beside it" means:

- a metric: its delta holds "±" (or "interval") and "baseline";
- a table: a score column has an interval column (named with "interval" or "±", next to it
  or naming the same score), and the table names its baseline (a column or a row);
- a text (markdown, caption, info, warning, success): the sentence that quotes the score
  holds "±" or "interval", and "baseline";
- a chart whose title or an axis title names a score: its spec holds "baseline" and "±" or
  "interval" (an error band or bars, a baseline rule, named in the legend or title).
"""

from __future__ import annotations

import json
import re

import pandas as pd

#: Words that name a score (case-insensitive; R² as written on the pages).
SCORE_WORDS = re.compile(
    r"balanced accuracy|accuracy|ROC[- ]AUC|\bAUC\b|\bARI\b|adjusted rand|R²|\bMAE\b|\bRMSE\b"
    r"|\berror\b|\brecall\b|\bprecision\b|\bF1\b",
    re.IGNORECASE,
)
#: A score word followed closely by a number (a score quoted in a text), not by a count
#: ("you flag 40 curves").
QUOTED = re.compile(
    rf"(?:{SCORE_WORDS.pattern})[^.;\d≥≤<>]{{0,30}}?[-−+]?\d[\d.]*(?!\d|\s*(?:curves|indents|of\b))",
    re.IGNORECASE,
)
INTERVAL = re.compile(r"±|interval", re.IGNORECASE)
#: Names that hold a score word but are no score of a model (features of a curve's fit,
#: a detector's name, a per-curve signed error). Pages pass more with ``ignore``.
NOT_SCORES = (
    r"fit R²",
    r"fit RMSE",
    r"reconstruction error",
    r"Error of [HE]",
    r"error against E/H",
    r"error \(%\)$",
)


def _is_ignored(text: str, ignore: tuple[str, ...]) -> bool:
    return any(re.search(p, text, re.IGNORECASE) for p in (*NOT_SCORES, *ignore))


def sentences(text: str) -> list[str]:
    """A text cut into sentences (a decimal point does not end one)."""
    return [s for s in re.split(r"(?<=[.!?:])\s+(?=[A-Z*(])|\n+", text) if s.strip()]


def bare_in_text(text: str, ignore: tuple[str, ...] = ()) -> list[str]:
    """The sentences of ``text`` that quote a score without an interval and a baseline."""
    out = []
    for s in sentences(text):
        quoted = [  # a match with the words before it ("local fit R² 0.66")
            m.group(0)
            for m in QUOTED.finditer(s)
            if not _is_ignored(s[max(0, m.start() - 20) : m.end()], ignore)
        ]
        if quoted and not (INTERVAL.search(s) and "baseline" in s.lower()):
            out.append(s)
    return out


def bare_in_table(frame: pd.DataFrame, ignore: tuple[str, ...] = ()) -> list[str]:
    """The score columns of ``frame`` without an interval column or a baseline."""
    columns = [str(c) for c in frame.columns]
    named_baseline = any("baseline" in c.lower() for c in columns) or any(
        frame[c].astype(str).str.contains("baseline", case=False).any()
        for c in frame.columns
        if not pd.api.types.is_numeric_dtype(frame[c])
    )
    out = []
    for i, c in enumerate(columns):
        word = SCORE_WORDS.search(c)
        if not word or INTERVAL.search(c) or "baseline" in c.lower() or _is_ignored(c, ignore):
            continue
        if not pd.api.types.is_numeric_dtype(frame.iloc[:, i]):
            if frame.iloc[:, i].astype(str).str.contains("±").all():
                if not named_baseline:
                    out.append(f"{c} (no baseline)")
                continue
        following = columns[i + 1] if i + 1 < len(columns) else ""
        has_interval = bool(INTERVAL.search(following)) or any(
            INTERVAL.search(o) and word.group(0).lower() in o.lower() for o in columns if o != c
        )
        if not has_interval:
            out.append(f"{c} (no interval)")
        if not named_baseline:
            out.append(f"{c} (no baseline)")
    return out


def _titles(node) -> list[str]:
    """Chart and axis titles (and subtitles) in a Vega-Lite spec."""
    out = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("title", "subtitle", "text") and isinstance(value, str):
                out.append(value)
            elif key in ("title", "subtitle") and isinstance(value, list):
                out.extend(str(v) for v in value)
            else:
                out.extend(_titles(value))
    elif isinstance(node, list):
        for value in node:
            out.extend(_titles(value))
    return out


def bare_in_chart(spec: dict, ignore: tuple[str, ...] = ()) -> list[str]:
    """The titles of a chart that name a score when the chart shows no interval or baseline."""
    text = json.dumps(spec, ensure_ascii=False)
    named = [t for t in _titles(spec) if SCORE_WORDS.search(t) and not _is_ignored(t, ignore)]
    if named and not (INTERVAL.search(text) and "baseline" in text.lower()):
        return [f"chart {named[0]!r}"]
    return []


def bare_scores(at, ignore: tuple[str, ...] = ()) -> list[str]:
    """Every score the AppTest run ``at`` shows without its interval and baseline."""
    out = []
    for m in at.metric:
        if _is_ignored(m.label, ignore):
            continue
        if SCORE_WORDS.search(m.label) and re.search(r"\d", m.value or ""):
            delta = m.proto.delta
            if not (INTERVAL.search(delta) and "baseline" in delta.lower()):
                out.append(f"metric {m.label}: {m.value} ({delta})")
    for kind in ("markdown", "caption", "info", "warning", "success", "error"):
        for element in at.get(kind):
            out.extend(f"{kind}: {s}" for s in bare_in_text(element.value, ignore))
    for table in at.dataframe:
        out.extend(f"table: {c}" for c in bare_in_table(table.value, ignore))
    for chart in at.get("vega_lite_chart"):
        out.extend(bare_in_chart(json.loads(chart.proto.spec), ignore))
    return out


def shown_scores(at) -> int:
    """How many score-naming elements the run shows (a test asserts it reads some)."""
    n = sum(1 for m in at.metric if SCORE_WORDS.search(m.label))
    n += sum(1 for t in at.dataframe for c in t.value.columns if SCORE_WORDS.search(str(c)))
    n += sum(
        1
        for kind in ("markdown", "caption", "info", "warning", "success")
        for e in at.get(kind)
        if QUOTED.search(e.value)
    )
    return n
