"""Personal records are encrypted at rest; rotation keeps old records readable."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from redis.asyncio import Redis

from bot.cases.model import Case, CasePersonal, ContactDetails, ReportAnswers
from bot.cases.store import CaseStore
from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings
from bot.privacy.cli import rotate
from bot.privacy.crypto import Cipher, ensure_encryption_keys, new_key
from bot.safety.desk import Emergency, open_emergency, seal_emergency

WORDS = "The man at number 12 shouts racist abuse at my children"
PHONE = "+447911123456"


def a_case(reference: str) -> tuple[Case, CasePersonal]:
    case = Case(
        reference=reference, created_at=datetime.now(UTC), channel="chat",
        partnership="coventry", contact_key="phone-x", contact_method="sms",
        anonymous=False, consent_to_share=True, happening_now=False,
    )  # fmt: skip
    personal = CasePersonal(
        answers=ReportAnswers(
            incident_description=WORDS, incident_time="last night", incident_location="CV1 5FB"
        ),
        contact=ContactDetails(method="sms", name="Ada Lovelace", phone=PHONE),
        postcode="CV1 5FB",
        evidence=[{"cue": "racist", "text": "racist abuse"}],
    )
    return case, personal


async def everything_in(redis: Redis, key: bytes) -> bytes:
    """A key's whole value as bytes, whatever its type (strings and sorted sets here)."""
    if await redis.type(key) == b"zset":
        return b" ".join(await redis.zrange(key, 0, -1))
    return await redis.get(key) or b""


@pytest.fixture
async def redis(valkey_url: str) -> AsyncIterator[Redis]:
    client = Redis.from_url(valkey_url)
    yield client
    await client.aclose()


async def test_nothing_the_resident_said_is_stored_in_the_clear(redis: Redis) -> None:
    keys = Keys("privtest-enc")
    store = CaseStore(redis, keys, cipher=Cipher([new_key()]))
    case, personal = a_case("ASB-TEST-ENC1")
    await store.save_new(case, personal)
    stored = b"".join(
        [await everything_in(redis, k) async for k in redis.scan_iter(f"{keys.prefix}:*")]
    )
    for secret in (WORDS, "Ada Lovelace", PHONE, "7911123456", "CV1 5FB", "racist abuse"):
        assert secret.encode() not in stored, secret
    assert await store.get_personal(case.reference) == personal


async def test_rotation_keeps_old_records_readable_and_re_encrypts_them(redis: Redis) -> None:
    keys = Keys("privtest-rot")
    old, new = new_key(), new_key()
    case, personal = a_case("ASB-TEST-ROT1")
    await CaseStore(redis, keys, cipher=Cipher([old])).save_new(case, personal)
    rotated = CaseStore(redis, keys, cipher=Cipher([new, old]))
    assert await rotated.get_personal(case.reference) == personal  # old key still reads
    await redis.expire(keys.case_personal(case.reference), 1000)
    assert await rotated.rotate_personal(case.reference)
    raw = await redis.get(keys.case_personal(case.reference))
    assert raw is not None
    assert Cipher([new]).decrypt(raw) == personal.model_dump_json()  # new key alone reads it
    assert 0 < await redis.ttl(keys.case_personal(case.reference)) <= 1000  # expiry kept


async def test_records_from_before_encryption_are_read_and_encrypted_by_rotation(
    redis: Redis,
) -> None:
    keys = Keys("privtest-plain")
    case, personal = a_case("ASB-TEST-PLN1")
    await CaseStore(redis, keys).save_new(case, personal)  # a store without a cipher
    store = CaseStore(redis, keys, cipher=Cipher([new_key()]))
    assert await store.get_personal(case.reference) == personal
    await store.rotate_personal(case.reference)
    raw = await redis.get(keys.case_personal(case.reference))
    assert raw is not None and Cipher.is_token(raw) and WORDS.encode() not in raw


async def test_rotation_re_encrypts_rasa_trackers_with_the_newest_key(redis: Redis) -> None:
    """Rasa's trackers are sealed by rasa_plugins/ with the same keys; `keys rotate` takes
    them to the newest key too, keeping their expiry."""
    keys = Keys("privtest-trk")
    old, new = new_key(), new_key()
    tracker = json.dumps({"name": "c", "events": [{"event": "user", "text": WORDS}]})
    name = keys.rasa_tracker("privtest-conversation")
    await redis.set(name, Cipher([old]).encrypt(tracker), ex=1000)
    both = Cipher([new, old])
    assert await rotate(redis, keys, CaseStore(redis, keys, cipher=both), both) >= 1
    raw = await redis.get(name)
    assert raw is not None and Cipher([new]).decrypt(raw) == tracker
    assert 0 < await redis.ttl(name) <= 1000


def test_emergency_record_is_sealed_whole() -> None:
    cipher = Cipher([new_key()])
    emergency = Emergency(
        id="EM-1", conversation_key="chat-x", channel="sms", raised_at=datetime.now(UTC),
        text=WORDS, location="CV1 5FB", contact=PHONE,
    )  # fmt: skip
    sealed = seal_emergency(emergency, cipher)
    assert isinstance(sealed, bytes)
    assert WORDS.encode() not in sealed and PHONE.encode() not in sealed
    assert open_emergency(sealed, cipher) == emergency


def test_make_run_generates_a_key_under_var_when_none_is_given(tmp_path: Path) -> None:
    ensure_encryption_keys(tmp_path)
    settings = Settings(ASB_DATA_DIR=tmp_path, ASB_ENCRYPTION_KEYS=None)  # type: ignore[call-arg]
    assert settings.cipher().decrypt(settings.cipher().encrypt("x")) == "x"
    assert (tmp_path / "encryption.keys").stat().st_mode & 0o077 == 0
