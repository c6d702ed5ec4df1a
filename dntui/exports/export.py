"""Signed visits to a private CSV or JSON file, audited."""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from dntui.domain.text import REMOVED, terminal_safe
from dntui.private_files import private_writer

if TYPE_CHECKING:
    from dntui.store.models import Practitioner
    from dntui.store.queries import ExportRecord
    from dntui.store.repo import Store

from dntui.exports import ExportError

#: The JSON export's schema id. Bump the number on any incompatible change.
#: 2 added the assessment and outcome (pain 0-10, PSFS) and the self-pay charge.
EXPORT_SCHEMA = "dntui.export/2"
FORMATS = ("csv", "json", "fhir")

#: CSV columns, in order. Lists are joined: diagnosis codes and modifiers with a
#: space, warnings with " | ", muscles as "name (side) needles" with "; ".
CSV_COLUMNS: tuple[str, ...] = (
    "visit_id",
    "date",
    "chart_no",
    "patient_name",
    "date_of_birth",
    "practitioner",
    "credentials",
    "payer",
    "payer_name",
    "diagnosis_codes",
    "cpt_code",
    "muscle_count",
    "counting",
    "muscles",
    "modifiers",
    "units",
    "charge",
    "warnings",
    "signed_at",
    "addenda_count",
    "status",
    # schema 2: assessment and outcome ("" where not recorded), self-pay charge
    "chief_complaint",
    "pain_region",
    "pain_pattern",
    "referred_to",
    "duration",
    "onset",
    "nprs_before",
    "nprs_after",
    "psfs_activity",
    "psfs_before",
    "psfs_after",
    "patient_pays",
)


def check_range(date_from: date | None, date_to: date | None) -> None:
    if date_from is not None and date_to is not None and date_from > date_to:
        raise ExportError(f"the range starts ({date_from}) after it ends ({date_to})")


def describe_range(date_from: date | None, date_to: date | None) -> str:
    if date_from is None and date_to is None:
        return "in this database"
    if date_from == date_to:
        return f"on {date_from}"
    if date_from is None:
        return f"up to {date_to}"
    if date_to is None:
        return f"from {date_from}"
    return f"from {date_from} to {date_to}"


# ------------------------------------------------------------------ records
def record_json(r: ExportRecord) -> dict[str, Any]:
    """One visit object of the JSON export (schema ``dntui.export/2``)."""
    a, o = r.assessment, r.outcome
    return {
        "visit_id": r.visit_id,
        "date": r.visit_date.isoformat(),
        "status": r.status,
        "patient": {
            "chart_no": r.chart_no,
            "name": r.patient_name,
            "date_of_birth": r.date_of_birth.isoformat() if r.date_of_birth else None,
        },
        "practitioner": {"name": r.practitioner, "credentials": r.credentials},
        "payer": {"key": r.payer, "name": r.payer_name},
        "diagnosis_codes": list(r.diagnosis_codes),
        "cpt_code": r.code or None,
        "muscle_count": r.muscle_count,
        "counting": r.counting,
        "muscles": [
            {"muscle_id": m.muscle_id, "name": m.name, "side": m.side, "needles": m.needles}
            for m in r.muscles
        ],
        "modifiers": list(r.modifiers),
        "units": r.units,
        "charge": r.charge or None,
        "warnings": list(r.warnings),
        "signed_at": _iso(r.signed_at),
        "addenda_count": r.addenda,
        "assessment": {
            "chief_complaint": a.chief_complaint or None,
            "region": a.region or None,
            "pattern": a.pattern.value or None,
            "referred_to": a.referred_to or None,
            "duration": a.duration.value or None,
            "onset": a.onset.isoformat() if a.onset else None,
            "nprs_before": a.nprs_before,
            "psfs_activity": a.psfs_activity or None,
            "psfs_before": a.psfs_before,
        },
        "outcome": {"nprs_after": o.nprs_after, "psfs_after": o.psfs_after},
        "patient_pays": r.patient_pays or None,
    }


