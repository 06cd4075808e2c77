-- Verify: Message feedback with its summary materialized view, and the trigger that bumps a conversation when a message arrives. Fails (raises) when anything is missing.
DO $verify$
DECLARE
    item text;
BEGIN
    FOREACH item IN ARRAY ARRAY['message_feedback']::text[] LOOP
        IF to_regclass('public.' || item) IS NULL THEN
            RAISE EXCEPTION 'table % is missing', item;
        END IF;
    END LOOP;
    FOREACH item IN ARRAY ARRAY['message_feedback']::text[] LOOP
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
    FOREACH item IN ARRAY ARRAY['update_conversation_timestamp()', 'check_message_feedback_target()']::text[] LOOP
        IF to_regprocedure('public.' || item) IS NULL THEN
            RAISE EXCEPTION 'function % is missing', item;
        END IF;
    END LOOP;
    FOREACH item IN ARRAY ARRAY['message_feedback_summary']::text[] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_matviews
                       WHERE schemaname = 'public' AND matviewname = item) THEN
            RAISE EXCEPTION 'materialized view % is missing', item;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_index i
                       WHERE i.indrelid = ('public.' || item)::regclass
                         AND i.indisunique AND i.indpred IS NULL) THEN
            RAISE EXCEPTION 'materialized view % needs a unique index for REFRESH CONCURRENTLY', item;
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_trigger
                   WHERE tgrelid = 'public.messages'::regclass
                     AND tgname = 'trg_messages_update_conversation') THEN
        RAISE EXCEPTION 'trigger trg_messages_update_conversation is missing';
    END IF;
END
$verify$;
