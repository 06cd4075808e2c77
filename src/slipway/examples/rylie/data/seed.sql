-- Rylie seed data: three dealerships with users, personas, customers, leads, conversations and
-- messages from December 2024 to April 2025, feedback, usage, and at least one row in every
-- tenant table. Deterministic: fixed dates and values, no random().
--
-- Run once on a fresh database after all migrations, as the owner (migration) role.
-- FORCE ROW LEVEL SECURITY applies to the owner too, so every tenant's rows are written with
-- app.current_dealership_id set to that tenant. The setting is session-level (not LOCAL) so the
-- file works both inside one transaction and statement by statement; it is cleared at the end.
-- The credentials are AES-256-GCM ciphertext sealed beforehand by the application side with the
-- demo key (base64 of "rylie demo key: not for real use", key id 'demo'; sample data only) and
-- fixed nonces, so the file is deterministic and needs no crypto in SQL (README.md, "Secrets").

INSERT INTO dealerships (id, name, location, contact_email, contact_phone, domain, handover_email, operation_mode)
OVERRIDING SYSTEM VALUE VALUES
    (1, 'Rylie Motors Austin', '1200 Congress Ave, Austin, TX', 'sales@ryliemotors.example', '+15125550100', 'ryliemotors.example', 'handover@ryliemotors.example', 'rylie_ai'),
    (2, 'Lakeside Honda', '45 Shore Dr, Madison, WI', 'info@lakesidehonda.example', '+16085550142', 'lakesidehonda.example', 'desk@lakesidehonda.example', 'hybrid'),
    (3, 'Summit Ford', '9 Peak Rd, Denver, CO', 'hello@summitford.example', '+13035550199', 'summitford.example', 'managers@summitford.example', 'direct_agent');
SELECT setval(pg_get_serial_sequence('public.dealerships', 'id'), 3);

-- Monthly partitions for January..March 2025; December 2024 and April 2025 stay in
-- messages_default, so the seed exercises both.
SELECT create_messages_partition(month::date)
FROM generate_series(date '2025-01-01', date '2025-03-01', interval '1 month') AS month;

DO $seed$
DECLARE
    d integer;
    v_cities constant text[] := ARRAY['Austin', 'Madison', 'Denver'];
    v_first constant text[] := ARRAY['Maria', 'James', 'Aisha', 'Tom', 'Priya', 'Luis'];
    v_last constant text[] := ARRAY['Garcia', 'Miller', 'Khan', 'Nguyen', 'Patel', 'Rossi'];
    v_models constant text[] := ARRAY['Accord', 'F-150', 'CR-V', 'Mustang', 'Civic', 'Explorer'];
