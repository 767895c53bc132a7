-- The first migration: a raw table and a rollup.
CREATE DATABASE IF NOT EXISTS shop;

CREATE TABLE IF NOT EXISTS shop.orders
(
    `ts` DateTime,
    `order_id` UInt64,
    `customer` String,
    `amount` Decimal(18, 2) DEFAULT 0 COMMENT 'in euros',
    `country` LowCardinality(String) CODEC(ZSTD(1))
)
ENGINE = MergeTree
PARTITION BY toYYYYMM(ts)
ORDER BY (customer, ts)
TTL ts + INTERVAL 1 YEAR
SETTINGS index_granularity = 8192;

CREATE TABLE shop.daily_revenue
(
    day Date,
    country LowCardinality(String),
    revenue SimpleAggregateFunction(sum, Decimal(38, 2)),
    orders AggregateFunction(uniq, UInt64)
)
ENGINE = AggregatingMergeTree
ORDER BY (country, day);

CREATE MATERIALIZED VIEW shop.daily_revenue_mv TO shop.daily_revenue AS
SELECT toDate(ts) AS day, country, sum(toDecimal128(amount, 2)) AS revenue, uniqState(order_id) AS orders
FROM shop.orders
GROUP BY day, country;

SET allow_experimental_object_type = 1;
