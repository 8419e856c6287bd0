"""An emergency stays open for its incident only: a postcode given soon after reaches the
police as its update, but an emergency weeks later in the same conversation (an SMS
conversation is the resident's number) is a new P1 event, not a silent update of the old
one; nor is a later report's postcode sent to the police as the old emergency's. Within
the window, the resident's reply to "where is this happening?" (a street will do) and any
further emergency message reach the police as updates with their words."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
import redis.asyncio as aioredis
from arq.connections import ArqRedis, create_pool

from bot.conversation.turn import RECENT_MESSAGES
from bot.platform.job_queue import JobQueue, redis_settings
from bot.platform.redis_keys import Keys
from bot.safety.desk import EmergencyDesk, open_emergency
from bot.safety.triage import triage

KEY = "phone-0123456789abcdef"
KNIFE = "theres a lad outside with a knife rn"
OPEN_SECONDS = 1
SAID: list[str] = []  # the conversation's messages so far (each test starts a new one)


@pytest.fixture
async def desk(valkey_url: str) -> AsyncIterator[tuple[EmergencyDesk, ArqRedis]]:
    SAID.clear()
    redis = aioredis.from_url(valkey_url)
    await redis.flushdb()
    pool = await create_pool(redis_settings(valkey_url))
    yield EmergencyDesk(redis, Keys(), JobQueue(pool), 86_400, open_seconds=OPEN_SECONDS), pool
    await pool.aclose()
    await redis.aclose()


async def say(desk: EmergencyDesk, redis: ArqRedis, text: str) -> None:
    """One message, as a turn hands it to the desk (the open id read first)."""
    open_id = await redis.get(desk.open_key(KEY))
    # Judged as the gateway judges it: with the resident's recent messages.
    verdict = triage(text, "sms", SAID[-RECENT_MESSAGES:])
    SAID.append(text)
    await desk.handle(open_id, KEY, "sms", text, verdict, "+447911123456")


async def police_jobs(redis: ArqRedis) -> list[str]:
    """The P1 jobs queued: case.emergency:<id>:<revision>."""
    names = await redis.keys("arq:job:case.emergency:*")
    return sorted(name.decode().removeprefix("arq:job:") for name in names)


async def test_a_postcode_soon_after_updates_the_open_emergency(
    desk: tuple[EmergencyDesk, ArqRedis],
) -> None:
    emergency_desk, redis = desk
    await say(emergency_desk, redis, KNIFE)
    await say(emergency_desk, redis, "its outside 12 high st cv1 5fb")
    (first, update) = await police_jobs(redis)
    assert first.endswith(":0") and update.endswith(":1")
    assert first.rsplit(":", 1)[0] == update.rsplit(":", 1)[0]  # the same emergency


async def test_an_emergency_after_the_window_is_a_new_p1_event(
    desk: tuple[EmergencyDesk, ArqRedis],
) -> None:
    emergency_desk, redis = desk
    await say(emergency_desk, redis, KNIFE)
    await asyncio.sleep(OPEN_SECONDS + 0.2)
    SAID.clear()  # the recent messages the triage reads go with the incident's hour
    # A later report's location is not sent to the police as the old emergency's.
    await say(emergency_desk, redis, "the noise is from 4 park road cv2 4aa")
    assert len(await police_jobs(redis)) == 1
    await say(emergency_desk, redis, "he's back and he's got a gun")
    jobs = await police_jobs(redis)
    assert len(jobs) == 2 and all(job.endswith(":0") for job in jobs)  # two emergencies


async def test_the_reply_to_where_and_a_further_emergency_reach_the_police(
    desk: tuple[EmergencyDesk, ArqRedis],
) -> None:
    emergency_desk, redis = desk
    street = "outside the co-op on earlsdon street"
    await say(emergency_desk, redis, KNIFE)
    await say(emergency_desk, redis, street)  # the answer to "where?", with no postcode
    await say(emergency_desk, redis, "no")  # an answer to a later question: not for them
    await say(emergency_desk, redis, "he's back and he's got a gun")
    await say(emergency_desk, redis, "he's back and he's got a gun")  # taken again: not news
    jobs = await police_jobs(redis)
    assert [job.rsplit(":", 1)[1] for job in jobs] == ["0", "1", "2"]
    assert len({job.rsplit(":", 1)[0] for job in jobs}) == 1  # one emergency
    emergency_id = jobs[0].removeprefix("case.emergency:").rsplit(":", 1)[0]
    record = open_emergency(await redis.get(f"asb:emergency:{emergency_id}"), None)
    # What the police are sent: the messages, oldest first, and each cue once.
    assert record.text == f"{KNIFE}\n{street}\nhe's back and he's got a gun"
    # (the street may be flagged itself, read after the knife: then "context" is a cue)
    assert record.cues[0] == "model" and set(record.cues) <= {"model", "context"}
    assert record.revision == 2
    assert "knife" in record.evidence and "gun" in record.evidence


async def test_two_messages_at_once_both_reach_the_police(
    desk: tuple[EmergencyDesk, ArqRedis],
) -> None:
    # Two texts a moment apart, taken by two gateways (two connections) at the same time.
    emergency_desk, redis = desk
    await say(emergency_desk, redis, KNIFE)
    await say(emergency_desk, redis, "outside 12 high st")
    first, second = "he's back and he's got a gun", "another lad has just turned up with a machete"
    await asyncio.gather(say(emergency_desk, redis, first), say(emergency_desk, redis, second))
    jobs = await police_jobs(redis)
    emergency_id = jobs[0].removeprefix("case.emergency:").rsplit(":", 1)[0]
    record = open_emergency(await redis.get(f"asb:emergency:{emergency_id}"), None)
    assert first in record.text and second in record.text  # neither write lost
    assert record.revision == 3 and len(jobs) == 4
