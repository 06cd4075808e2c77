-- User triggers of the given relations; internal ones (FK enforcement) and the copies on
-- partitions of a partitioned table's trigger (tgparentid) are left out.
SELECT t.tgrelid AS rel, t.tgname AS name, pg_get_triggerdef(t.oid) AS definition,
       t.tgenabled::text AS enabled, d.description AS comment
FROM (/*USER_RELATIONS*/) AS r(oid)
JOIN pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal AND t.tgparentid = 0
LEFT JOIN pg_description d
       ON d.objoid = t.oid AND d.classoid = 'pg_trigger'::regclass AND d.objsubid = 0
