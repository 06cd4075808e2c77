-- Roll back 0004_channel_routing: channel routing: routing rules, customer channel preferences and SMS delivery tracking
DROP TABLE sms_deliveries;
DROP TABLE customer_channel_preferences;
DROP TABLE channel_routing_rules;
