-- Roll back 0021_foreign_key_indexes: build the indexes for the foreign keys 0001 and 0014 added to existing tables, CONCURRENTLY
-- NOT TRANSACTIONAL (DROP INDEX CONCURRENTLY).
DROP INDEX CONCURRENTLY IF EXISTS adf_sms_responses_conversation_idx;
DROP INDEX CONCURRENTLY IF EXISTS adf_leads_conversation_idx;
DROP INDEX CONCURRENTLY IF EXISTS conversations_customer_idx;
DROP INDEX CONCURRENTLY IF EXISTS conversations_lead_idx;
