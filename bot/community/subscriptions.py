"""Monthly neighbourhood updates: who asked for them, and how they ask and stop.

A resident who gave a mobile number or an email address is offered the update at the end
of their acknowledgement email (bot/acknowledgements/), or of the next text about their
case (bot/partners/relay.py: the text acknowledgement has no room). The offer is recorded for
`OFFER_DAYS` under the keyed hash of the number or address, with the contact sealed; it
is taken by texting UPDATES or by the signed link in the email (bot/community/
updates_page.py), and the update is stopped by texting STOP UPDATES or by the one-click
link in each monthly email. The sending itself is bot/community/monthly_updates.py.

One record per subscriber (one district each: the latest taken), and a set of keyed
hashes per partnership and district (bot/platform/redis_keys.py): no key names anybody, and the
number or address is sealed with the deployment's cipher. A number's key is the key of
its text conversation, so an inbound text finds its offer without the number being
stored anywhere in clear.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

import structlog
from redis.asyncio import Redis

from bot.acknowledgements.offers import Offer
from bot.partnerships import Partnership
from bot.platform.redis_keys import Keys
from bot.privacy.contact import pseudonymous_key
from bot.privacy.crypto import Cipher, seal, unseal
from bot.privacy.signed_tokens import SignedTokens

log = structlog.get_logger("asb.updates")

OFFER_DAYS = 30
# Each monthly email carries a fresh one-click link; a year covers an email read late.
UNSUBSCRIBE_DAYS = 365
UpdatesChannel = Literal["sms", "email"]


@dataclass(frozen=True)
class Subscriber:
    """A subscription, or an offer of one (`subscribed_at` None)."""

    key: str
    channel: UpdatesChannel
    contact: str  # E.164 number or email address, unsealed
    partnership: str
    district: str
    subscribed_at: datetime | None = None

    @property
    def place(self) -> tuple[str, str]:
        return self.partnership, self.district


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value


class Subscriptions:
    """The offers and subscriptions in Redis."""

    def __init__(self, redis: Redis, keys: Keys, cipher: Cipher | None, secret: bytes):
        self._redis = redis
        self._keys = keys
        self._cipher = cipher
        self._secret = secret

    def key(self, channel: UpdatesChannel, contact: str) -> str:
        """The keyed hash a subscriber is known by: for a number, its text conversation's."""
        value = contact.lower() if channel == "email" else contact
        return pseudonymous_key(self._secret, channel, value)

    async def offer(
        self, channel: UpdatesChannel, contact: str, partnership: str, district: str
    ) -> str | None:
        """Record the offer; its key, or None when this contact already gets the district's
        update (nothing to offer)."""
        key = self.key(channel, contact)
        current = await self.get(key)
        if current is not None and current.place == (partnership, district):
            return None
        record = {"contact": seal(self._cipher, contact), "channel": channel,
                  "partnership": partnership, "district": district}  # fmt: skip
        async with self._redis.pipeline(transaction=True) as tx:
            tx.hset(self._keys.updates_offer(key), mapping=record)
            tx.expire(self._keys.updates_offer(key), OFFER_DAYS * 86_400)
            await tx.execute()
        return key

    async def offered(self, key: str) -> Subscriber | None:
        return await self._read(self._keys.updates_offer(key), key)

    async def get(self, key: str) -> Subscriber | None:
        return await self._read(self._keys.updates_subscriber(key), key)

    async def take_offer(
        self, key: str, place: tuple[str, str] | None = None, now: datetime | None = None
    ) -> Subscriber | None:
        """Subscribe as offered, or for `place` (partnership, district: the one a signed
        link names); None when there is no offer (expired or erased). The offer stays until
        it expires, so a resident who stops can change their mind."""
        offer = await self.offered(key)
        if offer is None:
            return None
        partnership, district = place or offer.place
        current = await self.get(key)
        subscribed = now or datetime.now(UTC)
        record = {"contact": seal(self._cipher, offer.contact), "channel": offer.channel,
                  "partnership": partnership, "district": district,
                  "subscribed_at": subscribed.isoformat()}  # fmt: skip
        async with self._redis.pipeline(transaction=True) as tx:
            if current is not None:  # one district per subscriber: the latest taken
                tx.srem(self._keys.updates_district(current.partnership, current.district), key)
            tx.delete(self._keys.updates_subscriber(key))
            tx.hset(self._keys.updates_subscriber(key), mapping=record)
            tx.sadd(self._keys.updates_district(partnership, district), key)
            await tx.execute()
        log.info("updates.subscribed", subscriber=key, channel=offer.channel,
                 partnership=partnership, district=district)  # fmt: skip
        return Subscriber(key, offer.channel, offer.contact, partnership, district, subscribed)

    async def unsubscribe(self, key: str) -> Subscriber | None:
        """End a subscription; the one ended, or None when there was none."""
        current = await self.get(key)
        if current is None:
            return None
        async with self._redis.pipeline(transaction=True) as tx:
            tx.srem(self._keys.updates_district(current.partnership, current.district), key)
            tx.delete(self._keys.updates_subscriber(key))
            await tx.execute()
        log.info("updates.unsubscribed", subscriber=key, channel=current.channel)
        return current

    async def forget(self, key: str) -> int:
        """Erasure: the subscription and the offer; how many records went. Needs no
        cipher: nothing sealed is read."""
        name = self._keys.updates_subscriber(key)
        partnership, district = await self._redis.hmget(name, ["partnership", "district"])  # type: ignore[misc]
        async with self._redis.pipeline(transaction=True) as tx:
            if partnership and district:
                tx.srem(self._keys.updates_district(_text(partnership), _text(district)), key)
            tx.delete(name, self._keys.updates_offer(key))
            replies = await tx.execute()
        return int(replies[-1])

    async def members(self, partnership: Partnership) -> dict[str, list[str]]:
        """The partnership's subscribers by district (districts with none left out)."""
        districts = partnership.area.districts
        async with self._redis.pipeline(transaction=False) as pipe:
            for district in districts:
                pipe.smembers(self._keys.updates_district(partnership.id, district))
            found = await pipe.execute()
        pairs = zip(districts, found, strict=True)
        return {d: sorted(_text(k) for k in keys) for d, keys in pairs if keys}

    async def _read(self, name: str, key: str) -> Subscriber | None:
        raw = await self._redis.hgetall(name)  # type: ignore[misc]
        if not raw:
            return None
        fields = {_text(k): _text(v) for k, v in raw.items()}
        subscribed = fields.get("subscribed_at")
        return Subscriber(
            key,
            "email" if fields["channel"] == "email" else "sms",
            unseal(self._cipher, fields["contact"]),
            fields["partnership"],
            fields["district"],
            datetime.fromisoformat(subscribed) if subscribed else None,
        )


