-- +goose Up
-- +goose StatementBegin
CREATE TABLE IF NOT EXISTS page_views ON CLUSTER ${CLUSTER}
(
    ts DateTime,
    url String,
    user_id UInt64
)
ENGINE = ReplicatedMergeTree('/clickhouse/tables/{shard}/page_views', '{replica}')
ORDER BY (url, ts)
TTL ts + INTERVAL ${TTL_DAYS} DAY;
-- +goose StatementEnd
INSERT INTO page_views VALUES (now(), '/', 1);
SET max_threads = 1;
OPTIMIZE TABLE page_views FINAL;

-- +goose Down
DROP TABLE page_views ON CLUSTER ${CLUSTER} SYNC;
