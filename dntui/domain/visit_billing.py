"""The billing pane's whole picture: ``billing.summarize`` plus coverage and cash.

``billing.summarize`` works from the visit and the fee schedule. What the store
knows about the patient's cover (``coverage.Coverage``, and how many signed
visits it has already paid for) and what a self-pay patient pays
(``cash.cash_charge``) are added here, so the pane and the signed record show
the same thing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from dntui.domain import billing
from dntui.domain.cash import cash_charge
from dntui.domain.coverage import Coverage, coverage_warnings
from dntui.domain.fees import FeeSchedule
from dntui.domain.visit import VisitDraft

_ORDER = {"stop": 0, "warn": 1, "info": 2}


@dataclass(frozen=True)
class CoverageContext:
    """The patient's coverage for the visit's payer, as the store holds it."""

    coverage: Coverage | None
    #: Signed visits under the payer within the authorized dates (not this visit).
    signed_in_window: int = 0
    #: False until the store has answered: no coverage warning is shown meanwhile.
    loaded: bool = True


def summarize(
    visit: VisitDraft,
    schedule: FeeSchedule,
    prior_visits: Iterable[date] = (),
    coverage: CoverageContext | None = None,
    *,
    clinic_state: str = "",
) -> billing.BillingSummary:
    """``billing.summarize`` with the coverage warnings and the self-pay charge added.

    ``coverage`` None: not looked up (no coverage warnings); ``clinic_state`` the
    setting for the scope-of-practice warnings (empty: not checked)."""
    summary = billing.summarize(visit, schedule, prior_visits, clinic_state=clinic_state)
    warnings = list(summary.warnings)
    if coverage is not None and coverage.loaded and visit.patient.id is not None:
        warnings += coverage_warnings(
            schedule.payer(visit.payer),
            coverage.coverage,
            visit.visit_date,
            coverage.signed_in_window,
        )
    warnings.sort(key=lambda w: _ORDER.get(w.level, 3))
    cash = cash_charge(schedule, visit.payer, summary.code)
    return replace(
        summary,
        warnings=tuple(warnings),
        patient_pays=cash.pays if cash is not None and summary.code else None,
        cash_lines=tuple(cash.lines()) if cash is not None and summary.code else (),
    )
