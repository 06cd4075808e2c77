-- Verify: Monthly message partitions: create/maintain functions, expired-row cleanup, database and partition statistics, recent-messages lookup. Fails (raises) when anything is missing.
DO $verify$
DECLARE
    item text;
BEGIN
    FOREACH item IN ARRAY ARRAY['create_messages_partition(date)', 'maintain_messages_partitions(integer, integer)', 'delete_expired_rows(regclass, text)', 'cleanup_expired_conversation_contexts()', 'cleanup_expired_jwt_tokens()', 'get_database_stats()', 'get_messages_stats(boolean)', 'get_recent_messages(integer, text, integer, interval)']::text[] LOOP
        IF to_regprocedure('public.' || item) IS NULL THEN
            RAISE EXCEPTION 'function % is missing', item;
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits i
                   JOIN pg_catalog.pg_class c ON c.oid = i.inhrelid
                   WHERE i.inhparent = 'public.messages'::regclass
                     AND c.relname = 'messages_' || to_char(now() AT TIME ZONE 'UTC', 'YYYY_MM')) THEN
        RAISE EXCEPTION 'the messages partition for the current month is missing';
    END IF;
END
$verify$;
