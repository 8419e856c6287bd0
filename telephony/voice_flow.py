"""TwiML for the phone line, in British English. Pure functions: no I/O.

Every answer ends in something the caller hears or a next step (a Gather, a Redirect,
a Dial or a Hangup after a goodbye), so a call is never left in silence.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from twilio.twiml.voice_response import Gather, VoiceResponse

from bot.cases.reference import REFERENCE_PATTERN, spoken
from bot.partnerships import Partnership
from bot.platform.messages import BotMessage, Choice

VOICE = "Polly.Amy"
LANGUAGE = "en-GB"
SPEECH_TIMEOUT = 3  # seconds of silence that end an answer (an integer, not "auto")
GATHER_TIMEOUT = 6  # seconds to wait for the caller to start
MAX_FAILURES = 3

MENU_HINTS = (
    "report anti-social behaviour,report,hate incident,hate crime,existing report,my report,"
    "reference,speak to someone,a person,one,two,three,four"
)
DANGER = "If you are in danger, hang up and call 999."
EMERGENCY = (
    "If you or someone else is in danger, hang up now and dial 999. "
    "If you cannot speak, dial 999 and press 5 5 when asked."
)


@dataclass(frozen=True)
class CallUrls:
    """The URLs the TwiML names, relative to the gateway's public origin."""

    menu: str = "/twilio/voice/menu"
    transfer: str = "/twilio/voice/transfer"
    callback: str = "/twilio/voice/callback"
    after_dial: str = "/twilio/voice/after-dial"

    @staticmethod
    def menu_at(step: int) -> str:
        """The menu, naming the step a choice there starts, so a repeated request for it
        finds that step's turn instead of starting another."""
        return f"/twilio/voice/menu?step={step}"

    @staticmethod
    def answer(step: int, no_input: bool = False) -> str:
        return f"/twilio/voice/answer?step={step}" + ("&noinput=1" if no_input else "")

    @staticmethod
    def result(step: int, tries: int) -> str:
        return f"/twilio/voice/result?step={step}&tries={tries}"


URLS = CallUrls()


def _say(node: VoiceResponse | Gather, text: str) -> None:
    node.say(text, voice=VOICE, language=LANGUAGE)


def _gather(
    response: VoiceResponse, action: str, hints: str, *, digits: int | None = None
) -> Gather:
    options: dict[str, object] = {
        "input": "dtmf speech",
        "action": action,
        "method": "POST",
        "language": LANGUAGE,
        "speech_timeout": SPEECH_TIMEOUT,
        "timeout": GATHER_TIMEOUT,
        "hints": hints,
        "action_on_empty_result": False,
    }
    if digits:
        options["num_digits"] = digits
    else:
        options["finish_on_key"] = "#"
    gather: Gather = response.gather(**options)
    return gather


def _menu_words(gather: Gather) -> None:
    _say(
        gather,
        "To report anti-social behaviour, press 1 or say report. "
        "To report a hate incident, press 2 or say hate. "
        "To ask about a report you have already made, press 3 or say existing report. "
        "To speak to someone, press 4 or say person.",
    )


def greeting(partnership: Partnership, step: int = 1) -> str:
    response = VoiceResponse()
    _say(response, f"Hello, this is the {partnership.name} anti-social behaviour line. {DANGER}")
    gather = _gather(response, URLS.menu_at(step), MENU_HINTS, digits=1)
    _menu_words(gather)
    response.redirect(URLS.menu_at(step), method="POST")
    return str(response)


def menu_again(failures: int, partnership: Partnership, step: int = 1) -> str:
    """No answer or not understood at the menu: reprompt once, then keypad or a person,
    then a polite goodbye with the line's number."""
    if failures >= MAX_FAILURES:
        return goodbye(partnership, "Sorry, I couldn't hear a choice.")
    response = VoiceResponse()
    gather = _gather(response, URLS.menu_at(step), MENU_HINTS, digits=1)
    if failures == 1:
        _say(gather, "Sorry, I didn't catch that.")
        _menu_words(gather)
    else:
        _say(
            gather,
            "You can use your keypad. Press 1 to report anti-social behaviour, 2 for a hate "
            "incident, 3 about an existing report, or press 4 to speak to someone.",
        )
    response.redirect(URLS.menu_at(step), method="POST")
    return str(response)


