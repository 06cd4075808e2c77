-- Login roles that skip row-level security: superusers and BYPASSRLS roles.
SELECT r.oid, r.rolname AS name, r.rolsuper AS superuser, r.rolbypassrls AS bypassrls
  FROM pg_roles r
 WHERE r.rolcanlogin AND (r.rolsuper OR r.rolbypassrls)
 ORDER BY r.rolname
