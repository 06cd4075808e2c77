-- Constraints of the given tables. Leaves out the per-partition copies PostgreSQL adds to the
-- referencing table when a foreign key points at a partitioned table (same table, derived).
SELECT co.conrelid AS rel, co.conname AS name, co.contype::text AS type,
       pg_get_constraintdef(co.oid) AS definition,
       co.conkey AS attnums,  -- mapped to names by the caller
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       CASE WHEN co.contype = 'f' THEN
         ARRAY(SELECT a.attname FROM unnest(co.confkey) WITH ORDINALITY k(num, pos)
               JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num
               ORDER BY k.pos)
       END AS ref_columns,
       co.confdeltype::text AS on_delete, co.confupdtype::text AS on_update,
       co.convalidated AS validated, co.condeferrable AS deferrable,
       co.condeferred AS deferred, ic.relname AS index,
       (co.conparentid <> 0 OR NOT co.conislocal) AS inherited, d.description AS comment
FROM unnest(%(oids)s::oid[]) AS r(oid)
JOIN pg_constraint co ON co.conrelid = r.oid
LEFT JOIN pg_class fc ON fc.oid = co.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_class ic ON ic.oid = co.conindid AND co.contype IN ('p', 'u', 'x')
LEFT JOIN pg_description d
       ON d.objoid = co.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0
WHERE NOT EXISTS (SELECT 1 FROM pg_constraint p
                  WHERE p.oid = co.conparentid AND p.conrelid = co.conrelid)
ORDER BY co.conrelid, co.conname
