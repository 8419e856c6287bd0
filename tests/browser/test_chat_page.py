"""The web chat page at /chat, driven in Chromium against the running service.

These tests talk to the real bot through the gateway. The conversation helper reads each
question the bot asks and answers it from keywords, so the tests follow the bot's wording
rather than a fixed script of turns.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

# The first turn may wait for the NLU model to warm up.
TURN_TIMEOUT_MS = 60_000
MAX_TURNS = 30
REFERENCE = re.compile(r"ASB-[0-9A-Z-]+")
EXIT_URL = "https://www.bbc.co.uk/weather"
START_URL = "https://start.example/"

WHAT_HAPPENED = "Loud music and shouting in the street outside my flat, and rubbish left everywhere"
EMAIL = "resident@example.org"


# ---------------------------------------------------------------- reading and writing the chat


def bot_texts(page: Any) -> list[str]:
    texts: list[str] = page.locator("#transcript .msg.bot .msg-text").all_inner_texts()
    return texts


def transcript(page: Any) -> str:
    """The conversation so far, one line per message, for failure messages."""
    lines = page.evaluate(
        """() => Array.from(document.querySelectorAll('#transcript .msg')).map(m =>
            (m.classList.contains('user') ? 'You: ' : 'Bot: ') +
            m.querySelector('.msg-text').textContent)"""
    )
    return "\n".join(lines) or "(empty)"


def wait_for_reply(page: Any, bot_count_before: int) -> list[str]:
    """Wait until the page is idle with new bot messages; return the new ones."""
    page.wait_for_function(
        """(before) => {
            const log = document.getElementById('transcript');
            const error = document.getElementById('error').textContent;
            return log.getAttribute('aria-busy') === 'false' &&
                (log.querySelectorAll('.msg.bot').length > before || error !== '');
        }""",
        arg=bot_count_before,
        timeout=TURN_TIMEOUT_MS,
    )
    error = page.locator("#error").inner_text()
    assert not error, f"the page showed an error: {error!r}\n--- transcript ---\n{transcript(page)}"
    return bot_texts(page)[bot_count_before:]


def say(page: Any, text: str) -> list[str]:
    """Type a message with the keyboard and press Enter, as a resident would."""
    before = len(bot_texts(page))
    box = page.locator("#message")
    box.focus()
    box.fill("")
    page.keyboard.type(text)
    page.keyboard.press("Enter")
    replies = wait_for_reply(page, before)
    assert page.evaluate("document.activeElement.id") == "message", (
        "focus did not return to the box"
    )
    assert box.input_value() == "", "the box was not cleared after sending"
    return replies


def choose(page: Any, title: str) -> list[str]:
    """Press the option button called `title` under the latest bot message.

    If the bot offered no buttons this time, the answer is typed instead.
    """
    options = page.locator("#transcript .msg.bot").last.locator(".choices button")
    if options.count() == 0:
        return say(page, title)
    titles = [t.strip() for t in options.all_inner_texts()]
    matches = [i for i, t in enumerate(titles) if t.lower() == title.lower()] or [
        i for i, t in enumerate(titles) if t.lower().startswith(title.lower())
    ]
    assert matches, f"no {title!r} among {titles}\n--- transcript ---\n{transcript(page)}"
    button = options.nth(matches[0])
    shown = titles[matches[0]]
    before = len(bot_texts(page))
    button.click()
    replies = wait_for_reply(page, before)
    # The resident sees the option's title as their own words, not the payload sent.
    last_user = page.locator("#transcript .msg.user .msg-text").last.inner_text()
    assert last_user == shown, (
        f"the button title {shown!r} was not shown as said, got {last_user!r}"
    )
    return replies


# ------------------------------------------------------------------- answering the bot's questions


Matcher = Callable[[str], bool]
Answer = Callable[[Any, str], list[str]]


def _has(*words: str) -> Matcher:
    return lambda q: any(w in q for w in words)


def _share(q: str) -> bool:
    return "shar" in q and ("partner" in q or "agenc" in q)


# (rule, does the question match, how to answer, the answer). Checked in order against the
# bot's latest message; the first match decides. The order matters: the read-back summary
# mentions everything, so it comes first; the "because of who you are" question says "who",
# so it comes before "who is involved"; the contact question lists "email", so it comes
# before the email address question.
ANSWERS: list[tuple[str, Matcher, Answer, str]] = [
    (
        "is this right",
        _has("is this right", "is that right", "is this correct", "are these details correct"),
        choose,
        "Yes",
    ),
    (
        "because of who you are",
        _has("because of who", "who you are", "race", "religion"),
        choose,
        "No",
    ),
    ("share with partners", _share, choose, "Yes"),
    ("landlord", _has("rent your home", "landlord"), choose, "No, I own my home or rent privately"),
    (
        "kept informed",
        _has(
            "kept informed",
            "keep you informed",
            "keep you updated",
            "kept updated",
            "how would you like us to contact",
            "how should we contact",
            "how would you like to hear",
            "up to date",
            "be contacted",
            "hear from us",
            "updates",
        ),
        choose,
        "Email",
    ),
    ("email", _has("email", "e-mail"), say, EMAIL),
    ("name", _has("your name", "what name", "name?", "call you"), say, "Sam Taylor"),
    ("vulnerable", _has("vulnerable"), say, "no"),
    ("happened before", _has("before", "previously", "first time"), say, "yes, every weekend"),
    ("affect", _has("affect", "impact"), say, "I can't sleep and I feel anxious going out"),
    (
        "who",
        _has(
            "who is involved",
            "who's involved",
            "who is responsible",
            "who was",
            "who is doing",
            "who did",
            "who are",
            "know them",
            "know who",
        ),
        say,
        "a group of teenagers, I don't know them",
    ),
    ("where", _has("where", "postcode", "address", "location", "street"), say, "CV1 5FB"),
    ("when", _has("when", "what time", "what date", "what day"), say, "last night about 11pm"),
    (
        "what happened",
        _has(
            "what happened",
            "what's happening",
            "what is happening",
            "what has happened",
            "what's been happening",
            "what has been happening",
            "tell me",
            "describe",
        ),
        say,
        WHAT_HAPPENED,
    ),
    (
        "greeting",
        _has("hello", "hi ", "welcome", "how can i help", "report"),
        say,
        "I want to report anti-social behaviour",
    ),
]


def answer_latest(page: Any, new_messages: list[str]) -> tuple[str, list[str]]:
    """Answer the newest question among the bot's new messages; return (rule, the replies)."""
    for message in reversed(new_messages):
        question = message.lower()
        for name, matches, answer, value in ANSWERS:
            if matches(question):
                return name, answer(page, value)
    pytest.fail(
        f"the bot's message was not recognised as a question: {new_messages!r}\n"
        f"--- transcript ---\n{transcript(page)}"
    )


