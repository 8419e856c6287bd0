"""TwiML of the survey call after closure, in British English, keypad only. Pure
functions: no I/O.

Each question is one `<Gather input="dtmf" numDigits="1">`, star skips it, and a
`<Redirect>` after it comes back to the same URL with no digits when nothing was pressed,
so the call is never left in silence. In every URL `t` is the survey token
(bot/partners/survey.py) naming the case, `tries` how many times the question has been
asked, and `via=in` marks a call the resident made, which goes on to the line's menu
afterwards instead of ending.
"""

from __future__ import annotations

from urllib.parse import urlencode

from twilio.twiml.voice_response import Gather, VoiceResponse

from bot.cases.model import Case
from bot.cases.reference import spoken
from bot.partners.survey import PERCEPTION_ANSWERS, PERCEPTION_QUESTION
from bot.partnerships import Partnership
from telephony.voice_flow import DANGER, LANGUAGE, VOICE, voice_text

GATHER_TIMEOUT = 8  # seconds to find the keypad after the question
SKIP = "*"
BASE = "/twilio/voice/survey"


def url(step: str, token: str, inbound: bool, tries: int = 1) -> str:
    """`step`: "" (the start), "score", "perception" or "offer"."""
    query: dict[str, str | int] = {"t": token}
    if inbound:
        query["via"] = "in"
    if tries > 1:
        query["tries"] = tries
    return f"{BASE}/{step}".rstrip("/") + "?" + urlencode(query)


def _say(node: VoiceResponse | Gather, text: str) -> None:
    node.say(text, voice=VOICE, language=LANGUAGE)


def _ask(response: VoiceResponse, action: str, no_input: str, words: str) -> None:
    gather: Gather = response.gather(
        input="dtmf", num_digits=1, action=action, method="POST", timeout=GATHER_TIMEOUT,
        language=LANGUAGE, action_on_empty_result=False,
    )  # fmt: skip
    _say(gather, words)
    response.redirect(no_input, method="POST")


def _score_words() -> str:
    return (
        "How happy are you with how your report was handled? Press a number from 1, for "
        "very unhappy, to 5, for very happy. To skip this question, press star."
    )


def _perception_words() -> str:
    choices = ", ".join(
        f"{n} for {words.lower()}" for n, words in enumerate(PERCEPTION_ANSWERS.values(), 1)
    )
    return f"{PERCEPTION_QUESTION} Press {choices}. To skip this question, press star."


def start(case: Case, partnership: Partnership, token: str, *, inbound: bool) -> str:
    """The outcome, then the score question."""
    response = VoiceResponse()
    ref = spoken(case.reference)
    if inbound:
        opening = f"Your report {ref} is closed."
    else:
        opening = (
            f"Hello, this is the {partnership.name} anti-social behaviour team, about your "
            f"report {ref}. It is now closed."
        )
    if case.outcome:
        opening += f" The outcome: {voice_text(case.outcome)}"
    _say(response, opening)
    _score(response, token, inbound, 1)
    return str(response)


def score_question(token: str, *, inbound: bool, tries: int, opening: str) -> str:
    response = VoiceResponse()
    _say(response, opening)
    _score(response, token, inbound, tries)
    return str(response)


def _score(response: VoiceResponse, token: str, inbound: bool, tries: int) -> None:
    action = url("score", token, inbound, tries)
    _ask(response, action, action, _score_words())


def perception_question(token: str, *, inbound: bool, tries: int, opening: str = "") -> str:
    response = VoiceResponse()
    if opening:
        _say(response, opening)
    action = url("perception", token, inbound, tries)
    _ask(response, action, action, _perception_words())
    return str(response)


def finish(*, inbound: bool, opening: str = "Thank you for your answers.") -> str:
    """The end of the questions: goodbye, or the line's menu for a resident who rang."""
    response = VoiceResponse()
    if inbound:
        _say(response, opening)
        response.redirect(f"{BASE}/offer", method="POST")  # no token: the menu
    else:
        _say(response, f"{opening} {DANGER} Goodbye.")
        response.hangup()
    return str(response)


def offer(partnership: Partnership, reference: str, token: str) -> str:
    """A resident whose survey is pending rings the line: offered first, the menu after."""
    response = VoiceResponse()
    _say(response, f"Hello, this is the {partnership.name} anti-social behaviour line. {DANGER}")
    _ask(
        response,
        url("offer", token, inbound=True),
        f"{BASE}/offer",
        f"Your report {spoken(reference)} is closed, and we would like your feedback. To give "
        "your feedback now, press 1. For the menu, press 2.",
    )
    return str(response)


def cannot_survey(*, inbound: bool) -> str:
    """The token no longer names a case that can be asked about (erased, answered)."""
    return finish(inbound=inbound, opening="Thank you, we have nothing to ask you now.")
