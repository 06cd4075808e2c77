-- ADF conversation integration: link ADF leads and their SMS replies to conversations
-- An ADF lead opens (or joins) a conversation; deleting the conversation keeps the lead.
ALTER TABLE adf_leads
    ADD COLUMN conversation_id bigint,
    ADD CONSTRAINT adf_leads_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE SET NULL (conversation_id);
CREATE INDEX adf_leads_conversation_idx ON adf_leads (dealership_id, conversation_id)
    WHERE conversation_id IS NOT NULL;
ALTER TABLE adf_sms_responses
    ADD COLUMN conversation_id bigint,
    ADD CONSTRAINT adf_sms_responses_conversation_fkey FOREIGN KEY (dealership_id, conversation_id)
        REFERENCES conversations (dealership_id, id) ON DELETE SET NULL (conversation_id);
CREATE INDEX adf_sms_responses_conversation_idx ON adf_sms_responses (dealership_id, conversation_id)
    WHERE conversation_id IS NOT NULL;
