-- Secure credentials: Twilio, SendGrid and other provider secrets encrypted at rest with pgcrypto
-- Third-party credentials (Twilio, SendGrid, ...) are encrypted at rest with pgcrypto's
-- pgp_sym_encrypt. The key is NOT stored in the database: the application reads it from its
-- environment (RYLIE_CREDENTIALS_KEY) and passes it as a bind parameter on every call.
CREATE EXTENSION IF NOT EXISTS pgcrypto WITH SCHEMA public;

CREATE TABLE dealership_credentials (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    provider text NOT NULL,
    credential_name text NOT NULL,
    encrypted_value bytea NOT NULL,
    is_active boolean NOT NULL DEFAULT true,
    last_rotated_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT dealership_credentials_provider_check CHECK (provider IN ('twilio', 'sendgrid', 'openai', 'google_ads', 'smtp', 'other')),
    -- an OpenPGP symmetric message starts with packet tag 0xC3: plaintext cannot slip in
    CONSTRAINT dealership_credentials_encrypted_check CHECK (get_byte(encrypted_value, 0) = 195),
    CONSTRAINT dealership_credentials_name_key UNIQUE (dealership_id, provider, credential_name)
);
COMMENT ON COLUMN dealership_credentials.encrypted_value IS 'pgp_sym_encrypt(secret, key) with the key from the application environment; never plaintext.';

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

CREATE FUNCTION set_dealership_credential(p_dealership_id integer, p_provider text, p_name text,
                                          p_secret text, p_key text) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_id bigint;
BEGIN
    IF p_key IS NULL OR length(p_key) < 16 THEN
        RAISE EXCEPTION 'the credentials key must have at least 16 characters'
            USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO dealership_credentials AS c (dealership_id, provider, credential_name, encrypted_value)
    VALUES (p_dealership_id, p_provider, p_name, pgp_sym_encrypt(p_secret, p_key, 'cipher-algo=aes256'))
    ON CONFLICT (dealership_id, provider, credential_name) DO UPDATE
        SET encrypted_value = EXCLUDED.encrypted_value, is_active = true, last_rotated_at = now()
    RETURNING c.id INTO v_id;
    RETURN v_id;
END
$$;
COMMENT ON FUNCTION set_dealership_credential(integer, text, text, text, text) IS 'Store or rotate a credential, encrypted with the caller-supplied key (runs with the caller''s rights and RLS).';

CREATE FUNCTION get_dealership_credential(p_dealership_id integer, p_provider text, p_name text,
                                          p_key text) RETURNS text
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, public
AS $$
    SELECT pgp_sym_decrypt(c.encrypted_value, p_key)
    FROM dealership_credentials c
    WHERE c.dealership_id = p_dealership_id AND c.provider = p_provider
      AND c.credential_name = p_name AND c.is_active
$$;
COMMENT ON FUNCTION get_dealership_credential(integer, text, text, text) IS 'Decrypt a credential with the caller-supplied key; NULL when absent or invisible to the tenant.';
REVOKE EXECUTE ON FUNCTION set_dealership_credential(integer, text, text, text, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION get_dealership_credential(integer, text, text, text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION set_dealership_credential(integer, text, text, text, text) TO rylie_app;
GRANT EXECUTE ON FUNCTION get_dealership_credential(integer, text, text, text) TO rylie_app;
