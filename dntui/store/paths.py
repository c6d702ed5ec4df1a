"""The only paths to a signed or voided visit, an addendum, a practitioner and a PIN.

Each helper takes plain values and runs inside the caller's write transaction.
On PostgreSQL it calls the SECURITY DEFINER function of the same name (owned by
the schema owner, which practitioners cannot become), so the database itself
decides; on SQLite it writes through the gate (``audit.db_path``) that the
guard triggers require. See ``guards.py`` and README, Security.

Times: on SQLite every time written here (signed, voided, addendum, lockout, the
audit row's) comes from the Store's clock (``models.session_now``). On
PostgreSQL the SECURITY DEFINER functions stamp the server's ``now()`` instead,
on purpose: on a shared database the trusted time is the server's, not whatever
clock a client was opened with.
"""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlalchemy import text, update
from sqlmodel import Session, col

from dntui.store import audit
from dntui.store.models import (
    Addendum,
    Practitioner,
    PractitionerSecret,
    Visit,
    VisitStatus,
    session_now,
)


def _pg(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def sign_visit(
    session: Session,
    *,
    visit_id: int,
    signer_id: int,
    signer_name: str,
    version: int,
    code: str,
    muscle_count: int,
    charge: str,
    billing_json: str,
    note_text: str,
    draft_json: str,
    patient_id: int | None,
    visit_date: date,
    payer: str,
    diagnosis_codes: str,
    abn_on_file: bool,
) -> str:
    """Mark a draft signed with its content; audit it. Returns the content hash."""
    if _pg(session):
        return str(
            session.execute(
                text(
                    "SELECT dntui_sign(:visit_id, :signer_id, :version, :code, :muscle_count, "
                    ":charge, :billing_json, :note_text, :draft_json, :patient_id, "
                    ":visit_date, :payer, :diagnosis_codes, :abn_on_file)"
                ),
                {
                    "visit_id": visit_id,
                    "signer_id": signer_id,
                    "version": version,
                    "code": code,
                    "muscle_count": muscle_count,
                    "charge": charge,
                    "billing_json": billing_json,
                    "note_text": note_text,
                    "draft_json": draft_json,
                    "patient_id": patient_id,
                    "visit_date": visit_date,
                    "payer": payer,
                    "diagnosis_codes": diagnosis_codes,
                    "abn_on_file": abn_on_file,
                },
            ).scalar_one()
        )
    now = session_now(session)
    with audit.db_path(session):
        session.execute(
            update(Visit)
            .where(col(Visit.id) == visit_id)
            .where(col(Visit.status) == VisitStatus.DRAFT)
            .values(
                status=VisitStatus.SIGNED,
                signed_at=now,
                signed_by=signer_id,
                updated_at=now,
                code=code,
                muscle_count=muscle_count,
                charge=charge,
                billing_json=billing_json,
                note_text=note_text,
                draft_json=draft_json,
                patient_id=patient_id,
                visit_date=visit_date,
                payer=payer,
                diagnosis_codes=diagnosis_codes,
                abn_on_file=abn_on_file,
            )
        )
    content = audit.content_hash(draft_json, billing_json, note_text)
    audit.append(
        session,
        action="visit.sign",
        actor_id=signer_id,
        actor=signer_name,
        visit_id=visit_id,
        detail=f"code={code or 'none'} muscles={muscle_count} content={content}",
    )
    return content


def void_visit(
    session: Session, *, visit_id: int, actor_id: int, actor_name: str, reason: str
) -> None:
    if _pg(session):
        session.execute(
            text("SELECT dntui_void(:v, :a, :r)"), {"v": visit_id, "a": actor_id, "r": reason}
        )
        return
    with audit.db_path(session):
        session.execute(
            update(Visit)
            .where(col(Visit.id) == visit_id)
            .values(
                status=VisitStatus.ENTERED_IN_ERROR,
                void_reason=reason.strip(),
                voided_at=session_now(session),
                voided_by=actor_id,
            )
        )
    audit.append(
        session, action="visit.void", actor_id=actor_id, actor=actor_name, visit_id=visit_id
    )


def add_addendum(
    session: Session,
    *,
    visit_id: int,
    author_id: int,
    author_name: str,
    kind: str,
    reason: str,
    body: str,
) -> int:
    if _pg(session):
        return int(
            session.execute(
                text("SELECT dntui_addendum(:v, :a, :k, :r, :t)"),
                {"v": visit_id, "a": author_id, "k": kind, "r": reason, "t": body},
            ).scalar_one()
        )
    a = Addendum(
        visit_id=visit_id,
        author_id=author_id,
        text=body,
        reason=reason,
        kind=kind,
        created_at=session_now(session),
    )
    with audit.db_path(session):
        session.add(a)
        session.flush()
    assert a.id is not None
    audit.append(
        session,
        action="visit.addendum",
        actor_id=author_id,
        actor=author_name,
        visit_id=visit_id,
        detail=audit.addendum_detail(a.id, visit_id, author_id, kind, reason, body),
    )
    return a.id


def add_practitioner(
    session: Session,
    *,
    name: str,
    credentials: str,
    licence_no: str,
    licence_state: str,
    dn_cert_hours: int | None,
    dn_cert_date: date | None,
    acupuncture_licensed: bool,
    acupuncture_degree: bool,
    pin_hash: str,
) -> int:
    if _pg(session):
        return int(
            session.execute(
                text("SELECT dntui_add_practitioner(:n, :c, :ln, :ls, :h, :d, :acu, :deg, :pin)"),
                {
                    "n": name,
                    "c": credentials,
                    "ln": licence_no,
                    "ls": licence_state,
                    "h": dn_cert_hours,
                    "d": dn_cert_date,
                    "acu": acupuncture_licensed,
                    "deg": acupuncture_degree,
                    "pin": pin_hash,
                },
            ).scalar_one()
        )
    p = Practitioner(
        name=name,
        credentials=credentials,
        acupuncture_licensed=acupuncture_licensed,
        acupuncture_degree=acupuncture_degree,
        licence_no=licence_no,
        licence_state=licence_state,
        dn_cert_hours=dn_cert_hours,
        dn_cert_date=dn_cert_date,
        created_at=session_now(session),
    )
    with audit.db_path(session):
        session.add(p)
        session.flush()
        assert p.id is not None
        session.add(PractitionerSecret(practitioner_id=p.id, pin_hash=pin_hash))
        session.flush()
    audit.append(
        session, action="practitioner.create", actor_id=p.id, actor=p.name, detail=credentials
    )
    return p.id


def set_pin(session: Session, *, practitioner_id: int, name: str, pin_hash: str) -> None:
    if _pg(session):
        session.execute(text("SELECT dntui_pin_set(:p, :h)"), {"p": practitioner_id, "h": pin_hash})
        return
    with audit.db_path(session):
        sec = session.get(PractitionerSecret, practitioner_id)
        if sec is None:
            sec = PractitionerSecret(practitioner_id=practitioner_id)
        sec.pin_hash, sec.failures, sec.locked_until = pin_hash, 0, None
        session.add(sec)
        session.flush()
    audit.append(session, action="practitioner.pin-set", actor_id=practitioner_id, actor=name)


def pin_params(session: Session, practitioner_id: int) -> str:
    """The stored PIN hash without its digest ('' when no PIN is set)."""
    if _pg(session):
        return str(
            session.execute(text("SELECT dntui_pin_params(:p)"), {"p": practitioner_id}).scalar()
            or ""
        )
    sec = session.get(PractitionerSecret, practitioner_id)
    if sec is None or not sec.pin_hash:
        return ""
    return sec.pin_hash.rsplit("$", 1)[0]


def pin_locked_until(session: Session, practitioner_id: int) -> datetime | None:
    if _pg(session):
        return session.execute(  # type: ignore[no-any-return]
            text("SELECT dntui_pin_locked_until(:p)"), {"p": practitioner_id}
        ).scalar()
    sec = session.get(PractitionerSecret, practitioner_id)
    if sec is None or sec.locked_until is None or sec.locked_until <= session_now(session):
        return None
    return sec.locked_until


def pin_attempt(
    session: Session,
    *,
    practitioner_id: int,
    name: str,
    digest: str,
    params: str,
    visit_id: int | None,
    max_failures: int,
    lock_seconds: int,
) -> str:
    """One PIN attempt, checked and counted atomically: 'ok', 'fail' or 'locked <iso time>'."""
    if _pg(session):
        return str(
            session.execute(
                text("SELECT dntui_pin_check(:p, :d, :v, :m, :s)"),
                {
                    "p": practitioner_id,
                    "d": digest,
                    "v": visit_id,
                    "m": max_failures,
                    "s": lock_seconds,
                },
            ).scalar_one()
        )
    import hmac
    from datetime import timedelta

    sec = session.get(PractitionerSecret, practitioner_id)
    now = session_now(session)
    if sec is not None and sec.locked_until is not None and sec.locked_until > now:
        return f"locked {sec.locked_until.isoformat()}"
    stored = sec.pin_hash if sec is not None else ""
    ok = (
        bool(stored)
        and stored.rsplit("$", 1)[0] == params
        and hmac.compare_digest(stored.rsplit("$", 1)[-1], digest)
    )
    if sec is not None:
        if ok:
            sec.failures, sec.locked_until = 0, None
        elif sec.failures + 1 >= max_failures:
            sec.failures, sec.locked_until = 0, now + timedelta(seconds=lock_seconds)
        else:
            sec.failures += 1
        with audit.db_path(session):
            session.add(sec)
            session.flush()
    audit.append(
        session,
        action="pin.ok" if ok else "pin.fail",
        actor_id=practitioner_id,
        actor=name,
        visit_id=visit_id,
    )
    return "ok" if ok else "fail"


def dumps_billing(billing: dict[str, object]) -> str:
    return json.dumps(billing, default=str)
