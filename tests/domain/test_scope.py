"""Scope of practice by state (dntui.domain.scope): sourced lookups and pane warnings."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from builders import SIGNED_AT, ready_draft

from dntui.clinic_files import load_fee_schedule
from dntui.domain import scope
from dntui.domain.billing import summarize
from dntui.domain.record import sign_visit
from dntui.domain.scope import (
    UNKNOWN_TEXT,
    Profession,
    StateCodeError,
    Status,
    lookup,
    normalise_state,
    profession_for,
    scope_warnings,
)
from dntui.domain.scope_data import CHECKED, ENTRIES, SCOPE_SOURCES, STATES, SourceKind
from dntui.domain.sources import SOURCES
from dntui.domain.visit import PatientInfo, PractitionerInfo

ROOT = Path(__file__).resolve().parents[2]
SCHEDULE = load_fee_schedule(None)


def pr(cred: str, hours: int | None = None) -> PractitionerInfo:
    return PractitionerInfo(1, "Dana Reyes", cred, dn_training_hours=hours)


# ----------------------------------------------------------------- the data
def test_every_entry_has_a_source_and_a_checked_date() -> None:
    assert len(ENTRIES) >= 51  # every state and DC has at least its PT entry
    for e in ENTRIES:
        assert e.sources, (e.state, e.profession)
        assert all(k in SCOPE_SOURCES for k in e.sources), e.sources
        assert isinstance(e.checked, date) and e.checked <= date(2026, 11, 27)
        assert e.state in STATES
        assert e.status is not Status.UNKNOWN  # unknown is the absence of an entry
        # An unclear entry says why; a permitted one says what it asks for, or why not.
        if e.status is Status.UNCLEAR:
            assert e.note
        if e.min_hours is not None:
            assert str(e.min_hours) in e.training + e.note  # the number is explained


def test_every_source_has_an_address_a_kind_and_a_checked_date() -> None:
    for s in SCOPE_SOURCES.values():
        assert s.title and s.publisher and s.address, s.key
        assert isinstance(s.kind, SourceKind)
        assert s.checked == CHECKED
    # Each source is used by at least one entry (no stray citations).
    used = {k for e in ENTRIES for k in e.sources}
    assert used == set(SCOPE_SOURCES)


def test_one_entry_per_state_and_profession() -> None:
    keys = [(e.state, e.profession) for e in ENTRIES]
    assert len(keys) == len(set(keys))


def test_scope_sources_are_citable_keys_documented_in_sources_md() -> None:
    doc = (ROOT / "docs" / "sources.md").read_text(encoding="utf-8")
    for key in SCOPE_SOURCES:
        assert key in SOURCES
        assert re.search(rf"^\| {re.escape(key)} \|", doc, re.M), key


def test_docs_page_is_generated_from_the_data() -> None:
    page = ROOT / "docs" / "scope-of-practice.md"
    assert page.read_text(encoding="utf-8") == scope.render_markdown(), (
        "docs/scope-of-practice.md is stale: run python tools/gen_scope_doc.py"
    )


def test_docs_page_lists_each_entry_with_its_sources_and_date() -> None:
    page = scope.render_markdown()
    for e in ENTRIES:
        row = next(
            line
            for line in page.splitlines()
            if line.startswith(f"| {STATES[e.state]} ({e.state}) | {e.profession.value} |")
        )
        assert ", ".join(e.sources) in row and f"{e.checked:%Y-%m-%d}" in row


# --------------------------------------------------------------- lookups
def test_lookup_prohibited_state_with_its_sources() -> None:
    r = lookup("CA", Profession.PT)
    assert r.status is Status.PROHIBITED
    assert "sop-pphc" in r.source_keys and r.checked == CHECKED
    assert any(s.as_of == "January 2026" for s in r.sources)


def test_lookup_permitted_with_training_minimum() -> None:
    r = lookup("fl", "PT")  # lower case is accepted
    assert (r.status, r.min_hours, r.min_years, r.registration) == (Status.PERMITTED, 50, 2, True)
    assert r.sources[0].key == "sop-fl-486" and r.sources[0].kind is SourceKind.PRIMARY
    assert lookup("MD", Profession.PT).min_hours == 80
    assert lookup("NV", Profession.PT).min_hours == 150


def test_lookup_other_professions() -> None:
    assert lookup("NY", Profession.DC).status is Status.PROHIBITED
    assert lookup("NY", Profession.LAC).status is Status.PERMITTED
    assert lookup("NC", Profession.AT).min_hours == 54
    assert lookup("VA", Profession.PTA).status is Status.PROHIBITED
    assert lookup("PA", Profession.PT).status is Status.UNCLEAR


def test_lookup_without_an_entry_is_unknown() -> None:
    for state, prof in (("WY", Profession.DC), ("ZZ", Profession.PT), ("VA", "nurse")):
        r = lookup(state, prof)
        assert r.status is Status.UNKNOWN and r.note == UNKNOWN_TEXT
        assert r.sources == () and r.checked is None
    assert lookup("VA", "nurse").profession is None
    assert lookup("WY", Profession.DC).profession is Profession.DC


def test_profession_for_credentials() -> None:
    assert profession_for("DPT") is Profession.PT
    assert profession_for("PT, DPT") is Profession.PT
    assert profession_for("DO") is Profession.PHYSICIAN
    assert profession_for("L.Ac.") is Profession.LAC
    assert profession_for("CNS") is None and profession_for("") is None


# ------------------------------------------------------------- state setting
@pytest.mark.parametrize(("text", "code"), [("va", "VA"), (" DC ", "DC"), ("", "")])
def test_state_codes_are_normalised(text: str, code: str) -> None:
    assert normalise_state(text) == code


@pytest.mark.parametrize("text", ["Virginia", "XX", "V", "PR"])
def test_bad_state_code_is_one_clear_line(text: str) -> None:
    with pytest.raises(StateCodeError) as err:
        normalise_state(text)
    msg = str(err.value)
    assert "two-letter US state code" in msg and "\n" not in msg


# ---------------------------------------------------------------- warnings
def test_no_state_set_no_warning() -> None:
    assert scope_warnings("", pr("PT")) == []


def test_profession_not_permitted_warns_with_sources() -> None:
    (w,) = scope_warnings("CA", pr("PT", 100))
    assert w.level == "warn"
    assert "not permitted in California" in w.text and "checked 2026-11-27" in w.text
    assert "sop-pphc" in w.source


def test_pta_where_delegation_is_forbidden() -> None:
    (w,) = scope_warnings("VA", pr("PTA"))
    assert w.level == "warn" and "not permitted in Virginia" in w.text


def test_training_below_the_minimum_warns() -> None:
    warns = scope_warnings("MD", pr("PT", 54))
    below = [w for w in warns if w.level == "warn"]
    assert len(below) == 1
    assert "54 h" in below[0].text and "minimum of 80 h" in below[0].text
    # Enough hours: no warning, only the state's requirements as information.
    assert [w.level for w in scope_warnings("MD", pr("PT", 80))] == ["info"]


def test_no_hours_recorded_warns_where_a_minimum_exists() -> None:
    (w, _info) = scope_warnings("FL", pr("DPT"))
    assert w.level == "warn" and "none is recorded" in w.text and "50 h" in w.text


def test_unknown_state_or_profession_says_check_your_state_board() -> None:
    for state, cred in (("WY", "DC"), ("VA", "CNS"), ("MT", "NP")):
        (w,) = scope_warnings(state, pr(cred))
        assert w.level == "info" and UNKNOWN_TEXT in w.text


def test_unclear_state_says_why() -> None:
    (w,) = scope_warnings("AR", pr("PT", 100))
    assert w.level == "warn" and "unclear" in w.text and "disagree" in w.text


# -------------------------------------------------- billing and the signed record
def test_billing_pane_and_signed_record_carry_the_scope_warning() -> None:
    draft = ready_draft(pr("PT", 10), PatientInfo(7, "Ada Park", None, "C000007"))
    plain = summarize(draft, SCHEDULE)
    assert not any("California" in w.text for w in plain.warnings)
    summary = summarize(draft, SCHEDULE, clinic_state="CA")
    hit = [w for w in summary.warnings if "not permitted in California" in w.text]
    assert hit and hit[0].level == "warn" and "sop-pphc" in hit[0].source
    rec = sign_visit(draft, SCHEDULE, draft.practitioner, lambda: SIGNED_AT, clinic_state="CA")
    assert any("not permitted in California" in t for t in rec.billing.warning_texts)
    assert "not permitted in California" in rec.note_text


def test_draft_json_keeps_training_hours() -> None:
    draft = ready_draft(pr("PT", 46), PatientInfo(7, "Ada Park", None, "C000007"))
    from dntui.domain.visit import VisitDraft

    again = VisitDraft.from_dict(draft.to_dict())
    assert again.practitioner.dn_training_hours == 46
    old = draft.to_dict()
    del old["practitioner"]["dn_training_hours"]  # drafts saved before the field existed
    assert VisitDraft.from_dict(old).practitioner.dn_training_hours is None
