-- CREATE TABLE ... AS SELECT whose columns import cannot make as
-- ClickHouse would: each is reported and not imported.
CREATE TABLE src3 (a UInt32, b String) ENGINE = MergeTree ORDER BY a;
-- An expression without an alias: ClickHouse names it plus(a, 1).
CREATE TABLE ctas_unnamed ENGINE = Memory AS SELECT a + 1 FROM src3;
-- A column the source does not have: its type is unknown.
CREATE TABLE ctas_unknown ENGINE = Memory AS SELECT nosuch FROM src3;
-- NULL is Nullable(Nothing): ClickHouse refuses the table (370).
CREATE TABLE ctas_null ENGINE = Memory AS SELECT NULL AS nothing;
-- Two columns of one name: ClickHouse refuses the table (44).
CREATE TABLE ctas_twice ENGINE = Memory AS SELECT a, b AS a FROM src3;
-- A syntax error in the query: where it stands.
CREATE TABLE ctas_broken ENGINE = Memory AS SELECT a FROM src3 WHERE;