def goodbye(partnership: Partnership, opening: str) -> str:
    line = partnership.main_line()
    response = VoiceResponse()
    _say(
        response,
        f"{opening} Please call again, or ring {line.label} on {_digits_spoken(line.phone)}. "
        f"{DANGER} Goodbye.",
    )
    response.hangup()
    return str(response)


def holding(step: int, tries: int) -> str:
    """Said while a slow turn finishes; Twilio comes back for the result."""
    response = VoiceResponse()
    _say(response, "Thank you. One moment please." if tries == 1 else "Still with you, one moment.")
    response.redirect(URLS.result(step, tries), method="POST")
    return str(response)


def reply(
    messages: Sequence[BotMessage],
    *,
    step: int,
    emergency: bool,
    reference: str | None,
    control_room: str | None,
    sms_sent: bool,
) -> str:
    """The conversation's answer, spoken; then the next question is gathered."""
    response = VoiceResponse()
    if emergency:
        _say(response, EMERGENCY)
        if control_room:
            _say(response, "I am putting you through to the police now.")
            response.dial(control_room)
    spoken_messages = [m for m in messages if not (emergency and m.urgent)]
    if reference:
        # The reference first, while the caller is listening for it; the details that
        # follow it in writing go by text when the caller has a mobile.
        _say(response, "Thank you, your report is saved.")
        read_back_reference(response, reference)
        if sms_sent:
            _say(response, "I'll text you the reference and what happens next.")
        else:
            for message in spoken_messages:
                _say(response, voice_text(without_sentence_of(message.text, reference)))
        _say(response, f"Thank you for calling. {DANGER} Goodbye.")
        response.hangup()
        return str(response)
    choices = next((m.choices for m in reversed(spoken_messages) if m.choices), [])
    hints = ",".join(c.title for c in choices) or "yes,no,skip,why,stop,speak to someone"
    gather = _gather(response, CallUrls.answer(step), hints, digits=1 if choices else None)
    for message in spoken_messages:
        _say(gather, voice_text(message.text))
    if choices:
        _say(gather, keypad_choices(choices))
    response.redirect(CallUrls.answer(step, no_input=True), method="POST")
    return str(response)


def ask_again(
    messages: Sequence[BotMessage], *, step: int, failures: int, partnership: Partnership
) -> str:
    """No answer to a question: ask it again once, then offer the keypad or a person."""
    if failures >= MAX_FAILURES:
        return goodbye(partnership, "Sorry, I couldn't hear an answer.")
    question = [m for m in messages if not m.urgent][-1:] or [BotMessage("Please tell me more.")]
    choices = question[0].choices
    response = VoiceResponse()
    hints = ",".join(c.title for c in choices) or "yes,no,skip,speak to someone"
    gather = _gather(response, CallUrls.answer(step), hints, digits=1 if choices else None)
    if failures == 1:
        _say(gather, "Sorry, I didn't hear anything.")
        _say(gather, voice_text(question[0].text))
    else:
        _say(gather, voice_text(question[0].text))
        _say(
            gather,
            "You can also use your keypad, then press the hash key. To speak to someone, press 0.",
        )
    if choices:
        _say(gather, keypad_choices(choices))
    response.redirect(CallUrls.answer(step, no_input=True), method="POST")
    return str(response)


def check_heard(speech: str, step: int) -> str:
    """An answer the recogniser was unsure of, read back for a yes or no."""
    response = VoiceResponse()
    gather = _gather(response, CallUrls.answer(step), "yes,no", digits=1)
    _say(gather, f"I think you said: {speech}. Is that right? Say yes or press 1. "
                 "Say no or press 2.")  # fmt: skip
    response.redirect(CallUrls.answer(step, no_input=True), method="POST")
    return str(response)


