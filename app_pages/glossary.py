"""Glossary: the ML and nanoindentation terms the pages use."""

import streamlit as st

from ui.classroom import glossary, tables

st.title("Glossary")
st.markdown(
    "The terms of nanoindentation and machine learning that IndentLab's pages use, each in "
    "a sentence. Type to filter; the link in your address bar keeps the filter."
)
query = st.text_input(
    "Find a term",
    key="glossary_search",
    max_chars=60,
    placeholder="e.g. pile-up, ARI, LIME",
    bind="query-params",
    help="Shows the terms whose name or explanation contains this text.",
)
found = glossary.search(query)
if not found:
    st.info(f"No term contains “{tables.escape_markdown(query)}”.")
for kind in ("indentation", "ML"):
    terms = {term: text for term, (k, text) in found.items() if k == kind}
    if terms:
        st.subheader("Nanoindentation" if kind == "indentation" else "Machine learning")
        st.markdown("\n".join(f"- **{term}**: {text}" for term, text in terms.items()))
