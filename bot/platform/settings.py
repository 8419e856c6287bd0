"""All configuration in one place, read from the environment (CONTRACT section 4)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from bot.platform import run_state
from bot.privacy.crypto import KEYS_FILE, Cipher

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="", extra="ignore", populate_by_name=True)

    # Contract variables (CONTRACT section 4).
    redis_url: str | None = Field(default=None, alias="REDIS_URL")
    public_base_url: str = Field(default="http://127.0.0.1:8000", alias="PUBLIC_BASE_URL")
    twilio_account_sid: str | None = Field(default=None, alias="TWILIO_ACCOUNT_SID")
    twilio_auth_token: str | None = Field(default=None, alias="TWILIO_AUTH_TOKEN")
    twilio_phone_number: str | None = Field(default=None, alias="TWILIO_PHONE_NUMBER")
    twilio_api_base: str = Field(default="https://api.twilio.com", alias="TWILIO_API_BASE")
    smtp_url: str | None = Field(default=None, alias="SMTP_URL")
    partners_file: Path | None = Field(default=None, alias="ASB_PARTNERS_FILE")

    # Addresses: everything binds to loopback unless told otherwise.
    host: str = Field(default="127.0.0.1", alias="HOST")
    port: int = Field(default=8000, alias="PORT")
    rasa_url: str = Field(default="http://127.0.0.1:5005", alias="RASA_URL")
    rasa_timeout_seconds: float = Field(default=10.0, alias="RASA_TIMEOUT_SECONDS")
    action_port: int = Field(default=5055, alias="ACTION_PORT")
    # Rasa server processes `asb-intake run` starts (Sanic workers on one port, sharing
    # the Redis tracker and lock stores): one Rasa process uses one core at most.
    rasa_workers: int = Field(default=2, ge=1, alias="RASA_WORKERS")
    # Gateway worker processes behind the one master that holds the socket: one killed
    # costs only the requests in flight on it while the master starts another.
    gateway_workers: int = Field(default=2, ge=1, alias="GATEWAY_WORKERS")

    # State kept on disk by `make run` (embedded Valkey data, generated secrets, outbox).
    data_dir: Path = Field(default=PROJECT_ROOT / "var", alias="ASB_DATA_DIR")
    # Keyed-hash secret for pseudonymous conversation and contact keys.
    pseudonym_key: str | None = Field(default=None, alias="ASB_PSEUDONYM_KEY")
    key_prefix: str = Field(default="asb", alias="ASB_KEY_PREFIX")
    # Replicas that must hold a case's write before its reference is told (WAITAOF).
    durable_replicas: int = Field(default=0, alias="ASB_DURABLE_REPLICAS")
    durable_timeout_ms: int = Field(default=2000, alias="ASB_DURABLE_TIMEOUT_MS")
    conversation_ttl_days: int = Field(default=30, alias="ASB_CONVERSATION_TTL_DAYS")
    # How long after an emergency what the resident adds (their reply to "where?", a
    # postcode, a further emergency message) goes to the police as its update; after
    # that, an emergency in the same conversation is a new P1 event.
    emergency_open_minutes: int = Field(default=60, gt=0, alias="ASB_EMERGENCY_OPEN_MINUTES")
    # Fernet keys for personal records at rest, comma-separated, newest first (rotation).
    encryption_keys: str | None = Field(default=None, alias="ASB_ENCRYPTION_KEYS")
    # Personal data and conversations of a closed case are kept this long, then expire.
    retention_days_after_closure: int = Field(default=365, alias="ASB_RETENTION_DAYS_AFTER_CLOSURE")
    # Abuse limits (the `limits` package's notation), shared across gateways through Redis.
    rate_limit_per_sender: str = Field(default="30/minute", alias="ASB_RATE_LIMIT_PER_SENDER")
    rate_limit_per_source: str = Field(default="300/minute", alias="ASB_RATE_LIMIT_PER_SOURCE")
    default_partnership: str = Field(default="coventry", alias="ASB_DEFAULT_PARTNERSHIP")
    partnerships_dir: Path = Field(
        default=PROJECT_ROOT / "partnerships", alias="ASB_PARTNERSHIPS_DIR"
    )
    # Acknowledgements: the From address of emails, and how long a send may take before a
    # claim found still "sending" means its worker died mid-send.
    mail_from: str = Field(default="asb-reports@localhost", alias="ASB_MAIL_FROM")
    ack_lease_seconds: float = Field(default=120.0, alias="ASB_ACK_LEASE_SECONDS")
    # Partner webhooks: waits in seconds before each attempt (the first is normally 0;
    # about a day and a half in all), and each attempt's timeout.
    webhook_retry_schedule: str = Field(
        default="0,5,300,1800,7200,18000,36000,36000", alias="ASB_WEBHOOK_RETRY_SCHEDULE"
    )
    webhook_timeout_seconds: float = Field(default=15.0, alias="ASB_WEBHOOK_TIMEOUT_SECONDS")
    # The partnerships this deployment serves, comma-separated ids; unset: every file.
    partnerships: str | None = Field(default=None, alias="ASB_PARTNERSHIPS")

    def partnership_ids(self) -> list[str] | None:
        if not self.partnerships:
            return None
        return [p.strip() for p in self.partnerships.split(",") if p.strip()]

    def retry_schedule(self) -> list[float]:
        waits = [float(w) for w in self.webhook_retry_schedule.split(",") if w.strip()]
        if not waits or any(w < 0 for w in waits):
            raise ValueError("ASB_WEBHOOK_RETRY_SCHEDULE: comma-separated seconds, none negative")
        return waits

    @property
    def conversation_ttl_seconds(self) -> int:
        return self.conversation_ttl_days * 86_400

    def require_redis_url(self) -> str:
        """REDIS_URL, or the embedded Valkey of the service `make run` has running here."""
        if self.redis_url:
            return self.redis_url
        running = run_state.running_store(self.data_dir)
        if running is None:
            raise RuntimeError(
                f"no service is running from {self.data_dir} and REDIS_URL is not set: start "
                "the service with `make run` (embedded Valkey), or point REDIS_URL at "
                "Redis/Valkey."
            )
        return running

    def secret_key(self) -> bytes:
        """The pseudonymisation key; `make run` generates one under var/ when none is given."""
        if self.pseudonym_key:
            return self.pseudonym_key.encode()
        key_file = self.data_dir / "pseudonym.key"
        if key_file.exists():
            return key_file.read_text().strip().encode()
        raise RuntimeError(
            "ASB_PSEUDONYM_KEY is not set and no key exists under var/: start with `make run` "
            "or set ASB_PSEUDONYM_KEY."
        )

    @property
    def retention_seconds(self) -> int:
        return self.retention_days_after_closure * 86_400

    def cipher(self) -> Cipher:
        """The personal-data cipher; `make run` generates a key under var/ when none is given."""
        if self.encryption_keys:
            return Cipher.from_text(self.encryption_keys)
        key_file = self.data_dir / KEYS_FILE
        if key_file.exists():
            return Cipher.from_text(key_file.read_text())
        raise RuntimeError(
            "ASB_ENCRYPTION_KEYS is not set and no key exists under var/: start with `make run` "
            "or set ASB_ENCRYPTION_KEYS."
        )


@cache
def get_settings() -> Settings:
    return Settings()
