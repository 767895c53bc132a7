USE traces;
-- The index and the projection go from the tables that have them, then
-- the column from every table: the copies of another engine never had
-- an index reading it.
ALTER TABLE spans DROP INDEX idx_code;
ALTER TABLE spans DROP PROJECTION by_code;
ALTER TABLE spans DROP COLUMN code;
ALTER TABLE spans_copy DROP INDEX idx_code;
ALTER TABLE spans_copy DROP PROJECTION by_code;
ALTER TABLE spans_copy DROP COLUMN code;
ALTER TABLE spans_mem DROP COLUMN code;
ALTER TABLE spans_null DROP COLUMN code;