def converse_until(
    page: Any, first: list[str], done: Callable[[list[str]], bool], max_turns: int
) -> list[str]:
    """Keep answering until `done(new messages)`; fail with the transcript if it never is."""
    new = first
    seen: dict[str, int] = {}
    for _ in range(max_turns):
        if done(new):
            return new
        key = new[-1] if new else ""
        seen[key] = seen.get(key, 0) + 1
        if seen[key] >= 3:
            pytest.fail(
                f"the bot asked the same thing three times: {key!r}\n"
                f"--- transcript ---\n{transcript(page)}"
            )
        _, new = answer_latest(page, new)
    pytest.fail(f"not finished after {max_turns} turns\n--- transcript ---\n{transcript(page)}")


def open_chat(page: Any, base_url: str) -> None:
    page.goto(f"{base_url}/chat")
    expect(page.locator("h1")).to_be_visible()


# --------------------------------------------------------------------------------------- tests


def test_axe_audit(page: Any, live_gateway_url: str, artifacts_dir: Path) -> None:
    from axe_playwright_python.sync_playwright import Axe

    axe = Axe()
    open_chat(page, live_gateway_url)
    problems = _serious_violations(axe.run(page).response, "on load")

    # Again with messages (and any option buttons) on the page.
    say(page, "I want to report anti-social behaviour")
    problems += _serious_violations(axe.run(page).response, "after a reply")
    page.screenshot(path=str(artifacts_dir / "chat-desktop.png"))

    assert not problems, "axe found serious or critical problems:\n" + "\n".join(problems)


