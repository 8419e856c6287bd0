"""Load: simulated residents over web chat and SMS at once, against Rasa's REST webhook
alone under the same load, in the same run; then long conversations' 100th turn.

    .venv/bin/python -m bench.load --at 0.7 [--residents 50] [--seconds 120] [--rounds 6]
                                   [--step-seconds 20] [--start-rate 5] [--long 5]

Rate mode (--at): first Rasa alone's capacity on this machine now, the highest offered
rate (turns a second, each resident on a fixed schedule, rising a quarter a step) at which
its p95 stays under a second; then the gateway path and Rasa alone, alternating rounds,
each offered --at of that rate. A machine whose speed changes from day to day then gives
a ratio to its own capacity, not an absolute figure.

Think-time mode (the default):

    .venv/bin/python -m bench.load [--residents 200] [--seconds 60] [--think 4]
                                   [--rounds 6] [--capacity 40] [--capacity-residents 50]
                                   [--long 5] [--long-think 1]

The stack is the one `make run` starts. Each resident reports, waits a moment as a person
typing would (--think, seconds, uniform around the value), and goes on to the next
question, report after report in one conversation. Half the residents use POST /api/chat,
half POST /twilio/sms signed as Twilio signs. The Rasa phase sends the same messages from
the same number of residents straight to /webhooks/rest/webhook. The phases alternate
(gateway, Rasa, gateway, Rasa, ...: --rounds of each, each --seconds / --rounds, so each
path is measured for --seconds) so the machine's noise falls on both; short rounds,
because a burst of noise from other work on a shared machine lasts seconds. Besides the
p95 of all turns, each round's gateway p95 is set against the Rasa round's that follows
it, and the median of those ratios reported: one noisy round then moves it little.
Each gateway reply's `Server-Timing` header splits its time into Rasa's share and the
rest (the gateway's own work, HTTP, the load generator).
Before the first phase each resident is taken a random number of steps into its report
(untimed), so every phase sees the same mix of early and late turns; each report then
goes on from phase to phase where it left off.

The capacity phase (--capacity seconds in all, alternating quarters, the first
--capacity-residents residents) sends each resident's next message as soon as the last
is answered: turns per second is then the most each path serves on this machine, the
load generator's own work included.

An error is a status other than 200, a transport error or timeout, or an answer with no
message in it. The long-conversation phase runs --long conversations of 100 turns through
the gateway and as many straight to Rasa, side by side, started one after another and
--long-think seconds between turns (below saturation, so a turn's time is its own cost,
not a queue); the 100th turn opens a new report with the same words as the 1st (seven
reports, then "thank you"s up to turn 99).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import secrets
import statistics
import time
from collections import defaultdict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiohttp
from twilio.request_validator import RequestValidator

from bench.common import free_port, machine, percentile, start_stack, summary_ms
from bot.platform.stack import Stack

TOKEN = "bench-auth-token"
PUBLIC = "https://asb.example.org"
LINE = "+447400000000"
OPENING = "I want to report anti-social behaviour"
# A whole anonymous report: the same words on every path.
REPORT = [
    OPENING,
    "Someone was shouting and throwing bottles at my windows",
    "last night about 11pm",
    "CV1 5FB",
    "about five teenagers, I don't know them",
    "I couldn't sleep and I'm scared to go out",
    # Targeted because of who they are? Anyone vulnerable at home? Happened before?
    "No, no, and yes, it happens every weekend",
    "No, I own my home or rent privately",
    "Anonymous",
    "Yes, send it",
]


def _cpu_of(pid: int) -> tuple[int, float]:
    """(process group, CPU seconds) of a process, from Linux's /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return int(fields[2]), (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def cpu_seconds(stack: Stack) -> dict[str, float]:
    """CPU time used so far by each process of the stack with its children (each runs in
    a process group of its own): unlike latency, unaffected by other work on the machine."""
    by_group: dict[int, float] = defaultdict(float)
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                group, seconds = _cpu_of(int(entry))
            except OSError:
                continue  # it has just ended
            by_group[group] += seconds
    return {spec.name: by_group[os.getpgid(stack.pid(spec.name))] for spec in stack.specs}


