-- Verify: ADF conversation integration: link ADF leads and their SMS replies to conversations. Fails (raises) when anything is missing.
DO $verify$
DECLARE
    item text;
BEGIN
    FOREACH item IN ARRAY ARRAY['adf_leads.conversation_id', 'adf_sms_responses.conversation_id']::text[] LOOP
        IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = 'public'
                         AND table_name = split_part(item, '.', 1)
                         AND column_name = split_part(item, '.', 2)) THEN
            RAISE EXCEPTION 'column % is missing', item;
        END IF;
    END LOOP;
END
$verify$;
