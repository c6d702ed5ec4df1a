"""Queries and the few write operations a visit goes through.

Every write runs in its own short transaction (``BEGIN IMMEDIATE`` on SQLite),
never held open while a person types, and appends an audit row in the same
transaction. Signed visits cannot be changed here (``LockedError``) nor by raw
SQL (database triggers).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import Engine, func, or_, update
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlmodel import Session, col, select

from dntui.domain.pin import check_pin, hash_pin
from dntui.domain.record import SignedRecord, content_hash
from dntui.domain.visit import VisitDraft
from dntui.store import audit
from dntui.store.engine import IMMEDIATE, make_engine
from dntui.store.errors import ConflictError, LockedError, NotFoundError, StoreError
from dntui.store.models import (
    Addendum,
    AuditEvent,
    Patient,
    Practitioner,
    ScreeningRecord,
    Visit,
    VisitMuscle,
    VisitStatus,
    utcnow,
)
from dntui.store.schema import describe_db_error, ensure_schema
from dntui.store.views import VisitRow, visit_row, visit_rows_select

PIN_LOCKOUT_FAILURES = 5
PIN_LOCKOUT = timedelta(minutes=5)


def name_key(name: str) -> str:
    return " ".join(name.lower().replace(",", " ").split())


@dataclass
class VisitRecord:
    """A visit as read back: the row, its draft/note content, addenda."""

    visit: Visit
    draft: VisitDraft
    patient: Patient | None
    practitioner: Practitioner
    addenda: list[Addendum] = field(default_factory=list)


class Store:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._writer = engine.execution_options(**{IMMEDIATE: True})

    @classmethod
    def open(cls, url: str) -> Store:
        """Connect, migrate when behind, refuse a newer schema. Raises StoreError."""
        engine = make_engine(url)
        ensure_schema(engine)
        return cls(engine)

    def close(self) -> None:
        self.engine.dispose()

    # ------------------------------------------------------------ sessions
    def reading(self) -> contextlib.AbstractContextManager[Session]:
        """A session for read-only queries (``dntui.store.queries``).

        Database errors leave it as a one-line ``StoreError``.
        """
        return self._read()

    @contextlib.contextmanager
    def _read(self) -> Iterator[Session]:
        try:
            with Session(self.engine, expire_on_commit=False) as s:
                yield s
        except (OperationalError, DatabaseError) as exc:
            raise StoreError(describe_db_error(exc, self.engine)) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        try:
            with Session(self._writer, expire_on_commit=False) as s, s.begin():
                yield s
        except (OperationalError, DatabaseError) as exc:
            msg = str(getattr(exc, "orig", exc))
            if "signed visit is locked" in msg:
                raise LockedError("this visit is signed: add an addendum instead") from None
            if "append-only" in msg:
                raise LockedError("audit and addendum rows can never be changed") from None
            if isinstance(exc, IntegrityError):
                raise
            raise StoreError(describe_db_error(exc, self.engine)) from None

    # -------------------------------------------------------- practitioners
    def add_practitioner(
        self,
        name: str,
        credentials: str,
        *,
        acupuncture_licensed: bool = False,
        pin: str | None = None,
        licence_no: str = "",
        licence_state: str = "",
        dn_cert_hours: int | None = None,
        dn_cert_date: date | None = None,
    ) -> Practitioner:
        name = " ".join(name.split())
        if not name:
            raise ValueError("the practitioner needs a name")
        p = Practitioner(
            name=name,
            credentials=credentials,
            acupuncture_licensed=acupuncture_licensed,
            pin_hash=hash_pin(pin) if pin else "",
            licence_no=licence_no,
            licence_state=licence_state,
            dn_cert_hours=dn_cert_hours,
            dn_cert_date=dn_cert_date,
        )
        with self._write() as s:
            s.add(p)
            s.flush()
            audit.append(
                s, action="practitioner.create", actor_id=p.id, actor=p.name, detail=credentials
            )
        return p

    def practitioners(self) -> list[Practitioner]:
        with self._read() as s:
            return list(
                s.exec(
                    select(Practitioner).where(col(Practitioner.active)).order_by(Practitioner.name)
                )
            )

    def practitioner(self, practitioner_id: int) -> Practitioner:
        with self._read() as s:
            p = s.get(Practitioner, practitioner_id)
        if p is None:
            raise NotFoundError(f"no practitioner {practitioner_id}")
        return p

    def find_practitioner(self, name: str) -> Practitioner | None:
        with self._read() as s:
            return s.exec(
                select(Practitioner).where(func.lower(Practitioner.name) == name.strip().lower())
            ).first()

    def set_pin(self, practitioner_id: int, pin: str) -> None:
        hashed = hash_pin(pin)
        with self._write() as s:
            p = s.get(Practitioner, practitioner_id)
            if p is None:
                raise NotFoundError(f"no practitioner {practitioner_id}")
            p.pin_hash = hashed
            s.add(p)
            audit.append(s, action="practitioner.pin-set", actor_id=p.id, actor=p.name)

    def pin_locked_until(self, practitioner_id: int) -> datetime | None:
        """When five PIN attempts in a row failed, signing is locked for a while."""
        with self._read() as s:
            recent = s.exec(
                select(AuditEvent)
                .where(AuditEvent.actor_id == practitioner_id)
                .where(col(AuditEvent.action).in_(("pin.ok", "pin.fail")))
                .order_by(col(AuditEvent.seq).desc())
                .limit(PIN_LOCKOUT_FAILURES)
            ).all()
        if len(recent) < PIN_LOCKOUT_FAILURES or any(e.action == "pin.ok" for e in recent):
            return None
        last = recent[0].at
        until = last + PIN_LOCKOUT
        return until if until > utcnow() else None

    def check_signer(self, practitioner_id: int, pin: str, *, visit_id: int | None = None) -> bool:
        """Check a signing PIN; every attempt is audited. Raises LockedError when locked out."""
        p = self.practitioner(practitioner_id)
        until = self.pin_locked_until(practitioner_id)
        if until is not None:
            raise LockedError(
                f"signing is locked for {p.name} after {PIN_LOCKOUT_FAILURES} wrong PINs; "
                f"try again after {until.astimezone().strftime('%H:%M')}"
            )
        ok = bool(p.pin_hash) and check_pin(pin, p.pin_hash)
        with self._write() as s:
            audit.append(
                s,
                action="pin.ok" if ok else "pin.fail",
                actor_id=p.id,
                actor=p.name,
                visit_id=visit_id,
            )
        return ok

    # -------------------------------------------------------------- patients
    def add_patient(
        self,
        name: str,
        date_of_birth: date | None,
        *,
        actor: Practitioner,
        chart_no: str = "",
    ) -> Patient:
        name = " ".join(name.split())
        if not name:
            raise ValueError("the patient needs a name")
        with self._write() as s:
            p = Patient(
                name=name,
                name_key=name_key(name),
                date_of_birth=date_of_birth,
                chart_no=chart_no.strip() or f"tmp-{utcnow().timestamp()}",
                created_by=actor.id,
            )
            s.add(p)
            try:
                s.flush()
            except IntegrityError:
                raise ValueError(f"chart number {chart_no!r} is already in use") from None
            if not chart_no.strip():
                p.chart_no = _free_chart_no(s, p.id)
                s.add(p)
            audit.append(
                s, action="patient.create", actor_id=actor.id, actor=actor.name, detail=p.chart_no
            )
        return p

    def patient(self, patient_id: int) -> Patient:
        with self._read() as s:
            p = s.get(Patient, patient_id)
        if p is None:
            raise NotFoundError(f"no patient {patient_id}")
        return p

    def search_patients(self, query: str, limit: int = 20) -> list[Patient]:
        """Patients whose name (any word), chart number or date of birth starts with ``query``."""
        q = name_key(query)
        with self._read() as s:
            stmt = select(Patient)
            if q:
                # autoescape: "%" and "_" typed by a person are text, not LIKE wildcards
                conds = [
                    col(Patient.name_key).startswith(q, autoescape=True),
                    col(Patient.name_key).contains(" " + q, autoescape=True),
                    func.lower(Patient.chart_no).startswith(q, autoescape=True),
                ]
                with contextlib.suppress(ValueError):
                    conds.append(Patient.date_of_birth == date.fromisoformat(q))
                stmt = stmt.where(or_(*conds))
            stmt = stmt.order_by(Patient.name_key).limit(limit)
            return list(s.exec(stmt))

    # ---------------------------------------------------------------- visits
    def save_draft(self, draft: VisitDraft, *, actor: Practitioner) -> VisitDraft:
        """Insert or update a draft. Raises ConflictError when someone else saved it meanwhile."""
        if draft.practitioner.id is None:
            raise ValueError("a visit needs its practitioner")
        now = utcnow()
        if draft.visit_id is None:
            return self._insert_draft(draft, actor=actor)
        with self._write() as s:
            old = s.get(Visit, draft.visit_id)
            if old is None:
                raise NotFoundError(f"no visit {draft.visit_id}")
            if old.status != VisitStatus.DRAFT:
                raise LockedError(f"visit {old.id} is {old.status}: add an addendum instead")
            if old.version != draft.version:
                raise ConflictError(
                    f"visit {old.id} was changed elsewhere (version {old.version}, yours "
                    f"{draft.version}): reopen it to see the other changes"
                )
            changed = _changed_fields(old.draft_json, draft)
            new_version = draft.version + 1
            body = draft.to_dict()
            body["version"] = new_version
            result = s.execute(
                update(Visit)
                .where(col(Visit.id) == draft.visit_id)
                .where(col(Visit.version) == draft.version)
                .values(
                    patient_id=draft.patient.id,
                    visit_date=draft.visit_date,
                    payer=draft.payer,
                    diagnosis_codes=" ".join(draft.diagnosis_codes),
                    abn_on_file=draft.abn_on_file,
                    draft_json=json.dumps(body),
                    version=new_version,
                    updated_at=now,
                )
            )
            if result.rowcount != 1:  # pragma: no cover - guarded by the check above
                raise ConflictError(f"visit {draft.visit_id} was changed elsewhere")
            if changed:
                audit.append(
                    s,
                    action="visit.update",
                    actor_id=actor.id,
                    actor=actor.name,
                    visit_id=draft.visit_id,
                    detail=",".join(changed),
                )
        draft.version = new_version
        return draft

    def _insert_draft(self, draft: VisitDraft, *, actor: Practitioner) -> VisitDraft:
        now = utcnow()
        with self._write() as s:
            v = Visit(
                patient_id=draft.patient.id,
                practitioner_id=draft.practitioner.id,
                visit_date=draft.visit_date,
                payer=draft.payer,
                diagnosis_codes=" ".join(draft.diagnosis_codes),
                abn_on_file=draft.abn_on_file,
                version=1,
                created_at=now,
                updated_at=now,
            )
            s.add(v)
            s.flush()
            body = draft.to_dict()
            body["visit_id"], body["version"] = v.id, 1
            v.draft_json = json.dumps(body)
            s.add(v)
            audit.append(
                s, action="visit.create", actor_id=actor.id, actor=actor.name, visit_id=v.id
            )
        draft.visit_id, draft.version = v.id, 1
        return draft

    def load(self, visit_id: int) -> VisitRecord:
        with self._read() as s:
            v = s.get(Visit, visit_id)
            if v is None:
                raise NotFoundError(f"no visit {visit_id}")
            patient = s.get(Patient, v.patient_id) if v.patient_id else None
            practitioner = s.get(Practitioner, v.practitioner_id)
            assert practitioner is not None
            addenda = list(
                s.exec(
                    select(Addendum).where(Addendum.visit_id == visit_id).order_by(col(Addendum.id))
                )
            )
        draft = VisitDraft.from_dict(json.loads(v.draft_json))
        draft.version = v.version
        draft.visit_id = v.id
        return VisitRecord(v, draft, patient, practitioner, addenda)

    def visit_rows(
        self,
        *,
        practitioner_id: int | None = None,
        status: str | None = None,
        day: date | None = None,
        patient_id: int | None = None,
        patient_query: str | None = None,
        limit: int = 200,
        offset: int = 0,
    ) -> list[VisitRow]:
        stmt = visit_rows_select()
        if practitioner_id is not None:
            stmt = stmt.where(Visit.practitioner_id == practitioner_id)
        if status is not None:
            stmt = stmt.where(Visit.status == status)
        if day is not None:
            stmt = stmt.where(Visit.visit_date == day)
        if patient_id is not None:
            stmt = stmt.where(Visit.patient_id == patient_id)
        if patient_query:
            q = name_key(patient_query)
            stmt = stmt.where(
                or_(
                    col(Patient.name_key).startswith(q),
                    col(Patient.name_key).contains(" " + q),
                    func.lower(Patient.chart_no).startswith(q),
                )
            )
        stmt = (
            stmt.order_by(col(Visit.visit_date).desc(), col(Visit.id).desc())
            .limit(limit)
            .offset(offset)
        )
        with self._read() as s:
            return [visit_row(r) for r in s.execute(stmt).all()]

    def sign(self, record: SignedRecord, *, signer: Practitioner) -> Visit:
        """Freeze the visit: write its muscles and screening rows, mark it signed.

        ``record`` comes from ``dntui.domain.record.sign_visit``; the row gets exactly
        its draft, billing and note, and the audit row its content hash.
        """
        draft = record.draft
        if draft.visit_id is None:
            draft = self.save_draft(draft, actor=signer)
        if signer.id != draft.practitioner.id:
            raise LockedError(f"this visit is {draft.practitioner.name}'s: only they can sign it")
        with self._write() as s:
            v = s.get(Visit, draft.visit_id, with_for_update=True)
            if v is None:
                raise NotFoundError(f"no visit {draft.visit_id}")
            if v.status != VisitStatus.DRAFT:
                raise LockedError(f"visit {v.id} is already {v.status}")
            if v.version != draft.version:
                raise ConflictError(f"visit {v.id} was changed elsewhere: reopen it before signing")
            for pos, m in enumerate(draft.muscles):
                s.add(
                    VisitMuscle(
                        visit_id=v.id,
                        position=pos,
                        muscle_id=m.muscle_id,
                        side=m.side.value,
                        needles_in=m.needles_in,
                        needles_out=m.needles_out,
                        technique=m.technique.value,
                        twitch=m.twitch.value,
                        depth_mm=m.depth_mm,
                        needle=m.needle,
                        estim=m.estim,
                    )
                )
            for item_id, ans in draft.screening.items():
                s.add(
                    ScreeningRecord(
                        visit_id=v.id,
                        item_id=item_id,
                        answer=ans.answer.value,
                        note=ans.note,
                        acknowledged=ans.acknowledged,
                    )
                )
            s.flush()
            now = utcnow()
            v.status = VisitStatus.SIGNED
            v.signed_at = now
            v.signed_by = signer.id
            v.updated_at = now
            v.code = record.code
            v.muscle_count = record.muscle_count
            v.charge = record.charge
            v.billing_json = record.billing_json
            v.note_text = record.note_text
            v.patient_id = draft.patient.id
            v.visit_date = draft.visit_date
            v.payer = draft.payer
            v.diagnosis_codes = " ".join(draft.diagnosis_codes)
            v.abn_on_file = draft.abn_on_file
            v.draft_json = record.draft_json
            s.add(v)
            audit.append(
                s,
                action="visit.sign",
                actor_id=signer.id,
                actor=signer.name,
                visit_id=v.id,
                detail=(
                    f"code={record.code or 'none'} muscles={record.muscle_count} "
                    f"content={_content_hash(v)}"
                ),
            )
        return v

    def record_refused_sign(
        self, visit_id: int | None, *, actor: Practitioner, reasons: Sequence[str]
    ) -> None:
        with self._write() as s:
            audit.append(
                s,
                action="visit.sign-refused",
                actor_id=actor.id,
                actor=actor.name,
                visit_id=visit_id,
                detail="; ".join(reasons)[:500],
            )

    def add_addendum(
        self,
        visit_id: int,
        *,
        author: Practitioner,
        text: str,
        reason: str,
        kind: str = "correction",
    ) -> Addendum:
        text = text.strip()
        if not text:
            raise ValueError("an addendum needs text")
        with self._write() as s:
            v = s.get(Visit, visit_id)
            if v is None:
                raise NotFoundError(f"no visit {visit_id}")
            if v.status == VisitStatus.DRAFT:
                raise ValueError(
                    "this visit is still a draft: edit it instead of adding an addendum"
                )
            a = Addendum(
                visit_id=visit_id, author_id=author.id, text=text, reason=reason, kind=kind
            )
            s.add(a)
            s.flush()
            audit.append(
                s,
                action="visit.addendum",
                actor_id=author.id,
                actor=author.name,
                visit_id=visit_id,
                detail=kind,
            )
        return a

    def void(self, visit_id: int, *, actor: Practitioner, reason: str) -> None:
        """Mark a visit entered-in-error. Its content stays readable; nothing is deleted."""
        if not reason.strip():
            raise ValueError("say why the visit is entered in error")
        with self._write() as s:
            v = s.get(Visit, visit_id)
            if v is None:
                raise NotFoundError(f"no visit {visit_id}")
            if v.status == VisitStatus.ENTERED_IN_ERROR:
                raise LockedError(f"visit {visit_id} is already entered in error")
            v.status = VisitStatus.ENTERED_IN_ERROR
            v.void_reason = reason.strip()
            v.voided_at = utcnow()
            v.voided_by = actor.id
            s.add(v)
            audit.append(
                s, action="visit.void", actor_id=actor.id, actor=actor.name, visit_id=visit_id
            )

    def log_event(
        self,
        action: str,
        *,
        actor: Practitioner | None,
        visit_id: int | None = None,
        detail: str = "",
    ) -> None:
        """Audit something that is not a row change (an export, a print)."""
        with self._write() as s:
            audit.append(
                s,
                action=action,
                actor_id=actor.id if actor else None,
                actor=actor.name if actor else "",
                visit_id=visit_id,
                detail=detail,
            )

    # ----------------------------------------------------------------- audit
    def audit_trail(self, visit_id: int | None = None, limit: int = 500) -> list[AuditEvent]:
        with self._read() as s:
            stmt = select(AuditEvent)
            if visit_id is not None:
                stmt = stmt.where(AuditEvent.visit_id == visit_id)
            return list(s.exec(stmt.order_by(col(AuditEvent.seq)).limit(limit)))

    def verify_audit(self) -> audit.ChainCheck:
        with self._read() as s:
            return audit.verify(s)


def _free_chart_no(s: Session, patient_id: int | None) -> str:
    """``C000042`` for patient 42, unless someone typed that number for another patient."""
    base = candidate = f"C{patient_id:06d}"
    n = 1
    while s.exec(select(Patient.id).where(Patient.chart_no == candidate)).first() is not None:
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def _changed_fields(old_json: str, draft: VisitDraft) -> list[str]:
    """Top-level draft fields that differ (names only: no patient data in the audit detail)."""
    try:
        old = json.loads(old_json)
    except ValueError:
        old = {}
    new = draft.to_dict()
    skip = {"version", "step"}
    return sorted(k for k in new if k not in skip and old.get(k) != new[k])


def _content_hash(v: Visit) -> str:
    """SHA-256 of what was signed, so the audit chain also vouches for the note's content."""
    return content_hash(v.draft_json, v.billing_json, v.note_text)
