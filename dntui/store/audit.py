"""The keyed, hash-chained audit trail and what ``dntui audit verify`` checks.

Each row's hash covers its own content and the previous row's hash, so editing,
deleting or reordering a row breaks the chain from that row on (ONC
170.315(d)(2): alteration detectable). Since schema 0004 the hash is an
HMAC-SHA-256 under a clinic key that is not in the audit table, so someone who
edits a row cannot recompute the hashes after it:

* SQLite: the key is ``audit.key`` in the config folder (0600, created on first
  use). Whoever can read that file and write the database can rewrite history;
  someone with only the database file cannot.
* PostgreSQL: the key is a row of ``dntui_secret``, readable only by the schema
  owner; rows are appended by ``dntui_audit_append`` (SECURITY DEFINER), so
  practitioners never see the key and cannot insert audit rows themselves.

Rows written before 0004 (``key_id`` empty) keep their plain SHA-256 hashes and
verify as before; they must come before every keyed row.

The **tail anchor** (the head's seq and hash, MAC'd with the key) is written
after each append outside the audit table: on PostgreSQL in ``audit_anchor``
(only the SECURITY DEFINER functions write it), on SQLite in the config folder
(``anchors/<database id>``), outside the database file. Rows cut from the end
no longer reach the anchor, which ``verify`` reports.
"""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
import hmac
import json
import os
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, text
from sqlmodel import Session, col, select

from dntui.store.models import (
    AuditEvent,
    CoverageRecord,
    Meta,
    Patient,
    ScreeningRecord,
    Visit,
    VisitMuscle,
    VisitStatus,
    session_now,
)

GENESIS = "0" * 64
_PG_AUDIT_LOCK = 0x61_75_64_69_74  # "audit"
KEY_FILE = "audit.key"


def content_hash(draft_json: str, billing_json: str, note_text: str) -> str:
    """``dntui.domain.record.content_hash``, imported when first used: it brings the
    clinical catalogs, which a start-up that signs nothing does not need (issue 16)."""
    from dntui.domain.record import content_hash as of_record

    return of_record(draft_json, billing_json, note_text)


# ------------------------------------------------------------------ content
# --------------------------------------------------------------------- keys
@dataclass(frozen=True)
class AuditKey:
    secret: bytes
    path: Path | None = None

    @property
    def key_id(self) -> str:
        return key_id(self.secret)


def key_id(secret: bytes) -> str:
    """A public name for a key (never the key): the first 16 hex of an HMAC under it."""
    return hmac.new(secret, b"dntui audit key id", hashlib.sha256).hexdigest()[:16]


def load_key(folder: Path) -> AuditKey:
    """The clinic key in ``folder/audit.key``; created (0600, in a 0700 folder) when missing."""
    from dntui.store.errors import StoreError

    path = folder / KEY_FILE
    try:
        return _load_key(folder, path)
    except OSError as exc:
        raise StoreError(
            f"cannot read or create the audit key {path}: {exc.strerror or exc}; "
            "check the config folder's permissions or set DNTUI_CONFIG_DIR"
        ) from None


