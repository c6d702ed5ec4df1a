"""Persistence for dntui: SQLModel tables, engine setup, migrations and queries.

Knows nothing of the UI. Importing this package pulls in SQLAlchemy, so the app
imports it only inside the worker that opens the database after the first frame.
"""
