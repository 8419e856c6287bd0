"""Each shipped partnership file loads and carries its own published promises; a wrong
file fails naming the file, the field and the reason; districts choose the partnership;
signposting depends on the day and time."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import yaml

from bot.partnerships import (
    Duration,
    PartnershipConfigError,
    load_partnership,
    load_partnerships,
)
from bot.partnerships.signposting import signpost
from bot.platform.settings import PROJECT_ROOT

DIR = PROJECT_ROOT / "partnerships"
SHIPPED = ["bolsover", "chesterfield", "cherwell", "coventry", "northamptonshire"]
LONDON = ZoneInfo("Europe/London")


@pytest.mark.parametrize("pid", SHIPPED)
def test_every_shipped_file_loads_with_the_common_promises(pid: str) -> None:
    p = load_partnership(DIR, pid)
    ids = {a.id for a in p.agencies}
    assert {"police", "council_asb", "victim_support", "environmental_health"} <= ids
    assert p.housing_providers(), "registered social landlords are signposted and routed"
    assert p.lead_agency().can_lead
    assert p.sla.acknowledgement == Duration(hours=24)
    assert p.sla.first_contact_hate_crime == Duration(hours=24)
    kinds = {step.kind for step in p.complaints}
    assert {"councillor", "csp_chair", "council_policy", "councillor_call_for_action"} <= kinds
    assert (p.case_review.threshold_reports, p.case_review.window_days) == (3, 183)
    assert {"phone", "sms", "email", "letter"} <= set(p.update_channels)
    assert {s.topic for s in p.signposting} >= {"noise", "victim_support", "non_emergency"}
    assert p.routing.lead_for({"hate_crime": True}) == "police"
    assert p.main_line().phone and p.handoff_text().startswith("- ")


def test_published_promises_per_partnership() -> None:
    cov, cher, north, bols, ches = (load_partnership(DIR, i) for i in
                                    ("coventry", "cherwell", "northamptonshire", "bolsover",
                                     "chesterfield"))  # fmt: skip
    # Coventry: written acknowledgement within 24 hours, contact within 5 working days.
    assert cov.sla.acknowledgement == Duration(hours=24)
    assert cov.sla.first_contact == Duration(working_days=5)
    assert {a.id for a in cov.housing_providers()} == {"citizen_housing"}
    assert "Whitefriars" in cov.agency("citizen_housing").name
    # Cherwell: contact within 48 hours (24 for hate crime), meeting within 3 working days.
    assert cher.sla.first_contact == Duration(hours=48)
    assert cher.sla.first_contact_hate_crime == Duration(hours=24)
    assert cher.sla.meeting == Duration(working_days=3)
    # Northamptonshire: high risk within 1 working day, others within 5.
    assert north.sla.first_contact_high_risk == Duration(working_days=1)
    assert north.sla.first_contact == Duration(working_days=5)
    # One named contact: Bolsover and Northamptonshire.
    assert bols.named_contact and north.named_contact
    assert not cov.named_contact and not ches.named_contact and not cher.named_contact
    assert cov.meeting_promised() is False and cher.meeting_promised() is True


def test_districts_choose_the_partnership_or_ask() -> None:
    ps = load_partnerships(DIR, "coventry")
    assert ps.match_district("CV1").partnership == "coventry"
    assert ps.match_district("cv6").partnership == "coventry"
    assert ps.match_district("OX16").partnership == "cherwell"
    assert ps.match_district("S40").partnership == "chesterfield"
    assert ps.match_district("NN1").partnership == "northamptonshire"
    shared = ps.match_district("S43")
    assert shared.needs_asking and set(shared.candidates) == {"bolsover", "chesterfield"}
    assert set(ps.match_district("OX17").candidates) == {"cherwell", "northamptonshire"}
    assert ps.match_district("CV7").candidates == ("coventry",)  # shared with Warwickshire
    unknown = ps.match_district("SW1A")
    assert unknown.resolution == "unknown" and len(unknown.candidates) == 5
    assert ps.match_district(None).partnership == "coventry"  # no postcode: the default
    only = load_partnerships(DIR, "cherwell", ["cherwell"])
    assert only.match_district("S43").resolution == "unknown"


def test_a_town_named_without_a_postcode_chooses_the_partnership() -> None:
    ps = load_partnerships(DIR, "coventry")
    assert ps.match_location("the play park on Bucknell Road, Bicester").partnership == "cherwell"
    assert ps.match_location("outside the Co-op in Earlsdon").partnership == "coventry"
    assert ps.match_location("Northampton I think").partnership == "northamptonshire"
    assert ps.match_location("Market Place, chesterfield").partnership == "chesterfield"
    # A town's name as a street's does not place it; the town after it does.
    assert ps.match_location("Chesterfield Road, Shirebrook").partnership == "bolsover"
    assert ps.match_location("Coventry Road").resolution == "no_postcode"
    # Towns of two partnerships: asked; the postcode wins over any name.
    both = ps.match_location("between Banbury and Brackley")
    assert both.needs_asking and set(both.candidates) == {"cherwell", "northamptonshire"}
    assert ps.match_location("Bicester Road, CV1 5FB").partnership == "coventry"
    assert ps.match_location("High Street").partnership == "coventry"  # the default


def _write(tmp_path: Path, pid: str, change: dict[str, object]) -> Path:
    data = yaml.safe_load((DIR / "coventry.yml").read_text())
    data.update(change, id=pid)
    (tmp_path / f"{pid}.yml").write_text(yaml.safe_dump(data))
    return tmp_path


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        ({"sla": {"acknowledgement": {"hours": 24, "working_days": 1},
                  "first_contact": {"working_days": 5}}},
         "sla.acknowledgement", "exactly one of hours or working_days"),
        ({"sla": {"acknowledgement": {"hours": -1}, "first_contact": {"hours": 1}}},
         "sla.acknowledgement.hours", "greater than 0"),
        ({"area": {"districts": ["CV1", "Coventry"]}}, "area.districts", "not a postcode district"),
        ({"update_channels": ["pigeon"]}, "update_channels.0", "Input should be"),
        ({"agencies": [{"id": "police", "name": "P", "kind": "police", "can_lead": True}]},
         "agencies", "must include council_asb"),
        ({"routing": {"lead_agency": "council_asb", "default_agency": "council_asb",
                      "rules": [{"when": {"subtype": "noise"}, "notify": ["noise_team"]}]}},
         "routing.rules.0.notify", "no agency with id 'noise_team'"),
        ({"sla_clocks": {}}, "sla_clocks", "Extra inputs are not permitted"),
    ],
)  # fmt: skip
def test_a_wrong_file_names_file_field_and_reason(
    tmp_path: Path, change: dict[str, object], field: str, reason: str
) -> None:
    directory = _write(tmp_path, "broken", change)
    with pytest.raises(PartnershipConfigError) as caught:
        load_partnerships(directory, "broken")
    message = str(caught.value)
    assert "broken.yml" in message and field in message and reason in message, message


def test_default_must_be_served_and_id_must_match_file(tmp_path: Path) -> None:
    with pytest.raises(PartnershipConfigError, match="ASB_DEFAULT_PARTNERSHIP"):
        load_partnerships(DIR, "camelot")
    data = yaml.safe_load((DIR / "coventry.yml").read_text())
    (tmp_path / "other.yml").write_text(yaml.safe_dump(data))
    with pytest.raises(PartnershipConfigError, match=r"other\.yml: id: 'coventry' does not match"):
        load_partnerships(tmp_path, "coventry")


@pytest.mark.parametrize(
    ("when", "expected"),
    [
        (datetime(2026, 11, 21, 23, 0, tzinfo=LONDON),
         "It's 11pm on a Saturday: the noise line is Coventry City Council out-of-hours noise"),
        (datetime(2026, 11, 22, 1, 30, tzinfo=LONDON),
         "It's 1:30am on a Sunday: the noise line is Coventry City Council out-of-hours noise"),
        (datetime(2026, 11, 23, 10, 0, tzinfo=LONDON),
         "It's 10am on a Monday: the noise line is Coventry City Council environmental protection"),
        (datetime(2026, 11, 24, 20, 0, tzinfo=LONDON),
         "It's 8pm on a Tuesday: the noise line is Coventry City Council (report noise)"),
    ],
)  # fmt: skip
def test_coventry_noise_line_depends_on_day_and_time(when: datetime, expected: str) -> None:
    text = signpost(load_partnership(DIR, "coventry"), "noise", when)
    assert text is not None and text.startswith(expected), text


def test_signpost_victim_support_any_time() -> None:
    p = load_partnership(DIR, "cherwell")
    text = signpost(p, "victim_support", datetime(2026, 12, 25, 3, 0, tzinfo=LONDON))
    assert text is not None and "0808 168 9111" in text
    assert signpost(p, "mental_health", datetime(2026, 12, 25, 3, 0, tzinfo=LONDON)) is None