def record_csv(r: ExportRecord) -> dict[str, str]:
    """One CSV row (see ``CSV_COLUMNS``)."""
    a, o = r.assessment, r.outcome
    return {
        "visit_id": str(r.visit_id),
        "date": r.visit_date.isoformat(),
        "chart_no": r.chart_no,
        "patient_name": r.patient_name,
        "date_of_birth": r.date_of_birth.isoformat() if r.date_of_birth else "",
        "practitioner": r.practitioner,
        "credentials": r.credentials,
        "payer": r.payer,
        "payer_name": r.payer_name,
        "diagnosis_codes": " ".join(r.diagnosis_codes),
        "cpt_code": r.code,
        "muscle_count": str(r.muscle_count),
        "counting": r.counting,
        "muscles": "; ".join(f"{m.name} ({m.side}) {m.needles}" for m in r.muscles),
        "modifiers": " ".join(r.modifiers),
        "units": str(r.units),
        "charge": r.charge,
        "warnings": " | ".join(r.warnings),
        "signed_at": _iso(r.signed_at) or "",
        "addenda_count": str(r.addenda),
        "status": r.status,
        "chief_complaint": a.chief_complaint,
        "pain_region": a.region,
        "pain_pattern": a.pattern.value,
        "referred_to": a.referred_to,
        "duration": a.duration.value,
        "onset": a.onset.isoformat() if a.onset else "",
        "nprs_before": _num(a.nprs_before),
        "nprs_after": _num(o.nprs_after),
        "psfs_activity": a.psfs_activity,
        "psfs_before": _num(a.psfs_before),
        "psfs_after": _num(o.psfs_after),
        "patient_pays": r.patient_pays,
    }


def _num(value: int | None) -> str:
    return "" if value is None else str(value)


def _iso(at: datetime | None) -> str | None:
    if at is None:
        return None
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat().replace("+00:00", "Z")


# Cells a spreadsheet would run as a formula (CSV injection) get a leading quote.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _safe_cell(value: str) -> str:
    """A CSV cell without control characters (the export may go to a terminal) and
    never read as a formula: every column goes through here, numbers and dates too
    (they never start with a formula character, so they are unchanged)."""
    value = terminal_safe(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_csv(records: Iterable[ExportRecord], out: IO[str]) -> int:
    """Write the header and one row per record; returns the number of rows."""
    writer = csv.DictWriter(out, fieldnames=CSV_COLUMNS, lineterminator="\r\n")
    writer.writeheader()
    n = 0
    for r in records:
        row = {key: _safe_cell(value) for key, value in record_csv(r).items()}
        writer.writerow(row)
        n += 1
    return n


def write_json(
    records: Iterable[ExportRecord],
    out: IO[str],
    *,
    filters: dict[str, Any] | None = None,
    generated_at: datetime | None = None,
) -> int:
    """Write the export document, one visit object per line; returns the count.

    ``schema``, ``generated_at`` (now, unless given: an export passes its store's
    clock, the one that stamps its audit row) and ``filters`` come first, then
    ``visits``, then ``count``: the document is streamed, never held whole in memory.
    """
    head = {
        "schema": EXPORT_SCHEMA,
        "generated_at": _iso(generated_at or datetime.now(UTC)),
        "filters": filters or {},
    }
    text = _json_text(head)
    out.write(text[:-1] + ', "visits": [')
    n = 0
    for r in records:
        out.write(",\n  " if n else "\n  ")
        out.write(_json_text(record_json(r)))
        n += 1
    out.write(f'\n], "count": {n}}}\n' if n else f'], "count": {n}}}\n')
    return n


#: json escapes C0 controls itself; DEL, C1 (CSI U+009B) and the bidi controls it
#: writes raw: they are written as \\uXXXX escapes, so the value read back is the
#: same and the terminal never sees them.
_JSON_ESCAPES = {cp: f"\\u{cp:04x}" for cp in REMOVED if cp >= 0x7F}


def _json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False).translate(_JSON_ESCAPES)


def write_fhir(store: Store, records: Iterable[ExportRecord], out: IO[str]) -> int:
    """One FHIR R4 Bundle of the visits (see :mod:`dntui.fhir`); returns the count."""
    from dntui.fhir import bundle

    visits = [(r, store.load(r.visit_id)) for r in records]
    document = bundle(visits, generated_at=store.clock())  # the clock of its audit row
    out.write(json.dumps(document, ensure_ascii=False, indent=1).translate(_JSON_ESCAPES))
    out.write("\n")
    return len(visits)


# ------------------------------------------------------------- private files
@contextlib.contextmanager
def private_file(path: Path) -> Iterator[IO[str]]:
    """Write ``path`` atomically with mode 0600; nothing is left if the body raises."""
    path = Path(path).expanduser()
    _check_target(path)
    try:
        with private_writer(path, newline="") as fh:
            yield fh
    except OSError as exc:
        raise ExportError(f"cannot write {path}: {exc.strerror}") from None


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise ExportError(f"cannot write {path}: it is a folder, give a file name")
    parent = path.parent
    if not parent.exists():
        raise ExportError(f"cannot write {path}: the folder {parent} does not exist")
    if not parent.is_dir():
        raise ExportError(f"cannot write {path}: {parent} is not a folder")
    if not os.access(parent, os.W_OK | os.X_OK):
        raise ExportError(f"cannot write {path}: no permission to write in {parent}")
    if path.exists() and not os.access(path, os.W_OK):
        raise ExportError(f"cannot write {path}: the file is read-only")


