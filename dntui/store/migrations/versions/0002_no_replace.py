"""Refuse INSERT OR REPLACE on signed records and audit rows; visits are born drafts.

SQLite's REPLACE deletes the old row without firing DELETE triggers, so without
these an ``INSERT OR REPLACE`` could rewrite a signed visit, an addendum or an
audit row. On both engines a visit row can only be inserted as a draft: the
only way to a signed visit is the signing path (an UPDATE the guards check).

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlmodel  # noqa: F401  (kept for autogenerate's types; alembic issue #1647)
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BORN_DRAFT = "visits are inserted as drafts and never replaced"


def upgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(
            "CREATE TRIGGER visit_insert_guard BEFORE INSERT ON visit "
            "WHEN NEW.status <> 'draft' OR EXISTS (SELECT 1 FROM visit WHERE id = NEW.id) "
            f"BEGIN SELECT RAISE(ABORT, '{_BORN_DRAFT}'); END"
        )
        op.execute(
            "CREATE TRIGGER addendum_insert_guard BEFORE INSERT ON addendum "
            "WHEN EXISTS (SELECT 1 FROM addendum WHERE id = NEW.id) "
            "BEGIN SELECT RAISE(ABORT, 'addendum rows are append-only'); END"
        )
        op.execute(
            "CREATE TRIGGER audit_insert_guard BEFORE INSERT ON audit "
            "WHEN EXISTS (SELECT 1 FROM audit WHERE id = NEW.id OR seq = NEW.seq) "
            "BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END"
        )
        return
    op.execute(f"""
CREATE FUNCTION dntui_visit_insert_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status <> 'draft' THEN
    RAISE EXCEPTION '{_BORN_DRAFT}';
  END IF;
  RETURN NEW;
END $$""")
    op.execute(
        "CREATE TRIGGER visit_insert_guard BEFORE INSERT ON visit "
        "FOR EACH ROW EXECUTE FUNCTION dntui_visit_insert_guard()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        for name in ("visit_insert_guard", "addendum_insert_guard", "audit_insert_guard"):
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        return
    op.execute("DROP TRIGGER IF EXISTS visit_insert_guard ON visit")
    op.execute("DROP FUNCTION IF EXISTS dntui_visit_insert_guard()")
