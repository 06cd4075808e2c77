-- ADF conversation integration: link ADF leads and their SMS replies to conversations
-- An ADF lead opens (or joins) a conversation; deleting the conversation keeps the lead.
ALTER TABLE adf_leads
    ADD COLUMN conversation_id bigint,
    ADD CONSTRAINT adf_leads_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE SET NULL (conversation_id) NOT VALID;
ALTER TABLE adf_sms_responses
    ADD COLUMN conversation_id bigint,
    ADD CONSTRAINT adf_sms_responses_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE SET NULL (conversation_id) NOT VALID;
-- NOT VALID: validated by 0020; the indexes on conversation_id are built CONCURRENTLY by 0021.
