-- Constraints of the given tables. Leaves out the per-partition copies PostgreSQL adds to the
-- referencing table when a foreign key points at a partitioned table (same table, derived).
-- As for indexes, the common primary key, unique and foreign key definitions are written out
-- set-based with the exact text of pg_get_constraintdef(), which is called for the rest.
SELECT co.conrelid AS rel, co.conname AS name, co.contype::text AS type,
       CASE
         WHEN co.contype IN ('p', 'u') AND k.ok AND ix.indnatts = ix.indnkeyatts
              AND NOT ix.indnullsnotdistinct THEN
           CASE co.contype WHEN 'p' THEN 'PRIMARY KEY (' ELSE 'UNIQUE (' END
           || k.quoted || ')' || tail.text
         WHEN co.contype = 'f' AND k.ok AND rk.ok AND co.confdelsetcols IS NULL THEN
           'FOREIGN KEY (' || k.quoted || ') REFERENCES '
           || CASE WHEN pg_table_is_visible(fc.oid) THEN quote_ident(fc.relname)
                   ELSE quote_ident(fn.nspname) || '.' || quote_ident(fc.relname) END
           || '(' || rk.quoted || ')'
           || CASE co.confmatchtype WHEN 'f' THEN ' MATCH FULL' WHEN 'p' THEN ' MATCH PARTIAL'
                   ELSE '' END
           || COALESCE(' ON UPDATE ' || action.upd, '') || COALESCE(' ON DELETE ' || action.del, '')
           || tail.text
         ELSE pg_get_constraintdef(co.oid)
       END AS definition,
       k.names AS columns, fn.nspname AS ref_schema, fc.relname AS ref_table,
       rk.names AS ref_columns,
       co.confdeltype::text AS on_delete, co.confupdtype::text AS on_update,
       co.convalidated AS validated, co.condeferrable AS deferrable,
       co.condeferred AS deferred, ic.relname AS index,
       (co.conparentid <> 0 OR NOT co.conislocal) AS inherited, d.description AS comment
FROM (/*USER_RELATIONS*/) AS r(oid)
JOIN pg_constraint co ON co.conrelid = r.oid
-- Per-row lookups (not a grouped join): the planner misjudges the row counts here, and a
-- nested loop over an aggregate would be quadratic.
CROSS JOIN LATERAL (
    SELECT bool_and(a.attnum IS NOT NULL) AS ok, array_agg(a.attname ORDER BY k.pos) AS names,
           string_agg(quote_ident(a.attname), ', ' ORDER BY k.pos) AS quoted
    FROM unnest(co.conkey) WITH ORDINALITY AS k(attnum, pos)
    LEFT JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.attnum
) AS k
CROSS JOIN LATERAL (
    SELECT bool_and(a.attnum IS NOT NULL) AS ok, array_agg(a.attname ORDER BY k.pos) AS names,
           string_agg(quote_ident(a.attname), ', ' ORDER BY k.pos) AS quoted
    FROM unnest(co.confkey) WITH ORDINALITY AS k(attnum, pos)
    LEFT JOIN pg_attribute a ON a.attrelid = co.confrelid AND a.attnum = k.attnum
) AS rk
LEFT JOIN pg_class fc ON fc.oid = co.confrelid
LEFT JOIN pg_namespace fn ON fn.oid = fc.relnamespace
LEFT JOIN pg_index ix ON ix.indexrelid = co.conindid
LEFT JOIN pg_class ic ON ic.oid = co.conindid AND co.contype IN ('p', 'u', 'x')
LEFT JOIN pg_description d
       ON d.objoid = co.oid AND d.classoid = 'pg_constraint'::regclass AND d.objsubid = 0
CROSS JOIN LATERAL (
    SELECT CASE WHEN co.condeferrable THEN ' DEFERRABLE' ELSE '' END
           || CASE WHEN co.condeferred THEN ' INITIALLY DEFERRED' ELSE '' END
           || CASE WHEN NOT co.convalidated THEN ' NOT VALID' ELSE '' END AS text
) AS tail
CROSS JOIN LATERAL (
    SELECT CASE co.confupdtype WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS upd,
           CASE co.confdeltype WHEN 'r' THEN 'RESTRICT' WHEN 'c' THEN 'CASCADE'
                WHEN 'n' THEN 'SET NULL' WHEN 'd' THEN 'SET DEFAULT' END AS del
) AS action
WHERE co.conparentid = 0
   OR NOT EXISTS (SELECT 1 FROM pg_constraint p
                  WHERE p.oid = co.conparentid AND p.conrelid = co.conrelid)
