-- Roll back 0000_core_platform: core platform: dealerships (tenant root), users, vehicles, conversations, partitioned messages, personas, API keys and A/B testing tables
-- Everything 0000 created, children first. The role rylie_app stays: roles are cluster-wide
-- and dropping the tables removes every privilege granted to it here.
DROP TABLE prompt_metrics;
DROP TABLE experiment_variants;
DROP TABLE prompt_experiments;
DROP TABLE prompt_variants;
DROP TABLE api_keys;
DROP TABLE personas;
DROP TABLE messages;
DROP TABLE conversations;
DROP TABLE vehicles;
DROP TABLE users;
DROP TABLE dealerships;
DROP TYPE conversation_status;
DROP FUNCTION update_updated_at_column();
