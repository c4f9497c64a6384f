"""Home: what IndentLab is, the learning path, and a primer on indentation curves."""

import streamlit as st

from ui.classroom import learner, tables
from ui.common import progress
from ui.curve import cached, charts

#: The primer's curve: fused silica, ideal Berkovich, 10 mN, no noise, no drift hold.


#: The primer's curve: fused silica, ideal Berkovich, 10 mN, no noise, no drift hold.
PRIMER_SETTINGS = {
    "material": "fused silica",
    "tip": "berkovich",
    "protocol": {"P_max_mN": 10.0, "approach_s": 0.0, "drift_hold_s": 0.0},
    "noise": None,
    "defects": None,
    "seed": 0,
}

#: The learning path: page, the question it answers, course half, whether it is built yet,
#: and the learning outcomes (numbers of the list beside it) that its exercise checks. Two
#: exercises practise the Oliver-Pharr analysis the models build on and check no ML outcome.
LEARNING_PATH = (
    ("Indentation curve", "What is in one curve, and what fools its analysis?", "1", True, ()),
    (
        "What a model sees",
        "Which numbers (features) or curve shapes does a model get?",
        "1",
        True,
        (2, 5),
    ),
    (
        "Property maps",
        "What does a grid of indents measure, and how deep may it go?",
        "1",
        True,
        (2,),
    ),
    (
        "Find the phases",
        "Can clustering find the phases of a map, and their fractions?",
        "1",
        True,
        (1, 2, 3),
    ),
    (
        "Classify curves",
        "Can a classifier label curves, and will it generalise?",
        "1",
        True,
        (3, 5),
    ),
    (
        "Predict properties",
        "Can a model learn H and E from a curve, and where not?",
        "1",
        True,
        (1, 5),
    ),
    (
        "Find bad curves",
        "Which curves are anomalous (drift, pop-in, offset, cracks)?",
        "1",
        True,
        (3,),
    ),
    (
        "Why did the model decide? and Is it physically meaningful?",
        "Explain each decision, and does the reason match the physics?",
        "2",
        True,
        (4, 5),
    ),
    ("My own data", "What happens when I bring my own curves?", "1 + 2", True, ()),
)


def outcomes_cell(outcomes: tuple[int, ...]) -> str:
    """The learning outcomes a page's exercise checks, as a table cell ("–" for none)."""
    return ", ".join(str(n) for n in outcomes) or "–"


st.title("IndentLab")
st.markdown(
    "**Machine learning for nanoindentation, taught on simulated data whose truth is known.** "
    "Every curve in IndentLab comes from a physics simulator that remembers what it did: the "
    "true hardness and modulus, where a pop-in happened, how much the frame drifted. So you "
    "can check every analysis and every model against the truth, which real data never lets "
    "you do, and learn to tell a physically meaningful result from a lucky one."
)

learner.notices()
learner.join_form()

st.header("Learning path")
passed = progress.passed_exercises()
path, outcomes = st.columns([5, 3], gap="large")
with path:
    st.markdown(
        "The pages follow a one-day course in two halves: **1. ML foundations and "
        "applications** for indentation data (supervised and unsupervised learning, features, "
        "clustering, classification, maps, anomalies, full-curve workflows) and **2. "
        "explainable ML** (why a model decided, how reliable it is, and whether the reason is "
        "material behaviour or an experimental condition such as drift or the tip)."
    )
    rows = "\n".join(
        f"| {i} | {'**' + name + '**' if ready else name} | {question} | {half} | "
        f"{outcomes_cell(outcomes)} | {tables.status_cell(name, passed) if ready else 'coming'} |"
        for i, (name, question, half, ready, outcomes) in enumerate(LEARNING_PATH, start=1)
    )
    st.markdown(
        "| step | page | question | half | outcomes | exercises |\n|---|---|---|---|---|---|\n"
        + rows
    )
    st.page_link(
        "app_pages/indentation_curve.py",
        label="Start: Indentation curve",
        icon=":material/show_chart:",
    )
    learner.progress_panel()
