"""Bot replies written for SMS: GSM-7 text, numbered choices, at most two segments a message.

A single character outside GSM-7 (a curly quote, an emoji) makes the whole message UCS-2,
which halves the characters per segment; so text is made GSM-7 safe before it is counted.
Two concatenated GSM-7 segments hold 306 characters; a reply longer than that is split at
paragraph, line, sentence or word boundaries into several messages.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence

from bot.platform.messages import BotMessage, Choice

MAX_CHARS = 306  # two concatenated GSM-7 segments (153 each)
MAX_MESSAGES = 3  # never flood a phone: past this, what comes between is dropped

# The GSM 03.38 default alphabet and its extension table (extension characters cost two).
GSM_BASIC = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM_EXTENSION = "^{}\\[~]|€\f"
_GSM = frozenset(GSM_BASIC + GSM_EXTENSION)

_REPLACEMENTS = {
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u2032": "'", "`": "'",
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u2033": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2013": "-", "\u2014": "-", "\u2012": "-", "\u2010": "-", "\u2011": "-", "\u2212": "-",
    "\u2026": "...", "\u00a0": " ", "\u2009": " ", "\u202f": " ", "\u2007": " ",
    "\u2022": "-", "\u00b7": "-", "\t": " ", "\u00b4": "'",
}  # fmt: skip


def gsm_safe(text: str) -> str:
    """The text with every character in GSM-7: typographic marks replaced, accents dropped
    where GSM-7 has no such letter, emoji and other symbols removed."""
    out: list[str] = []
    for char in text:
        if char in _GSM:
            out.append(char)
        elif char in _REPLACEMENTS:
            out.append(_REPLACEMENTS[char])
        else:
            base = unicodedata.normalize("NFKD", char)
            out.append("".join(c for c in base if c in _GSM and c not in "\r\f"))
    # Removing an emoji can leave doubled spaces or a space before punctuation.
    cleaned = re.sub(r"[ ]{2,}", " ", "".join(out))
    cleaned = re.sub(r" +([,.!?;:])", r"\1", cleaned)
    return "\n".join(line.strip() for line in cleaned.split("\n")).strip()


def gsm_length(text: str) -> int:
    """Characters as the network counts them: extension characters take two."""
    return sum(2 if c in GSM_EXTENSION else 1 for c in text)


def is_gsm(text: str) -> bool:
    return all(c in _GSM for c in text)


def numbered_choices(choices: Sequence[Choice]) -> str:
    """ "Reply 1 for Phone call, 2 for Text message or 3 for Email." """
    items = [f"{n} for {gsm_safe(c.title)}" for n, c in enumerate(choices, start=1)]
    if len(items) == 1:
        return f"Reply {items[0]}."
    return "Reply " + ", ".join(items[:-1]) + " or " + items[-1] + "."


def resolve_reply(text: str, choices: Sequence[Choice]) -> str:
    """What a reply means given the choices last offered: "2" is the second choice's payload,
    and so is its title typed out; anything else is passed on as typed."""
    stripped = text.strip()
    match = re.fullmatch(r"\(?\s*(\d{1,2})\s*[).]?", stripped)
    if match and choices:
        number = int(match.group(1))
        if 1 <= number <= len(choices):
            return choices[number - 1].payload
    lowered = stripped.lower().rstrip(".!")
    for choice in choices:
        if lowered == choice.title.lower():
            return choice.payload
    return text


def reply_text(message: BotMessage) -> str:
    text = gsm_safe(message.text)
    if message.choices:
        text = f"{text}\n{numbered_choices(message.choices)}"
    return text


def sms_bodies(messages: Sequence[BotMessage]) -> list[str]:
    """The bot's messages as SMS bodies of at most two segments each.

    Short messages are joined into one body; a long one is split at natural boundaries.
    Urgent messages (the 999 reply) always come first and are never dropped; nor is the
    last message, the question the resident is to answer, unless it alone runs past
    MAX_MESSAGES. Past MAX_MESSAGES bodies, the ones between go, latest first.
    """
    ordered = [m for m in messages if m.urgent] + [m for m in messages if not m.urgent]
    bodies: list[str] = []
    kept: set[int] = set()  # the bodies that are never dropped
    urgent_bodies = 0
    for position, message in enumerate(ordered):
        whole = message.urgent or position == len(ordered) - 1
        for chunk in _split(reply_text(message)):
            joined = f"{bodies[-1]}\n\n{chunk}" if bodies else chunk
            if bodies and not message.urgent and gsm_length(joined) <= MAX_CHARS:
                bodies[-1] = joined
            else:
                bodies.append(chunk)
            if whole:
                kept.add(len(bodies) - 1)
        if message.urgent:
            urgent_bodies = len(bodies)
    droppable = [i for i in range(len(bodies)) if i not in kept]
    chosen = kept | set(droppable[: max(MAX_MESSAGES - len(kept), 0)])
    sent = [b for i, b in enumerate(bodies) if i in chosen and b]
    if len(sent) > MAX_MESSAGES:  # one message longer than them all: its middle goes
        head = max(urgent_bodies, 1)
        sent = sent[:head] + sent[-max(MAX_MESSAGES - head, 1) :]
    return sent


# From the largest boundary to the smallest, with what joins pieces packed together again.
_BOUNDARIES = (
    (r"\n\s*\n", "\n\n"),
    (r"\n", "\n"),
    (r"(?<=[.!?])\s+", " "),
    (r"\s+", " "),
)


def _split(text: str) -> list[str]:
    """Chunks of at most MAX_CHARS, broken at the largest natural boundary that fits."""
    if gsm_length(text) <= MAX_CHARS:
        return [text]
    for pattern, joiner in _BOUNDARIES:
        pieces = [p for p in re.split(pattern, text) if p.strip()]
        if len(pieces) > 1 and all(gsm_length(p) <= MAX_CHARS for p in pieces):
            return _pack(pieces, joiner)
    # A single word longer than a message (a pasted URL): cut it.
    return [text[i : i + MAX_CHARS // 2] for i in range(0, len(text), MAX_CHARS // 2)]


def _pack(pieces: list[str], joiner: str) -> list[str]:
    chunks: list[str] = []
    for piece in pieces:
        if chunks and gsm_length(chunks[-1] + joiner + piece) <= MAX_CHARS:
            chunks[-1] = chunks[-1] + joiner + piece
        else:
            chunks.append(piece)
    return chunks