async def rotate_contacts(redis: Redis, keys: Keys, cipher: Cipher) -> int:
    """Every subscriber's and offer's contact re-encrypted with the newest key (and
    encrypted, if stored without a cipher), for `asb-intake keys rotate`."""
    count = 0
    for pattern in (keys.updates_subscriber("*"), keys.updates_offer("*")):
        async for name in redis.scan_iter(pattern):
            sealed = await redis.hget(name, "contact")  # type: ignore[misc]
            if sealed is None:
                continue
            plain = not Cipher.is_token(sealed)
            fresh = cipher.encrypt(_text(sealed)) if plain else cipher.rotate(sealed)
            await redis.hset(name, "contact", fresh.decode())  # type: ignore[misc]
            count += 1
    return count


class UpdateLinks:
    """The signed links of emails (bot/privacy/signed_tokens.py): one to take an offer, naming the
    subscriber's keyed hash, the partnership and the district; one to stop, naming the key."""

    def __init__(self, secret: bytes, base_url: str):
        self._subscribe = SignedTokens(secret, "updates-subscribe")
        self._unsubscribe = SignedTokens(secret, "updates-unsubscribe")
        self._base = base_url.rstrip("/")

    def subscribe_url(
        self, key: str, partnership: str, district: str, now: datetime | None = None
    ) -> str:
        token = self._subscribe.issue([key, partnership, district], OFFER_DAYS, now)
        return f"{self._base}/updates/subscribe/{token}"

    def read_subscribe(self, token: str, now: datetime | None = None) -> tuple[str, str, str]:
        """(key, partnership, district); BadToken or ExpiredToken otherwise."""
        key, partnership, district = self._subscribe.read(token, 3, now)
        return key, partnership, district

    def unsubscribe_url(self, key: str, now: datetime | None = None) -> str:
        token = self._unsubscribe.issue([key], UNSUBSCRIBE_DAYS, now)
        return f"{self._base}/updates/unsubscribe/{token}"

    def read_unsubscribe(self, token: str, now: datetime | None = None) -> str:
        [key] = self._unsubscribe.read(token, 1, now)
        return key