async def metrics_text(gateway: aiohttp.ClientSession) -> str:
    async with gateway.get("/metrics") as response:
        return await response.text()


def turn_outcomes(metrics_text: str) -> dict[str, float]:
    """The gateway's turn counts by outcome (answered by Rasa, scripted fallback, ...)."""
    counts: dict[str, float] = defaultdict(float)
    for line in metrics_text.splitlines():
        if line.startswith("asb_turns_total{"):
            labels, value = line.rsplit(" ", 1)
            outcome = labels.split('outcome="', 1)[1].split('"', 1)[0]
            counts[outcome] += float(value)
    return counts


@dataclass
class Phase:
    """What one path measured: turn latencies, errors, and the wall time spent."""

    latencies: list[float] = field(default_factory=list)
    errors: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    seconds: float = 0.0
    references: int = 0
    outcomes: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    cpu: dict[str, float] = field(default_factory=lambda: defaultdict(float))
    by_path: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    round_p95: list[float] = field(default_factory=list)
    engine: list[float] = field(default_factory=list)  # Rasa's share of gateway turns
    own: list[float] = field(default_factory=list)  # the rest: gateway, HTTP, load generator

    def add_cpu(self, before: dict[str, float], after: dict[str, float]) -> None:
        for name, seconds in after.items():
            self.cpu[name] += seconds - before.get(name, 0.0)

    def cpu_ms_per_turn(self) -> str:
        turns = max(len(self.latencies), 1)
        parts = [f"{n} {s * 1000 / turns:.1f}" for n, s in self.cpu.items() if s > 0]
        return ", ".join(parts)

    def error(self, kind: str) -> None:
        self.errors[kind] += 1

    def error_summary(self) -> str:
        return f"{sum(self.errors.values())} {dict(self.errors) or ''}".strip()

    @property
    def turns_per_second(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0


class Resident:
    """One person's conversation on one path; `turn` returns the answer's texts."""

    def __init__(self, http: aiohttp.ClientSession, path: str) -> None:
        self.http = http
        self.path = path
        self.conversation_id: str | None = None
        self.step = 0  # where this resident is in its reports (they go on across phases)
        self.sender = "+4474" + "".join(random.choices("0123456789", k=8))
        self.rasa_sender = "bench-" + secrets.token_hex(8)
        self.engine_seconds: float | None = None  # the gateway's Server-Timing, last turn

    async def turn(self, text: str) -> list[str]:
        if self.path == "chat":
            # With a message id, as the chat page sends (bot/conversation/resends.py).
            chat = {
                "conversation_id": self.conversation_id,
                "text": text,
                "message_id": secrets.token_hex(16),
            }
            async with self.http.post("/api/chat", json=chat) as response:
                response.raise_for_status()
                body: dict[str, Any] = await response.json()
                self.engine_seconds = engine_seconds(response.headers)
            self.conversation_id = body["conversation_id"]
            return [m["text"] for m in body["messages"]]
        if self.path == "sms":
            params = {"AccountSid": "AC" + "0" * 32, "To": LINE, "From": self.sender,
                      "MessageSid": "SM" + secrets.token_hex(16), "Body": text}  # fmt: skip
            signature = RequestValidator(TOKEN).compute_signature(PUBLIC + "/twilio/sms", params)
            headers = {"X-Twilio-Signature": signature}
            async with self.http.post("/twilio/sms", data=params, headers=headers) as response:
                response.raise_for_status()
                xml = await response.text()
                self.engine_seconds = engine_seconds(response.headers)
            return [part.split("</Message>")[0] for part in xml.split("<Message>")[1:]]
        message = {"sender": self.rasa_sender, "message": text}
        async with self.http.post(self.path, json=message) as response:
            response.raise_for_status()
            answers: list[dict[str, Any]] = await response.json()
        return [m.get("text", "") for m in answers]


def engine_seconds(headers: Any) -> float | None:
    """Rasa's share of a gateway turn, from its `Server-Timing: engine;dur=<ms>`."""
    timing = headers.get("Server-Timing", "")
    return float(timing.split("dur=", 1)[1]) / 1000 if "dur=" in timing else None


async def timed_turn(resident: Resident, text: str, phase: Phase) -> float | None:
    started = time.perf_counter()
    try:
        texts = await resident.turn(text)
    except TimeoutError:
        phase.error("timeout")
        return None
    except aiohttp.ClientResponseError as problem:
        phase.error(f"HTTP {problem.status}")
        return None
    except aiohttp.ClientError as problem:
        phase.error(type(problem).__name__)
        return None
    elapsed = time.perf_counter() - started
    if not any(texts):
        phase.error("no answer")
        return None
    if any("ASB-" in t for t in texts):
        phase.references += 1
    phase.latencies.append(elapsed)
    phase.by_path[resident.path].append(elapsed)
    if resident.engine_seconds is not None:
        phase.engine.append(resident.engine_seconds)
        phase.own.append(elapsed - resident.engine_seconds)
    return elapsed


async def keep_reporting(resident: Resident, phase: Phase, until: float, think: float) -> None:
    while time.monotonic() < until:
        await timed_turn(resident, REPORT[resident.step % len(REPORT)], phase)
        resident.step += 1
        # Not past the phase's end: its last seconds would be the load dying away.
        pause = random.uniform(0.5 * think, 1.5 * think)
        await asyncio.sleep(min(pause, max(until - time.monotonic(), 0.0)))


async def spread(residents: list[Resident]) -> None:
    """Take each resident a random number of steps into its report, untimed: residents
    who all started together would reach the costly turns (a long tracker, a submitted
    case and its jobs) together, and each phase would measure a different mix."""

    async def advance(resident: Resident) -> None:
        for _ in range(random.randrange(len(REPORT))):
            await timed_turn(resident, REPORT[resident.step % len(REPORT)], Phase())
            resident.step += 1

    await asyncio.gather(*(advance(r) for r in residents))


async def run_phase(
    residents: list[Resident],
    phase: Phase,
    seconds: float,
    think: float,
    keep: Callable[[Resident, Phase, float, float], Awaitable[None]] | None = None,
) -> None:
    """Every resident reporting for `seconds`, `keep` (default `keep_reporting`) with
    `think`; they arrive over the first `think`, not all in the same millisecond."""
    keep = keep or keep_reporting
    started = time.monotonic()
    until = started + seconds

    async def arrive(resident: Resident) -> None:
        await asyncio.sleep(random.uniform(0, think))
        await keep(resident, phase, until, think)

    await asyncio.gather(*(arrive(r) for r in residents))
    phase.seconds += time.monotonic() - started


async def run_round(
    residents: list[Resident],
    phase: Phase,
    seconds: float,
    think: float,
    keep: Callable[[Resident, Phase, float, float], Awaitable[None]] | None = None,
) -> None:
    """One round of the load phase (`run_phase`), noting its own p95."""
    first = len(phase.latencies)
    await run_phase(residents, phase, seconds, think, keep)
    phase.round_p95.append(percentile(phase.latencies[first:], 95))


async def keep_pace(resident: Resident, phase: Phase, until: float, interval: float) -> None:
    """Send a message every `interval` seconds (at once after a late answer)."""
    due = time.monotonic()
    while due < until:
        await asyncio.sleep(max(due - time.monotonic(), 0.0))
        await timed_turn(resident, REPORT[resident.step % len(REPORT)], phase)
        resident.step += 1
        due += interval


async def run_paced(residents: list[Resident], phase: Phase, seconds: float, rate: float) -> None:
    """`rate` turns a second offered in all, whatever the answers' speed (each resident
    on its own schedule, started at a random point of its first interval)."""
    await run_phase(residents, phase, seconds, len(residents) / rate, keep_pace)


async def find_capacity(
    to_rasa: aiohttp.ClientSession, direct: list[Resident], step_seconds: float, start: float
) -> tuple[float, list[tuple[float, float, int, float]]]:
    """Rasa alone's capacity on this machine now: the highest offered rate (turns a
    second, rising by a quarter a step) that it serves in full (at least 95% of it: with a
    fixed number of residents a saturated path serves less than is offered, rather than
    slower) with its p95 under a second and no error. Returns it and each step's
    (offered rate, p95 seconds, errors, served rate)."""
    steps: list[tuple[float, float, int, float]] = []
    rate, best = start, 0.0
    while True:
        phase = Phase()
        await run_paced(direct, phase, step_seconds, rate)
        p95, errors = percentile(phase.latencies, 95), sum(phase.errors.values())
        steps.append((rate, p95, errors, phase.turns_per_second))
        await settle(to_rasa)
        if p95 >= 1.0 or errors or phase.turns_per_second < 0.95 * rate:
            return best, steps
        best, rate = rate, rate * 1.25


async def measure_at_capacity(
    gateway: str, rasa: str, args: argparse.Namespace, cpu: Callable[[], dict[str, float]]
) -> None:
    """Capacity first, then both paths at `--at` of it, rounds alternating; then the long
    conversations."""
    timeout = aiohttp.ClientTimeout(total=30)
    limit = aiohttp.TCPConnector
    async with (
        aiohttp.ClientSession(gateway, timeout=timeout, connector=limit(limit=0)) as to_gateway,
        aiohttp.ClientSession(rasa, timeout=timeout, connector=limit(limit=0)) as to_rasa,
    ):
        residents, direct = await both_paths(to_gateway, to_rasa, args.residents)
        found, steps = await find_capacity(to_rasa, direct, args.step_seconds, args.start_rate)
        rate = args.at * found
        ours, theirs = Phase(), Phase()
        interval = args.residents / rate  # each resident's time between messages
        for _ in range(args.rounds):
            for phase, who in ((ours, residents), (theirs, direct)):
                before = cpu()
                await run_round(who, phase, args.seconds / args.rounds, interval, keep_pace)
                phase.add_cpu(before, cpu())
        report_at_capacity(args, found, steps, rate, ours, theirs)
        if args.long:
            await settle(to_rasa)
            report_long(args, await long_conversations(
                {"gateway": to_gateway, "rasa": to_rasa}, args.long, args.long_think
            ))  # fmt: skip


def report_at_capacity(
    args: argparse.Namespace,
    found: float,
    steps: list[tuple[float, float, int, float]],
    rate: float,
    ours: Phase,
    theirs: Phase,
) -> None:
    print(f"\n### Load at {args.at:.0%} of Rasa's capacity measured in the same run "
          f"({machine()})\n")  # fmt: skip
    print(
        f"`.venv/bin/python -m bench.load --at {args.at:g} --residents {args.residents} "
        f"--seconds {args.seconds:g} --rounds {args.rounds} --step-seconds "
        f"{args.step_seconds:g} --start-rate {args.start_rate:g} --long {args.long} "
        f"--long-think {args.long_think:g}`\n"
    )
    ladder = ", ".join(f"{r:.1f}/s: served {t:.1f}/s, p95 {p * 1000:.0f} ms"
                       f"{f' ({e} errors)' if e else ''}" for r, p, e, t in steps)  # fmt: skip
    print(f"Rasa alone, offered rate, served and p95: {ladder}")
    print(f"Capacity (highest rate with p95 < 1 s): **{found:.1f} turns/s**; driven at "
          f"{rate:.1f} turns/s\n")  # fmt: skip
    print_table(ours, theirs, full=True)
    ratio = percentile(ours.latencies, 95) / percentile(theirs.latencies, 95)
    by_round = [a / b for a, b in zip(ours.round_p95, theirs.round_p95, strict=True)]
    print("\np95 gateway / Rasa alone, round by round: "
          + ", ".join(f"{r:.2f}" for r in by_round)
          + f" (median {statistics.median(by_round):.2f})")  # fmt: skip
    print(f"CPU ms per turn, gateway phases: {ours.cpu_ms_per_turn()}")
    print(f"CPU ms per turn, Rasa-alone phases: {theirs.cpu_ms_per_turn()}")
    print(
        f"\np95 gateway / Rasa alone = **{ratio:.2f}** (target <= 1.15); errors "
        f"{sum(ours.errors.values()) + sum(theirs.errors.values())} (target 0)"
    )


async def both_paths(
    to_gateway: aiohttp.ClientSession, to_rasa: aiohttp.ClientSession, count: int
) -> tuple[list[Resident], list[Resident]]:
    """`count` residents through the gateway (half web chat, half SMS) and as many
    straight to Rasa, each taken a random way into its report."""
    half = count // 2
    residents = [Resident(to_gateway, "chat") for _ in range(half)]
    residents += [Resident(to_gateway, "sms") for _ in range(count - half)]
    direct = [Resident(to_rasa, "/webhooks/rest/webhook") for _ in range(count)]
    await spread(residents)
    await spread(direct)
    return residents, direct


async def settle(to_rasa: aiohttp.ClientSession) -> None:
    """Wait until Rasa has worked through what the load left queued (an overloaded Rasa
    goes on with requests whose clients gave up): a probe turn answered quickly."""
    probe = Resident(to_rasa, "/webhooks/rest/webhook")
    for _ in range(120):
        started = time.perf_counter()
        await probe.turn("hello")
        if time.perf_counter() - started < 0.2:
            return
        await asyncio.sleep(1)


def long_script() -> list[str]:
    """99 turns (seven reports, then thanks), then the opening again as the 100th."""
    turns = REPORT * 7
    turns += ["thank you"] * (99 - len(turns))
    return [*turns, OPENING]


async def long_conversations(
    clients: dict[str, aiohttp.ClientSession], count: int, think: float
) -> dict[str, dict[int, list[float]]]:
    """Per path, the latency of each turn number (1-based) over `count` conversations."""
    by_turn: dict[str, dict[int, list[float]]] = {"gateway": defaultdict(list),
                                                  "rasa": defaultdict(list)}  # fmt: skip
    script = long_script()

    async def converse(label: str, resident: Resident, start: float) -> None:
        # Staggered starts, so that first turns do not queue behind one another.
        await asyncio.sleep(start)
        phase = Phase()
        for number, text in enumerate(script, start=1):
            elapsed = await timed_turn(resident, text, phase)
            if elapsed is None:
                raise RuntimeError(f"{label} turn {number} failed: {dict(phase.errors)}")
            by_turn[label][number].append(elapsed)
            await asyncio.sleep(random.uniform(0.5 * think, 1.5 * think))

    await asyncio.gather(
        *(converse("gateway", Resident(clients["gateway"], "chat"), i * think)
          for i in range(count)),
        *(converse("rasa", Resident(clients["rasa"], "/webhooks/rest/webhook"), (i + 0.5) * think)
          for i in range(count)),
    )  # fmt: skip
    return by_turn


async def measure(
    gateway: str, rasa: str, args: argparse.Namespace, cpu: Callable[[], dict[str, float]]
) -> None:
    # aiohttp, not httpx: httpx's pool grew dearer with 200 connections open, until the
    # load generator took more CPU per turn than the gateway it measured.
    timeout = aiohttp.ClientTimeout(total=30)
    async with (
        aiohttp.ClientSession(
            gateway, timeout=timeout, connector=aiohttp.TCPConnector(limit=args.residents)
        ) as to_gateway,
        aiohttp.ClientSession(
            rasa, timeout=timeout, connector=aiohttp.TCPConnector(limit=args.residents)
        ) as to_rasa,
    ):
        clients = {"gateway": to_gateway, "rasa": to_rasa}
        ours, theirs = Phase(), Phase()
        residents, direct = await both_paths(to_gateway, to_rasa, args.residents)
        for _ in range(args.rounds):
            before, cpu_before = turn_outcomes(await metrics_text(to_gateway)), cpu()
            await run_round(residents, ours, args.seconds / args.rounds, args.think)
            ours.add_cpu(cpu_before, cpu())
            after = turn_outcomes(await metrics_text(to_gateway))
            for outcome, count in after.items():
                ours.outcomes[outcome] += count - before.get(outcome, 0.0)
            cpu_before = cpu()
            await run_round(direct, theirs, args.seconds / args.rounds, args.think)
            theirs.add_cpu(cpu_before, cpu())
        report_load(args, ours, theirs)
        if args.capacity:
            await settle(to_rasa)
            flat_out = args.capacity_residents
            report_capacity(
                args,
                *await capacity(
                    clients, residents[:flat_out], direct[:flat_out], args.capacity, cpu
                ),
            )
        if args.long:
            await settle(to_rasa)
            report_long(args, await long_conversations(clients, args.long, args.long_think))


def print_table(ours: Phase, theirs: Phase, full: bool) -> None:
    """A Markdown row per path; `full` adds p99 and the references told."""
    more = ["p99 ms", "errors", "references told"] if full else ["errors"]
    head = ["path", "turns", "turns/s", "p50 ms", "p95 ms", *more]
    print("| " + " | ".join(head) + " |\n|" + "---|" * len(head))
    for name, phase in (("gateway: /api/chat + /twilio/sms", ours), ("Rasa REST alone", theirs)):
        s = summary_ms(phase.latencies)
        cells = [name, len(phase.latencies), f"{phase.turns_per_second:.1f}", s["p50"], s["p95"]]
        cells += (
            [s["p99"], phase.error_summary(), phase.references] if full else [phase.error_summary()]
        )
        print("| " + " | ".join(str(c) for c in cells) + " |")


def report_load(args: argparse.Namespace, ours: Phase, theirs: Phase) -> None:
    print(f"\n### Load: {args.residents} residents, web chat + SMS vs Rasa alone ({machine()})\n")
    print(f"`.venv/bin/python -m bench.load --residents {args.residents} --seconds "
          f"{args.seconds:g} --think {args.think:g} --rounds {args.rounds} "
          f"--capacity {args.capacity:g} "
          f"--capacity-residents {args.capacity_residents} "
          f"--long {args.long} --long-think {args.long_think:g}`\n")  # fmt: skip
    print_table(ours, theirs, full=True)
    for path, samples in sorted(ours.by_path.items()):
        print(f"- gateway, {path} only: {len(samples)} turns, {summary_ms(samples)}")
    shares = ", ".join(f"{k} {int(v)}" for k, v in sorted(ours.outcomes.items()))
    print(f"\nGateway turns by outcome (its /metrics): {shares}")
    print(f"CPU ms per turn, gateway phases: {ours.cpu_ms_per_turn()}")
    print(f"CPU ms per turn, Rasa-alone phases: {theirs.cpu_ms_per_turn()}")
    if ours.engine:
        print(f"Inside the gateway's turns, Rasa's share (Server-Timing): "
              f"{summary_ms(ours.engine)}; the rest (gateway, HTTP, load generator): "
              f"{summary_ms(ours.own)}")  # fmt: skip
    ratio = percentile(ours.latencies, 95) / percentile(theirs.latencies, 95)
    by_round = [a / b for a, b in zip(ours.round_p95, theirs.round_p95, strict=True)]
    print("p95 gateway / Rasa alone, round by round: "
          + ", ".join(f"{r:.2f}" for r in by_round)
          + f" (median {statistics.median(by_round):.2f})")  # fmt: skip
    print(f"\np95 gateway / Rasa alone = {ratio:.2f} (target <= 1.15); gateway "
          f"{ours.turns_per_second:.1f} turns/s (target >= 100); errors "
          f"{sum(ours.errors.values())} (target 0)")  # fmt: skip


async def capacity(
    clients: dict[str, aiohttp.ClientSession],
    residents: list[Resident],
    direct: list[Resident],
    seconds: float,
    cpu: Callable[[], dict[str, float]],
) -> tuple[Phase, Phase]:
    """Each path flat out: every resident sends its next message as soon as it is answered,
    so turns per second is what the path can serve on this machine (alternating halves)."""
    ours, theirs = Phase(), Phase()
    for _ in range(2):
        for phase, who in ((ours, residents), (theirs, direct)):
            before = cpu()
            await run_phase(who, phase, seconds / 4, 0.0)
            phase.add_cpu(before, cpu())
            await settle(clients["rasa"])
    return ours, theirs


def report_capacity(args: argparse.Namespace, ours: Phase, theirs: Phase) -> None:
    print(f"\nCapacity: {args.capacity_residents} residents with no pause between turns, "
          f"{args.capacity:g} s in all:\n")  # fmt: skip
    print_table(ours, theirs, full=False)
    print(f"CPU ms per turn, gateway: {ours.cpu_ms_per_turn()}")
    print(f"CPU ms per turn, Rasa alone: {theirs.cpu_ms_per_turn()}")


def report_long(args: argparse.Namespace, by_turn: dict[str, dict[int, list[float]]]) -> None:
    print(
        f"\n{args.long} conversations of 100 turns on each path, side by side, "
        f"~{args.long_think:g} s between turns (turns 1 and 100 are the same opening message):\n"
    )
    print("| path | turn 1 p50 ms | turn 50 p50 ms | turn 100 p50 ms | 100th / 1st |")
    print("|---|---|---|---|---|")
    for label in ("gateway", "rasa"):
        first, middle, last = (percentile(by_turn[label][n], 50) for n in (1, 50, 100))
        print(
            f"| {label} | {first * 1000:.1f} | {middle * 1000:.1f} | {last * 1000:.1f} "
            f"| {last / first:.2f} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--residents", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--think", type=float, default=4.0)
    parser.add_argument("--rounds", type=int, default=6)
    parser.add_argument("--capacity", type=float, default=40.0)
    # Enough to keep every core busy; more only lengthens the queue in front of Rasa.
    parser.add_argument("--capacity-residents", type=int, default=50)
    parser.add_argument("--long", type=int, default=5)
    parser.add_argument("--long-think", type=float, default=1.0)
    # Rate mode: Rasa alone's capacity is found first (--step-seconds a step), then both
    # paths are driven at this fraction of it, --rounds alternating rounds of each.
    parser.add_argument("--at", type=float, default=0.0)
    parser.add_argument("--step-seconds", type=float, default=20.0)
    parser.add_argument("--start-rate", type=float, default=5.0)
    args = parser.parse_args()
    env = {
        "TWILIO_AUTH_TOKEN": TOKEN,
        "TWILIO_ACCOUNT_SID": "AC" + "0" * 32,
        "TWILIO_PHONE_NUMBER": LINE,
        "PUBLIC_BASE_URL": PUBLIC,
        # Residents report anonymously: nothing is sent to Twilio's REST API.
        "TWILIO_API_BASE": f"http://127.0.0.1:{free_port()}",
    }
    stack, ports = start_stack(env)
    try:
        rasa = f"http://127.0.0.1:{ports.rasa}"
        # The load generator runs on the same machine: its CPU is counted too.
        run = measure_at_capacity if args.at else measure
        asyncio.run(
            run(
                stack.gateway_url,
                rasa,
                args,
                lambda: {**cpu_seconds(stack), "load generator": time.process_time()},
            )
        )
    finally:
        stack.stop()


if __name__ == "__main__":
    main()
