-- Account e-mail addresses and a project counter
ALTER TABLE accounts ADD COLUMN email text;
CREATE UNIQUE INDEX accounts_email_key ON accounts (email);
CREATE FUNCTION project_count(account bigint) RETURNS bigint LANGUAGE sql STABLE AS $$
    SELECT count(*) FROM projects WHERE account_id = account
$$;
