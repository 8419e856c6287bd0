from __future__ import annotations

from bot.platform.messages import BotMessage, Choice
from telephony.media import media_urls
from telephony.opt_out import keyword
from telephony.sms_format import (
    MAX_CHARS,
    gsm_length,
    gsm_safe,
    is_gsm,
    numbered_choices,
    resolve_reply,
    sms_bodies,
)

CHOICES = [Choice("Phone call", "Phone call"), Choice("Text message", "Text message"),
           Choice("No contact (anonymous)", "Anonymous")]  # fmt: skip


def test_typography_and_emoji_become_gsm7() -> None:
    text = (
        "\u201cIt\u2019s loud\u201d \u2013 they\u2019re out again\u2026 "
        "\U0001f621\U0001f3b5 caf\u00e9 na\u00efve"
    )
    safe = gsm_safe(text)
    assert safe == "\"It's loud\" - they're out again... café naive"
    assert is_gsm(safe)


def test_extension_characters_count_twice() -> None:
    assert gsm_length("[a]") == 5
    assert gsm_length("€") == 2


def test_numbered_choices_and_replies_in_context() -> None:
    assert numbered_choices(CHOICES) == (
        "Reply 1 for Phone call, 2 for Text message or 3 for No contact (anonymous)."
    )
    assert resolve_reply("2", CHOICES) == "Text message"
    assert resolve_reply(" 3. ", CHOICES) == "Anonymous"
    assert resolve_reply("no contact (anonymous)", CHOICES) == "Anonymous"
    assert resolve_reply("4", CHOICES) == "4"  # out of range: passed on as typed
    assert resolve_reply("2", []) == "2"  # no choices offered: "2" is an answer (two people)


def test_short_messages_are_joined_and_long_ones_split_at_boundaries() -> None:
    short = sms_bodies([BotMessage("Thanks."), BotMessage("When did it happen?", CHOICES)])
    assert len(short) == 1 and short[0].startswith("Thanks.\n\nWhen did it happen?\nReply 1")
    summary = "\n".join(f"Answer {i}: " + "words " * 12 for i in range(12))
    bodies = sms_bodies([BotMessage(summary), BotMessage("Is this right?", CHOICES)])
    assert 1 < len(bodies) <= 3
    assert all(gsm_length(b) <= MAX_CHARS and is_gsm(b) for b in bodies)
    assert bodies[-1].endswith("(anonymous).")  # the question and its choices survive
    assert all(not b.startswith(" ") for b in bodies)


def test_a_long_question_is_sent_whole_when_the_reply_runs_long() -> None:
    intro = BotMessage("I'll ask you a few questions, one at a time. " + "Say why. " * 25)
    question = BotMessage(
        "Three questions. "
        + "Has this happened before, and how often? " * 12
        + "Were you targeted because of who you are? " * 3
        + "And is anyone vulnerable?",
        CHOICES,
    )
    bodies = sms_bodies([intro, BotMessage("Thank you."), question])
    assert len(bodies) <= 3
    sent = " ".join(bodies)
    for part in ("Three questions.", "targeted", "And is anyone vulnerable?", "(anonymous)."):
        assert part in sent  # what was dropped is the introduction, not part of the question


def test_urgent_message_comes_first_and_is_never_dropped() -> None:
    long = "x " * 400
    bodies = sms_bodies([BotMessage(long), BotMessage("Call 999 now.", urgent=True)])
    assert bodies[0] == "Call 999 now."
    assert len(bodies) <= 3


def test_opt_out_keywords() -> None:
    for word in ("STOP", "stop", "Stop.", "STOPALL", "unsubscribe", "CANCEL", "end", "QUIT"):
        assert keyword(word) == "stop", word
    for word in ("START", "yes", "UNSTOP"):
        assert keyword(word) == "start", word
    assert keyword("HELP") == keyword("info") == "help"
    assert keyword("please stop them shouting") is None
    assert keyword("help they are kicking my door in") is None


def test_media_urls() -> None:
    params = {"NumMedia": "2", "MediaUrl0": "https://a/1", "MediaUrl1": "https://a/2"}
    assert media_urls(params) == ["https://a/1", "https://a/2"]
    assert media_urls({"NumMedia": "x"}) == []
