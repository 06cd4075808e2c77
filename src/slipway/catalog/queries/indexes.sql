-- Indexes of the given tables and materialized views.
-- pg_get_indexdef() is the slowest call of the whole introspection (it looks up the default
-- operator class of every column), so the common simple case (plain columns with default
-- operator classes, collations and ordering, no storage options) is written out here, set
-- based, with the exact text pg_get_indexdef() produces; everything else still goes through
-- it. Key columns come back as attnums (mapped to names by the caller); only expression
-- indexes ask the deparser for their columns.
WITH idx AS (
    SELECT i.*
    FROM (/*USER_RELATIONS*/) AS r(oid)
    JOIN pg_index i ON i.indrelid = r.oid
), simple AS (
    SELECT x.indexrelid,
           bool_and(a.attnum IS NOT NULL
                    AND (k.pos > x.indnkeyatts OR x.indcollation[k.pos - 1] = a.attcollation))
               AS ok,
           string_agg(quote_ident(a.attname), ', ' ORDER BY k.pos)
               FILTER (WHERE k.pos <= x.indnkeyatts) AS keys,
           string_agg(quote_ident(a.attname), ', ' ORDER BY k.pos)
               FILTER (WHERE k.pos > x.indnkeyatts) AS included
    FROM idx x
    CROSS JOIN LATERAL unnest(x.indkey::int2[]) WITH ORDINALITY AS k(attnum, pos)
    LEFT JOIN pg_attribute a ON a.attrelid = x.indrelid AND a.attnum = k.attnum
    WHERE x.indexprs IS NULL AND NOT x.indnullsnotdistinct
      AND x.indoption::int2[] <@ '{0}'::int2[]
      AND x.indclass::oid[] <@ (SELECT array_agg(oid) FROM pg_opclass WHERE opcdefault)
    GROUP BY x.indexrelid
)
SELECT i.indrelid AS rel, ic.relname AS name,
       CASE WHEN s.ok AND ic.reloptions IS NULL AND ic.reltablespace = 0 THEN
         'CREATE ' || CASE WHEN i.indisunique THEN 'UNIQUE ' ELSE '' END || 'INDEX '
         || quote_ident(ic.relname) || ' ON '
         || CASE WHEN ic.relkind = 'I' THEN 'ONLY ' ELSE '' END
         || quote_ident(tn.nspname) || '.' || quote_ident(tc.relname)
         || ' USING ' || quote_ident(am.amname) || ' (' || s.keys || ')'
         || CASE WHEN i.indnatts > i.indnkeyatts THEN ' INCLUDE (' || s.included || ')'
                 ELSE '' END
         || COALESCE(' WHERE ' || pg_get_expr(i.indpred, i.indrelid), '')
       ELSE pg_get_indexdef(i.indexrelid) END AS definition,
       string_to_array(i.indkey::text, ' ')::int2[] AS attnums,
       CASE WHEN i.indexprs IS NOT NULL THEN
         ARRAY(SELECT pg_get_indexdef(i.indexrelid, k, true)
               FROM generate_series(1, i.indnatts::int) AS k ORDER BY k)
       END AS expr_columns,
       i.indnkeyatts AS nkey, i.indisunique AS unique, i.indisprimary AS primary,
       i.indisvalid AS valid, pg_get_expr(i.indpred, i.indrelid) AS predicate,
       am.amname AS method, co.conname AS constraint, d.description AS comment
FROM idx i
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_class tc ON tc.oid = i.indrelid
JOIN pg_namespace tn ON tn.oid = tc.relnamespace
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN simple s ON s.indexrelid = i.indexrelid
LEFT JOIN pg_constraint co
       ON co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')
LEFT JOIN pg_description d
       ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
