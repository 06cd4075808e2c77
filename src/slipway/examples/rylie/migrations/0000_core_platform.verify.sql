-- Verify: Core platform: dealerships (tenant root), users, vehicles, conversations, partitioned messages, personas, API keys and A/B testing tables. Fails (raises) when anything is missing.
DO $verify$
DECLARE
    item text;
BEGIN
    FOREACH item IN ARRAY ARRAY['dealerships', 'messages_default', 'users', 'vehicles', 'conversations', 'messages', 'personas', 'api_keys', 'prompt_variants', 'prompt_experiments', 'experiment_variants', 'prompt_metrics']::text[] LOOP
        IF to_regclass('public.' || item) IS NULL THEN
            RAISE EXCEPTION 'table % is missing', item;
        END IF;
    END LOOP;
    FOREACH item IN ARRAY ARRAY['users', 'vehicles', 'conversations', 'messages', 'personas', 'api_keys', 'prompt_variants', 'prompt_experiments', 'experiment_variants', 'prompt_metrics']::text[] LOOP
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c
                       WHERE c.oid = ('public.' || item)::regclass
                         AND c.relrowsecurity AND c.relforcerowsecurity) THEN
            RAISE EXCEPTION 'table % must have row level security enabled and forced', item;
        END IF;
        IF (SELECT count(DISTINCT p.polcmd) FROM pg_catalog.pg_policy p
            WHERE p.polrelid = ('public.' || item)::regclass
              AND p.polcmd IN ('r', 'a', 'w', 'd')) <> 4 THEN
            RAISE EXCEPTION 'table % needs a SELECT, INSERT, UPDATE and DELETE policy', item;
        END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_attribute a
                       WHERE a.attrelid = ('public.' || item)::regclass
                         AND a.attname = 'dealership_id' AND NOT a.attisdropped) THEN
            RAISE EXCEPTION 'tenant table % has no dealership_id', item;
        END IF;
        IF NOT has_table_privilege('rylie_app', 'public.' || item, 'SELECT') THEN
            RAISE EXCEPTION 'rylie_app cannot read %', item;
        END IF;
    END LOOP;
    FOREACH item IN ARRAY ARRAY['vehicles.vin', 'vehicles.stock_number', 'vehicles.make', 'vehicles.model', 'vehicles.year', 'vehicles.trim', 'vehicles.exterior_color', 'vehicles.interior_color', 'vehicles.mileage', 'vehicles.price', 'vehicles.msrp', 'vehicles.body_style', 'vehicles.transmission', 'vehicles.engine', 'vehicles.fuel_type', 'vehicles.drivetrain', 'vehicles.features', 'vehicles.description', 'vehicles.images', 'vehicles.status', 'vehicles.is_active', 'vehicles.extra_attributes', 'vehicles.created_at', 'vehicles.updated_at', 'conversations.status', 'conversations.escalated_to_user_id', 'api_keys.key_hash', 'api_keys.key_prefix', 'personas.is_default']::text[] LOOP
        IF NOT EXISTS (SELECT 1 FROM information_schema.columns
                       WHERE table_schema = 'public'
                         AND table_name = split_part(item, '.', 1)
                         AND column_name = split_part(item, '.', 2)) THEN
            RAISE EXCEPTION 'column % is missing', item;
        END IF;
    END LOOP;
    FOREACH item IN ARRAY ARRAY['update_updated_at_column()']::text[] LOOP
        IF to_regprocedure('public.' || item) IS NULL THEN
            RAISE EXCEPTION 'function % is missing', item;
        END IF;
    END LOOP;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_roles
                   WHERE rolname = 'rylie_app' AND NOT rolbypassrls AND NOT rolsuper) THEN
        RAISE EXCEPTION 'role rylie_app is missing or bypasses row level security';
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_catalog.pg_partitioned_table
                   WHERE partrelid = 'public.messages'::regclass) THEN
        RAISE EXCEPTION 'messages must be partitioned';
    END IF;
    IF to_regtype('public.conversation_status') IS NULL THEN
        RAISE EXCEPTION 'type conversation_status is missing';
    END IF;
    IF EXISTS (SELECT 1 FROM information_schema.columns
               WHERE table_schema = 'public' AND table_name = 'api_keys' AND column_name = 'key') THEN
        RAISE EXCEPTION 'api_keys must not have a plaintext key column';
    END IF;
END
$verify$;
