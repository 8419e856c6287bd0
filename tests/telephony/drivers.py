"""A resident texting the line, and a caller phoning it, driven through signed Twilio
webhooks against the gateway; each answers whatever the bot asks."""

from __future__ import annotations

import random
import re
import secrets
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field

import httpx

from tests.e2e.chat_driver import SAFE_ANSWERS, Answers, next_answer, question_in
from tests.telephony.signing import ACCOUNT_SID, LINE_NUMBER, post_signed


def a_mobile_number() -> str:
    """A fresh valid UK mobile number, so every test has its own conversation."""
    return f"+447400{random.randrange(100000, 999999)}"


def distinct_mobile_numbers(count: int) -> list[str]:
    """`count` numbers, no two alike: drawn one by one, 200 of them share one about one
    time in fifty, and the two residents' acknowledgements then go to one number."""
    return [f"+447400{n}" for n in random.sample(range(100000, 1000000), count)]


def message_sid() -> str:
    return "SM" + secrets.token_hex(16)


def call_sid() -> str:
    return "CA" + secrets.token_hex(16)


def twiml(response: httpx.Response) -> ET.Element:
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/xml"), response.headers
    return ET.fromstring(response.text)


def sms_texts(response: httpx.Response) -> list[str]:
    root = twiml(response)
    assert root.tag == "Response"
    return ["".join(m.itertext()) for m in root.iter("Message")]


def question_of(texts: list[str]) -> str | None:
    """The question the bot's reply ends with, ignoring the "Reply 1 for ..." line."""
    for text in reversed(texts):
        lines = [line for line in text.splitlines() if not line.startswith("Reply ")]
        key = question_in("\n".join(lines))
        if key:
            return key
    return None


@dataclass
class SmsResident:
    http: httpx.Client
    number: str = field(default_factory=a_mobile_number)
    transcript: list[tuple[str, str]] = field(default_factory=list)

    def params(self, body: str, sid: str | None = None, **extra: str) -> dict[str, str]:
        return {
            "MessageSid": sid or message_sid(), "SmsSid": sid or message_sid(),
            "AccountSid": ACCOUNT_SID, "From": self.number, "To": LINE_NUMBER,
            "Body": body, "NumMedia": "0", "NumSegments": "1", "ApiVersion": "2010-04-01",
            **extra,
        }  # fmt: skip

    def text(self, body: str, sid: str | None = None, **extra: str) -> list[str]:
        params = self.params(body, sid, **extra)
        params["SmsSid"] = params["MessageSid"]
        texts = sms_texts(post_signed(self.http, "/twilio/sms", params))
        self.transcript.append(("resident", body))
        self.transcript.extend(("bot", t) for t in texts)
        return texts

    def not_in_danger(self, texts: list[str]) -> list[str]:
        """Answer "no" if the bot asked the danger question (asked when the safety model is
        unsure); the bot's next texts either way."""
        if question_of(texts) == "danger_question":
            return self.text(SAFE_ANSWERS["danger_question"])
        return texts

    def question(self, texts: list[str]) -> str | None:
        return question_of(texts)

    def complete(self, answers: Answers, opening: str, max_turns: int = 40) -> list[str]:
        texts = self.text(opening)
        for _ in range(max_turns):
            key = self.question(texts)
            if key is None:
                return texts
            answer = next_answer(answers, key)
            assert answer is not None, f"unexpected question {key}:\n{self.dump()}"
            texts = self.text(answer)
        raise AssertionError(f"the report never finished:\n{self.dump()}")

    def dump(self) -> str:
        return "\n".join(f"{who}: {text}" for who, text in self.transcript)


@dataclass
class Caller:
    http: httpx.Client
    number: str = field(default_factory=a_mobile_number)
    sid: str = field(default_factory=call_sid)
    transcript: list[tuple[str, str]] = field(default_factory=list)
    sent: list[tuple[str, dict[str, str]]] = field(default_factory=list)

    def params(self, **extra: str) -> dict[str, str]:
        return {
            "CallSid": self.sid, "AccountSid": ACCOUNT_SID, "From": self.number,
            "To": LINE_NUMBER, "CallStatus": "in-progress", "Direction": "inbound",
            "ApiVersion": "2010-04-01", **extra,
        }  # fmt: skip

    def post(self, path: str, **extra: str) -> ET.Element:
        self.sent.append((path, self.params(**extra)))
        root = twiml(post_signed(self.http, path, self.params(**extra)))
        self.transcript.append(("caller", f"{path} {extra}"))
        self.transcript.append(("bot", " | ".join(said(root))))
        return root

    def replay(self, index: int) -> ET.Element:
        """Send one of the call's earlier requests again, byte for byte (same signature)."""
        path, params = self.sent[index]
        return twiml(post_signed(self.http, path, params))

    def follow(self, root: ET.Element, **heard: str) -> ET.Element:
        """Answer the Gather in `root` (speech or digits), or follow its Redirect."""
        gather = root.find("Gather")
        if gather is not None and heard:
            return self.post(gather.attrib["action"], **heard)
        redirect = root.find("Redirect")
        assert redirect is not None, ET.tostring(root).decode()
        return self.post(redirect.text or "", **heard)

    def dump(self) -> str:
        return "\n".join(f"{who}: {text}" for who, text in self.transcript)


def said(root: ET.Element) -> list[str]:
    """Everything the caller hears, in order."""
    return [" ".join("".join(s.itertext()).split()) for s in root.iter("Say")]


def asked(root: ET.Element) -> str | None:
    """The question a spoken reply ends with (the last sentence with a question mark)."""
    for text in reversed(said(root)):
        questions = [s for s in re.split(r"(?<=[.?!])\s+", text) if s.endswith("?")]
        for question in reversed(questions):
            key = question_in(question)
            if key:
                return key
    return None


def reference_said(root: ET.Element) -> str | None:
    """The case reference a call reads out slowly ("A, S, B. 2, 0, 2, 6. ..."), as written."""
    slow = next((s for s in said(root) if s.startswith("A, S, B.")), None)
    if slow is None:
        return None
    reference = "ASB-" + "".join(slow.split(".")[1:]).replace(",", "").replace(" ", "")
    return reference[:8] + "-" + reference[8:]


def settle(caller: Caller, root: ET.Element, max_holds: int = 6) -> ET.Element:
    """Follow holding redirects until the call has something to say."""
    for _ in range(max_holds):
        redirect = root.find("Redirect")
        if root.find("Gather") is not None or redirect is None:
            return root
        if "/twilio/voice/result" not in (redirect.text or ""):
            return root
        root = caller.post(redirect.text or "")
    return root
