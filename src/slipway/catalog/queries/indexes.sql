-- Indexes of the given tables and materialized views.
-- pg_get_indexdef() is the slowest part of introspection, so for the common simple case
-- (plain columns with default operator classes, ordering and collations, no storage options)
-- this returns the parts and the caller writes the exact text pg_get_indexdef() would; for
-- the rest `definition` comes from pg_get_indexdef() itself. Only expression indexes ask the
-- deparser for their columns.
SELECT i.indrelid AS rel, ic.relname AS name, quote_ident(ic.relname) AS quoted,
       ic.relkind = 'I' AS on_only, quote_ident(am.amname) AS quoted_method,
       CASE WHEN i.indexprs IS NULL AND NOT i.indnullsnotdistinct AND ic.reloptions IS NULL
                 AND ic.reltablespace = 0 AND i.indoption::int2[] <@ '{0}'::int2[]
                 AND i.indcollation::oid[] <@ '{0,100}'::oid[]
                 AND i.indclass::oid[] <@ (SELECT array_agg(oid) FROM pg_opclass WHERE opcdefault)
            THEN NULL
            ELSE pg_get_indexdef(i.indexrelid)
       END AS definition,
       string_to_array(i.indkey::text, ' ')::int2[] AS attnums,
       string_to_array(i.indcollation::text, ' ')::int8[] AS collations,
       CASE WHEN i.indexprs IS NOT NULL THEN
         ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
               FROM generate_series(1, i.indnatts::int) AS k ORDER BY k)
       END AS expr_columns,
       i.indnkeyatts AS nkey, i.indisunique AS unique, i.indisprimary AS primary,
       i.indisvalid AS valid, pg_get_expr(i.indpred, i.indrelid) AS predicate,
       am.amname AS method, co.conname AS constraint, d.description AS comment
FROM (/*USER_RELATIONS*/) AS r(oid)
JOIN pg_index i ON i.indrelid = r.oid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint co
       ON co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')
LEFT JOIN pg_description d
       ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
