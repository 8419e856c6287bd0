"""`asb-intake triage` as CONTRACT section 2 describes it, in-process and as a real process."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

from bot.triage.cli import run

ROOT = Path(__file__).resolve().parents[2]
# the service environment's interpreter, as an operator would run it
PYTHON = (
    str(ROOT / ".venv" / "bin" / "python")
    if (ROOT / ".venv/bin/python").exists()
    else (sys.executable)
)

MIXED_INPUT = (
    "\n".join(
        [
            json.dumps(
                {"id": "m1", "text": "theres a lad outside with a knife rn", "channel": "sms"}
            ),
            "this is not json {",
            "",
            json.dumps({"id": "m2", "text": "they called me a p*** at the bus", "channel": "chat"}),
            json.dumps(["a", "list"]),
            json.dumps({"id": "m3"}),
            json.dumps({"id": 4, "text": 42}),
            "   ",
            json.dumps({"id": "m5", "text": "um the music er is so loud", "channel": "voice"}),
            json.dumps({"text": "hello"}),
            json.dumps({"id": "m7", "text": "fly tipping in the lane again", "channel": "fax"}),
        ]
    )
    + "\n"
)


def check_output(lines: list[dict[str, Any]]) -> None:
    # one output line per non-blank input line, in the same order
    assert [line.get("id") for line in lines] == ["m1", None, "m2", None, "m3", 4, "m5", None, "m7"]
    assert lines[0] == {
        "id": "m1",
        "emergency": True,
        "hate_crime": False,
        "hate_strands": [],
        "category": "personal",
        "subtype": "weapon",
    }
    assert set(lines[1]) == {"id", "error"} and "JSON" in lines[1]["error"]
    assert lines[2]["hate_crime"] is True and lines[2]["hate_strands"] == ["race"]
    assert lines[2]["emergency"] is False
    assert set(lines[3]) == {"id", "error"}  # a list is not a message
    assert set(lines[4]) == {"id", "error"} and "text" in lines[4]["error"]
    assert set(lines[5]) == {"id", "error"} and lines[5]["id"] == 4
    assert lines[6]["category"] == "nuisance" and lines[6]["subtype"] == "noise"
    assert lines[7] == {
        "id": None,
        "emergency": False,
        "hate_crime": False,
        "hate_strands": [],
        "category": "none",
        "subtype": "none",
    }
    # an unknown channel never costs a verdict
    assert lines[8]["category"] == "environmental" and "error" not in lines[8]


def test_run_in_process() -> None:
    out = io.StringIO()
    code = run(io.StringIO(MIXED_INPUT), out)
    assert code == 0
    check_output([json.loads(line) for line in out.getvalue().splitlines()])


def test_run_as_a_process_with_the_console_entry() -> None:
    proc = subprocess.run(
        [
            PYTHON,
            "-c",
            "import sys; from bot.triage.cli import run; sys.exit(run(sys.stdin, sys.stdout))",
        ],
        input=MIXED_INPUT,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    check_output([json.loads(line) for line in proc.stdout.splitlines()])


def test_each_line_is_flushed_before_the_next_is_read() -> None:
    """A caller can feed one message and read its verdict before sending the next."""
    proc = subprocess.Popen(
        [
            PYTHON,
            "-c",
            "import sys; from bot.triage.cli import run; sys.exit(run(sys.stdin, sys.stdout))",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdin is not None and proc.stdout is not None
    try:
        proc.stdin.write(json.dumps({"id": "a", "text": "HELP THEY R KICKING MY DOOR IN"}) + "\n")
        proc.stdin.flush()
        first = json.loads(proc.stdout.readline())
        assert first["id"] == "a" and first["emergency"] is True
        proc.stdin.write(json.dumps({"id": "b", "text": "thanks"}) + "\n")
        proc.stdin.close()
        second = json.loads(proc.stdout.readline())
        assert second["id"] == "b" and second["category"] == "none"
        assert proc.wait(timeout=30) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


class _BrokenInput(io.StringIO):
    def __iter__(self) -> _BrokenInput:
        return self

    def __next__(self) -> str:
        raise OSError("read error")


def test_unreadable_input_is_the_only_failure() -> None:
    out = io.StringIO()
    assert run(_BrokenInput(), out) == 1
    assert out.getvalue() == ""
