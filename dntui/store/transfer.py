"""Copy a whole dntui database into another (SQLite → PostgreSQL for a growing clinic).

Rows keep their ids, so the audit chain (which names visit ids) stays valid and
is verified on arrival. The lock triggers are respected, not disabled: visits
arrive as drafts, their muscles and screening rows follow, and only then does
each visit take its real status (draft → signed and draft → entered-in-error
are the transitions the triggers allow). Everything happens in one transaction
on the target: a failure leaves it empty.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Table, func, insert, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlmodel import Session, SQLModel

from dntui.store import audit, models
from dntui.store.audit import ChainCheck
from dntui.store.errors import StoreError
from dntui.store.repo import Store

#: Tables in foreign-key order. (``dntui_meta``, ``dntui_secret`` and ``audit_anchor``
#: are the target's own: its id, and the key and anchor set after the copy.)
ORDER = (
    "practitioner",
    "practitioner_secret",
    "patient",
    "visit",
    "visit_muscle",
    "screening_answer",
    "addendum",
    "audit",
)


@dataclass(frozen=True)
class TransferResult:
    counts: dict[str, int]
    check: ChainCheck


def _table(name: str) -> Table:
    return SQLModel.metadata.tables[name]


#: ``progress(rows copied, rows in all, table)``, called after every batch.
CopyProgress = Callable[[int, int, str], None]


def copy_database(
    source: Store, target: Store, *, batch: int = 2000, progress: CopyProgress | None = None
) -> TransferResult:
    """Copy every row of ``source`` into the empty ``target``; verify the audit chain there."""
    with target.engine.connect() as conn:
        for name in ORDER:
            if conn.execute(select(_table(name)).limit(1)).first() is not None:
                raise StoreError(
                    f"the target database already holds data (table {name}): use an empty one"
                )
        conn.rollback()
    try:
        counts = _copy(source, target, batch, progress)
    except DBAPIError as exc:
        # One line, never the statement or its parameters (patient data).
        first = (str(exc.orig).strip().splitlines() or [type(exc.orig).__name__])[0]
        raise StoreError(
            f"copying failed and was undone, the target is still empty: {first}"
        ) from None
    check = target.verify_audit()
    return TransferResult(counts, check)


def _source_key(source: Store) -> bytes | None:
    if source.audit_key is not None:
        return source.audit_key.secret
    with source.engine.connect() as conn:  # PostgreSQL: readable by its owner only
        row = conn.execute(text("SELECT value FROM dntui_secret WHERE name = 'audit_key'")).first()
        conn.rollback()
    return bytes(row[0]) if row else None


def _copy(
    source: Store, target: Store, batch: int, progress: CopyProgress | None
) -> dict[str, int]:
    total = 0
    if progress is not None:
        with source.engine.connect() as src:
            for name in ORDER:
                total += int(
                    src.execute(select(func.count()).select_from(_table(name))).scalar_one()
                )
            src.rollback()
        progress(0, total, ORDER[0])
    copied = 0
    counts: dict[str, int] = {}
    pending_statuses: list[tuple[int, str]] = []
    key = _source_key(source)
    with source.engine.connect() as src, target.engine.begin() as dst, audit.db_path(dst):
        for name in ORDER:
            table = _table(name)
            statuses: list[tuple[int, str]] = []
            n = 0
            result = src.execution_options(yield_per=batch).execute(
                select(table).order_by(*table.primary_key.columns)
            )
            for chunk in result.partitions(batch):
                rows = [dict(r._mapping) for r in chunk]
                if name == "visit":
                    for r in rows:
                        if r["status"] != models.VisitStatus.DRAFT:
                            statuses.append((r["id"], r["status"]))
                            r["status"] = models.VisitStatus.DRAFT
                dst.execute(insert(table), rows)
                n += len(rows)
                copied += len(rows)
                if progress is not None:
                    progress(copied, max(total, copied), name)
            counts[name] = n
            if name == "screening_answer":
                # All child rows are in: let each visit take its real status.
                _restore_statuses(dst, pending_statuses)
            if name == "visit":
                pending_statuses = statuses
        if dst.dialect.name == "postgresql":
            for name in ORDER:
                dst.execute(
                    text(
                        f"SELECT setval(pg_get_serial_sequence('{name}', 'id'), "
                        f"COALESCE((SELECT MAX(id) FROM {name}), 0) + 1, false)"
                    )
                    if name != "practitioner_secret"
                    else text("SELECT 1")
                )
            # The chain arrives with the key it was written with, and a new anchor.
            if key is not None:
                dst.execute(
                    text("UPDATE dntui_secret SET value = :k WHERE name = 'audit_key'"), {"k": key}
                )
            dst.execute(text("SELECT dntui_reanchor()"))
    if target.audit_key is not None:
        with Session(target.engine) as s:
            seq, head = audit.head(s)
        audit.write_anchor(target.audit_key, target.database_id, seq, head, force=True)
    return counts


def _restore_statuses(conn, statuses: list[tuple[int, str]]) -> None:  # type: ignore[no-untyped-def]
    visit = _table("visit")
    for visit_id, status in statuses:
        conn.execute(update(visit).where(visit.c.id == visit_id).values(status=status))
