"""Retention: a closed case's personal data expires after the configured days."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from redis.asyncio import Redis

from bot.cases.store import CaseStore
from bot.platform.redis_keys import Keys
from bot.privacy.crypto import Cipher, new_key
from bot.privacy.retention import sweep
from tests.privacy.test_encryption import a_case

DAY = 86_400


async def test_sweep_expires_recent_closures_and_removes_old_ones(valkey_url: str) -> None:
    redis = Redis.from_url(valkey_url)
    keys = Keys("privtest-ret")
    store = CaseStore(redis, keys, cipher=Cipher([new_key()]), retention_seconds=30 * DAY)
    now = datetime.now(UTC)
    for reference, closed_days_ago in (
        ("ASB-RET-OPEN", None),
        ("ASB-RET-NEW", 2),
        ("ASB-RET-OLD", 40),
    ):
        case, personal = a_case(reference)
        if closed_days_ago is not None:
            case = case.model_copy(
                update={"status": "closed", "closed_at": now - timedelta(days=closed_days_ago),
                        "conversation_key": f"chat-{reference}"}
            )  # fmt: skip
            await redis.set(keys.rasa_tracker(f"chat-{reference}"), "{}", ex=90 * DAY)
        await store.save_new(case, personal)

    assert await sweep(redis, keys, store, 30 * DAY, now) == 2
    assert await redis.ttl(keys.case_personal("ASB-RET-OPEN")) == -1  # open: kept
    assert 27 * DAY < await redis.ttl(keys.case_personal("ASB-RET-NEW")) <= 28 * DAY
    assert await redis.ttl(keys.rasa_tracker("chat-ASB-RET-NEW")) <= 28 * DAY
    assert not await redis.exists(keys.case_personal("ASB-RET-OLD"))
    assert not await redis.exists(keys.rasa_tracker("chat-ASB-RET-OLD"))
    assert await sweep(redis, keys, store, 30 * DAY, now) == 0  # nothing left to do
    await redis.aclose()


async def test_closing_sets_the_expiry(valkey_url: str) -> None:
    redis = Redis.from_url(valkey_url)
    keys = Keys("privtest-close")
    store = CaseStore(redis, keys, cipher=Cipher([new_key()]), retention_seconds=7 * DAY)
    case, personal = a_case("ASB-RET-CLS")
    await store.save_new(case, personal)
    await store.expire_personal(case.reference)
    assert 6 * DAY < await redis.ttl(keys.case_personal(case.reference)) <= 7 * DAY
    await redis.aclose()
