-- Accounts, their plan type and the touch() trigger function
CREATE TYPE plan AS ENUM ('free', 'pro');
CREATE TABLE accounts (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL,
    plan plan NOT NULL DEFAULT 'free'
);
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.updated_at := now();
    RETURN NEW;
END
$$;
