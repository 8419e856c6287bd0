"""supervisord, the process manager of the one-machine service: its configuration, made
from the process specs, and a client of its XML-RPC interface (a Unix socket under var/).

Every program restarts on its own when it exits, whatever the reason; a start that fails
is retried with a growing back-off (1 s, 2 s, 3 s ...). One program's exit never stops
another. Logs go to one file per program, rotated by size.
"""

from __future__ import annotations

import sys
import xmlrpc.client
from collections.abc import Sequence
from pathlib import Path
from typing import Any, cast

from supervisor.xmlrpc import SupervisorTransport

from bot.platform.processes import ProcessSpec

LOG_BYTES = "10MB"
LOG_BACKUPS = 5
# Failed starts in a row before a program is left stopped (FATAL): at a growing back-off,
# about half an hour of trying.
START_RETRIES = 60


def render_config(
    specs: Sequence[ProcessSpec], run_dir: Path, log_dir: Path, project_root: Path, socket: Path
) -> str:
    """supervisord.conf for `specs`: programs start only when asked (the stack starts them
    in order once the store answers) and restart on their own after that."""
    sections = [
        f"[unix_http_server]\nfile={socket}\nchmod=0700\n",
        f"[supervisord]\nnodaemon=true\nlogfile={log_dir / 'supervisord.log'}\n"
        f"logfile_maxbytes={LOG_BYTES}\nlogfile_backups={LOG_BACKUPS}\n"
        f"pidfile={run_dir / 'supervisord.pid'}\nchildlogdir={log_dir}\n",
        "[rpcinterface:supervisor]\n"
        "supervisor.rpcinterface_factory = supervisor.rpcinterface:make_main_rpcinterface\n",
        f"[supervisorctl]\nserverurl=unix://{socket}\n",
    ]
    for spec in specs:
        command = " ".join(_quoted(a) for a in _reaped(spec, run_dir))
        sections.append(
            f"[program:{spec.name}]\ncommand={command}\ndirectory={project_root}\n"
            f"priority={spec.priority}\nautostart=false\nautorestart=true\n"
            f"startsecs={spec.start_seconds}\nstartretries={START_RETRIES}\n"
            f"stopsignal=TERM\nstopwaitsecs={spec.stop_seconds}\n"
            "stopasgroup=true\nkillasgroup=true\nredirect_stderr=true\n"
            f"stdout_logfile={log_dir / spec.name}.log\nstdout_logfile_maxbytes={LOG_BYTES}\n"
            f"stdout_logfile_backups={LOG_BACKUPS}\n"
        )
    return "\n".join(sections)


def _reaped(spec: ProcessSpec, run_dir: Path) -> list[str]:
    return [sys.executable, "-m", "bot.platform.reap", str(run_dir / f"{spec.name}.pgid"), "--",
            *spec.argv]  # fmt: skip


def _quoted(arg: str) -> str:
    # supervisord splits a command with shlex; % is its own expansion character.
    escaped = arg.replace("%", "%%")
    return f'"{escaped}"' if any(c in escaped for c in " \"'") else escaped


class Supervisor:
    """supervisord's XML-RPC interface, over its Unix socket."""

    def __init__(self, socket: Path):
        self.socket = socket

    def state(self) -> str:
        return str(self._call("getState")["statename"])

    def start(self, name: str, wait: bool = True) -> None:
        self._call("startProcess", name, wait)

    def stop(self, name: str) -> None:
        self._call("stopProcess", name, True)

    def info(self, name: str) -> dict[str, Any]:
        return cast(dict[str, Any], self._call("getProcessInfo", name))

    def pid(self, name: str) -> int:
        return int(self.info(name)["pid"])

    def _call(self, method: str, *args: Any) -> Any:
        # A connection per call: a transport whose request failed cannot send another.
        transport = SupervisorTransport(None, None, serverurl=f"unix://{self.socket}")
        proxy = xmlrpc.client.ServerProxy("http://127.0.0.1", transport=transport)
        return getattr(proxy.supervisor, method)(*args)
