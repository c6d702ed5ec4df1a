"""Fee schedule and payer settings (dntui.domain.fees, read by dntui.clinic_files)."""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from pathlib import Path

import pytest

from dntui.clinic_files import default_fees_text, ensure_default_file, load_fee_schedule
from dntui.domain.errors import ConfigError
from dntui.domain.sources import SOURCES


def write(tmp_path: Path, text: str, name: str = "fees.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_default_schedule_fees_are_2026_medicare_reference_amounts() -> None:
    """2026 national non-facility: 20560 $24.72 [15]; 20561 1.14 RVU x $33.40 [rvu2026]."""
    schedule = load_fee_schedule(None)
    assert schedule.fees["20560"] == Decimal("24.72")
    assert schedule.fees["20561"] == (Decimal("1.14") * Decimal("33.40")).quantize(Decimal("0.01"))
    assert isinstance(schedule.fee("20560", "commercial"), Decimal)
    from dntui.clinic_files import default_fees_text

    text = default_fees_text()
    assert "Medicare national allowable, reference only" in text and "2026" in text


def test_default_payers_and_medicare_settings() -> None:
    schedule = load_fee_schedule(None)
    assert set(schedule.payers) == {
        "medicare",
        "medicare-advantage",
        "commercial",
        "anthem",
        "emblemhealth",
        "tricare",
        "self-pay",
    }
    medicare = schedule.payer("medicare")
    assert medicare.name == "Medicare"
    assert medicare.medicare is True
    assert medicare.covers_pt_dry_needling is False
    assert medicare.modifiers == ("GP",)
    assert medicare.abn_modifier == "GX"
    assert medicare.count_sides_separately is True
    assert (medicare.visits_per_90_days, medicare.visits_per_year) == (12, 20)
    assert "11" in medicare.source
    assert schedule.payer("medicare-advantage").kx_after_sessions == 12
    for key in ("anthem", "emblemhealth", "tricare"):
        payer = schedule.payer(key)
        assert payer.warning, key
        assert payer.source, key
    assert schedule.payer("anthem").source == ("14",)
    assert schedule.payer("tricare").source == ("9b",)
    assert schedule.payer("emblemhealth").source == ("4",)


def test_every_payer_source_key_exists() -> None:
    for payer in load_fee_schedule(None).payers.values():
        for key in payer.source:
            assert key in SOURCES


def test_payer_fee_override_and_default_fallback(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[fees]
"20560" = 25.74
"20561" = 38.32

[payers.self-pay]
name = "Self-pay"

[payers.self-pay.fees]
"20560" = "60.00"
"20561" = 80
""",
    )
    schedule = load_fee_schedule(path)
    assert schedule.path == path
    assert schedule.fee("20560", "self-pay") == Decimal("60.00")
    assert schedule.fee("20561", "self-pay") == Decimal("80")
    # an unknown payer gets the default table
    assert schedule.fee("20561", "nobody") == Decimal("38.32")
    assert schedule.fee("99999", "self-pay") is None


def test_float_fee_is_exact_decimal(tmp_path: Path) -> None:
    path = write(tmp_path, '[fees]\n"20560" = 25.74\n')
    assert load_fee_schedule(path).fees["20560"] == Decimal("25.74")


def test_unknown_payer_falls_back_to_generic() -> None:
    schedule = load_fee_schedule(None)
    payer = schedule.payer("acme-health")
    assert payer.known is False
    assert "acme-health" in payer.name
    assert "generic" in payer.name
    assert payer.medicare is False
    assert payer.modifiers == ()
    assert payer.count_sides_separately is True


def test_bad_toml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, '[fees]\n"20560" = 25.74\n"20561" = = 3\n', name="clinic-fees.toml")
    with pytest.raises(ConfigError) as info:
        load_fee_schedule(path)
    message = str(info.value)
    assert "clinic-fees.toml" in message
    assert "line 3" in message
    assert info.value.path == path


def test_wrong_type_fee_names_file_and_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[fees]\n"20560" = "twenty"\n')
    with pytest.raises(ConfigError) as info:
        load_fee_schedule(path)
    assert "fees.toml" in str(info.value)
    assert "fees.20560" in str(info.value)


@pytest.mark.parametrize("value", ["true", "[1]", "-5", '"nan"'])
def test_fee_must_be_a_non_negative_number(tmp_path: Path, value: str) -> None:
    path = write(tmp_path, f'[fees]\n"20560" = {value}\n')
    with pytest.raises(ConfigError, match="20560"):
        load_fee_schedule(path)


def test_payer_fee_wrong_type_names_payer_key(tmp_path: Path) -> None:
    path = write(tmp_path, '[payers.x]\nname = "X"\n[payers.x.fees]\n"20561" = false\n')
    with pytest.raises(ConfigError, match=r"payers\.x\.fees\.20561"):
        load_fee_schedule(path)


def test_unknown_abn_modifier_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '[payers.medicare]\nname = "Medicare"\nabn_modifier = "GZ"\n')
    with pytest.raises(ConfigError) as info:
        load_fee_schedule(path)
    assert "payers.medicare.abn_modifier" in str(info.value)
    assert "fees.toml" in str(info.value)


@pytest.mark.parametrize(("raw", "expected"), [("GA", "GA"), ("gy", "GY"), ("none", None)])
def test_abn_modifier_choices(tmp_path: Path, raw: str, expected: str | None) -> None:
    path = write(tmp_path, f'[payers.m]\nname = "M"\nmedicare = true\nabn_modifier = "{raw}"\n')
    assert load_fee_schedule(path).payer("m").abn_modifier == expected


def test_modifier_50_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, '[payers.x]\nname = "X"\nmodifiers = ["GP", "50"]\n')
    with pytest.raises(ConfigError, match="50"):
        load_fee_schedule(path)


@pytest.mark.parametrize(
    "body",
    [
        'name = "X"\nmedicare = "yes"',
        'name = "X"\ncount_sides_separately = 1',
        'name = "X"\nmodifiers = "GP"',
        'name = "X"\ncolour = "red"',
        'name = "X"\nsource = ["no-such-source"]',
        'name = "X"\nwarning_level = "panic"',
        "medicare = true",
    ],
)
def test_wrong_payer_settings_name_the_key(tmp_path: Path, body: str) -> None:
    path = write(tmp_path, f"[payers.x]\n{body}\n")
    with pytest.raises(ConfigError, match=r"payers\.x"):
        load_fee_schedule(path)


def test_unknown_top_level_key_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "[feez]\n")
    with pytest.raises(ConfigError, match="feez"):
        load_fee_schedule(path)


def test_unreadable_file_is_config_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"missing\.toml"):
        load_fee_schedule(tmp_path / "missing.toml")


def test_default_file_written_0600_even_with_open_umask(tmp_path: Path) -> None:
    config_dir = tmp_path / "config"
    old = os.umask(0o000)
    try:
        path = ensure_default_file(config_dir)
    finally:
        os.umask(old)
    assert path == config_dir / "fees.toml"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert path.read_text(encoding="utf-8") == default_fees_text()
    assert [p.name for p in config_dir.iterdir()] == ["fees.toml"]  # no temp file left
    assert load_fee_schedule(path).payers == load_fee_schedule(None).payers


def test_default_file_is_not_overwritten(tmp_path: Path) -> None:
    path = write(tmp_path, '[fees]\n"20560" = 99\n')
    assert ensure_default_file(tmp_path) == path
    assert load_fee_schedule(path).fees["20560"] == Decimal("99")


def test_default_text_is_commented_and_names_sources() -> None:
    text = default_fees_text()
    assert "[6]" in text and "[7]" in text and "[10]" in text and "[11]" in text
    assert "GA" in text and "GY" in text
    assert "edit" in text.lower()
