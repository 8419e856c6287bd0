"""Requests signed exactly as Twilio signs them: HMAC-SHA1 of the full public URL
(query string included) followed by each POST parameter name and value, sorted by name,
keyed with the auth token, base64-encoded in X-Twilio-Signature."""

from __future__ import annotations

from collections.abc import Mapping

import httpx
from twilio.request_validator import RequestValidator

AUTH_TOKEN = "test-auth-token-0123456789abcdef"
ACCOUNT_SID = "AC" + "0123456789abcdef" * 2
LINE_NUMBER = "+447700900000"
PUBLIC_BASE_URL = "https://asb.example.org"


def signature(path: str, params: Mapping[str, str], token: str = AUTH_TOKEN) -> str:
    return RequestValidator(token).compute_signature(PUBLIC_BASE_URL + path, dict(params))


def post_signed(
    http: httpx.Client, path: str, params: Mapping[str, str], token: str = AUTH_TOKEN
) -> httpx.Response:
    """POST `params` form-encoded to `path` with Twilio's signature over the public URL."""
    return http.post(
        path, data=dict(params), headers={"X-Twilio-Signature": signature(path, params, token)}
    )


def telephony_env(fake_twilio_url: str) -> dict[str, str]:
    """The gateway's Twilio settings in tests."""
    return {
        "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
        "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
        "TWILIO_PHONE_NUMBER": LINE_NUMBER,
        "PUBLIC_BASE_URL": PUBLIC_BASE_URL,
        "TWILIO_API_BASE": fake_twilio_url,
    }
