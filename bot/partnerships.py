"""Partnership standards as data: one YAML file per partnership under partnerships/.

A wrong file fails at start-up naming the file, the field and the reason.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ValidationError


class PhoneContact(BaseModel):
    label: str
    phone: str
    hours: str | None = None


class Partnership(BaseModel):
    id: str
    name: str
    council: str
    contacts: list[PhoneContact]

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
