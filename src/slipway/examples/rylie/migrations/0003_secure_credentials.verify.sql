-- Verify: Secure credentials: Twilio, SendGrid and other provider secrets, stored only as AES-256-GCM ciphertext. Fails (raises) when anything is missing.
DO $verify$
DECLARE
    item text;
BEGIN
    FOREACH item IN ARRAY ARRAY['dealership_credentials']::text[] LOOP
        IF to_regclass('public.' || item) IS NULL THEN
            RAISE EXCEPTION 'table % is missing', item;
        END IF;
    END LOOP;
    FOREACH item IN ARRAY ARRAY['dealership_credentials']::text[] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                       WHERE c.oid = ('public.' || item)::regclass
                         AND c.relrowsecurity AND c.relforcerowsecurity) THEN
            RAISE EXCEPTION 'table % must have row level security enabled and forced', item;
        END IF;
        IF (SELECT count(DISTINCT p.polcmd) FROM pg_catalog.pg_policy p
            WHERE p.polrelid = ('public.' || item)::regclass
              AND p.polcmd IN ('r', 'a', 'w', 'd')) <> 4 THEN
            RAISE EXCEPTION 'table % needs a SELECT, INSERT, UPDATE and DELETE policy', item;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = ('public.' || item)::regclass
                         AND a.attname = 'dealership_id' AND NOT a.attisdropped) THEN
            RAISE EXCEPTION 'tenant table % has no dealership_id', item;
        END IF;
        IF NOT has_table_privilege('rylie_app', 'public.' || item, 'SELECT') THEN
            RAISE EXCEPTION 'rylie_app cannot read %', item;
        END IF;
    END LOOP;
    FOREACH item IN ARRAY ARRAY['set_dealership_credential(integer, text, text, bytea, bytea, text)', 'get_dealership_credential(integer, text, text)']::text[] LOOP
        IF to_regprocedure('public.' || item) IS NULL THEN
            RAISE EXCEPTION 'function % is missing', item;
        END IF;
    END LOOP;
    -- secrets only sealed: exactly these columns, so no plaintext column can creep in
    IF (SELECT array_agg(a.attname::text ORDER BY a.attname) FROM pg_catalog.pg_attribute a
        WHERE a.attrelid = 'public.dealership_credentials'::regclass AND a.attnum > 0
          AND NOT a.attisdropped)
       IS DISTINCT FROM ARRAY['ciphertext', 'created_at', 'credential_name', 'dealership_id', 'id',
                              'is_active', 'key_id', 'last_rotated_at', 'nonce', 'provider',
                              'updated_at']::text[] THEN
        RAISE EXCEPTION 'dealership_credentials must hold only ciphertext, nonce and key_id (no plaintext column)';
    END IF;
    IF (SELECT count(*) FROM pg_catalog.pg_constraint k
        WHERE k.conrelid = 'public.dealership_credentials'::regclass
          AND k.conname IN ('dealership_credentials_ciphertext_check', 'dealership_credentials_nonce_check',
                            'dealership_credentials_key_id_check', 'dealership_credentials_nonce_key')) <> 4 THEN
        RAISE EXCEPTION 'dealership_credentials lacks its ciphertext, nonce or key_id constraints';
    END IF;
END
$verify$;
