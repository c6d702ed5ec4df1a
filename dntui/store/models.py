"""SQLModel tables.

Clinical rows are never deleted and have no cascading deletes. A visit is a
draft until signed; after that its row, its muscles and screening answers are
frozen (database triggers, see ``triggers.py``), and changes are addenda.
Times are timezone-aware UTC (SQLModel's datetime type rejects naive ones).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime

from sqlalchemy import Index, func
from sqlmodel import Field, Session, SQLModel

#: A clock: returns the current time, timezone-aware.
Clock = Callable[[], datetime]

#: ``Session.info`` key of the clock a ``Store`` puts on every session it opens.
CLOCK_KEY = "dntui_clock"


def utcnow() -> datetime:
    """The real clock (timezone-aware UTC): the fallback for rows built outside a Store."""
    return datetime.now(UTC)


def session_now(session: Session) -> datetime:
    """The time to stamp on a row written in ``session``: its Store's clock.

    ``Store`` sets ``session.info[CLOCK_KEY]`` on every session it opens
    (``Store.open(url, clock=...)``); a session without one reads the real clock.
    """
    clock: Clock = session.info.get(CLOCK_KEY, utcnow)
    return clock()


class VisitStatus:
    DRAFT = "draft"
    SIGNED = "signed"
    ENTERED_IN_ERROR = "entered-in-error"


class Practitioner(SQLModel, table=True):
    """A signing practitioner. Names are unique, ignoring case (exports tell them apart)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    credentials: str  # one of dntui.domain.credentials.Credential (migration 0003)
    licence_no: str = ""
    licence_state: str = ""
    dn_cert_hours: int | None = None
    dn_cert_date: date | None = None
    acupuncture_licensed: bool = False
    #: Master's or doctoral degree in acupuncture or Oriental medicine (NCD 30.3.3).
    acupuncture_degree: bool = False
    active: bool = True
    created_at: datetime = Field(default_factory=utcnow)
    #: On PostgreSQL, the database role that created this profile: only that role
    #: (or the schema owner) acts as this practitioner. Empty on SQLite.
    db_role: str = ""


Index("ux_practitioner_name_lower", func.lower(Practitioner.name), unique=True)  # type: ignore[arg-type]


class PractitionerSecret(SQLModel, table=True):
    """The signing PIN hash and its lockout counter, apart from the readable profile.

    On PostgreSQL practitioners have no privilege on this table at all: PINs are
    checked by ``dntui_pin_check`` (a SECURITY DEFINER function) that counts wrong
    attempts atomically. See README, Security.
    """

    __tablename__ = "practitioner_secret"

    practitioner_id: int = Field(foreign_key="practitioner.id", primary_key=True)
    pin_hash: str = ""  # scrypt, salted; empty = no PIN set yet
    failures: int = 0  # wrong PINs in a row
    locked_until: datetime | None = None


class Patient(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    chart_no: str = Field(unique=True, index=True)
    name: str
    name_key: str = Field(index=True)  # lowercased "last, first" and "first last" for search
    date_of_birth: date | None = None
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="practitioner.id")


