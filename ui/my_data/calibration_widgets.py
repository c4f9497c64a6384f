"""Controls of "Calibrate your tip" on "My own data": the reference and stiff series, the
reference's E and ν, the calibration's download, and a saved calibration to apply.

The uploaders accept any file type and the page checks it (our message, never the
browser's); a series that cannot be read leaves the last good one in place
(:func:`ui.my_data.session.check_upload`).
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from ui.my_data import cached, charts, notes, session, tip_widgets

REFERENCE, STIFF = "mydata_reference", "mydata_stiff"
#: Session-state key of the message of a calibration file that could not be applied.
APPLY_ERROR = "mydata_calibration_error"


@dataclass
class CalibrationInputs:
    """The reference and stiff series ((name, bytes) pairs; None when not given), the
    reference's E [GPa] and ν [-], and the messages of uploads that could not be read."""

    reference: tuple | None
    stiff: tuple | None
    E_GPa: float
    nu: float
    errors: list[str]


def _apply_saved() -> None:
    """``on_change`` of the calibration-file uploader: apply the file, or keep its message."""
    st.session_state.pop(APPLY_ERROR, None)
    file = st.session_state.get("mydata_calibration_file")
    if file is None:
        return
    try:
        text = file.getvalue().decode("utf-8")
        tip_widgets.apply_calibration(file.name, text)
    except (UnicodeDecodeError, ValueError) as err:
        st.session_state[APPLY_ERROR] = f"**Cannot apply {file.name}.** {err}"


def inputs() -> CalibrationInputs:
    """The two series' uploaders and the reference's E and ν."""
    left, right = st.columns(2)
    with left:
        st.file_uploader(
            "Reference series (fused silica by default)",
            accept_multiple_files=True,
            key="mydata_reference_file",
            max_upload_size=120,  # MB, as the data uploader (ui/my_data/widgets.py)
            on_change=session.forget_if_cleared,
            args=("mydata_reference_file", REFERENCE),
            help="Indents in a reference of known modulus at many depths (10 or more, from "
            "the shallowest you will use to the deepest; the shallowest repeated most, as "
            "their single indents scatter most), in any format the page reads; every "
            "unloading of every test is used. Load in mN (or a unit its column states), "
            "displacement in nm.",
        )
        E = st.number_input(
            "Reference modulus E (GPa)",
            min_value=1.0,
            max_value=1200.0,
            value=72.0,
            step=1.0,
            key="mydata_reference_E",
            bind="query-params",
            help="Young's modulus of the reference in GPa: fused silica 72 GPa (sapphire "
            "about 400 GPa along c).",
        )
        nu = st.number_input(
            "Reference Poisson's ratio ν (-)",
            min_value=0.0,
            max_value=0.49,
            value=0.17,
            step=0.01,
            key="mydata_reference_nu",
            bind="query-params",
            help="Poisson's ratio of the reference, dimensionless: fused silica 0.17.",
        )
    with right:
        st.file_uploader(
            "Stiff series for the frame compliance (optional)",
            accept_multiple_files=True,
            key="mydata_stiff_file",
            max_upload_size=120,  # MB, as the data uploader (ui/my_data/widgets.py)
            on_change=session.forget_if_cleared,
            args=("mydata_stiff_file", STIFF),
            help="Large indents (hundreds of mN) in a stiff, hard material such as tungsten: "
            "the intercept of the total compliance 1/S (nm/mN) against 1/√P_max (1/√mN) is "
            "the frame compliance (ISO 14577-2). Without it, the reference's largest indents "
            "give it, assuming an ideal tip shape there.",
        )
    errors = []
    for widget_key, kept_key in (
        ("mydata_reference_file", REFERENCE),
        ("mydata_stiff_file", STIFF),
    ):
        error = session.check_upload(widget_key, cached.check_files, kept_key)
        if error:
            errors.append(error)
    ref, stiff = session.upload(REFERENCE), session.upload(STIFF)
    return CalibrationInputs(
        tuple(ref["files"]) if ref else None,
        tuple(stiff["files"]) if stiff else None,
        float(E),
        float(nu),
        errors,
    )


def download(calibration_json: str) -> None:
    """The calibration's download button (JSON)."""
    st.download_button(
        "Download the calibration (JSON)",
        calibration_json,
        file_name="indentlab_calibration.json",
        mime="application/json",
        on_click="ignore",
        key="mydata_calibration_download",
        help="The area function's coefficients C0 to C3 (A in nm², h_c in nm), the frame "
        "compliance (nm/mN), the calibrated contact-depth range (nm), β and ε, as JSON: "
        "upload it below (or another day) to apply it to other files.",
    )


def saved_file() -> str | None:
    """The uploader of a saved calibration; the message when it could not be applied."""
    st.file_uploader(
        "Apply a saved calibration (JSON)",
        key="mydata_calibration_file",
        on_change=_apply_saved,
        help="A calibration downloaded from this page: its area function, frame compliance "
        "(nm/mN), β and ε are then used for your curves (the sidebar's tip switches to "
        "*saved calibration*).",
    )
    return st.session_state.get(APPLY_ERROR)


def calibration_section(options: dict) -> None:
    """Calibrate from uploaded series (fits and residuals drawn, JSON to download), and
    apply a saved calibration. ``options``: the page's analysis options (β, ε)."""
    st.markdown(notes.CALIBRATION_INTRO)
    given = inputs()
    for error in given.errors:
        st.error(f"**Cannot read this series.** {error} The series read before is kept.")
    if given.reference is not None:
        settings = {
            "E_GPa": given.E_GPa,
            "nu": given.nu,
            "beta": options["beta"],
            "epsilon": options["epsilon"],
        }
        for series in (given.reference, given.stiff):
            skipped = cached.prepare(series, None).skipped if series else []
            if skipped:
                st.warning(notes.skipped_files(skipped))
        try:
            result = cached.calibration(given.reference, given.stiff, settings)
        except ValueError as err:
            st.error(f"**No calibration from this reference series.** {err}")
        else:
            st.success(notes.calibration_summary(result))
            for note in result.notes:
                st.warning(note)
            ref = result.reference
            left, right = st.columns(2)
            left.altair_chart(charts.area_fit_chart(ref), width="stretch")
            used = ref[ref["used"]].assign(residual_pct=lambda d: 100 * d["residual"])
            left.altair_chart(
                charts.residual_chart(
                    used, "hc_nm", "Contact depth h_c (nm)", "residual_pct", "A_fit / A − 1 (%)"
                ),
                width="stretch",
            )
            if result.stiff is not None:
                stiff = result.stiff.assign(
                    residual=lambda d: d["compliance_nm_per_mN"] - d["fit_nm_per_mN"]
                )
                right.altair_chart(charts.compliance_chart(stiff), width="stretch")
                right.altair_chart(
                    charts.residual_chart(
                        stiff[stiff["used"]],
                        "inv_sqrt_P",
                        "1/√P_max (1/√mN)",
                        "residual",
                        "1/S − fit (nm/mN)",
                    ),
                    width="stretch",
                )
            else:
                right.info(notes.NO_STIFF)
            download(result.to_json())
    error = saved_file()
    if error:
        st.error(error)
    applied = tip_widgets.applied_calibration()
    if applied is not None:
        st.caption(
            f"Saved calibration **{applied['name']}** loaded: choose *saved calibration (JSON)* "
            "in the sidebar's tip to use it."
        )
