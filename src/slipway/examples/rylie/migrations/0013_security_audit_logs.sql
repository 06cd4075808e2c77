-- Security audit: append-only audit logs of changes to users, API keys, credentials and personas
-- Append-only audit trail of changes to security-relevant tables. Only the NAMES of changed
-- columns are recorded, never values, so no hash or ciphertext is copied into the log.
CREATE TABLE audit_logs (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    user_id bigint,
    table_name text NOT NULL,
    record_id bigint,
    action text NOT NULL,
    changed_fields text[] NOT NULL DEFAULT '{}',
    db_role text NOT NULL DEFAULT current_user,
    created_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT audit_logs_action_check CHECK (action IN ('INSERT', 'UPDATE', 'DELETE')),
    CONSTRAINT audit_logs_user_fkey FOREIGN KEY (dealership_id, user_id)
        REFERENCES users (dealership_id, id) ON DELETE SET NULL (user_id)
);
CREATE INDEX audit_logs_dealership_created_idx ON audit_logs (dealership_id, created_at);
CREATE INDEX audit_logs_user_idx ON audit_logs (dealership_id, user_id) WHERE user_id IS NOT NULL;
CREATE INDEX audit_logs_record_idx ON audit_logs (dealership_id, table_name, record_id);

ALTER TABLE audit_logs ENABLE ROW LEVEL SECURITY;
ALTER TABLE audit_logs FORCE ROW LEVEL SECURITY;
CREATE POLICY audit_logs_tenant_select ON audit_logs FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY audit_logs_tenant_insert ON audit_logs FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY audit_logs_tenant_update ON audit_logs FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY audit_logs_tenant_delete ON audit_logs FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT ON TABLE audit_logs TO rylie_app;

-- Runs with the caller's rights, so rylie_app's rows are audited under its own tenant policy.
-- The acting application user comes from the optional setting app.current_user_id.
CREATE FUNCTION audit_row_change() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_row jsonb := CASE WHEN TG_OP = 'DELETE' THEN to_jsonb(OLD) ELSE to_jsonb(NEW) END;
    v_dealership integer := (v_row ->> 'dealership_id')::integer;
    v_actor bigint := NULLIF(current_setting('app.current_user_id', true), '')::bigint;
    v_changed text[] := '{}';
BEGIN
    -- the whole tenant is being deleted (cascade): nothing left to audit against
    IF NOT EXISTS (SELECT 1 FROM dealerships d WHERE d.id = v_dealership) THEN
        RETURN NULL;
    END IF;
    -- an actor outside this tenant, or the very user being deleted, is not recorded
    IF v_actor IS NOT NULL AND (
        (TG_TABLE_NAME = 'users' AND TG_OP = 'DELETE' AND v_actor = (v_row ->> 'id')::bigint)
        OR NOT EXISTS (SELECT 1 FROM users u WHERE u.dealership_id = v_dealership AND u.id = v_actor)) THEN
        v_actor := NULL;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        SELECT coalesce(array_agg(n.key ORDER BY n.key), '{}') INTO v_changed
        FROM jsonb_each(to_jsonb(NEW)) n
        JOIN jsonb_each(to_jsonb(OLD)) o ON o.key = n.key
        WHERE n.value IS DISTINCT FROM o.value;
    END IF;
    INSERT INTO audit_logs (dealership_id, user_id, table_name, record_id, action, changed_fields)
    VALUES (v_dealership, v_actor, TG_TABLE_NAME, (v_row ->> 'id')::bigint, TG_OP, v_changed);
    RETURN NULL;
END
$$;
COMMENT ON FUNCTION audit_row_change() IS 'Trigger function: appends one audit_logs row per changed row (column names only).';
CREATE TRIGGER trg_users_audit AFTER INSERT OR UPDATE OR DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION audit_row_change();
CREATE TRIGGER trg_api_keys_audit AFTER INSERT OR UPDATE OR DELETE ON api_keys
    FOR EACH ROW EXECUTE FUNCTION audit_row_change();
CREATE TRIGGER trg_dealership_credentials_audit AFTER INSERT OR UPDATE OR DELETE ON dealership_credentials
    FOR EACH ROW EXECUTE FUNCTION audit_row_change();
CREATE TRIGGER trg_personas_audit AFTER INSERT OR UPDATE OR DELETE ON personas
    FOR EACH ROW EXECUTE FUNCTION audit_row_change();
