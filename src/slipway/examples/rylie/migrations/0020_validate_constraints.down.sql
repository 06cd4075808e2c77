-- Roll back 0020_validate_constraints: validate the constraints that 0001, 0007, 0014 and 0015 added NOT VALID to existing tables
-- Back to NOT VALID, as 0001, 0007, 0014 and 0015 left them (there is no "unvalidate").
ALTER TABLE conversations DROP CONSTRAINT conversations_customer_fkey,
    ADD CONSTRAINT conversations_customer_fkey FOREIGN KEY (dealership_id, customer_id) REFERENCES customers (dealership_id, id) ON DELETE CASCADE NOT VALID;
ALTER TABLE conversations DROP CONSTRAINT conversations_lead_fkey,
    ADD CONSTRAINT conversations_lead_fkey FOREIGN KEY (dealership_id, lead_id) REFERENCES leads (dealership_id, id) ON DELETE CASCADE NOT VALID;
ALTER TABLE customers DROP CONSTRAINT customers_opt_out_channel_check,
    ADD CONSTRAINT customers_opt_out_channel_check CHECK (opt_out_channel IN ('sms', 'email', 'phone', 'all')) NOT VALID;
ALTER TABLE customers DROP CONSTRAINT customers_opt_out_consistent,
    ADD CONSTRAINT customers_opt_out_consistent CHECK (NOT opted_out OR opted_out_at IS NOT NULL) NOT VALID;
ALTER TABLE adf_leads DROP CONSTRAINT adf_leads_conversation_fkey,
    ADD CONSTRAINT adf_leads_conversation_fkey FOREIGN KEY (dealership_id, conversation_id) REFERENCES conversations (dealership_id, id) ON DELETE SET NULL (conversation_id) NOT VALID;
ALTER TABLE adf_sms_responses DROP CONSTRAINT adf_sms_responses_conversation_fkey,
    ADD CONSTRAINT adf_sms_responses_conversation_fkey FOREIGN KEY (dealership_id, conversation_id) REFERENCES conversations (dealership_id, id) ON DELETE SET NULL (conversation_id) NOT VALID;
ALTER TABLE dealerships DROP CONSTRAINT dealerships_operation_mode_check,
    ADD CONSTRAINT dealerships_operation_mode_check CHECK (operation_mode IN ('rylie_ai', 'direct_agent', 'hybrid')) NOT VALID;
ALTER TABLE conversations DROP CONSTRAINT conversations_mode_check,
    ADD CONSTRAINT conversations_mode_check CHECK (mode IN ('rylie_ai', 'direct_agent')) NOT VALID;
