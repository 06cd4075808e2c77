-- Columns of the given relations, in attnum order. `quoted` and `collation_oid` let the
-- caller write index and constraint definitions without asking the server per object.
SELECT a.attrelid AS rel, a.attname AS name, a.attnum AS ordinal,
       format_type(a.atttypid, a.atttypmod) AS type, NOT a.attnotnull AS nullable,
       -- a default cannot name a column: printed without the relation, so without its lock
       pg_get_expr(ad.adbin, CASE WHEN a.attgenerated = '' THEN 0 ELSE ad.adrelid END) AS expr,
       a.attgenerated::text AS generated,
       a.attidentity::text AS identity, d.description AS comment, a.attacl::text[] AS acl,
       CASE WHEN a.attcollation <> t.typcollation THEN co.collname END AS collation,
       quote_ident(a.attname) AS quoted, a.attcollation::int8 AS collation_oid
FROM (/*USER_RELATIONS*/) AS r(oid)
JOIN pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
JOIN pg_type t ON t.oid = a.atttypid
LEFT JOIN pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
LEFT JOIN pg_collation co ON co.oid = a.attcollation
LEFT JOIN pg_description d
       ON d.objoid = a.attrelid AND d.classoid = 'pg_class'::regclass AND d.objsubid = a.attnum
ORDER BY a.attrelid, a.attnum
