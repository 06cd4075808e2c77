-- dealerships and leads
CREATE TABLE dealerships (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, name text NOT NULL);
CREATE TABLE leads (
    id serial PRIMARY KEY,
    dealership_id bigint NOT NULL REFERENCES dealerships (id),
    email varchar(255),
    note text
);
ALTER TABLE leads ENABLE ROW LEVEL SECURITY;
CREATE POLICY leads_read ON leads FOR SELECT USING (dealership_id = current_setting('app.d')::bigint);
