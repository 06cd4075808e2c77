-- Verify: Build the indexes for the foreign keys 0001 and 0014 added to existing tables, CONCURRENTLY. Fails (raises) when anything is missing.
DO $verify$
DECLARE
    item text;
BEGIN
    IF (SELECT count(*) FROM pg_catalog.pg_index i
        JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid
        WHERE c.relnamespace = 'public'::regnamespace AND c.relname IN ('conversations_lead_idx', 'conversations_customer_idx', 'adf_leads_conversation_idx', 'adf_sms_responses_conversation_idx')
          AND i.indisvalid AND i.indisready) <> 4 THEN
        RAISE EXCEPTION 'a foreign-key index of 0021 is missing or invalid';
    END IF;
END
$verify$;
