USE shop;
-- The query's columns, name and type only (no DEFAULT, codec or comment);
-- the trailing SETTINGS is the query's, not the table's.
CREATE TABLE by_country ENGINE = SummingMergeTree ORDER BY country SETTINGS index_granularity = 1024
AS SELECT country, count() AS orders, sum(amount) AS total, max(ts) AS last_ts FROM orders GROUP BY country
SETTINGS max_threads = 1;
-- Literals, functions, Nullable, arrays, qualified columns; a UNION (its
-- columns of the supertype of its branches: UInt16). A query that copies
-- rows (no FROM, or a source with rows) makes rows import does not: EMPTY.
CREATE TABLE shapes ENGINE = MergeTree ORDER BY id EMPTY AS
SELECT o.id, 1 AS one, -1 AS neg, 'x' AS s, 1.5 AS f, toDate(o.ts) AS d, [1, 2] AS arr, o.note,
       if(o.id > 0, NULL, 1) AS maybe, toNullable(o.amount) AS na, o.amount * 2 AS twice
FROM orders AS o;
CREATE TABLE ids ENGINE = Log EMPTY AS SELECT 1 AS id UNION ALL SELECT 300 AS id;
-- Every ordinary column of the source, none of its MATERIALIZED.
CREATE TABLE snapshot ENGINE = MergeTree ORDER BY id AS SELECT * FROM orders WHERE 0;
CREATE TABLE totals ENGINE = Memory COMMENT 'per country' AS (WITH 2 AS k SELECT country, k AS factor FROM orders);
-- Columns as declared, whatever the query.
CREATE TABLE declared (id UInt64, label String DEFAULT 'none') ENGINE = MergeTree ORDER BY id
AS SELECT id, 'x' AS label FROM orders;
CREATE TABLE declared_empty (id UInt32) ENGINE = Memory EMPTY AS SELECT 1 AS id;
-- A copy of the structure, still.
CREATE TABLE orders_log AS orders ENGINE = Log;
CREATE TABLE orders_copy AS shop.orders;
CREATE TABLE orders_clone CLONE AS orders;
