"""Partnership standards as data: one YAML file per partnership under partnerships/.

A wrong file fails at start-up naming the file, the field and the reason.
"""

from __future__ import annotations

from datetime import datetime, time
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ValidationError

Weekday = Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
_WEEKDAYS: tuple[Weekday, ...] = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class PhoneContact(BaseModel):
    label: str
    phone: str
    hours: str | None = None


class OpeningHours(BaseModel):
    days: list[Weekday]
    open: time
    close: time


class Transfer(BaseModel):
    """Where a caller who asks to speak to someone is put through, and when."""

    phone: str  # E.164, as <Dial> needs it
    label: str | None = None
    timezone: str = "Europe/London"
    opening_hours: list[OpeningHours] = []

    def is_open(self, now: datetime) -> bool:
        """Whether a call can be put through at `now` (an aware datetime)."""
        local = now.astimezone(ZoneInfo(self.timezone))
        day = _WEEKDAYS[local.weekday()]
        return any(
            day in slot.days and slot.open <= local.time() < slot.close
            for slot in self.opening_hours
        )


class Partnership(BaseModel):
    id: str
    name: str
    council: str
    contacts: list[PhoneContact]
    # Optional, for the phone line: the police control room a caller in an emergency may be
    # put through to, and the transfer for "speak to someone".
    control_room_phone: str | None = None
    transfer: Transfer | None = None

    def handoff_text(self) -> str:
        """Who a resident can speak to, as plain text."""
        lines = [
            f"- {c.label}: {c.phone}" + (f" ({c.hours})" if c.hours else "") for c in self.contacts
        ]
        return "\n".join(lines)

    def main_line(self) -> PhoneContact:
        return self.contacts[0]


class PartnershipConfigError(ValueError):
    pass


def load_partnership(directory: Path, partnership_id: str) -> Partnership:
    path = directory / f"{partnership_id}.yml"
    if not path.exists():
        raise PartnershipConfigError(f"{path}: no such partnership file")
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        return Partnership.model_validate(data)
    except yaml.YAMLError as exc:
        raise PartnershipConfigError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise PartnershipConfigError(f"{path}: {problems}") from exc