def _serious_violations(results: dict[str, Any], when: str) -> list[str]:
    found = []
    for v in results["violations"]:
        targets = [node["target"] for node in v["nodes"]]
        line = f"[{when}] {v['impact']}: {v['id']} - {v['help']} ({v['helpUrl']}) at {targets}"
        print(line)  # every violation is shown with -s, the serious ones fail below
        if v["impact"] in ("serious", "critical"):
            found.append(line)
    return found


def test_quick_exit_leaves_no_history(page: Any, live_gateway_url: str) -> None:
    # Never leave the test machine: the exit page is answered locally.
    page.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(
            status=200, content_type="text/html", body="<title>Weather</title><p>Weather</p>"
        ),
    )
    # Somewhere the resident was before the chat, so there is history to go back to.
    page.route(
        START_URL,
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Start</p>"),
    )
    page.goto(START_URL)
    open_chat(page, live_gateway_url)
    say(page, "hello")
    assert page.evaluate("sessionStorage.length") > 0, (
        "the conversation was not kept in sessionStorage"
    )
    history_before = page.evaluate("history.length")

    quick_exit = page.locator("#quick-exit")
    expect(quick_exit).to_be_visible()
    with page.expect_navigation(url=EXIT_URL):
        quick_exit.click()

    assert page.evaluate("history.length") == history_before, "leaving added a history entry"
    # Back goes to where the resident was before the chat, not to the chat.
    page.go_back()
    assert page.url == START_URL

    # The chat's storage was wiped: a return visit in this tab starts afresh.
    open_chat(page, live_gateway_url)
    assert page.evaluate("sessionStorage.length") == 0
    assert page.locator("#transcript .msg").count() == 0


def test_escape_twice_leaves_quickly(page: Any, live_gateway_url: str) -> None:
    page.route(
        "https://www.bbc.co.uk/**",
        lambda route: route.fulfill(status=200, content_type="text/html", body="<p>Weather</p>"),
    )
    open_chat(page, live_gateway_url)
    page.locator("#message").focus()
    with page.expect_navigation(url=EXIT_URL):
        page.keyboard.press("Escape")
        page.keyboard.press("Escape")


def test_emergency_banner_always_visible(
    mobile_page: Any, live_gateway_url: str, artifacts_dir: Path
) -> None:
    page = mobile_page
    open_chat(page, live_gateway_url)
    banner = page.locator("#emergency")
    exit_button = page.locator("#quick-exit")
    expect(banner).to_contain_text("In an emergency call 999")
    expect(page.locator('#emergency a[href="tel:999"]')).to_be_visible()
    expect(banner).to_contain_text("press 55")

    new = say(page, "I want to report anti-social behaviour")
    for _ in range(5):
        expect(banner).to_be_in_viewport(ratio=1)
        expect(exit_button).to_be_in_viewport(ratio=1)
        _, new = answer_latest(page, new)

    # The conversation is now longer than the screen; the banner stays at either end.
    assert page.evaluate("document.documentElement.scrollHeight > window.innerHeight"), (
        "too short to scroll"
    )
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    expect(banner).to_be_in_viewport(ratio=1)
    expect(exit_button).to_be_in_viewport(ratio=1)
    expect(page.locator("#message")).to_be_in_viewport()
    page.screenshot(path=str(artifacts_dir / "chat-mobile.png"))
    page.evaluate("window.scrollTo(0, 0)")
    expect(banner).to_be_in_viewport(ratio=1)


