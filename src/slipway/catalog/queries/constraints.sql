-- Constraints of the given tables. Leaves out the per-partition copies PostgreSQL adds to the
-- referencing table when a foreign key points at a partitioned table (same table, derived).
-- As for indexes, the caller writes the common primary key, unique and foreign key
-- definitions itself (exactly as pg_get_constraintdef() would), from the column numbers and
-- the names below; pg_get_constraintdef() is only called for the rest.
SELECT co.conrelid AS rel, co.conname AS name, co.contype::text AS type,
       CASE WHEN (co.contype IN ('p', 'u') AND ix.indnatts = ix.indnkeyatts
                  AND NOT ix.indnullsnotdistinct)
                 OR (co.contype = 'f' AND co.confdelsetcols IS NULL)
            THEN NULL
            ELSE pg_get_constraintdef(co.oid)
       END AS definition,
       co.conkey AS attnums,
       fn.nspname AS ref_schema, fc.relname AS ref_table,
       CASE WHEN co.contype = 'f' THEN
         CASE WHEN pg_table_is_visible(fc.oid) THEN quote_ident(fc.relname)
              ELSE quote_ident(fn.nspname) || '.' || quote_ident(fc.relname) END
       END AS ref_quoted,
       CASE WHEN co.contype = 'f' THEN
         ARRAY(SELECT ARRAY[a.attname::text, quote_ident(a.attname)]
               FROM unnest(co.confkey) WITH ORDINALITY AS k(num, pos)
               JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.num
               ORDER BY k.pos)
       END AS ref_names,
       co.confmatchtype::text AS match,
       co.confdeltype::text AS on_delete, co.confupdtype::text AS on_update,
       co.convalidated AS validated, co.condeferrable AS deferrable,
       co.condeferred AS deferred, ic.relname AS index,
       (co.conparentid <> 0 OR NOT co.conislocal) AS inherited, d.description AS comment
FROM (/*USER_RELATIONS*/) AS r(oid)
JOIN pg_constraint co ON co.conrelid = r.oid
LEFT JOIN pg_class fc ON fc.oid = co.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_index ix ON ix.indexrelid = co.conindid
LEFT JOIN pg_class ic ON ic.oid = co.conindid AND co.contype IN ('p', 'u', 'x')
LEFT JOIN pg_description d
       ON d.objoid = co.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0
WHERE co.conparentid = 0
   OR NOT EXISTS (SELECT 1 FROM pg_constraint p
                  WHERE p.oid = co.conparentid AND p.conrelid = co.conrelid)
