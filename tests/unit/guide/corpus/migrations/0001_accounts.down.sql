DROP FUNCTION touch();
DROP TABLE accounts;
DROP TYPE plan;
