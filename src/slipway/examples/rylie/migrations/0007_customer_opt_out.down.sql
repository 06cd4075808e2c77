-- Roll back 0007_customer_opt_out: customer opt-out fields for messaging compliance
ALTER TABLE customers
    DROP CONSTRAINT customers_opt_out_consistent,
    DROP CONSTRAINT customers_opt_out_channel_check,
    DROP COLUMN opt_out_channel,
    DROP COLUMN opt_out_reason,
    DROP COLUMN opted_out_at,
    DROP COLUMN opted_out;
