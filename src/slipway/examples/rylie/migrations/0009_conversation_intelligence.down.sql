-- Roll back 0009_conversation_intelligence: conversation intelligence: AI context memory and per-message insights
DROP TABLE conversation_insights;
DROP TABLE conversation_contexts;
