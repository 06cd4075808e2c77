-- Customer opt-out fields for messaging compliance
-- Compliance (TCPA / CAN-SPAM): a customer who opts out is never contacted again.
-- Constant defaults: PostgreSQL 11+ adds these columns without rewriting the table.
ALTER TABLE customers
    ADD COLUMN opted_out boolean NOT NULL DEFAULT false,
    ADD COLUMN opted_out_at timestamptz,
    ADD COLUMN opt_out_reason text,
    ADD COLUMN opt_out_channel text,
    ADD CONSTRAINT customers_opt_out_channel_check CHECK (opt_out_channel IN ('sms', 'email', 'phone', 'all')) NOT VALID,
    ADD CONSTRAINT customers_opt_out_consistent CHECK (NOT opted_out OR opted_out_at IS NOT NULL) NOT VALID;
-- NOT VALID: checked for new and updated rows now, for existing rows by 0020.
COMMENT ON COLUMN customers.opted_out IS 'True once the customer asked not to be contacted (STOP, unsubscribe).';
