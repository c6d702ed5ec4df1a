"""Demo data is signed through the same path as a real visit (issue 12, defect 1)."""

from __future__ import annotations

from datetime import date

from dntui.clinic_files import load_fee_schedule
from dntui.domain.visit import PractitionerInfo
from dntui.store.demo import seed_demo
from dntui.store.queries import export_records
from dntui.store.repo import Store

TODAY = date(2026, 3, 16)


def test_demo_exports_carry_every_field_a_real_signed_visit_does(store: Store) -> None:
    assert seed_demo(store, today=TODAY)
    records = list(export_records(store))
    assert len(records) == 9
    for r in records:
        assert r.payer_name, f"visit {r.visit_id}: no payer name"
        assert r.counting, f"visit {r.visit_id}: no counting"
        assert r.units == 1
    medicare = [r for r in records if r.payer == "medicare"]
    assert medicare and all(r.warnings for r in medicare)


def test_a_demo_visit_stores_what_sign_visit_makes_of_its_draft(store: Store) -> None:
    from dntui.domain.record import BillingRecord, sign_visit

    seed_demo(store, today=TODAY)
    first = next(export_records(store))
    rec = store.load(first.visit_id)
    signer = PractitionerInfo(
        rec.practitioner.id, rec.practitioner.name, rec.practitioner.credentials
    )
    again = sign_visit(rec.draft, load_fee_schedule(None), signer)
    stored = BillingRecord.from_json(rec.visit.billing_json)
    assert stored == again.billing
    assert rec.visit.billing_json.startswith('{"schema": "dntui.billing/2"')
