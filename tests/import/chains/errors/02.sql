-- A later migration drops the table agg_mv reads: the MV is dangling.
DROP TABLE raw;
