"""The simulated resident population against the real stack, over chat and SMS.

Run alone with `make population`; the figures are printed and kept in
test-artifacts/population.json (bench/RESULTS.md records them)."""

from __future__ import annotations

import json
import statistics
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest
import redis

from tests.conftest import artifact_path
from tests.population.simulate import Played, check, play, residents
from tests.telephony.drivers import distinct_mobile_numbers

pytestmark = pytest.mark.rasa

FINISHING = 0.95  # of residents who reach a case reference
# Resident messages to a reference, quirks aside: a guard against the conversation growing
# longer (the medians and maxima measured are in bench/RESULTS.md; a rich opening's
# six-message aim is met by a resident who gives their contact details in one answer, as
# tests/e2e/test_webchat_report.py shows, but not yet by every resident here).
AT_ONCE = 3  # residents in conversation at the same time
# Of residents, none in danger, told to call 999: a guard against more, not a target (12
# of 420 in the run recorded in bench/RESULTS.md, most of them over their first message).
FALSE_ALARMS = 0.05
RICH_MESSAGES = 10
AIMS = {"rich": 6, "medium": 12, "thin": 12}
THIN_MESSAGES = 14


def quirk_messages(resident: dict[str, Any]) -> int:
    """Messages a resident's quirks add (a question back, "help", a correction)."""
    return (
        len(resident.get("first_say") or {})
        + bool(resident.get("help_at"))
        + bool(resident.get("correction"))
    )


@pytest.fixture(scope="module")
def population(live_gateway_url: str, live_stack: Any) -> Iterator[list[Played]]:
    client = redis.Redis.from_url(live_stack.settings_env["REDIS_URL"])

    def play_one(resident: dict[str, Any], number: str) -> Played:
        with httpx.Client(base_url=live_gateway_url, timeout=60) as http:
            result = play(resident, http, number)
        check(result, client)
        return result

    # Residents talk at once, as they would: each is a conversation of its own, and each
    # texting resident has a number of their own.
    everyone = residents()
    with ThreadPoolExecutor(max_workers=AT_ONCE) as pool:
        played = list(pool.map(play_one, everyone, distinct_mobile_numbers(len(everyone))))
    client.close()
    figures = summary(played)
    artifact_path("population.json").write_text(json.dumps(figures, indent=2) + "\n")
    artifact_path("population-transcripts.txt").write_text(
        "\n\n".join(
            f"== {p.resident['id']} ({p.resident['channel']})\n{p.transcript}" for p in played
        )
    )
    print("\n" + json.dumps(figures, indent=2))
    yield played


def summary(played: list[Played]) -> dict[str, Any]:
    finished = [p for p in played if p.finished]
    unsaid = sum(len(p.unsaid) for p in finished)
    expected = sum(len(p.resident.get("expect") or {}) for p in finished) - unsaid
    wrong = sum(len(p.wrong) for p in finished)
    by_kind: dict[str, list[int]] = {}
    for p in finished:
        base = p.messages - quirk_messages(p.resident)
        by_kind.setdefault(p.resident.get("opening_kind", "unknown"), []).append(base)
    return {
        "residents": len(played),
        "by_channel": {
            c: sum(p.resident["channel"] == c for p in played) for c in ("chat", "sms", "voice")
        },
        "finished": round(len(finished) / len(played), 3),
        "fields_right": round(1 - wrong / expected, 3) if expected else None,
        # facts a resident would have given if asked, but was not (their `expect` holds
        # words they never said): the price of asking less, counted apart
        "expected_but_never_said": unsaid,
        "non_answers_stored": sum(len(p.non_answers) for p in played),
        "told_to_call_999": [p.resident["id"] for p in played if p.told_emergency],
        "asked_if_in_danger": sum(p.asked_danger for p in played),
        "most_asks_of_one_question_running": max(p.most_asks_running for p in played),
        "messages_without_quirks": {
            kind: {
                "median": statistics.median(v),
                "max": max(v),
                "residents": len(v),
                # the aims: a rich opening in six messages, a thin one in twelve
                "within_aim": round(sum(n <= AIMS.get(kind, 12) for n in v) / len(v), 3),
            }
            for kind, v in sorted(by_kind.items())
        },
        "not_finished": [p.resident["id"] for p in played if not p.finished],
        "wrong_fields": {p.resident["id"]: p.wrong for p in finished if p.wrong},
        "never_said": {p.resident["id"]: p.unsaid for p in finished if p.unsaid},
    }


def test_residents_finish_their_reports(population: list[Played]) -> None:
    stuck = [p for p in population if not p.finished]
    share = 1 - len(stuck) / len(population)
    assert share >= FINISHING, "\n\n".join(p.transcript for p in stuck[:3])


def test_residents_in_no_danger_are_seldom_told_to_call_999(population: list[Played]) -> None:
    """Nobody in the population is in danger now: each told to call 999 (and reported to
    the police as an emergency) is a false alarm."""
    told = [p for p in population if p.told_emergency]
    assert len(told) <= FALSE_ALARMS * len(population), "\n\n".join(p.transcript for p in told[:2])


def test_no_non_answer_is_stored(population: list[Played]) -> None:
    stored = {p.resident["id"]: p.non_answers for p in population if p.non_answers}
    assert not stored


def test_no_question_is_asked_more_than_three_times_running(population: list[Played]) -> None:
    looped = [p for p in population if p.most_asks_running > 3]
    assert not looped, "\n\n".join(p.transcript for p in looped[:2])


def test_rich_openings_take_six_messages_and_thin_ones_twelve(population: list[Played]) -> None:
    for p in population:
        if not p.finished:
            continue
        base = p.messages - quirk_messages(p.resident)
        limit = {"rich": RICH_MESSAGES, "thin": THIN_MESSAGES}.get(
            p.resident.get("opening_kind", ""), THIN_MESSAGES
        )
        assert base <= limit, p.transcript


def test_what_residents_said_is_in_their_cases(population: list[Played]) -> None:
    figures = summary(population)
    assert figures["fields_right"] >= 0.9, json.dumps(figures["wrong_fields"], indent=2)
