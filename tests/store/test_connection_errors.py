"""Each way a database can be unusable ends as one line a person can act on."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from dntui.store.engine import make_engine
from dntui.store.errors import StoreError
from dntui.store.schema import describe_db_error


@pytest.mark.parametrize(
    ("prefix", "command"),
    [
        ("/home/dana/.local/share/pipx/venvs/dntui", "pipx inject dntui 'psycopg[binary]>=3.2'"),
        ("/home/dana/.local/share/uv/tools/dntui", "uv tool install --force --with"),
        ("/srv/dntui/.venv", "-m pip install 'psycopg[binary]>=3.2'"),
    ],
)
def test_missing_postgres_driver_names_the_command_for_this_install(
    monkeypatch: pytest.MonkeyPatch, prefix: str, command: str
) -> None:
    """pipx and uv tool installs have no pip of their own: the hint names their command."""
    monkeypatch.setitem(sys.modules, "psycopg", None)  # "not installed"
    monkeypatch.setattr(sys, "prefix", prefix)
    with pytest.raises(StoreError, match="PostgreSQL needs the psycopg driver") as info:
        make_engine("postgresql+psycopg://dana@clinic-server/dntui")
    assert command in str(info.value)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(
    ("prefix", "command"),
    [
        ("/root/.local/pipx/venvs/dntui", "pipx upgrade dntui"),
        ("/root/.local/share/uv/tools/dntui", "uv tool upgrade dntui"),
        ("/usr", "-m pip install -U dntui"),
    ],
)
def test_upgrade_hint_fits_the_install(prefix: str, command: str) -> None:
    from dntui.install import upgrade_hint

    assert command in upgrade_hint(prefix)


def test_unsupported_database_is_refused() -> None:
    with pytest.raises(StoreError, match="unsupported database 'mysql'"):
        make_engine("mysql://dana@clinic-server/dntui")


@pytest.mark.parametrize(
    ("driver_message", "expected"),
    [
        (
            'FATAL:  password authentication failed for user "dana"',
            "refused the password",
        ),
        ('FATAL:  database "dntuii" does not exist', "does not exist: create it first"),
        ("connection refused", "cannot reach the database server"),
        ("file is not a database", "damaged or is not a dntui database"),
    ],
)
def test_driver_errors_become_one_clear_line_without_the_password(
    driver_message: str, expected: str
) -> None:
    engine = create_engine("postgresql+psycopg://dana:s3cret@clinic-server/dntui")
    exc = OperationalError("SELECT 1", {}, Exception(driver_message))
    line = describe_db_error(exc, engine)
    assert expected in line
    assert "s3cret" not in line and "\n" not in line
