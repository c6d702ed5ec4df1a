"""The hash-chained audit trail.

Each row's hash is SHA-256 over its own content and the previous row's hash, so
editing, deleting or reordering any row breaks the chain from that row on
(ONC 170.315(d)(2): alteration detectable; shared/reliability.md). Rows are
appended inside the caller's write transaction, which is serialised (BEGIN
IMMEDIATE on SQLite, an advisory lock on PostgreSQL), and ``seq`` is unique, so
two writers can never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import text
from sqlmodel import Session, col, select

from dntui.store.models import AuditEvent, utcnow

GENESIS = "0" * 64
_PG_AUDIT_LOCK = 0x61_75_64_69_74  # "audit"


def _stamp(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def row_hash(event: AuditEvent) -> str:
    payload = json.dumps(
        [
            event.seq,
            _stamp(event.at),
            event.actor_id,
            event.actor,
            event.action,
            event.visit_id,
            event.detail,
            event.prev_hash,
        ],
        separators=(",", ":"),
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def append(
    session: Session,
    *,
    action: str,
    actor_id: int | None,
    actor: str,
    visit_id: int | None = None,
    detail: str = "",
) -> AuditEvent:
    """Add one audit row to the session's (write) transaction."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_AUDIT_LOCK})
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        at=utcnow(),
        actor_id=actor_id,
        actor=actor,
        action=action,
        visit_id=visit_id,
        detail=detail,
        prev_hash=last.hash if last else GENESIS,
    )
    event.hash = row_hash(event)
    session.add(event)
    session.flush()
    return event


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    broken_at: int | None = None  # seq of the first bad row
    reason: str = ""

    def message(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} rows verified"
        return f"audit chain broken at row {self.broken_at}: {self.reason}"


def verify(session: Session, batch: int = 5000) -> ChainCheck:
    """Walk the whole chain in order; report the first row that does not fit."""
    prev = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    while True:
        rows = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.seq) > last_seq)
            .order_by(col(AuditEvent.seq))
            .limit(batch)
        ).all()
        if not rows:
            return ChainCheck(True, checked)
        for ev in rows:
            if ev.seq != expected_seq:
                return ChainCheck(False, checked, expected_seq, f"row {expected_seq} is missing")
            if ev.prev_hash != prev:
                return ChainCheck(False, checked, ev.seq, "it does not follow the previous row")
            if row_hash(ev) != ev.hash:
                return ChainCheck(False, checked, ev.seq, "its content was changed")
            prev = ev.hash
            expected_seq += 1
            checked += 1
            last_seq = ev.seq
