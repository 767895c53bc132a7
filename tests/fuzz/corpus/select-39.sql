SELECT _table, count() FROM merge('logs', '^access_log_') GROUP BY _table
