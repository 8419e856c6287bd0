"""The telephony channel's long-lived parts, built once per process with the other services."""

from __future__ import annotations

from redis.asyncio import Redis

from bot.conversation.turn import Conversations
from bot.partnerships import Partnership
from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings
from telephony.sms_sender import SmsSender
from telephony.voice_turns import VoiceTurns


class Telephony:
    def __init__(
        self,
        settings: Settings,
        redis: Redis,
        keys: Keys,
        conversations: Conversations,
        partnership: Partnership,
    ):
        self.secret = settings.secret_key()
        self.conversation_ttl = settings.conversation_ttl_seconds
        self.cipher = settings.cipher()  # seals answers and call state kept in Redis
        self.sms = SmsSender(settings, redis, keys, self.secret)
        self.voice_turns = VoiceTurns(
            redis, keys, conversations, self.sms, partnership, self.cipher
        )

    async def aclose(self) -> None:
        await self.voice_turns.aclose()
        await self.sms.aclose()
