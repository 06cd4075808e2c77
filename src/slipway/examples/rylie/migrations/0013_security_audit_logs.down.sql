-- Roll back 0013_security_audit_logs: security audit: append-only audit logs of changes to users, API keys, credentials and personas
DROP TRIGGER trg_personas_audit ON personas;
DROP TRIGGER trg_dealership_credentials_audit ON dealership_credentials;
DROP TRIGGER trg_api_keys_audit ON api_keys;
DROP TRIGGER trg_users_audit ON users;

DROP FUNCTION audit_row_change();
DROP TABLE audit_logs;