def _load_key(folder: Path, path: Path) -> AuditKey:
    from dntui.config import ensure_private_dir
    from dntui.store.errors import StoreError

    if not path.exists():
        # Written whole to a temp file, then linked into place: a process starting at
        # the same moment either finds no key or the complete one, never half of it.
        ensure_private_dir(folder)
        tmp = folder / f".{KEY_FILE}.{os.getpid()}.{secrets.token_hex(4)}"
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        try:
            with os.fdopen(fd, "w", encoding="ascii") as fh:
                fh.write(secrets.token_hex(32) + "\n")
                fh.flush()
                os.fsync(fh.fileno())
            with contextlib.suppress(FileExistsError):
                os.link(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
    try:
        raw = path.read_text(encoding="ascii").strip()
    except UnicodeDecodeError:
        raw = ""
    try:
        secret = bytes.fromhex(raw)
    except ValueError:
        secret = b""
    if len(secret) < 16:
        raise StoreError(f"the audit key {path} is damaged: restore it from a backup")
    return AuditKey(secret, path)


# ------------------------------------------------------------------ hashing
def _stamp(at: datetime) -> str:
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def payload(event: AuditEvent) -> bytes:
    """What a row's hash covers (the same bytes as ``dntui_audit_payload`` on PostgreSQL)."""
    return json.dumps(
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
    ).encode("utf-8")


def row_hash(event: AuditEvent) -> str:
    """The unkeyed SHA-256 of rows written before schema 0004."""
    return hashlib.sha256(payload(event)).hexdigest()


def row_mac(secret: bytes, event: AuditEvent) -> str:
    return hmac.new(secret, payload(event), hashlib.sha256).hexdigest()


def anchor_mac(secret: bytes, seq: int, head: str) -> str:
    return hmac.new(secret, f"anchor|{seq}|{head}".encode(), hashlib.sha256).hexdigest()


# ------------------------------------------------------------ the gate (SQLite)
@contextlib.contextmanager
def db_path(session_or_conn: Any) -> Any:
    """Open SQLite's gate for the writes only dntui may make (see ``guards.py``).

    The guard triggers call ``dntui_path()``, a function dntui registers on its own
    connections: 1 while this block runs, 0 otherwise, and undefined (so the
    statement fails) in a SQL shell. No-op on PostgreSQL, whose rule is the role.
    """
    conn = session_or_conn.connection() if isinstance(session_or_conn, Session) else session_or_conn
    if conn.dialect.name != "sqlite":
        yield
        return
    gate = conn.connection.info.get("dntui_gate")
    if gate is None:  # a connection dntui did not configure
        yield
        return
    gate[0] += 1
    try:
        yield
    finally:
        gate[0] -= 1


# ------------------------------------------------------------------ appending
def append(
    session: Session,
    *,
    action: str,
    actor_id: int | None,
    actor: str,
    visit_id: int | None = None,
    detail: str = "",
) -> None:
    """Add one audit row to the session's (write) transaction."""
    bind = session.get_bind()
    if bind.dialect.name == "postgresql":
        session.execute(
            text("SELECT dntui_audit_append(:action, :actor_id, :actor, :visit_id, :detail)"),
            {
                "action": action,
                "actor_id": actor_id,
                "actor": actor,
                "visit_id": visit_id,
                "detail": detail,
            },
        )
        return
    key: AuditKey | None = session.info.get("dntui_key")
    if key is None:
        raise RuntimeError("audit.append on SQLite needs the store's audit key")
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    event = AuditEvent(
        seq=(last.seq + 1) if last else 1,
        at=session_now(session),
        actor_id=actor_id,
        actor=actor,
        action=action,
        visit_id=visit_id,
        detail=detail,
        prev_hash=last.hash if last else GENESIS,
        key_id=key.key_id,
    )
    event.hash = row_mac(key.secret, event)
    with db_path(session):
        session.add(event)
        session.flush()
    session.info["dntui_head"] = (event.seq, event.hash)


# ------------------------------------------------------ SQLite anchor (a file)
def database_id(session: Session) -> str:
    row = session.get(Meta, "database_id")
    return row.value if row is not None else ""


def anchor_path(key: AuditKey, db_id: str) -> Path | None:
    if key.path is None or not db_id:
        return None
    return key.path.parent / "anchors" / db_id


def read_anchor(path: Path) -> tuple[int, str, str] | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return int(data["seq"]), str(data["hash"]), str(data["mac"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_anchor(key: AuditKey, db_id: str, seq: int, head: str, *, force: bool = False) -> None:
    """Move the anchor forward to (seq, head); never back, unless ``force`` (a re-anchor)."""
    from dntui.config import ensure_private_dir, write_private_text

    path = anchor_path(key, db_id)
    if path is None:
        return
    ensure_private_dir(path.parent)
    lock = os.open(path.with_name(path.name + ".lock"), os.O_RDWR | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        old = read_anchor(path)
        if old is not None and old[0] >= seq and not force:
            return
        body = {"seq": seq, "hash": head, "mac": anchor_mac(key.secret, seq, head)}
        write_private_text(path, json.dumps(body) + "\n")
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)


# ------------------------------------------------------------------ verifying
@dataclass
class ChainCheck:
    """What ``dntui audit verify`` found. ``ok`` only when nothing is wrong or unchecked."""

    ok: bool
    checked: int
    broken_at: int | None = None  # seq of the first bad row
    reason: str = ""
    problems: list[str] = field(default_factory=list)  # tampering found
    unchecked: list[str] = field(default_factory=list)  # could not be checked here
    notes: list[str] = field(default_factory=list)  # facts (counts, key id)

    @property
    def exit_code(self) -> int:
        """0 intact, 1 tampering found, 3 parts could not be checked (missing key/anchor)."""
        if self.problems:
            return 1
        return 3 if self.unchecked else 0

    def message(self) -> str:
        if self.ok:
            return f"audit chain intact: {self.checked} rows verified"
        if self.broken_at is not None:
            return f"audit chain broken at row {self.broken_at}: {self.reason}"
        if self.problems:
            return f"audit trail not intact: {self.problems[0]}"
        return f"audit trail not fully verified: {self.unchecked[0]}"

    def report(self) -> str:
        lines = [self.message()]
        lines += [f"BROKEN: {p}" for p in self.problems]
        lines += [f"NOT CHECKED: {u}" for u in self.unchecked]
        lines += [f"ok: {n}" for n in self.notes]
        if self.ok:
            lines.append("result: intact")
        elif self.problems:
            lines.append("result: BROKEN")
        else:
            lines.append("result: incomplete")
        return "\n".join(lines)


def _expected_pg(session: Session, seqs: list[int]) -> dict[int, str | None]:
    rows = session.execute(
        text("SELECT seq, expected FROM dntui_audit_expected(:lo, :hi)"),
        {"lo": min(seqs), "hi": max(seqs)},
    ).all()
    return {int(r[0]): r[1] for r in rows}


#: Reports rows checked since the last call (``audit verify``'s progress bar).
Tick = Callable[[int], None]

#: How many rows the content checks go through between two ticks.
TICK_EVERY = 1000


def no_tick(_: int) -> None:
    pass


def _signed_visits() -> Any:
    return col(Visit.signed_at).is_not(None) | (Visit.status == VisitStatus.SIGNED)


def rows_to_verify(session: Session) -> int:
    """What ``audit verify`` goes through: audit rows, signed visits and coverage rows."""
    audit_rows = session.exec(select(func.count()).select_from(AuditEvent)).one()
    visits = session.exec(select(func.count()).select_from(Visit).where(_signed_visits())).one()
    coverage = session.exec(select(func.count()).select_from(CoverageRecord)).one()
    return int(audit_rows) + int(visits) + int(coverage)


def verify_chain(
    session: Session, key: AuditKey | None, batch: int = 5000, tick: Tick = no_tick
) -> ChainCheck:
    """Walk the whole chain in order; report the first row that does not fit."""
    pg = session.get_bind().dialect.name == "postgresql"
    prev = GENESIS
    expected_seq = 1
    checked = 0
    last_seq = 0
    seen_keyed = False
    foreign_keys: set[str] = set()
    while True:
        rows = session.exec(
            select(AuditEvent)
            .where(col(AuditEvent.seq) > last_seq)
            .order_by(col(AuditEvent.seq))
            .limit(batch)
        ).all()
        if not rows:
            unchecked = []
            if foreign_keys:
                unchecked.append(
                    f"rows written with key(s) {', '.join(sorted(foreign_keys))}, which is not "
                    "this machine's audit key: their hashes could not be recomputed"
                )
            return ChainCheck(not unchecked, checked, unchecked=unchecked)
        expected = _expected_pg(session, [r.seq for r in rows]) if pg else {}
        tick(len(rows))
        for ev in rows:

            def broken(seq: int, why: str, n: int = checked) -> ChainCheck:
                msg = f"row {seq}: {why}"
                return ChainCheck(False, n, seq, why, problems=[msg])

            if ev.seq != expected_seq:
                return broken(expected_seq, f"row {expected_seq} is missing")
            if ev.prev_hash != prev:
                return broken(ev.seq, "it does not follow the previous row")
            if not ev.key_id:
                if seen_keyed:
                    return broken(
                        ev.seq, "an unkeyed row after keyed ones: its content was changed"
                    )
                if row_hash(ev) != ev.hash:
                    return broken(ev.seq, "its content was changed")
            else:
                seen_keyed = True
                if pg:
                    want = expected.get(ev.seq)
                elif key is not None and ev.key_id == key.key_id:
                    want = row_mac(key.secret, ev)
                else:
                    want = None
                if want is None:
                    foreign_keys.add(ev.key_id)
                elif not hmac.compare_digest(want, ev.hash):
                    return broken(ev.seq, "its content was changed")
            prev = ev.hash
            expected_seq += 1
            checked += 1
            last_seq = ev.seq


def head(session: Session) -> tuple[int, str]:
    last = session.exec(select(AuditEvent).order_by(col(AuditEvent.seq).desc()).limit(1)).first()
    return (last.seq, last.hash) if last else (0, GENESIS)


def check_anchor(session: Session, key: AuditKey | None) -> tuple[list[str], list[str], str]:
    """(problems, unchecked, note) for the tail anchor."""
    seq, _ = head(session)
    if session.get_bind().dialect.name == "postgresql":
        row = session.execute(
            text("SELECT seq, hash, dntui_anchor_ok() FROM audit_anchor WHERE id = 1")
        ).first()
        if row is None:
            return ["the tail anchor (audit_anchor) is missing"], [], ""
        a_seq, a_hash, mac_ok = int(row[0]), str(row[1]), bool(row[2])
        if not mac_ok:
            return ["the tail anchor was changed (its MAC does not match)"], [], ""
    else:
        path = anchor_path(key, database_id(session)) if key is not None else None
        found = read_anchor(path) if path is not None else None
        if found is None:
            where = str(path) if path is not None else "the config folder"
            return [], [f"no tail anchor for this database in {where}: truncation not checked"], ""
        a_seq, a_hash, mac = found
        assert key is not None
        if not hmac.compare_digest(mac, anchor_mac(key.secret, a_seq, a_hash)):
            return [f"the tail anchor {path} was changed (its MAC does not match)"], [], ""
    if a_seq > seq:
        return [f"rows {seq + 1}-{a_seq} were cut from the end of the audit trail"], [], ""
    if a_seq == 0:
        return [], [], "tail anchor: empty trail"
    got = session.exec(select(AuditEvent).where(AuditEvent.seq == a_seq)).first()
    if got is None or got.hash != a_hash:
        return [f"row {a_seq} is not the row the tail anchor recorded"], [], ""
    return [], [], f"tail anchor reached (row {a_seq} of {seq})"


_SIGN_CONTENT = "content="


def check_signed_content(session: Session, tick: Tick = no_tick) -> tuple[list[str], int]:
    """Each signed (or voided after signing) visit's content vs its visit.sign row."""
    problems: list[str] = []
    signs: dict[int, str] = {}
    for ev in session.exec(select(AuditEvent).where(AuditEvent.action == "visit.sign")):
        if ev.visit_id is None:
            continue
        recorded = ev.detail.rsplit(_SIGN_CONTENT, 1)[-1] if _SIGN_CONTENT in ev.detail else ""
        if ev.visit_id in signs:
            problems.append(f"visit {ev.visit_id} has more than one sign row")
        signs[ev.visit_id] = recorded
    signers: dict[int, int | None] = {}
    for ev in session.exec(select(AuditEvent).where(AuditEvent.action == "visit.sign")):
        if ev.visit_id is not None:
            signers[ev.visit_id] = ev.actor_id
    n = 0
    # A list: the checks below query the muscle and screening rows of each visit.
    visits = list(session.exec(select(Visit).where(_signed_visits()).order_by(col(Visit.id))))
    for v in visits:
        n += 1
        if n % TICK_EVERY == 0:
            tick(TICK_EVERY)
        assert v.id is not None
        recorded = signs.pop(v.id, None)
        if recorded is None:
            problems.append(f"visit {v.id} is {v.status} but no audit row signed it")
            continue
        if content_hash(v.draft_json, v.billing_json, v.note_text) != recorded:
            problems.append(f"visit {v.id}: its content differs from what was signed")
            continue
        problems += _columns_against_content(session, v, signers.get(v.id))
    for vid in sorted(signs):
        problems.append(f"visit {vid} was signed in the audit trail but is not signed now")
    tick(n % TICK_EVERY)
    return problems, n


def _same_money(a: object, b: object) -> bool:
    from decimal import Decimal, InvalidOperation

    if a in (None, "") or b in (None, ""):
        return a in (None, "") and b in (None, "")
    try:
        return Decimal(str(a)) == Decimal(str(b))
    except InvalidOperation:
        return str(a) == str(b)


def _columns_against_content(session: Session, v: Visit, signer_id: int | None) -> list[str]:
    """What the screens, day sheet and exports read beside the hashed content (the
    visit's own columns, its patient's row, its muscle and screening rows) against the
    signed draft and billing it was written from: an edit made behind the triggers
    there is not covered by the content hash, so it is compared here. Only fields the
    signed JSON holds are compared (visits signed by older versions may lack some)."""
    try:
        draft = json.loads(v.draft_json)
        billing = json.loads(v.billing_json)
    except ValueError:
        return [f"visit {v.id}: its signed draft or billing cannot be read"]
    if not isinstance(draft, dict) or not isinstance(billing, dict):
        return [f"visit {v.id}: its signed draft or billing cannot be read"]
    differ: list[str] = []

    def compare(what: str, stored: object, signed: object) -> None:
        if stored != signed:
            differ.append(what)

    if "code" in billing:
        compare("code", v.code, billing["code"] or "")
    if "muscle_count" in billing:
        compare("muscle count", v.muscle_count, billing["muscle_count"])
    if "charge" in billing and not _same_money(v.charge, billing["charge"]):
        differ.append("charge")
    if "payer" in draft:
        compare("payer", v.payer, draft["payer"])
    if "diagnosis_codes" in draft:
        compare("diagnosis codes", v.diagnosis_codes, " ".join(draft["diagnosis_codes"] or []))
    if "abn_on_file" in draft:
        compare("ABN", bool(v.abn_on_file), bool(draft["abn_on_file"]))
    if "visit_date" in draft:
        compare("date", v.visit_date.isoformat(), draft["visit_date"])
    practitioner = draft.get("practitioner") or {}
    if isinstance(practitioner, dict) and "id" in practitioner:
        compare("practitioner", v.practitioner_id, practitioner["id"])
    if signer_id is not None:
        compare("signer", v.signed_by, signer_id)
    patient = draft.get("patient") or {}
    if isinstance(patient, dict) and "id" in patient:
        compare("patient", v.patient_id, patient["id"])
        row = session.get(Patient, v.patient_id) if v.patient_id is not None else None
        if row is not None:
            if "name" in patient:
                compare("patient name", row.name, patient["name"])
            if "date_of_birth" in patient:
                dob = row.date_of_birth.isoformat() if row.date_of_birth else None
                compare("patient date of birth", dob, patient["date_of_birth"])
            if patient.get("chart_no"):
                compare("chart number", row.chart_no, patient["chart_no"])
    if isinstance(draft.get("muscles"), list):
        rows = session.exec(
            select(VisitMuscle)
            .where(VisitMuscle.visit_id == v.id)
            .order_by(col(VisitMuscle.position))
        ).all()
        stored = [(m.muscle_id, m.side, m.needles_in, m.needles_out) for m in rows]
        signed = [
            (m.get("muscle_id"), m.get("side"), m.get("needles_in"), m.get("needles_out"))
            for m in draft["muscles"]
            if isinstance(m, dict)
        ]
        compare("muscle rows", stored, signed)
    if isinstance(draft.get("screening"), dict):
        answers = session.exec(
            select(ScreeningRecord).where(ScreeningRecord.visit_id == v.id)
        ).all()
        stored_s = sorted((a.item_id, a.answer) for a in answers)
        signed_s = sorted(
            (k, a.get("answer")) for k, a in draft["screening"].items() if isinstance(a, dict)
        )
        compare("screening rows", stored_s, signed_s)
    if not differ:
        return []
    verb = "differs" if len(differ) == 1 else "differ"
    return [f"visit {v.id}: {', '.join(differ)} {verb} from what was signed"]


# ------------------------------------------------------------------ addenda
_ADDENDUM_ROW = " addendum "


def addendum_digest(
    addendum_id: int, visit_id: int, author_id: int, kind: str, reason: str, body: str
) -> str:
    """SHA-256 over the addendum's ids and the SHA-256 of each text field (PostgreSQL's
    ``dntui_addendum`` computes the same with ``sha256()``: no JSON to agree on)."""

    def h(value: str) -> str:
        return hashlib.sha256(value.encode("utf-8")).hexdigest()

    joined = "|".join(
        [str(addendum_id), str(visit_id), str(author_id), h(kind), h(reason), h(body)]
    )
    return h(joined)


def addendum_detail(
    addendum_id: int, visit_id: int, author_id: int, kind: str, reason: str, body: str
) -> str:
    """The ``visit.addendum`` audit detail since schema 0006: the kind, which row, and
    the digest of what it says (before: the kind alone)."""
    digest = addendum_digest(addendum_id, visit_id, author_id, kind, reason, body)
    return f"{kind}{_ADDENDUM_ROW}{addendum_id}{_COVERAGE_DIGEST}{digest}"


def check_addenda(session: Session) -> list[str]:
    """Each visit's addenda against its ``visit.addendum`` audit rows: as many rows as
    audit rows, and each row written since schema 0006 as its digest recorded."""
    from dntui.store.models import Addendum

    audited: dict[int, int] = {}
    recorded: dict[int, tuple[int | None, str]] = {}
    for ev in session.exec(select(AuditEvent).where(AuditEvent.action == "visit.addendum")):
        if ev.visit_id is None:
            continue
        audited[ev.visit_id] = audited.get(ev.visit_id, 0) + 1
        head, _, digest = ev.detail.partition(_COVERAGE_DIGEST)
        _, sep, row = head.partition(_ADDENDUM_ROW)
        if sep and row.strip().isdigit():
            recorded[int(row)] = (ev.visit_id, digest)
    have: dict[int, int] = {}
    problems: list[str] = []
    for a in session.exec(select(Addendum).order_by(col(Addendum.id))):
        assert a.id is not None
        have[a.visit_id] = have.get(a.visit_id, 0) + 1
        found = recorded.pop(a.id, None)
        if found is None:
            continue  # written before 0006 (the count below still holds it)
        visit_id, digest = found
        if visit_id != a.visit_id or digest != addendum_digest(
            a.id, a.visit_id, a.author_id, a.kind, a.reason, a.text
        ):
            problems.append(f"visit {visit_id}: addendum {a.id} differs from what was recorded")
    for visit_id, row_id in ((v, r) for r, (v, _) in recorded.items()):
        problems.append(f"visit {visit_id}: addendum {row_id} was recorded but is gone")
    for visit_id in sorted(set(audited) | set(have)):
        if audited.get(visit_id, 0) != have.get(visit_id, 0) and not any(
            p.startswith(f"visit {visit_id}: addendum") for p in problems
        ):
            problems.append(
                f"visit {visit_id}: addenda: {have.get(visit_id, 0)} rows, "
                f"{audited.get(visit_id, 0)} audit rows"
            )
    return problems


# ------------------------------------------------------------- coverage rows
_COVERAGE_FIELDS = (
    "patient_id",
    "payer",
    "verified_on",
    "verified_by",
    "reference_no",
    "authorization_no",
    "visits_authorized",
    "starts",
    "ends",
    "notes",
    "created_by",
)
_COVERAGE_DIGEST = " sha256 "


def coverage_detail(row: CoverageRecord) -> str:
    """The ``coverage.record`` audit detail: which row, and a digest of what it says.

    The chained audit row (keyed: only dntui can write one) is what ``audit verify``
    holds each coverage row against: a row added from a SQL shell has none, and a row
    changed behind the append-only trigger no longer matches its digest."""
    return (
        f"coverage {row.id} patient {row.patient_id} payer {row.payer}"
        f"{_COVERAGE_DIGEST}{_coverage_digest(row)}"
    )


def _coverage_digest(row: CoverageRecord) -> str:
    content = {name: getattr(row, name) for name in _COVERAGE_FIELDS}
    blob = json.dumps(content, sort_keys=True, default=str, separators=(",", ":"))
    return hashlib.sha256(blob.encode()).hexdigest()


def check_coverage_rows(session: Session, tick: Tick = no_tick) -> tuple[list[str], int]:
    """Each coverage row against its ``coverage.record`` audit row."""
    recorded: dict[int, str] = {}
    recorder: dict[int, int | None] = {}
    for ev in session.exec(select(AuditEvent).where(AuditEvent.action == "coverage.record")):
        head, _, digest = ev.detail.partition(_COVERAGE_DIGEST)
        parts = head.split()
        if len(parts) >= 2 and parts[0] == "coverage" and parts[1].isdigit():
            recorded[int(parts[1])] = digest
            recorder[int(parts[1])] = ev.actor_id
    problems: list[str] = []
    n = 0
    for row in session.exec(select(CoverageRecord).order_by(col(CoverageRecord.id))):
        n += 1
        if n % TICK_EVERY == 0:
            tick(TICK_EVERY)
        digest = recorded.get(row.id) if row.id is not None else None
        if digest is None:
            problems.append(f"coverage row {row.id} has no audit row: written outside dntui")
        elif digest != _coverage_digest(row):
            problems.append(f"coverage row {row.id}: its content differs from what was recorded")
        elif row.created_by is not None and recorder.get(row.id) != row.created_by:
            # The audit row's actor is checked by the database (dntui_audit_append on
            # PostgreSQL, the gate on SQLite); the row's own created_by is not.
            problems.append(
                f"coverage row {row.id}: recorded by practitioner {recorder.get(row.id)} "
                f"in the name of practitioner {row.created_by}"
            )
    tick(n % TICK_EVERY)
    return problems, n
