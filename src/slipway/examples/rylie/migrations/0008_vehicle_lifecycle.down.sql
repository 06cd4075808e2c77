-- Roll back 0008_vehicle_lifecycle: vehicle lifecycle tracking fields and the inventory import log
DROP TABLE inventory_imports;
ALTER TABLE vehicles
    DROP COLUMN sold_at,
    DROP COLUMN deactivated_at,
    DROP COLUMN last_seen_at,
    DROP COLUMN first_seen_at;
