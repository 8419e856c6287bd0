"""Loading partnership files, and choosing the partnership for a place: by its postcode
district, or by the town or neighbourhood named when there is no postcode."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

import yaml
from pydantic import ValidationError

from bot.partnerships.schema import Partnership
from bot.privacy.contact import find_postcode, postcode_district


class PartnershipConfigError(ValueError):
    pass


def load_partnership(directory: Path, partnership_id: str) -> Partnership:
    path = directory / f"{partnership_id}.yml"
    if not path.exists():
        raise PartnershipConfigError(f"{path}: no such partnership file")
    return load_partnership_file(path)


def load_partnership_file(path: Path) -> Partnership:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        partnership = Partnership.model_validate(data)
    except yaml.YAMLError as exc:
        raise PartnershipConfigError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(file)'}: {err['msg']}"
            for err in exc.errors()
        )
        raise PartnershipConfigError(f"{path}: {problems}") from exc
    if partnership.id != path.stem:
        raise PartnershipConfigError(
            f"{path}: id: {partnership.id!r} does not match the file name {path.stem!r}"
        )
    return partnership


Resolution = Literal["matched", "shared", "unknown", "no_postcode"]

# A town's name used as a street's ("Coventry Road" in Birmingham) does not place a report.
_STREET_WORDS = (
    "road", "rd", "street", "st", "lane", "ln", "avenue", "ave", "way", "close", "drive",
    "crescent", "grove", "place", "terrace", "walk", "gardens", "court", "row", "parade",
)  # fmt: skip


def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9']+", text.lower())) + " "


def names_place(text: str, place: str) -> bool:
    """Whether `text` names `place` as whole words, and not as the start of a street's
    name ("Northampton I think" names Northampton; "Northampton Road, Kettering" does
    not)."""
    said, name = _words(text), _words(place)
    start = said.find(name)
    while start != -1:
        following = said[start + len(name) :].split(" ", 1)[0]
        if following not in _STREET_WORDS:
            return True
        start = said.find(name, start + 1)
    return False


@dataclass(frozen=True)
class AreaMatch:
    """Which partnership a report belongs to, or the candidates to ask the resident about."""

    resolution: Resolution
    partnership: str | None  # set when matched (or no postcode: the deployment's default)
    candidates: tuple[str, ...] = ()

    @property
    def needs_asking(self) -> bool:
        return self.partnership is None


class Partnerships:
    """Every partnership this deployment serves, validated together at start-up."""

    def __init__(self, partnerships: list[Partnership], default: str):
        self._by_id = {p.id: p for p in partnerships}
        if default not in self._by_id:
            raise PartnershipConfigError(
                f"ASB_DEFAULT_PARTNERSHIP: {default!r} is not one of {sorted(self._by_id)}"
            )
        self.default_id = default

    @property
    def default(self) -> Partnership:
        return self._by_id[self.default_id]

    def get(self, partnership_id: str) -> Partnership:
        return self._by_id[partnership_id]

    def all(self) -> list[Partnership]:
        return list(self._by_id.values())

    def __contains__(self, partnership_id: object) -> bool:
        return partnership_id in self._by_id

    def named_in(self, text: str) -> list[str]:
        """The partnerships whose id or places `text` names, in file order."""
        return [
            p.id
            for p in self._by_id.values()
            if any(names_place(text, place) for place in (p.id, *p.area.places))
        ]

    def match_location(self, location: str | None) -> AreaMatch:
        """The partnership of a place as the resident gave it: by its postcode's district;
        without a postcode, by the town or neighbourhood it names (asked about when it
        names places of more than one partnership); otherwise the deployment's default."""
        postcode = find_postcode(location or "")
        if postcode:
            return self.match_district(postcode_district(postcode))
        named = self.named_in(location or "")
        if len(named) == 1:
            return AreaMatch("matched", named[0])
        if named:
            return AreaMatch("shared", None, tuple(named))
        return self.match_district(None)

    def match_district(self, district: str | None) -> AreaMatch:
        """A district served by exactly one of our partnerships and by nobody else is
        matched; a shared one (ours twice, or ours and a neighbour's) or an unknown one has
        to be asked about; with no postcode at all the deployment's default is used."""
        if not district:
            return AreaMatch("no_postcode", self.default_id)
        district = district.upper()
        owners = [p.id for p in self._by_id.values() if district in p.area.districts]
        sharers = [p.id for p in self._by_id.values() if district in p.area.shared_districts]
        if len(owners) == 1 and not sharers:
            return AreaMatch("matched", owners[0])
        candidates = tuple(dict.fromkeys([*owners, *sharers]))
        if candidates:
            return AreaMatch("shared", None, candidates)
        return AreaMatch("unknown", None, tuple(self._by_id))


def load_partnerships(directory: Path, default: str, ids: list[str] | None = None) -> Partnerships:
    """Load the named partnerships (all files in `directory` when none are named)."""
    if ids:
        loaded = [load_partnership(directory, i) for i in ids]
    else:
        loaded = [load_partnership_file(p) for p in sorted(directory.glob("*.yml"))]
    if not loaded:
        raise PartnershipConfigError(f"{directory}: no partnership files")
    return Partnerships(loaded, default)
