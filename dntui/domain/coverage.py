"""Coverage checks and prior authorizations, per patient and payer.

The seed article: "To determine if the patient's insurance plan covers dry
needling, you should contact the insurance company directly. They can provide
you with specific information about the patient's coverage and any necessary
prior authorization requirements" [seed]. dntui keeps what that call gave
(when, who took it, the reference number) and the authorization (its number,
how many visits, from and to which dates), and warns on the billing pane:

* an insured payer (not self-pay) with no verification on file;
* a visit outside the authorized dates;
* a visit past the authorized count, counting the patient's *signed* visits
  under that payer within the authorized dates (entered-in-error ones do not count).

Plain data; ``check_coverage`` refuses an authorization that ends before it
starts, with one clear line.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from typing import Final

from dntui.domain.billing import Warning
from dntui.domain.fees import PayerRule
from dntui.domain.validation import ValidationError

SOURCE: Final = ("seed",)
MAX_VISITS_AUTHORIZED: Final = 999
MAX_FIELD: Final = 60
MAX_NOTES: Final = 500


@dataclass(frozen=True)
class Coverage:
    """What the payer said about this patient's cover, as recorded in dntui."""

    payer: str
    verified_on: date | None = None
    verified_by: str = ""
    reference_no: str = ""
    authorization_no: str = ""
    visits_authorized: int | None = None
    starts: date | None = None
    ends: date | None = None
    notes: str = ""

    @property
    def authorized(self) -> bool:
        """An authorization is on file: a number, a visit count or dates."""
        return bool(
            self.authorization_no
            or self.visits_authorized is not None
            or self.starts is not None
            or self.ends is not None
        )

    def covers_date(self, day: date) -> bool:
        return (self.starts is None or day >= self.starts) and (
            self.ends is None or day <= self.ends
        )

    def dates_text(self) -> str:
        if self.starts is None and self.ends is None:
            return "no dates"
        start = self.starts.isoformat() if self.starts else "…"
        end = self.ends.isoformat() if self.ends else "…"
        return f"{start} to {end}"


def check_coverage(c: Coverage) -> Coverage:
    """``c`` with its text trimmed; raises ValidationError (one line) on what cannot be."""
    if c.starts is not None and c.ends is not None and c.ends < c.starts:
        raise ValidationError(
            f"The authorization ends ({c.ends.isoformat()}) before it starts "
            f"({c.starts.isoformat()}): check the dates"
        )
    if c.visits_authorized is not None and not 1 <= c.visits_authorized <= MAX_VISITS_AUTHORIZED:
        raise ValidationError(
            f"Visits authorized is a whole number from 1 to {MAX_VISITS_AUTHORIZED}, "
            f"not {c.visits_authorized}"
        )
    fields = {
        "Verified by": c.verified_by,
        "Reference no.": c.reference_no,
        "Authorization no.": c.authorization_no,
    }
    for what, value in fields.items():
        if len(value.strip()) > MAX_FIELD:
            raise ValidationError(f"{what} is at most {MAX_FIELD} characters")
    if len(c.notes.strip()) > MAX_NOTES:
        raise ValidationError(f"Notes are at most {MAX_NOTES} characters")
    return replace(
        c,
        verified_by=" ".join(c.verified_by.split()),
        reference_no=c.reference_no.strip(),
        authorization_no=c.authorization_no.strip(),
        notes=c.notes.strip(),
    )


def parse_visits(text: str) -> int | None:
    """Visits authorized from typed text: "" is None (no count), else 1-999."""
    value = text.strip()
    if not value:
        return None
    if not (value.isascii() and value.isdigit()):
        raise ValidationError(
            f"Visits authorized is a whole number from 1 to {MAX_VISITS_AUTHORIZED}, not {value!r}"
        )
    n = int(value)
    if not 1 <= n <= MAX_VISITS_AUTHORIZED:
        raise ValidationError(
            f"Visits authorized is a whole number from 1 to {MAX_VISITS_AUTHORIZED}, not {n}"
        )
    return n


def is_insured(payer: PayerRule) -> bool:
    """A payer other than the patient: its cover is checked before treating [seed]."""
    return not payer.self_pay


def remaining_visits(c: Coverage | None, signed_in_window: int) -> int | None:
    """Authorized visits left (never below 0); None without an authorized count."""
    if c is None or c.visits_authorized is None:
        return None
    return max(c.visits_authorized - signed_in_window, 0)


def remaining_text(c: Coverage | None, signed_in_window: int) -> str:
    """ "3 of 4 authorized visits left (to 2026-12-31)", or "" without an authorized count."""
    left = remaining_visits(c, signed_in_window)
    if c is None or left is None:
        return ""
    until = f" (to {c.ends.isoformat()})" if c.ends else ""
    return f"{left} of {c.visits_authorized} authorized visits left{until}"


def coverage_warnings(
    payer: PayerRule,
    coverage: Coverage | None,
    visit_date: date,
    signed_in_window: int,
    *,
    this_visit_signed: bool = False,
) -> list[Warning]:
    """The billing pane's coverage warnings for a visit under ``payer``.

    ``signed_in_window`` counts the patient's signed visits under this payer within
    the authorized dates, *not* counting this visit unless ``this_visit_signed``.
    """
    if not is_insured(payer):
        return []
    if coverage is None or coverage.verified_on is None:
        return [
            Warning(
                "warn",
                f"No coverage check on file for {payer.name} (patient view: c).",
                SOURCE,
            )
        ]
    out: list[Warning] = []
    if (coverage.starts or coverage.ends) and not coverage.covers_date(visit_date):
        auth = f" {coverage.authorization_no}" if coverage.authorization_no else ""
        out.append(
            Warning(
                "warn",
                f"Visit on {visit_date.isoformat()} is outside the authorization{auth} "
                f"({coverage.dates_text()}): ask the payer for a new one.",
                SOURCE,
            )
        )
    if coverage.visits_authorized is not None:
        number = signed_in_window + (0 if this_visit_signed else 1)
        if number > coverage.visits_authorized:
            out.append(
                Warning(
                    "warn",
                    f"This is visit {number} of {coverage.visits_authorized} authorized "
                    f"({coverage.dates_text()}): past the authorization.",
                    SOURCE,
                )
            )
        else:
            out.append(
                Warning(
                    "info",
                    f"Authorized visit {number} of {coverage.visits_authorized}.",
                    SOURCE,
                )
            )
    return out
