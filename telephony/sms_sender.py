"""The one way the service sends a text message.

Twilio's async client, its API domain pointed at TWILIO_API_BASE (tests use a local server
serving Twilio's paths). 429 and 5xx answers and dropped connections are retried with
exponential backoff; error 21610 (the recipient texted STOP) records an opt-out; 21211
(not a valid number) is recorded against the number and the case. An opted-out number is
never sent anything. Without Twilio credentials, messages go to a local outbox file,
one JSON object per line.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import aiohttp
import structlog
from redis.asyncio import Redis
from twilio.base.exceptions import TwilioRestException
from twilio.http.async_http_client import AsyncTwilioHttpClient
from twilio.rest import Client

from bot.platform.redis_keys import Keys
from bot.platform.settings import Settings
from bot.privacy.contact import pseudonymous_key
from telephony.delivery import DeliveryLog
from telephony.opt_out import OptOuts
from telephony.sms_format import gsm_safe

log = structlog.get_logger("asb.sms")

ERROR_OPTED_OUT = 21610
ERROR_INVALID_NUMBER = 21211

Outcome = Literal["sent", "outbox", "opted_out", "invalid_number", "failed"]


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    sid: str | None = None
    error_code: int | None = None


class SmsSender:
    def __init__(
        self,
        settings: Settings,
        redis: Redis,
        keys: Keys,
        secret: bytes,
        *,
        attempts: int = 4,
        backoff_seconds: float = 0.5,
        timeout_seconds: float = 10.0,
    ):
        self._redis = redis
        self._keys = keys
        self._secret = secret
        self._from = settings.twilio_phone_number
        self._status_callback = settings.public_base_url.rstrip("/") + "/twilio/status"
        self._attempts = attempts
        self._backoff = backoff_seconds
        self.opt_outs = OptOuts(redis, keys)
        self.delivery = DeliveryLog(redis, keys)
        self.outbox = settings.data_dir / "outbox" / "sms.jsonl"
        self._http: AsyncTwilioHttpClient | None = None
        self._client: Client | None = None
        if settings.twilio_account_sid and settings.twilio_auth_token and self._from:
            self._http = AsyncTwilioHttpClient(timeout=timeout_seconds)
            self._client = Client(
                settings.twilio_account_sid, settings.twilio_auth_token, http_client=self._http
            )
            # Every REST path is built on this domain's base URL (Domain.absolute_url).
            self._client.api.base_url = settings.twilio_api_base.rstrip("/")

    @property
    def has_credentials(self) -> bool:
        return self._client is not None

    def contact_key(self, e164: str) -> str:
        """The pseudonymous key of a number, the same one its SMS conversation uses."""
        return pseudonymous_key(self._secret, "sms", e164)

    async def send(self, to: str, body: str, *, reference: str | None = None) -> SendResult:
        contact_key = self.contact_key(to)
        if await self.opt_outs.is_opted_out(contact_key):
            log.info("sms.not_sent_opted_out", contact_key=contact_key)
            return SendResult("opted_out")
        text = gsm_safe(body)
        if self._client is None:
            await asyncio.to_thread(_append_outbox, self.outbox, to, self._from, text, reference)
            return SendResult("outbox")
        for attempt in range(1, self._attempts + 1):
            try:
                message = await self._client.api.v2010.account.messages.create_async(
                    to=to, from_=self._from, body=text, status_callback=self._status_callback
                )
            except TwilioRestException as exc:
                if exc.code == ERROR_OPTED_OUT:
                    await self.opt_outs.opt_out(contact_key)
                    log.info("sms.recipient_opted_out", contact_key=contact_key)
                    return SendResult("opted_out", error_code=exc.code)
                if exc.code == ERROR_INVALID_NUMBER:
                    await self._record_invalid(contact_key, reference)
                    return SendResult("invalid_number", error_code=exc.code)
                if not _retryable(exc.status) or attempt == self._attempts:
                    log.warning("sms.failed", status=exc.status, code=exc.code, attempt=attempt)
                    return SendResult("failed", error_code=exc.code)
            except (aiohttp.ClientError, TimeoutError) as exc:
                if attempt == self._attempts:
                    log.warning("sms.failed", reason=type(exc).__name__, attempt=attempt)
                    return SendResult("failed")
            else:
                sid = message.sid or ""
                await self.delivery.sent(sid, contact_key, message.status or "queued", reference)
                log.info("sms.sent", sid=sid, attempt=attempt)
                return SendResult("sent", sid=sid)
            await asyncio.sleep(self._backoff * 2 ** (attempt - 1))
        return SendResult("failed")  # not reached: the loop returns on its last attempt

    async def _record_invalid(self, contact_key: str, reference: str | None) -> None:
        await self._redis.sadd(self._keys.sms_invalid(), contact_key)  # type: ignore[misc]
        if reference:
            await self._redis.hset(  # type: ignore[misc]
                self._keys.case_contact_problems(reference), "sms", "invalid_number"
            )
        log.info("sms.invalid_number", contact_key=contact_key, reference=reference)

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.close()


def _retryable(status: int) -> bool:
    return status == 429 or status >= 500


def _append_outbox(
    path: Path, to: str, sender: str | None, body: str, reference: str | None
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    record = {
        "time": datetime.now(UTC).isoformat(),
        "to": to,
        "from": sender,
        "body": body,
        "reference": reference,
    }
    with path.open("a", encoding="utf-8") as out:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
