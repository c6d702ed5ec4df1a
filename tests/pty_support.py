"""The real app in a pseudo-terminal, for tests and bench scripts (import by name).

The same harness as tests/test_hangup.py: fork a pty, run ``python -m dntui``,
read what it draws, write keys, send signals, wait for the exit.
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


class PtyApp:
    def __init__(
        self, args: list[str], env: dict[str, str], size: tuple[int, int] = (24, 80)
    ) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # child
            os.execve(sys.executable, [sys.executable, "-m", "dntui", *args], env)
        self.pid, self.fd = pid, fd
        fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", size[0], size[1], 0, 0))
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
