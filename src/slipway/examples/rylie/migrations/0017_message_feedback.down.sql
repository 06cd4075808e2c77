-- Roll back 0017_message_feedback: message feedback with its summary materialized view, and the trigger that bumps a conversation when a message arrives
DROP TRIGGER trg_messages_update_conversation ON messages;
DROP FUNCTION update_conversation_timestamp();
DROP MATERIALIZED VIEW message_feedback_summary;
DROP TABLE message_feedback;
DROP FUNCTION check_message_feedback_target();
