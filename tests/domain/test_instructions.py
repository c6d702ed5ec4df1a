"""Patient handout (dntui.domain.instructions): the domain notes, section 5 (sources in docs/sources.md)."""

from __future__ import annotations

from datetime import date

import pytest

from dntui.domain.instructions import THORACIC, generate, render_markdown, render_text
from dntui.domain.sources import SOURCES
from dntui.domain.visit import MuscleEntry, PatientInfo, PractitionerInfo, Side, VisitDraft

ED = "go to an emergency department at once"


def visit(*entries: MuscleEntry, lines: str = "") -> VisitDraft:
    return VisitDraft(
        visit_date=date(2025, 3, 14),
        practitioner=PractitionerInfo(name="Jane Doe", credentials="PT, DPT"),
        patient=PatientInfo(name="John Smith"),
        muscles=list(entries),
        practitioner_lines=lines,
    )


def test_thoracic_visit_includes_emergency_line() -> None:
    instr = generate(visit(MuscleEntry("rhomboid-major", Side.LEFT)))
    text = instr.text()
    assert ED in text
    assert "Shortness of breath, chest pain or a dry cough" in render_markdown(instr)
    section = next(s for s in instr.sections if any(ED in line for line in s.lines))
    assert set(section.source) == {"22c", "33", "37", "38"}


@pytest.mark.parametrize(
    "muscle_id",
    [
        "infraspinatus",
        "teres-major",
        "teres-minor",
        "thoracic-multifidus",
        "subclavius",
        "serratus-posterior-inferior",
        "quadratus-lumborum",
    ],
)
def test_newly_lung_flagged_muscles_bring_the_pneumothorax_section(muscle_id: str) -> None:
    """The handout's pneumothorax signs follow the lung flag [22c][37][38], so they now
    come with the muscles flagged in this release."""
    text = " ".join(render_text(visit(MuscleEntry(muscle_id, Side.LEFT))).split())
    assert ED in text and "call emergency services" in text


def test_calf_only_visit_has_no_emergency_line() -> None:
    v = visit(MuscleEntry("gastrocnemius", Side.RIGHT), MuscleEntry("soleus", Side.BILATERAL))
    assert ED not in render_text(v)
    assert ED not in render_markdown(v)
    assert "Soreness" in render_text(v)


def test_unneedled_thoracic_entry_adds_nothing() -> None:
    v = visit(MuscleEntry("soleus"), MuscleEntry("rhomboid-major", needles_in=0))
    instr = generate(v)
    assert ED not in instr.text()
    assert instr.muscles == ("Soleus (left)",)


def test_general_aftercare_lines_and_sources() -> None:
    text = render_text(visit(MuscleEntry("soleus")))
    flat = " ".join(text.split())
    for needle in (
        "24 to 48 hours",
        "72 hours",
        "Bruising and tiredness",
        "Drink plenty of water",
        "Avoid strenuous exercise for 24 hours",
        "ask your clinician",
        "acetaminophen",
        "Do not drive if you feel drowsy or dizzy",
        "heat or ice",
    ):
        assert needle in flat, needle
    for section in generate(visit(MuscleEntry("soleus"))).sections:
        assert section.source
        assert all(k in SOURCES for k in section.source)
    assert all(k in SOURCES for line in THORACIC for k in line.source)


def test_practitioner_lines_included() -> None:
    v = visit(MuscleEntry("soleus"), lines="Walk 20 minutes daily.\n\n  Calf stretch x3  \n")
    instr = generate(v)
    own = next(s for s in instr.sections if s.title == "From your clinician")
    assert own.lines == ("Walk 20 minutes daily.", "Calf stretch x3")
    assert "Walk 20 minutes daily." in instr.text()
    assert "Calf stretch x3" in render_markdown(v)


def test_no_practitioner_section_when_empty() -> None:
    instr = generate(visit(MuscleEntry("soleus")))
    assert all(s.title != "From your clinician" for s in instr.sections)


def test_renderings_hold_patient_date_practitioner_and_muscles() -> None:
    v = visit(MuscleEntry("upper-trapezius", Side.BILATERAL), MuscleEntry("levator-scapulae"))
    for out in (render_text(v, "Back Clinic"), render_markdown(v, "Back Clinic")):
        assert "John Smith" in out
        assert "March 14, 2025" in out
        assert "Jane Doe, PT, DPT" in out
        assert "Back Clinic" in out
        assert "Upper trapezius (left and right)" in out
        assert "Levator scapulae (left)" in out


def test_patient_name_argument_overrides_visit() -> None:
    out = render_text(visit(MuscleEntry("soleus")), patient_name="J. S.")
    assert "Patient: J. S." in out
    assert "John Smith" not in out


def test_markdown_escapes_user_text() -> None:
    v = visit(MuscleEntry("soleus"), lines="*not bold* and # not a heading")
    md = render_markdown(v)
    assert r"\*not bold\*" in md
    assert r"\# not a heading" in md


def test_deterministic() -> None:
    v = visit(MuscleEntry("rhomboid-major"), lines="x")
    assert render_text(v) == render_text(v)
    assert render_markdown(v) == generate(v).markdown()
    assert render_text(v) == generate(v).text()


def test_text_lines_are_wrapped() -> None:
    text = render_text(visit(MuscleEntry("rhomboid-major")))
    assert max(len(line) for line in text.splitlines()) <= 72
