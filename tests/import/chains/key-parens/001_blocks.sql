-- Keys and column expressions written in parentheses: ClickHouse 26.5
-- keeps them in engine_full, sorting_key and default_expression, and so
-- must the deployed copy.
CREATE DATABASE IF NOT EXISTS kp;

CREATE TABLE kp.blocks
(
    block_num UInt64,
    chain String,
    ts DateTime,
    amount UInt64,
    doubled UInt64 MATERIALIZED (amount * 2),
    label String DEFAULT (lower(chain)),
    bucket UInt64 ALIAS (block_num % 8)
)
ENGINE = ReplacingMergeTree
PARTITION BY (toYYYYMM(ts))
PRIMARY KEY (block_num)
ORDER BY (block_num);

CREATE TABLE kp.totals (chain String, amount UInt64) ENGINE = SummingMergeTree ORDER BY (chain);

CREATE TABLE kp.sampled (chain String, id UInt64)
ENGINE = MergeTree ORDER BY (chain, intHash64(id)) SAMPLE BY (intHash64(id));

CREATE MATERIALIZED VIEW kp.totals_mv TO kp.totals AS SELECT chain, amount FROM kp.blocks;

ALTER TABLE kp.blocks ADD COLUMN note String DEFAULT (upper(chain)) AFTER amount;
ALTER TABLE kp.blocks MODIFY COLUMN label String DEFAULT (concat(lower(chain), '!'));
