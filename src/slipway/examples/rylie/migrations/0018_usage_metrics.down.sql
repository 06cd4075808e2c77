-- Roll back 0018_usage_metrics: usage metrics: daily AI usage, increment_usage_metrics(), the monthly_usage_summary materialized view and the current_day_usage view
DROP VIEW current_day_usage;
DROP MATERIALIZED VIEW monthly_usage_summary;
DROP FUNCTION increment_usage_metrics(integer, bigint, date, integer, bigint, bigint, numeric, integer);
DROP TRIGGER trg_users_fold_usage ON users;
DROP FUNCTION fold_usage_metrics_of_deleted_user();
DROP TABLE usage_metrics;
