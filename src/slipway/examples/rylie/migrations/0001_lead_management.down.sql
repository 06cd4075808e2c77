-- Roll back 0001_lead_management: lead management: lead sources, customers, vehicle interests, leads, lead activities and notes; conversations linked to leads and customers
ALTER TABLE conversations
    DROP CONSTRAINT conversations_customer_fkey,
    DROP CONSTRAINT conversations_lead_fkey,
    DROP COLUMN customer_id,
    DROP COLUMN lead_id;
DROP TABLE lead_notes;
DROP TABLE lead_activities;
DROP TABLE leads;
DROP TABLE vehicle_interests;
DROP TABLE customers;
DROP TABLE lead_sources;
