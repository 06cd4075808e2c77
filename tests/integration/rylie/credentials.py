"""The application side of Rylie's credential encryption (README.md, "Secrets"), for tests.

The database stores only what `seal` returns: AES-256-GCM ciphertext (with its 16-byte tag),
the 12-byte nonce and the key id. The key comes from the environment: RYLIE_CREDENTIALS_KEY is
32 random bytes in standard base64, RYLIE_CREDENTIALS_KEY_ID names it. The associated data ties
a ciphertext to its row, so a ciphertext copied to another tenant or name does not decrypt.
"""

from __future__ import annotations

import base64
import binascii
import os
from collections.abc import Mapping
from dataclasses import dataclass

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

KEY_ENV = "RYLIE_CREDENTIALS_KEY"
KEY_ID_ENV = "RYLIE_CREDENTIALS_KEY_ID"
# The key data/seed.sql's credentials are sealed with: sample data only, never for real use.
DEMO_KEY = base64.b64encode(b"rylie demo key: not for real use").decode()
DEMO_KEY_ID = "demo"
NONCE_BYTES = 12


@dataclass(frozen=True)
class Sealed:
    ciphertext: bytes
    nonce: bytes
    key_id: str


@dataclass(frozen=True)
class Key:
    key_id: str
    secret: bytes


def load_key(environ: Mapping[str, str] = os.environ) -> Key:
    """The current key from the environment; ValueError when missing or not 32 bytes."""
    raw = environ.get(KEY_ENV)
    if not raw:
        raise ValueError(f"{KEY_ENV} is not set: give it 32 random bytes in base64")
    try:
        secret = base64.b64decode(raw, validate=True)
    except binascii.Error as exc:
        raise ValueError(f"{KEY_ENV} is not valid base64") from exc
    if len(secret) != 32:
        raise ValueError(f"{KEY_ENV} must decode to 32 bytes (AES-256), not {len(secret)}")
    return Key(environ.get(KEY_ID_ENV) or "default", secret)


def associated_data(dealership_id: int, provider: str, name: str) -> bytes:
    return f"rylie:{dealership_id}:{provider}:{name}".encode()


def seal(
    key: Key,
    dealership_id: int,
    provider: str,
    name: str,
    secret: str,
    nonce: bytes | None = None,
) -> Sealed:
    """Encrypt `secret` for one credential row. `nonce` is for reproducible sample data only:
    a real application always lets it be random (a repeated nonce under one key breaks GCM)."""
    nonce = os.urandom(NONCE_BYTES) if nonce is None else nonce
    aad = associated_data(dealership_id, provider, name)
    return Sealed(AESGCM(key.secret).encrypt(nonce, secret.encode(), aad), nonce, key.key_id)


def unseal(key: Key, dealership_id: int, provider: str, name: str, sealed: Sealed) -> str:
    """Decrypt a stored row; cryptography's InvalidTag when the key, row or bytes are wrong."""
    if sealed.key_id != key.key_id:
        raise ValueError(f"sealed with key {sealed.key_id!r}, not {key.key_id!r}")
    aad = associated_data(dealership_id, provider, name)
    return AESGCM(key.secret).decrypt(sealed.nonce, sealed.ciphertext, aad).decode()


def demo_key() -> Key:
    return load_key({KEY_ENV: DEMO_KEY, KEY_ID_ENV: DEMO_KEY_ID})
