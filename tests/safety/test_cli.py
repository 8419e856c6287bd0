"""`asb-intake triage` as CONTRACT section 2 describes it, run as the operator runs it."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path
from typing import Any

from bot.safety.cli import run

ROOT = Path(__file__).resolve().parents[2]
ASB_INTAKE = str(ROOT / ".venv" / "bin" / "asb-intake")
CONTRACT_FIELDS = {
    "id", "emergency", "hate_crime", "hate_strands", "category", "subtype",
    "danger_question", "evidence", "scores",
}  # fmt: skip

MIXED_INPUT = (
    "\n".join(
        [
            json.dumps(
                {"id": "m1", "text": "theres a lad outside with a knife rn", "channel": "sms"}
            ),
            "this is not json {",
            "",
            json.dumps(
                {"id": "m2", "text": "they called me a p*ki at the bus stop", "channel": "chat"}
            ),
            json.dumps(["a", "list"]),
            json.dumps({"id": "m3"}),
            json.dumps({"id": 4, "text": 42}),
            "   ",
            json.dumps({"id": "m5", "text": "um the music er is so loud", "channel": "voice"}),
            json.dumps({"text": "hello"}),
            json.dumps({"id": "m7", "text": "fly tipping in the lane again", "channel": "fax"}),
            json.dumps({"id": "m8", "text": "he is here", "context": "not a list"}),
        ]
    )
    + "\n"
)


def triage_process(stdin: str, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [ASB_INTAKE, "triage", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def check_output(lines: list[dict[str, Any]]) -> None:
    # one output line per non-blank input line, in the same order
    ids = [line.get("id") for line in lines]
    assert ids == ["m1", None, "m2", None, "m3", 4, "m5", None, "m7", "m8"]
    knife = lines[0]
    assert set(knife) == CONTRACT_FIELDS
    assert knife["emergency"] is True and knife["danger_question"] is False
    assert knife["category"] == "personal" and knife["subtype"] == "weapon"
    assert knife["evidence"] and all(isinstance(e, str) and e for e in knife["evidence"])
    assert "knife" in " ".join(knife["evidence"])
    assert 0.5 < knife["scores"]["emergency"] <= 1.0
    assert set(lines[1]) == {"id", "error"} and "JSON" in lines[1]["error"]
    slur = lines[2]
    assert slur["hate_crime"] is True and slur["hate_strands"] == ["race"]
    assert slur["emergency"] is False and slur["evidence"]
    assert set(lines[3]) == {"id", "error"}  # a list is not a message
    assert set(lines[4]) == {"id", "error"} and "text" in lines[4]["error"]
    assert set(lines[5]) == {"id", "error"} and lines[5]["id"] == 4
    assert lines[6]["category"] == "nuisance" and lines[6]["subtype"] == "noise"
    hello = lines[7]
    assert hello["id"] is None and hello["category"] == "none"
    assert hello["emergency"] is hello["hate_crime"] is hello["danger_question"] is False
    assert hello["evidence"] == []
    # an unknown channel never costs a verdict
    assert lines[8]["category"] == "environmental" and "error" not in lines[8]
    assert set(lines[9]) == {"id", "error"} and "context" in lines[9]["error"]


def test_the_console_command_answers_every_line_in_order() -> None:
    proc = triage_process(MIXED_INPUT)
    assert proc.returncode == 0, proc.stderr
    check_output([json.loads(line) for line in proc.stdout.splitlines()])


def test_context_changes_the_verdict_on_the_same_words() -> None:
    """A calm-looking message after a threat is read as the running service reads it."""
    text = "thats him at the bottom of the stairs now"
    threat = [
        "my ex turned up drunk last week and smashed the door",
        "he keeps texting that he will finish it tonight",
    ]
    lines = [
        {"id": "alone", "text": text, "channel": "chat"},
        {"id": "in_context", "text": text, "channel": "chat", "context": threat},
    ]
    proc = triage_process("\n".join(json.dumps(line) for line in lines) + "\n")
    alone, in_context = (json.loads(line) for line in proc.stdout.splitlines())
    # Caught: flagged, or (read as an answer in a report, held to the answers' higher
    # bar) the danger question asked first.
    assert in_context["emergency"] or in_context["danger_question"]
    assert in_context["scores"]["emergency"] > alone["scores"]["emergency"]


def test_each_line_is_flushed_before_the_next_is_read() -> None:
    """A caller can feed one message and read its verdict before sending the next."""
    proc = subprocess.Popen(
        [ASB_INTAKE, "triage"], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, cwd=ROOT
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
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()


def test_eval_scores_a_labelled_file(tmp_path: Path) -> None:
    labelled = tmp_path / "labelled.jsonl"
    rows = [
        {"text": "he has a knife and is stabbing my brother right now", "emergency": True,
         "hate_crime": False, "hate_strands": [], "category": "personal", "subtype": "weapon"},
        {"text": "the music next door was loud again last night", "emergency": False,
         "hate_crime": False, "hate_strands": [], "category": "nuisance", "subtype": "noise"},
    ]  # fmt: skip
    labelled.write_text("".join(json.dumps(r) + "\n" for r in rows))
    proc = triage_process("", "--eval", str(labelled))
    assert proc.returncode == 0, proc.stderr
    figures = dict(line.split(None, 1) for line in proc.stdout.splitlines()[:12])
    assert figures["messages"] == "2" and figures["emergencies"] == "1"
    assert float(figures["emergency_recall"]) == 1.0
    assert float(figures["danger_question_rate"]) == 0.0
    assert "emergency   flag    ask  clear" in proc.stdout


def test_eval_refuses_a_badly_labelled_file(tmp_path: Path) -> None:
    labelled = tmp_path / "bad.jsonl"
    labelled.write_text(json.dumps({"text": "x", "emergency": "maybe"}) + "\n")
    proc = triage_process("", "--eval", str(labelled))
    assert proc.returncode == 2 and "bad.jsonl:1" in proc.stderr and proc.stdout == ""


class _BrokenInput(io.StringIO):
    def __iter__(self) -> _BrokenInput:
        return self

    def __next__(self) -> str:
        raise OSError("read error")


def test_unreadable_input_is_the_only_failure() -> None:
    out = io.StringIO()
    assert run(_BrokenInput(), out) == 1
    assert out.getvalue() == ""
