"""What an acknowledgement says: the reference, what happens next and by when (actual
dates), the lead agency and how to reach them, the complaint route, the 999 reminder.

Plain English. The SMS fits two GSM-7 segments (306 characters): the text is plain ASCII
without GSM extension characters, so its length is its cost; optional parts are dropped
to fit.

The offer of the monthly neighbourhood update (bot/community/subscriptions.py) ends an
email as a line with its sign-up link. It does not fit in the SMS beside the reference,
PIN, date and number, so the next text about the case (a partner's update, relayed by
bot/partners/relay.py) ends with it instead (`updates_offer_sms`).
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from bot.cases.model import Case
from bot.cases.sla import LONDON, local_date_text, local_datetime_text
from bot.partnerships.schema import Partnership

SMS_LIMIT = 306
_CHANNEL_WORDS = {"sms": "text message", "email": "email", "letter": "letter", "phone": "phone"}


@dataclass(frozen=True)
class Acknowledgement:
    subject: str
    paragraphs: list[str]
    sms: str

    @property
    def plain(self) -> str:
        return "\n\n".join(self.paragraphs) + "\n"

    @property
    def html(self) -> str:
        body = "".join(
            "<p>" + html.escape(p).replace("\n", "<br>\n") + "</p>\n" for p in self.paragraphs
        )
        return (
            '<!doctype html>\n<html lang="en-GB"><head><meta charset="utf-8">'
            f"<title>{html.escape(self.subject)}</title></head>\n"
            '<body style="font-family: Arial, sans-serif; font-size: 16px;">\n'
            f"{body}</body></html>\n"
        )


def _short_date(case: Case, clock: str) -> str | None:
    deadline = case.deadline(clock)  # type: ignore[arg-type]
    if deadline is None:
        return None
    local = deadline.due.astimezone(LONDON)
    return f"{local:%a} {local.day} {local:%b}"


def updates_offer_sms(district: str) -> str:
    """The line offering the monthly update by text (about 100 characters)."""
    return (
        f"Reply UPDATES for a monthly text about reports in {district} and what was done. "
        "Reply STOP UPDATES to end it."
    )


def updates_offer_line(district: str, link: str) -> str:
    return (
        f"Would you like a monthly email about reports in {district} and what was done? "
        f"Sign up here (you can stop at any time): {link}"
    )


def compose(
    case: Case,
    partnership: Partnership,
    *,
    name: str | None,
    channel: str,
    pin: str | None = None,
    updates_link: str | None = None,
) -> Acknowledgement:
    """`updates_link`: the sign-up link of the monthly update offered by email."""
    lead = partnership.agency(case.lead_agency or partnership.routing.lead_agency)
    ref = case.reference
    contact = case.deadline("first_contact")
    meeting = case.deadline("meeting")
    greeting = f"Dear {name}," if name else "Hello,"
    first = [
        greeting,
        f"Thank you for reporting anti-social behaviour to the {partnership.name}. "
        f"Your reference is {ref}. Please keep it and quote it if you contact us.",
    ]
    if pin:
        first.append(
            f"Your PIN is {pin}. To ask what is happening with your report from another phone "
            f"or in web chat, give your reference and this PIN."
        )
    steps = ["What happens next:"]
    who = f"{lead.name} is dealing with your report"
    if partnership.named_contact:
        who += " and will give you one named person as your contact"
    steps.append(f"- {who}.")
    if case.flags.hate_crime:
        steps.append("- It is being treated as a hate incident and the police are involved.")
    if contact is not None:
        steps.append(
            f"- They will contact you by {local_datetime_text(contact.due)} "
            f"(within {contact.promise})."
        )
    if meeting is not None:
        steps.append(
            f"- If you want to meet, a meeting will be arranged by {local_date_text(meeting.due)}."
        )
    steps.append(
        f"- We will keep you informed by {_CHANNEL_WORDS.get(channel, channel)}. "
        "Tell us if you would prefer another way."
    )
    reach = f"How to reach them: {lead.contact_line()}."
    review = partnership.case_review
    complaints = (
        f"Complaints: {partnership.complaint_text()} If you have reported "
        f"{review.threshold_reports} times in {round(review.window_days / 30.5)} months, "
        f"you can ask for an ASB Case Review (Community Trigger). {review.how_to_ask}"
    )
    if case.repeat_victim:
        complaints = (
            f"You have reported anti-social behaviour {case.prior_reports + 1} times in "
            f"{round(review.window_days / 30.5)} months, so you have the right to ask for an "
            f"ASB Case Review (Community Trigger). {review.how_to_ask} " + complaints
        )
    danger = "If anyone is in danger or a crime is happening now, call 999. Otherwise call 101."
    paragraphs = [*first, "\n".join(steps), reach, complaints, danger,
                  f"{partnership.name}"]  # fmt: skip
    if updates_link and case.postcode_district:
        paragraphs.append(updates_offer_line(case.postcode_district, updates_link))
    subject = f"Your anti-social behaviour report {ref}"
    sms = _sms(case, partnership, lead.phone, lead.name, pin)
    return Acknowledgement(subject, paragraphs, sms)


def _sms(
    case: Case, partnership: Partnership, phone: str | None, lead_name: str, pin: str | None = None
) -> str:
    by = _short_date(case, "first_contact")
    council_line = partnership.main_line()
    pin_text = f" PIN {pin}." if pin else ""
    parts = [
        f"{partnership.name}: we have your ASB report, ref {case.reference}.{pin_text}",
        f"{lead_name} will contact you by {by}." if by else f"{lead_name} will contact you.",
        f"Call {phone}." if phone else f"Call {council_line.phone}.",
        f"Not happy? Ask {partnership.council} for its complaints policy.",
        "In danger? Call 999.",
    ]
    optional_order = [3, 2]  # dropped first to fit: the complaint route, then the number
    text = " ".join(parts)
    for index in optional_order:
        if len(text) <= SMS_LIMIT:
            break
        parts[index] = ""
        text = " ".join(p for p in parts if p)
    if len(text) > SMS_LIMIT:
        text = text[: SMS_LIMIT - 21].rstrip() + " In danger? Call 999."
    return text
