"""Rasa's check of an action server's response, with its validator built once.

Rasa 3.6 checks every response from the action server against one fixed JSON Schema by
calling `jsonschema.validate()`, which first checks the schema itself against its
meta-schema, on every call: about a fifth of the Rasa server's CPU per turn. Here the
schema is checked once, and each response is checked as before, failing with the same
error and message.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import exceptions, validators
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@cache
def _response_validator() -> Any:
    schema = RemoteAction.action_response_format_spec()
    validator_class = validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def _validate_action_result(self: RemoteAction, result: dict[str, Any]) -> bool:
    error = exceptions.best_match(_response_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def install() -> None:
    """Use the prebuilt validator for every remote action (idempotent)."""
    RemoteAction._validate_action_result = _validate_action_result
