"""The partners file (ASB_PARTNERS_FILE, CONTRACT section 5): each agency's webhook.

    endpoints:
      police:      {url: "https://police.example/asb", secret: "whsec_..."}
      council_asb: {url: "https://council.example/asb", secret: ["whsec_new", "whsec_old"]}
    allow_private_addresses: false   # true only for tests and local demos

A list of secrets signs every message with each of them, so an agency can rotate its
secret without missing a message. Secrets never appear in logs.
"""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator
from standardwebhooks import Webhook


class PartnersConfigError(ValueError):
    pass


class Endpoint(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    url: str = Field(pattern=r"^https?://")
    secret: list[str]

    @field_validator("secret", mode="before")
    @classmethod
    def _secrets(cls, value: object) -> object:
        values = [value] if isinstance(value, str) else value
        if not isinstance(values, list) or not values:
            raise ValueError("give a secret (whsec_...) or a list of them")
        for secret in values:
            try:
                Webhook(str(secret))
            except Exception as exc:
                raise ValueError("a secret is not a Standard Webhooks secret") from exc
        return values

    def __repr__(self) -> str:  # never print the secrets
        return f"Endpoint(url={self.url!r}, secrets={len(self.secret)})"

    __str__ = __repr__


class PartnersConfig(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    endpoints: dict[str, Endpoint] = Field(default_factory=dict)
    allow_private_addresses: bool = False


def load_partners_file(path: Path | None) -> PartnersConfig:
    """The partners file, or no endpoints at all when none is configured."""
    if path is None:
        return PartnersConfig()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return PartnersConfig.model_validate(data)
    except OSError as exc:
        raise PartnersConfigError(f"{path}: cannot be read: {exc}") from exc
    except yaml.YAMLError as exc:
        raise PartnersConfigError(f"{path}: not valid YAML") from exc
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc'])}: {err['msg']}" for err in exc.errors()
        )
        raise PartnersConfigError(f"{path}: {problems}") from exc
