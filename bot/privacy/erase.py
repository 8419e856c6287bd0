"""Erasure on request (`asb-intake erase`): by case reference or by phone number.

What goes: the Rasa trackers and conversation state of the resident's conversations, the
personal part of their cases, emergency records raised in those conversations, partner
deliveries (their bodies carry the case's personal fields) and queued jobs of the case,
and outbox entries (SMS lines, .eml files, letters) naming the reference or the resident,
and the case's outcome published on its district's public page, and the monthly
neighbourhood update (and its offer) of the resident's number or address.
What stays: the non-personal case record (counts, deadlines, routing), so statistics and
the partnership's own records still add up. One audit entry records the erasure.
"""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import phonenumbers
from redis.asyncio import Redis

from bot.cases.store import CaseStore
from bot.community.outcomes import PublishedOutcomes
from bot.community.subscriptions import Subscriptions
from bot.platform.job_queue import EMERGENCY_QUEUE_NAME, QUEUE_NAME
from bot.platform.redis_keys import Keys
from bot.privacy.audit import audit
from bot.privacy.contact import pseudonymous_key


@dataclass
class Erasure:
    """What was removed: counts and references only (it is printed and audited)."""

    references: list[str] = field(default_factory=list)
    conversations: int = 0
    redis_keys: int = 0
    deliveries: int = 0
    jobs: int = 0
    outbox_lines: int = 0
    files: int = 0


def _text(value: object) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def national_forms(e164: str) -> set[str]:
    """The ways a number may be written in an outbox: +447911123456 and 07911123456."""
    number = phonenumbers.parse(e164, None)
    national = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)
    return {e164, national.replace(" ", "")}


