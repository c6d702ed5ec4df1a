"""Store errors. Each ``str()`` is one line a user can act on."""

from dntui.domain.errors import DntuiError


class StoreError(DntuiError):
    """The database cannot be used (unreachable, unwritable, damaged, too new)."""


class NewerSchemaError(StoreError):
    """The database was written by a newer dntui than this one."""


class ConflictError(DntuiError):
    """Someone else saved the same draft since it was loaded."""


class LockedError(DntuiError):
    """The visit is signed (or entered in error) and cannot change; add an addendum."""


class NotFoundError(DntuiError):
    """No such record."""
