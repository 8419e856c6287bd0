"""Encryption at rest for personal records (Fernet: AES-128-CBC with HMAC-SHA256).

Several keys may be configured, newest first: the first encrypts, every one decrypts, so a
new key can be added before the old ones are retired (`asb-intake keys rotate` re-encrypts
stored records with the newest key, after which the old keys can be removed).
"""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

KEYS_FILE = "encryption.keys"
# Every Fernet token starts with its version byte 0x80, which base64url writes as "gAAAAA".
_TOKEN_PREFIX = b"gAAAAA"

__all__ = [
    "KEYS_FILE", "Cipher", "InvalidToken", "ensure_encryption_keys", "new_key", "seal", "unseal",
]  # fmt: skip


def new_key() -> str:
    return Fernet.generate_key().decode()


def ensure_encryption_keys(data_dir: Path) -> None:
    """Generate a key under var/ for `make run` and the tests when none is configured
    (mirrors the pseudonym key): production sets ASB_ENCRYPTION_KEYS instead."""
    key_file = data_dir / KEYS_FILE
    if not key_file.exists():
        data_dir.mkdir(parents=True, exist_ok=True)
        key_file.write_text(new_key())
        key_file.chmod(0o600)


class Cipher:
    """Encrypts and decrypts text with the configured keys (newest first)."""

    def __init__(self, keys: list[str]):
        if not keys:
            raise ValueError("at least one encryption key is needed")
        self._fernet = MultiFernet([Fernet(k.encode()) for k in keys])

    @classmethod
    def from_text(cls, text: str) -> Cipher:
        """Comma-separated keys, newest first (the form of ASB_ENCRYPTION_KEYS)."""
        return cls([k.strip() for k in text.split(",") if k.strip()])

    def encrypt(self, plaintext: str) -> bytes:
        return self._fernet.encrypt(plaintext.encode())

    def decrypt(self, token: bytes | str) -> str:
        """Raises InvalidToken when no configured key made the token (or it was altered)."""
        data = token.encode() if isinstance(token, str) else token
        return self._fernet.decrypt(data).decode()

    def rotate(self, token: bytes) -> bytes:
        """The same plaintext encrypted with the newest key (its original time kept)."""
        return self._fernet.rotate(token)

    @staticmethod
    def is_token(value: bytes | str) -> bool:
        """Records written before encryption was turned on are plain JSON ("{...")."""
        data = value.encode() if isinstance(value, str) else value
        return data.startswith(_TOKEN_PREFIX)


def seal(cipher: Cipher | None, plaintext: str) -> str:
    """Text to store: a Fernet token, or the text itself where no cipher is configured
    (unit tests and benchmarks only; every process of the service has one)."""
    return plaintext if cipher is None else cipher.encrypt(plaintext).decode()


def unseal(cipher: Cipher | None, stored: bytes | str) -> str:
    """The text of a stored value; a value written before encryption is returned as it is."""
    if Cipher.is_token(stored):
        if cipher is None:
            raise RuntimeError("an encrypted record needs ASB_ENCRYPTION_KEYS")
        return cipher.decrypt(stored)
    return stored.decode() if isinstance(stored, bytes) else stored
