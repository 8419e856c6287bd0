"""Asking for the monthly neighbourhood update and stopping it: the offer in the written
acknowledgement (a real SMTP server, the local Twilio REST server), UPDATES and STOP
UPDATES texted to a gateway of its own (signed Twilio webhooks; a real HTTP server stands
in for the dialogue engine), the email's signed links, and erasure. Real Valkey."""

from __future__ import annotations

import os
import re
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.message import EmailMessage
from pathlib import Path

import httpx
import pytest
from redis.asyncio import Redis

from bot.acknowledgements.channels import EmailSender, LetterPrinter
from bot.acknowledgements.content import SMS_LIMIT
from bot.acknowledgements.service import Acknowledger
from bot.cases.events import CaseEvents
from bot.cases.model import Case, CasePersonal, ContactDetails, ReportAnswers
from bot.cases.reference import new_reference
from bot.cases.sla import case_deadlines
from bot.cases.store import CaseStore
from bot.community.subscriptions import (
    Subscriptions,
    UpdateLinks,
    UpdateOffers,
    rotate_contacts,
)
from bot.partners.relay import ResidentNotifier
from bot.partnerships import Partnerships, load_partnerships
from bot.platform.redis_keys import Keys
from bot.platform.settings import PROJECT_ROOT, Settings
from bot.privacy.contact import pseudonymous_key
from bot.privacy.crypto import Cipher, InvalidToken, new_key
from bot.privacy.erase import Eraser
from telephony.sms_format import gsm_length, is_gsm
from telephony.sms_sender import SmsSender
from tests.acknowledgements.smtp import SmtpServer
from tests.gateway_process import gateway_process
from tests.partners.survey_rig import suite_cipher
from tests.telephony.drivers import SmsResident, a_mobile_number
from tests.telephony.fake_twilio import FakeTwilio
from tests.telephony.signing import PUBLIC_BASE_URL, telephony_env
from tests.telephony.slow_rasa import SlowRasa

PREFIX = "updatestest"
SECRET = "updates-test-secret"
ENGINE_REPLY = "What happened? Tell me in your own words."
OFFER_BY_TEXT = (
    "Reply UPDATES for a monthly text about reports in CV1 and what was done. "
    "Reply STOP UPDATES to end it."
)
LINK = re.compile(re.escape(PUBLIC_BASE_URL) + r"(/updates/subscribe/[^\s<\"]+)")


@pytest.fixture(scope="module")
def engine() -> Iterator[SlowRasa]:
    server = SlowRasa(0.0, ENGINE_REPLY)
    yield server
    server.stop()


