"""Partnership standards as data: one YAML file per partnership under partnerships/.

A wrong file fails at start-up naming the file, the field and the reason.
"""

from bot.partnerships.loader import (
    AreaMatch,
    PartnershipConfigError,
    Partnerships,
    load_partnership,
    load_partnership_file,
    load_partnerships,
)
from bot.partnerships.schema import (
    Agency,
    Duration,
    OpeningHours,
    Partnership,
    PhoneContact,
    Signpost,
    SlaClocks,
    Transfer,
)

__all__ = [
    "Agency",
    "AreaMatch",
    "Duration",
    "OpeningHours",
    "Partnership",
    "PartnershipConfigError",
    "Partnerships",
    "PhoneContact",
    "Signpost",
    "SlaClocks",
    "Transfer",
    "load_partnership",
    "load_partnership_file",
    "load_partnerships",
]
