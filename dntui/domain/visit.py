"""The visit being logged, as plain data.

``VisitDraft`` is the single source of truth while a visit is in progress: the
screens edit it, the billing engine and safety checks read it, the store saves
it as a draft (JSON) and, on signing, as rows. It never holds widgets, so it can
be saved from a signal handler after the UI is gone (shared/reliability.md).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any

from dntui.domain.assessment import Assessment, Outcome, weeks_since


class Side(StrEnum):
    LEFT = "L"
    RIGHT = "R"
    BILATERAL = "B"


class Technique(StrEnum):
    """Needling techniques named in the domain notes (docs/sources.md) section 3 (static, pistoning, rotation)."""

    STATIC = "static"
    PISTONING = "pistoning"
    ROTATION = "rotation"


class Twitch(StrEnum):
    """Local twitch response observed during needling."""

    NOT_RECORDED = "not recorded"
    YES = "yes"
    NO = "no"


class Answer(StrEnum):
    UNANSWERED = ""
    YES = "yes"
    NO = "no"


#: Bounds on what a person may type; anything outside is refused with a message.
MAX_NEEDLES_PER_MUSCLE = 50
MAX_NOTE_CHARS = 4000


def _opt_int(value: Any) -> int | None:
    """An optional whole number from stored JSON (None, or anything not an int, is None)."""
    return value if isinstance(value, int) and not isinstance(value, bool) else None


@dataclass
class MuscleEntry:
    """One muscle needled in this visit, on one side or both."""

    muscle_id: str
    side: Side = Side.LEFT
    needles_in: int = 1
    needles_out: int = 0
    technique: Technique = Technique.PISTONING
    twitch: Twitch = Twitch.NOT_RECORDED
    depth_mm: int | None = None
    needle: str = ""  # e.g. "0.25 x 30 mm" from the configurable needle list
    estim: bool = False
    #: Spinal level needled, for muscles that span the spine (multifidus, rotatores),
    #: e.g. "L4-L5"; "" where it does not apply or was not recorded.
    level: str = ""

    @property
    def sides(self) -> tuple[Side, ...]:
        """The single sides this entry covers: B means both L and R."""
        if self.side == Side.BILATERAL:
            return (Side.LEFT, Side.RIGHT)
        return (self.side,)


@dataclass
class ScreeningAnswer:
    answer: Answer = Answer.UNANSWERED
    note: str = ""
    acknowledged: bool = False


@dataclass
class Consent:
    given: bool = False
    method: str = ""  # "written" | "verbal"
    text_version: str = ""
    at: str = ""  # ISO timestamp, UTC


@dataclass
class PractitionerInfo:
    id: int | None = None
    name: str = ""
    credentials: str = ""  # a dntui.domain.credentials.Credential value: PT / DC / MD / ...
    acupuncture_licensed: bool = False
    #: Master's or doctoral degree in acupuncture or Oriental medicine (ACAOM) [ncd-memo].
    acupuncture_degree: bool = False
    #: Hours of dry needling training on the practitioner profile (``dn_cert_hours``);
    #: checked against the clinic state's minimum (``dntui.domain.scope``). None: not recorded.
    dn_training_hours: int | None = None


@dataclass
class PatientInfo:
    id: int | None = None
    name: str = ""
    date_of_birth: date | None = None
    chart_no: str = ""


@dataclass
class VisitDraft:
    visit_date: date
    practitioner: PractitionerInfo = field(default_factory=PractitionerInfo)
    patient: PatientInfo = field(default_factory=PatientInfo)
    payer: str = "self-pay"  # key into the fee schedule's payers
    diagnosis_codes: list[str] = field(default_factory=list)
    abn_on_file: bool = False
    #: How long the low back pain has lasted, in weeks (Medicare: chronic is 12 or more).
    pain_weeks: int | None = None
    other_codes: list[str] = field(default_factory=list)  # other CPT codes billed that day
    screening: dict[str, ScreeningAnswer] = field(default_factory=dict)
    consent: Consent = field(default_factory=Consent)
    muscles: list[MuscleEntry] = field(default_factory=list)
    instructions: str = ""  # as edited by the practitioner (generated text by default)
    #: Ids of home exercises (``dntui.domain.exercises``) added to the handout.
    home_exercises: list[str] = field(default_factory=list)
    #: The patient's tolerance of and response to needling, for the note.
    tolerance: str = ""
    #: Trimester (1-3) when the pregnancy screening item is answered yes; None otherwise.
    pregnancy_trimester: int | None = None
    practitioner_lines: str = ""
    visit_id: int | None = None
    version: int = 0  # optimistic-locking version of the stored draft
    step: str = "patient"  # which step of the flow the practitioner was on
    #: Chief complaint, pain location/pattern/duration, NPRS and PSFS before needling.
    assessment: Assessment = field(default_factory=Assessment)
    #: NPRS after needling and the PSFS item re-measured (the review step).
    outcome: Outcome = field(default_factory=Outcome)
    #: Adverse events recorded before signing (dicts: time, severity, kind, muscle,
    #: action; see ``dntui.domain.adverse``). After signing they are addenda.
    adverse_events: list[dict[str, str]] = field(default_factory=list)
    #: Names this draft before the database gives it an id (its local backup file).
    local_id: str = field(default_factory=lambda: uuid.uuid4().hex[:12])

    # ------------------------------------------------------------------ JSON
    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["visit_date"] = self.visit_date.isoformat()
        dob = self.patient.date_of_birth
        data["patient"]["date_of_birth"] = dob.isoformat() if dob else None
        data["assessment"] = self.assessment.to_dict()
        data["outcome"] = self.outcome.to_dict()
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> VisitDraft:
        pat = dict(data.get("patient") or {})
        dob = pat.get("date_of_birth")
        pat["date_of_birth"] = date.fromisoformat(dob) if dob else None
        muscles = []
        for m in data.get("muscles") or []:
            m = dict(m)
            m["side"] = Side(m.get("side", "L"))
            m["technique"] = Technique(m.get("technique", "pistoning"))
            m["twitch"] = Twitch(m.get("twitch", "not recorded"))
            muscles.append(MuscleEntry(**m))
        screening = {
            k: ScreeningAnswer(
                answer=Answer(v.get("answer", "")),
                note=v.get("note", ""),
                acknowledged=bool(v.get("acknowledged", False)),
            )
            for k, v in (data.get("screening") or {}).items()
        }
        return cls(
            visit_date=date.fromisoformat(data["visit_date"]),
            practitioner=PractitionerInfo(**(data.get("practitioner") or {})),
            patient=PatientInfo(**pat),
            payer=data.get("payer", "self-pay"),
            diagnosis_codes=list(data.get("diagnosis_codes") or []),
            abn_on_file=bool(data.get("abn_on_file", False)),
            pain_weeks=_opt_int(data.get("pain_weeks")),
            other_codes=list(data.get("other_codes") or []),
            screening=screening,
            consent=Consent(**(data.get("consent") or {})),
            muscles=muscles,
            instructions=data.get("instructions", ""),
            home_exercises=[str(x) for x in data.get("home_exercises") or []],
            tolerance=str(data.get("tolerance") or ""),
            pregnancy_trimester=_opt_int(data.get("pregnancy_trimester")),
            practitioner_lines=data.get("practitioner_lines", ""),
            visit_id=data.get("visit_id"),
            version=int(data.get("version", 0)),
            step=data.get("step", "patient"),
            adverse_events=[dict(e) for e in data.get("adverse_events") or []],
            assessment=Assessment.from_dict(data.get("assessment")),
            outcome=Outcome.from_dict(data.get("outcome")),
            local_id=str(data.get("local_id") or uuid.uuid4().hex[:12]),
        )

    # ------------------------------------------------------------- helpers
    @property
    def low_back_pain_weeks(self) -> int | None:
        """Weeks of low back pain for NCD 30.3.3 [ncd]: as typed on step 1, else from
        the assessment's onset date (None when neither is recorded)."""
        if self.pain_weeks is not None:
            return self.pain_weeks
        return weeks_since(self.assessment.onset, self.visit_date)

    @property
    def needles_in(self) -> int:
        return sum(m.needles_in for m in self.muscles)

    @property
    def needles_out(self) -> int:
        return sum(m.needles_out for m in self.muscles)
