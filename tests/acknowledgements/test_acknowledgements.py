"""The written acknowledgement against a real SMTP server, the local Twilio REST server
and the print queue, on a real Valkey: content, channel choice, once only, retries up to
the 24-hour deadline, undeliverable alerts, anonymous reports."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from bot.acknowledgements.channels import EmailSender
from bot.acknowledgements.content import SMS_LIMIT
from bot.cases.model import ContactDetails
from bot.cases.sla import local_datetime_text
from telephony.sms_format import gsm_length, is_gsm
from tests.acknowledgements.conftest import AckRig
from tests.acknowledgements.smtp import SmtpServer
from tests.conftest import free_port
from tests.telephony.drivers import a_mobile_number
from tests.telephony.fake_twilio import FakeTwilio


async def test_email_has_plain_and_html_with_reference_dates_lead_complaints_999(
    rig: AckRig, smtp: SmtpServer
) -> None:
    case = await rig.new_case(ContactDetails(method="email", name="Sam", email="sam@example.org"))
    result = await rig.acks.attempt(case.reference)
    assert result.state == "sent"
    [message] = smtp.to("sam@example.org")
    assert message["Message-ID"] == f"<acknowledgement.{case.reference}@coventry.example>"
    plain = message.get_body(preferencelist=("plain",)).get_content()  # type: ignore[union-attr]
    html = message.get_body(preferencelist=("html",)).get_content()  # type: ignore[union-attr]
    contact = case.deadline("first_contact")
    assert contact is not None
    for text in (plain, html):
        assert case.reference in text
        assert local_datetime_text(contact.due) in text
        assert "Coventry City Council anti-social behaviour team" in text
        assert "024 7683 1999" in text
        assert "Councillor Call for Action" in text and "ASB Case Review" in text
        assert "999" in text
    assert "Dear Sam," in plain
    # Recorded: the case is marked and its acknowledgement clock met.
    stored = await rig.cases.get(case.reference)
    assert stored is not None and stored.acknowledgement == "sent"
    ack = stored.deadline("acknowledgement")
    assert ack is not None and ack.met_at is not None
    assert [e.type for e in await rig.events.for_case(case.reference)] == ["case.acknowledged"]
    # Never twice: another attempt (a retried job, a second worker) sends nothing.
    assert (await rig.acks.attempt(case.reference)).state == "sent"
    assert len(smtp.to("sam@example.org")) == 1


async def test_sms_fits_two_segments_with_reference_and_date(
    rig: AckRig, twilio_api: FakeTwilio
) -> None:
    number = a_mobile_number()
    for pid in ("coventry", "cherwell", "northamptonshire", "bolsover", "chesterfield"):
        case = await rig.new_case(
            ContactDetails(method="sms", name="Sam", phone=number), partnership=pid
        )
        assert (await rig.acks.attempt(case.reference)).state == "sent"
        body = twilio_api.sent_to(number)[-1].form["Body"]
        assert is_gsm(body) and gsm_length(body) <= SMS_LIMIT, body
        assert case.reference in body and "999" in body
        due = case.deadline("first_contact")
        assert due is not None and f"{due.due.astimezone(UTC).day}" in body
    assert len(twilio_api.sent_to(number)) == 5


async def test_phone_chosen_mobile_gets_sms_landline_is_a_callback(
    rig: AckRig, twilio_api: FakeTwilio
) -> None:
    mobile = a_mobile_number()
    case = await rig.new_case(ContactDetails(method="phone", name="Al", phone=mobile))
    assert (await rig.acks.attempt(case.reference)).state == "sent"
    assert len(twilio_api.sent_to(mobile)) == 1
    landline = await rig.new_case(ContactDetails(method="phone", name="Al", phone="+442476831234"))
    assert (await rig.acks.attempt(landline.reference)).state == "callback_owed"
    assert await rig.redis.zscore(rig.keys.callbacks_owed(), landline.reference) is not None
    stored = await rig.cases.get(landline.reference)
    assert stored is not None and stored.acknowledgement == "callback_owed"
    assert twilio_api.sent_to("+442476831234") == []


async def test_letter_is_a_pdf_in_the_print_queue_with_the_address(rig: AckRig) -> None:
    address = "14 Acacia Avenue, Coventry, CV2 4AB"
    case = await rig.new_case(ContactDetails(method="letter", name="Pat Jones", address=address))
    assert (await rig.acks.attempt(case.reference)).state == "sent"
    pdf = rig.data_dir / "print-queue" / f"{case.reference}-acknowledgement.pdf"
    ticket = json.loads(pdf.with_suffix(".json").read_text())
    assert pdf.read_bytes().startswith(b"%PDF-")
    assert ticket["address"] == address and ticket["name"] == "Pat Jones"
    assert ticket["reference"] == case.reference


async def test_anonymous_reports_get_none_and_it_is_recorded(rig: AckRig) -> None:
    case = await rig.new_case(ContactDetails(method="none"))
    assert (await rig.acks.start(case)).state == "not_required"
    stored = await rig.cases.get(case.reference)
    assert stored is not None and stored.acknowledgement == "not_sent_anonymous"
    events = await rig.events.for_case(case.reference)
    assert [e.type for e in events] == ["case.acknowledgement_not_required"]


async def test_smtp_down_is_retried_with_backoff_then_undeliverable_at_the_deadline(
    rig: AckRig,
) -> None:
    down = EmailSender(f"smtp://127.0.0.1:{free_port()}", "asb@x.example", rig.data_dir, 2)
    rig.acks._email = down
    created = datetime.now(UTC)
    case = await rig.new_case(
        ContactDetails(method="email", name="Sam", email="down@example.org"), created_at=created
    )
    first = await rig.acks.attempt(case.reference, created)
    assert first.state == "failed" and first.retry_at is not None
    second = await rig.acks.attempt(case.reference, first.retry_at)
    assert second.retry_at is not None
    assert second.retry_at - first.retry_at > first.retry_at - created  # backing off
    assert await rig.redis.zscore(rig.keys.notices_due(), case.reference) is not None
    # An attempt so late that the next would pass the 24-hour deadline: give up, loudly.
    late = await rig.acks.attempt(case.reference, created + timedelta(hours=23, minutes=59))
    assert late.state == "undeliverable"
    stored = await rig.cases.get(case.reference)
    assert stored is not None and stored.acknowledgement == "undeliverable"
    alerts = await rig.redis.xrange(rig.keys.operator_alerts())
    assert any(f[b"reference"] == case.reference.encode() for _, f in alerts)
    types = [e.type for e in await rig.events.for_case(case.reference)]
    assert types == ["case.acknowledgement_undeliverable"]


async def test_refused_address_is_undeliverable_at_once(rig: AckRig, smtp: SmtpServer) -> None:
    smtp.refuse = True
    case = await rig.new_case(ContactDetails(method="email", name="Sam", email="no@example.org"))
    assert (await rig.acks.attempt(case.reference)).state == "undeliverable"


async def test_a_claim_left_sending_is_never_sent_again(rig: AckRig, smtp: SmtpServer) -> None:
    case = await rig.new_case(ContactDetails(method="email", name="Sam", email="gone@example.org"))
    key = rig.keys.notice(case.reference, "acknowledgement")
    now = datetime.now(UTC)
    await rig.redis.hset(key, mapping={"state": "sending", "attempts": 1,
                                       "lease_until": (now + timedelta(seconds=60)).timestamp(),
                                       "channel": "email"})  # fmt: skip
    # Within the lease another worker may be sending right now: leave it.
    assert (await rig.acks.attempt(case.reference, now)).state == "sending"
    # After it, that worker is gone: maybe sent, so not sent again; a person checks.
    later = now + timedelta(seconds=61)
    assert (await rig.acks.attempt(case.reference, later)).state == "uncertain"
    assert smtp.to("gone@example.org") == []
    stored = await rig.cases.get(case.reference)
    assert stored is not None and stored.acknowledgement == "uncertain"


async def test_a_send_recorded_but_not_shown_on_the_case_is_finished_not_sent_again(
    rig: AckRig, smtp: SmtpServer
) -> None:
    """A worker killed after the provider took the email and the notice said "sent", but
    before the case showed it: the next attempt (the minute's reconciliation) finishes the
    bookkeeping once, and the resident gets no second email."""
    case = await rig.new_case(ContactDetails(method="email", name="Sam", email="half@example.org"))
    sent_at = datetime.now(UTC) - timedelta(minutes=2)
    notice = {"state": "sent", "attempts": 1, "channel": "email", "sent_at": sent_at.isoformat()}
    await rig.redis.hset(rig.keys.notice(case.reference, "acknowledgement"), mapping=notice)
    await rig.redis.zadd(rig.keys.notices_due(), {case.reference: sent_at.timestamp()})
    assert case.reference in await rig.acks.due(datetime.now(UTC) - timedelta(minutes=1))

    for _ in range(2):  # a second worker's reconciliation changes nothing more
        assert (await rig.acks.attempt(case.reference)).state == "sent"

    stored = await rig.cases.get(case.reference)
    assert stored is not None and stored.acknowledgement == "sent"
    deadline = stored.deadline("acknowledgement")
    assert deadline is not None and deadline.met_at == sent_at
    events = [e.type for e in await rig.events.for_case(case.reference)]
    assert events.count("case.acknowledged") == 1
    assert smtp.to("half@example.org") == []
    assert await rig.acks.due(datetime.now(UTC)) == []


async def test_without_smtp_url_email_goes_to_the_outbox(rig: AckRig) -> None:
    rig.acks._email = EmailSender(None, "asb@x.example", rig.data_dir / "outbox" / "email")
    case = await rig.new_case(ContactDetails(method="email", name="Sam", email="o@example.org"))
    assert (await rig.acks.attempt(case.reference)).state == "outbox"
    eml = rig.data_dir / "outbox" / "email" / f"{case.reference}-acknowledgement.eml"
    assert case.reference in eml.read_text()
    stored = await rig.cases.get(case.reference)
    assert stored is not None and stored.acknowledgement == "outbox"
