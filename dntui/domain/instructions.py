"""Post-treatment instructions: the patient handout (the domain notes (docs/sources.md) section 5).

The aftercare lines are data with their source keys. A region adds lines only
where the sources support them: needling a lung-risk (thoracic) muscle adds the
pneumothorax warning with "call emergency services if severely short of breath"
[22c][33][37][38]; a kidney or peritoneum risk adds the abdomen section, a neck
muscle near the brainstem, vertebral artery, spinal cord or carotid sheath the
neck line [22d][22e][35]. The home exercises the practitioner chose are listed
with their source [cuh-stretch][seed].

Deterministic: no clock reads; the date is the visit's.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from datetime import date
from typing import Final

from dntui.domain import exercises, muscles
from dntui.domain.visit import Side, VisitDraft

_AFTERCARE: Final = ("39", "39b", "40")


@dataclass(frozen=True)
class Line:
    text: str
    source: tuple[str, ...]


#: General aftercare [39][39b][40] (each described in docs/sources.md).
EXPECT: Final = (
    Line(
        "Soreness where the needles went in is common. It is usually worst 24 to 48 hours "
        "after treatment and can last up to 72 hours.",
        _AFTERCARE,
    ),
    Line("Bruising and tiredness after treatment are common.", _AFTERCARE),
)
SELF_CARE: Final = (
    Line("Drink plenty of water.", _AFTERCARE),
    Line("Avoid strenuous exercise for 24 hours.", _AFTERCARE),
    Line(
        "For pain relief, ask your clinician first: aftercare advice is acetaminophen "
        "(paracetamol) rather than anti-inflammatory medicines (NSAIDs) such as ibuprofen.",
        _AFTERCARE,
    ),
    Line("Do not drive if you feel drowsy or dizzy.", _AFTERCARE),
    Line(
        "Use heat or ice only as your clinician advises (advice on this differs).",
        _AFTERCARE,
    ),
    Line(
        "If a needle site bleeds, press on it with a clean tissue or gauze until it stops.",
        ("22", *_AFTERCARE),
    ),
    Line(
        "If you feel faint, lie down at once with your legs raised. Call your clinician if it "
        "does not pass.",
        ("30", *_AFTERCARE),
    ),
)
#: When to call the clinician: rare effects named in the sources [22][30][seed].
CALL: Final = (
    Line(
        "Signs of infection at a needle site (spreading redness, heat, swelling, pus, or a "
        "fever): call your clinician.",
        ("22", "30"),
    ),
    Line(
        "Numbness, tingling or weakness that lasts more than 48 to 72 hours: call your "
        "clinician (nerve irritation is rare).",
        ("30", "seed"),
    ),
)
#: After any thoracic (lung-risk) needling [22c][33][37][38].
THORACIC: Final = (
    Line(
        "Shortness of breath, chest pain or a dry cough, straight away or up to several days "
        "later: go to an emergency department at once and say you had dry needling of the "
        "chest/upper back.",
        ("22c", "33", "37", "38"),
    ),
    Line(
        "If you are severely short of breath, call emergency services (911) now.",
        ("38", "22c"),
    ),
)
#: After needling near the kidney or through the abdominal wall [22d][35].
ABDOMEN: Final = (
    Line(
        "Abdominal pain that gets worse, or blood in your urine, after treatment of the "
        "abdomen or low back: get medical help the same day and say you had dry needling.",
        ("22d", "35"),
    ),
)
#: After needling at the neck or the base of the skull [22d][22e][35].
NECK: Final = (
    Line(
        "A severe headache, or new numbness, weakness, dizziness, trouble speaking or "
        "seeing after treatment of the neck: call emergency services (911).",
        ("22d", "22e", "35"),
    ),
)
_ABDOMEN_RISKS: Final = ("kidney", "peritoneum")
_NECK_STRUCTURES: Final = ("brainstem", "vertebral artery", "spinal cord", "carotid")

TITLE: Final = "After your dry-needling treatment"
_MONTHS: Final = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
_SIDE_WORDS: Final = {Side.LEFT: "left", Side.RIGHT: "right"}


@dataclass(frozen=True)
class Section:
    title: str
    lines: tuple[str, ...]
    source: tuple[str, ...] = ()


@dataclass(frozen=True)
class Instructions:
    clinic_name: str
    patient_name: str
    visit_date: date
    practitioner: str  # name with credentials, e.g. "Jane Doe, PT"
    muscles: tuple[str, ...]  # plain words, e.g. "Upper trapezius (left and right)"
    sections: tuple[Section, ...]

    @property
    def date_text(self) -> str:
        return format_date(self.visit_date)

    def text(self) -> str:
        return _render_text(self)

    def markdown(self) -> str:
        return _render_markdown(self)


def format_date(day: date) -> str:
    """'March 14, 2025' (no locale: the same on every machine)."""
    return f"{_MONTHS[day.month - 1]} {day.day}, {day.year}"


def _practitioner(visit: VisitDraft) -> str:
    name = visit.practitioner.name.strip()
    creds = visit.practitioner.credentials.strip()
    return ", ".join(p for p in (name, creds) if p)


def _regions(visit: VisitDraft) -> tuple[bool, bool]:
    """Whether a needled muscle is an abdomen/kidney-region one, and a neck one."""
    abdomen = neck = False
    for entry in visit.muscles:
        muscle = muscles.BY_ID.get(entry.muscle_id.strip())
        if muscle is None or entry.needles_in <= 0:
            continue
        details = " ".join(r.detail.lower() for r in muscle.risks)
        abdomen |= any(k in details for k in _ABDOMEN_RISKS)
        neck |= muscle.region == muscles.Region.HEAD_NECK and any(
            k in details for k in _NECK_STRUCTURES
        )
    return abdomen, neck


def _treated(visit: VisitDraft) -> tuple[tuple[str, ...], bool]:
    """Muscles needled in plain words, and whether any has a lung (thoracic) risk."""
    order: dict[str, set[Side]] = {}
    thoracic = False
    for entry in visit.muscles:
        mid = entry.muscle_id.strip()
        if not mid or entry.needles_in <= 0:
            continue
        order.setdefault(mid, set()).update(entry.sides)
        muscle = muscles.BY_ID.get(mid)
        if muscle is not None and muscle.has_lung_risk:
            thoracic = True
    out = []
    for mid, sides in order.items():
        muscle = muscles.BY_ID.get(mid)
        name = muscle.name if muscle is not None else mid
        words = " and ".join(_SIDE_WORDS[s] for s in (Side.LEFT, Side.RIGHT) if s in sides)
        out.append(f"{name} ({words})")
    return tuple(out), thoracic


def _section(title: str, lines: tuple[Line, ...]) -> Section:
    source = tuple(dict.fromkeys(k for line in lines for k in line.source))
    return Section(title, tuple(line.text for line in lines), source)


def generate(visit: VisitDraft, clinic_name: str = "", patient_name: str = "") -> Instructions:
    """The handout for ``visit``; ``patient_name`` defaults to the visit's patient."""
    treated, thoracic = _treated(visit)
    abdomen, neck = _regions(visit)
    sections = []
    urgent = (*(THORACIC if thoracic else ()), *(NECK if neck else ()))
    if urgent:
        sections.append(_section("Get help at once", urgent))
    if abdomen:
        sections.append(_section("After treatment of the abdomen or low back", ABDOMEN))
    sections.append(_section("What to expect", EXPECT))
    sections.append(_section("Looking after yourself", SELF_CARE))
    sections.append(_section("Call your clinician", CALL))
    chosen = exercises.chosen(visit.home_exercises)
    if chosen:
        lines = tuple(Line(f"{e.title}: {e.text}", e.source) for e in chosen)
        sections.append(
            _section("Home exercises", (*lines, Line(exercises.GENERAL, ("cuh-stretch",))))
        )
    own = tuple(line.strip() for line in visit.practitioner_lines.splitlines() if line.strip())
    if own:
        sections.append(Section("From your clinician", own))
    return Instructions(
        clinic_name=clinic_name.strip(),
        patient_name=(patient_name or visit.patient.name).strip(),
        visit_date=visit.visit_date,
        practitioner=_practitioner(visit),
        muscles=treated,
        sections=tuple(sections),
    )


