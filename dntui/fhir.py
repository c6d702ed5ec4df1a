"""Signed visits as a FHIR R4 Bundle (``dntui export --format fhir``).

A pure mapping: it reads the records the CSV/JSON export reads (an
``ExportRecord`` per visit, with the visit as signed) and returns plain JSON
objects; nothing here touches the database or Textual. Per visit the bundle holds:

- Patient (chart number, name, birth date) and Practitioner (name, credentials,
  licence), once per bundle however many visits they appear in;
- Encounter (ambulatory, the visit date, the practitioner);
- Condition per ICD-10-CM code (``http://hl7.org/fhir/sid/icd-10-cm``);
- Procedure: CPT 20560/20561 (``http://www.ama-assn.org/go/cpt``), a body site per
  muscle and side, and a BodyStructure per muscle with its laterality (SNOMED CT
  7771000 left, 24028007 right, 51440002 both) linked by the core extension
  ``procedure-targetBodyStructure``;
- Consent (the consent recorded on the screening step);
- DocumentReference: the signed note, base64, with its SHA-1 ``hash`` (what R4's
  Attachment.hash means) and a SHA-256 identifier; addenda as further
  DocumentReferences that ``append`` to it;
- ChargeItem: code, modifiers (an extension: R4 ChargeItem has no modifier
  element), units, the charge as signed, the diagnoses, the procedure.

Ids are stable ``urn:uuid`` values (uuid5 of the database row), so exporting the
same visits twice gives the same references. A visit entered in error after
signing is exported with status ``entered-in-error`` throughout.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from dntui.store.queries import ExportRecord
    from dntui.store.repo import VisitRecord

FHIR_VERSION = "4.0.1"
CPT = "http://www.ama-assn.org/go/cpt"
HCPCS = "https://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets"
ICD10CM = "http://hl7.org/fhir/sid/icd-10-cm"
SNOMED = "http://snomed.info/sct"
LOINC = "http://loinc.org"
#: LOINC 72514-3, "Pain severity - 0-10 verbal numeric rating [Score] - Reported" [loinc-nprs].
NPRS_LOINC = "72514-3"
TARGET_BODY_STRUCTURE = "http://hl7.org/fhir/StructureDefinition/procedure-targetBodyStructure"
#: dntui's own identifier systems and extension (URNs: no web page behind them).
CHART_SYSTEM = "urn:dntui:chart-number"
VISIT_SYSTEM = "urn:dntui:visit"
NOTE_SHA256_SYSTEM = "urn:dntui:note-sha256"
MODIFIER_EXTENSION = "urn:dntui:fhir:cpt-modifier"

_NAMESPACE = uuid.UUID("5d1f6f2c-0f5e-4d43-9d59-6a2f1c1f0d15")
LATERALITY = {
    "L": ("7771000", "Left"),
    "R": ("24028007", "Right"),
    "B": ("51440002", "Right and left"),
}
_SIDE_WORD = {"L": "left", "R": "right", "B": "both sides"}


def _urn(kind: str, key: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, f'{kind}/{key}')}"


def _instant(at: datetime | None) -> str | None:
    if at is None:
        return None
    if at.tzinfo is None:  # SQLite hands back naive UTC
        at = at.replace(tzinfo=UTC)
    return at.astimezone(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")


def _ref(url: str, display: str = "") -> dict[str, str]:
    return {"reference": url, **({"display": display} if display else {})}


def _modifier_coding(code: str) -> dict[str, str]:
    """Two-digit modifiers (59, 76, ...) are CPT's; letters (GP, GX, XS, ...) HCPCS Level II."""
    return {"system": CPT if code.isdigit() else HCPCS, "code": code}


def _money(text: str) -> dict[str, Any] | None:
    try:
        value = float(text)
    except ValueError:
        return None
    return {"value": value, "currency": "USD"}


def patient_resource(record: VisitRecord) -> tuple[str, dict[str, Any]]:
    p = record.patient
    key = p.id if p is not None else f"visit-{record.visit.id}"
    res: dict[str, Any] = {"resourceType": "Patient"}
    if p is not None:
        res["identifier"] = [{"system": CHART_SYSTEM, "value": p.chart_no}]
        res["name"] = [{"text": p.name}]
        if p.date_of_birth is not None:
            res["birthDate"] = p.date_of_birth.isoformat()
    return _urn("Patient", key), res


def practitioner_resource(record: VisitRecord) -> tuple[str, dict[str, Any]]:
    pr = record.practitioner
    res: dict[str, Any] = {
        "resourceType": "Practitioner",
        "name": [{"text": pr.name}],
        "qualification": [{"code": {"text": pr.credentials}}] if pr.credentials else [],
    }
    if pr.licence_no:
        state = f" ({pr.licence_state})" if pr.licence_state else ""
        res["identifier"] = [{"type": {"text": f"State licence{state}"}, "value": pr.licence_no}]
    if not res["qualification"]:
        del res["qualification"]
    return _urn("Practitioner", pr.id), res


