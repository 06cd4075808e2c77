-- Row level security policies of the given tables.
SELECT p.polrelid AS rel, p.polname AS name, p.polcmd::text AS cmd,
       p.polpermissive AS permissive,
       ARRAY(SELECT CASE WHEN o = 0 THEN 'public' ELSE pg_get_userbyid(o) END
             FROM unnest(p.polroles) AS o ORDER BY 1) AS roles,
       pg_get_expr(p.polqual, p.polrelid) AS using,
       pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
FROM (/*USER_RELATIONS*/) AS r(oid)
JOIN pg_policy p ON p.polrelid = r.oid
