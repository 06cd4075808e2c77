"""Rylie's credentials: sealed by the application (AES-256-GCM, key from the environment),
stored as ciphertext + nonce + key id, and no PostgreSQL extension anywhere (the embedded
server ships none). Each test rolls back."""

from __future__ import annotations

import base64
import os
import re

import psycopg
import pytest
from cryptography.exceptions import InvalidTag

from .conftest import MIGRATIONS, SEED, as_app, as_owner, as_tenant
from .credentials import (
    DEMO_KEY_ID,
    KEY_ENV,
    KEY_ID_ENV,
    Key,
    Sealed,
    demo_key,
    load_key,
    seal,
    unseal,
)

Conn = psycopg.Connection[tuple[object, ...]]
SEEDED = [(d, p, n, f"{prefix}{d}") for d in (1, 2, 3) for p, n, prefix in (
    ("twilio", "auth_token", "twilio-secret-"), ("sendgrid", "api_key", "SG.sendgrid-secret-"),
)]  # fmt: skip


def fetch(conn: Conn, dealership: int, provider: str, name: str) -> Sealed | None:
    row = conn.execute(
        "SELECT ciphertext, nonce, key_id FROM get_dealership_credential(%s, %s, %s)",
        (dealership, provider, name),
    ).fetchone()
    if row is None:
        return None
    ciphertext, nonce, key_id = row
    assert isinstance(ciphertext, bytes) and isinstance(nonce, bytes)
    return Sealed(ciphertext, nonce, str(key_id))


def store(conn: Conn, dealership: int, provider: str, name: str, sealed: Sealed) -> None:
    conn.execute(
        "SELECT set_dealership_credential(%s, %s, %s, %s, %s, %s)",
        (dealership, provider, name, sealed.ciphertext, sealed.nonce, sealed.key_id),
    )


@pytest.fixture
def env_key(monkeypatch: pytest.MonkeyPatch) -> Key:
    """A fresh random key in the environment, as the application gets it."""
    monkeypatch.setenv(KEY_ENV, base64.b64encode(os.urandom(32)).decode())
    monkeypatch.setenv(KEY_ID_ENV, "2026-01")
    return load_key()


@pytest.mark.parametrize(("dealership", "provider", "name", "plaintext"), SEEDED)
def test_seeded_credentials_decrypt_with_the_demo_key_only(
    conn: Conn, dealership: int, provider: str, name: str, plaintext: str
) -> None:
    as_app(conn, dealership)
    sealed = fetch(conn, dealership, provider, name)
    assert sealed is not None and sealed.key_id == DEMO_KEY_ID
    assert plaintext.encode() not in sealed.ciphertext
    assert unseal(demo_key(), dealership, provider, name, sealed) == plaintext
    other = Key(DEMO_KEY_ID, os.urandom(32))
    with pytest.raises(InvalidTag):
        unseal(other, dealership, provider, name, sealed)


def test_application_seals_stores_reads_and_rotates(conn: Conn, env_key: Key) -> None:
    as_app(conn, 1)
    first = seal(env_key, 1, "openai", "api_key", "sk-first-secret-value")
    store(conn, 1, "openai", "api_key", first)
    read = fetch(conn, 1, "openai", "api_key")
    assert read == first and b"sk-first" not in first.ciphertext
    assert unseal(env_key, 1, "openai", "api_key", read) == "sk-first-secret-value"
    assert conn.execute(
        "SELECT last_rotated_at FROM dealership_credentials WHERE provider = 'openai'"
    ).fetchall() == [(None,)]
    second = seal(env_key, 1, "openai", "api_key", "sk-rotated")
    store(conn, 1, "openai", "api_key", second)
    rows = conn.execute(
        "SELECT nonce, key_id, last_rotated_at IS NOT NULL FROM dealership_credentials "
        "WHERE provider = 'openai'"
    ).fetchall()
    assert rows == [(second.nonce, "2026-01", True)]
    rotated = fetch(conn, 1, "openai", "api_key")
    assert rotated is not None and unseal(env_key, 1, "openai", "api_key", rotated) == "sk-rotated"
    conn.execute("UPDATE dealership_credentials SET is_active = false WHERE provider = 'openai'")
    assert fetch(conn, 1, "openai", "api_key") is None


def test_a_ciphertext_is_bound_to_its_row(conn: Conn, env_key: Key) -> None:
    sealed = seal(env_key, 1, "twilio", "api_secret", "s3cret-twilio")
    for dealership, name in ((2, "api_secret"), (1, "auth_token")):
        with pytest.raises(InvalidTag):
            unseal(env_key, dealership, "twilio", name, sealed)
    # copied into another tenant by someone with write access: the nonce is refused anyway
    as_app(conn, 1)
    store(conn, 1, "twilio", "api_secret", sealed)
    as_app(conn, 2)
    with pytest.raises(psycopg.errors.UniqueViolation), conn.transaction():
        store(conn, 2, "twilio", "api_secret", sealed)


