"""Alembic environment: always run programmatically by ``dntui.store.schema``.

The caller passes its own connection, already inside a transaction, so a failing
migration rolls back completely (shared/reliability.md). Batch mode is on for
SQLite, whose ALTER TABLE is limited; foreign keys are switched off by the caller
and checked here before the transaction commits.
"""

from alembic import context
from sqlmodel import SQLModel

import dntui.store.models  # noqa: F401  (registers the tables on SQLModel.metadata)

connection = context.config.attributes["connection"]
context.configure(
    connection=connection,
    target_metadata=SQLModel.metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
    # Progress of the upgrade, one call per revision applied (schema.ensure_schema).
    on_version_apply=context.config.attributes.get("on_version_apply"),
)
with context.begin_transaction():
    context.run_migrations()
    if connection.dialect.name == "sqlite":
        broken = connection.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
        if broken:
            raise RuntimeError(f"migration left {len(broken)} rows with broken foreign keys")
