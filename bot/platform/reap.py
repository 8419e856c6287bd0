"""Start a program after ending what its previous run left behind.

A server with worker processes (Rasa's Sanic, uvicorn with ``--workers``) that is killed
with SIGKILL leaves its workers running, holding its port, so its restart cannot bind.
supervisord starts each program in a process group of its own; this wrapper remembers
that group in a file and, on the next start, kills whatever is still in the old one, then
becomes the program (``exec``: same pid, so supervisord signals the program itself).

    python -m bot.platform.reap var/run/rasa.pgid -- rasa run ...
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
from collections.abc import Sequence
from pathlib import Path


def end_previous_group(pgid_file: Path) -> None:
    try:
        stale = int(pgid_file.read_text().strip())
    except (OSError, ValueError):
        return
    if stale != os.getpgrp():
        with contextlib.suppress(ProcessLookupError, PermissionError):  # nothing was left
            os.killpg(stale, signal.SIGKILL)


def main(argv: Sequence[str]) -> None:
    if len(argv) < 3 or argv[1] != "--":
        sys.exit("usage: python -m bot.platform.reap PGID_FILE -- COMMAND [ARG...]")
    pgid_file, command = Path(argv[0]), list(argv[2:])
    end_previous_group(pgid_file)
    pgid_file.parent.mkdir(parents=True, exist_ok=True)
    pgid_file.write_text(f"{os.getpgrp()}\n")
    os.execvp(command[0], command)


if __name__ == "__main__":
    main(sys.argv[1:])
