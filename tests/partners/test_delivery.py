"""Signed delivery to real HTTP receivers: signatures verified with `standardwebhooks`,
`data` validated against the schema, and the failure answers partners give (500, a hang
past the timeout, 429 with Retry-After, 410 Gone), retries, dead letters and replay."""

from __future__ import annotations

import pytest

from bot.cases.store import CaseStore
from bot.partners.address import AddressRefused, check_url
from bot.partners.payload import CASE_CREATED
from bot.privacy.cli import rotate
from bot.privacy.crypto import Cipher, new_key
from tests.partners.conftest import DeliveryRig
from tests.partners.receivers import Answer, new_secret


async def test_case_created_reaches_each_routed_agency_signed_and_valid(rig: DeliveryRig) -> None:
    partners = rig.delivery()
    case = await rig.new_case(subtype="noise")
    ids = await partners.publish_case(case, CASE_CREATED, f"{case.reference}:created")
    assert len(ids) == 2
    await rig.run_jobs(partners)
    for agency in ("environmental_health", "council_asb"):
        [got] = rig.receivers.wait_for(agency, case.reference)
        assert got.verified and got.schema_errors == []
        event = got.event
        assert event is not None
        assert event["specversion"] == "1.0" and event["type"] == "case.created"
        assert event["dataschema"] == "https://asb-intake.example/schemas/case.v1.json".replace(
            "asb-intake.example", "asb.example"
        )
        assert {"id", "source", "time", "datacontenttype"} <= set(event)
        assert got.headers["webhook-id"].startswith("msg_")
        assert got.headers["content-type"].startswith("application/cloudevents+json")
    env = rig.receivers.for_agency("environmental_health", case.reference)[0].data
    assert "contact" not in env and env["incident_description"] == "loud music every night"
    council = rig.receivers.for_agency("council_asb", case.reference)[0].data
    assert council["contact"]["phone"] == "+447700900123"
    log = await partners.log_for(case.reference)
    assert sorted(e["agency"] for e in log) == ["council_asb", "environmental_health"]
    assert {e["outcome"] for e in log} == {"delivered"}
    # Publishing the same event again creates nothing new.
    assert await partners.publish_case(case, CASE_CREATED, f"{case.reference}:created") == ids
    await rig.run_jobs(partners)
    assert len(rig.receivers.for_agency("council_asb", case.reference)) == 1


async def test_photos_go_to_agencies_whose_agreement_shares_them(rig: DeliveryRig) -> None:
    partners = rig.delivery()
    photo = "https://api.twilio.com/2010-04-01/Accounts/AC1/Messages/MM1/Media/ME1"
    case = await rig.new_case(subtype="noise", media=[photo])
    await partners.publish_case(case, CASE_CREATED, f"{case.reference}:created")
    await rig.run_jobs(partners)
    [council] = rig.receivers.wait_for("council_asb", case.reference)  # shares all
    assert council.schema_errors == [] and council.data["media"] == [photo]
    [env] = rig.receivers.wait_for("environmental_health", case.reference)  # a field list
    assert "media" not in env.data


async def test_the_police_see_why_the_safety_flags_were_raised(rig: DeliveryRig) -> None:
    """Evidence is the resident's words: the police get it for a hate incident; an agency
    whose agreement lists its fields does not."""
    partners = rig.delivery()
    evidence = [
        {"flag": "hate_crime", "cue": "model", "words": "p*ki"},
        {"flag": "emergency", "cue": "answer", "words": "yes to 'is anyone in danger'"},
    ]
    case = await rig.new_case(
        subtype="harassment", category="personal", hate=True, evidence=evidence,
        danger_question="yes",
    )  # fmt: skip
    await partners.publish_case(case, CASE_CREATED, f"{case.reference}:created")
    await rig.run_jobs(partners)
    [police] = rig.receivers.wait_for("police", case.reference)
    assert police.schema_errors == []
    assert police.data["evidence"] == [
        "hate_crime: p*ki",
        "emergency: yes to 'is anyone in danger'",
    ]
    assert police.data["danger_question"] == "yes" and police.data["danger_unconfirmed"] is False


