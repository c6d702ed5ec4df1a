"""Fixtures for store tests: a clinic (practitioner with PIN, patient), a signed visit."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from store_support import PIN, Clinic, draft_for

from dntui.domain.visit import VisitDraft
from dntui.store.models import Visit
from dntui.store.repo import Store


@pytest.fixture
def clinic(store: Store) -> Clinic:
    pt = store.add_practitioner("Alex Rivera", "PT", pin=PIN, licence_no="PT123")
    patient = store.add_patient("Jane Doe", date(1980, 2, 3), actor=pt)
    return Clinic(store, pt, patient)


@pytest.fixture
def signed(clinic: Clinic) -> Visit:
    """A signed visit with two muscle rows and two screening rows."""
    return clinic.sign()


@pytest.fixture
def make_draft() -> Callable[..., VisitDraft]:
    return draft_for
