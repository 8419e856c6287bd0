"""Rasa, with rasa_plugins/action_response_check.py installed, still accepts an action
server's good response and rejects a malformed one with its own error and message: the
check is as strict as Rasa's own, only cheaper. Run in the Rasa server's environment."""

from __future__ import annotations

import json
import subprocess

from bot.platform.processes import RASA_BIN
from bot.platform.settings import PROJECT_ROOT

CHECK = """
import json, sys
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction
from rasa_plugins import action_response_check

action_response_check.install()
action = RemoteAction("validate_report_form", None)
good = {"events": [{"event": "slot", "name": "incident_time", "value": "last night"}],
        "responses": [{"text": "Where did it happen?"}]}
print(json.dumps({"good": action._validate_action_result(good)}))
for bad in ({"events": [{"event": "slot", "name": 5}]}, {"events": "none"},
            {"responses": ["not an object"]}):
    try:
        action._validate_action_result(bad)
        print(json.dumps({"accepted": bad}))
    except ValidationError as error:
        told = "Failed to validate Action server response" in error.message
        print(json.dumps({"rejected": told}))
"""


def test_good_responses_pass_and_malformed_ones_fail_as_in_rasa() -> None:
    python = RASA_BIN.parent / "python"
    run = subprocess.run(
        [str(python), "-c", CHECK], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=120
    )
    assert run.returncode == 0, run.stderr[-2000:]
    results = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    assert results[0] == {"good": True}
    assert results[1:] == [{"rejected": True}] * 3, results