class Visit(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    patient_id: int | None = Field(default=None, foreign_key="patient.id", index=True)
    practitioner_id: int = Field(foreign_key="practitioner.id", index=True)
    visit_date: date = Field(index=True)
    status: str = Field(default=VisitStatus.DRAFT, index=True)
    payer: str = ""
    diagnosis_codes: str = ""  # space separated
    abn_on_file: bool = False
    code: str = Field(default="", index=True)  # CPT code as signed ("" for none)
    muscle_count: int = 0
    charge: str = ""  # Decimal as text, as signed
    draft_json: str = "{}"  # the VisitDraft; frozen with the row once signed
    billing_json: str = "{}"  # the billing summary as signed
    note_text: str = ""  # the rendered note as signed (the legal copy)
    version: int = 0  # optimistic locking for drafts
    created_at: datetime = Field(default_factory=utcnow)
    updated_at: datetime = Field(default_factory=utcnow)
    signed_at: datetime | None = None
    signed_by: int | None = Field(default=None, foreign_key="practitioner.id")
    void_reason: str = ""
    voided_at: datetime | None = None
    voided_by: int | None = Field(default=None, foreign_key="practitioner.id")


#: Columns of ``visit`` that may still change once it is signed: only the move to
#: entered-in-error. Everything else is compared in the trigger and must not change.
VISIT_VOID_COLUMNS = ("status", "void_reason", "voided_at", "voided_by")


class VisitMuscle(SQLModel, table=True):
    __tablename__ = "visit_muscle"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    position: int
    muscle_id: str = Field(index=True)
    side: str
    needles_in: int
    needles_out: int
    technique: str
    twitch: str
    depth_mm: int | None = None
    needle: str = ""
    estim: bool = False


class ScreeningRecord(SQLModel, table=True):
    __tablename__ = "screening_answer"

    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    item_id: str
    answer: str
    note: str = ""
    acknowledged: bool = False


class Addendum(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    visit_id: int = Field(foreign_key="visit.id", index=True)
    author_id: int = Field(foreign_key="practitioner.id")
    created_at: datetime = Field(default_factory=utcnow)
    kind: str = "correction"  # correction | late-entry | adverse-event
    reason: str = ""
    text: str = ""


class CoverageRecord(SQLModel, table=True):
    """What a payer said about a patient's cover: a verification and its authorization.

    Append-only (triggers): a new check or a changed authorization is a new row, and
    the newest row for a patient and payer is the one in force. Every row is audited
    (``coverage.record``). Migration 0005.
    """

    __tablename__ = "coverage"

    id: int | None = Field(default=None, primary_key=True)
    patient_id: int = Field(foreign_key="patient.id", index=True)
    payer: str = Field(index=True)  # a fee schedule payer key
    verified_on: date | None = None
    verified_by: str = ""
    reference_no: str = ""
    authorization_no: str = ""
    visits_authorized: int | None = None
    starts: date | None = None
    ends: date | None = None
    notes: str = ""
    created_at: datetime = Field(default_factory=utcnow)
    created_by: int | None = Field(default=None, foreign_key="practitioner.id")


class AuditEvent(SQLModel, table=True):
    """Append-only, hash-chained: each row's hash covers its content and the previous hash."""

    __tablename__ = "audit"

    id: int | None = Field(default=None, primary_key=True)
    seq: int = Field(unique=True)
    at: datetime = Field(default_factory=utcnow)
    actor_id: int | None = None
    actor: str = ""
    action: str = Field(index=True)
    visit_id: int | None = Field(default=None, index=True)
    detail: str = ""
    prev_hash: str = ""
    hash: str = ""
    #: "" for rows written before schema 0004 (plain SHA-256); else the id of the
    #: clinic key whose HMAC-SHA-256 this row's hash is (see ``audit.py``).
    key_id: str = ""


class Meta(SQLModel, table=True):
    """Write-once facts about this database (its id, where the keyed chain starts)."""

    __tablename__ = "dntui_meta"

    name: str = Field(primary_key=True)
    value: str = ""


class Secret(SQLModel, table=True):
    """PostgreSQL: the clinic's audit key, readable only by the schema owner. Empty on SQLite."""

    __tablename__ = "dntui_secret"

    name: str = Field(primary_key=True)
    value: bytes


class AuditAnchor(SQLModel, table=True):
    """PostgreSQL: the chain's head, MAC'd with the clinic key after every append.

    Written only by ``dntui_audit_append``; rows cut from the end of the audit
    table no longer reach it. SQLite keeps its anchor outside the database, in
    the config folder (``audit.py``).
    """

    __tablename__ = "audit_anchor"

    id: int = Field(default=1, primary_key=True)
    seq: int = 0
    hash: str = ""
    mac: str = ""
