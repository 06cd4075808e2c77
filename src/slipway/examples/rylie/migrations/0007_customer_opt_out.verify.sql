-- Verify: Customer opt-out fields for messaging compliance. Fails (raises) when anything is missing.
DO $verify$
DECLARE
    item text;
BEGIN
    FOREACH item IN ARRAY ARRAY['customers.opted_out', 'customers.opted_out_at', 'customers.opt_out_reason', 'customers.opt_out_channel']::text[] LOOP
        IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = 'public'
                         AND table_name = split_part(item, '.', 1)
                         AND column_name = split_part(item, '.', 2)) THEN
            RAISE EXCEPTION 'column % is missing', item;
        END IF;
    END LOOP;
END
$verify$;