class UpdateOffers:
    """What the acknowledgement offers (bot/acknowledgements/service.py): an `UpdateOfferPort`."""

    def __init__(self, subscriptions: Subscriptions, links: UpdateLinks):
        self._subscriptions = subscriptions
        self._links = links

    async def make(
        self, partnership: Partnership, district: str | None, channel: str, to: str
    ) -> Offer | None:
        """Record an offer to a resident acknowledged by text or email whose case is in one
        of the partnership's districts (those with a public page); None: nothing to offer."""
        if district is None or district not in partnership.area.districts:
            return None
        if channel not in ("sms", "email"):
            return None
        by: UpdatesChannel = "email" if channel == "email" else "sms"
        key = await self._subscriptions.offer(by, to, partnership.id, district)
        if key is None:
            return None
        link = self._links.subscribe_url(key, partnership.id, district) if by == "email" else None
        return Offer(district, link)


_KEYWORDS: dict[str, Literal["subscribe", "stop"]] = {
    "UPDATES": "subscribe",
    "STOP UPDATES": "stop",
}


def keyword(text: str) -> Literal["subscribe", "stop"] | None:
    """UPDATES or STOP UPDATES, in any case, with any spacing around or between the words."""
    return _KEYWORDS.get(" ".join(text.upper().split()))


class UpdatesByText:
    """UPDATES and STOP UPDATES from a number that was offered the update, taken before the
    dialogue sees them (the `UpdatesPort` of bot/conversation/turn.py)."""

    def __init__(self, subscriptions: Subscriptions, keys: Keys):
        self._subscriptions = subscriptions
        self._keys = keys

    def known_keys(self, conversation_key: str) -> list[str]:
        """Either exists when the number was offered the update or gets it (read in the
        turn's first round trip)."""
        return [
            self._keys.updates_offer(conversation_key),
            self._keys.updates_subscriber(conversation_key),
        ]

    async def answer(self, conversation_key: str, text: str) -> str | None:
        """The reply when `text` is one of the two keywords; None to carry on as usual."""
        word = keyword(text)
        if word == "stop":
            stopped = await self._subscriptions.unsubscribe(conversation_key)
            if stopped is None:
                return "You do not get a monthly text from us, so there is nothing to stop."
            return f"You will not get the monthly text about {stopped.district} any more."
        if word != "subscribe":
            return None
        current = await self._subscriptions.get(conversation_key)
        offer = await self._subscriptions.offered(conversation_key)
        if current is not None and (offer is None or offer.place == current.place):
            return (
                f"You already get a monthly text about {current.district}. "
                "Reply STOP UPDATES to end it."
            )
        taken = await self._subscriptions.take_offer(conversation_key)
        if taken is None:
            return None
        return (
            f"Thank you. You will get a text early each month about reports of anti-social "
            f"behaviour in {taken.district} and what was done. Reply STOP UPDATES to end it."
        )
