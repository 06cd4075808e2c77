-- Roll back 0012_daily_spend_logs: daily spend logs: advertising and API spend per dealership, day and source
DROP TABLE daily_spend_logs;
