"""The long-lived clients and services one process needs, built once and closed once."""

from __future__ import annotations

from dataclasses import dataclass

from arq.connections import ArqRedis
from redis.asyncio import Redis

from bot.cases.intake import CaseIntake
from bot.cases.repeat_victims import RepeatVictims
from bot.cases.store import CaseStore
from bot.community.subscriptions import Subscriptions, UpdatesByText
from bot.conversation.dialogue import RasaClient
from bot.conversation.dialogue_watch import DialogueWatch
from bot.conversation.fallback import FallbackReport
from bot.conversation.turn import Conversations
from bot.partners.relay import SatisfactionSurvey
from bot.partnerships import Partnership, Partnerships, load_partnerships
from bot.platform.counters import Counters
from bot.platform.job_queue import JobQueue, connect_lazily
from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings
from bot.privacy.crypto import Cipher
from bot.safety.desk import EmergencyDesk

FALLBACK_TTL_SECONDS = 24 * 3600


def unavailable_text(partnership: Partnership) -> str:
    line = partnership.main_line()
    return (
        "Sorry, I can't take your report right now because of a problem on our side. "
        "I've kept what you wrote. Please try again in a few minutes, or call "
        f"{line.label} on {line.phone}. In an emergency call 999."
    )


@dataclass
class Services:
    settings: Settings
    redis: Redis
    jobs_pool: ArqRedis
    keys: Keys
    partnership: Partnership
    partnerships: Partnerships
    dialogue: DialogueWatch
    conversations: Conversations
    cases: CaseStore
    intake: CaseIntake
    cipher: Cipher  # seals personal data kept in Redis (ASB_ENCRYPTION_KEYS)

    @classmethod
    async def open(cls, settings: Settings) -> Services:
        redis_url = settings.require_redis_url()
        redis = Redis.from_url(redis_url, socket_timeout=5, socket_connect_timeout=2)
        jobs_pool = connect_lazily(redis_url)
        keys = Keys(settings.key_prefix)
        secret = settings.secret_key()
        # Every served partnership file is validated here: a wrong one stops start-up.
        partnerships = load_partnerships(
            settings.partnerships_dir, settings.default_partnership, settings.partnership_ids()
        )
        partnership = partnerships.default
        dialogue = DialogueWatch(
            RasaClient(settings.rasa_url, settings.rasa_timeout_seconds), redis, keys
        )
        jobs = JobQueue(jobs_pool)
        cipher = settings.cipher()
        emergencies = EmergencyDesk(
            redis, keys, jobs, settings.conversation_ttl_seconds, cipher,
            open_seconds=settings.emergency_open_minutes * 60,
        )  # fmt: skip
        cases = CaseStore(
            redis, keys, settings.durable_replicas, settings.durable_timeout_ms,
            cipher=cipher, retention_seconds=settings.retention_seconds,
        )  # fmt: skip
        intake = CaseIntake(
            cases, jobs, secret, partnerships, RepeatVictims(redis, keys, secret),
            Counters(redis, keys),
        )  # fmt: skip
        # An abandoned scripted report is forgotten after a day, so a resident texting
        # weeks later starts afresh with the dialogue engine.
        fallback = FallbackReport(redis, keys, intake, partnership, FALLBACK_TTL_SECONDS, cipher)
        conversations = Conversations(
            redis, keys, dialogue, secret, settings.conversation_ttl_seconds,
            unavailable_text(partnership), emergencies,
            SatisfactionSurvey(redis, keys, cases, partnerships), fallback, cipher,
            # A turn waits for the conversation's previous one as long as a turn may take.
            turn_wait_seconds=settings.rasa_timeout_seconds,
            turn_lock_seconds=3 * settings.rasa_timeout_seconds,
            updates=UpdatesByText(Subscriptions(redis, keys, cipher, secret), keys),
        )  # fmt: skip
        return cls(
            settings,
            redis,
            jobs_pool,
            keys,
            partnership,
            partnerships,
            dialogue,
            conversations,
            cases,
            intake,
            cipher,
        )

    async def aclose(self) -> None:
        await self.dialogue.aclose()
        await self.jobs_pool.aclose()
        await self.redis.aclose()
