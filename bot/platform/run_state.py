"""Where the service `make run` started keeps its store, so that operator commands run
beside it (`asb-intake deliveries show ...`) find the embedded Valkey with no variable set.

`var/run.json` is written once every process is up and removed when the service stops;
a file left by a service that died is ignored (its process is gone).
"""

from __future__ import annotations

import json
import os
from pathlib import Path

RUN_FILE = "run.json"


def write(data_dir: Path, redis_url: str, gateway_url: str) -> None:
    state = {"pid": os.getpid(), "redis_url": redis_url, "gateway_url": gateway_url}
    path = data_dir / RUN_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(state) + "\n", encoding="utf-8")
    path.chmod(0o600)


def clear(data_dir: Path) -> None:
    (data_dir / RUN_FILE).unlink(missing_ok=True)


def running_store(data_dir: Path) -> str | None:
    """The store of the service running from `data_dir`, or None when none is."""
    try:
        state = json.loads((data_dir / RUN_FILE).read_text(encoding="utf-8"))
        os.kill(int(state["pid"]), 0)  # is the service's process still there?
    except (OSError, ValueError, KeyError, TypeError):
        return None
    url = state.get("redis_url")
    return url if isinstance(url, str) else None
