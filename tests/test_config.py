"""config.toml: a commented default, private files, and clear refusals."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from dntui.config import DEFAULT_NEEDLES, load_settings
from dntui.domain.errors import ConfigError


def test_default_config_is_written_private_and_loads(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        path = tmp_path / "cfg" / "config.toml"
        first = load_settings(path)
    finally:
        os.umask(old)
    assert path.exists() and oct(path.stat().st_mode & 0o777) == "0o600"
    assert oct(path.parent.stat().st_mode & 0o777) == "0o700"
    again = load_settings(path)
    assert again.needles == list(DEFAULT_NEEDLES) == first.needles
    assert again.idle_lock_minutes == 0 and again.mouse is False and again.printer == ""
    assert again.late_draft_days == 2


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("mouse = yes\n", "line 1"),
        ("idle_lock_minutes = true\n", "must be a int"),
        ("idle_lock_minutes = -5\n", "0 or more"),
        ("late_draft_days = -1\n", "0 or more"),
        ('late_draft_days = "2"\n', "must be a int"),
        ('colour = "red"\n', "unknown setting 'colour'"),
        ("needles = [1, 2]\n", "needles"),
        ('[keymap]\n"start.new" = 3\n', "keymap entry 'start.new'"),
    ],
)
def test_bad_settings_are_refused_naming_file_and_problem(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = tmp_path / "config.toml"
    path.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    assert str(path) in str(err.value) and expected in str(err.value)


def test_clinic_state_is_read_and_normalised(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('clinic_state = "va"\n')
    assert load_settings(path).clinic_state == "VA"
    path.write_text("")
    assert load_settings(path).clinic_state == ""  # unset: no state check


def test_default_config_documents_clinic_state(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    assert load_settings(path).clinic_state == ""
    assert 'clinic_state = ""' in path.read_text()


@pytest.mark.parametrize("value", ['"Virginia"', '"XX"', "51"])
def test_bad_clinic_state_is_one_clear_line(tmp_path: Path, value: str) -> None:
    path = tmp_path / "config.toml"
    path.write_text(f"clinic_state = {value}\n")
    with pytest.raises(ConfigError) as err:
        load_settings(path)
    msg = str(err.value)
    assert str(path) in msg and "clinic_state" in msg and "\n" not in msg
