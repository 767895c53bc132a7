-- A chain written in the server's own normal form (names qualified, no
-- INTERVAL, no default codec parameters, DEFAULTs of the column's type:
-- 18.16 writes `Float64 DEFAULT 0` as DEFAULT CAST(0, 'Float64')):
-- `mvdc import --url` of a server that ran it writes the same .mvd as the
-- import of these files, on chDB and on 18.16 (tests/import/run.sh).
CREATE DATABASE shop;

CREATE TABLE shop.orders
(
    ts DateTime,
    id UInt64,
    customer String,
    amount Float64,
    country String DEFAULT 'nl'
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (customer, ts);

CREATE TABLE shop.totals (customer String, amount Float64, n UInt64)
ENGINE = SummingMergeTree ORDER BY customer;

CREATE MATERIALIZED VIEW shop.totals_mv TO shop.totals AS
SELECT customer, amount, toUInt64(1) AS n FROM shop.orders;

CREATE VIEW shop.big AS SELECT * FROM shop.orders WHERE amount > 100;

-- Named to sort before the view it reads: the server's objects come in
-- name order, so import must find that `big` goes first.
CREATE VIEW shop.a_top AS SELECT * FROM shop.big WHERE country = 'de';
