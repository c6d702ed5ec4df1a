"""The one file writer (dntui/private_files.py): owner-only, atomic, and safe when two
threads write one path at once (a visit's autosave and the backup of a newer edit)."""

from __future__ import annotations

import stat
import threading
from pathlib import Path

from dntui.private_files import write_private_text


def test_two_threads_writing_one_file_each_write_whole_and_in_private(tmp_path: Path) -> None:
    """Both writes succeed, the file is one of the two texts whole (never a mix), mode
    0600, and no temporary file is left. With one temporary name per process, the
    threads truncated and wrote one file, and one failed: "No such file"."""
    path = tmp_path / "visit.json"
    texts = ["a" * 200_000, "b" * 100_000]
    errors: list[BaseException] = []
    for _ in range(60):
        barrier = threading.Barrier(2)

        def write(text: str, barrier: threading.Barrier = barrier) -> None:
            barrier.wait()
            try:
                write_private_text(path, text)
            except OSError as exc:
                errors.append(exc)

        threads = [threading.Thread(target=write, args=(t,)) for t in texts]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert path.read_text(encoding="utf-8") in texts
    assert errors == []
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["visit.json"]
