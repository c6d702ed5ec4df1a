"""What the first screen shows, read without SQLAlchemy (the standard library's sqlite3).

Importing SQLModel and SQLAlchemy costs most of a second on a busy machine, and a
person waits for it before they can choose who they are. On a SQLite database
whose schema is already current (``alembic_version`` equals ``HEAD_REVISION``),
the practitioner list and the start screen's rows are read here, through a
read-only connection, and shown at once; the store (SQLAlchemy, integrity check,
guard triggers, audit anchor) opens meanwhile in a worker and takes over. This
module never writes: every write still goes through ``Store``.

Anything unexpected (no file, an older or newer schema, a damaged file, a lock)
makes ``peek`` return None: the normal path then opens the store and reports the
problem in one line as before.

``start_view`` builds the same ``StartView`` from an open ``Store``, so the start
screen has one rendering for both (``tests/store/test_firstscreen.py`` checks the
two agree).
"""

from __future__ import annotations

import contextlib
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from dntui.store_rows import STATUS_TEXT

if TYPE_CHECKING:
    from dntui.store.repo import Store

#: The schema revision this reader understands: ``dntui.store.schema.HEAD_REVISION``
#: (a test checks they are equal; when a migration is added and this is not updated,
#: the quick path is skipped, never wrong).
HEAD_REVISION = "0006"
NO_PATIENT = "(no patient yet)"  # dntui.store.views.NO_PATIENT
DRAFT_LIMIT = 50
#: Seconds to wait for a lock before giving up on the quick path (the store waits longer).
PEEK_TIMEOUT = 0.2


@dataclass(frozen=True)
class Person:
    """A practitioner as the picker shows it (the store's ``Practitioner`` replaces it)."""

    id: int
    name: str
    credentials: str


@dataclass(frozen=True)
class StartView:
    """The start screen's table and counts for one practitioner on one day."""

    #: (row key, cells) in display order.
    rows: tuple[tuple[str, tuple[str, ...]], ...]
    visits_today: int
    drafts: int
    own_late: int
    clinic_late: int


def sqlite_file(url: str) -> Path | None:
    """The file of a plain ``sqlite:///PATH`` URL; None for anything else."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = url[len(prefix) :]
    if not path or path == ":memory:":
        return None
    return Path(path)


@contextlib.contextmanager
def _connect(path: Path) -> Iterator[sqlite3.Connection]:
    conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=PEEK_TIMEOUT)
    try:
        yield conn
    finally:
        conn.close()


def peek(url: str) -> list[Person] | None:
    """Active practitioners by name, if ``url`` is a current dntui SQLite file; else None."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    try:
        with _connect(path) as conn:
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if row is None or row[0] != HEAD_REVISION:
                return None
            return [
                Person(int(i), str(n), str(c))
                for i, n, c in conn.execute(
                    "SELECT id, name, credentials FROM practitioner WHERE active ORDER BY name, id"
                )
            ]
    except (sqlite3.Error, OSError, ValueError):
        return None


def find(people: list[Person], name: str) -> Person | None:
    want = name.strip().lower()
    return next((p for p in people if p.name.lower() == want), None)


_ROW_SQL = """
SELECT v.id, v.visit_date, v.status, v.code, v.muscle_count, p.name, p.chart_no,
       (SELECT count(a.id) FROM addendum a WHERE a.visit_id = v.id)
FROM visit v LEFT JOIN patient p ON v.patient_id = p.id
JOIN practitioner pr ON v.practitioner_id = pr.id
WHERE v.practitioner_id = ? AND {where}
ORDER BY v.visit_date {order}, v.id {order} LIMIT ?
"""


