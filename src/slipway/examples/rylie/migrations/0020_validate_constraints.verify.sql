-- Verify: Validate the constraints that 0001, 0007, 0014 and 0015 added NOT VALID to existing tables. Fails (raises) when anything is missing.
DO $verify$
DECLARE
    item text;
BEGIN
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_constraint
               WHERE connamespace = 'public'::regnamespace AND NOT convalidated
                 AND conname IN ('conversations_customer_fkey', 'conversations_lead_fkey', 'customers_opt_out_channel_check', 'customers_opt_out_consistent', 'adf_leads_conversation_fkey', 'adf_sms_responses_conversation_fkey', 'dealerships_operation_mode_check', 'conversations_mode_check')) THEN
        RAISE EXCEPTION 'constraints added NOT VALID are not validated yet';
    END IF;
    IF (SELECT count(*) FROM pg_catalog.pg_constraint
        WHERE connamespace = 'public'::regnamespace AND conname IN ('conversations_customer_fkey', 'conversations_lead_fkey', 'customers_opt_out_channel_check', 'customers_opt_out_consistent', 'adf_leads_conversation_fkey', 'adf_sms_responses_conversation_fkey', 'dealerships_operation_mode_check', 'conversations_mode_check')) <> 8 THEN
        RAISE EXCEPTION 'constraints validated by 0020 are missing';
    END IF;
END
$verify$;
