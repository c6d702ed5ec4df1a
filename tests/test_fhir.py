"""FHIR R4 export: every resource of the demo data validates, and says what was signed.

The models are fhir.resources' R4B package (FHIR 4.3.0, pydantic 2): the only
maintained Python model library for the R4 line; the resources used here are the
same in R4 (4.0.1) and R4B. The models check structure, types, cardinality and
required elements, not code values: the tests check those themselves.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import stat
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle

from dntui import cli
from dntui.exports.export import export_visits
from dntui.fhir import CPT, HCPCS, ICD10CM, LATERALITY, MODIFIER_EXTENSION, TARGET_BODY_STRUCTURE
from dntui.store.demo import seed_demo
from dntui.store.queries import export_records
from dntui.store.repo import Store

TODAY = date(2026, 3, 16)
PER_VISIT = {"Encounter", "Procedure", "Consent", "DocumentReference", "ChargeItem"}


@pytest.fixture
def demo(app_dirs: Path) -> Store:
    store = Store.open(f"sqlite:///{app_dirs / 'demo.db'}")
    assert seed_demo(store, today=TODAY)
    return store


def fhir_export(store: Store, **kwargs: Any) -> dict[str, Any]:
    out = io.StringIO()
    export_visits(store, fmt="fhir", stream=out, **kwargs)
    return json.loads(out.getvalue())


def resources(doc: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == kind]


def by_url(doc: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["fullUrl"]: e["resource"] for e in doc["entry"]}


def test_every_resource_of_the_demo_bundle_validates(demo: Store) -> None:
    doc = fhir_export(demo)
    Bundle.model_validate(doc)
    for entry in doc["entry"]:
        res = entry["resource"]
        get_fhir_model_class(res["resourceType"]).model_validate(res)
    signed = list(export_records(demo))
    kinds = Counter(e["resource"]["resourceType"] for e in doc["entry"])
    for kind in PER_VISIT:
        assert kinds[kind] == len(signed), kind
    assert kinds["Patient"] == len({r.chart_no for r in signed})
    assert kinds["Practitioner"] == len({r.practitioner for r in signed})
    assert kinds["Condition"] == sum(len(r.diagnosis_codes) for r in signed)
    assert kinds["BodyStructure"] == sum(len(r.muscles) for r in signed)
    assert doc["type"] == "collection"


def test_a_model_rejects_what_the_export_must_never_write(demo: Store) -> None:
    """The validation is real: a resource missing a required element fails."""
    consent = dict(resources(fhir_export(demo), "Consent")[0])
    del consent["scope"]
    with pytest.raises(ValueError, match="scope"):
        get_fhir_model_class("Consent").model_validate(consent)


def test_every_reference_resolves_inside_the_bundle(demo: Store) -> None:
    doc = fhir_export(demo)
    urls = set(by_url(doc))
    assert len(urls) == len(doc["entry"])  # no duplicates

    def refs(node: object) -> list[str]:
        if isinstance(node, dict):
            found = [node["reference"]] if isinstance(node.get("reference"), str) else []
            return found + [r for v in node.values() for r in refs(v)]
        if isinstance(node, list):
            return [r for v in node for r in refs(v)]
        return []

    all_refs = refs(doc)
    assert all_refs and set(all_refs) <= urls


def test_codes_units_modifiers_charge_and_body_sites_match_the_signed_visit(
    demo: Store,
) -> None:
    doc = fhir_export(demo)
    index = by_url(doc)
    encounters = {e["identifier"][0]["value"]: e for e in resources(doc, "Encounter")}
    charges = resources(doc, "ChargeItem")
    procedures = resources(doc, "Procedure")
    for rec in export_records(demo):
        enc = encounters[str(rec.visit_id)]
        assert enc["status"] == "finished" and enc["period"]["start"] == rec.visit_date.isoformat()
        enc_ref = next(u for u, r in index.items() if r is enc)
        (proc,) = [p for p in procedures if p["encounter"]["reference"] == enc_ref]
        assert proc["status"] == "completed"
        assert proc["code"]["coding"] == [{"system": CPT, "code": rec.code}]
        assert rec.code in {"20560", "20561"}
        sites = [s["text"] for s in proc["bodySite"]]
        assert [s.split(",")[0] for s in sites] == [m.name for m in rec.muscles]
        structures = [index[x["valueReference"]["reference"]] for x in proc["extension"]]
        assert all(x["url"] == TARGET_BODY_STRUCTURE for x in proc["extension"])
        lateral = [s["locationQualifier"][0]["coding"][0]["code"] for s in structures]
        assert lateral == [LATERALITY[m.side][0] for m in rec.muscles]
        conditions = [index[d["condition"]["reference"]] for d in enc["diagnosis"]]
        assert [c["code"]["coding"][0]["code"] for c in conditions] == list(rec.diagnosis_codes)
        assert all(c["code"]["coding"][0]["system"] == ICD10CM for c in conditions)
        (charge,) = [c for c in charges if c["context"]["reference"] == enc_ref]
        assert charge["code"]["coding"] == [{"system": CPT, "code": rec.code}]
        assert charge["quantity"]["value"] == rec.units
        if rec.charge:
            assert charge["priceOverride"] == {"value": float(rec.charge), "currency": "USD"}
        modifiers = [x["valueCoding"]["code"] for x in charge.get("extension", [])]
        assert modifiers == list(rec.modifiers)
        assert all(x["url"] == MODIFIER_EXTENSION for x in charge.get("extension", []))
    assert any(c.get("extension") for c in charges), "the demo has a visit with a modifier"


def test_modifier_systems() -> None:
    from dntui.fhir import _modifier_coding

    assert _modifier_coding("59") == {"system": CPT, "code": "59"}
    assert _modifier_coding("GP") == {"system": HCPCS, "code": "GP"}


def test_the_signed_note_is_the_document_with_its_hash(demo: Store) -> None:
    doc = fhir_export(demo)
    encounters = {u: r for u, r in by_url(doc).items() if r["resourceType"] == "Encounter"}
    for ref in resources(doc, "DocumentReference"):
        enc = encounters[ref["context"]["encounter"][0]["reference"]]
        visit = demo.load(int(enc["identifier"][0]["value"])).visit
        att = ref["content"][0]["attachment"]
        data = base64.b64decode(att["data"])
        assert data.decode("utf-8") == visit.note_text and visit.note_text
        assert att["hash"] == base64.b64encode(hashlib.sha1(data).digest()).decode()
        assert att["size"] == len(data)
        assert ref["identifier"][0]["value"] == hashlib.sha256(data).hexdigest()
        assert ref["docStatus"] == "final" and ref["status"] == "current"


def test_entered_in_error_and_addenda(demo: Store) -> None:
    first = next(export_records(demo))
    dana = demo.find_practitioner(first.practitioner)
    assert dana is not None
    demo.add_addendum(first.visit_id, author=dana, text="Left side only.", reason="typo")
    demo.void(first.visit_id, actor=dana, reason="wrong patient")
    doc = fhir_export(demo, date_from=first.visit_date, date_to=first.visit_date)
    Bundle.model_validate(doc)
    for kind in ("Encounter", "Procedure", "ChargeItem", "Consent"):
        assert {r["status"] for r in resources(doc, kind)} == {"entered-in-error"}, kind
    docs = resources(doc, "DocumentReference")
    addendum = next(d for d in docs if "relatesTo" in d)
    assert addendum["relatesTo"][0]["code"] == "appends"
    text = base64.b64decode(addendum["content"][0]["attachment"]["data"]).decode()
    assert "Left side only." in text


def test_same_visits_give_the_same_ids(demo: Store) -> None:
    a, b = fhir_export(demo), fhir_export(demo)
    assert [e["fullUrl"] for e in a["entry"]] == [e["fullUrl"] for e in b["entry"]]


def test_cli_export_fhir_to_a_private_file_is_audited(
    demo: Store, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "visits.fhir.json"
    db = demo.engine.url.database
    code = cli.main(["--db", str(db), "export", "--format", "fhir", "-o", str(out)])
    _, err = capsys.readouterr()
    assert code == 0, err
    n = len(list(export_records(demo)))
    assert err.strip() == f"exported {n} signed visit(s) to {out}"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    Bundle.model_validate(json.loads(out.read_text()))
    events = [e for e in demo.audit_trail(limit=1000) if e.action == "export"]
    assert "format=fhir" in events[-1].detail
    assert "Lindqvist" not in events[-1].detail


def test_cli_export_fhir_of_an_empty_range_is_an_empty_bundle_and_one_line(
    demo: Store, capsys: pytest.CaptureFixture[str]
) -> None:
    db = demo.engine.url.database
    code = cli.main(["--db", str(db), "export", "--format", "fhir", "--from", "1990-01-01",
                     "--to", "1990-12-31"])  # fmt: skip
    out, err = capsys.readouterr()
    assert code == 0
    Bundle.model_validate(json.loads(out))
    assert err.count("\n") == 1 and "no signed visits" in err and "Traceback" not in err


def test_pain_scores_are_observations_of_their_encounter(demo: Store) -> None:
    """NPRS before and after needling, LOINC 72514-3 [loinc-nprs]; visits without a score
    have none."""
    doc = fhir_export(demo)
    observations = [
        e["resource"] for e in doc["entry"] if e["resource"]["resourceType"] == "Observation"
    ]
    for obs in observations:
        get_fhir_model_class("Observation").model_validate(obs)
    signed = list(export_records(demo))
    expected = sum(
        (r.assessment.nprs_before is not None) + (r.outcome.nprs_after is not None) for r in signed
    )
    assert len(observations) == expected > 0
    assert {o["code"]["coding"][0]["code"] for o in observations} == {"72514-3"}
    maria_first = min(
        (r for r in signed if r.patient_name == "Maria Lindqvist"), key=lambda r: r.visit_date
    )
    values = sorted(
        (o["code"]["text"], o["valueInteger"])
        for o in observations
        if o["effectiveDateTime"] == maria_first.visit_date.isoformat()
        and o["subject"]["display"] == "Maria Lindqvist"
    )
    assert values == [("Pain (NPRS) after dry needling", 5), ("Pain (NPRS) before dry needling", 8)]
