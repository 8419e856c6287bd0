"""A stack of its own for each fault test, a batch of residents (half on web chat, retrying
as a browser would; half texting, retried as Twilio retries a webhook) and the checks
every fault must leave true afterwards."""

from __future__ import annotations

import json
import os
import threading
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import redis

from bot.platform.processes import Ports
from bot.platform.settings import Settings
from bot.platform.stack import Stack, launch
from tests.conftest import ARTIFACTS, MODEL, UNLIMITED, free_port
from tests.e2e.chat_driver import REFERENCE, ChatResident
from tests.partners.receivers import Receivers, start_receivers
from tests.platform.procfs import spawned_workers
from tests.telephony.drivers import SmsResident, distinct_mobile_numbers, sms_texts
from tests.telephony.fake_twilio import FakeTwilio, start_fake_twilio
from tests.telephony.signing import post_signed, telephony_env

# The issue asks for batches of 200 reports; FAULT_REPORTS=n runs smaller or larger ones.
REPORTS = int(os.environ.get("FAULT_REPORTS", "200"))
THREADS = int(os.environ.get("FAULT_THREADS", "8"))
OPENING = "I want to report anti-social behaviour"
# The start of the answer while the store is down (bot/gateway/outage.py).
TRY_AGAIN = "Sorry, we can't take your report right now"


def answers_for(number: str) -> dict[str, str]:
    """A complete report acknowledged by text message to the resident's own number."""
    return {
        "incident_description": "A group of teenagers were shouting and throwing bottles",
        "incident_time": "last night about 11pm",
        "incident_location": "cv15fb",
        "people_involved": "about five teenagers, I don't know them",
        "impact": "I couldn't sleep",
        "targeted_identity": "No",
        "vulnerability": "no",
        "previous_incidents": "yes, every weekend",
        "landlord": "No, I own my home or rent privately",
        "contact_method": "Text message",
        "contact_name": "Jo",
        "contact_phone": "0" + number[3:],
        "contact_email": "jo@example.org",
        "contact_address": "1 High Street, Coventry CV1 5FB",
        "consent_share": "Yes",
        "report_confirmed": "Yes, send it",
        # The short scripted report the gateway takes while Rasa is down
        # (bot/conversation/fallback.py).
        "fallback_contact": "0" + number[3:],
        "fallback_place": "cv15fb",
        "fallback_resend": "please try again",
    }


# The scripted report's own questions, recognised before the form's (its "What happened?"
# and "Where did it happen?" are the form's words too).
FALLBACK_QUESTIONS = [
    ("fallback_contact", "how can we contact you"),
    ("fallback_contact", "couldn't read that"),
    ("fallback_place", "i need a place"),
    ("fallback_resend", "send any message to try again"),
]


@dataclass
class FaultRig:
    stack: Stack
    twilio: FakeTwilio
    receivers: Receivers
    redis: redis.Redis

    def pids(self) -> dict[str, int]:
        return {spec.name: self.stack.pid(spec.name) for spec in self.stack.specs}

    def gateway_workers(self) -> list[int]:
        """The gateway master's worker processes (they serve; the master holds the socket)."""
        return spawned_workers(self.stack.pid("gateway"))

    def kill(self, name: str) -> float:
        """kill -9 of the program's main process, as a crash would end it; seconds until
        the process manager has it back and answering (the harness restarts nothing)."""
        return self.stack.wait_back(name, self.stack.kill(name), timeout=180.0)


def check_only_restarted(before: dict[str, int], after: dict[str, int], *killed: str) -> None:
    """The process manager restarted what was killed and nothing else."""
    again = {name for name in before if after[name] != before[name]}
    assert again == set(killed), f"restarted: {sorted(again)}, killed: {list(killed)}"


@contextmanager
def fault_stack(name: str, tmp_path: Path, **env: str) -> Iterator[FaultRig]:
    """The whole service on free ports with its own Valkey, fake Twilio and partners."""
    twilio = start_fake_twilio()
    receivers = start_receivers()
    log_dir = ARTIFACTS / "faults" / name
    log_dir.mkdir(parents=True, exist_ok=True)
    ports = Ports(free_port(), free_port(), free_port(), free_port())
    settings = Settings(ASB_DATA_DIR=tmp_path / "var", PORT=ports.gateway, REDIS_URL=None)  # type: ignore[arg-type]
    partners = receivers.partners_file(tmp_path / "partners.yml")
    stack = launch(
        settings, ports, MODEL, log_dir=log_dir,
        extra_env={"ASB_LOG_FORMAT": "json", **UNLIMITED, **telephony_env(twilio.base_url),
                   "ASB_PARTNERS_FILE": str(partners),
                   "ASB_WEBHOOK_RETRY_SCHEDULE": "0,0.5,1,1", **env},
    )  # fmt: skip
    client = redis.Redis.from_url(stack.settings_env["REDIS_URL"])
    try:
        yield FaultRig(stack, twilio, receivers, client)
    finally:
        client.close()
        stack.stop()
        receivers.stop()
        twilio.stop()