def test_resident_completes_report(page: Any, live_gateway_url: str, artifacts_dir: Path) -> None:
    open_chat(page, live_gateway_url)
    transcript_log = page.locator("#transcript")
    expect(transcript_log).to_have_attribute("role", "log")
    expect(transcript_log).to_have_attribute("aria-live", "polite")

    first = say(page, "I want to report anti-social behaviour")
    final = converse_until(
        page, first, done=lambda new: any(REFERENCE.search(m) for m in new), max_turns=MAX_TURNS
    )
    reference = next(REFERENCE.search(m).group(0) for m in final if REFERENCE.search(m))  # type: ignore[union-attr]
    page.screenshot(path=str(artifacts_dir / "chat-report-complete.png"))

    # Only the latest message's options may still be pressed.
    messages = page.locator("#transcript .msg")
    last_index = messages.count() - 1
    stale_enabled = page.evaluate(
        """(last) => Array.from(document.querySelectorAll('#transcript .msg'))
            .filter((m, i) => i < last)
            .flatMap(m => Array.from(m.querySelectorAll('.choices button')))
            .filter(b => !b.disabled).length""",
        last_index,
    )
    assert stale_enabled == 0, "option buttons of earlier questions are still enabled"

    # A reload continues the same conversation, transcript and all.
    count = messages.count()
    page.reload()
    expect(page.locator("#transcript .msg")).to_have_count(count)
    expect(page.locator("#transcript")).to_contain_text(reference)


def test_sending_state_blocks_double_send(page: Any, live_gateway_url: str) -> None:
    open_chat(page, live_gateway_url)
    held: list[Any] = []
    page.route("**/api/chat", lambda route: held.append(route))

    box = page.locator("#message")
    box.fill("hello")
    box.press("Enter")
    page.wait_for_function(
        "() => document.getElementById('transcript').getAttribute('aria-busy') === 'true'"
    )
    expect(page.locator("#send")).to_be_disabled()
    expect(page.locator("#status")).to_contain_text("Sending")
    # Pressing Enter and clicking Send again while waiting sends nothing more.
    box.press("Enter")
    page.locator("#send").click(force=True)
    page.wait_for_timeout(300)
    assert len(held) == 1, f"{len(held)} requests were sent for one message"

    before = len(bot_texts(page))
    held[0].continue_()
    wait_for_reply(page, before)
    expect(page.locator("#send")).to_be_enabled()
    expect(page.locator("#status")).to_have_text("")


def test_error_keeps_typed_text(page: Any, live_gateway_url: str) -> None:
    open_chat(page, live_gateway_url)
    detail = "Sorry, we could not take your message just now. Please try again."
    page.route(
        "**/api/chat",
        lambda route: route.fulfill(
            status=503, content_type="application/json", json={"detail": detail}
        ),
    )
    box = page.locator("#message")
    box.fill("Loud music next door")
    box.press("Enter")
    expect(page.locator("#error")).to_have_text(detail)
    expect(box).to_have_value("Loud music next door")
    expect(page.locator("#transcript .msg.user")).to_have_count(0)
    expect(page.locator("#send")).to_be_enabled()

    # Once the service answers again, the same text goes through.
    page.unroute("**/api/chat")
    before = len(bot_texts(page))
    box.press("Enter")
    wait_for_reply(page, before)
    expect(page.locator("#transcript .msg.user .msg-text")).to_have_text(["Loud music next door"])
    expect(page.locator("#error")).to_have_text("")


def test_a_message_whose_answer_was_lost_is_sent_again_and_taken_once(
    page: Any, live_gateway_url: str
) -> None:
    open_chat(page, live_gateway_url)
    first = say(page, "I want to report anti-social behaviour")
    assert any("what happened" in m.lower() for m in first), first

    # The service takes the message, but its answer never reaches the browser.
    bodies: list[dict[str, Any]] = []

    def lose_the_answer(route: Any) -> None:
        bodies.append(route.request.post_data_json)
        route.fetch()
        route.abort("connectionreset")

    page.route("**/api/chat", lose_the_answer)
    box = page.locator("#message")
    box.fill(WHAT_HAPPENED)
    box.press("Enter")
    expect(page.locator("#error")).to_contain_text("try again")
    expect(box).to_have_value(WHAT_HAPPENED)

    page.unroute("**/api/chat")
    page.on("request", lambda r: bodies.append(r.post_data_json) if "/api/chat" in r.url else None)
    before = len(bot_texts(page))
    box.press("Enter")
    replies = wait_for_reply(page, before)
    assert len(bodies) == 2 and bodies[0]["message_id"], bodies
    assert bodies[1]["message_id"] == bodies[0]["message_id"]
    # Taken once: the bot asks the question after "what happened", not the one after that.
    assert any("when did it happen" in m.lower() for m in replies), replies
    expect(page.locator("#transcript .msg.user .msg-text")).to_have_count(2)