def default_export_dir() -> Path:
    """``exports/`` in the (private) data folder, created 0700."""
    from dntui.config import data_dir, ensure_private_dir

    return ensure_private_dir(data_dir() / "exports")


def default_export_name(fmt: str, date_from: date | None, date_to: date | None, today: date) -> str:
    a = date_from.isoformat() if date_from else "start"
    b = date_to.isoformat() if date_to else today.isoformat()
    return f"dntui-visits-{a}-to-{b}.{fmt}"


# ------------------------------------------------------------------ exports
@dataclass(frozen=True)
class ExportResult:
    count: int
    path: Path | None  # None: written to the stream given


def _peek(it: Iterator[ExportRecord]) -> tuple[ExportRecord | None, Iterator[ExportRecord]]:
    first = next(it, None)
    if first is None:
        return None, iter(())

    def chain() -> Iterator[ExportRecord]:
        yield first
        yield from it

    return first, chain()


PROGRESS_EVERY = 200


def _reporting(
    records: Iterator[ExportRecord], progress: Callable[[int, int], None], total: int
) -> Iterator[ExportRecord]:
    """The records unchanged, reporting how many went by."""
    progress(0, total)
    n = 0
    for r in records:
        yield r
        n += 1
        if n % PROGRESS_EVERY == 0:
            progress(n, max(n, total))
    progress(n, max(n, total))


def export_visits(
    store: Store,
    *,
    fmt: str,
    date_from: date | None = None,
    date_to: date | None = None,
    practitioner: Practitioner | None = None,
    output: Path | None = None,
    stream: IO[str] | None = None,
    actor: Practitioner | None = None,
    via: str = "app",
    progress: Callable[[int, int], None] | None = None,
    allow_empty: bool = False,
) -> ExportResult:
    """Export the signed visits in the range to ``output`` (0600) or ``stream``.

    Raises ExportError for a bad format or range, an empty range (unless
    ``allow_empty``: then an empty, valid file is written, count 0), an unwritable
    path. The export is audited (action ``export``). ``progress(done, total)``
    is called as visits are written (every ``PROGRESS_EVERY`` and at the end).
    """
    from dntui.store.queries import export_count, export_records

    if fmt not in FORMATS:
        raise ExportError(f"unknown export format {fmt!r}: use csv, json or fhir")
    check_range(date_from, date_to)
    if output is None and stream is None:
        raise ExportError("say where the export goes: a file name")
    if output is not None:
        _check_target(Path(output).expanduser())
    records = export_records(
        store,
        date_from=date_from,
        date_to=date_to,
        practitioner_id=practitioner.id if practitioner is not None else None,
    )
    if progress is not None:
        total = export_count(
            store,
            date_from=date_from,
            date_to=date_to,
            practitioner_id=practitioner.id if practitioner is not None else None,
        )
        records = _reporting(records, progress, total)
    first, records = _peek(records)
    if first is None and not allow_empty:
        who = f" by {practitioner.name}" if practitioner is not None else ""
        raise ExportError(
            f"no signed visits{who} {describe_range(date_from, date_to)}: nothing exported"
        )
    filters = {
        "from": date_from.isoformat() if date_from else None,
        "to": date_to.isoformat() if date_to else None,
        "practitioner": practitioner.name if practitioner is not None else None,
    }

    def write(out: IO[str]) -> int:
        if fmt == "csv":
            return write_csv(records, out)
        if fmt == "fhir":
            return write_fhir(store, records, out)
        return write_json(records, out, filters=filters, generated_at=store.clock())

    def audit(count: int, where: str) -> None:
        detail = (
            f"visits format={fmt} count={count} from={filters['from'] or '-'} "
            f"to={filters['to'] or '-'} practitioner_id="
            f"{practitioner.id if practitioner is not None else '-'} via={via} dest={where}"
        )
        store.log_event("export", actor=actor, detail=detail[:500])

    if output is not None:
        path = Path(output).expanduser()
        with private_file(path) as fh:
            count = write(fh)
        audit(count, str(path.resolve()))
        return ExportResult(count, path)
    # A stream (stdout) cannot be taken back: the export is made in memory, audited,
    # and only then written; if the audit row cannot be written nothing is printed.
    assert stream is not None
    buffer = io.StringIO()
    count = write(buffer)
    audit(count, "stdout")
    write_stream(stream, buffer.getvalue())
    return ExportResult(count, None)


def write_stream(stream: IO[str], text: str) -> None:
    """Write ``text`` to ``stream`` and flush; a full disk or closed pipe is one line."""
    try:
        stream.write(text)
        stream.flush()
    except OSError as exc:
        raise ExportError(f"cannot write to standard output: {exc.strerror or exc}") from None
