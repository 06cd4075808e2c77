-- Projects per account, with row-level security
CREATE TABLE projects (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES accounts (id),
    title text NOT NULL,
    updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX projects_account_idx ON projects (account_id);
CREATE TRIGGER projects_touch BEFORE UPDATE ON projects
    FOR EACH ROW EXECUTE FUNCTION touch();
ALTER TABLE projects ENABLE ROW LEVEL SECURITY;
CREATE POLICY projects_by_account ON projects
    USING (account_id = NULLIF(current_setting('app.account_id', true), '')::bigint);
