-- Monthly message partitions: create/maintain functions, expired-row cleanup, database and partition statistics, recent-messages lookup
-- Monthly partitions of messages: messages_YYYY_MM holds [first of month, first of next month)
-- in UTC. A month whose rows already sit in messages_default is split off: the rows move into
-- the new table before it is attached (nothing references messages, so moving is safe).
CREATE FUNCTION create_messages_partition(p_month date) RETURNS text
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_start date := date_trunc('month', p_month::timestamp)::date;
    v_lo timestamptz := v_start::timestamp AT TIME ZONE 'UTC';
    v_hi timestamptz := (v_start + interval '1 month')::timestamp AT TIME ZONE 'UTC';
    v_name text := 'messages_' || to_char(v_start, 'YYYY_MM');
BEGIN
    IF p_month IS NULL THEN
        RAISE EXCEPTION 'create_messages_partition needs a month' USING ERRCODE = 'null_value_not_allowed';
    END IF;
    IF to_regclass('public.' || v_name) IS NOT NULL THEN
        RETURN v_name;
    END IF;
    IF EXISTS (SELECT 1 FROM messages_default d WHERE d.created_at >= v_lo AND d.created_at < v_hi) THEN
        EXECUTE format('CREATE TABLE public.%I (LIKE public.messages INCLUDING DEFAULTS INCLUDING CONSTRAINTS)', v_name);
        EXECUTE format('WITH moved AS (DELETE FROM public.messages_default WHERE created_at >= $1 AND created_at < $2 RETURNING *)
                        INSERT INTO public.%I SELECT * FROM moved', v_name) USING v_lo, v_hi;
        EXECUTE format('ALTER TABLE public.messages ATTACH PARTITION public.%I FOR VALUES FROM (%L) TO (%L)',
                       v_name, v_lo, v_hi);
    ELSE
        EXECUTE format('CREATE TABLE public.%I PARTITION OF public.messages FOR VALUES FROM (%L) TO (%L)',
                       v_name, v_lo, v_hi);
    END IF;
    RETURN v_name;
END
$$;
COMMENT ON FUNCTION create_messages_partition(date) IS 'Create the monthly messages partition holding p_month (idempotent); returns its name.';

-- Run daily (slipway maintain / cron): make sure this month and the next p_months_ahead exist;
-- with p_retention_months, detach and drop partitions of months entirely older than that.
CREATE FUNCTION maintain_messages_partitions(p_months_ahead integer DEFAULT 3,
                                             p_retention_months integer DEFAULT NULL)
    RETURNS TABLE (action text, partition_name text)
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_this_month date := date_trunc('month', now() AT TIME ZONE 'UTC')::date;
    v_month date;
    v_name text;
BEGIN
    IF p_months_ahead IS NULL OR p_months_ahead NOT BETWEEN 0 AND 36 THEN
        RAISE EXCEPTION 'p_months_ahead must be between 0 and 36' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    IF p_retention_months < 1 THEN
        RAISE EXCEPTION 'p_retention_months must be at least 1' USING ERRCODE = 'invalid_parameter_value';
    END IF;
    FOR i IN 0 .. p_months_ahead LOOP
        v_month := (v_this_month + make_interval(months => i))::date;
        v_name := 'messages_' || to_char(v_month, 'YYYY_MM');
        IF to_regclass('public.' || v_name) IS NULL THEN
            PERFORM create_messages_partition(v_month);
            action := 'created';
            partition_name := v_name;
            RETURN NEXT;
        END IF;
    END LOOP;
    IF p_retention_months IS NOT NULL THEN
        FOR v_name IN
            SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = 'public.messages'::regclass
              AND c.relname ~ '^messages_[0-9]{4}_[0-9]{2}$'
              AND to_date(substr(c.relname, 10), 'YYYY_MM')
                  < v_this_month - make_interval(months => p_retention_months)
            ORDER BY c.relname
        LOOP
            EXECUTE format('ALTER TABLE public.messages DETACH PARTITION public.%I', v_name);
            EXECUTE format('DROP TABLE public.%I', v_name);
            action := 'dropped';
            partition_name := v_name;
            RETURN NEXT;
        END LOOP;
    END IF;
END
$$;
COMMENT ON FUNCTION maintain_messages_partitions(integer, integer) IS 'Create upcoming monthly messages partitions; optionally drop those older than p_retention_months.';

-- Delete expired rows tenant by tenant. With FORCE ROW LEVEL SECURITY even the table owner
-- sees only the current tenant, so the tenant is set (transaction-locally) for each
-- dealership in turn, then the caller's setting is restored.
CREATE FUNCTION delete_expired_rows(p_table regclass, p_expiry_column text) RETURNS bigint
    LANGUAGE plpgsql
    SET search_path = pg_catalog, public
AS $$
DECLARE
    v_previous text := current_setting('app.current_dealership_id', true);
    v_dealership integer;
    v_count bigint;
    v_total bigint := 0;
BEGIN
    FOR v_dealership IN SELECT d.id FROM dealerships d ORDER BY d.id LOOP
        PERFORM set_config('app.current_dealership_id', v_dealership::text, true);
        EXECUTE format('DELETE FROM %s WHERE dealership_id = $1 AND %I < now()', p_table, p_expiry_column)
            USING v_dealership;
        GET DIAGNOSTICS v_count = ROW_COUNT;
        v_total := v_total + v_count;
    END LOOP;
    PERFORM set_config('app.current_dealership_id', coalesce(v_previous, ''), true);
    RETURN v_total;
END
$$;

CREATE FUNCTION cleanup_expired_conversation_contexts() RETURNS bigint
    LANGUAGE sql
    SET search_path = pg_catalog, public
AS $$ SELECT delete_expired_rows('public.conversation_contexts', 'expires_at') $$;
COMMENT ON FUNCTION cleanup_expired_conversation_contexts() IS 'Delete conversation contexts past expires_at; returns the number deleted.';

-- Expired tokens can go; revoked but unexpired ones stay so they keep being refused.
CREATE FUNCTION cleanup_expired_jwt_tokens() RETURNS bigint
    LANGUAGE sql
    SET search_path = pg_catalog, public
AS $$ SELECT delete_expired_rows('public.jwt_tokens', 'expires_at') $$;
COMMENT ON FUNCTION cleanup_expired_jwt_tokens() IS 'Delete JWT records past expires_at; returns the number deleted.';

-- Size and row estimates per table (partitioned tables summed over their partitions).
CREATE FUNCTION get_database_stats()
    RETURNS TABLE (table_name text, kind text, row_estimate bigint, total_bytes bigint,
                   index_bytes bigint, total_size text)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, public
AS $$
    SELECT c.relname::text,
           CASE c.relkind WHEN 'p' THEN 'partitioned table' WHEN 'm' THEN 'materialized view' ELSE 'table' END,
           sum(greatest(p.reltuples, 0))::bigint,
           sum(pg_total_relation_size(p.oid))::bigint,
           sum(pg_indexes_size(p.oid))::bigint,
           pg_size_pretty(sum(pg_total_relation_size(p.oid)))
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    -- the relation itself plus, for a partitioned table, every partition below it
    CROSS JOIN LATERAL (SELECT c.oid AS relid UNION SELECT pt.relid FROM pg_partition_tree(c.oid) pt) t
    JOIN pg_class p ON p.oid = t.relid
    WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p', 'm') AND NOT c.relispartition
    GROUP BY c.oid, c.relname, c.relkind
    ORDER BY 4 DESC, 1
$$;

-- One row per messages partition with its bounds; exact row counts when p_exact.
CREATE FUNCTION get_messages_stats(p_exact boolean DEFAULT false)
    RETURNS TABLE (partition_name text, is_default boolean, range_start timestamptz,
                   range_end timestamptz, row_count bigint, total_bytes bigint)
    LANGUAGE plpgsql STABLE
    SET search_path = pg_catalog, public
AS $$
DECLARE
    r record;
    v_bound text;
BEGIN
    FOR r IN SELECT c.oid, c.relname, c.reltuples, pg_get_expr(c.relpartbound, c.oid) AS bound
             FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
             WHERE i.inhparent = 'public.messages'::regclass
             ORDER BY c.relname = 'messages_default', c.relname
    LOOP
        partition_name := r.relname;
        is_default := r.bound = 'DEFAULT';
        range_start := NULL;
        range_end := NULL;
        IF NOT is_default THEN
            v_bound := r.bound;
            range_start := (regexp_match(v_bound, 'FROM \(''([^'']+)''\)'))[1]::timestamptz;
            range_end := (regexp_match(v_bound, 'TO \(''([^'']+)''\)'))[1]::timestamptz;
        END IF;
        IF p_exact THEN
            EXECUTE format('SELECT count(*) FROM public.%I', r.relname) INTO row_count;
        ELSE
            row_count := greatest(r.reltuples, 0)::bigint;
        END IF;
        total_bytes := pg_total_relation_size(r.oid);
        RETURN NEXT;
    END LOOP;
END
$$;

-- The latest messages with one customer (by phone) in one dealership. The created_at bound
-- lets the planner skip old partitions; runs with the caller's rights, so RLS applies.
CREATE FUNCTION get_recent_messages(p_dealership_id integer, p_customer_phone text,
                                    p_limit integer DEFAULT 20,
                                    p_since interval DEFAULT interval '30 days')
    RETURNS TABLE (message_id bigint, conversation_id bigint, role text, content text,
                   created_at timestamptz)
    LANGUAGE sql STABLE
    SET search_path = pg_catalog, public
AS $$
    SELECT m.id, m.conversation_id, m.role, m.content, m.created_at
    FROM conversations c
    JOIN messages m ON m.dealership_id = c.dealership_id AND m.conversation_id = c.id
    WHERE c.dealership_id = p_dealership_id
      AND c.customer_phone = p_customer_phone
      AND m.created_at >= now() - p_since
    ORDER BY m.created_at DESC, m.id DESC
    LIMIT p_limit
$$;
GRANT EXECUTE ON FUNCTION get_recent_messages(integer, text, integer, interval) TO rylie_app;
REVOKE EXECUTE ON FUNCTION create_messages_partition(date) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION maintain_messages_partitions(integer, integer) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION delete_expired_rows(regclass, text) FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION cleanup_expired_conversation_contexts() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION cleanup_expired_jwt_tokens() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION get_database_stats() FROM PUBLIC;
REVOKE EXECUTE ON FUNCTION get_messages_stats(boolean) FROM PUBLIC;

-- This month and the next three.
SELECT count(*) FROM maintain_messages_partitions(3);