class Eraser:
    def __init__(self, redis: Redis, keys: Keys, cases: CaseStore, secret: bytes, data_dir: Path):
        self._redis = redis
        self._keys = keys
        self._cases = cases
        self._secret = secret
        self._data_dir = data_dir

    async def by_reference(self, reference: str, actor: str) -> Erasure:
        done = await self._erase([reference], set(), set())
        await audit(
            self._redis, self._keys, actor=actor, action="erase.reference",
            subject=reference, **_counts(done),
        )  # fmt: skip
        return done

    async def by_phone(self, e164: str, actor: str) -> Erasure:
        """Every case reported with this number (matched through its pseudonymous contact
        key, the only form in which the number is indexed), its SMS conversation and the
        conversations of its calls, whether or not they became a case."""
        contact_key = pseudonymous_key(self._secret, "phone", e164)
        references = []
        for reference in await self._cases.references():
            case = await self._cases.get(reference)
            if case is not None and case.contact_key == contact_key:
                references.append(reference)
        conversations = {pseudonymous_key(self._secret, "sms", e164)}
        conversations |= await self._erase_calls(contact_key)
        done = await self._erase(references, conversations, national_forms(e164))
        done.redis_keys += await self._forget_updates(e164, None)
        await audit(
            self._redis, self._keys, actor=actor, action="erase.phone",
            subject=contact_key, **_counts(done),
        )  # fmt: skip
        return done

    async def _erase(
        self, references: list[str], conversations: set[str], words: set[str]
    ) -> Erasure:
        done = Erasure(references=list(references))
        words = set(words)
        for reference in references:
            words.add(reference)
            personal = await self._cases.get_personal(reference)
            if personal is not None:  # its details name the resident in outboxes too
                words.update(w for w in (personal.contact.phone, personal.contact.email) if w)
                if personal.contact.phone:
                    words.update(national_forms(personal.contact.phone))
                contact = personal.contact
                done.redis_keys += await self._forget_updates(contact.phone, contact.email)
            case = await self._cases.get(reference)
            if case is not None and case.conversation_key:
                conversations.add(case.conversation_key)
            done.redis_keys += int(await self._cases.delete_personal(reference))
            done.deliveries += await self._erase_deliveries(reference)
            done.jobs += await self._erase_jobs(reference)
            done.redis_keys += await PublishedOutcomes(self._redis, self._keys).withdraw(reference)
        for key in conversations:
            done.conversations += 1
            done.redis_keys += await self._erase_conversation(key)
        done.outbox_lines = self._erase_sms_outbox(words)
        done.files = self._erase_files(words)
        return done

    async def _forget_updates(self, phone: str | None, email: str | None) -> int:
        """The monthly neighbourhood update of a number or address, and its offer."""
        subscriptions = Subscriptions(self._redis, self._keys, None, self._secret)
        removed = 0
        if phone:
            removed += await subscriptions.forget(subscriptions.key("sms", phone))
        if email:
            removed += await subscriptions.forget(subscriptions.key("email", email))
        return removed

    async def _erase_conversation(self, key: str) -> int:
        """The Rasa tracker and every `asb:conv:<key>...` record, with any emergency raised
        in the conversation (its text, location and caller's number) and its deliveries."""
        removed = 0
        emergency_id = await self._redis.get(self._keys.conversation_emergency(key))
        if emergency_id is not None:
            removed += int(await self._redis.delete(self._keys.emergency(_text(emergency_id))))
            await self._erase_deliveries(_text(emergency_id))
        names = [self._keys.rasa_tracker(key), self._keys.conversation(key)]
        names += [k async for k in self._redis.scan_iter(f"{self._keys.conversation(key)}:*")]
        removed += int(await self._redis.delete(*names))
        await self._redis.zrem(self._keys.callback_requests(), key)
        return removed

    async def _erase_calls(self, contact_key: str) -> set[str]:
        """The number's calls (`asb:call:<sid>*`) and their index; returns the calls'
        conversation keys, for their trackers and state to be erased with the rest."""
        index = self._keys.contact_calls(contact_key)
        calls = {_text(k): _text(v) for k, v in (await self._redis.hgetall(index)).items()}  # type: ignore[misc]
        for call_sid in calls.values():
            names = [self._keys.call(call_sid)]
            names += [k async for k in self._redis.scan_iter(f"{self._keys.call(call_sid)}:*")]
            await self._redis.delete(*names)
        await self._redis.delete(index)
        return set(calls)

    async def _erase_deliveries(self, subject: str) -> int:
        """Partner deliveries of a case or emergency: a queued attempt finds nothing and
        stops. Scanning is fine for an operator command."""
        removed = 0
        async for key in self._redis.scan_iter(self._keys.delivery("*")):
            if _text(await self._redis.hget(key, "subject")) != subject:  # type: ignore[misc]
                continue
            webhook_id = _text(key).rsplit(":", 1)[-1]
            await self._redis.zrem(self._keys.deliveries_due(), webhook_id)
            await self._redis.zrem(self._keys.dead_letters(), webhook_id)
            removed += int(await self._redis.delete(key))
        return removed

    async def _erase_jobs(self, reference: str) -> int:
        """Queued jobs of the case (their ids name the reference): acknowledgements and
        relays that would otherwise run on after the details are gone."""
        removed = 0
        async for key in self._redis.scan_iter(f"arq:job:*{reference}*"):
            job_id = _text(key).removeprefix("arq:job:")
            for queue in (QUEUE_NAME, EMERGENCY_QUEUE_NAME):
                await self._redis.zrem(queue, job_id)
            removed += int(await self._redis.delete(key))
        return removed

    def _erase_sms_outbox(self, words: set[str]) -> int:
        """Rewrite sms.jsonl without the lines naming the resident or the reference."""
        path = self._data_dir / "outbox" / "sms.jsonl"
        if not path.exists() or not words:
            return 0
        lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
        kept = [line for line in lines if not any(w in line for w in words)]
        if len(kept) == len(lines):
            return 0
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".sms.")
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            out.writelines(kept)
        os.replace(tmp, path)  # atomic: a reader sees the old file or the new one
        return len(lines) - len(kept)

    def _erase_files(self, words: set[str]) -> int:
        """Emails (.eml) and letters (PDF and ticket) named after or mentioning the case."""
        removed = 0
        folders = [self._data_dir / "outbox" / "email", self._data_dir / "print-queue"]
        for folder in folders:
            if not folder.is_dir():
                continue
            for path in folder.iterdir():
                if not path.is_file():
                    continue
                named = any(w in path.name for w in words)
                # PDFs are compressed: they are matched by name (reference-kind.pdf) only.
                if named or (path.suffix != ".pdf" and _mentions(path, words)):
                    path.unlink(missing_ok=True)
                    removed += 1
        return removed


def _mentions(path: Path, words: set[str]) -> bool:
    text = path.read_bytes().decode("utf-8", errors="replace")
    return any(w in text for w in words)


def _counts(done: Erasure) -> dict[str, str | int]:
    return {
        "references": ",".join(done.references),
        "conversations": done.conversations,
        "redis_keys": done.redis_keys,
        "deliveries": done.deliveries,
        "jobs": done.jobs,
        "outbox_lines": done.outbox_lines,
        "files": done.files,
    }
