-- Roll back 0003_secure_credentials: secure credentials: Twilio, SendGrid and other provider secrets encrypted at rest with pgcrypto
DROP FUNCTION get_dealership_credential(integer, text, text, text);
DROP FUNCTION set_dealership_credential(integer, text, text, text, text);
DROP TABLE dealership_credentials;
-- Created by the up script (IF NOT EXISTS): if pgcrypto was installed before 0003 and other
-- objects use it, keep it by removing this line before rolling back.
DROP EXTENSION pgcrypto;
