-- Every foreign key between user tables: columns, ON DELETE rule, validity.
SELECT k.oid, k.conname AS name, k.convalidated AS validated,
       k.conrelid AS child_oid, cn.nspname AS child_schema, cc.relname AS child_table,
       k.confrelid AS parent_oid, pn.nspname AS parent_schema, pc.relname AS parent_table,
       k.confdeltype::text AS on_delete, k.confupdtype::text AS on_update,
       k.conkey::int[] AS child_keys,
       ARRAY(SELECT a.attname FROM unnest(k.conkey) WITH ORDINALITY u(num, i)
               JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = u.num
              ORDER BY u.i)::text[] AS child_columns,
       ARRAY(SELECT a.attname FROM unnest(k.confkey) WITH ORDINALITY u(num, i)
               JOIN pg_attribute a ON a.attrelid = k.confrelid AND a.attnum = u.num
              ORDER BY u.i)::text[] AS parent_columns
  FROM pg_constraint k
  JOIN pg_class cc ON cc.oid = k.conrelid
  JOIN pg_namespace cn ON cn.oid = cc.relnamespace
  JOIN pg_class pc ON pc.oid = k.confrelid
  JOIN pg_namespace pn ON pn.oid = pc.relnamespace
 WHERE k.contype = 'f'
   AND cn.nspname NOT IN ('pg_catalog', 'information_schema')
   AND k.conparentid = 0
   AND NOT cc.relispartition
 ORDER BY cn.nspname, cc.relname, k.conname