def fallback_question(texts: list[str]) -> str | None:
    """The scripted report's question a reply ends with, if it is one."""
    for text in reversed(texts):
        lines = [line for line in text.lower().splitlines() if line.strip()]
        for key, words in FALLBACK_QUESTIONS:
            if lines and words in lines[-1]:
                return key
    return None


class Retrying:
    """A resident who keeps trying until answered, up to a deadline."""

    deadline: float = 0.0
    retries: int = 0

    def until_answered(
        self, send: Callable[[], httpx.Response | None], what: str
    ) -> httpx.Response:
        """`send` gives the answer, or None (or an HTTP error) for one to try again."""
        while True:
            try:
                response = send()
                if response is not None:
                    return response
            except httpx.HTTPError:
                pass
            if time.monotonic() > self.deadline:
                raise AssertionError(f"no answer to {what!r} before the deadline")
            self.retries += 1
            time.sleep(0.5)


class RetryingResident(Retrying, ChatResident):
    """Sends a message again when the request fails, as the chat page's retry does."""

    def last_question(self, messages: list[dict[str, Any]]) -> str | None:
        return fallback_question([m["text"] for m in messages]) or super().last_question(messages)

    def say(self, text: str) -> list[dict[str, Any]]:
        def send() -> httpx.Response | None:
            response = self.http.post(
                "/api/chat", json={"conversation_id": self.conversation_id, "text": text}
            )
            return response if response.status_code == 200 else None

        body = self.until_answered(send, text).json()
        self.conversation_id = body["conversation_id"]
        self.transcript.append(("resident", text))
        for message in body["messages"]:
            self.transcript.append(("bot", message["text"]))
        return list(body["messages"])


class RetryingTexter(Retrying, SmsResident):
    """Texts the line; a webhook that fails is sent again with the same MessageSid, as
    Twilio does, and the gateway must answer it once. Told to try again (the store is
    down), the resident sends a new text, as a person would."""

    @property
    def conversation_id(self) -> str:
        return self.number

    def question(self, texts: list[str]) -> str | None:
        return fallback_question(texts) or super().question(texts)

    def text(self, body: str, sid: str | None = None, **extra: str) -> list[str]:
        params = {**self.params(body, sid, **extra)}

        def send() -> httpx.Response | None:
            params["SmsSid"] = params["MessageSid"]
            response = post_signed(self.http, "/twilio/sms", params)
            if response.status_code != 200:
                return None
            if any(t.startswith(TRY_AGAIN) for t in sms_texts(response)):
                params["MessageSid"] = self.params(body)["MessageSid"]
                return None
            return response

        texts = sms_texts(self.until_answered(send, body))
        self.transcript.append(("resident", body))
        self.transcript.extend(("bot", t) for t in texts)
        return texts


@dataclass
class Outcome:
    number: str
    conversation_id: str | None
    reference: str | None
    retries: int
    error: str | None = None


@dataclass
class Batch:
    outcomes: list[Outcome] = field(default_factory=list)
    seconds: float = 0.0
    lock: threading.Lock = field(default_factory=threading.Lock)
    finished: threading.Condition = field(default_factory=threading.Condition)

    @property
    def told(self) -> dict[str, Outcome]:
        return {o.reference: o for o in self.outcomes if o.reference}

    def summary(self) -> str:
        errors = Counter((o.error or "")[:80] for o in self.outcomes if o.error)
        return (
            f"{len(self.outcomes)} residents in {self.seconds:.0f}s: {len(self.told)} told a "
            f"reference, {sum(o.retries for o in self.outcomes)} retried requests, "
            f"unfinished: {dict(errors)}"
        )

    def wait_for(self, count: int, timeout: float = 600.0) -> None:
        deadline = time.monotonic() + timeout
        with self.finished:
            while len(self.outcomes) < count and time.monotonic() < deadline:
                self.finished.wait(0.5)


def run_batch(
    url: str,
    reports: int = REPORTS,
    threads: int = THREADS,
    fault: Callable[[Batch], None] | None = None,
    patience: float = 3600.0,
) -> Batch:
    """`reports` residents, `threads` at a time; `fault` runs alongside them."""
    batch = Batch()
    started = time.monotonic()
    numbers = distinct_mobile_numbers(reports)

    def one(index: int) -> None:
        number = numbers[index]
        with httpx.Client(base_url=url, timeout=30) as http:
            # Half the residents use the web chat, half text the line.
            resident = RetryingResident(http) if index % 2 == 0 else RetryingTexter(http, number)
            resident.deadline = started + patience
            error = None
            try:
                final = [
                    m if isinstance(m, str) else m["text"]
                    for m in resident.complete(answers_for(number), OPENING)
                ]
                found = REFERENCE.search(" ".join(final))
                reference = found.group(0) if found else None
                if reference is None:
                    error = "finished without a reference: " + (final[-1] if final else "(empty)")
            except AssertionError as problem:
                reference, error = None, str(problem).splitlines()[0]
        with batch.finished:
            batch.outcomes.append(
                Outcome(number, resident.conversation_id, reference, resident.retries, error)
            )
            batch.finished.notify_all()

    side = threading.Thread(target=fault, args=(batch,)) if fault else None
    if side:
        side.start()
    with ThreadPoolExecutor(threads) as pool:
        list(pool.map(one, range(reports)))
    if side:
        side.join()
    batch.seconds = time.monotonic() - started
    return batch


