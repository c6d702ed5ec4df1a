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
from sqlmodel import SQLModel

from dntui.store import models
from dntui.store.audit import ChainCheck
from dntui.store.errors import StoreError
from dntui.store.repo import Store

#: Tables in foreign-key order.
ORDER = (
    "practitioner",
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
    with source.engine.connect() as src, target.engine.begin() as dst:
        for name in ORDER:
            table = _table(name)
            statuses: list[tuple[int, str]] = []
            n = 0
            result = src.execution_options(yield_per=batch).execute(
                select(table).order_by(table.c.id)
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
                )
    check = target.verify_audit()
    return TransferResult(counts, check)


def _restore_statuses(conn, statuses: list[tuple[int, str]]) -> None:  # type: ignore[no-untyped-def]
    visit = _table("visit")
    for visit_id, status in statuses:
        conn.execute(update(visit).where(visit.c.id == visit_id).values(status=status))