with outcomes:
    st.markdown(
        "**After the course you can**\n"
        "1. explain the logic of supervised and unsupervised methods;\n"
        "2. recognise how ML applies to indentation curves and to high-throughput maps;\n"
        "3. choose a workflow for clustering, classification, anomaly detection and "
        "full-curve analysis;\n"
        "4. explain why interpretability matters in experimental nanomechanics;\n"
        "5. judge critically whether an ML output is physically meaningful and defensible.\n\n"
        "Each page ends with an exercise; the **outcomes** column of the learning path "
        "says which of these it checks (–: the exercise practises the Oliver-Pharr "
        "analysis that the models build on)."
    )

st.header("Primer: reading an indentation curve")
sketch, text = st.columns([3, 2], gap="large")
curve = cached.simulate(PRIMER_SETTINGS)
t = curve.truth
with sketch:
    st.altair_chart(charts.primer_sketch(curve), width="stretch")
    st.caption(
        f"A simulated test on fused silica (typical E = {t['E_GPa']:g} GPa, ν = {t['nu']:g}, "
        f"H = {t['H_GPa']:g} GPa) with an ideal Berkovich tip to P_max = {t['P_max_mN']:g} mN: "
        f"h_max = {t['h_max_nm']:.0f} nm, h_c = {t['hc_max_nm']:.0f} nm, "
        f"h_f = {t['h_f_nm']:.0f} nm, S = {t['S_mN_per_nm']:.3f} mN/nm."
    )
with text:
    st.markdown(
        "A nanoindenter pushes a diamond tip into the surface and records load P (mN) and "
        "displacement h (nm). **Loading**: elastic and plastic deformation together; for a "
        "sharp tip and constant hardness P grows as h². **Hold** at the peak load P_max: "
        "creep and drift show here; creep that has not settled goes on into the unloading. "
        "**Unloading**: only the elastic part springs back (once creep has settled), so its "
        "slope, the contact stiffness S, carries the modulus.\n\n"
        "- h_max: the deepest point; h_f: the residual depth of the impression;\n"
        "- S: the slope at the start of unloading (dashed tangent), in mN/nm;\n"
        "- h_c: the contact depth, where tip and sample still touch at P_max; the tangent "
        "meets P = 0 at h_max − P_max / S, and h_c lies 3/4 of the way there;\n"
        "- W_e (light blue): elastic work given back on unloading; W_p (orange): plastic "
        "work spent; W_p / W_t rises as H / E falls."
    )
st.subheader("The Oliver-Pharr analysis")
st.markdown(
    "Oliver and Pharr (J. Mater. Res. 7 (1992) 1564; 19 (2004) 3) turn the unloading branch "
    "into hardness and modulus in four steps:"
)
first, second = st.columns(2), st.columns(2)
first[0].markdown("**1. Fit the upper part of the unloading branch**")
first[0].latex(r"P = \alpha\,(h - h_f)^m")
first[1].markdown("**2. Take the stiffness at the peak load**")
first[1].latex(r"S = \left.\frac{dP}{dh}\right|_{h_{max}} = m\,\alpha\,(h_{max} - h_f)^{m-1}")
second[0].markdown("**3. Contact depth and area (ideal Berkovich)**")
second[0].latex(r"h_c = h_{max} - \varepsilon\,\frac{P_{max}}{S}, \qquad A = 24.5\,h_c^2")
second[1].markdown("**4. Hardness and reduced modulus**")
second[1].latex(
    r"H = \frac{P_{max}}{A}, \qquad E_r = \frac{\sqrt{\pi}}{2\beta}\,\frac{S}{\sqrt{A}}"
)
st.markdown("**and the sample's modulus E from E_r**, removing the diamond tip's compliance:")
st.latex(
    r"\frac{1}{E_r} = \frac{1-\nu^2}{E} + \frac{1-\nu_i^2}{E_i}"
    r"\qquad \varepsilon = 0.75,\ \beta \approx 1.034,\ "
    r"E_i = 1141\ \mathrm{GPa},\ \nu_i = 0.07\ \text{(diamond)}"
)
st.markdown(
    "Each step assumes something: that the contact sinks in (no pile-up), that the surface "
    "was found, that nothing drifted or crept, that the tip is the shape the area function "
    "says. The **Indentation curve** page lets you break each assumption and see by how much "
    "the answer moves. Machine-learning models trained on such numbers inherit every one of "
    "these errors, which is why the rest of the course keeps asking: is this physics, or an "
    "artefact?"
)
