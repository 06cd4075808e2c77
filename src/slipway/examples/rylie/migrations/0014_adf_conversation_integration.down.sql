-- Roll back 0014_adf_conversation_integration: aDF conversation integration: link ADF leads and their SMS replies to conversations
ALTER TABLE adf_sms_responses
    DROP CONSTRAINT adf_sms_responses_conversation_fkey,
    DROP COLUMN conversation_id;
ALTER TABLE adf_leads
    DROP CONSTRAINT adf_leads_conversation_fkey,
    DROP COLUMN conversation_id;
