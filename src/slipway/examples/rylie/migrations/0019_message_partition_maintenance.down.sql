-- Roll back 0019_message_partition_maintenance: monthly message partitions: create/maintain functions, expired-row cleanup, database and partition statistics, recent-messages lookup
DROP FUNCTION get_recent_messages(integer, text, integer, interval);
DROP FUNCTION get_messages_stats(boolean);
DROP FUNCTION get_database_stats();
DROP FUNCTION cleanup_expired_jwt_tokens();
DROP FUNCTION cleanup_expired_conversation_contexts();
DROP FUNCTION delete_expired_rows(regclass, text);
DROP FUNCTION maintain_messages_partitions(integer, integer);
DROP FUNCTION create_messages_partition(date);

-- Fold every monthly partition back into messages_default (rows are kept): once all of them
-- are detached the default partition accepts any created_at.
DO $fold$
DECLARE
    v_names text[];
    v_name text;
BEGIN
    SELECT coalesce(array_agg(c.relname ORDER BY c.relname), '{}') INTO v_names
    FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
    WHERE i.inhparent = 'public.messages'::regclass AND c.relname <> 'messages_default';
    FOREACH v_name IN ARRAY v_names LOOP
        EXECUTE format('ALTER TABLE public.messages DETACH PARTITION public.%I', v_name);
    END LOOP;
    FOREACH v_name IN ARRAY v_names LOOP
        EXECUTE format('INSERT INTO public.messages_default OVERRIDING SYSTEM VALUE SELECT * FROM public.%I', v_name);
        EXECUTE format('DROP TABLE public.%I', v_name);
    END LOOP;
END
$fold$;
