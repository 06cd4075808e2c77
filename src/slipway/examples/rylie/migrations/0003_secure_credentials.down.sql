-- Roll back 0003_secure_credentials: secure credentials: Twilio, SendGrid and other provider secrets, stored only as AES-256-GCM ciphertext
DROP FUNCTION get_dealership_credential(integer, text, text);
DROP FUNCTION set_dealership_credential(integer, text, text, bytea, bytea, text);
DROP TABLE dealership_credentials;