@pytest.mark.parametrize(
    ("ciphertext", "nonce", "key_id", "error"),
    [
        (b"SG.plaintext", bytes(12), "k1", psycopg.errors.CheckViolation),  # no room for a tag
        (b"", bytes(12), "k1", psycopg.errors.CheckViolation),
        (bytes(range(40)), bytes(16), "k1", psycopg.errors.CheckViolation),
        (bytes(range(40)), b"", "k1", psycopg.errors.CheckViolation),
        (bytes(range(40)), bytes(12), "", psycopg.errors.CheckViolation),
        (bytes(range(40)), bytes(12), "key id; drop", psycopg.errors.CheckViolation),
        (bytes(range(40)), None, "k1", psycopg.errors.NotNullViolation),
        (None, bytes(12), "k1", psycopg.errors.NotNullViolation),
        (bytes(range(40)), bytes(12), None, psycopg.errors.NotNullViolation),
    ],
)
def test_the_table_refuses_what_is_not_sealed(
    conn: Conn, ciphertext: bytes | None, nonce: bytes | None, key_id: str | None, error: type
) -> None:
    as_app(conn, 1)
    with pytest.raises(error):
        conn.execute(
            "INSERT INTO dealership_credentials (dealership_id, provider, credential_name, "
            "ciphertext, nonce, key_id) VALUES (1, 'smtp', 'password', %s, %s, %s)",
            (ciphertext, nonce, key_id),
        )


def test_a_nonce_is_never_reused_under_one_key(conn: Conn, env_key: Key) -> None:
    as_app(conn, 1)
    nonce = os.urandom(12)
    store(conn, 1, "smtp", "user", seal(env_key, 1, "smtp", "user", "mailer", nonce))
    with pytest.raises(psycopg.errors.UniqueViolation), conn.transaction():
        store(conn, 1, "smtp", "password", seal(env_key, 1, "smtp", "password", "pw", nonce))
    other_key = Key("2026-02", os.urandom(32))  # the same nonce under another key is fine
    store(conn, 1, "smtp", "password", seal(other_key, 1, "smtp", "password", "pw", nonce))


def test_tenants_cannot_read_or_write_each_others_credentials(conn: Conn, env_key: Key) -> None:
    as_app(conn, 1)
    assert fetch(conn, 2, "twilio", "auth_token") is None
    sealed = seal(env_key, 2, "twilio", "auth_token", "overwrite attempt")
    with pytest.raises(psycopg.errors.InsufficientPrivilege), conn.transaction():
        store(conn, 2, "twilio", "auth_token", sealed)
    as_app(conn, None)
    assert conn.execute("SELECT count(*) FROM dealership_credentials").fetchone() == (0,)
    as_owner(conn)
    as_tenant(conn, 2)
    stored = fetch(conn, 2, "twilio", "auth_token")
    assert stored is not None and unseal(demo_key(), 2, "twilio", "auth_token", stored) == (
        "twilio-secret-2"
    )


def test_verify_refuses_a_plaintext_column(conn: Conn) -> None:
    verify = MIGRATIONS / "0003_secure_credentials.verify.sql"
    conn.execute(verify.read_text().encode())  # in place: passes
    conn.execute("ALTER TABLE dealership_credentials ADD COLUMN secret_value text")
    with pytest.raises(psycopg.errors.RaiseException, match="no plaintext column"):
        conn.execute(verify.read_text().encode())


@pytest.mark.parametrize(
    ("environ", "message"),
    [
        ({}, "is not set"),
        ({KEY_ENV: "not base64!"}, "not valid base64"),
        ({KEY_ENV: base64.b64encode(b"sixteen byte key").decode()}, "32 bytes"),
    ],
)
def test_the_key_must_be_32_bytes_of_base64(environ: dict[str, str], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        load_key(environ)


def test_no_extension_is_needed(conn: Conn) -> None:
    """The embedded PostgreSQL ships no contrib extensions: only plpgsql may be installed."""
    assert conn.execute("SELECT array_agg(extname) FROM pg_extension").fetchone() == (["plpgsql"],)
    contrib = re.compile(
        r"CREATE\s+EXTENSION|pgcrypto|pgp_sym|gen_random_bytes|\bcrypt\(|gen_salt|digest\(|"
        r"hmac\(|uuid_generate|citext|pg_trgm|btree_gi[sn]|hstore",
        re.IGNORECASE,
    )
    for path in [*sorted(MIGRATIONS.glob("*.sql")), SEED]:
        assert not contrib.search(path.read_text()), f"{path.name} needs a contrib extension"
