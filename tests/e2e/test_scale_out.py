"""Scale-out: two gateway processes and two Rasa servers on one Valkey, with each
conversation's messages alternating between them.

Gateway A is the live stack's and talks to its Rasa server; gateway B is a second gateway
process talking to a second Rasa server started here with the same model, endpoints.yml
and environment, so both Rasa servers share the Redis tracker store, the Redis lock store
and the action server. Nothing ties a conversation to one process: every turn must find
the state the previous turn left, whichever pair of processes served it.
"""

from __future__ import annotations

import json
import subprocess
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import redis

from bot.platform.settings import PROJECT_ROOT
from bot.platform.stack import Stack
from tests.conftest import ARTIFACTS, extra_gateway, free_port
from tests.e2e.chat_driver import (
    QUESTION_KEYS,
    ChatResident,
    conversation_key,
    question_in,
    reference_in,
)
from tests.records import plain, tracker_events

pytestmark = pytest.mark.rasa

RESIDENTS = 8
NAMES = ["Sam Taylor", "Alex Morgan", "Jo Patel", "Chris Evans", "Pat Quinn", "Lee Brown",
         "Kim Walsh", "Ali Khan", "Ros Green", "Max Doyle"]  # fmt: skip


def answers_for(number: int) -> dict[str, str]:
    """A report whose answers say whose they are, so a mix-up between residents shows."""
    name = NAMES[number % len(NAMES)]
    return {
        "incident_description": f"Resident {number} saw bottles thrown at windows",
        "incident_time": "last night about 11pm",
        "incident_location": "cv15fb",
        "people_involved": f"about {number + 2} teenagers, I don't know them",
        # Nothing in it reads as another field, so either of the two raced answers can
        # answer either question ("who is involved?" or "how is this affecting you?").
        "impact": f"Resident {number}: it is a lot to deal with",
        "risk_questions_with_previous": "No, but it happens every weekend",
        "landlord": "No, I own my home or rent privately",
        "contact_method": "Email",
        "contact_name": name,
        "contact_email": f"resident{number}@example.org",
        "report_confirmed": "Yes, send it",
    }


# The questions of a report with the answers above, in the order the form asks them.
EXPECTED_QUESTIONS = [key for key, _ in QUESTION_KEYS if key in answers_for(0)]