@pytest.fixture(scope="module")
def gateway(
    valkey_url: str,
    fake_twilio: FakeTwilio,
    engine: SlowRasa,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[str]:
    env = {
        **os.environ, **telephony_env(fake_twilio.base_url), "REDIS_URL": valkey_url,
        "RASA_URL": engine.url, "ASB_DATA_DIR": str(tmp_path_factory.mktemp(PREFIX)),
        "ASB_KEY_PREFIX": PREFIX, "ASB_PSEUDONYM_KEY": SECRET,
    }  # fmt: skip
    log = PROJECT_ROOT / "test-artifacts" / f"{PREFIX}-gateway.log"
    log.parent.mkdir(exist_ok=True)
    with gateway_process(env, log) as url:
        yield url


@dataclass
class Rig:
    redis: Redis
    keys: Keys
    cases: CaseStore
    partnerships: Partnerships
    subscriptions: Subscriptions
    links: UpdateLinks
    acks: Acknowledger
    notifier: ResidentNotifier
    data_dir: Path

    async def new_case(
        self, contact: ContactDetails, partnership: str = "coventry", district: str | None = None
    ) -> Case:
        p = self.partnerships.get(partnership)
        now = datetime.now(UTC)
        district = district or p.area.districts[0]
        case = Case(
            reference=new_reference(), created_at=now, channel="chat", partnership=partnership,
            contact_key="k", contact_method=contact.method, anonymous=False,
            consent_to_share=True, happening_now=False, postcode_district=district,
            lead_agency=p.routing.lead_for({"hate_crime": False}),
            deadlines=case_deadlines(p, now, hate_crime=False, risk_level="standard"),
            acknowledgement="pending",
        )  # fmt: skip
        personal = CasePersonal(
            answers=ReportAnswers(
                incident_description="music until 3am", incident_time="last night",
                incident_location=f"9 Larkspur Crescent {district} 5FB",
            ),
            contact=contact, postcode=f"{district} 5FB",
        )  # fmt: skip
        await self.cases.save_new(case, personal)
        return case

    def key(self, channel: str, contact: str) -> str:
        return self.subscriptions.key("email" if channel == "email" else "sms", contact)

    async def stored_text(self) -> str:
        """Every key and value under the prefix, as text: what the store holds in clear."""
        out: list[str] = []
        async for name in self.redis.scan_iter(f"{PREFIX}:*"):
            out.append(name.decode())
            kind = (await self.redis.type(name)).decode()
            if kind == "string":
                out.append(str(await self.redis.get(name)))
            elif kind == "hash":
                out.append(str(await self.redis.hgetall(name)))  # type: ignore[misc]
            elif kind == "set":
                out.append(str(await self.redis.smembers(name)))  # type: ignore[misc]
        return "\n".join(out)


@pytest.fixture
async def rig(
    valkey_url: str, smtp: SmtpServer, fake_twilio: FakeTwilio, tmp_path: Path
) -> AsyncIterator[Rig]:
    smtp.reset()
    redis = Redis.from_url(valkey_url)
    keys = Keys(PREFIX)
    cipher = suite_cipher()
    cases = CaseStore(redis, keys, cipher=cipher)
    events = CaseEvents(redis, keys)
    partnerships = load_partnerships(PROJECT_ROOT / "partnerships", "coventry")
    settings = Settings(ASB_DATA_DIR=tmp_path, **telephony_env(fake_twilio.base_url))  # type: ignore[arg-type]
    sms = SmsSender(settings, redis, keys, SECRET.encode(), backoff_seconds=0.01)
    subscriptions = Subscriptions(redis, keys, cipher, SECRET.encode())
    links = UpdateLinks(SECRET.encode(), PUBLIC_BASE_URL)
    offers = UpdateOffers(subscriptions, links)
    email = EmailSender(smtp.url, "asb@coventry.example", tmp_path / "outbox" / "email")
    letters = LetterPrinter(tmp_path / "print-queue")
    acks = Acknowledger(
        redis, keys, cases, events, partnerships, sms=sms, email=email, letters=letters,
        updates=offers,
    )  # fmt: skip
    notifier = ResidentNotifier(
        redis, keys, cases, events, partnerships, sms=sms, email=email, letters=letters,
        secret=SECRET.encode(), updates=offers,
    )  # fmt: skip
    yield Rig(redis, keys, cases, partnerships, subscriptions, links, acks, notifier, tmp_path)
    await sms.aclose()
    await redis.aclose()


def bodies(message: EmailMessage) -> tuple[str, str]:
    plain = message.get_body(preferencelist=("plain",))
    html = message.get_body(preferencelist=("html",))
    assert plain is not None and html is not None
    return plain.get_content().replace("\r\n", "\n"), html.get_content()


async def emailed_link(rig: Rig, smtp: SmtpServer, address: str) -> str:
    case = await rig.new_case(ContactDetails(method="email", name="Sam", email=address))
    assert (await rig.acks.attempt(case.reference)).state == "sent"
    [message] = smtp.to(address)
    match = LINK.search(bodies(message)[0])
    assert match, bodies(message)[0]
    return match.group(1)


async def test_an_email_acknowledgement_ends_with_a_sign_up_link_that_names_no_address(
    rig: Rig, smtp: SmtpServer
) -> None:
    address = "Sam.Offered@example.org"
    path = await emailed_link(rig, smtp, address)
    [message] = smtp.to(address)
    plain, html = bodies(message)
    last = plain.strip().split("\n\n")[-1]
    assert last.startswith("Would you like a monthly email about reports in CV1")
    assert PUBLIC_BASE_URL + path in last and PUBLIC_BASE_URL + path in html
    token = path.rsplit("/", 1)[1]
    assert "sam" not in token.lower() and "example" not in token
    assert rig.links.read_subscribe(token) == (rig.key("email", address), "coventry", "CV1")
    # The offer is kept for the link, the address sealed.
    offered = await rig.subscriptions.offered(rig.key("email", address))
    assert offered is not None and offered.contact == address
    assert address.lower() not in (await rig.stored_text()).lower()
    # A case outside the partnership's districts has no page, so no offer.
    elsewhere = await rig.new_case(
        ContactDetails(method="email", name="Al", email="al@example.org"), district="OX16"
    )
    assert (await rig.acks.attempt(elsewhere.reference)).state == "sent"
    [other] = smtp.to("al@example.org")
    assert "monthly" not in bodies(other)[0] and "/updates/" not in bodies(other)[0]


async def test_a_text_acknowledgement_keeps_its_budget_and_the_next_text_offers_the_update(
    rig: Rig, fake_twilio: FakeTwilio
) -> None:
    number = a_mobile_number()
    contact = ContactDetails(method="sms", name="Sam", phone=number)
    for pid in ("coventry", "cherwell", "northamptonshire", "bolsover", "chesterfield"):
        case = await rig.new_case(contact, partnership=pid)
        assert (await rig.acks.attempt(case.reference)).state == "sent"
        body = fake_twilio.sent_to(number)[-1].form["Body"]
        assert is_gsm(body) and gsm_length(body) <= SMS_LIMIT, body
        assert case.reference in body and "UPDATES" not in body
    case = await rig.new_case(contact)
    await rig.acks.attempt(case.reference)
    text = f"Update on your ASB report {case.reference}: the council is dealing with it."
    subject = f"Your anti-social behaviour report {case.reference}"
    assert await rig.notifier.send(case, "update-1", subject, [text]) == "sent"
    update = fake_twilio.sent_to(number)[-1].form["Body"]
    assert update == f"{text} {OFFER_BY_TEXT}"
    assert is_gsm(update) and gsm_length(update) <= SMS_LIMIT
    # Offered once: the case's later texts do not repeat it.
    assert await rig.notifier.send(case, "update-2", subject, ["Closed."]) == "sent"
    assert fake_twilio.sent_to(number)[-1].form["Body"] == "Closed."


async def test_replying_updates_subscribes_and_stop_updates_ends_it(
    rig: Rig, gateway: str, engine: SlowRasa, fake_twilio: FakeTwilio
) -> None:
    number = a_mobile_number()
    case = await rig.new_case(ContactDetails(method="sms", name="Sam", phone=number))
    await rig.notifier.send(case, "update-1", "Update", ["The council is dealing with it."])
    assert fake_twilio.sent_to(number)[-1].form["Body"].endswith(OFFER_BY_TEXT)
    key = rig.key("sms", number)
    assert key == pseudonymous_key(SECRET.encode(), "sms", number)  # the conversation's key
    with httpx.Client(base_url=gateway, timeout=30) as http:
        resident = SmsResident(http, number=number)
        [thanks] = resident.text("  updates ")
        assert "each month" in thanks and "CV1" in thanks and "STOP UPDATES" in thanks
        subscriber = await rig.subscriptions.get(key)
        assert subscriber is not None
        assert (subscriber.channel, subscriber.partnership, subscriber.district) == (
            "sms", "coventry", "CV1",
        )  # fmt: skip
        assert subscriber.contact == number
        assert await rig.redis.sismember(rig.keys.updates_district("coventry", "CV1"), key)  # type: ignore[misc]
        assert number not in await rig.stored_text() and number[3:] not in await rig.stored_text()
        [again] = resident.text("UPDATES")
        assert "already" in again

        [stopped] = resident.text("Stop   Updates")
        assert stopped == "You will not get the monthly text about CV1 any more."
        assert await rig.subscriptions.get(key) is None
        assert not await rig.redis.sismember(rig.keys.updates_district("coventry", "CV1"), key)  # type: ignore[misc]
        # Not the carrier's STOP: the number still gets texts about its case.
        assert not await rig.redis.sismember(rig.keys.sms_opted_out(), key)  # type: ignore[misc]
        [nothing] = resident.text("STOP UPDATES")
        assert "nothing to stop" in nothing
        # Changing their mind while the offer lasts.
        [back] = resident.text("Updates")
        assert "Thank you" in back and await rig.subscriptions.get(key) is not None
    assert all(call["sender"] != key for call in engine.calls), "the dialogue saw a keyword"


async def test_updates_from_a_number_never_offered_is_an_ordinary_message(
    rig: Rig, gateway: str, engine: SlowRasa
) -> None:
    number = a_mobile_number()
    key = rig.key("sms", number)
    with httpx.Client(base_url=gateway, timeout=30) as http:
        assert SmsResident(http, number=number).text("UPDATES") == [ENGINE_REPLY]
    assert [c["message"] for c in engine.calls if c["sender"] == key] == ["UPDATES"]
    assert await rig.subscriptions.get(key) is None


async def test_the_email_link_subscribes_only_when_its_button_is_pressed(
    rig: Rig, smtp: SmtpServer, gateway: str
) -> None:
    address = "pressed@example.org"
    path = await emailed_link(rig, smtp, address)
    key = rig.key("email", address)
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as http:
        for _ in range(2):  # a mail scanner, then the resident, open the link
            page = await http.get(path)
            assert page.status_code == 200
            assert page.headers["cache-control"] == "no-store"
            assert '<form method="post">' in page.text and "CV1" in page.text
            assert address not in page.text
        assert await rig.subscriptions.get(key) is None
        done = await http.post(path)
        assert done.status_code == 200 and "You will get the monthly email" in done.text
        subscriber = await rig.subscriptions.get(key)
        assert subscriber is not None and subscriber.channel == "email"
        assert (subscriber.contact, subscriber.district) == (address, "CV1")
        assert address not in await rig.stored_text()
        again = await http.post(path)
        assert again.status_code == 200 and "already" in again.text


async def test_tampered_expired_or_misused_links_are_refused_and_change_nothing(
    rig: Rig, smtp: SmtpServer, gateway: str
) -> None:
    address = "tampered@example.org"
    path = await emailed_link(rig, smtp, address)
    key = rig.key("email", address)
    token = path.rsplit("/", 1)[1]
    flipped = token[:-1] + ("0" if token[-1] != "0" else "1")
    month_ago = datetime.now(UTC) - timedelta(days=31)
    stale = rig.links.subscribe_url(key, "coventry", "CV1", now=month_ago)
    forged = UpdateLinks(b"another-secret", PUBLIC_BASE_URL).subscribe_url(key, "coventry", "CV1")
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as http:
        for bad, status in (
            (f"/updates/subscribe/{flipped}", 404),
            (f"/updates/subscribe/{token.replace('.CV1.', '.CV2.')}", 404),
            (forged.removeprefix(PUBLIC_BASE_URL), 404),
            (f"/updates/unsubscribe/{token}", 404),  # a sign-up token cannot stop one
            ("/updates/subscribe/not-a-token", 404),
            (stale.removeprefix(PUBLIC_BASE_URL), 410),
        ):
            for method in ("GET", "POST"):
                page = await http.request(method, bad)
                assert page.status_code == status, (method, bad, page.text)
                assert "<form" not in page.text
        assert await rig.subscriptions.get(key) is None
        # Subscribed: an old or altered link to stop leaves the subscription alone.
        assert (await http.post(path)).status_code == 200
        year_ago = datetime.now(UTC) - timedelta(days=366)
        old_stop = rig.links.unsubscribe_url(key, now=year_ago).removeprefix(PUBLIC_BASE_URL)
        assert (await http.post(old_stop)).status_code == 410
        stop = rig.links.unsubscribe_url(key).removeprefix(PUBLIC_BASE_URL)
        assert (await http.post(stop[:-1] + ("0" if stop[-1] != "0" else "1"))).status_code == 404
        assert await rig.subscriptions.get(key) is not None


async def test_the_unsubscribe_link_stops_the_email_in_one_click(
    rig: Rig, smtp: SmtpServer, gateway: str
) -> None:
    address = "oneclick@example.org"
    path = await emailed_link(rig, smtp, address)
    key = rig.key("email", address)
    stop = rig.links.unsubscribe_url(key).removeprefix(PUBLIC_BASE_URL)
    async with httpx.AsyncClient(base_url=gateway, timeout=10) as http:
        await http.post(path)
        page = await http.get(stop)
        assert page.status_code == 200 and '<form method="post">' in page.text
        assert "CV1" in page.text and await rig.subscriptions.get(key) is not None
        # RFC 8058: the mail client POSTs this body to the List-Unsubscribe address.
        done = await http.post(stop, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "any more" in done.text
        assert await rig.subscriptions.get(key) is None
        assert not await rig.redis.sismember(rig.keys.updates_district("coventry", "CV1"), key)  # type: ignore[misc]
        again = await http.get(stop)
        assert again.status_code == 200 and "nothing to stop" in again.text


async def test_erasure_removes_the_residents_update_and_its_offer(
    rig: Rig, smtp: SmtpServer
) -> None:
    address, number = "erased@example.org", a_mobile_number()
    by_email = await rig.new_case(ContactDetails(method="email", name="Ed", email=address))
    by_text = await rig.new_case(ContactDetails(method="sms", name="Tex", phone=number))
    await rig.acks.attempt(by_email.reference)
    await rig.notifier.send(by_text, "update-1", "Update", ["The council is dealing with it."])
    email_key, sms_key = rig.key("email", address), rig.key("sms", number)
    for key in (email_key, sms_key):
        assert await rig.subscriptions.take_offer(key) is not None
    district = rig.keys.updates_district("coventry", "CV1")
    eraser = Eraser(rig.redis, rig.keys, rig.cases, SECRET.encode(), rig.data_dir)

    await eraser.by_reference(by_email.reference, "test")
    assert await rig.subscriptions.get(email_key) is None
    assert await rig.subscriptions.offered(email_key) is None
    assert not await rig.redis.sismember(district, email_key)  # type: ignore[misc]
    assert await rig.subscriptions.get(sms_key) is not None  # another resident's stays

    await eraser.by_phone(number, "test")
    assert await rig.subscriptions.get(sms_key) is None
    assert await rig.subscriptions.offered(sms_key) is None
    assert not await rig.redis.sismember(district, sms_key)  # type: ignore[misc]


async def test_key_rotation_keeps_subscribers_readable_under_the_new_key_alone(rig: Rig) -> None:
    number = a_mobile_number()
    key = await rig.subscriptions.offer("sms", number, "coventry", "CV1")
    assert key is not None and await rig.subscriptions.take_offer(key) is not None
    newest = new_key()
    rotating = Cipher([newest, *os.environ["ASB_ENCRYPTION_KEYS"].split(",")])
    assert await rotate_contacts(rig.redis, rig.keys, rotating) >= 2  # the record and its offer
    # The old key retired: the newest alone reads them.
    alone = Subscriptions(rig.redis, rig.keys, Cipher([newest]), SECRET.encode())
    subscriber, offer = await alone.get(key), await alone.offered(key)
    assert subscriber is not None and subscriber.contact == number
    assert offer is not None and offer.contact == number
    with pytest.raises(InvalidToken):  # and no other key does
        await Subscriptions(rig.redis, rig.keys, Cipher([new_key()]), SECRET.encode()).get(key)
