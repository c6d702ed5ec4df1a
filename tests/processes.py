"""Separate processes for the tests that race several dntui processes against one database.

``forkserver`` with the store preloaded: each process is forked from a server that has
imported dntui's store once, instead of a fresh interpreter importing SQLAlchemy, SQLModel
and the store again (about a second of CPU each under ``spawn``). Each is still its own
process with its own connections, as separate terminals on a clinic machine are: nothing
is opened before the fork (only modules are loaded).
"""

from __future__ import annotations

import multiprocessing as mp
from multiprocessing.context import BaseContext

PRELOAD = ["dntui.store.repo", "dntui.store.engine"]


def process_context() -> BaseContext:
    ctx = mp.get_context("forkserver")
    ctx.set_forkserver_preload(PRELOAD)
    return ctx
