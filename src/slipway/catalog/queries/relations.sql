-- Tables, partitioned and foreign tables, views and materialized views of the user schemas,
-- without the ones that belong to an extension; `kinds` (relkind letters) keeps only some
-- kinds, partitions coming with their partitioned tables ('p').
SELECT c.oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind,
       quote_ident(n.nspname) || '.' || quote_ident(c.relname) AS quoted,
       c.relrowsecurity AS rls_enabled, c.relforcerowsecurity AS rls_forced,
       c.relpersistence = 'u' AS unlogged, c.reltuples::float8 AS reltuples,
       pg_get_userbyid(c.relowner) AS owner,
       COALESCE(c.relacl, acldefault('r', c.relowner))::text[] AS acl, c.reloptions,
       d.description AS comment,
       pt.partstrat::text AS partstrat,
       -- pg_get_partkeydef() locks the table (a reader must not wait behind a maintenance
       -- lock), so the common key of plain columns with their default operator classes and
       -- collations is written here, exactly as it would write it
       CASE WHEN c.relkind <> 'p' THEN NULL
            WHEN pt.partexprs IS NULL
                 AND pt.partclass::oid[] <@ (SELECT array_agg(oid) FROM pg_opclass WHERE opcdefault)
                 AND NOT EXISTS (
                     SELECT 1 FROM unnest(pt.partattrs::int2[], pt.partcollation::oid[]) AS k(num, coll)
                     JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num
                     WHERE a.attcollation <> k.coll)
            THEN CASE pt.partstrat WHEN 'r' THEN 'RANGE' WHEN 'l' THEN 'LIST' ELSE 'HASH' END
                 || ' (' || (SELECT string_agg(quote_ident(a.attname), ', ' ORDER BY k.pos)
                             FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(num, pos)
                             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num) || ')'
            ELSE pg_get_partkeydef(c.oid)
       END AS partkey,
       -- the key's columns ('' for an expression)
       CASE WHEN c.relkind = 'p' THEN
         ARRAY(SELECT coalesce(a.attname::text, '')
               FROM unnest(pt.partattrs::int2[]) WITH ORDINALITY AS k(num, pos)
               LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum = k.num
               ORDER BY k.pos)
       END AS partcols,
       CASE WHEN c.relkind = 'p' THEN
         (SELECT format_type(a.atttypid, NULL) FROM pg_attribute a
          WHERE a.attrelid = c.oid AND a.attnum = pt.partattrs[0])
       END AS partkey_type,
       pn.nspname AS parent_schema, pc.relname AS parent_name,
       -- a bound holds constants only: no relation needed to print it (nor its lock)
       pg_get_expr(c.relpartbound, 0) AS partbound,
       -- inhdetachpending is PostgreSQL 14's: read through to_jsonb so 13 answers too
       coalesce((to_jsonb(i) ->> 'inhdetachpending')::boolean, false) AS detach_pending,
       CASE WHEN c.relkind IN ('v', 'm') THEN pg_get_viewdef(c.oid, true) END AS viewdef,
       -- the relations a view's query reads: its rewrite rule's dependencies
       CASE WHEN c.relkind IN ('v', 'm') THEN
         ARRAY(SELECT DISTINCT ARRAY[tn.nspname::text, t.relname::text]
               FROM pg_rewrite r
               JOIN pg_depend dp ON dp.classid = 'pg_rewrite'::regclass AND dp.objid = r.oid
                                AND dp.refclassid = 'pg_class'::regclass
               JOIN pg_class t ON t.oid = dp.refobjid AND t.oid <> c.oid
               JOIN pg_namespace tn ON tn.oid = t.relnamespace
               WHERE r.ev_class = c.oid)
       END AS reads,
       c.relispopulated AS populated
FROM pg_class c
JOIN pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_description d
       ON d.objoid = c.oid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
LEFT JOIN pg_partitioned_table pt ON pt.partrelid = c.oid
LEFT JOIN pg_inherits i ON c.relispartition AND i.inhrelid = c.oid
LEFT JOIN pg_class pc ON pc.oid = i.inhparent
LEFT JOIN pg_namespace pn ON pn.oid = pc.relnamespace
WHERE c.relkind IN ('r', 'p', 'f', 'v', 'm')
  AND n.nspname NOT IN ('pg_catalog', 'information_schema')
  AND n.nspname !~ '^pg_(toast|temp_)'
  AND (%(schemas)s::text[] IS NULL OR n.nspname = ANY(%(schemas)s::text[]))
  AND (%(kinds)s::text IS NULL OR strpos(%(kinds)s::text, c.relkind::text) > 0
       OR (c.relispartition AND strpos(%(kinds)s::text, 'p') > 0))
  AND NOT EXISTS (SELECT 1 FROM pg_depend e
                  WHERE e.classid = 'pg_class'::regclass AND e.objid = c.oid AND e.deptype = 'e')
ORDER BY n.nspname, c.relname
