"""What the survey tests share: closed cases written with the suite's encryption key, and
a gateway process of their own on the tests' Valkey. The survey needs no dialogue
engine, so the gateway's points at a port where nothing listens."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

from bot.cases.model import Case, CasePersonal, ContactDetails, ReportAnswers
from bot.cases.reference import new_reference
from bot.cases.store import CaseStore
from bot.platform.messages import Channel
from bot.platform.settings import PROJECT_ROOT
from bot.privacy.crypto import Cipher
from tests.conftest import free_port
from tests.gateway_process import gateway_process
from tests.telephony.signing import telephony_env

SECRET = "survey-test-secret"
OUTCOME = "A noise abatement notice was served on the flat above."


def suite_cipher() -> Cipher:
    """The key every process of the test run shares (tests/conftest.py)."""
    return Cipher.from_text(os.environ["ASB_ENCRYPTION_KEYS"])


async def closed_case(
    cases: CaseStore,
    contact: ContactDetails,
    *,
    channel: Channel = "chat",
    partnership: str = "coventry",
) -> Case:
    """A case its lead agency has closed with an outcome, not yet surveyed."""
    now = datetime.now(UTC)
    case = Case(
        reference=new_reference(), created_at=now, channel=channel, partnership=partnership,
        contact_key="phone-x", contact_method=contact.method, anonymous=False,
        consent_to_share=True, happening_now=False, postcode_district="CV1",
        lead_agency="council_asb", routed_to=["council_asb"], status="closed", closed_at=now,
        outcome=OUTCOME,
    )  # fmt: skip
    personal = CasePersonal(
        answers=ReportAnswers(
            incident_description="loud music every night", incident_time="last night",
            incident_location="12 High Street CV1 5FB",
        ),
        contact=contact, postcode="CV1 5FB",
    )  # fmt: skip
    await cases.save_new(case, personal)
    return case


@contextmanager
def survey_gateway(valkey_url: str, twilio_url: str, prefix: str, data_dir: Path) -> Iterator[str]:
    """A gateway (`uvicorn bot.app:create_app`) with Twilio's test settings; its address."""
    env = {
        **os.environ,
        **telephony_env(twilio_url),
        "REDIS_URL": valkey_url,
        "RASA_URL": f"http://127.0.0.1:{free_port()}",
        "ASB_DATA_DIR": str(data_dir),
        "ASB_KEY_PREFIX": prefix,
        "ASB_PSEUDONYM_KEY": SECRET,
    }
    log = PROJECT_ROOT / "test-artifacts" / f"{prefix}-gateway.log"
    with gateway_process(env, log) as url:
        yield url
