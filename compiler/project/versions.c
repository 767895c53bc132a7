#include "project/versions.h"

/* First versions, from clickhouse-facts.md and ClickHouse's changelogs.
 * `approx` marks versions inferred from merge dates; they gate features,
 * so when in doubt the later version is listed. */
static const struct {
    const char *name;
    int major, minor;
    bool approx;
} table[F_COUNT] = {
    [F_LOWCARDINALITY] = {"LowCardinality (without the experimental setting)", 19, 3, true},
    [F_TTL] = {"TTL", 19, 6, true},
    [F_SIMPLE_AGGREGATE] = {"the SimpleAggregateFunction type", 19, 8, true},
    [F_CREATE_OR_REPLACE_VIEW] = {"CREATE OR REPLACE VIEW", 19, 5, true},
    [F_DATETIME64] = {"DateTime64", 20, 1, true},
    [F_INT128_256] = {"Int128, UInt128, Int256 and UInt256", 21, 1, true},
    [F_IP_TYPES] = {"the IPv4 and IPv6 types", 19, 3, true},
    [F_DROP_SYNC] = {"DROP ... SYNC", 20, 4, true},
    [F_MAP_TYPE] = {"the Map type", 21, 8, true},
    [F_DATE32] = {"Date32", 21, 9, true},
    [F_PRIMARY_KEY_ALONE] = {"PRIMARY KEY without ORDER BY", 20, 11, true},
    [F_TABLE_COMMENT] = {"table COMMENT", 21, 6, false},
    [F_BOOL_TYPE] = {"the Bool type", 21, 12, true},
    [F_STATE_CAST] = {"silent casts between aggregate states of one representation", 22, 1, true},
    [F_REPLACING_IS_DELETED] = {"ReplacingMergeTree's is_deleted column", 23, 2, true},
    [F_MODIFY_QUERY] = {"ALTER TABLE ... MODIFY QUERY", 23, 12, true},
    [F_REFRESHABLE_MV] = {"refreshable materialized views (REFRESH EVERY/AFTER)", 24, 10, false},
    [F_JSON_TYPE] = {"the JSON type", 25, 3, true},
    [F_VARIANT_DYNAMIC] = {"the Variant and Dynamic types", 25, 3, true},
    [F_BAD_SELECT_REFUSED] = {"refusing MV outputs the target lacks", 25, 4, false},
    [F_MERGETREE_NO_ORDER_BY] = {"MergeTree without ORDER BY", 25, 11, false},
    [F_VARIANT_SUPERTYPE] = {"a Variant as the common type of types that have none", 26, 1, false},
    [F_STATE_VERSION] = {"versions in aggregate state types", 21, 12, true},
    [F_NULLABLE_STATE] = {"Nullable arguments kept in aggregate state types", 20, 7, true},
    [F_DEFAULT_FOR_NULLS] = {"non-Nullable uniq over Nullable arguments", 20, 5, true},
    [F_IF_NULL_ADAPTER] = {"-If with a Nullable condition keeping the plain result", 20, 12, true},
    [F_NULLABLE_TUPLE] = {"Nullable(Tuple(...))", 26, 2, true},
    [F_NULLABLE_SIMPLE_STATE] = {"Nullable arguments kept in SimpleAggregateFunction types", 23, 10, true},
    [F_RENAME_COLUMN] = {"ALTER TABLE ... RENAME COLUMN", 20, 4, false},
    /* ClickHouse PR 84770 (merged 2025-07-31): MODIFY COLUMN from a
     * Nullable type to one that is not is refused without a DEFAULT
     * (code 36, chDB 26.5), whose value the NULLs then take. Before it,
     * a NULL fails the conversion whatever the statement says (issue
     * 5985). */
    [F_MODIFY_NULL_DEFAULT] = {"MODIFY COLUMN from Nullable with a DEFAULT for its NULLs", 25, 8, true},
    [F_REMOVE_COLUMN_PROPERTY] = {"MODIFY COLUMN ... REMOVE DEFAULT, CODEC or TTL", 21, 3, true},
    [F_SQL_FUNCTIONS] = {"SQL user-defined functions (CREATE FUNCTION)", 21, 10, false},
    /* 18.16 refuses all four (tried); the versions that added them are inferred. */
    [F_ALTER_IF_EXISTS] = {"IF [NOT] EXISTS in ALTER TABLE column commands", 19, 3, true},
    [F_ADD_COLUMN_FIRST] = {"ADD COLUMN ... FIRST", 20, 1, true},
    /* 18.16 keeps MATERIALIZED and ALIAS columns apart, after the others,
     * and refuses AFTER one of them (44, tried); ClickHouse issue 6904,
     * fixed in 2019. Before the version assumed here the plan names an
     * ordinary column instead, which every version takes. */
    [F_AFTER_COMPUTED] = {"ADD COLUMN ... AFTER a MATERIALIZED or ALIAS column", 20, 1, true},
    [F_MODIFY_SETTING] = {"ALTER TABLE ... MODIFY SETTING", 19, 3, true},
    [F_DROP_VIEW] = {"DROP VIEW", 20, 1, true},
    [F_CODEC] = {"column compression codecs (CODEC)", 19, 1, true},
    [F_RESET_SETTING] = {"ALTER TABLE ... RESET SETTING", 21, 8, true},
    /* Data skipping indexes left their experimental setting in 20.x and
     * projections theirs in 22.x; 18.16 has none of these four. Each
     * gates both the table element and its ADD/DROP. */
    [F_ALTER_INDEX] = {"data skipping indexes (INDEX, ADD/DROP INDEX)", 20, 3, true},
    [F_ALTER_CONSTRAINT] = {"constraints (CONSTRAINT, ADD/DROP CONSTRAINT)", 19, 14, true},
    [F_ALTER_PROJECTION] = {"projections (PROJECTION, ADD/DROP PROJECTION)", 22, 2, true},
    [F_MODIFY_COLUMN_POSITION] = {"MODIFY COLUMN ... FIRST|AFTER (moving a column)", 21, 1, true},
    [F_COMMENT_COLUMN_REPLICATED] = {"COMMENT COLUMN on a Replicated table", 19, 1, true},
    /* ClickHouse PR 18145 (Dec 2020) allowed Decimal * Float; PRs 32696
     * and 33355 (Dec 2021, Jan 2022) comparisons and the other operators.
     * 18.16 refuses all of them with code 43 (tried). */
    /* DDL dictionaries: 19.17.4 (ClickHouse PR 7360; 18.16 has none);
     * CREATE OR REPLACE DICTIONARY: PR 25444, merged June 2021. */
    [F_DICTIONARY] = {"dictionaries (CREATE DICTIONARY)", 19, 17, false},
    [F_CREATE_OR_REPLACE_DICTIONARY] = {"CREATE OR REPLACE DICTIONARY", 21, 7, true},
    /* 18.16 refuses it (syntax error, tried); ClickHouse's test 00975 has
     * it from mid 2019. 20.1 is a safe floor: it only chooses the
     * backfill's technique (plan.c), never refuses anything. */
    [F_MOVE_PARTITION_TO_TABLE] = {"ALTER TABLE ... MOVE PARTITION ... TO TABLE", 20, 1, true},
    /* ClickHouse PR 5209 (merged 2020-01); 18.16 refuses it (code 48, tried), 26.5 keeps the MV delivering. */
    [F_RENAME_MV] = {"RENAME TABLE of a materialized view", 20, 1, true},
    [F_DECIMAL_FLOAT_MULTIPLY] = {"multiplying a Decimal by a float", 21, 1, true},
    [F_DECIMAL_FLOAT] = {"comparing a Decimal with a float, or adding, subtracting or dividing them", 22, 1, true},
    /* SELECT syntax, from the pull requests that added it (merge month ->
     * the next release): UNION DISTINCT #16338 (20.11), INTERSECT/EXCEPT
     * #24757 (mid 2021; absent from 21.4), their DISTINCT #40792 (Sep
     * 2022), recursive CTEs #62074 and QUALIFY #62619 (24.4; QUALIFY's fix
     * was backported to 24.4, not 24.3), INTERPOLATE #35349 (22.4),
     * STALENESS #71151 (Dec 2024), OFFSET FETCH #15855 (Oct 2020), EXPLAIN
     * as a subquery #40630 (Aug 2022), view() #12567 (Aug 2020). WITH TIES
     * was in 19.15 (issue #7472), WITH FILL in 19.14's changelog; column
     * alias lists were refused by 24.6 and documented by mid 2025. */
    [F_UNION_DISTINCT] = {"UNION DISTINCT (and UNION without ALL)", 20, 11, false},
    [F_INTERSECT_EXCEPT] = {"INTERSECT and EXCEPT", 21, 8, true},
    [F_SET_OP_MODE] = {"INTERSECT or EXCEPT with ALL or DISTINCT", 22, 10, true},
    [F_WITH_RECURSIVE] = {"WITH RECURSIVE", 24, 4, true},
    [F_QUALIFY] = {"QUALIFY", 24, 4, false},
    [F_WITH_FILL] = {"ORDER BY ... WITH FILL", 19, 14, true},
    [F_INTERPOLATE] = {"INTERPOLATE", 22, 4, false},
    [F_FILL_STALENESS] = {"WITH FILL ... STALENESS", 25, 1, true},
    [F_LIMIT_WITH_TIES] = {"LIMIT ... WITH TIES", 19, 15, true},
    [F_OFFSET_FETCH] = {"OFFSET ... ROWS and FETCH", 20, 11, true},
    [F_EXPLAIN_SUBQUERY] = {"FROM (EXPLAIN ...)", 22, 9, true},
    [F_VIEW_FUNCTION] = {"the view(SELECT ...) table function", 20, 9, true},
    [F_COLUMN_ALIAS_LIST] = {"a column alias list, AS t(a, b) or WITH t(a, b) AS,", 25, 8, true},
    /* Aggregate forms 18.16 refuses (tried, in calls and state types):
     * groupUniqArray(3) (133, "cannot have parameters"), from 19.7.3
     * (PR 5026); topK(3, 5) (42, "requires one parameter or less"), from
     * 19.5.2 (PR 4634, topK's and topKWeighted's load factor); -Resample
     * (46/63, unknown function), absent from 19.1-19.9's changelogs: like
     * the names file's functions absent from 18.16, marked ~19.1. */
    [F_GROUP_UNIQ_ARRAY_SIZE] = {"groupUniqArray with a size, groupUniqArray(max_size),", 19, 7, false},
    [F_TOPK_LOAD_FACTOR] = {"a load factor, topK(k, load_factor),", 19, 5, false},
    [F_RESAMPLE] = {"the -Resample combinator", 19, 1, true},
    /* A whole parameter given as a negative fraction: 18.16 truncates it
     * (uniqUpTo(-0.5) counts up to 0), chDB 26.5 refuses it (70, "Cannot
     * convert out of range floating point value to integer type"). When
     * that began is not known: only from the version seen refusing it. */
    [F_NEGATIVE_FRACTION_REFUSED] = {"refusing a negative fraction for a whole parameter", 26, 5, false},
};