# ------------------------------------------------------------------ rendering
_WIDTH: Final = 72


def _header_fields(instr: Instructions) -> list[tuple[str, str]]:
    return [
        ("Patient", instr.patient_name or "-"),
        ("Date", instr.date_text),
        ("Practitioner", instr.practitioner or "-"),
    ]


def _render_text(instr: Instructions) -> str:
    out: list[str] = []
    if instr.clinic_name:
        out.append(instr.clinic_name)
    out.append(TITLE)
    out.append("=" * len(TITLE))
    out.append("")
    out.extend(f"{label}: {value}" for label, value in _header_fields(instr))
    if instr.muscles:
        out.append("")
        out.append("Muscles treated:")
        out.extend(f"  - {m}" for m in instr.muscles)
    for section in instr.sections:
        out.append("")
        out.append(section.title)
        out.append("-" * len(section.title))
        for line in section.lines:
            out.extend(
                textwrap.wrap(line, _WIDTH, initial_indent="- ", subsequent_indent="  ") or ["-"]
            )
    return "\n".join(out) + "\n"


_MD_SPECIAL: Final = str.maketrans({c: "\\" + c for c in "\\`*_[]<>#|"})


def _md(text: str) -> str:
    """Escape user-entered text so it renders as typed."""
    return text.translate(_MD_SPECIAL)


def _render_markdown(instr: Instructions) -> str:
    out: list[str] = [f"# {TITLE}", ""]
    if instr.clinic_name:
        out += [f"**{_md(instr.clinic_name)}**", ""]
    out.extend(f"- **{label}:** {_md(value)}" for label, value in _header_fields(instr))
    if instr.muscles:
        out += ["", "## Muscles treated", ""]
        out.extend(f"- {_md(m)}" for m in instr.muscles)
    for section in instr.sections:
        out += ["", f"## {section.title}", ""]
        out.extend(f"- {_md(line)}" for line in section.lines)
    return "\n".join(out) + "\n"


def render_text(
    visit: VisitDraft | Instructions, clinic_name: str = "", patient_name: str = ""
) -> str:
    """The handout as plain text (for printing or pasting)."""
    if isinstance(visit, Instructions):
        return _render_text(visit)
    return _render_text(generate(visit, clinic_name, patient_name))


def render_markdown(
    visit: VisitDraft | Instructions, clinic_name: str = "", patient_name: str = ""
) -> str:
    """The handout as Markdown (for the preview pane or export)."""
    if isinstance(visit, Instructions):
        return _render_markdown(visit)
    return _render_markdown(generate(visit, clinic_name, patient_name))