def say_again(messages: Sequence[BotMessage], step: int) -> str:
    """The question once more, after the caller said it was heard wrong."""
    question = [m for m in messages if not m.urgent][-1:] or [BotMessage("Please tell me more.")]
    choices = question[0].choices
    response = VoiceResponse()
    hints = ",".join(c.title for c in choices) or "yes,no,skip,speak to someone"
    gather = _gather(response, CallUrls.answer(step), hints, digits=1 if choices else None)
    _say(gather, "Sorry about that. Please say it again, slowly, or use your keypad.")
    _say(gather, voice_text(question[0].text))
    if choices:
        _say(gather, keypad_choices(choices))
    response.redirect(CallUrls.answer(step, no_input=True), method="POST")
    return str(response)


def read_back_reference(response: VoiceResponse, reference: str) -> None:
    """The reference slowly, one character at a time, twice."""
    slow = slow_spelling(reference)
    _say(response, "Your reference is:")
    response.pause(length=1)
    say = response.say(voice=VOICE, language=LANGUAGE)
    say.prosody(slow, rate="slow")
    response.pause(length=1)
    _say(response, "I'll say that again.")
    say = response.say(voice=VOICE, language=LANGUAGE)
    say.prosody(slow, rate="slow")
    response.pause(length=1)


def slow_spelling(reference: str) -> str:
    """ "A, S, B. K, 7, M, P. ..." - a pause after each character, a longer one per group."""
    return ". ".join(", ".join(group.split(" ")) for group in spoken(reference).split(", ")) + "."


def transfer(phone: str, label: str) -> str:
    response = VoiceResponse()
    _say(response, f"Putting you through to {label}. Please hold.")
    response.dial(phone, action=URLS.after_dial, method="POST", timeout=30)
    return str(response)


def offer_callback(partnership: Partnership, *, reason: str) -> str:
    response = VoiceResponse()
    gather = _gather(response, URLS.callback, "yes,no,callback,menu", digits=1)
    line = partnership.main_line()
    hours = f" They are open {line.hours}." if line.hours else ""
    _say(
        gather,
        f"{reason}{hours} To ask for someone to call you back on this number, press 1 or say "
        "yes. To go back to the menu, press 2.",
    )
    response.redirect(URLS.callback, method="POST")
    return str(response)


def callback_recorded() -> str:
    response = VoiceResponse()
    _say(
        response,
        "Thank you. We've asked for someone to call you back on this number when the team is "
        f"next open. {DANGER} Goodbye.",
    )
    response.hangup()
    return str(response)


def back_to_menu(step: int) -> str:
    response = VoiceResponse()
    gather = _gather(response, URLS.menu_at(step), MENU_HINTS, digits=1)
    _menu_words(gather)
    response.redirect(URLS.menu_at(step), method="POST")
    return str(response)


def keypad_choices(choices: Sequence[Choice]) -> str:
    return " ".join(f"For {c.title}, press {n}." for n, c in enumerate(choices, start=1))


def voice_text(text: str) -> str:
    """Chat text made for speech: no bullets or symbols, line breaks as pauses."""
    text = REFERENCE_PATTERN.sub(lambda m: spoken(m.group(0).upper()), text)
    lines = [re.sub(r"^[\s\-*•]+", "", line).strip() for line in text.splitlines()]
    sentences = [line if line[-1:] in ".?!:)" else line + "." for line in lines if line]
    return " ".join(sentences).replace("&", "and")


def without_sentence_of(text: str, reference: str) -> str:
    """The text without the sentence that tells the reference: it is read back on its own."""
    sentences = re.split(r"(?<=[.!?])\s+", text)
    return " ".join(s for s in sentences if reference not in s.upper())


def _digits_spoken(phone: str) -> str:
    """ "024 7683 1999" read as digits in groups, not as a number."""
    return ", ".join(" ".join(group) for group in phone.split())
