USE shop;
ALTER TABLE orders ADD COLUMN IF NOT EXISTS channel String DEFAULT 'web' AFTER customer;
ALTER TABLE orders ADD COLUMN coupon Nullable(String), ADD COLUMN note String COMMENT 'free text' FIRST;
ALTER TABLE orders DROP COLUMN note;
ALTER TABLE orders MODIFY COLUMN customer LowCardinality(String);
ALTER TABLE orders MODIFY COLUMN amount COMMENT 'in euro cents';
ALTER TABLE orders RENAME COLUMN coupon TO voucher;
ALTER TABLE orders COMMENT COLUMN voucher 'a code';
ALTER TABLE orders MODIFY TTL ts + INTERVAL 2 YEAR;
ALTER TABLE orders MODIFY SETTING merge_with_ttl_timeout = 3600;
ALTER TABLE orders ADD INDEX idx_customer customer TYPE bloom_filter GRANULARITY 4;
CREATE TABLE IF NOT EXISTS orders (x UInt8) ENGINE = Memory;
CREATE VIEW recent AS SELECT * FROM orders WHERE ts > now() - INTERVAL 1 DAY;
ALTER TABLE orders ADD COLUMN late UInt8;
ALTER TABLE orders UPDATE amount = 0 WHERE 1;
CREATE TABLE old_stuff (a UInt8) ENGINE = Memory;
RENAME TABLE old_stuff TO archive;
CREATE TABLE gone (a UInt8) ENGINE = Memory;
DROP TABLE IF EXISTS gone;
ALTER TABLE daily_revenue_mv MODIFY QUERY
SELECT toDate(ts) AS day, country, sum(toDecimal128(amount, 2)) AS revenue, uniqState(order_id) AS orders
FROM orders WHERE amount > 0
GROUP BY day, country;
