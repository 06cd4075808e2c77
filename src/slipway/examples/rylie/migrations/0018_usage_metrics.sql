-- Usage metrics: daily AI usage, increment_usage_metrics(), the monthly_usage_summary materialized view and the current_day_usage view
-- Daily AI usage per dealership and user (user_id NULL: system/anonymous usage).
CREATE TABLE usage_metrics (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    dealership_id integer NOT NULL REFERENCES dealerships (id) ON DELETE CASCADE,
    user_id bigint,
    metric_date date NOT NULL DEFAULT current_date,
    message_count integer NOT NULL DEFAULT 0,
    conversation_count integer NOT NULL DEFAULT 0,
    tokens_input bigint NOT NULL DEFAULT 0,
    tokens_output bigint NOT NULL DEFAULT 0,
    total_tokens bigint GENERATED ALWAYS AS (tokens_input + tokens_output) STORED,
    estimated_cost numeric(12,6) NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT usage_metrics_non_negative CHECK (message_count >= 0 AND conversation_count >= 0
        AND tokens_input >= 0 AND tokens_output >= 0 AND estimated_cost >= 0),
    CONSTRAINT usage_metrics_user_fkey FOREIGN KEY (dealership_id, user_id)
        REFERENCES users (dealership_id, id) ON DELETE SET NULL (user_id),
    -- one row per (dealership, day, user); NULL users share one row
    CONSTRAINT usage_metrics_day_key UNIQUE NULLS NOT DISTINCT (dealership_id, metric_date, user_id)
);
CREATE INDEX usage_metrics_user_idx ON usage_metrics (dealership_id, user_id) WHERE user_id IS NOT NULL;

ALTER TABLE usage_metrics ENABLE ROW LEVEL SECURITY;
ALTER TABLE usage_metrics FORCE ROW LEVEL SECURITY;
CREATE POLICY usage_metrics_tenant_select ON usage_metrics FOR SELECT
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY usage_metrics_tenant_insert ON usage_metrics FOR INSERT
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY usage_metrics_tenant_update ON usage_metrics FOR UPDATE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int)
    WITH CHECK (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
CREATE POLICY usage_metrics_tenant_delete ON usage_metrics FOR DELETE
    USING (dealership_id = NULLIF(current_setting('app.current_dealership_id', true), '')::int);
GRANT SELECT, INSERT, UPDATE, DELETE ON TABLE usage_metrics TO rylie_app;
CREATE TRIGGER trg_usage_metrics_updated_at BEFORE UPDATE ON usage_metrics
    FOR EACH ROW EXECUTE FUNCTION update_updated_at_column();

-- Before a user is deleted, fold their usage into the day's NULL-user row so that the
-- ON DELETE SET NULL cannot collide with the one-row-per-day key and no usage is lost.
CREATE FUNCTION fold_usage_metrics_of_deleted_user() RETURNS trigger
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
BEGIN
    -- the whole tenant is being deleted (cascade): its usage goes too
    IF NOT EXISTS (SELECT 1 FROM dealerships d WHERE d.id = OLD.dealership_id) THEN
        RETURN OLD;
    END IF;
    UPDATE usage_metrics keep
    SET message_count = keep.message_count + gone.message_count,
        conversation_count = keep.conversation_count + gone.conversation_count,
        tokens_input = keep.tokens_input + gone.tokens_input,
        tokens_output = keep.tokens_output + gone.tokens_output,
        estimated_cost = keep.estimated_cost + gone.estimated_cost
    FROM usage_metrics gone
    WHERE gone.dealership_id = OLD.dealership_id AND gone.user_id = OLD.id
      AND keep.dealership_id = gone.dealership_id AND keep.metric_date = gone.metric_date
      AND keep.user_id IS NULL;
    DELETE FROM usage_metrics gone
    WHERE gone.dealership_id = OLD.dealership_id AND gone.user_id = OLD.id
      AND EXISTS (SELECT 1 FROM usage_metrics keep
                  WHERE keep.dealership_id = gone.dealership_id
                    AND keep.metric_date = gone.metric_date AND keep.user_id IS NULL);
    RETURN OLD;
END
$$;
CREATE TRIGGER trg_users_fold_usage BEFORE DELETE ON users
    FOR EACH ROW EXECUTE FUNCTION fold_usage_metrics_of_deleted_user();

-- Atomic upsert used by the application after each AI call (caller's rights: RLS applies).
CREATE FUNCTION increment_usage_metrics(p_dealership_id integer, p_user_id bigint, p_date date,
                                        p_messages integer, p_tokens_input bigint,
                                        p_tokens_output bigint, p_cost numeric,
                                        p_conversations integer DEFAULT 0)
    RETURNS usage_metrics
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_row usage_metrics;
BEGIN
    IF least(p_messages, p_tokens_input, p_tokens_output, p_conversations) < 0 OR p_cost < 0 THEN
        RAISE EXCEPTION 'usage increments must not be negative' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    INSERT INTO usage_metrics AS u (dealership_id, user_id, metric_date, message_count,
                                    conversation_count, tokens_input, tokens_output, estimated_cost)
    VALUES (p_dealership_id, p_user_id, coalesce(p_date, current_date), coalesce(p_messages, 0),
            coalesce(p_conversations, 0), coalesce(p_tokens_input, 0), coalesce(p_tokens_output, 0),
            coalesce(p_cost, 0))
    ON CONFLICT ON CONSTRAINT usage_metrics_day_key DO UPDATE
        SET message_count = u.message_count + EXCLUDED.message_count,
            conversation_count = u.conversation_count + EXCLUDED.conversation_count,
            tokens_input = u.tokens_input + EXCLUDED.tokens_input,
            tokens_output = u.tokens_output + EXCLUDED.tokens_output,
            estimated_cost = u.estimated_cost + EXCLUDED.estimated_cost
    RETURNING u.* INTO v_row;
    RETURN v_row;
END
$$;
REVOKE EXECUTE ON FUNCTION increment_usage_metrics(integer, bigint, date, integer, bigint, bigint, numeric, integer) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION increment_usage_metrics(integer, bigint, date, integer, bigint, bigint, numeric, integer) TO rylie_app;

-- Cross-tenant monthly roll-up (owner only, like message_feedback_summary).
CREATE MATERIALIZED VIEW monthly_usage_summary AS
SELECT u.dealership_id,
       date_trunc('month', u.metric_date)::date AS month,
       sum(u.message_count) AS total_messages,
       sum(u.conversation_count) AS total_conversations,
       sum(u.tokens_input) AS total_tokens_input,
       sum(u.tokens_output) AS total_tokens_output,
       sum(u.total_tokens) AS total_tokens,
       sum(u.estimated_cost) AS total_cost,
       count(DISTINCT u.user_id) AS active_users,
       count(DISTINCT u.metric_date) AS active_days
FROM usage_metrics u
GROUP BY u.dealership_id, date_trunc('month', u.metric_date)::date;
CREATE UNIQUE INDEX monthly_usage_summary_key ON monthly_usage_summary (dealership_id, month);

-- Today's usage for the application: security_invoker, so the caller's RLS applies.
CREATE VIEW current_day_usage WITH (security_invoker = true) AS
SELECT u.dealership_id, u.user_id, u.message_count, u.conversation_count, u.tokens_input,
       u.tokens_output, u.total_tokens, u.estimated_cost, u.updated_at
FROM usage_metrics u
WHERE u.metric_date = current_date;
GRANT SELECT ON current_day_usage TO rylie_app;
