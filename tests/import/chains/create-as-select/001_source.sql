CREATE DATABASE shop;
CREATE TABLE shop.orders (
    id UInt64,
    country LowCardinality(String) DEFAULT 'de' CODEC(ZSTD(1)),
    amount Decimal(18, 2) COMMENT 'gross',
    note Nullable(String),
    ts DateTime,
    doubled UInt64 MATERIALIZED id * 2
) ENGINE = MergeTree ORDER BY id;