def visit_resources(
    rec: ExportRecord, record: VisitRecord, *, patient_url: str, practitioner_url: str
) -> list[tuple[str, dict[str, Any]]]:
    """The Encounter and everything that hangs from it, for one signed visit."""
    void = rec.status == "entered-in-error"
    visit_id = rec.visit_id
    who = _ref(practitioner_url, rec.practitioner)
    subject = _ref(patient_url, rec.patient_name)
    day = rec.visit_date.isoformat()
    signed = _instant(rec.signed_at)
    enc_url = _urn("Encounter", visit_id)
    out: list[tuple[str, dict[str, Any]]] = []

    conditions: list[tuple[str, str, str]] = []
    from dntui.domain.icd10 import BY_CODE

    for code in rec.diagnosis_codes:
        known = BY_CODE.get(code)
        conditions.append(
            (_urn("Condition", f"{visit_id}/{code}"), code, known.label if known else "")
        )

    encounter: dict[str, Any] = {
        "resourceType": "Encounter",
        "identifier": [{"system": VISIT_SYSTEM, "value": str(visit_id)}],
        "status": "entered-in-error" if void else "finished",
        "class": {
            "system": "http://terminology.hl7.org/CodeSystem/v3-ActCode",
            "code": "AMB",
            "display": "ambulatory",
        },
        "subject": subject,
        "participant": [{"individual": who}],
        "period": {"start": day, "end": day},
    }
    if conditions:
        encounter["diagnosis"] = [
            {"condition": _ref(url), "rank": i} for i, (url, _, _) in enumerate(conditions, 1)
        ]
    out.append((enc_url, encounter))

    for url, code, label in conditions:
        coding = {"system": ICD10CM, "code": code, **({"display": label} if label else {})}
        out.append(
            (
                url,
                {
                    "resourceType": "Condition",
                    "clinicalStatus": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/condition-clinical",
                                "code": "active",
                            }
                        ]
                    },
                    "verificationStatus": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/condition-ver-status",
                                "code": "entered-in-error" if void else "confirmed",
                            }
                        ]
                    },
                    "category": [
                        {
                            "coding": [
                                {
                                    "system": "http://terminology.hl7.org/CodeSystem/condition-category",
                                    "code": "encounter-diagnosis",
                                }
                            ]
                        }
                    ],
                    "code": {"coding": [coding]},
                    "subject": subject,
                    "encounter": _ref(enc_url),
                    "recordedDate": day,
                    "recorder": who,
                },
            )
        )

    structures: list[tuple[str, dict[str, Any]]] = []
    body_sites: list[dict[str, Any]] = []
    for i, m in enumerate(rec.muscles):
        snomed, lat_display = LATERALITY.get(m.side, ("", ""))
        text = f"{m.name}, {_SIDE_WORD.get(m.side, m.side)}"
        body_sites.append({"text": text})
        structure: dict[str, Any] = {
            "resourceType": "BodyStructure",
            "location": {"text": m.name},
            "description": text,
            "patient": subject,
        }
        if snomed:
            structure["locationQualifier"] = [
                {"coding": [{"system": SNOMED, "code": snomed, "display": lat_display}]}
            ]
        structures.append((_urn("BodyStructure", f"{visit_id}/{i}"), structure))

    proc_url = _urn("Procedure", visit_id)
    procedure: dict[str, Any] = {
        "resourceType": "Procedure",
        "status": "entered-in-error" if void else "completed",
        "code": {
            "coding": [{"system": CPT, "code": rec.code}] if rec.code else [],
            "text": f"Dry needling, {rec.muscle_count} muscle(s), no injection",
        },
        "subject": subject,
        "encounter": _ref(enc_url),
        "performedDateTime": day,
        "performer": [{"actor": who}],
    }
    if not procedure["code"]["coding"]:
        del procedure["code"]["coding"]
    if conditions:
        procedure["reasonReference"] = [_ref(url) for url, _, _ in conditions]
    if body_sites:
        procedure["bodySite"] = body_sites
        procedure["extension"] = [
            {"url": TARGET_BODY_STRUCTURE, "valueReference": _ref(url)} for url, _ in structures
        ]
    if rec.counting:
        procedure["note"] = [{"text": f"Muscle count: {rec.counting}"}]
    out.append((proc_url, procedure))
    out.extend(structures)

    consent = record.draft.consent
    if consent.given:
        out.append(
            (
                _urn("Consent", visit_id),
                {
                    "resourceType": "Consent",
                    "status": "entered-in-error" if void else "active",
                    "scope": {
                        "coding": [
                            {
                                "system": "http://terminology.hl7.org/CodeSystem/consentscope",
                                "code": "treatment",
                            }
                        ]
                    },
                    "category": [{"coding": [{"system": LOINC, "code": "59284-0"}]}],
                    "patient": subject,
                    **({"dateTime": consent.at} if consent.at else {}),
                    "performer": [subject],
                    "policyRule": {
                        "text": f"dntui dry-needling consent, version {consent.text_version}, "
                        f"{consent.method or 'method not recorded'}"
                    },
                    "provision": {"type": "permit", "code": [{"text": "Dry needling"}]},
                },
            )
        )

    note = record.visit.note_text
    doc_url = _urn("DocumentReference", visit_id)
    out.append((doc_url, _document(note, visit_id, void, signed, subject, who, enc_url, day)))
    for addendum in record.addenda:
        body = f"{addendum.kind}: {addendum.reason}\n\n{addendum.text}".strip()
        doc = _document(
            body,
            visit_id,
            void,
            _instant(addendum.created_at),
            subject,
            who,
            enc_url,
            day,
            title=f"Addendum ({addendum.kind})",
        )
        doc["relatesTo"] = [{"code": "appends", "target": _ref(doc_url)}]
        out.append((_urn("DocumentReference", f"{visit_id}/addendum/{addendum.id}"), doc))

    for when, score in (
        ("before", rec.assessment.nprs_before),
        ("after", rec.outcome.nprs_after),
    ):
        if score is None:
            continue
        observation: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "entered-in-error" if void else "final",
            "category": [
                {
                    "coding": [
                        {
                            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
                            "code": "survey",
                        }
                    ]
                }
            ],
            "code": {
                "coding": [
                    {
                        "system": LOINC,
                        "code": NPRS_LOINC,
                        "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
                    }
                ],
                "text": f"Pain (NPRS) {when} dry needling",
            },
            "subject": subject,
            "encounter": _ref(enc_url),
            "effectiveDateTime": day,
            "performer": [who],
            "valueInteger": score,
        }
        out.append((_urn("Observation", f"{visit_id}/nprs-{when}"), observation))

    if rec.code:
        charge: dict[str, Any] = {
            "resourceType": "ChargeItem",
            "status": "entered-in-error" if void else "billable",
            "code": {"coding": [{"system": CPT, "code": rec.code}]},
            "subject": subject,
            "context": _ref(enc_url),
            "occurrenceDateTime": day,
            "performer": [{"actor": who}],
            "quantity": {"value": rec.units},
            "service": [_ref(proc_url)],
        }
        if rec.modifiers:
            charge["extension"] = [
                {"url": MODIFIER_EXTENSION, "valueCoding": _modifier_coding(m)}
                for m in rec.modifiers
            ]
        money = _money(rec.charge)
        if money is not None:
            charge["priceOverride"] = money
            charge["overrideReason"] = "Fee schedule at signing"
        if conditions:
            charge["reason"] = [
                {"coding": [{"system": ICD10CM, "code": code}]} for _, code, _ in conditions
            ]
        if signed:
            charge["enteredDate"] = signed
        if rec.payer_name:
            charge["note"] = [{"text": f"Payer: {rec.payer_name}"}]
        out.append((_urn("ChargeItem", visit_id), charge))
    return out


