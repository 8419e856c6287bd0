"""Which partner agencies hear of a case, and which of them leads it (the SPOC's agency).

The partnership's routing rules are data (`routing.rules` in partnerships/*.yml): every rule
whose `when` matches the case adds its `notify` agencies; the first matching rule that
names a `lead` decides the lead. On top of the rules, a few promises hold whatever a file
says, because the published standards make them:

- an emergency or a hate incident always goes to the police, who lead it;
- noise goes to environmental health; a deliberate fire (arson) to the fire service;
- a housing-association tenant's report goes to that landlord (when the landlord is known);
- Victim Support hears of a case only when the resident consented to sharing and there is a
  person harmed (personal ASB, hate, high risk or a repeat victim);
- an agency whose sharing agreement requires consent gets nothing without it (the police
  still get emergencies and hate crime);
- the lead agency is always notified;
- a case no rule matches goes to the default agency and is flagged `unroutable`, never
  dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from bot.partnerships.schema import Agency, Partnership

FIRE_SUBTYPES = frozenset({"arson", "fire"})
POLICE = "police"


@dataclass(frozen=True)
class CaseFacts:
    """What routing looks at: no personal detail."""

    category: str = "none"
    subtype: str = "none"
    risk: str = "standard"
    emergency: bool = False
    hate_crime: bool = False
    landlord: str | None = None
    consent_to_share: bool = False
    repeat_victim: bool = False

    def as_match(self) -> dict[str, object]:
        return {
            "category": self.category,
            "subtype": self.subtype,
            "risk": self.risk,
            "emergency": self.emergency,
            "hate_crime": self.hate_crime,
            "landlord": self.landlord,
        }


@dataclass(frozen=True)
class Route:
    notify: tuple[str, ...]
    lead: str
    unroutable: bool = False
    reasons: tuple[str, ...] = ()


def _kind(partnership: Partnership, kind: str) -> list[Agency]:
    return [a for a in partnership.agencies if a.kind == kind]


def route(partnership: Partnership, facts: CaseFacts) -> Route:
    notify: list[str] = []
    reasons: list[str] = []
    lead: str | None = None
    known = {a.id for a in partnership.agencies}

    def add(agency_id: str, why: str) -> None:
        if agency_id in known and agency_id not in notify:
            notify.append(agency_id)
            reasons.append(f"{agency_id}: {why}")

    for n, rule in enumerate(partnership.routing.rules):
        if rule.when.matches(facts.as_match()):
            for agency_id in rule.notify:
                add(agency_id, f"rule {n}")
            if lead is None and rule.lead:
                lead = rule.lead
    police_case = facts.emergency or facts.hate_crime
    if police_case:
        add(POLICE, "emergency" if facts.emergency else "hate incident")
        lead = POLICE
    if facts.subtype == "noise":
        for agency in _kind(partnership, "environmental_health"):
            add(agency.id, "noise")
    if facts.subtype in FIRE_SUBTYPES:
        for agency in _kind(partnership, "fire"):
            add(agency.id, "deliberate fire")
    if facts.landlord and facts.landlord in known:
        landlord = partnership.agency(facts.landlord)
        if landlord.kind == "housing":
            add(landlord.id, "the resident's landlord")
            if lead is None and landlord.can_lead:
                lead = landlord.id
    harmed = (
        facts.category == "personal"
        or facts.hate_crime
        or facts.risk == "high"
        or facts.repeat_victim
    )
    if facts.consent_to_share and harmed:
        for agency in _kind(partnership, "victim_support"):
            add(agency.id, "victim support, with consent")
    # Without consent, agencies whose agreement requires it are told nothing (the police
    # keep emergencies and hate crime whatever their agreement says).
    if not facts.consent_to_share:
        kept = [
            a
            for a in notify
            if not partnership.agency(a).sharing.requires_consent or (a == POLICE and police_case)
        ]
        dropped = [a for a in notify if a not in kept]
        reasons += [f"{a}: not sent, no consent" for a in dropped]
        notify = kept
        if lead in dropped:
            lead = None
    unroutable = not notify
    if unroutable:
        add(partnership.routing.default_agency, "no rule matched (default agency)")
    if lead is None:
        lead = partnership.routing.lead_for(facts.as_match())
        if not consent_ok(partnership.agency(lead), facts):
            lead = partnership.routing.lead_agency
    add(lead, "lead agency")
    return Route(tuple(notify), lead, unroutable, tuple(reasons))


def consent_ok(agency: Agency, facts: CaseFacts) -> bool:
    return facts.consent_to_share or not agency.sharing.requires_consent
