"""The one visit/patient/practitioner join every visit list reads through.

``visit_select`` selects columns from visits joined to their patient (outer: a
draft may have none yet) and practitioner. The people's columns carry labels,
so rows are read by column name (``row.patient_name``), never by position.
``visit_row`` turns such a row into the ``VisitRow`` of lists and tables.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, or_, select
from sqlmodel import col

from dntui.store.models import Addendum, Patient, Practitioner, Visit

NO_PATIENT = "(no patient yet)"


def patient_matches(key: str) -> ColumnElement[bool]:
    """Patients whose name (any word), chart number or date of birth starts with ``key``
    (a ``name_key``-normalised query): the patient search and the history's patient
    filter. "%" and "_" typed by a person are text, not LIKE wildcards (autoescape)."""
    conds: list[ColumnElement[bool]] = [
        col(Patient.name_key).startswith(key, autoescape=True),
        col(Patient.name_key).contains(" " + key, autoescape=True),
        func.lower(Patient.chart_no).startswith(key, autoescape=True),
    ]
    with contextlib.suppress(ValueError):
        conds.append(Patient.date_of_birth == date.fromisoformat(key))
    return or_(*conds)


PATIENT_NAME = col(Patient.name).label("patient_name")
CHART_NO = col(Patient.chart_no).label("chart_no")
DATE_OF_BIRTH = col(Patient.date_of_birth).label("date_of_birth")
PRACTITIONER_NAME = col(Practitioner.name).label("practitioner_name")
CREDENTIALS = col(Practitioner.credentials).label("credentials")


@dataclass(frozen=True)
class VisitRow:
    """One line of a visit list (start screen, history, day sheet drafts)."""

    id: int
    visit_date: date
    status: str
    patient_name: str
    chart_no: str
    practitioner_name: str
    code: str
    muscle_count: int
    updated_at: datetime
    addenda: int = 0


def addenda_count() -> Any:
    """Correlated count of a visit's addenda, labelled ``addenda``."""
    return (
        select(func.count(col(Addendum.id)))
        .where(Addendum.visit_id == Visit.id)
        .correlate(Visit)
        .scalar_subquery()
        .label("addenda")
    )


def visit_select(*columns: Any) -> Select[Any]:
    """``SELECT columns FROM visit LEFT JOIN patient JOIN practitioner``."""
    return (
        select(*columns)
        .select_from(Visit)
        .join(Patient, col(Visit.patient_id) == col(Patient.id), isouter=True)
        .join(Practitioner, col(Visit.practitioner_id) == col(Practitioner.id))
    )


def visit_columns(*names: str) -> tuple[Any, ...]:
    """Visit columns labelled with their own names, read back as ``row.<name>``."""
    return tuple(col(getattr(Visit, name)).label(name) for name in names)


#: The columns ``visit_row`` reads.
ROW_COLUMNS = (
    *visit_columns("id", "visit_date", "status", "code", "muscle_count", "updated_at"),
    PATIENT_NAME,
    CHART_NO,
    PRACTITIONER_NAME,
)


def visit_rows_select() -> Select[Any]:
    """The join with ``ROW_COLUMNS`` and the addenda count."""
    return visit_select(*ROW_COLUMNS, addenda_count())


def visit_row(r: Any) -> VisitRow:
    """A ``VisitRow`` from a row with ``ROW_COLUMNS`` (and maybe ``addenda``)."""
    m = r._mapping
    return VisitRow(
        id=m["id"],
        visit_date=m["visit_date"],
        status=m["status"],
        patient_name=m["patient_name"] if m["patient_name"] is not None else NO_PATIENT,
        chart_no=m["chart_no"] or "",
        practitioner_name=m["practitioner_name"],
        code=m["code"],
        muscle_count=m["muscle_count"],
        updated_at=m["updated_at"],
        addenda=m.get("addenda") or 0,
    )