def _document(
    text: str,
    visit_id: int,
    void: bool,
    when: str | None,
    subject: dict[str, str],
    who: dict[str, str],
    enc_url: str,
    day: str,
    *,
    title: str = "Dry-needling visit note (signed)",
) -> dict[str, Any]:
    data = text.encode("utf-8")
    doc: dict[str, Any] = {
        "resourceType": "DocumentReference",
        "identifier": [{"system": NOTE_SHA256_SYSTEM, "value": hashlib.sha256(data).hexdigest()}],
        "status": "entered-in-error" if void else "current",
        "docStatus": "final",
        "type": {"coding": [{"system": LOINC, "code": "28570-0", "display": "Procedure note"}]},
        "subject": subject,
        "author": [who],
        "authenticator": who,
        "description": f"dntui visit {visit_id}",
        "content": [
            {
                "attachment": {
                    "contentType": "text/plain; charset=utf-8",
                    "language": "en-US",
                    "data": base64.b64encode(data).decode("ascii"),
                    "size": len(data),
                    "hash": base64.b64encode(hashlib.sha1(data).digest()).decode("ascii"),
                    "title": title,
                    **({"creation": when} if when else {}),
                }
            }
        ],
        "context": {"encounter": [_ref(enc_url)], "period": {"start": day, "end": day}},
    }
    if when:
        doc["date"] = when
    return doc


def bundle(
    visits: Iterable[tuple[ExportRecord, VisitRecord]], *, generated_at: datetime | None = None
) -> dict[str, Any]:
    """A ``collection`` Bundle of every visit's resources; Patient and Practitioner once each."""
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for rec, record in visits:
        patient_url, patient = patient_resource(record)
        practitioner_url, practitioner = practitioner_resource(record)
        for url, res in (patient_url, patient), (practitioner_url, practitioner):
            if url not in seen:
                seen.add(url)
                entries.append({"fullUrl": url, "resource": res})
        for url, res in visit_resources(
            rec, record, patient_url=patient_url, practitioner_url=practitioner_url
        ):
            entries.append({"fullUrl": url, "resource": res})
    doc: dict[str, Any] = {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": _instant(generated_at or datetime.now(UTC)),
    }
    if entries:  # FHIR JSON has no empty arrays: an empty Bundle has no "entry" at all
        doc["entry"] = entries
    return doc
