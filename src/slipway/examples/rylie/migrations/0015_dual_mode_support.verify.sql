-- Verify: Dual-mode support: AI or human-agent operation per dealership and conversation. Fails (raises) when anything is missing.
DO $verify$
DECLARE
    item text;
BEGIN
    FOREACH item IN ARRAY ARRAY['dealerships.operation_mode', 'conversations.mode', 'messages.sender_user_id']::text[] LOOP
        IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = 'public'
                         AND table_name = split_part(item, '.', 1)
                         AND column_name = split_part(item, '.', 2)) THEN
            RAISE EXCEPTION 'column % is missing', item;
        END IF;
    END LOOP;
    FOREACH item IN ARRAY ARRAY['clear_message_sender()']::text[] LOOP
        IF to_regprocedure('public.' || item) IS NULL THEN
            RAISE EXCEPTION 'function % is missing', item;
        END IF;
    END LOOP;
END
$verify$;
