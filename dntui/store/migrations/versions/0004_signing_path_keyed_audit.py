"""Signing only through dntui's path, PIN hashes apart, keyed audit chain, unique names.

* ``practitioner_secret`` takes the PIN hashes out of ``practitioner`` (with a
  wrong-PIN counter and lockout time); ``practitioner.pin_hash`` is dropped.
* ``practitioner.db_role`` binds a profile to the PostgreSQL role that made it.
* Practitioner names are unique (case-insensitive); existing duplicates get
  " (2)", " (3)"... appended, oldest keeps the name.
* ``audit.key_id``: rows from now on are HMAC'd with the clinic key; older rows
  keep their SHA-256 hashes (``key_id`` empty) and still verify.
* ``dntui_meta`` (database id), ``audit_anchor`` (PostgreSQL tail anchor),
  ``dntui_secret`` (PostgreSQL: the clinic key, owner-only).
* Guards: every SQLite trigger re-created from ``dntui.store.guards``; on
  PostgreSQL the SECURITY DEFINER functions and new triggers.

Revision ID: 0004
Revises: 0003
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from dntui.store import guards

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_OLD_SQLITE_TRIGGERS = (
    "visit_locked",
    "visit_no_delete",
    *(f"{t}_locked_{e}" for t in ("visit_muscle", "screening_answer") for e in ("insert", "update", "delete")),
    *(f"{t}_append_only_{e}" for t in ("audit", "addendum") for e in ("update", "delete")),
    *(f"{t}_insert_guard" for t in ("visit", "audit", "addendum")),
)  # fmt: skip


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == "sqlite"
    op.create_table(
        "practitioner_secret",
        sa.Column("practitioner_id", sa.Integer(), nullable=False),
        sa.Column("pin_hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("locked_until", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(["practitioner_id"], ["practitioner.id"]),
        sa.PrimaryKeyConstraint("practitioner_id"),
    )
    op.create_table(
        "dntui_meta",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("value", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "dntui_secret",
        sa.Column("name", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("value", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )
    op.create_table(
        "audit_anchor",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("seq", sa.Integer(), nullable=False),
        sa.Column("hash", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("mac", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.PrimaryKeyConstraint("id"),
    )
    op.execute(
        "INSERT INTO practitioner_secret (practitioner_id, pin_hash, failures) "
        "SELECT id, pin_hash, 0 FROM practitioner"
    )
    # Unique names: the oldest keeps it, later ones get a number.
    rows = bind.exec_driver_sql("SELECT id, name FROM practitioner ORDER BY id").fetchall()
    seen: dict[str, int] = {}
    taken = {str(name).lower() for _, name in rows}
    for pid, name in rows:
        key = str(name).lower()
        seen[key] = seen.get(key, 0) + 1
        if seen[key] > 1:
            n = seen[key]
            while f"{name} ({n})".lower() in taken:
                n += 1
            new = f"{name} ({n})"
            taken.add(new.lower())
            op.execute(
                sa.text("UPDATE practitioner SET name = :n WHERE id = :i").bindparams(n=new, i=pid)
            )
    with op.batch_alter_table("practitioner", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "db_role", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
            )
        )
        batch_op.drop_column("pin_hash")
    op.create_index(
        "ux_practitioner_name_lower", "practitioner", [sa.text("lower(name)")], unique=True
    )
    with op.batch_alter_table("audit", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "key_id", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""
            )
        )

    if sqlite:
        import secrets

        op.execute(
            sa.text("INSERT INTO dntui_meta (name, value) VALUES ('database_id', :v)").bindparams(
                v=secrets.token_hex(16)
            )
        )
        for name in _OLD_SQLITE_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
        for sql in guards.sqlite_guards("0004").values():
            op.execute(sql)
        return
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
    op.execute(
        "INSERT INTO dntui_meta (name, value) "
        "VALUES ('database_id', replace(gen_random_uuid()::text, '-', ''))"
    )
    op.execute(
        "INSERT INTO dntui_secret (name, value) VALUES ('audit_key', "
        "decode(replace(gen_random_uuid()::text || gen_random_uuid()::text, '-', ''), 'hex'))"
    )
    for sql in guards.postgres_sql(str(schema)):
        op.execute(sql)
    op.execute("SELECT dntui_reanchor()")


def downgrade() -> None:  # pragma: no cover - clinics never downgrade a record store
    raise NotImplementedError("schema 0004 cannot be downgraded: restore a backup instead")
