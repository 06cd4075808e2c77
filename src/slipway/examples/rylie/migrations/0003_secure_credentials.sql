-- Secure credentials: Twilio, SendGrid and other provider secrets, stored only as AES-256-GCM ciphertext
-- Third-party credentials (Twilio, SendGrid, ...) are encrypted at rest by the APPLICATION with
-- AES-256-GCM and a key from its environment (RYLIE_CREDENTIALS_KEY); the database never sees
-- the key or the plaintext, and needs no extension (core PostgreSQL only). A row holds the
-- ciphertext (with its 16-byte tag), the 12-byte nonce and the id of the key that sealed it.
-- The associated data is 'rylie:<dealership_id>:<provider>:<credential_name>', so a ciphertext
-- copied into another row or tenant no longer decrypts. Contract: README.md, "Secrets".
CREATE TABLE dealership_credentials (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    provider text NOT NULL,
    credential_name text NOT NULL,
    ciphertext bytea NOT NULL,
    nonce bytea NOT NULL,
    key_id text NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    last_rotated_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dealership_credentials_provider_check CHECK (provider IN ('twilio', 'sendgrid', 'openai', 'google_ads', 'smtp', 'other')),
    -- AES-GCM output is the encrypted bytes followed by a 16-byte tag: never shorter than 17
    CONSTRAINT dealership_credentials_ciphertext_check CHECK (octet_length(ciphertext) > 16),
    CONSTRAINT dealership_credentials_nonce_check CHECK (octet_length(nonce) = 12),
    CONSTRAINT dealership_credentials_key_id_check CHECK (key_id ~ '^[A-Za-z0-9._-]{1,64}$'),
    CONSTRAINT dealership_credentials_name_key UNIQUE (dealership_id, provider, credential_name),
    -- a nonce reused under the same key breaks GCM: refuse it (also finds rows to re-encrypt
    -- by key_id when the key is rotated)
    CONSTRAINT dealership_credentials_nonce_key UNIQUE (key_id, nonce)
);
COMMENT ON COLUMN dealership_credentials.ciphertext IS 'AES-256-GCM ciphertext || 16-byte tag, sealed by the application; never plaintext.';
COMMENT ON COLUMN dealership_credentials.nonce IS '12-byte random AES-GCM nonce, new for every encryption.';
COMMENT ON COLUMN dealership_credentials.key_id IS 'Id of the application key (RYLIE_CREDENTIALS_KEY_ID) that sealed the ciphertext; the key itself is never stored.';

ALTER TABLE dealership_credentials ENABLE ROW LEVEL SECURITY;
ALTER TABLE dealership_credentials FORCE ROW LEVEL SECURITY;
CREATE POLICY dealership_credentials_tenant_select ON dealership_credentials FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY dealership_credentials_tenant_insert ON dealership_credentials FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY dealership_credentials_tenant_update ON dealership_credentials FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY dealership_credentials_tenant_delete ON dealership_credentials FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE dealership_credentials TO rylie_app;
CREATE TRIGGER trg_dealership_credentials_updated_at BEFORE UPDATE ON dealership_credentials
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- Store or rotate: the upsert keeps one row per (dealership, provider, name) and stamps
-- last_rotated_at when an existing credential is replaced. No crypto in SQL.
CREATE FUNCTION set_dealership_credential(p_dealership_id integer, p_provider text, p_name text,
                                          p_ciphertext bytea, p_nonce bytea, p_key_id text) RETURNS bigint
    LANGUAGE sql
    SET search_path = pg_catalog, public
AS $$
    INSERT INTO dealership_credentials AS c (dealership_id, provider, credential_name, ciphertext, nonce, key_id)
    VALUES (p_dealership_id, p_provider, p_name, p_ciphertext, p_nonce, p_key_id)
    ON CONFLICT (dealership_id, provider, credential_name) DO UPDATE
        SET ciphertext = EXCLUDED.ciphertext, nonce = EXCLUDED.nonce, key_id = EXCLUDED.key_id,
            is_active = true, last_rotated_at = now()
    RETURNING c.id
$$;
COMMENT ON FUNCTION set_dealership_credential(integer, text, text, bytea, bytea, text) IS 'Store or rotate a credential sealed by the application (AES-256-GCM); runs with the caller''s rights and RLS.';

CREATE FUNCTION get_dealership_credential(p_dealership_id integer, p_provider text, p_name text)
    RETURNS TABLE (ciphertext bytea, nonce bytea, key_id text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, public
AS $$
    SELECT c.ciphertext, c.nonce, c.key_id
    FROM dealership_credentials c
    WHERE c.dealership_id = p_dealership_id AND c.provider = p_provider
      AND c.credential_name = p_name AND c.is_active
$$;
COMMENT ON FUNCTION get_dealership_credential(integer, text, text) IS 'The sealed active credential for the application to decrypt; no row when absent or invisible to the tenant.';
REVOKE EXECUTE ON FUNCTION set_dealership_credential(integer, text, text, bytea, bytea, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION get_dealership_credential(integer, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION set_dealership_credential(integer, text, text, bytea, bytea, text) TO rylie_app;
GRANT EXECUTE ON FUNCTION get_dealership_credential(integer, text, text) TO rylie_app;