# --- what must hold afterwards ------------------------------------------------------------


def all_cases(client: redis.Redis) -> dict[str, dict[str, Any]]:
    cases = {}
    for key in client.scan_iter("asb:case:*", count=1000):
        name = key.decode()
        if name.count(":") == 2:
            raw = client.get(name)
            # "{}" is a reference reserved by a submission that never finished: not a case,
            # and never told to anyone.
            if raw is not None and raw != b"{}":
                cases[name.rsplit(":", 1)[1]] = json.loads(raw)
    return cases


def check_references_exist(rig: FaultRig, batch: Batch) -> dict[str, dict[str, Any]]:
    cases = all_cases(rig.redis)
    missing = sorted(set(batch.told) - set(cases))
    assert not missing, f"references told but not stored: {missing}\n{batch.summary()}"
    return cases


def check_one_case_per_conversation(cases: dict[str, dict[str, Any]]) -> None:
    by_conversation: dict[str, list[str]] = defaultdict(list)
    for reference, case in cases.items():
        if case.get("conversation_key"):
            by_conversation[case["conversation_key"]].append(reference)
    twice = {k: v for k, v in by_conversation.items() if len(v) > 1}
    assert not twice, f"conversations with more than one case: {twice}"


SETTLED = {"sent", "uncertain", "undeliverable", "outbox", "callback_owed"}


def check_acknowledged_once(rig: FaultRig, batch: Batch, timeout: float = 300.0) -> Counter[str]:
    """Every case settles; "sent" means one text at Twilio, "uncertain" at most one."""
    deadline = time.monotonic() + timeout
    while True:
        cases = all_cases(rig.redis)
        pending = [r for r, c in cases.items() if c.get("acknowledgement") not in SETTLED]
        if not pending or time.monotonic() > deadline:
            break
        time.sleep(1)
    notices = {
        r: (
            cases[r].get("acknowledgement"),
            rig.redis.hgetall(f"asb:case:{r}:notice:acknowledgement"),
        )
        for r in pending[:10]
    }
    assert not pending, f"acknowledgements never settled ({len(pending)}): {notices}"
    states: Counter[str] = Counter()
    by_reference: dict[str, list[str]] = defaultdict(list)
    with rig.twilio.lock:
        for request in rig.twilio.requests:
            for reference in cases:
                if reference in request.form.get("Body", ""):
                    by_reference[reference].append(request.form.get("To", ""))
    for reference, case in cases.items():
        state = case["acknowledgement"]
        states[state] += 1
        sent = len(by_reference.get(reference, []))
        if state == "sent":
            assert sent == 1, f"{reference} acknowledged {sent} times"
        else:
            assert sent <= 1, f"{reference} ({state}) texted {sent} times"
    for outcome in batch.told.values():
        texts = rig.twilio.sent_to(outcome.number)
        bodies = [text.form.get("Body", "") for text in texts]
        assert len(texts) <= 1, f"{outcome.number} was texted {len(texts)} times: {bodies}"
    return states


def check_delivered_once(
    rig: FaultRig, cases: dict[str, dict[str, Any]], timeout: float = 300.0
) -> int:
    """Every routed agency took each case's creation, under one webhook-id only. A delivery
    a killed worker was running resumes when arq's job lease (the job timeout, 60 s, plus
    a margin) runs out, or at the next minute's reconciliation: minutes, not seconds."""
    expected = {(r, a) for r, c in cases.items() for a in c.get("routed_to", [])}
    deadline = time.monotonic() + timeout
    while True:
        with rig.receivers.lock:
            got = [
                r for r in rig.receivers.received
                if r.verified and r.status < 300 and (r.event or {}).get("type") == "case.created"
            ]  # fmt: skip
        arrived = {(r.event["subject"], r.agency) for r in got if r.event}
        if expected <= arrived or time.monotonic() > deadline:
            break
        time.sleep(1)
    missing = sorted(expected - arrived)
    assert not missing, f"{len(missing)} deliveries never arrived, e.g. {missing[:5]}"
    ids: dict[tuple[str, str], set[str]] = defaultdict(set)
    for r in got:
        if r.event:
            ids[(r.event["subject"], r.agency)].add(r.webhook_id)
    twice = {k: v for k, v in ids.items() if len(v) > 1}
    assert not twice, f"one case sent to one agency under several webhook-ids: {twice}"
    return len(expected)


def report(name: str, text: str) -> None:
    """A line per test in test-artifacts/faults/results.txt, and on the terminal."""
    path = ARTIFACTS / "faults" / "results.txt"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a") as out:
        out.write(f"{time.strftime('%Y-%m-%d %H:%M')} {name}: {text}\n")
    print(f"{name}: {text}")
