-- Indexes of the given tables and materialized views. Plain key columns come from
-- pg_attribute; only expression columns need the (slower) deparser.
SELECT i.indrelid AS rel, ic.relname AS name, pg_get_indexdef(i.indexrelid) AS definition,
       ARRAY(SELECT CASE WHEN i.indkey[k - 1] = 0 THEN pg_get_indexdef(i.indexrelid, k, true)
                         ELSE (SELECT a.attname FROM pg_attribute a
                               WHERE a.attrelid = i.indrelid AND a.attnum = i.indkey[k - 1])
                    END
             FROM generate_series(1, i.indnatts) AS k ORDER BY k) AS columns,
       i.indnkeyatts AS nkey, i.indisunique AS unique, i.indisprimary AS primary,
       i.indisvalid AS valid, pg_get_expr(i.indpred, i.indrelid) AS predicate,
       am.amname AS method, co.conname AS constraint, d.description AS comment
FROM unnest(%(oids)s::oid[]) AS r(oid)
JOIN pg_index i ON i.indrelid = r.oid
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
LEFT JOIN pg_constraint co
       ON co.conindid = i.indexrelid AND co.conrelid = i.indrelid AND co.contype IN ('p', 'u', 'x')
LEFT JOIN pg_description d
       ON d.objoid = i.indexrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = 0
ORDER BY i.indrelid, ic.relname
