-- Build the indexes for the foreign keys 0001 and 0014 added to existing tables, CONCURRENTLY
-- NOT TRANSACTIONAL: CREATE INDEX CONCURRENTLY cannot run in a transaction block, so this file
-- runs statement by statement. Writes continue during each build. IF NOT EXISTS makes a rerun
-- after a failure safe; an index left INVALID by a failed build must be dropped first
-- (DROP INDEX CONCURRENTLY name) before running the file again.
CREATE INDEX CONCURRENTLY IF NOT EXISTS conversations_lead_idx ON conversations (dealership_id, lead_id) WHERE lead_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS conversations_customer_idx ON conversations (dealership_id, customer_id) WHERE customer_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS adf_leads_conversation_idx ON adf_leads (dealership_id, conversation_id) WHERE conversation_id IS NOT NULL;
CREATE INDEX CONCURRENTLY IF NOT EXISTS adf_sms_responses_conversation_idx ON adf_sms_responses (dealership_id, conversation_id) WHERE conversation_id IS NOT NULL;
