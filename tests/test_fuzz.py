"""Fuzz the live gateway from its own OpenAPI document (schemathesis): whatever is sent,
it must never answer with a server error. 503 is documented (Redis briefly away) and
allowed; nothing else of 5xx is.

Bounded to a few examples per operation so the run stays under about a minute; set
FUZZ_EXAMPLES for a longer search (`make fuzz` uses 100)."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import Case, GenerationMode
from schemathesis.openapi import from_url

pytestmark = pytest.mark.rasa

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "15"))


def test_no_server_errors_from_any_operation(live_gateway_url: str) -> None:
    # Operations are looped over here rather than with schemathesis' pytest plugin,
    # whose fixture loader does not work with the pytest this project uses.
    schema = from_url(f"{live_gateway_url}/openapi.json")
    errors: list[str] = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 10
    for operation in operations:
        # Valid requests and deliberately invalid ones (wrong types, missing fields).
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=cases)
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck))
        def call(case: Case) -> None:
            response = case.call(timeout=30)
            if response.status_code >= 500 and response.status_code != 503:
                errors.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: "
                    f"{response.text[:300]}"
                )

        call()
    assert not errors, "\n".join(sorted(set(errors))[:20])