@pytest.fixture(scope="module")
def second_rasa(live_stack: Stack) -> Iterator[str]:
    """Another Rasa server: the live stack's command line and environment on another port."""
    rasa_spec = live_stack.spec("rasa")
    port = free_port()
    argv = list(rasa_spec.argv)
    argv[argv.index("-p") + 1] = str(port)
    url = f"http://127.0.0.1:{port}"
    log_dir = ARTIFACTS / "logs"
    log_dir.mkdir(parents=True, exist_ok=True)
    with (log_dir / "rasa-scale-out.log").open("ab") as log:
        process = subprocess.Popen(
            argv, cwd=PROJECT_ROOT, env=live_stack.settings_env,
            stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
    try:
        deadline = time.monotonic() + 180
        while True:
            assert process.poll() is None, "the second Rasa server exited; see its log"
            try:
                if httpx.get(url + "/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the second Rasa server did not start"
            time.sleep(0.5)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


@pytest.fixture(scope="module")
def gateways(live_stack: Stack, second_rasa: str) -> Iterator[tuple[str, str]]:
    """Gateway A (the live stack's, its own Rasa) and gateway B (the second Rasa)."""
    with extra_gateway(live_stack, RASA_URL=second_rasa) as gateway_b:
        assert httpx.get(gateway_b + "/healthz", timeout=5).status_code == 200
        yield live_stack.gateway_url, gateway_b


@dataclass
class AlternatingResident(ChatResident):
    """A resident whose messages go to gateway A and gateway B by turns."""

    clients: list[httpx.Client] = field(default_factory=list)
    sent: list[str] = field(default_factory=list)
    asked: list[str | None] = field(default_factory=list)
    # Reads the resident's messages from Rasa's tracker when the report is read back, as
    # submitting it starts a new dialogue session.
    read_tracker: Callable[[str], list[str]] | None = None
    tracker_at_read_back: list[str] | None = None

    def say(self, text: str) -> list[dict[str, Any]]:
        self.http = self.clients[len(self.sent) % len(self.clients)]
        self.sent.append(text)
        messages = super().say(text)
        self.asked.append(self.last_question(messages))
        if self.asked[-1] == "report_confirmed" and self.read_tracker and self.conversation_id:
            self.tracker_at_read_back = self.read_tracker(self.conversation_id)
        return messages


def tracker_user_texts(
    live_redis: redis.Redis,  # type: ignore[type-arg]
    live_stack: Stack,
    conversation_id: str,
) -> list[str]:
    """The resident's messages as Rasa's Redis tracker store holds them, in its order."""
    raw = live_redis.get(f"asb:tracker:{conversation_key(live_stack, conversation_id)}")
    assert raw is not None, "no tracker under the conversation's pseudonymous key"
    return [event["text"] for event in tracker_events(raw) if event["event"] == "user"]


def personal_record(
    live_redis: redis.Redis,  # type: ignore[type-arg]
    reference: str,
) -> dict[str, Any]:
    record = plain(live_redis.get(f"asb:case:{reference}:personal"))
    assert record is not None, f"{reference} is not in Redis"
    result: dict[str, Any] = json.loads(record)
    return result


@pytest.fixture
def clients(gateways: tuple[str, str]) -> Iterator[list[httpx.Client]]:
    with (
        httpx.Client(base_url=gateways[0], timeout=60) as a,
        httpx.Client(base_url=gateways[1], timeout=60) as b,
    ):
        yield [a, b]


def test_reports_alternating_between_two_gateways_and_two_rasa_servers(
    clients: list[httpx.Client],
    live_redis: redis.Redis,  # type: ignore[type-arg]
    live_stack: Stack,
) -> None:
    def read_tracker(conversation_id: str) -> list[str]:
        return tracker_user_texts(live_redis, live_stack, conversation_id)

    def report(number: int) -> AlternatingResident:
        resident = AlternatingResident(clients[0], clients=clients, read_tracker=read_tracker)
        final = resident.complete(answers_for(number), "I want to report anti-social behaviour")
        assert reference_in(final), resident.dump()
        return resident

    started = time.monotonic()
    with ThreadPoolExecutor(RESIDENTS) as pool:
        residents = list(pool.map(report, range(RESIDENTS)))
    elapsed = time.monotonic() - started
    turns = sum(len(r.sent) for r in residents)
    print(f"\n{RESIDENTS} reports, {turns} turns over two gateways in {elapsed:.1f} s")

    references = set()
    for number, resident in enumerate(residents):
        answers = answers_for(number)
        # Every reply asks the question after the one just answered: no turn lost or repeated.
        assert resident.asked[:-1] == EXPECTED_QUESTIONS, resident.dump()
        assert resident.asked[-1] is None
        reference = reference_in(
            [{"text": text} for who, text in resident.transcript if who == "bot"]
        )
        assert reference is not None
        references.add(reference)
        personal = personal_record(live_redis, reference)
        for field_name in ("incident_description", "people_involved", "impact"):
            assert personal["answers"][field_name] == answers[field_name], field_name
        assert personal["contact"]["name"] == answers["contact_name"]
        assert personal["contact"]["email"] == answers["contact_email"]
        # Rasa's tracker, written by both Rasa servers, holds the messages in the order sent
        # (all but the confirmation, when the report is read back).
        assert resident.tracker_at_read_back == resident.sent[:-1], resident.dump()
    assert len(references) == RESIDENTS


@dataclass
class Sent:
    text: str
    sent_at: float
    answered_at: float
    asked: str | None  # the question the reply ends with


def send_at(
    http: httpx.Client,
    conversation_id: str,
    text: str,
    go: threading.Barrier,
    when: Callable[[], object] = lambda: None,
) -> Sent:
    go.wait()
    when()
    sent_at = time.monotonic()
    response = http.post("/api/chat", json={"conversation_id": conversation_id, "text": text})
    assert response.status_code == 200, response.text
    texts = [m["text"] for m in response.json()["messages"]]
    asked = next((key for key in map(question_in, reversed(texts)) if key), None)
    return Sent(text, sent_at, time.monotonic(), asked)


def race(
    clients: list[httpx.Client],
    live_redis: redis.Redis,  # type: ignore[type-arg]
    live_stack: Stack,
    number: int,
    second_when: Callable[[str], object],
) -> tuple[Sent, Sent]:
    """One report in which the answers to "who is involved?" and "how is this affecting
    you?" go to different gateways, the second once `second_when(conversation key)`
    returns. Returns them in the order the service served them, after checking that the
    replies, the tracker and the case agree on that order and that neither message was
    lost or taken twice."""
    answers = answers_for(RESIDENTS + number)
    resident = AlternatingResident(
        clients[0],
        clients=clients,
        read_tracker=lambda conversation: tracker_user_texts(live_redis, live_stack, conversation),
    )
    messages = resident.say("I want to report anti-social behaviour")
    while (key := resident.last_question(messages)) != "people_involved":
        assert key is not None, resident.dump()
        messages = resident.say(answers[key])
    conversation_id = resident.conversation_id
    assert conversation_id is not None
    key = conversation_key(live_stack, conversation_id)
    gateway_1, gateway_2 = clients[number % 2], clients[1 - number % 2]
    go = threading.Barrier(2)
    with ThreadPoolExecutor(2) as pool:
        one = pool.submit(send_at, gateway_1, conversation_id, answers["people_involved"], go)
        two = pool.submit(
            send_at, gateway_2, conversation_id, answers["impact"], go, lambda: second_when(key)
        )
        sent = [one.result(), two.result()]
    # Both answered, by consecutive questions: one turn asked the next question, the other
    # the one after it. Neither message was lost, repeated or merged with the other.
    assert sorted(s.asked or "" for s in sent) == ["impact", "risk_questions_with_previous"], sent
    served = sorted(sent, key=lambda s: s.asked != "impact")
    texts = tracker_user_texts(live_redis, live_stack, conversation_id)
    assert texts[-2:] == [s.text for s in served]
    resident.sent += [s.text for s in served]
    messages = resident.say(answers["risk_questions_with_previous"])
    while (question := resident.last_question(messages)) is not None:
        messages = resident.say(answers[question])
    reference = reference_in(messages)
    assert reference, resident.dump()
    personal = personal_record(live_redis, reference)
    assert personal["answers"]["people_involved"] == served[0].text
    assert personal["answers"]["impact"] == served[1].text
    assert resident.tracker_at_read_back == resident.sent[:-1], resident.dump()
    return served[0], served[1]


def test_two_messages_sent_a_few_milliseconds_apart_to_both_gateways(
    clients: list[httpx.Client],
    live_redis: redis.Redis,  # type: ignore[type-arg]
    live_stack: Stack,
) -> None:
    """Messages 5 ms apart reach two processes in an order the network, the scheduler and
    the load decide, and either order is one the resident could have sent them in. The
    guarantee is that the conversation serves them one at a time in the order they reach
    its turn lock: each is answered, and the replies, the tracker and the case agree on
    that order, with each answer in its own field."""
    kept = 0
    for number in range(4):
        first, _ = race(clients, live_redis, live_stack, number, lambda _: time.sleep(0.005))
        kept += first.text == answers_for(RESIDENTS + number)["people_involved"]
    print(f"\nsend order kept by {kept} of 4 pairs of messages sent 5 ms apart")


def test_a_message_sent_while_the_previous_one_is_served_waits_its_turn(
    clients: list[httpx.Client],
    live_redis: redis.Redis,  # type: ignore[type-arg]
    live_stack: Stack,
) -> None:
    """The second answer goes to the other gateway as soon as the first one's turn holds
    the conversation (its turn lock is in Redis): it waits for that turn and is served
    after it, whichever Rasa server each went to."""

    def first_is_being_served(key: str) -> None:
        deadline = time.monotonic() + 10
        while not live_redis.exists(f"asb:conv:{key}:turn-lock"):
            assert time.monotonic() < deadline, "the first turn never took the lock"
            time.sleep(0.001)

    for number in range(4, 8):
        first, second = race(clients, live_redis, live_stack, number, first_is_being_served)
        assert first.text == answers_for(RESIDENTS + number)["people_involved"]
        assert second.sent_at < first.answered_at  # sent while the first was being served