bool version_at_least(const Options *o, int major, int minor)
{
    if (o->version_major != major)
        return o->version_major > major;
    return o->version_minor >= minor;
}

bool version_is_after_18_16(const Options *o)
{
    return !(o->version_major < 18 || (o->version_major == 18 && o->version_minor <= 16));
}

bool version_has_feature(const Options *o, Feature f)
{
    return version_at_least(o, table[f].major, table[f].minor);
}

static void suggest_raising(Project *p, Diag *g)
{
    diag_note(&p->diags, g, NULL, (Span){0},
              "raise option clickhouse if every server the plan runs on is that new, or do without it");
}

void version_report_function(Project *p, SourceFile *file, Span at, const char *function, int major, int minor)
{
    Diag *g = diag_error(&p->diags, "version", file, at,
                         "function '%s' needs ClickHouse %d.%d; option clickhouse is '%d.%d'", function, major,
                         minor, p->options.version_major, p->options.version_minor);
    suggest_raising(p, g);
}

bool version_require_feature(Project *p, Feature f, SourceFile *file, Span at)
{
    return version_refuse_feature(p, f, file, at) == NULL;
}

Diag *version_refuse_feature(Project *p, Feature f, SourceFile *file, Span at)
{
    if (version_has_feature(&p->options, f))
        return NULL;
    Diag *g = diag_error(&p->diags, "version", file, at, "%s needs ClickHouse %s%d.%d; option clickhouse is '%d.%d'",
                         table[f].name, table[f].approx ? "~" : "", table[f].major, table[f].minor,
                         p->options.version_major, p->options.version_minor);
    suggest_raising(p, g);
    return g;
}

void version_check_syntax(Project *p, Feature f, SourceFile *file, Span at)
{
    if (version_has_feature(&p->options, f))
        return;
    const char *fmt = "%s needs ClickHouse %s%d.%d; option clickhouse is '%d.%d'";
    Diag *g = !version_is_after_18_16(&p->options)
                  ? diag_error(&p->diags, "version", file, at, fmt, table[f].name, table[f].approx ? "~" : "",
                               table[f].major, table[f].minor, p->options.version_major, p->options.version_minor)
                  : diag_warning(&p->diags, "version", file, at, fmt, table[f].name, table[f].approx ? "~" : "",
                                 table[f].major, table[f].minor, p->options.version_major, p->options.version_minor);
    suggest_raising(p, g);
}
