/* The one table of ClickHouse features whose availability depends on the
 * server version (`option clickhouse`), and the `version` check. Every
 * version-gated decision of the compiler asks here; nothing else in the
 * tree hard-codes a version number. */
#ifndef MVD_VERSIONS_H
#define MVD_VERSIONS_H

#include <stdbool.h>

#include "project/project.h"

typedef enum Feature {
    F_LOWCARDINALITY,     /* without allow_experimental_low_cardinality_type */
    F_TTL,                /* table and column TTL */
    F_SIMPLE_AGGREGATE,   /* the SimpleAggregateFunction type */
    F_CREATE_OR_REPLACE_VIEW,
    F_DATETIME64,
    F_INT128_256,
    F_IP_TYPES,
    F_DROP_SYNC,
    F_MAP_TYPE,
    F_DATE32,
    F_PRIMARY_KEY_ALONE,  /* PRIMARY KEY without ORDER BY */
    F_TABLE_COMMENT,
    F_BOOL_TYPE,
    F_STATE_CAST,         /* states of one representation cast silently */
    F_REPLACING_IS_DELETED, /* ReplacingMergeTree(ver, is_deleted) */
    F_MODIFY_QUERY,
    F_REFRESHABLE_MV,
    F_JSON_TYPE,
    F_VARIANT_DYNAMIC,
    F_BAD_SELECT_REFUSED, /* allow_materialized_view_with_bad_select = 0 */
    F_MERGETREE_NO_ORDER_BY,
    F_VARIANT_SUPERTYPE,  /* if/multiIf/arrays over types without a common one make a Variant */
    F_STATE_VERSION,      /* AggregateFunction(1, sumMap, ...): versioned states name their version */
    F_NULLABLE_STATE,     /* sumState(Nullable(x)) keeps the Nullable in the state type */
    F_NULLABLE_SIMPLE_STATE, /* sumSimpleState(Nullable(x)) is SimpleAggregateFunction(sum, Nullable(...)) */
    F_DEFAULT_FOR_NULLS,  /* uniq and COUNT(DISTINCT) of Nullable arguments are not Nullable */
    F_IF_NULL_ADAPTER,    /* a Nullable -If condition alone does not make the result Nullable */
    F_NULLABLE_TUPLE,     /* Nullable(Tuple(...)) */
    F_RENAME_COLUMN,      /* ALTER TABLE ... RENAME COLUMN */
    F_REMOVE_COLUMN_PROPERTY, /* MODIFY COLUMN c REMOVE DEFAULT|CODEC|TTL */
    F_SQL_FUNCTIONS,      /* CREATE FUNCTION name AS (x) -> ... */
    F_ALTER_IF_EXISTS,    /* ADD COLUMN IF NOT EXISTS, DROP/MODIFY/COMMENT COLUMN IF EXISTS */
    F_ADD_COLUMN_FIRST,   /* ADD COLUMN ... FIRST */
    F_AFTER_COMPUTED,     /* ADD COLUMN ... AFTER a MATERIALIZED or ALIAS column */
    F_MODIFY_SETTING,     /* ALTER TABLE ... MODIFY SETTING */
    F_DROP_VIEW,          /* DROP VIEW (before: DROP TABLE drops views too) */
    F_RESET_SETTING,
    F_ALTER_INDEX,        /* ALTER TABLE ... ADD/DROP INDEX (data skipping indexes) */
    F_ALTER_CONSTRAINT,   /* ALTER TABLE ... ADD/DROP CONSTRAINT */
    F_ALTER_PROJECTION,   /* ALTER TABLE ... ADD/DROP PROJECTION */
    F_MODIFY_COLUMN_POSITION, /* MODIFY COLUMN ... FIRST|AFTER */
    F_COMMENT_COLUMN_REPLICATED, /* COMMENT COLUMN on Replicated*MergeTree */
    F_CODEC,              /* column CODEC(...) */
    F_DECIMAL_FLOAT_MULTIPLY, /* Decimal * Float */
    F_DECIMAL_FLOAT,      /* Decimal compared with, added to, divided by a float */
    /* SELECT syntax; 18.16 refuses every one of these (tried) */
    F_UNION_DISTINCT,     /* UNION DISTINCT, and UNION without ALL */
    F_INTERSECT_EXCEPT,
    F_SET_OP_MODE,        /* INTERSECT/EXCEPT ALL or DISTINCT */
    F_WITH_RECURSIVE,
    F_QUALIFY,
    F_WITH_FILL,
    F_INTERPOLATE,
    F_FILL_STALENESS,
    F_LIMIT_WITH_TIES,
    F_OFFSET_FETCH,       /* OFFSET n ROWS [FETCH FIRST m ROWS ...] */
    F_EXPLAIN_SUBQUERY,   /* FROM (EXPLAIN ...) */
    F_VIEW_FUNCTION,      /* view(SELECT ...) */
    F_COLUMN_ALIAS_LIST,  /* FROM ... AS t(a, b) */
    F_DICTIONARY,         /* CREATE DICTIONARY (DDL dictionaries) */
    F_CREATE_OR_REPLACE_DICTIONARY,
    F_MOVE_PARTITION_TO_TABLE, /* ALTER TABLE ... MOVE PARTITION ... TO TABLE: a resumable backfill */
    F_RENAME_MV,          /* RENAME TABLE of a materialized view (18.16: code 48): an MV swapped in */
    F_MODIFY_NULL_DEFAULT, /* MODIFY COLUMN from Nullable needs a DEFAULT, which the NULLs take */
    F_GROUP_UNIQ_ARRAY_SIZE, /* groupUniqArray(max_size) */
    F_TOPK_LOAD_FACTOR,   /* topK(k, load_factor), topKWeighted(k, load_factor) */
    F_RESAMPLE,           /* the -Resample combinator */
    F_NEGATIVE_FRACTION_REFUSED, /* uniqUpTo(-0.5): refused, not truncated to 0 */
    F_COUNT
} Feature;

bool version_has_feature(const Options *o, Feature f);
/* Reports `version` at `at` when option clickhouse is older than the
 * feature; returns whether it is available. */
bool version_require_feature(Project *p, Feature f, SourceFile *file, Span at);
/* The same, returning the diagnostic (for more notes), NULL when available. */
struct Diag *version_refuse_feature(Project *p, Feature f, SourceFile *file, Span at);
/* A SELECT form option clickhouse may not have: an error where the
 * server is 18.16 or older (each form was tried there), a warning for a
 * version between that and the one listed (not tried). */
void version_check_syntax(Project *p, Feature f, SourceFile *file, Span at);
/* Whether option clickhouse is newer than 18.16, whose MV rules are stricter. */
bool version_is_after_18_16(const Options *o);
/* Versions that come from the library (a function's `introduced`). */
bool version_at_least(const Options *o, int major, int minor);
void version_report_function(Project *p, SourceFile *file, Span at, const char *function, int major, int minor);

#endif
