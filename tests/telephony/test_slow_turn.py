"""A slow conversation turn on a call: the caller hears a holding phrase and Twilio is
redirected to pick the result up, so no TwiML answer comes near Twilio's 15 s limit.

The dialogue engine here is a real HTTP server that answers after 5 s, behind a gateway
process started for this test on a real Valkey."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from bot.platform.processes import ensure_pseudonym_key
from bot.platform.settings import PROJECT_ROOT
from tests.gateway_process import gateway_process
from tests.telephony.drivers import Caller, said
from tests.telephony.fake_twilio import FakeTwilio
from tests.telephony.signing import telephony_env
from tests.telephony.slow_rasa import SlowRasa

DELAY = 5.0
QUESTION = "What happened? Tell me in your own words."


@pytest.fixture(scope="module")
def slow_rasa() -> Iterator[SlowRasa]:
    server = SlowRasa(DELAY, QUESTION)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def slow_gateway(
    slow_rasa: SlowRasa,
    valkey_url: str,
    fake_twilio: FakeTwilio,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    data_dir: Path = tmp_path_factory.mktemp("slow-gateway")
    ensure_pseudonym_key(data_dir)
    env = {
        **os.environ,
        **telephony_env(fake_twilio.base_url),
        "REDIS_URL": valkey_url,
        "RASA_URL": slow_rasa.url,
        "ASB_DATA_DIR": str(data_dir),
        "ASB_KEY_PREFIX": "slowtest",
    }
    log = PROJECT_ROOT / "test-artifacts" / "slow-gateway.log"
    with gateway_process(env, log) as url:
        yield url


def test_slow_turn_gets_a_holding_phrase_and_a_redirect(
    slow_gateway: str, slow_rasa: SlowRasa
) -> None:
    with httpx.Client(base_url=slow_gateway, timeout=30) as http:
        caller = Caller(http)
        root = caller.post("/twilio/voice")
        started = time.monotonic()
        gather = root.find("Gather")
        assert gather is not None
        held = caller.post(gather.attrib["action"], Digits="1")
        first_answer = time.monotonic() - started
        assert first_answer < 4.5, first_answer
        assert "One moment" in " ".join(said(held))
        redirect = held.find("Redirect")
        assert redirect is not None
        assert (redirect.text or "").startswith("/twilio/voice/result?step=1")
        # Twilio follows the redirect; the result is picked up when the turn finishes.
        for _ in range(4):
            t0 = time.monotonic()
            root = caller.post(redirect.text or "")
            assert time.monotonic() - t0 < 5.0
            if root.find("Gather") is not None:
                break
            redirect = root.find("Redirect")
            assert redirect is not None
            assert said(root), "a holding answer always says something"
        assert QUESTION.split("?")[0] in " ".join(said(root)), caller.dump()
        # A retried pick-up gets the same answer, and the turn ran once.
        again = caller.post("/twilio/voice/result?step=1&tries=1")
        assert said(again) == said(root)
        assert len(slow_rasa.calls) == 1
