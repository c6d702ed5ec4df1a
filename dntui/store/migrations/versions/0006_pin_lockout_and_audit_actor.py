"""PostgreSQL: the PIN lockout and the audit row's actor are the database's, not the caller's.

* ``dntui_pin_check`` took the failure limit and the lock time from its caller: a
  practitioner calling it from a SQL shell with a limit of a million guessed a
  colleague's PIN without ever locking it. The caller may now ask for a stricter
  lockout, never a looser one than five failures and five minutes.
* ``dntui_audit_append`` checked that the role acts for the practitioner id it was
  given, then wrote whatever name it was given ('Sam Okafor' under Dana's id): a
  practitioner's row now carries the name of the practitioner its id names.
* ``dntui_addendum`` wrote the addendum's kind alone in its audit row: it now writes
  the row's id and a digest of what it says (``audit.addendum_detail``), which
  ``dntui audit verify`` compares with the row. dntui's SQLite path does the same in
  Python; addenda written before keep their old rows (counted, not compared).

Nothing changes in SQLite's schema (its audit and PIN writes are dntui's own code).

Revision ID: 0006
Revises: 0005
"""

from collections.abc import Sequence

from alembic import op

from dntui.store import guards

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        return
    schema = bind.exec_driver_sql("SELECT current_schema()").scalar()
    for sql in guards.pin_and_actor_0006_sql(str(schema)):
        op.execute(sql)


def downgrade() -> None:  # pragma: no cover - clinics never downgrade a record store
    raise NotImplementedError("schema 0006 cannot be downgraded: restore a backup instead")
