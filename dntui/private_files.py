"""The one atomic, owner-only file writer.

Every file dntui writes that may hold patient or clinic data (draft backups,
exports, handouts, the config files it creates) goes through ``private_writer``:
a temporary file created with mode 0600 whatever the umask, fsynced, then moved
into place, so a reader never sees half a file and nobody else can read it.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def private_writer(
    path: Path, *, replace: bool = True, newline: str | None = None
) -> Iterator[IO[str]]:
    """Write ``path`` atomically with mode 0600; nothing is left behind if the body raises.

    ``replace=False`` never replaces an existing file, even one written meanwhile by
    another process (a hard link, where the file system has them). Raises OSError.
    """
    # A temporary file of its own for every write (O_EXCL, 0600): two threads writing
    # one path at once (a visit's autosave and its backup of a newer edit) shared a
    # per-process name, mixed their texts in it and one failed, "No such file".
    fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    tmp = Path(name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as fh:
            os.fchmod(fh.fileno(), 0o600)  # the umask may have removed bits
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if replace:
            os.replace(tmp, path)
        else:
            try:
                os.link(tmp, path)  # atomic, and never replaces a file written meanwhile
            except FileExistsError:
                pass
            except OSError:  # file systems without hard links
                if not path.exists():
                    os.replace(tmp, path)
    finally:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()


def write_private_text(path: Path, text: str, *, replace: bool = True) -> None:
    """Write ``text`` to ``path`` through ``private_writer``. Raises OSError."""
    with private_writer(path, replace=replace) as fh:
        fh.write(text)
