"""Coverage checks and authorizations per patient and payer.

* ``coverage``: when the payer was called, by whom, its reference number, the
  authorization (number, visits, dates) and notes. Append-only: the newest row
  for a patient and payer is the one in force (guards in ``dntui.store.guards``:
  ``coverage_sqlite_guards`` / ``coverage_postgres_sql``).
* Assessment and outcome live in the visit's ``draft_json`` (no new columns):
  visits signed before this schema read "not recorded".

Revision ID: 0005
Revises: 0004
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from dntui.store import guards

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "coverage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("payer", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("verified_on", sa.Date(), nullable=True),
        sa.Column("verified_by", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("reference_no", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("authorization_no", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("visits_authorized", sa.Integer(), nullable=True),
        sa.Column("starts", sa.Date(), nullable=True),
        sa.Column("ends", sa.Date(), nullable=True),
        sa.Column("notes", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["created_by"], ["practitioner.id"]),
        sa.ForeignKeyConstraint(["patient_id"], ["patient.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("coverage", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_coverage_patient_id"), ["patient_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_coverage_payer"), ["payer"], unique=False)

    if op.get_bind().dialect.name == "sqlite":
        for sql in guards.coverage_sqlite_guards().values():
            op.execute(sql)
        return
    for sql in guards.coverage_postgres_sql():
        op.execute(sql)


def downgrade() -> None:  # pragma: no cover - clinics never downgrade a record store
    raise NotImplementedError("schema 0005 cannot be downgraded: restore a backup instead")
