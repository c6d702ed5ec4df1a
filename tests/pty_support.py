"""The real app in a pseudo-terminal, for tests and bench scripts (import by name).

The same harness as tests/test_hangup.py: open a pty, run ``python -m dntui`` on it,
read what it draws, write keys, send signals, wait for the exit.

The app is started with ``os.posix_spawn``, not ``pty.fork``: forking the test process
(xdist workers and the app's own threads run beside it) can deadlock the child before it
reaches exec, and Python 3.12 warns of it. A few lines of Python run first in the new
session, make the pty its controlling terminal (a hangup reaches it as from an SSH
link) and exec the command: the pid stays the same.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time

#: Runs in the new session on the pty: take it as the controlling terminal, then exec.
_ON_TTY = (
    "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); "
    "os.execv(sys.argv[1], sys.argv[1:])"
)


def spawn_on_pty(
    argv: list[str], env: dict[str, str], size: tuple[int, int] = (24, 80)
) -> tuple[int, int]:
    """Start ``argv`` with stdin, stdout and stderr on a new pty of ``size`` (rows,
    columns); returns its pid and the pty's master side."""
    master, slave = pty.openpty()
    try:
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
        pid = os.posix_spawn(
            sys.executable,
            [sys.executable, "-I", "-S", "-c", _ON_TTY, *argv],
            env,
            file_actions=[(os.POSIX_SPAWN_DUP2, slave, n) for n in (0, 1, 2)],
            setsid=True,
        )
    except BaseException:
        os.close(master)
        raise
    finally:
        os.close(slave)
    return pid, master


class PtyApp:
    def __init__(
        self, args: list[str], env: dict[str, str], size: tuple[int, int] = (24, 80)
    ) -> None:
        self.pid, self.fd = spawn_on_pty([sys.executable, "-m", "dntui", *args], env, size)
        self.output = b""
        self.status: int | None = None

    def read_for(self, seconds: float) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            r, _, _ = select.select([self.fd], [], [], 0.02)
            if r:
                try:
                    self.output += os.read(self.fd, 65536)
                except OSError:
                    return

    def wait_for(self, text: bytes, timeout: float = 20, start: int = 0) -> None:
        end = time.monotonic() + timeout
        while text not in self.output[start:]:
            if time.monotonic() > end:
                raise AssertionError(f"{text!r} not shown; got {self.output[-500:]!r}")
            self.read_for(0.05)

    def write(self, text: str) -> None:
        """One write to the terminal: the app may read it all at once."""
        os.write(self.fd, text.encode())

    def keys(self, text: str, pause: float = 0.25) -> None:
        self.write(text)
        self.read_for(pause)

    def wait_exit(self, timeout: float) -> int | None:
        end = time.monotonic() + timeout
        while time.monotonic() < end:
            self.read_for(0.01)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                return status
        return None

    def kill(self) -> None:
        if self.status is None:
            with contextlib.suppress(ProcessLookupError, ChildProcessError):
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
        with contextlib.suppress(OSError):
            os.close(self.fd)
