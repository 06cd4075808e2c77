-- Validate the constraints that 0001, 0007, 0014 and 0015 added NOT VALID to existing tables
-- VALIDATE CONSTRAINT checks the existing rows under SHARE UPDATE EXCLUSIVE: reads and
-- writes go on meanwhile (for a foreign key, the referenced table gets ROW SHARE only).
ALTER TABLE conversations VALIDATE CONSTRAINT conversations_customer_fkey;
ALTER TABLE conversations VALIDATE CONSTRAINT conversations_lead_fkey;
ALTER TABLE customers VALIDATE CONSTRAINT customers_opt_out_channel_check;
ALTER TABLE customers VALIDATE CONSTRAINT customers_opt_out_consistent;
ALTER TABLE adf_leads VALIDATE CONSTRAINT adf_leads_conversation_fkey;
ALTER TABLE adf_sms_responses VALIDATE CONSTRAINT adf_sms_responses_conversation_fkey;
ALTER TABLE dealerships VALIDATE CONSTRAINT dealerships_operation_mode_check;
ALTER TABLE conversations VALIDATE CONSTRAINT conversations_mode_check;