async def test_rotation_signs_with_every_secret(rig: DeliveryRig) -> None:
    old = new_secret()
    rig.receivers.secrets["council_asb"] = [rig.receivers.secrets["council_asb"][0], old]
    partners = rig.delivery()
    case = await rig.new_case(subtype="graffiti", category="environmental")
    await partners.publish_case(case, CASE_CREATED, "rot", agencies=["council_asb"])
    await rig.run_jobs(partners)
    [got] = rig.receivers.wait_for("council_asb", case.reference)
    assert got.verified
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    rig.receivers.secrets["council_asb"] = rig.receivers.secrets["council_asb"][:1]


async def test_500_then_timeout_then_ok_keeps_the_same_webhook_id(rig: DeliveryRig) -> None:
    partners = rig.delivery(schedule=[0, 0.1, 0.1, 0.1], timeout=0.5)
    rig.receivers.script("council_asb", Answer(500), Answer(204, hold_seconds=1.5))
    case = await rig.new_case()
    [wid] = await partners.publish_case(case, CASE_CREATED, "e1", agencies=["council_asb"])
    await rig.run_jobs(partners)
    got = rig.receivers.wait_for("council_asb", case.reference, count=3, timeout=10)
    assert {r.webhook_id for r in got} == {wid}
    assert all(r.verified and not r.schema_errors for r in got)
    assert len({r.body for r in got}) == 1  # the same bytes every time
    log = await partners.log_for(case.reference)
    assert [(e["attempt"], e["outcome"], e["status"], e["error"]) for e in log] == [
        ("1", "failed", "500", ""), ("2", "failed", "", "timeout"), ("3", "delivered", "204", ""),
    ]  # fmt: skip
    assert (await partners.get(wid))["state"] == "delivered"


async def test_bodies_are_encrypted_at_rest_and_sent_the_same_after_key_rotation(
    rig: DeliveryRig,
) -> None:
    partners = rig.delivery(schedule=[0, 0.1, 0.1])
    rig.receivers.script("council_asb", Answer(500))
    case = await rig.new_case()
    [wid] = await partners.publish_case(case, CASE_CREATED, "enc", agencies=["council_asb"])
    stored = await rig.redis.hget(rig.keys.delivery(wid), "body")
    assert stored is not None and Cipher.is_token(stored)
    # As the JSON body would hold them (quoted): a random token may hold "Sam" by chance.
    for detail in (b"+447700900123", b"loud music", b"High Street", b"CV1 5FB", b'"Sam"'):
        assert detail not in stored, detail
    # A new key comes first and `keys rotate` re-encrypts the body with it; the old key
    # is then dropped, and the retry still sends the very bytes of the first attempt.
    newer = new_key()
    both = Cipher([newer, *rig.encryption_keys])
    assert await rotate(rig.redis, rig.keys, CaseStore(rig.redis, rig.keys, cipher=both), both)
    rotated = await rig.redis.hget(rig.keys.delivery(wid), "body")
    assert Cipher([newer]).decrypt(rotated) == rig.cipher.decrypt(stored)
    rig.encryption_keys = [newer]
    partners = rig.delivery(schedule=[0, 0.1, 0.1])
    assert (await partners.attempt(wid, 0, 1)).outcome == "retrying"
    await rig.run_jobs(partners)
    got = rig.receivers.wait_for("council_asb", case.reference, count=2, timeout=10)
    assert [r.status for r in got] == [500, 204]
    assert {r.webhook_id for r in got} == {wid} and len({r.body for r in got}) == 1
    assert all(r.verified for r in got)


async def test_retry_after_is_honoured_on_429(rig: DeliveryRig) -> None:
    partners = rig.delivery(schedule=[0, 0.05])
    rig.receivers.script("council_asb", Answer(429, headers={"Retry-After": "2"}))
    case = await rig.new_case()
    await partners.publish_case(case, CASE_CREATED, "e429", agencies=["council_asb"])
    await rig.run_jobs(partners)
    first, second = rig.receivers.wait_for("council_asb", case.reference, count=2, timeout=10)
    assert first.status == 429 and second.status == 204
    assert second.at - first.at >= 1.9
    assert first.webhook_id == second.webhook_id