def peek_start(url: str, practitioner_id: int, *, today: date, late_days: int) -> StartView | None:
    """The start screen of ``practitioner_id`` read with sqlite3; None when it cannot be."""
    path = sqlite_file(url)
    if path is None or not path.is_file():
        return None
    cutoff = (today - timedelta(days=late_days)).isoformat()
    try:
        with _connect(path) as conn:
            conn.execute("BEGIN")  # one snapshot for every query below
            row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            if row is None or row[0] != HEAD_REVISION:
                return None
            pid = practitioner_id
            day_rows = conn.execute(
                _ROW_SQL.format(where="v.visit_date = ?", order="DESC"),
                (pid, today.isoformat(), 200),
            ).fetchall()
            draft_rows = conn.execute(
                _ROW_SQL.format(where="v.status = 'draft'", order="DESC"), (pid, DRAFT_LIMIT)
            ).fetchall()
            oldest = conn.execute(
                _ROW_SQL.format(where="v.status = 'draft'", order="ASC"), (pid, DRAFT_LIMIT)
            ).fetchall()
            count_sql = (
                "SELECT count(id), coalesce(sum(CASE WHEN visit_date < ? THEN 1 ELSE 0 END), 0) "
                "FROM visit WHERE status = 'draft'"
            )
            drafts, own_late = conn.execute(
                count_sql + " AND practitioner_id = ?", (cutoff, pid)
            ).fetchone()
            _, clinic_late = conn.execute(count_sql, (cutoff,)).fetchone()
            conn.rollback()
    except (sqlite3.Error, OSError, ValueError):
        return None

    def visit(r: Any) -> _Visit:
        return _Visit(
            id=int(r[0]),
            day=date.fromisoformat(str(r[1])[:10]),
            status=str(r[2]),
            code=r[3] or "",
            muscles=int(r[4] or 0),
            patient=r[5] if r[5] is not None else NO_PATIENT,
            chart=r[6] or "",
            addenda=int(r[7] or 0),
        )

    late = [
        (v.id, v.day, v.patient, v.chart) for v in map(visit, oldest) if v.day.isoformat() < cutoff
    ]
    return _build(
        [visit(r) for r in day_rows],
        [visit(r) for r in draft_rows],
        late,
        today=today,
        counts=(int(drafts), int(own_late), int(clinic_late)),
    )


def start_view(store: Store, practitioner_id: int, *, today: date, late_days: int) -> StartView:
    """The same view through the store (any database); raises StoreError."""
    from dntui.store.dashboard import draft_counts, drafts_by_age

    def visit(r: Any) -> _Visit:
        return _Visit(
            r.id, r.visit_date, r.status, r.code or "", r.muscle_count, r.patient_name,
            r.chart_no, r.addenda,
        )  # fmt: skip

    day_rows = store.visit_rows(day=today, practitioner_id=practitioner_id)
    draft_rows = store.visit_rows(
        status="draft", practitioner_id=practitioner_id, limit=DRAFT_LIMIT
    )
    late = [
        (d.visit_id, d.visit_date, d.patient_name, d.chart_no)
        for d in drafts_by_age(
            store,
            today=today,
            late_days=late_days,
            practitioner_id=practitioner_id,
            limit=DRAFT_LIMIT,
        )
        if d.late
    ]
    drafts, own_late = draft_counts(
        store, today=today, late_days=late_days, practitioner_id=practitioner_id
    )
    _, clinic_late = draft_counts(store, today=today, late_days=late_days)
    return _build(
        [visit(r) for r in day_rows],
        [visit(r) for r in draft_rows],
        late,
        today=today,
        counts=(drafts, own_late, clinic_late),
    )


@dataclass(frozen=True)
class _Visit:
    id: int
    day: date
    status: str
    code: str
    muscles: int
    patient: str
    chart: str
    addenda: int


def _build(
    day_rows: list[_Visit],
    draft_rows: list[_Visit],
    late: list[tuple[int, date, str, str]],
    *,
    today: date,
    counts: tuple[int, int, int],
) -> StartView:
    """Today's visits and open drafts, the practitioner's own late drafts first (oldest first)."""
    rows = {r.id: r for r in day_rows}
    for r in draft_rows:
        rows.setdefault(r.id, r)
    out: list[tuple[str, tuple[str, ...]]] = []
    for vid, day, patient, chart in late:
        age = max(0, (today - day).days)
        out.append(
            (str(vid), (str(vid), day.isoformat(), patient, chart, f"draft LATE {age} d", "-", ""))
        )
    late_ids = {vid for vid, *_ in late}
    for r in sorted(rows.values(), key=lambda r: (r.day, r.id), reverse=True):
        if r.id in late_ids:
            continue
        status = STATUS_TEXT.get(r.status, r.status) + (f" +{r.addenda}" if r.addenda else "")
        cells = (
            str(r.id),
            r.day.isoformat(),
            r.patient,
            r.chart,
            status,
            r.code or "-",
            str(r.muscles) if r.status != "draft" else "",
        )
        out.append((str(r.id), cells))
    drafts, own_late, clinic_late = counts
    return StartView(
        rows=tuple(out),
        visits_today=sum(1 for r in rows.values() if r.status != "draft"),
        drafts=drafts,
        own_late=own_late,
        clinic_late=clinic_late,
    )