BEGIN
    FOR d IN 1 .. 3 LOOP
        PERFORM set_config('app.current_dealership_id', d::text, false);

        -- people ------------------------------------------------------------------------
        INSERT INTO users (dealership_id, username, password_hash, name, email, role)
        SELECT d, format('d%s_%s', d, u.login),
               '$2b$12$seedonlynotarealhash.' || md5(format('d%s_%s', d, u.login)),
               u.full_name, format('%s@dealer%s.example', u.login, d), u.role
        FROM (VALUES ('admin', 'Dana Admin', 'dealership_admin'),
                     ('manager', 'Morgan Manager', 'manager'),
                     ('agent1', 'Alex Agent', 'user'),
                     ('agent2', 'Sam Agent', 'user')) AS u (login, full_name, role);

        INSERT INTO agent_statuses (dealership_id, user_id, status, max_concurrent_conversations, skills, last_seen_at)
        SELECT d, u.id, CASE WHEN u.username LIKE '%agent1' THEN 'online' ELSE 'away' END, 5,
               ARRAY['sales', 'financing'], timestamptz '2025-04-15 16:00+00'
        FROM users u WHERE u.dealership_id = d AND u.role = 'user';

        INSERT INTO jwt_tokens (dealership_id, user_id, jti, token_type, issued_at, expires_at, ip_address, user_agent)
        SELECT d, u.id, format('seed-jti-%s-%s-%s', d, u.id, t.kind), 'access', t.issued, t.expires,
               inet '203.0.113.10', 'Mozilla/5.0 (seed)'
        FROM users u
        CROSS JOIN (VALUES ('expired', timestamptz '2025-01-10 09:00+00', timestamptz '2025-01-10 10:00+00'),
                           ('valid', timestamptz '2025-04-20 09:00+00', timestamptz '2099-01-01 00:00+00')) AS t (kind, issued, expires)
        WHERE u.dealership_id = d AND u.role IN ('dealership_admin', 'manager');

        -- AI configuration --------------------------------------------------------------
        INSERT INTO personas (dealership_id, name, description, prompt_template, arguments, is_default)
        VALUES (d, 'Friendly Advisor', 'Warm, concise sales assistant',
                'You are Rylie, the assistant of {{dealership}}. Be warm and concise.',
                '{"tone": "friendly", "priority_features": ["price", "availability"]}', true),
               (d, 'Finance Expert', 'Explains financing and leasing',
                'You are a financing expert for {{dealership}}.', '{"tone": "professional"}', false);

        INSERT INTO api_keys (dealership_id, key_hash, key_prefix, description, last_used_at)
        VALUES (d, encode(sha256(convert_to(format('ryl_seed_key_%s_do_not_use', d), 'UTF8')), 'hex'),
                format('ryl_%s', d), 'Website chat widget', timestamptz '2025-04-01 12:00+00');

        -- plaintexts 'twilio-secret-<d>' and 'SG.sendgrid-secret-<d>'
        PERFORM set_dealership_credential(d, c.provider, c.name, decode(c.ciphertext, 'hex'),
                                          decode(c.nonce, 'hex'), 'demo')
        FROM (VALUES (1, 'twilio', 'auth_token', '4566013d0f8902183653212ac013552ba5eeaafe1d78c0ec737e10510f40da', '9f4cd46c7a976c979bc95731'),
                     (1, 'sendgrid', 'api_key', '6ff1523d1e1a5fff5741134aa481fc3496dbcbf513124ecdb4c67524199b646f1d848f0c', '407b2825723c61a545a52fdb'),
                     (2, 'twilio', 'auth_token', '628e176f8d87dd391aff1cc2ef008b8119933951ee4d3dbf707fabac67e16d', 'c4ceab015a184d87662d21fa'),
                     (2, 'sendgrid', 'api_key', '975ae8e2460bf763d23cbbd34faa00294642b98a2b013dbc9fc54ebf2b5236b1fdd4fe29', '956bb36460c5b93897d082f1'),
                     (3, 'twilio', 'auth_token', '53cbf156e1eff6266022e10a6a5ea6083b80f9d1b3acd1bc42e275d2a6d3bf', '6ac492d432a6ad55c8a78fc6'),
                     (3, 'sendgrid', 'api_key', 'e4a87ed5a4730e49b499cab3d4e28cf8704f6e9edd4441c75e3d675ec435eef5f2a78a40', 'c9d05cc36adb26c6c414a200'))
             AS c (dealership, provider, name, ciphertext, nonce)
        WHERE c.dealership = d;

        INSERT INTO agent_squad_config (dealership_id, enabled, default_agent, agents)
        VALUES (d, d <> 3, 'general', '["general", "inventory", "finance", "service"]');

        INSERT INTO chat_widget_settings (dealership_id, mode, welcome_message, business_hours, auto_handover_keywords)
        VALUES (d, CASE d WHEN 1 THEN 'rylie_ai' WHEN 2 THEN 'hybrid' ELSE 'direct_agent' END,
                format('Welcome to %s!', v_cities[d]), '{"mon-fri": "09:00-19:00", "sat": "10:00-16:00"}',
                ARRAY['human', 'manager', 'price match']);

        INSERT INTO channel_routing_rules (dealership_id, name, priority, conditions, target_channel, business_hours_only)
        VALUES (d, 'After hours to SMS', 10, '{"outside_business_hours": true}', 'sms', false),
               (d, 'Web leads to chat', 20, '{"source": "website"}', 'chat_widget', true);

        INSERT INTO prompt_variants (dealership_id, name, prompt_template, is_control)
        VALUES (d, 'control', 'Answer briefly.', true),
               (d, 'enthusiastic', 'Answer briefly and with enthusiasm!', false);
        INSERT INTO prompt_experiments (dealership_id, name, status, start_date, end_date)
        VALUES (d, 'Tone test Q1', 'completed', timestamptz '2025-01-01 00:00+00', timestamptz '2025-03-31 00:00+00');
        INSERT INTO experiment_variants (dealership_id, experiment_id, variant_id, traffic_allocation)
        SELECT d, e.id, v.id, 50 FROM prompt_experiments e, prompt_variants v
        WHERE e.dealership_id = d AND v.dealership_id = d;

        -- inventory (the feed importer adds a few hundred more) -----------------------
        INSERT INTO vehicles (dealership_id, vin, stock_number, make, model, year, trim, exterior_color,
                              mileage, price, msrp, body_style, fuel_type, drivetrain, features, images,
                              first_seen_at, last_seen_at)
        VALUES (d, '1HGCM82633A004352', format('S%s-001', d), 'Honda', 'Accord', 2003, 'EX', 'Silver',
                148000, 4995.00, NULL, 'Sedan', 'Gasoline', 'FWD', '["Sunroof", "Alloy wheels"]', '[]',
                timestamptz '2025-01-02 06:00+00', timestamptz '2025-04-20 06:00+00'),
               (d, '1M8GDM9AXKP042788', format('S%s-002', d), 'Motor Coach', 'D4500', 1989, NULL, 'White',
                402000, 19500.00, NULL, 'Coach', 'Diesel', 'RWD', '[]', '[]',
                timestamptz '2025-02-01 06:00+00', timestamptz '2025-04-20 06:00+00'),
               (d, NULL, format('S%s-003', d), 'Ford', 'F-150', 2024, 'XLT', 'Blue',
                12, 48990.00, 52000.00, 'Truck', 'Gasoline', '4WD', '["Tow package"]',
                '["https://img.example/f150.jpg"]', timestamptz '2025-03-01 06:00+00', timestamptz '2025-04-20 06:00+00');
        INSERT INTO inventory_imports (dealership_id, source_file, started_at, finished_at, added, updated,
                                       unchanged, deactivated, errors, full_feed)
        VALUES (d, 'inventory_2025-04-20.tsv', timestamptz '2025-04-20 06:00+00', timestamptz '2025-04-20 06:00:04+00',
                3, 0, 0, 0, 0, true);

        -- CRM -------------------------------------------------------------------------
        INSERT INTO lead_sources (dealership_id, name, type)
        VALUES (d, 'Website', 'website'), (d, 'AutoTrader ADF', 'adf_email'), (d, 'Phone', 'phone');

        INSERT INTO customers (dealership_id, first_name, last_name, full_name, email, phone, city,
                               preferred_contact_method, opted_out, opted_out_at, opt_out_reason, opt_out_channel)
        SELECT d, v_first[k], v_last[k], v_first[k] || ' ' || v_last[k],
               lower(format('%s.%s.%s@mail.example', v_first[k], v_last[k], d)),
               format('+1555%s%s0%s', d, k, k), v_cities[d],
               (ARRAY['email', 'sms', 'phone'])[1 + k % 3],
               k = 6, CASE WHEN k = 6 THEN timestamptz '2025-04-02 10:00+00' END,
               CASE WHEN k = 6 THEN 'Replied STOP' END, CASE WHEN k = 6 THEN 'sms' END
        FROM generate_series(1, 6) AS k;

        INSERT INTO customer_channel_preferences (dealership_id, customer_id, channel, is_preferred, opted_in)
        SELECT d, c.id, c.preferred_contact_method, true, NOT c.opted_out
        FROM customers c WHERE c.dealership_id = d;

        INSERT INTO vehicle_interests (dealership_id, customer_id, vehicle_id, make, model, max_price)
        SELECT d, c.id,
               (SELECT v.id FROM vehicles v WHERE v.dealership_id = d ORDER BY v.id LIMIT 1 OFFSET (c.id % 3)),
               'Various', v_models[1 + (c.id % 6)::int], 30000 + 5000 * (c.id % 4)
        FROM customers c WHERE c.dealership_id = d;

        INSERT INTO leads (dealership_id, customer_id, lead_source_id, vehicle_interest_id, assigned_user_id,
                           lead_number, status, priority, lead_score, last_contacted_at)
        SELECT d, c.id,
               (SELECT s.id FROM lead_sources s WHERE s.dealership_id = d ORDER BY s.id LIMIT 1 OFFSET (c.id % 3)),
               (SELECT vi.id FROM vehicle_interests vi WHERE vi.dealership_id = d AND vi.customer_id = c.id),
               (SELECT u.id FROM users u WHERE u.dealership_id = d AND u.role = 'user' ORDER BY u.id LIMIT 1 OFFSET (c.id % 2)),
               format('L-%s-%s', d, lpad((row_number() OVER (ORDER BY c.id))::text, 4, '0')),
               (ARRAY['new', 'contacted', 'qualified', 'appointment_scheduled', 'sold', 'lost'])[1 + (c.id % 6)::int],
               (ARRAY['low', 'medium', 'high', 'urgent'])[1 + (c.id % 4)::int],
               (c.id * 17 % 101)::int, timestamptz '2025-04-10 15:00+00'
        FROM customers c WHERE c.dealership_id = d;

        INSERT INTO lead_activities (dealership_id, lead_id, user_id, activity_type, description, created_at)
        SELECT d, l.id, l.assigned_user_id, a.kind, a.what, timestamptz '2025-01-15 10:00+00' + a.after
        FROM leads l
        CROSS JOIN (VALUES ('created', 'Lead created', interval '0'),
                           ('call', 'Left a voicemail', interval '1 day')) AS a (kind, what, after)
        WHERE l.dealership_id = d;

        INSERT INTO lead_notes (dealership_id, lead_id, author_user_id, body)
        SELECT d, l.id, l.assigned_user_id, 'Prefers weekend test drives.'
        FROM leads l WHERE l.dealership_id = d;

        INSERT INTO lead_source_prompt_templates (dealership_id, lead_source_id, persona_id, name, prompt_template)
        SELECT d, s.id, (SELECT p.id FROM personas p WHERE p.dealership_id = d AND p.is_default),
               s.name || ' greeting', 'Thank the customer for reaching out via ' || s.name || '.'
        FROM lead_sources s WHERE s.dealership_id = d;

        -- conversations and messages: customer k's conversation starts 25 days after
        -- customer k-1's, from 2024-12-10, so messages span December 2024 .. April 2025
        INSERT INTO conversations (dealership_id, customer_name, customer_phone, customer_email, status,
                                   escalated_to_user_id, channel, lead_id, customer_id, mode, created_at)
        SELECT d, c.full_name, c.phone, c.email,
               (ARRAY['active', 'waiting', 'escalated', 'completed'])[1 + (k % 4)]::conversation_status,
               CASE WHEN k % 4 = 2 THEN (SELECT u.id FROM users u WHERE u.dealership_id = d AND u.role = 'manager') END,
               (ARRAY['web', 'sms', 'email'])[1 + (k % 3)],
               (SELECT l.id FROM leads l WHERE l.dealership_id = d AND l.customer_id = c.id), c.id,
               CASE WHEN d = 3 THEN 'direct_agent' ELSE 'rylie_ai' END,
               timestamptz '2024-12-10 14:00+00' + (k - 1) * interval '25 days'
        FROM (SELECT c.*, row_number() OVER (ORDER BY c.id)::int AS k
              FROM customers c WHERE c.dealership_id = d) AS c;

        INSERT INTO messages (dealership_id, conversation_id, content, role, sender_user_id, created_at)
        SELECT d, cv.id,
               CASE WHEN i % 2 = 1 THEN format('Customer message %s about the %s', i, v_models[1 + (cv.id % 6)::int])
                    ELSE format('Reply %s: happy to help with the %s', i, v_models[1 + (cv.id % 6)::int]) END,
               CASE WHEN i % 2 = 1 THEN 'customer' WHEN d = 3 THEN 'agent' ELSE 'assistant' END,
               CASE WHEN i % 2 = 0 AND d = 3 THEN (SELECT u.id FROM users u WHERE u.dealership_id = d AND u.username LIKE '%agent1') END,
               cv.created_at + (i - 1) * interval '2 hours'
        FROM conversations cv CROSS JOIN generate_series(1, 6) AS i
        WHERE cv.dealership_id = d;

        INSERT INTO message_feedback (dealership_id, conversation_id, message_id, message_created_at, user_id,
                                      rating, feedback_type, created_at)
        SELECT d, m.conversation_id, m.id, m.created_at,
               (SELECT u.id FROM users u WHERE u.dealership_id = d AND u.role = 'manager'),
               CASE WHEN m.id % 3 = 0 THEN -1 ELSE 1 END,
               CASE WHEN m.id % 3 = 0 THEN 'inaccurate' ELSE 'helpful' END,
               m.created_at + interval '1 hour'
        FROM messages m WHERE m.dealership_id = d AND m.role IN ('assistant', 'agent');

        INSERT INTO conversation_contexts (dealership_id, conversation_id, context, summary, current_intent, expires_at)
        SELECT d, cv.id, '{"stage": "browsing"}', 'Customer asked about availability', 'inventory_question',
               CASE WHEN cv.id % 2 = 0 THEN timestamptz '2025-01-01 00:00+00' ELSE timestamptz '2099-01-01 00:00+00' END
        FROM conversations cv WHERE cv.dealership_id = d;

        INSERT INTO conversation_insights (dealership_id, conversation_id, message_id, message_created_at,
                                           intent, sentiment, sentiment_score, buying_signals, urgency)
        SELECT d, m.conversation_id, m.id, m.created_at, 'price_inquiry',
               CASE WHEN m.id % 2 = 0 THEN 'positive' ELSE 'neutral' END, 0.4, ARRAY['asked_price'], 'medium'
        FROM messages m WHERE m.dealership_id = d AND m.role = 'customer' AND m.created_at < timestamptz '2025-02-01';

        INSERT INTO agent_squad_analytics (dealership_id, conversation_id, agent_name, intent, confidence, response_time_ms, tokens_used)
        SELECT d, cv.id, 'inventory', 'inventory_question', 0.91, 850, 420
        FROM conversations cv WHERE cv.dealership_id = d;

        INSERT INTO prompt_metrics (dealership_id, variant_id, conversation_id, response_time_ms, tokens_used, was_helpful)
        SELECT d, v.id, cv.id, 700 + 10 * (cv.id % 7)::int, 300, cv.id % 2 = 0
        FROM conversations cv JOIN prompt_variants v ON v.dealership_id = d AND v.is_control = (cv.id % 2 = 0)
        WHERE cv.dealership_id = d;

        INSERT INTO handovers (dealership_id, conversation_id, lead_id, from_user_id, to_user_id, reason, status,
                               customer_summary, requested_at, accepted_at)
        SELECT d, cv.id, cv.lead_id, NULL, cv.escalated_to_user_id, 'pricing', 'accepted',
               'Wants a better price on the trade-in', cv.created_at + interval '3 hours',
               cv.created_at + interval '4 hours'
        FROM conversations cv WHERE cv.dealership_id = d AND cv.escalated_to_user_id IS NOT NULL;

        INSERT INTO sms_deliveries (dealership_id, conversation_id, message_id, message_created_at, to_phone,
                                    from_phone, twilio_sid, status, attempts, sent_at, delivered_at)
        SELECT d, m.conversation_id, m.id, m.created_at, cv.customer_phone, '+15555550000',
               format('SM%s', lpad(m.id::text, 32, '0')), 'delivered', 1, m.created_at,
               m.created_at + interval '5 seconds'
        FROM messages m JOIN conversations cv ON cv.dealership_id = m.dealership_id AND cv.id = m.conversation_id
        WHERE m.dealership_id = d AND cv.channel = 'sms' AND m.role <> 'customer';

        -- ADF leads ---------------------------------------------------------------------
        INSERT INTO adf_leads (dealership_id, lead_id, conversation_id, source_email_id, request_date, customer_name,
                               customer_email, customer_phone, vehicle_year, vehicle_make, vehicle_model,
                               vendor_name, provider_name, raw_xml, parsed_data, deduplication_hash,
                               processing_status, received_at, processed_at)
        SELECT d, l.id, cv.id, format('<adf-%s-%s@mail.example>', d, l.id), timestamptz '2025-02-03 08:00+00',
               c.full_name, c.email, c.phone, 2024, 'Ford', 'F-150', 'AutoTrader', 'AutoTrader.com',
               format('<?xml version="1.0"?><adf><prospect><customer><contact><name part="full">%s</name></contact></customer></prospect></adf>', c.full_name),
               jsonb_build_object('customer', c.full_name), md5(format('adf-%s-%s', d, l.id)),
               'processed', timestamptz '2025-02-03 08:00+00', timestamptz '2025-02-03 08:00:02+00'
        FROM leads l
        JOIN customers c ON c.dealership_id = l.dealership_id AND c.id = l.customer_id
        JOIN lead_sources s ON s.dealership_id = l.dealership_id AND s.id = l.lead_source_id
        LEFT JOIN conversations cv ON cv.dealership_id = l.dealership_id AND cv.lead_id = l.id
        WHERE l.dealership_id = d AND s.type = 'adf_email';

        INSERT INTO adf_processing_logs (dealership_id, adf_lead_id, step, status, message, created_at)
        SELECT d, a.id, st.step, 'success', 'ok', a.received_at + st.after
        FROM adf_leads a
        CROSS JOIN (VALUES ('received', interval '0'), ('parsed', interval '1 second'),
                           ('lead_created', interval '2 seconds')) AS st (step, after)
        WHERE a.dealership_id = d;

        INSERT INTO adf_sms_responses (dealership_id, adf_lead_id, conversation_id, phone_number, message_body,
                                       twilio_message_sid, status, sent_at, delivered_at)
        SELECT d, a.id, a.conversation_id, a.customer_phone,
               'Thanks for your interest in the F-150! When would you like to come by?',
               format('SMADF%s', lpad(a.id::text, 29, '0')), 'delivered',
               a.processed_at, a.processed_at + interval '4 seconds'
        FROM adf_leads a WHERE a.dealership_id = d;

        -- spend and usage ---------------------------------------------------------------
        INSERT INTO daily_spend_logs (dealership_id, log_date, source, campaign, amount, clicks, impressions, leads_generated)
        SELECT d, day::date, src.source, src.campaign, round((10 + d * 3 + extract(day FROM day)::int % 7)::numeric * src.factor, 2),
               CASE WHEN src.source = 'google_ads' THEN 40 + d END,
               CASE WHEN src.source = 'google_ads' THEN 1000 + 10 * d END,
               CASE WHEN src.source = 'google_ads' THEN 1 + d % 2 END
        FROM generate_series(date '2025-03-01', date '2025-03-07', interval '1 day') AS day
        CROSS JOIN (VALUES ('google_ads', 'Spring sale', 1.0), ('openai', '', 0.1)) AS src (source, campaign, factor);

        PERFORM increment_usage_metrics(d, u.id, day::date, 5 + d, 1200 + 100 * d, 800 + 50 * d, 0.012345, 1)
        FROM users u
        CROSS JOIN generate_series(date '2025-01-15', date '2025-04-15', interval '1 month') AS day
        WHERE u.dealership_id = d AND u.role = 'user';
        -- system (no user) usage on one day, incremented twice
        PERFORM increment_usage_metrics(d, NULL, date '2025-02-01', 3, 300, 200, 0.002);
        PERFORM increment_usage_metrics(d, NULL, date '2025-02-01', 1, 100, 100, 0.001);
    END LOOP;
    PERFORM set_config('app.current_dealership_id', '', false);
END
$seed$;

-- Cross-tenant roll-ups (run by the owner; a non-superuser owner needs BYPASSRLS to see every
-- tenant here, see README.md).
REFRESH MATERIALIZED VIEW message_feedback_summary;
REFRESH MATERIALIZED VIEW monthly_usage_summary;