async def test_410_disables_the_endpoint_alerts_and_replay_sends_again(rig: DeliveryRig) -> None:
    partners = rig.delivery()
    rig.receivers.script("council_asb", Answer(410))
    case = await rig.new_case()
    [wid] = await partners.publish_case(case, CASE_CREATED, "e410", agencies=["council_asb"])
    await rig.run_jobs(partners)
    assert len(rig.receivers.for_agency("council_asb", case.reference)) == 1  # not retried
    d = await partners.get(wid)
    assert d["state"] == "dead" and d["dead_reason"] == "endpoint_gone"
    assert await rig.redis.hexists(rig.keys.disabled_endpoints(), "council_asb")
    alerts = await rig.redis.xrange(rig.keys.operator_alerts())
    assert any(f[b"problem"] == b"partner_endpoint_gone" for _, f in alerts)
    # Nothing more is sent to a disabled endpoint: it is kept as a dead letter.
    [later] = await partners.publish_case(case, CASE_CREATED, "e410b", agencies=["council_asb"])
    await rig.run_jobs(partners)
    assert (await partners.get(later))["dead_reason"] == "endpoint_disabled"
    assert set(await partners.dead_letters()) == {wid, later}
    # An operator re-enables it and replays the dead letters.
    assert await partners.enable("council_asb")
    assert await partners.replay(wid) and await partners.replay(later)
    await rig.run_jobs(partners)
    got = rig.receivers.wait_for("council_asb", case.reference, count=3)
    assert [r.webhook_id for r in got].count(wid) == 2
    assert (await partners.get(wid))["state"] == "delivered"
    assert await partners.dead_letters() == []


async def test_after_the_last_attempt_a_dead_letter_and_an_alert(rig: DeliveryRig) -> None:
    partners = rig.delivery(schedule=[0, 0.05, 0.05])
    rig.receivers.script("council_asb", *[Answer(500)] * 3)
    case = await rig.new_case()
    [wid] = await partners.publish_case(case, CASE_CREATED, "dead", agencies=["council_asb"])
    await rig.run_jobs(partners)
    assert len(rig.receivers.for_agency("council_asb", case.reference)) == 3
    d = await partners.get(wid)
    assert d["state"] == "dead" and d["dead_reason"].startswith("gave up")
    alerts = await rig.redis.xrange(rig.keys.operator_alerts())
    assert any(f[b"problem"] == b"partner_delivery_dead" for _, f in alerts)
    assert await partners.replay(wid)
    await rig.run_jobs(partners)
    assert (await partners.get(wid))["state"] == "delivered"


async def test_private_addresses_are_refused_unless_allowed(rig: DeliveryRig) -> None:
    partners = rig.delivery(allow_private_addresses=False)
    case = await rig.new_case()
    [wid] = await partners.publish_case(case, CASE_CREATED, "ssrf", agencies=["council_asb"])
    await rig.run_jobs(partners)
    assert rig.receivers.for_agency("council_asb", case.reference) == []
    assert (await partners.get(wid))["dead_reason"].startswith("address_refused")
    for url in ("https://127.0.0.1/x", "https://localhost/x", "https://10.1.2.3/",
                "https://[::1]/", "https://169.254.169.254/", "http://93.184.215.14/"):  # fmt: skip
        with pytest.raises(AddressRefused):
            await check_url(url, allow_private=False)
    await check_url("http://127.0.0.1:9/x", allow_private=True)


async def test_an_agency_without_an_endpoint_is_a_dead_letter_with_an_alert(
    rig: DeliveryRig,
) -> None:
    partners = rig.delivery()
    object.__setattr__(partners, "config", partners.config.model_copy(update={"endpoints": {}}))
    case = await rig.new_case()
    [wid] = await partners.publish_case(case, CASE_CREATED, "none", agencies=["council_asb"])
    await rig.run_jobs(partners)
    assert (await partners.get(wid))["dead_reason"] == "no_endpoint"
