"""The gallery and the UI tests pin time by injection, not by patching modules (issue 12)."""

from __future__ import annotations

import ast
import datetime as real_datetime
import inspect
import os
import sys
import time

from sqlmodel import select

import dntui.gallery
from dntui.gallery import FIXED_NOW, utc_time_zone
from dntui.store.models import AuditEvent, Patient, Practitioner, Visit
from dntui.store.repo import Store


def _aware(t: real_datetime.datetime) -> real_datetime.datetime:
    return t.replace(tzinfo=real_datetime.UTC) if t.tzinfo is None else t


def test_gallery_environment_leaves_every_module_alone() -> None:
    import dntui.store.audit
    import dntui.store.models

    def datetime_attrs() -> dict[str, object]:
        return {
            name: module.datetime
            for name, module in list(sys.modules.items())
            if (name == "dntui" or name.startswith("dntui.")) and hasattr(module, "datetime")
        }

    before = datetime_attrs()
    with utc_time_zone():
        assert dntui.store.models.datetime is real_datetime.datetime
        assert dntui.store.audit.datetime is real_datetime.datetime
        assert datetime_attrs() == before
        # What is still pinned is the environment: local times are UTC.
        assert os.environ["TZ"] == "UTC"
        assert time.localtime(0).tm_hour == time.gmtime(0).tm_hour


def test_gallery_source_patches_no_module() -> None:
    tree = ast.parse(inspect.getsource(dntui.gallery))
    imported = {
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    } | {node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    assert "mock" not in imported and "unittest.mock" not in imported
    assert "unittest" not in imported
    calls = {
        node.func.id if isinstance(node.func, ast.Name) else getattr(node.func, "attr", "")
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
    }
    assert "setattr" not in calls and "object" not in calls  # mock.patch.object


def test_demo_store_is_stamped_by_its_injected_clock(demo_store: Store) -> None:
    """Seeded inside ``utc_time_zone`` only: its row times are FIXED_NOW by injection."""
    assert demo_store.clock() == FIXED_NOW
    with demo_store.reading() as s:
        audit_times = {_aware(e.at) for e in s.exec(select(AuditEvent))}
        patients = {_aware(p.created_at) for p in s.exec(select(Patient))}
        practitioners = {_aware(p.created_at) for p in s.exec(select(Practitioner))}
        visits = list(s.exec(select(Visit)))
    assert audit_times == {FIXED_NOW}
    assert patients == {FIXED_NOW}
    assert practitioners == {FIXED_NOW}
    assert visits and {_aware(v.created_at) for v in visits} == {FIXED_NOW}
    assert {_aware(v.signed_at) for v in visits if v.signed_at is not None} == {FIXED_NOW}
