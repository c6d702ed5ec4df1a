"""Self-pay cash price, discount and packages (fees.toml) [seed]."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dntui.clinic_files import load_fee_schedule
from dntui.domain.cash import cash_charge, discounted
from dntui.domain.errors import ConfigError
from dntui.domain.fees import parse_fee_schedule
from dntui.domain.visit import MuscleEntry, PatientInfo, Side, VisitDraft
from dntui.domain.visit_billing import CoverageContext, summarize

W = Path("fees.toml")
FEES = """
[fees]
"20560" = 60
"20561" = 80
[payers.self-pay]
name = "Self-pay"
{extra}
[payers.commercial]
name = "Commercial"
"""


def schedule(extra: str = ""):  # type: ignore[no-untyped-def]
    return parse_fee_schedule(FEES.format(extra=extra), W)


def test_self_pay_pays_the_fee_without_a_cash_price() -> None:
    c = cash_charge(schedule(), "self-pay", "20561")
    assert c is not None and c.pays == Decimal("80") and c.from_fee


def test_cash_price_and_discount() -> None:
    c = cash_charge(schedule("cash_price = 90\ncash_discount_percent = 10"), "self-pay", "20560")
    assert c is not None
    assert (c.price, c.pays) == (Decimal("90"), Decimal("81.00"))
    assert c.lines()[:2] == ["Patient pays: $81.00", "  ($90.00 less 10% cash discount)"]


def test_packages_show_their_price_per_visit() -> None:
    s = schedule('packages = [{ visits = 5, price = 350, name = "5-pack" }]')
    c = cash_charge(s, "self-pay", "20560")
    assert c is not None
    assert c.lines()[-1] == "  or package 5-pack: 5 visits $350.00 ($70.00 a visit)"


def test_insured_payers_have_no_cash_charge() -> None:
    assert cash_charge(schedule(), "commercial", "20560") is None


def test_self_pay_is_by_key_or_setting() -> None:
    s = schedule()
    assert s.payer("self-pay").self_pay and not s.payer("commercial").self_pay
    s2 = parse_fee_schedule('[payers.cash]\nname = "Cash"\nself_pay = true\n', W)
    assert s2.payer("cash").self_pay


@given(
    st.decimals(min_value=0, max_value=10000, places=2),
    st.decimals(min_value=0, max_value=100, places=1),
)
def test_discount_is_between_zero_and_the_price(price: Decimal, pct: Decimal) -> None:
    pays = discounted(price, pct)
    assert Decimal(0) <= pays <= price
    assert pays == pays.quantize(Decimal("0.01"))


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        ("cash_discount_percent = 120", "0 to 100"),
        ("cash_price = -5", "0 or more"),
        ("packages = [{ visits = 0, price = 10 }]", "visits must be"),
        ("packages = [{ visits = 5 }]", "price is missing"),
        ('packages = "five"', "must be a list"),
        ("packages = [{ visits = 5, price = 10, colour = 1 }]", "item 1"),
    ],
)
def test_bad_cash_settings_name_the_setting(extra: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        schedule(extra)


def test_packaged_default_file_still_loads() -> None:
    s = load_fee_schedule(None)
    assert s.payer("self-pay").self_pay and s.payer("self-pay").packages == ()


def test_pane_summary_has_the_cash_charge_and_coverage_warnings() -> None:
    s = schedule("cash_price = 100\ncash_discount_percent = 20")
    d = VisitDraft(
        visit_date=__import__("datetime").date(2026, 11, 27),
        patient=PatientInfo(id=1, name="A"),
        payer="self-pay",
        muscles=[MuscleEntry("gastrocnemius", Side.LEFT, 1, 1)],
    )
    summary = summarize(d, s, (), CoverageContext(None))
    assert summary.patient_pays == Decimal("80.00")
    assert summary.cash_lines[0] == "Patient pays: $80.00"
    d.payer = "commercial"
    summary = summarize(d, s, (), CoverageContext(None))
    assert summary.patient_pays is None
    assert any("No coverage check on file" in w.text for w in summary.warnings)
    # Not looked up yet: no warning.
    summary = summarize(d, s, (), CoverageContext(None, loaded=False))
    assert not any("coverage" in w.text for w in summary.warnings)
