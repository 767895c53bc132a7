/*
 * gentyped: write a deterministic project of N materialized views for
 * `make bench`, each selecting 10 typed columns, to time the type checker.
 *
 *   gentyped N OUTDIR
 *
 * 100 source tables share one shape (page views). MV i reads source i % 100
 * and pushes into its own AggregatingMergeTree target: 4 key expressions
 * and 6 aggregate states, chosen by i from the tables below, so that every
 * function the views call goes through signatures, combinators and
 * promotion rules. Each target column has exactly the type ClickHouse gives
 * its expression (the `type` columns below, checked with toTypeName), so
 * the project must check without a single diagnostic. Files hold 100 MVs.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define SOURCES 100
#define PER_FILE 100
#define KEYS 4
#define AGGS 6

struct column {
    const char *name, *expr, *type;
};

static const struct column keys[] = {
    {"hour", "toStartOfHour(ts)", "DateTime"},
    {"day", "toDate(ts)", "Date"},
    {"page", "lower(url)", "String"},
    {"host", "domain(referrer)", "String"},
    {"month", "toYYYYMM(ts)", "UInt32"},
    {"country", "country", "LowCardinality(String)"},
    {"slot", "toStartOfInterval(ts, interval 5 minute)", "DateTime"},
    {"outcome", "if(status >= 500, 'error', 'ok')", "String"},
    {"bucket", "cityHash64(url) % 16", "UInt8"},
    {"site", "concat(protocol(url), '://', domain(url))", "String"},
    {"class", "intDiv(status, 100)", "UInt16"},
    {"weekday", "toDayOfWeek(ts)", "UInt8"},
};

static const struct column aggs[] = {
    {"users", "uniqState(user_id)", "AggregateFunction(uniq, UInt64)"},
    {"seconds", "sumState(duration)", "AggregateFunction(sum, Float64)"},
    {"pcts", "quantilesState(0.5, 0.9)(duration)", "AggregateFunction(quantiles(0.5, 0.9), Float64)"},
    {"last_seen", "maxSimpleState(ts)", "SimpleAggregateFunction(max, DateTime)"},
    {"traffic", "sumSimpleState(bytes)", "SimpleAggregateFunction(sum, UInt64)"},
    {"avg_seconds", "avgState(duration)", "AggregateFunction(avg, Float64)"},
    {"countries", "groupUniqArrayState(country)", "AggregateFunction(groupUniqArray, String)"},
    {"last_page", "argMaxState(url, ts)", "AggregateFunction(argMax, String, DateTime)"},
    {"ok_users", "uniqIfState(user_id, status = 200)", "AggregateFunction(uniqIf, UInt64, UInt8)"},
    {"views", "countState()", "AggregateFunction(count)"},
    {"error_bytes", "sumStateIf(bytes, status >= 400)", "AggregateFunction(sum, UInt64)"},
    {"fastest", "minSimpleState(duration)", "SimpleAggregateFunction(min, Float64)"},
    {"last_referrer", "anyLastSimpleState(referrer)", "SimpleAggregateFunction(anyLast, String)"},
    {"pages", "uniqExactState(url)", "AggregateFunction(uniqExact, String)"},
    {"top_amount", "maxState(amount)", "AggregateFunction(max, Nullable(Decimal(18, 4)))"},
};

#define NKEYS (sizeof(keys) / sizeof(keys[0]))
#define NAGGS (sizeof(aggs) / sizeof(aggs[0]))

/* The k-th of n distinct indexes below `of`, a function of i alone. */
static unsigned pick(unsigned long i, unsigned k, unsigned of)
{
    return (unsigned)((i * 7 + k * (i % 5 + 1) + k * k) % of);
}

/* Chooses n distinct columns of a table of `of` for MV i. */
static void choose(unsigned long i, unsigned n, unsigned of, unsigned *out)
{
    for (unsigned k = 0, tries = 0; k < n; tries++) {
        unsigned c = pick(i + tries * 13, k, of), dup = 0;
        for (unsigned j = 0; j < k; j++)
            dup |= out[j] == c;
        if (!dup)
            out[k++] = c;
    }
}

static void write_sources(FILE *f)
{
    fputs("database typed;\n\n", f);
    for (unsigned s = 0; s < SOURCES; s++)
        fprintf(f,
                "table src_%u (\n    ts DateTime, url String, referrer String, user_id UInt64, duration Float64,\n"
                "    bytes UInt64, status UInt16, country LowCardinality(String), amount Nullable(Decimal(18, 4)),\n"
                ") engine = MergeTree order by ts;\n\n",
                s);
}

static void write_mv(FILE *f, unsigned long i)
{
    unsigned k[KEYS], a[AGGS];
    choose(i, KEYS, NKEYS, k);
    choose(i * 31 + 3, AGGS, NAGGS, a);
    fprintf(f, "table target_%lu (\n", i);
    for (unsigned j = 0; j < KEYS; j++)
        fprintf(f, "    %s %s,\n", keys[k[j]].name, keys[k[j]].type);
    for (unsigned j = 0; j < AGGS; j++)
        fprintf(f, "    %s %s,\n", aggs[a[j]].name, aggs[a[j]].type);
    fprintf(f, ") engine = AggregatingMergeTree order by (%s, %s, %s, %s);\n\n", keys[k[0]].name, keys[k[1]].name,
            keys[k[2]].name, keys[k[3]].name);
    fprintf(f, "materialized view mv_%lu\n    pulls_from src_%lu\n    pushes_to target_%lu\nas select\n", i,
            i % SOURCES, i);
    for (unsigned j = 0; j < KEYS; j++)
        fprintf(f, "    %s as %s,\n", keys[k[j]].expr, keys[k[j]].name);
    for (unsigned j = 0; j < AGGS; j++)
        fprintf(f, "    %s as %s%s\n", aggs[a[j]].expr, aggs[a[j]].name, j + 1 < AGGS ? "," : "");
    fprintf(f, "from src_%lu\ngroup by %s, %s, %s, %s;\n\n", i % SOURCES, keys[k[0]].name, keys[k[1]].name,
            keys[k[2]].name, keys[k[3]].name);
}

static FILE *open_file(const char *dir, const char *name)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "gentyped: %s: %s\n", path, strerror(errno));
    return f;
}

int main(int argc, char **argv)
{
    char *end;
    unsigned long n = argc == 3 ? strtoul(argv[1], &end, 10) : 0;
    if (argc != 3 || *end || n == 0) {
        fprintf(stderr, "usage: gentyped N OUTDIR\n");
        return 2;
    }
    if (mkdir(argv[2], 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "gentyped: %s: %s\n", argv[2], strerror(errno));
        return 1;
    }
    FILE *f = open_file(argv[2], "sources.mvd");
    if (!f)
        return 1;
    write_sources(f);
    fclose(f);
    for (unsigned long i = 0; i < n; i += PER_FILE) {
        char name[64];
        snprintf(name, sizeof name, "mvs_%05lu.mvd", i / PER_FILE);
        if (!(f = open_file(argv[2], name)))
            return 1;
        fputs("database typed;\n\n", f);
        for (unsigned long j = i; j < i + PER_FILE && j < n; j++)
            write_mv(f, j);
        if (fclose(f) != 0)
            return 1;
    }
    return 0;
}
