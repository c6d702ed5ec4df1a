"""Each way a database can be unusable ends as one line a person can act on."""

from __future__ import annotations

import sys

import pytest
from sqlalchemy import create_engine
from sqlalchemy.exc import OperationalError

from dntui.store.engine import make_engine
from dntui.store.errors import StoreError
from dntui.store.schema import describe_db_error


def test_missing_postgres_driver_names_the_extra(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # "not installed"
    with pytest.raises(StoreError, match=r"pip install 'dntui\[postgres\]'"):
        make_engine("postgresql+psycopg://dana@clinic-server/dntui")


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
