"""Start an installed ``dntui`` in a real 80x24 pseudo-terminal and check it comes up.

Usage: python .ci/start_check.py PATH/TO/dntui [ARGS...]

Passes when the first screen shows the demo practitioners (so the database opened
and was seeded), then quits with ctrl+q and expects exit status 0. Fails with one
line and the last screenful of output otherwise. Standard library only.
"""

from __future__ import annotations

import os
import pty
import re
import select
import signal
import struct
import sys
import termios
import time
from fcntl import ioctl

EXPECT = "Who is logging visits?"  # the practitioner picker over the start screen
TIMEOUT_S = 30.0
ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[()][0-9A-Za-z]|\x1b[=>]")


def read_until(fd: int, needle: str, deadline: float, seen: bytearray) -> bool:
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 0.2)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 65536)
        except OSError:
            return False
        if not chunk:
            return False
        seen += chunk
        if needle in ANSI.sub(b"", bytes(seen)).decode("utf-8", "replace"):
            return True
    return False


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    started = time.monotonic()
    pid, fd = pty.fork()
    if pid == 0:
        os.environ["TERM"] = "xterm-256color"
        os.environ.pop("NO_COLOR", None)
        os.execv(argv[1], argv[1:])
    ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 80, 0, 0))
    os.kill(pid, signal.SIGWINCH)
    seen = bytearray()
    ok = read_until(fd, EXPECT, started + TIMEOUT_S, seen)
    shown = time.monotonic() - started
    if ok:
        os.write(fd, b"\x11")  # ctrl+q
    deadline = time.monotonic() + 10
    status = None
    while time.monotonic() < deadline:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        read_until(fd, "\x00never", time.monotonic() + 0.2, seen)
    else:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
    tail = ANSI.sub(b"", bytes(seen[-3000:])).decode("utf-8", "replace")
    if not ok:
        print(
            f"start_check: {argv[1]} did not show {EXPECT!r} within {TIMEOUT_S:.0f} s",
            file=sys.stderr,
        )
        print(tail, file=sys.stderr)
        return 1
    code = os.waitstatus_to_exitcode(status) if status is not None else None
    if code != 0:
        print(
            f"start_check: {argv[1]} showed its first screen but exited with {code} after ctrl+q",
            file=sys.stderr,
        )
        print(tail, file=sys.stderr)
        return 1
    print(f"start_check: {' '.join(argv[1:])}: first screen in {shown:.1f} s, quit cleanly")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
