-- status with "quotes", 100% and a, comma
ALTER TABLE leads ADD COLUMN status text NOT NULL;
CREATE INDEX leads_status_idx ON leads (status); -- slipway-ignore prefer-robust-stmts
SELECT 1; -- slipway-ignore 100%
