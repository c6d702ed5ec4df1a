"""Queries and the few write operations a visit goes through.

Every write runs in its own short transaction (``BEGIN IMMEDIATE`` on SQLite),
never held open while a person types, and appends an audit row in the same
transaction. Signed visits cannot be changed here (``LockedError``) nor by raw
SQL (database triggers).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Callable, Iterator, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, TypeVar

from sqlalchemy import Engine, func, or_, update
from sqlalchemy.exc import DatabaseError, IntegrityError, OperationalError
from sqlmodel import Session, col, select

from dntui.domain.credentials import Credential, parse_credential
from dntui.domain.pin import MIN_PIN_LENGTH, hash_pin, pin_digest
from dntui.domain.visit import VisitDraft
from dntui.store import audit, paths
from dntui.store.engine import IMMEDIATE, make_engine
from dntui.store.errors import ConflictError, LockedError, NotFoundError, StoreError
from dntui.store.models import (
    CLOCK_KEY,
    Addendum,
    AuditEvent,
    Clock,
    CoverageRecord,
    Patient,
    Practitioner,
    ScreeningRecord,
    Visit,
    VisitMuscle,
    VisitStatus,
    session_now,
    utcnow,
)
from dntui.store.schema import MigrateProgress, describe_db_error, ensure_schema
from dntui.store.views import VisitRow, patient_matches, visit_row, visit_rows_select

if TYPE_CHECKING:
    from dntui.domain.coverage import Coverage
    from dntui.domain.record import SignedRecord

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
    def __init__(
        self,
        engine: Engine,
        *,
        audit_key: audit.AuditKey | None = None,
        clock: Clock = utcnow,
    ) -> None:
        self.engine = engine
        #: Where every time this store writes comes from (created, updated, signed,
        #: voided, audit rows, PIN lockouts): the real UTC clock unless given one.
        #: PostgreSQL's SECURITY DEFINER functions stamp the server's time instead.
        self.clock = clock
        self._writer = engine.execution_options(**{IMMEDIATE: True})
        self.sqlite = engine.dialect.name == "sqlite"
        if audit_key is None and self.sqlite:
            from dntui.config import config_dir

            audit_key = audit.load_key(config_dir())
        #: SQLite: the clinic key from the config folder. PostgreSQL: None (in the database).
        self.audit_key = audit_key
        self.database_id = ""
        #: Guard triggers found missing or altered at open and restored (SQLite).
        self.restored_guards: list[str] = []
        #: Shortest PIN accepted for a new PIN (the ``min_pin_length`` setting).
        self.min_pin_length = MIN_PIN_LENGTH
        #: Why the last tail-anchor write failed (disk full...), reported by verify.
        self.anchor_error = ""

    @classmethod
    def open(
        cls,
        url: str,
        *,
        audit_key: audit.AuditKey | None = None,
        on_migrate: MigrateProgress | None = None,
        clock: Clock = utcnow,
    ) -> Store:
        """Connect, migrate when behind, refuse a newer schema, check the guards.

        Raises StoreError, with one line and no patient data. ``on_migrate(done,
        total, revision)`` reports an upgrade's progress. ``clock`` (timezone-aware,
        default the real UTC time) stamps every time the store writes.
        """
        engine = make_engine(url)
        try:
            ensure_schema(engine, on_migrate)
            store = cls(engine, audit_key=audit_key, clock=clock)
            store._after_open()
        except BaseException:
            engine.dispose()
            raise
        return store

    def _after_open(self) -> None:
        """SQLite: integrity check, guard triggers restored and audited, tail anchor."""
        if not self.sqlite:
            with self._read() as s:
                self.database_id = audit.database_id(s)
            return
        from dntui.store.guards import check_sqlite_guards

        try:
            with self.engine.connect() as conn:
                bad = [r[0] for r in conn.exec_driver_sql("PRAGMA quick_check(3)")]
                conn.rollback()
        except (OperationalError, DatabaseError) as exc:
            raise StoreError(describe_db_error(exc, self.engine)) from None
        if bad != ["ok"]:
            url = self.engine.url.render_as_string(hide_password=True)
            raise StoreError(
                f"{url} is damaged (its integrity check failed): nothing was written; "
                "restore it from a backup"
            )
        from dntui.store.guards import sqlite_guards

        want = sqlite_guards()
        with self._read() as s:
            have = dict(
                s.connection()
                .exec_driver_sql("SELECT name, sql FROM sqlite_master WHERE type = 'trigger'")
                .all()
            )
            self.database_id = audit.database_id(s)
            seq, head = audit.head(s)
        restored: list[str] = []
        if any(have.get(name) != sql for name, sql in want.items()):
            # Someone removed or altered a guard: put it back and say so in the trail.
            with self._write() as s:
                conn = s.connection()
                with audit.db_path(conn):
                    restored = check_sqlite_guards(conn)
                if restored:
                    audit.append(
                        s,
                        action="db.guard-restored",
                        actor_id=None,
                        actor="dntui",
                        detail="restored missing or altered guard triggers: " + ", ".join(restored),
                    )
                seq, head = audit.head(s)
        self.restored_guards = restored
        if self.audit_key is not None and self.database_id:
            path = audit.anchor_path(self.audit_key, self.database_id)
            if path is not None and not path.exists():
                # First open on this machine/config: anchor what is here now.
                audit.write_anchor(self.audit_key, self.database_id, seq, head)

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
                s.info[CLOCK_KEY] = self.clock
                yield s
        except (OperationalError, DatabaseError) as exc:
            raise StoreError(describe_db_error(exc, self.engine)) from None

    @contextlib.contextmanager
    def _write(self) -> Iterator[Session]:
        head: tuple[int, str] | None = None
        try:
            with Session(self._writer, expire_on_commit=False) as s:
                s.info["dntui_key"] = self.audit_key
                s.info[CLOCK_KEY] = self.clock
                with s.begin():
                    yield s
                head = s.info.pop("dntui_head", None)
        except (OperationalError, DatabaseError) as exc:
            msg = str(getattr(exc, "orig", exc)).strip()
            mapped = _refusal(msg.splitlines()[0] if msg else "")
            if mapped is not None:
                raise mapped from None
            if isinstance(exc, IntegrityError):
                raise
            raise StoreError(describe_db_error(exc, self.engine)) from None
        if head is not None and self.audit_key is not None:
            try:
                audit.write_anchor(self.audit_key, self.database_id, *head)
            except OSError as exc:
                # The row is committed: failing the save now would only invite a retry.
                # The anchor stays behind (verify then checks less of the tail).
                self.anchor_error = exc.strerror or type(exc).__name__

    # -------------------------------------------------------- practitioners
    def add_practitioner(
        self,
        name: str,
        credentials: str,
        *,
        acupuncture_licensed: bool = False,
        acupuncture_degree: bool = False,
        pin: str | None = None,
        licence_no: str = "",
        licence_state: str = "",
        dn_cert_hours: int | None = None,
        dn_cert_date: date | None = None,
        min_pin_length: int | None = None,
    ) -> Practitioner:
        """Add a profile. Names are unique ignoring case (ValueError when taken)."""
        name = " ".join(name.split())
        if not name:
            raise ValueError("the practitioner needs a name")
        cred = parse_credential(credentials)
        if cred is None:
            raise ValueError("credentials must be one of " + ", ".join(c.value for c in Credential))
        credentials = cred.value
        least = self.min_pin_length if min_pin_length is None else min_pin_length
        pin_hash = hash_pin(pin, min_length=least) if pin else ""
        if self.find_practitioner(name) is not None:
            raise ValueError(_NAME_TAKEN.format(name=name))
        try:
            with self._write() as s:
                pid = paths.add_practitioner(
                    s,
                    name=name,
                    credentials=credentials,
                    licence_no=licence_no,
                    licence_state=licence_state,
                    dn_cert_hours=dn_cert_hours,
                    dn_cert_date=dn_cert_date,
                    acupuncture_licensed=acupuncture_licensed,
                    acupuncture_degree=acupuncture_degree,
                    pin_hash=pin_hash,
                )
        except IntegrityError:
            raise ValueError(_NAME_TAKEN.format(name=name)) from None
        return self.practitioner(pid)

    def practitioners(self) -> list[Practitioner]:
        with self._read() as s:
            return list(
                s.exec(
                    select(Practitioner).where(col(Practitioner.active)).order_by(Practitioner.name)
                )
            )

    def practitioner(self, practitioner_id: int) -> Practitioner:
        with self._read() as s:
            p = _must_get(s, Practitioner, practitioner_id, "practitioner")
        return p

    def find_practitioner(self, name: str) -> Practitioner | None:
        with self._read() as s:
            return s.exec(
                select(Practitioner).where(func.lower(Practitioner.name) == name.strip().lower())
            ).first()

    def set_pin(self, practitioner_id: int, pin: str, *, min_pin_length: int | None = None) -> None:
        least = self.min_pin_length if min_pin_length is None else min_pin_length
        hashed = hash_pin(pin, min_length=least)
        p = self.practitioner(practitioner_id)
        with self._write() as s:
            paths.set_pin(s, practitioner_id=practitioner_id, name=p.name, pin_hash=hashed)

    def pin_locked_until(self, practitioner_id: int) -> datetime | None:
        """When five PIN attempts in a row failed, signing is locked for a while."""
        with self._read() as s:
            return paths.pin_locked_until(s, practitioner_id)

    def check_signer(self, practitioner_id: int, pin: str, *, visit_id: int | None = None) -> bool:
        """Check a signing PIN; every attempt is audited. Raises LockedError when locked out.

        The database counts the attempt and decides in one transaction (on
        PostgreSQL inside ``dntui_pin_check``, which never reveals the stored hash),
        so parallel guesses cannot check more than five PINs before the lockout.
        """
        p = self.practitioner(practitioner_id)
        with self._read() as s:
            params = paths.pin_params(s, practitioner_id)
        digest = pin_digest(pin, params) if params else ""
        with self._write() as s:
            result = paths.pin_attempt(
                s,
                practitioner_id=practitioner_id,
                name=p.name,
                digest=digest or "-",
                params=params,
                visit_id=visit_id,
                max_failures=PIN_LOCKOUT_FAILURES,
                lock_seconds=int(PIN_LOCKOUT.total_seconds()),
            )
        if result.startswith("locked"):
            until = datetime.fromisoformat(result.split(" ", 1)[1])
            raise LockedError(
                f"signing is locked for {p.name} after {PIN_LOCKOUT_FAILURES} wrong PINs; "
                f"try again after {until.astimezone().strftime('%H:%M')}"
            )
        return result == "ok"

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
            now = session_now(s)
            p = Patient(
                name=name,
                name_key=name_key(name),
                date_of_birth=date_of_birth,
                chart_no=chart_no.strip() or f"tmp-{now.timestamp()}",
                created_by=actor.id,
                created_at=now,
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

    def record_coverage(
        self, patient_id: int, coverage: Coverage, *, actor: Practitioner
    ) -> CoverageRecord:
        """Record what the payer said (a new row: the newest for a payer is in force).

        ``coverage`` is checked first (``coverage.check_coverage``): a bad one raises
        ``ValidationError`` and nothing is written. Audited as ``coverage.record``."""
        from dntui.domain.coverage import check_coverage  # the billing rules: loaded when used

        c = check_coverage(coverage)
        with self._write() as s:
            _must_get(s, Patient, patient_id, "patient")
            # Every field of the domain's Coverage is a column of the same name.
            row = CoverageRecord(
                patient_id=patient_id, created_by=actor.id, created_at=session_now(s), **asdict(c)
            )
            s.add(row)
            s.flush()
            audit.append(
                s,
                action="coverage.record",
                actor_id=actor.id,
                actor=actor.name,
                detail=audit.coverage_detail(row),
            )
        return row

    def patient(self, patient_id: int) -> Patient:
        with self._read() as s:
            p = _must_get(s, Patient, patient_id, "patient")
        return p

    def search_patients(self, query: str, limit: int = 20) -> list[Patient]:
        """Patients whose name (any word), chart number or date of birth starts with ``query``."""
        q = name_key(query)
        with self._read() as s:
            stmt = select(Patient)
            if q:
                stmt = stmt.where(patient_matches(q))
            stmt = stmt.order_by(Patient.name_key).limit(limit)
            return list(s.exec(stmt))

    # ---------------------------------------------------------------- visits
    def save_draft(self, draft: VisitDraft, *, actor: Practitioner) -> VisitDraft:
        """Insert or update a draft. Raises ConflictError when someone else saved it meanwhile."""
        if draft.practitioner.id is None:
            raise ValueError("a visit needs its practitioner")
        now = self.clock()
        if draft.visit_id is None:
            return self._insert_draft(draft, actor=actor)
        with self._write() as s:
            old = _must_get(s, Visit, draft.visit_id, "visit")
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
        now = self.clock()
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

    def drafts_of(self, visit_ids: Sequence[int]) -> dict[int, VisitDraft]:
        """The drafts of these visits (drafts only), in one query: what a list shows
        of a draft in progress (its muscles, so its code and count)."""
        if not visit_ids:
            return {}
        stmt = select(Visit.id, Visit.draft_json).where(
            col(Visit.id).in_(list(visit_ids)), Visit.status == "draft"
        )
        with self._read() as s:
            rows = s.execute(stmt).all()
        found: dict[int, VisitDraft] = {}
        for visit_id, body in rows:
            try:
                found[visit_id] = VisitDraft.from_dict(json.loads(body))
            except (ValueError, KeyError, TypeError):
                continue  # an unreadable draft shows without its code, never an error
        return found

    def load(self, visit_id: int) -> VisitRecord:
        with self._read() as s:
            v = _must_get(s, Visit, visit_id, "visit")
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
            v = _must_get(s, Visit, draft.visit_id, "visit", with_for_update=True)
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
            assert v.id is not None and signer.id is not None
            paths.sign_visit(
                s,
                visit_id=v.id,
                signer_id=signer.id,
                signer_name=signer.name,
                version=v.version,
                code=record.code,
                muscle_count=record.muscle_count,
                charge=record.charge,
                billing_json=record.billing_json,
                note_text=record.note_text,
                draft_json=record.draft_json,
                patient_id=draft.patient.id,
                visit_date=draft.visit_date,
                payer=draft.payer,
                diagnosis_codes=" ".join(draft.diagnosis_codes),
                abn_on_file=draft.abn_on_file,
            )
            s.refresh(v)
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
            v = _must_get(s, Visit, visit_id, "visit")
            if v.status == VisitStatus.DRAFT:
                raise ValueError(
                    "this visit is still a draft: edit it instead of adding an addendum"
                )
            assert author.id is not None
            aid = paths.add_addendum(
                s,
                visit_id=visit_id,
                author_id=author.id,
                author_name=author.name,
                kind=kind,
                reason=reason,
                body=text,
            )
            a = s.get(Addendum, aid)
            assert a is not None
        return a

    def void(self, visit_id: int, *, actor: Practitioner, reason: str) -> None:
        """Mark a visit entered-in-error. Its content stays readable; nothing is deleted."""
        if not reason.strip():
            raise ValueError("say why the visit is entered in error")
        with self._write() as s:
            v = _must_get(s, Visit, visit_id, "visit")
            if v.status == VisitStatus.ENTERED_IN_ERROR:
                raise LockedError(f"visit {visit_id} is already entered in error")
            if v.practitioner_id != actor.id:
                raise LockedError("only the visit's own practitioner can mark it entered in error")
            assert actor.id is not None
            paths.void_visit(
                s, visit_id=visit_id, actor_id=actor.id, actor_name=actor.name, reason=reason
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

    def verify_audit(self, progress: Callable[[int, int], None] | None = None) -> audit.ChainCheck:
        """Everything ``dntui audit verify`` checks: chain, keys, tail anchor, signed
        content against its sign row, guard triggers (and grants on PostgreSQL).

        ``progress(done, total)``: rows checked so far, of the audit rows, signed visits
        and coverage rows there are (a bar on a terminal for a large database)."""
        from dntui.store.guards import PG_TRIGGERS, sqlite_guards

        with self._read() as s:
            tick: audit.Tick = audit.no_tick
            if progress is not None:
                total = audit.rows_to_verify(s)
                done = 0
                progress(0, total)

                def tick(n: int) -> None:
                    nonlocal done
                    done = min(done + n, total)
                    progress(done, total)

            check = audit.verify_chain(s, self.audit_key, tick=tick)
            problems, unchecked, note = audit.check_anchor(s, self.audit_key)
            content, n_signed = audit.check_signed_content(s, tick)
            coverage, n_coverage = audit.check_coverage_rows(s, tick)
            coverage += audit.check_addenda(s)
            conn = s.connection()
            if self.sqlite:
                have = {
                    r[0]: r[1]
                    for r in conn.exec_driver_sql(
                        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger'"
                    )
                }
                guard_problems = [
                    f"guard trigger {name} is {'altered' if name in have else 'missing'}"
                    for name, sql in sqlite_guards().items()
                    if have.get(name) != sql
                ]
            else:
                guard_problems = _pg_guard_problems(conn, PG_TRIGGERS)
        check.problems += problems + content + coverage + guard_problems
        check.unchecked += unchecked
        if note:
            check.notes.append(note)
        check.notes.append(f"{check.checked} audit rows chained")
        check.notes.append(f"{n_signed} signed visits match their sign rows")
        check.notes.append(f"{n_coverage} coverage rows match their audit rows")
        if self.anchor_error:
            check.unchecked.append(
                f"the tail anchor could not be moved forward ({self.anchor_error})"
            )
        if self.restored_guards:
            check.notes.append(
                "guard triggers restored at open: " + ", ".join(self.restored_guards)
            )
        check.ok = not check.problems and not check.unchecked
        return check


RowT = TypeVar("RowT")


def _must_get(
    s: Session, model: type[RowT], key: int | None, what: str, *, with_for_update: bool = False
) -> RowT:
    """The row of ``model`` with id ``key``; ``NotFoundError("no <what> <key>")`` if none."""
    row = s.get(model, key, with_for_update=with_for_update) if key is not None else None
    if row is None:
        raise NotFoundError(f"no {what} {key}")
    return row


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
    """SHA-256 of what was signed (``audit.content_hash`` of the stored strings)."""
    from dntui.domain.record import content_hash  # the catalogs load when a visit is signed

    return content_hash(v.draft_json, v.billing_json, v.note_text)


_NAME_TAKEN = (
    "a practitioner named {name!r} already exists: add a middle initial or credential "
    "so that records and exports can tell them apart"
)

#: Database refusals (trigger or function messages) -> what the user is told.
_REFUSALS: tuple[tuple[str, type[Exception], str], ...] = (
    ("signed visit is locked", LockedError, "this visit is signed: add an addendum instead"),
    ("append-only", LockedError, "audit and addendum rows can never be changed"),
    ("changed elsewhere", ConflictError, ""),
    ("already", LockedError, ""),
    ("only the visit", LockedError, ""),
    ("does not act as practitioner", LockedError, ""),
    ("belongs to another practitioner", LockedError, ""),
    ("stays with the practitioner", LockedError, ""),
    ("patient of a signed visit", LockedError, ""),
    ("only the dntui signing path", LockedError, ""),
    ("written only by", LockedError, ""),
)


def _refusal(first_line: str) -> Exception | None:
    low = first_line.lower()
    for needle, kind, message in _REFUSALS:
        if needle in low:
            text_ = message or first_line.split("dntui: ", 1)[-1].split("CONTEXT")[0].strip()
            return kind(text_)
    return None


def _pg_guard_problems(conn, triggers: Sequence[str]) -> list[str]:  # type: ignore[no-untyped-def]
    """Missing PostgreSQL triggers, and privileges some role other than the owner holds."""
    from sqlalchemy import text as sql

    from dntui.store.guards import PG_FORBIDDEN, PG_FORBIDDEN_VISIT_COLUMNS, PG_OWNER_ONLY

    out = []
    have = {
        r[0]
        for r in conn.execute(
            sql("SELECT tgname FROM pg_trigger WHERE NOT tgisinternal AND tgenabled <> 'D'")
        )
    }
    out += [f"guard trigger {t} is missing or disabled" for t in triggers if t not in have]
    roles = [
        r[0]
        for r in conn.execute(
            sql(
                "SELECT r.rolname FROM pg_roles r, pg_class c "
                "WHERE c.oid = 'visit'::regclass AND NOT r.rolsuper "
                "AND NOT pg_has_role(r.oid, c.relowner, 'MEMBER') "
                "AND r.rolname NOT LIKE 'pg\\_%'"
            )
        )
    ]
    for role in [*roles, "public"]:
        # CREATE on the schema would let a role plant objects the guards resolve by name.
        if conn.execute(
            sql("SELECT has_schema_privilege(:r, current_schema(), 'CREATE')"), {"r": role}
        ).scalar():
            out.append(f"role {role} may CREATE in the schema")
        for table, priv in PG_FORBIDDEN:
            if conn.execute(
                sql("SELECT has_table_privilege(:r, :t, :p)"), {"r": role, "t": table, "p": priv}
            ).scalar():
                out.append(f"role {role} holds {priv} on {table}")
        for column in PG_FORBIDDEN_VISIT_COLUMNS:
            if conn.execute(
                sql("SELECT has_column_privilege(:r, 'visit', :c, 'UPDATE')"),
                {"r": role, "c": column},
            ).scalar():
                out.append(f"role {role} may UPDATE visit.{column}")
        for fn in PG_OWNER_ONLY:
            if conn.execute(
                sql("SELECT has_function_privilege(:r, :f, 'EXECUTE')"), {"r": role, "f": fn}
            ).scalar():
                out.append(f"role {role} may execute {fn}")
    return out
