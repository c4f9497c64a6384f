"""IndentLab: machine learning for nanoindentation, on simulated data whose truth is known.

This entry file only builds the navigation; each page lives in ``app_pages/``. Start the app
with ``streamlit run streamlit_app.py``. (The folder is not called ``pages/``: Streamlit treats
a ``pages/`` folder beside the entry file as a legacy multipage app, and the first visitor of
a deep link such as ``/indentation-curve`` then sees a "Page not found" dialog.)
"""

import streamlit as st

from ui.common import progress


def run() -> None:
    """Set up the page and run the page the learner chose, in learning-path order."""
    st.set_page_config(page_title="IndentLab", page_icon=":material/biotech:", layout="wide")
    pages = [
        st.Page("app_pages/home.py", title="Home", icon=":material/home:", default=True),
        st.Page(
            "app_pages/indentation_curve.py",
            title="Indentation curve",
            icon=":material/show_chart:",
            url_path="indentation-curve",
        ),
        st.Page(
            "app_pages/what_a_model_sees.py",
            title="What a model sees",
            icon=":material/visibility:",
            url_path="what-a-model-sees",
        ),
        st.Page(
            "app_pages/property_maps.py",
            title="Property maps",
            icon=":material/grid_on:",
            url_path="property-maps",
        ),
        st.Page(
            "app_pages/find_phases.py",
            title="Find the phases",
            icon=":material/scatter_plot:",
            url_path="find-phases",
        ),
        st.Page(
            "app_pages/classify_curves.py",
            title="Classify curves",
            icon=":material/category:",
            url_path="classify-curves",
        ),
        st.Page(
            "app_pages/predict_properties.py",
            title="Predict properties",
            icon=":material/query_stats:",
            url_path="predict-properties",
        ),
        st.Page(
            "app_pages/find_bad_curves.py",
            title="Find bad curves",
            icon=":material/report:",
            url_path="find-bad-curves",
        ),
        st.Page(
            "app_pages/explain_decision.py",
            title="Why did the model decide?",
            icon=":material/psychology:",
            url_path="why-did-the-model-decide",
        ),
        st.Page(
            "app_pages/is_it_physical.py",
            title="Is it physically meaningful?",
            icon=":material/fact_check:",
            url_path="is-it-physical",
        ),
        st.Page(
            "app_pages/my_data.py",
            title="My own data",
            icon=":material/upload_file:",
            url_path="my-own-data",
        ),
    ]
    course = [
        st.Page(
            "app_pages/instructor.py",
            title="Instructor",
            icon=":material/co_present:",
            url_path="instructor",
        ),
        st.Page(
            "app_pages/instructor_guide.py",
            title="Instructor guide",
            icon=":material/menu_book:",
            url_path="instructor-guide",
        ),
        st.Page(
            "app_pages/glossary.py",
            title="Glossary",
            icon=":material/dictionary:",
            url_path="glossary",
        ),
    ]
    progress.keep_in_url()  # the learner token (and class) survive page switches
    st.navigation({"Learning path": pages, "Running the course": course}).run()


if __name__ == "__main__":
    run()
