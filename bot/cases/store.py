"""Durable case storage in Redis.

A reference is only told to a resident once the case is on disk: the write is followed
by WAITAOF, which returns when the append-only file (and, in production, replicas) has
fsync'd it. A server without an append-only file cannot promise that, so we refuse.

The personal part is encrypted with the deployment's keys (bot/privacy/crypto.py); this
store is the only reader and writer of `asb:case:<ref>:personal`.
"""

from __future__ import annotations

from collections.abc import Callable

from redis.asyncio import Redis
from redis.asyncio.client import Pipeline
from redis.exceptions import ResponseError

from bot.cases.model import Case, CasePersonal
from bot.platform.redis_keys import Keys
from bot.privacy.crypto import Cipher, unseal

# How long a reference a resident may not have seen is kept for the conversation's next
# message (bot/conversation/turn.py tells it then).
UNTOLD_SECONDS = 7 * 86_400


class NotDurableError(RuntimeError):
    """The case could not be confirmed on disk; the resident must not be given its reference."""


class CaseStore:
    def __init__(
        self,
        redis: Redis,
        keys: Keys,
        replicas: int = 0,
        timeout_ms: int = 2000,
        cipher: Cipher | None = None,
        retention_seconds: int = 365 * 86_400,
    ):
        self._redis = redis
        self._keys = keys
        self._replicas = replicas
        self._timeout_ms = timeout_ms
        # Without a cipher records are written as plain JSON: only unit tests and
        # benchmarks build a store that way; every process of the service passes one.
        self._cipher = cipher
        self._retention = retention_seconds

    def _seal(self, personal: CasePersonal) -> bytes | str:
        plain = personal.model_dump_json()
        return plain if self._cipher is None else self._cipher.encrypt(plain)

    def _open(self, raw: bytes | str) -> CasePersonal:
        # Records written before encryption was turned on are still plain JSON.
        if Cipher.is_token(raw):
            if self._cipher is None:
                raise RuntimeError("an encrypted case record needs ASB_ENCRYPTION_KEYS")
            raw = self._cipher.decrypt(raw)
        return CasePersonal.model_validate_json(raw)

    async def reserve(self, reference: str) -> bool:
        """Claim a reference; False if it is already taken (a random collision)."""
        claimed = await self._redis.set(self._keys.case(reference), "{}", nx=True)
        return bool(claimed)

    async def release(self, reference: str) -> None:
        """Give back a reserved reference that never became a case."""
        if await self._redis.get(self._keys.case(reference)) in (b"{}", "{}"):
            await self._redis.delete(self._keys.case(reference))

    async def claim_submission(
        self, conversation_key: str, digest: str, reference: str, ttl_seconds: int
    ) -> str | None:
        """Record `reference` as the case of this conversation's submission `digest`, or
        return the reference an earlier identical submission recorded."""
        name = self._keys.conversation_submissions(conversation_key)
        async with self._redis.pipeline(transaction=True) as tx:
            tx.hsetnx(name, digest, reference)
            tx.hget(name, digest)
            tx.expire(name, ttl_seconds)
            claimed, current, _ = await tx.execute()
        if claimed:
            return None
        return current.decode() if isinstance(current, bytes) else str(current)

    async def submissions(self, conversation_key: str) -> list[str]:
        """The references of the cases a conversation submitted (while remembered)."""
        name = self._keys.conversation_submissions(conversation_key)
        values = await self._redis.hvals(name)  # type: ignore[misc]
        return [v.decode() if isinstance(v, bytes) else str(v) for v in values]

    async def record_submission(
        self, conversation_key: str, digest: str, reference: str, ttl_seconds: int
    ) -> None:
        name = self._keys.conversation_submissions(conversation_key)
        await self._redis.hset(name, digest, reference)  # type: ignore[misc]
        await self._redis.expire(name, ttl_seconds)

    async def media_links(self, conversation_key: str) -> list[str]:
        """The photos and videos sent on the conversation since its last case (MMS links,
        kept sealed by telephony/media.py; a retried MessageSid adds none), oldest first."""
        raw = await self._redis.lrange(self._keys.conversation_media(conversation_key), 0, -1)  # type: ignore[misc]
        return [unseal(self._cipher, item) for item in raw]

    async def save_new(self, case: Case, personal: CasePersonal) -> None:
        reference = case.reference
        async with self._redis.pipeline(transaction=True) as tx:
            tx.set(self._keys.case(reference), case.model_dump_json())
            tx.set(self._keys.case_personal(reference), self._seal(personal))
            tx.zadd(self._keys.case_index(), {reference: case.created_at.timestamp()})
            tx.zadd(self._keys.unannounced_cases(), {reference: case.created_at.timestamp()})
            tx.zadd(
                self._keys.partnership_cases(case.partnership),
                {reference: case.created_at.timestamp()},
            )
            if case.conversation_key:
                tx.set(
                    self._keys.conversation_untold_case(case.conversation_key),
                    reference,
                    ex=UNTOLD_SECONDS,
                )
                # The safety flags found so far are this case's: the conversation's next
                # report (an SMS one is the resident's number, kept for weeks) is judged
                # on its own messages, not routed as the hate incident before it. And an
                # emergency after it is a new one for the police, not an update of this.
                tx.delete(self._keys.conversation_flags(case.conversation_key))
                tx.delete(self._keys.conversation_recent(case.conversation_key))
                tx.delete(self._keys.conversation_emergency(case.conversation_key))
                # The links now on the case; one texted since they were read stays.
                media = self._keys.conversation_media(case.conversation_key)
                tx.ltrim(media, len(personal.media), -1)
            await tx.execute()
        await self.wait_durable()

    async def wait_durable(self) -> None:
        try:
            local, replicas = await self._redis.execute_command(  # type: ignore[no-untyped-call]
                "WAITAOF", 1, self._replicas, self._timeout_ms
            )
        except ResponseError as exc:
            raise NotDurableError(f"the store cannot confirm writes on disk: {exc}") from exc
        if local < 1 or replicas < self._replicas:
            raise NotDurableError(
                f"write not confirmed on disk in time (local={local}, replicas={replicas})"
            )

    async def get(self, reference: str) -> Case | None:
        raw = await self._redis.get(self._keys.case(reference))
        if raw is None or raw in (b"{}", "{}"):
            return None
        return Case.model_validate_json(raw)

    async def update(self, reference: str, change: Callable[[Case], Case]) -> Case | None:
        """Apply `change` to the stored case atomically (optimistic lock: redis-py's
        `transaction` retries when another process wrote the case in between). None if
        there is no such case."""
        key = self._keys.case(reference)

        async def rewrite(tx: Pipeline) -> Case | None:
            raw = await tx.get(key)
            if raw is None or raw in (b"{}", "{}"):
                return None
            case = change(Case.model_validate_json(raw))
            tx.multi()  # type: ignore[no-untyped-call]
            tx.set(key, case.model_dump_json())
            return case

        updated: Case | None = await self._redis.transaction(rewrite, key, value_from_callable=True)
        return updated

    async def get_personal(self, reference: str) -> CasePersonal | None:
        raw = await self._redis.get(self._keys.case_personal(reference))
        return None if raw is None else self._open(raw)

    async def set_personal(self, reference: str, personal: CasePersonal) -> None:
        """Replace the personal record, keeping any expiry already set on it (retention)."""
        await self._redis.set(
            self._keys.case_personal(reference), self._seal(personal), keepttl=True
        )

    async def expire_personal(self, reference: str) -> None:
        """Start the retention clock of a closed case: its personal record goes after the
        configured days (ASB_RETENTION_DAYS_AFTER_CLOSURE)."""
        await self._redis.expire(self._keys.case_personal(reference), self._retention)

    async def delete_personal(self, reference: str) -> bool:
        return bool(await self._redis.delete(self._keys.case_personal(reference)))

    async def rotate_personal(self, reference: str) -> bool:
        """Re-encrypt one record with the newest key (and encrypt a plain one); its expiry
        is kept. False when there is nothing to rotate."""
        key = self._keys.case_personal(reference)
        raw = await self._redis.get(key)
        if raw is None or self._cipher is None:
            return False
        sealed = self._cipher.rotate(raw) if Cipher.is_token(raw) else self._seal(self._open(raw))
        await self._redis.set(key, sealed, keepttl=True)
        return True

    async def references(self) -> list[str]:
        """Every case reference, oldest first."""
        members = await self._redis.zrange(self._keys.case_index(), 0, -1)
        return [m.decode() if isinstance(m, bytes) else str(m) for m in members]

    async def cases_between(
        self,
        since: float | None = None,
        until: float | None = None,
        *,
        partnership: str | None = None,
        batch: int = 1000,
    ) -> list[Case]:
        """The cases created in [since, until] (Unix times; None: open-ended), of one
        partnership or of all, oldest first, read in a few MGETs rather than one round
        trip per case."""
        index = (
            self._keys.partnership_cases(partnership) if partnership else self._keys.case_index()
        )
        low = "-inf" if since is None else since
        high = "+inf" if until is None else until
        members = await self._redis.zrangebyscore(index, low, high)
        names = [self._keys.case(m.decode() if isinstance(m, bytes) else str(m)) for m in members]
        out: list[Case] = []
        for start in range(0, len(names), batch):
            for raw in await self._redis.mget(names[start : start + batch]):
                if raw is not None and raw not in (b"{}", "{}"):
                    out.append(Case.model_validate_json(raw))
        return out

    async def index_by_partnership(self) -> int:
        """File every case under its partnership's index, once per store (cases stored
        before the index existed); returns how many were filed. A marker says it was
        done, so a worker's start does not read every case each time; it is set after
        the filing, so a worker stopped midway leaves the work to the next (filing twice
        only adds nothing)."""
        if await self._redis.exists(self._keys.partnership_index_built()):
            return 0
        cases = await self.cases_between()
        async with self._redis.pipeline(transaction=False) as pipe:
            for case in cases:
                pipe.zadd(
                    self._keys.partnership_cases(case.partnership),
                    {case.reference: case.created_at.timestamp()},
                    nx=True,
                )
            added = await pipe.execute()
        await self._redis.set(self._keys.partnership_index_built(), "1")
        return sum(int(n) for n in added)

    async def partnership_references(
        self, partnership: str, since: float, until: float | None = None
    ) -> list[str]:
        """The partnership's cases created in [since, until] (Unix times), oldest first."""
        members = await self._redis.zrangebyscore(
            self._keys.partnership_cases(partnership), since, "+inf" if until is None else until
        )
        return [m.decode() if isinstance(m, bytes) else str(m) for m in members]

    async def get_many(self, references: list[str]) -> list[tuple[Case, CasePersonal | None]]:
        """The cases (with their personal records, None once erased or expired) in two
        MGETs; references without a case are left out."""
        if not references:
            return []
        cases = await self._redis.mget([self._keys.case(r) for r in references])
        personal = await self._redis.mget([self._keys.case_personal(r) for r in references])
        return [
            (Case.model_validate_json(raw), None if sealed is None else self._open(sealed))
            for raw, sealed in zip(cases, personal, strict=True)
            if raw is not None and raw not in (b"{}", "{}")
        ]

    async def mark_announced(self, reference: str) -> None:
        await self._redis.zrem(self._keys.unannounced_cases(), reference)

    async def unannounced_before(self, timestamp: float) -> list[str]:
        members = await self._redis.zrangebyscore(self._keys.unannounced_cases(), "-inf", timestamp)
        return [m.decode() if isinstance(m, bytes) else str(m) for m in members]
