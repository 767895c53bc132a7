/*
 * genproject: write a deterministic .mvd project of about N objects for
 * `make bench`.
 *
 *   genproject N OUTDIR [FILES]
 *
 * The project is built from groups of ten objects:
 *
 *   slots 0-3  source tables (MergeTree, 10-30 columns)
 *   slots 4-6  target tables (AggregatingMergeTree or SummingMergeTree)
 *   slots 7-8  materialized views feeding targets 4 and 5
 *   slot  9    a view reading one target
 *
 * which gives the 40/30/20/10 mix the benchmark asks for.  Every object is
 * described by a pure function of its global index (its own PRNG is seeded
 * from the index), so any object can be re-derived when another one refers
 * to it: nothing is kept in memory, the output does not depend on FILES, and
 * two runs write byte-identical files.
 *
 * Groups are spread over FILES files in order; file F declares database
 * bench_(F % 10).  A reference into another database is written qualified.
 * References only point from views/MVs to tables, so there is no cycle, and
 * every MV output column is exactly a column of its target, so the project
 * must check without a single diagnostic.
 */
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>

#define GROUP 10u          /* objects per group, see the slot table above */
#define DATABASES 10u      /* databases rotate among bench_0 .. bench_9 */
#define MAX_COLS 30
#define MAX_KEYS 3
#define MAX_AGGS 9
#define NAME_MAX_LEN 48
#define REF_MAX_LEN 96
#define SEED UINT64_C(0x6d76645f62656e63) /* "mvd_benc": any constant works */

/* ---- PRNG: a 64-bit LCG (Knuth's MMIX constants) in a local struct ---- */

struct rng {
    uint64_t state;
};

static uint32_t rng_next(struct rng *r)
{
    r->state = r->state * UINT64_C(6364136223846793005) +
               UINT64_C(1442695040888963407);
    return (uint32_t)(r->state >> 33); /* high bits: the low ones are weak */
}

static uint32_t rng_below(struct rng *r, uint32_t n)
{
    return rng_next(r) % n;
}

/* uniform in [0, n) for n up to 2^33: multiply-shift, no modulo bias */
static uint64_t rng_below64(struct rng *r, uint64_t n)
{
    return (uint64_t)rng_next(r) * n >> 31;
}

/* true with probability pct/100 */
static int rng_chance(struct rng *r, uint32_t pct)
{
    return rng_below(r, 100) < pct;
}

/* One independent stream per (object, purpose): objects can then be
 * re-derived in any order and still come out the same. */
static struct rng rng_for(uint64_t idx, uint64_t purpose)
{
    struct rng r = {SEED ^ (idx * UINT64_C(0x9e3779b97f4a7c15)) ^ purpose};
    for (int i = 0; i < 4; i++) /* mix: close seeds start far apart */
        rng_next(&r);
    return r;
}

/* ---- column types ---- */

enum ctype {
    T_DATETIME,
    T_UINT64,
    T_UINT32,
    T_STRING,
    T_LCSTRING,
    T_FLOAT64,
    T_NSTRING,
    T_ASTRING,
    T_DECIMAL,
    T_DATE,
    T_COUNT
};

static const char *const type_sql[T_COUNT] = {
    "DateTime",          "UInt64",  "UInt32",           "String",
    "LowCardinality(String)", "Float64", "Nullable(String)", "Array(String)",
    "Decimal(18, 4)",    "Date",
};

#define POOL 8
/* Column names are a word for the type plus the column's position, which
 * keeps them unique in a table and away from every keyword. */
static const char *const name_pool[T_COUNT][POOL] = {
    {"created_at", "updated_at", "seen_at", "sent_at", "opened_at", "paid_at",
     "shipped_at", "closed_at"},
    {"bytes", "items", "session_id", "order_id", "clicks", "views",
     "impressions", "latency_us"},
    {"status", "duration_ms", "depth", "port", "retries", "width", "height",
     "score"},
    {"url", "path", "referrer", "title", "query", "agent", "host", "city"},
    {"country", "device", "browser", "os", "channel", "platform", "lang",
     "tier"},
    {"price", "ratio", "lat", "lon", "weight", "amount", "rate", "load"},
    {"coupon", "note", "error", "campaign", "promo", "partner", "gclid",
     "utm_term"},
    {"tags", "labels", "segments", "experiments", "flags", "cohorts",
     "features", "topics"},
    {"balance", "cost", "tax", "fee", "discount", "refund", "margin",
     "credit"},
    {"event_date", "signup_date", "birth_date", "due_date", "ship_date",
     "start_date", "end_date", "renew_date"},
};

/* The first ten columns of every source have these types (then shuffled):
 * they guarantee enough group keys and aggregable columns for any MV. */
static const enum ctype source_template[] = {
    T_DATETIME, T_UINT64, T_STRING, T_LCSTRING, T_UINT32,
    T_UINT64,   T_UINT64, T_FLOAT64, T_STRING,  T_DATE,
};
#define TEMPLATE_LEN (sizeof source_template / sizeof source_template[0])

/* ---- object descriptions ---- */

enum kind { K_SOURCE, K_TARGET, K_MV, K_VIEW };

static const enum kind slot_kind[GROUP] = {
    K_SOURCE, K_SOURCE, K_SOURCE, K_SOURCE, K_TARGET,
    K_TARGET, K_TARGET, K_MV,     K_MV,     K_VIEW,
};

enum deco { D_NONE, D_DEFAULT, D_COMMENT };

struct column {
    enum ctype type;
    enum deco deco;
    char name[NAME_MAX_LEN];
};

struct source {
    int ncols;
    struct column cols[MAX_COLS];
    int nsort;            /* sort key columns before ts */
    int sort[2];
    int order_first;      /* order by written before partition by */
    int ttl_days;         /* 0: no ttl */
    int settings;
};

enum agg { A_SUM, A_MAX, A_UNIQ };

/* What a target holds, and what the MV feeding it (if any) selects. */
struct feed {
    uint64_t src;             /* index of the source table */
    struct source s;
    int summing;              /* SummingMergeTree, else AggregatingMergeTree */
    int nkeys;
    int keys[MAX_KEYS];       /* source columns grouped by */
    int naggs;
    int agg_col[MAX_AGGS];    /* source columns aggregated */
    enum agg agg_kind[MAX_AGGS];
    int filter;               /* bit set of WHERE conjuncts */
};

struct layout {
    uint64_t groups;
    uint64_t files;
};

/* ---- layout: groups -> files -> databases ---- */

/* File f holds groups [f*G/F, (f+1)*G/F); this inverts that range. */
static uint64_t layout_file(const struct layout *l, uint64_t group)
{
    return ((group + 1) * l->files - 1) / l->groups;
}

static uint64_t layout_first_group(const struct layout *l, uint64_t file)
{
    return file * l->groups / l->files;
}

static unsigned layout_db(const struct layout *l, uint64_t idx)
{
    return (unsigned)(layout_file(l, idx / GROUP) % DATABASES);
}

/* ---- sources ---- */

static void shuffle(struct rng *r, int *v, int n)
{
    for (int i = n - 1; i > 0; i--) {
        int j = (int)rng_below(r, (uint32_t)i + 1);
        int t = v[i];
        v[i] = v[j];
        v[j] = t;
    }
}

static int find_type(const struct source *s, enum ctype t)
{
    for (int i = 0; i < s->ncols; i++)
        if (s->cols[i].type == t)
            return i;
    return -1;
}

/* ts and user_id stay first (every MV needs them); the rest is shuffled so
 * that sources do not all look alike. */
static void source_types(struct rng *r, struct source *s)
{
    int order[MAX_COLS];
    enum ctype types[MAX_COLS];

    s->ncols = 10 + (int)rng_below(r, 21);
    for (int i = 0; i < s->ncols; i++) {
        types[i] = i < (int)TEMPLATE_LEN ? source_template[i]
                                         : (enum ctype)rng_below(r, T_COUNT);
        order[i] = i;
    }
    shuffle(r, order + 2, s->ncols - 2);
    for (int i = 0; i < s->ncols; i++)
        s->cols[i].type = types[order[i]];
}

static void source_names(struct rng *r, struct source *s)
{
    for (int i = 0; i < s->ncols; i++) {
        struct column *c = &s->cols[i];
        const char *word = name_pool[c->type][rng_below(r, POOL)];
        snprintf(c->name, sizeof c->name, "%s_%d", word, i);
        c->deco = D_NONE;
        if (i >= 2 && rng_chance(r, 15))
            c->deco = rng_chance(r, 50) ? D_DEFAULT : D_COMMENT;
    }
    snprintf(s->cols[0].name, sizeof s->cols[0].name, "ts");
    snprintf(s->cols[1].name, sizeof s->cols[1].name, "user_id");
}

static void source_make(uint64_t idx, struct source *s)
{
    struct rng r = rng_for(idx, 1);

    source_types(&r, s);
    source_names(&r, s);
    s->nsort = 1 + (int)rng_below(&r, 2);
    s->sort[0] = find_type(s, T_LCSTRING);
    s->sort[1] = find_type(s, T_STRING);
    s->order_first = rng_chance(&r, 20);
    s->ttl_days = rng_chance(&r, 30) ? 30 * (1 + (int)rng_below(&r, 12)) : 0;
    s->settings = rng_chance(&r, 25);
}

/* ---- feeds: the shape of a target and of the MV that fills it ---- */

static int is_key_type(enum ctype t)
{
    /* no Nullable, Array or Float in a sorting key */
    return t == T_STRING || t == T_LCSTRING || t == T_UINT32 || t == T_DATE;
}

static int is_agg_type(enum ctype t)
{
    return t == T_UINT64 || t == T_UINT32 || t == T_FLOAT64 || t == T_STRING;
}

/* Mostly a source of the same group (same file, same database); one in
 * four comes from anywhere, which gives cross-database references. */
static uint64_t pick_source(struct rng *r, uint64_t idx, uint64_t groups)
{
    uint64_t group = idx / GROUP;
    if (rng_chance(r, 25))
        group = rng_below64(r, groups);
    return group * GROUP + rng_below(r, 4);
}

static void feed_keys(struct rng *r, struct feed *f)
{
    int cand[MAX_COLS], n = 0;

    for (int i = 2; i < f->s.ncols; i++)
        if (is_key_type(f->s.cols[i].type))
            cand[n++] = i;
    shuffle(r, cand, n);
    f->nkeys = 1 + (int)rng_below(r, MAX_KEYS);
    if (f->nkeys > n)
        f->nkeys = n;
    memcpy(f->keys, cand, (size_t)f->nkeys * sizeof cand[0]);
}

static int feed_is_key(const struct feed *f, int col)
{
    for (int i = 0; i < f->nkeys; i++)
        if (f->keys[i] == col)
            return 1;
    return 0;
}

/* max only into AggregatingMergeTree: SummingMergeTree would add maxima. */
static enum agg agg_for(struct rng *r, enum ctype t, int summing)
{
    if (t == T_STRING)
        return A_UNIQ;
    if (!summing && t != T_UINT64 && rng_chance(r, 40))
        return A_MAX;
    return A_SUM;
}

/* 8-12 output columns: hour, the keys, hits, visitors, then aggregates. */
static void feed_aggs(struct rng *r, struct feed *f)
{
    int cand[MAX_COLS], n = 0;
    int want = 8 + (int)rng_below(r, 5) - 3 - f->nkeys;

    for (int i = 2; i < f->s.ncols; i++)
        if (is_agg_type(f->s.cols[i].type) && !feed_is_key(f, i))
            cand[n++] = i;
    shuffle(r, cand, n);
    f->naggs = want < n ? want : n;
    if (f->naggs > MAX_AGGS)
        f->naggs = MAX_AGGS;
    for (int i = 0; i < f->naggs; i++) {
        f->agg_col[i] = cand[i];
        f->agg_kind[i] = agg_for(r, f->s.cols[cand[i]].type, f->summing);
    }
}

static void feed_make(uint64_t target, uint64_t groups, struct feed *f)
{
    struct rng r = rng_for(target, 2);

    f->src = pick_source(&r, target, groups);
    source_make(f->src, &f->s);
    f->summing = rng_chance(&r, 30);
    feed_keys(&r, f);
    feed_aggs(&r, f);
    f->filter = 1 + (int)rng_below(&r, 7);
}

/* ---- names ---- */

static void object_name(uint64_t idx, char *buf, size_t n)
{
    static const char *const prefix[] = {"events", "hourly", "mv", "report"};
    snprintf(buf, n, "%s_%06" PRIu64, prefix[slot_kind[idx % GROUP]], idx);
}

/* How a file in database `db` refers to object idx. */
static void ref_name(const struct layout *l, unsigned db, uint64_t idx,
                     char *buf, size_t n)
{
    char base[NAME_MAX_LEN];
    unsigned other = layout_db(l, idx);

    object_name(idx, base, sizeof base);
    if (other == db)
        snprintf(buf, n, "%s", base);
    else
        snprintf(buf, n, "bench_%u.%s", other, base);
}

static void agg_output_name(const struct feed *f, int i, char *buf, size_t n)
{
    static const char *const prefix[] = {"total", "max", "uniq"};
    snprintf(buf, n, "%s_%s", prefix[f->agg_kind[i]],
             f->s.cols[f->agg_col[i]].name);
}

/* ---- emission ---- */

struct out {
    FILE *f;
    const struct layout *lay;
    unsigned db;
};

static void emit_column_deco(FILE *f, const struct column *c)
{
    if (c->deco == D_COMMENT) {
        fprintf(f, " comment 'generated %s'", type_sql[c->type]);
        return;
    }
    if (c->deco != D_DEFAULT)
        return;
    if (c->type == T_UINT64 || c->type == T_UINT32)
        fputs(" default 0", f);
    else if (c->type == T_STRING)
        fputs(" default ''", f);
    else if (c->type == T_LCSTRING)
        fputs(" default 'unknown'", f);
}

static void emit_order_by(FILE *f, const struct source *s)
{
    fputs("\norder by (", f);
    for (int i = 0; i < s->nsort; i++)
        fprintf(f, "%s, ", s->cols[s->sort[i]].name);
    fputs("ts)", f);
}

static void emit_source(struct out *o, uint64_t idx)
{
    struct source s;
    char name[NAME_MAX_LEN];

    source_make(idx, &s);
    object_name(idx, name, sizeof name);
    if (idx % 3 == 0)
        fprintf(o->f, "--- Raw events, generated source %" PRIu64 ".\n", idx);
    fprintf(o->f, "table %s (\n", name);
    for (int i = 0; i < s.ncols; i++) {
        fprintf(o->f, "    %s %s", s.cols[i].name, type_sql[s.cols[i].type]);
        emit_column_deco(o->f, &s.cols[i]);
        fputs(",\n", o->f);
    }
    /* clauses may come in any order: vary it a little for the parser */
    fputs(")\nengine = MergeTree", o->f);
    if (s.order_first)
        emit_order_by(o->f, &s);
    fputs("\npartition by toYYYYMM(ts)", o->f);
    if (!s.order_first)
        emit_order_by(o->f, &s);
    if (s.ttl_days)
        fprintf(o->f, "\nttl ts + interval %d day", s.ttl_days);
    if (s.settings)
        fputs("\nsettings index_granularity = 8192", o->f);
    fputs(";\n\n", o->f);
}

/* The type an aggregate output has in the target table. */
static void agg_target_type(const struct feed *f, int i, char *buf, size_t n)
{
    enum ctype in = f->s.cols[f->agg_col[i]].type;
    const char *sum_result = in == T_FLOAT64 ? "Float64" : "UInt64";

    if (f->agg_kind[i] == A_UNIQ)
        snprintf(buf, n, "AggregateFunction(uniq, %s)", type_sql[in]);
    else if (f->agg_kind[i] == A_MAX)
        snprintf(buf, n, "SimpleAggregateFunction(max, %s)", type_sql[in]);
    else if (f->summing)
        snprintf(buf, n, "%s", sum_result);
    else
        snprintf(buf, n, "SimpleAggregateFunction(sum, %s)", sum_result);
}

static void emit_target_columns(FILE *out, const struct feed *f)
{
    char col[NAME_MAX_LEN * 2], type[REF_MAX_LEN];

    fputs("    hour DateTime,\n", out);
    for (int i = 0; i < f->nkeys; i++) {
        const struct column *c = &f->s.cols[f->keys[i]];
        fprintf(out, "    %s %s,\n", c->name, type_sql[c->type]);
    }
    fprintf(out, "    hits %s,\n",
            f->summing ? "UInt64" : "SimpleAggregateFunction(sum, UInt64)");
    fputs("    visitors AggregateFunction(uniq, UInt64),\n", out);
    for (int i = 0; i < f->naggs; i++) {
        agg_output_name(f, i, col, sizeof col);
        agg_target_type(f, i, type, sizeof type);
        fprintf(out, "    %s %s,\n", col, type);
    }
}

static void emit_target(struct out *o, uint64_t idx)
{
    struct feed f;
    char name[NAME_MAX_LEN];

    feed_make(idx, o->lay->groups, &f);
    object_name(idx, name, sizeof name);
    fprintf(o->f, "table %s (\n", name);
    emit_target_columns(o->f, &f);
    fprintf(o->f, ")\nengine = %s\npartition by toYYYYMM(hour)\n",
            f.summing ? "SummingMergeTree" : "AggregatingMergeTree");
    /* every plain column is in the key: merges must not pick one row */
    fputs("order by (hour", o->f);
    for (int i = 0; i < f.nkeys; i++)
        fprintf(o->f, ", %s", f.s.cols[f.keys[i]].name);
    fputs(");\n\n", o->f);
}

static void emit_where(FILE *out, const struct feed *f)
{
    const char *sep = "where ";
    int u32 = find_type(&f->s, T_UINT32), str = find_type(&f->s, T_STRING);

    if (f->filter & 1) {
        fprintf(out, "%suser_id > 0", sep);
        sep = " and ";
    }
    if (f->filter & 2) {
        fprintf(out, "%s%s < 500", sep, f->s.cols[u32].name);
        sep = " and ";
    }
    if (f->filter & 4)
        fprintf(out, "%s%s != ''", sep, f->s.cols[str].name);
    fputc('\n', out);
}

static void emit_mv_select(FILE *out, const struct feed *f)
{
    static const char *const fn[] = {"sum", "max", "uniqState"};
    char col[NAME_MAX_LEN * 2];

    fputs("as select\n    toStartOfHour(ts) as hour,\n", out);
    for (int i = 0; i < f->nkeys; i++)
        fprintf(out, "    %s,\n", f->s.cols[f->keys[i]].name);
    fputs("    count() as hits,\n    uniqState(user_id) as visitors", out);
    for (int i = 0; i < f->naggs; i++) {
        agg_output_name(f, i, col, sizeof col);
        fprintf(out, ",\n    %s(%s) as %s", fn[f->agg_kind[i]],
                f->s.cols[f->agg_col[i]].name, col);
    }
    fputc('\n', out);
}

static void emit_mv(struct out *o, uint64_t idx)
{
    uint64_t target = idx - 3; /* slot 7 feeds slot 4, slot 8 feeds slot 5 */
    struct feed f;
    char name[NAME_MAX_LEN], src[REF_MAX_LEN], tgt[REF_MAX_LEN];

    feed_make(target, o->lay->groups, &f);
    object_name(idx, name, sizeof name);
    ref_name(o->lay, o->db, f.src, src, sizeof src);
    ref_name(o->lay, o->db, target, tgt, sizeof tgt);
    fprintf(o->f, "materialized view %s\n    pulls_from %s\n    pushes_to %s\n",
            name, src, tgt);
    emit_mv_select(o->f, &f);
    fprintf(o->f, "from %s\n", src);
    emit_where(o->f, &f);
    fputs("group by hour", o->f);
    for (int i = 0; i < f.nkeys; i++)
        fprintf(o->f, ", %s", f.s.cols[f.keys[i]].name);
    fputs(";\n\n", o->f);
}

/* Which target a view reads: mostly one of its own group. */
static uint64_t pick_target(struct rng *r, uint64_t idx, uint64_t groups)
{
    uint64_t group = idx / GROUP;
    if (rng_chance(r, 30))
        group = rng_below64(r, groups);
    return group * GROUP + 4 + rng_below(r, 3);
}

/* Re-aggregate a target column: -Merge for states, the function itself
 * for SimpleAggregateFunction and SummingMergeTree columns. */
static void emit_view_aggs(FILE *out, const struct feed *f, int naggs)
{
    static const char *const fn[] = {"sum", "max", "uniqMerge"};
    char col[NAME_MAX_LEN * 2];

    fputs("    sum(hits) as hits,\n    uniqMerge(visitors) as visitors", out);
    for (int i = 0; i < naggs; i++) {
        agg_output_name(f, i, col, sizeof col);
        fprintf(out, ",\n    %s(%s) as %s", fn[f->agg_kind[i]], col, col);
    }
    fputc('\n', out);
}

static void emit_view_body(struct out *o, struct rng *r, const struct feed *f,
                           const char *tgt)
{
    int nkeys = 1 + (int)rng_below(r, (uint32_t)f->nkeys);
    int by_day = rng_chance(r, 30);
    int naggs = (int)rng_below(r, (uint32_t)(f->naggs < 3 ? f->naggs : 3) + 1);

    fputs("as select\n", o->f);
    for (int i = 0; i < nkeys; i++)
        fprintf(o->f, "    %s,\n", f->s.cols[f->keys[i]].name);
    if (by_day)
        fputs("    toDate(hour) as day,\n", o->f);
    emit_view_aggs(o->f, f, naggs);
    fprintf(o->f, "from %s\ngroup by ", tgt);
    for (int i = 0; i < nkeys; i++)
        fprintf(o->f, "%s%s", i ? ", " : "", f->s.cols[f->keys[i]].name);
    if (by_day)
        fputs(", day", o->f);
    if (rng_chance(r, 30))
        fputs("\norder by hits desc\nlimit 100", o->f);
    fputs(";\n\n", o->f);
}

static void emit_view(struct out *o, uint64_t idx)
{
    struct rng r = rng_for(idx, 3);
    uint64_t target = pick_target(&r, idx, o->lay->groups);
    struct feed f;
    char name[NAME_MAX_LEN], tgt[REF_MAX_LEN];

    feed_make(target, o->lay->groups, &f);
    object_name(idx, name, sizeof name);
    ref_name(o->lay, o->db, target, tgt, sizeof tgt);
    fprintf(o->f, "view %s\n    pulls_from %s\n", name, tgt);
    emit_view_body(o, &r, &f, tgt);
}

static void emit_object(struct out *o, uint64_t idx)
{
    switch (slot_kind[idx % GROUP]) {
    case K_SOURCE: emit_source(o, idx); break;
    case K_TARGET: emit_target(o, idx); break;
    case K_MV: emit_mv(o, idx); break;
    case K_VIEW: emit_view(o, idx); break;
    }
}

/* ---- files ---- */

static int make_dir(const char *path)
{
    if (mkdir(path, 0777) == 0 || errno == EEXIST)
        return 0;
    fprintf(stderr, "genproject: cannot create %s: %s\n", path,
            strerror(errno));
    return -1;
}

/* OUTDIR/bench_K/part_NNNNN.mvd: subdirectories make mvdc walk a tree. */
static FILE *open_part(const char *outdir, unsigned db, uint64_t file)
{
    char path[4096];
    FILE *f;

    snprintf(path, sizeof path, "%s/bench_%u", outdir, db);
    if (make_dir(path) != 0)
        return NULL;
    snprintf(path, sizeof path, "%s/bench_%u/part_%05" PRIu64 ".mvd", outdir,
             db, file);
    f = fopen(path, "w");
    if (!f)
        fprintf(stderr, "genproject: cannot write %s: %s\n", path,
                strerror(errno));
    return f;
}

static int write_part(const char *outdir, const struct layout *l,
                      uint64_t file)
{
    struct out o = {NULL, l, (unsigned)(file % DATABASES)};
    uint64_t end = layout_first_group(l, file + 1);
    int failed;

    o.f = open_part(outdir, o.db, file);
    if (!o.f)
        return -1;
    fprintf(o.f, "-- generated by tests/bench/genproject (part %" PRIu64
                 " of %" PRIu64 ")\n\ndatabase bench_%u;\n\n",
            file + 1, l->files, o.db);
    for (uint64_t g = layout_first_group(l, file); g < end; g++)
        for (uint64_t s = 0; s < GROUP; s++)
            emit_object(&o, g * GROUP + s);
    failed = ferror(o.f);
    if (fclose(o.f) != 0 || failed) {
        fprintf(stderr, "genproject: write error in part %" PRIu64 "\n", file);
        return -1;
    }
    return 0;
}

static int parse_count(const char *s, uint64_t *v)
{
    char *end;
    unsigned long long n;

    errno = 0;
    n = strtoull(s, &end, 10);
    if (errno || end == s || *end || *s == '-' || n == 0)
        return -1;
    *v = (uint64_t)n;
    return 0;
}

int main(int argc, char **argv)
{
    uint64_t n, files;
    struct layout l;

    if (argc < 3 || argc > 4 || parse_count(argv[1], &n) != 0 ||
        (argc == 4 && parse_count(argv[3], &files) != 0)) {
        fprintf(stderr, "usage: genproject N OUTDIR [FILES]\n"
                        "  N, FILES: positive integers (FILES defaults to N/100)\n");
        return 2;
    }
    l.groups = (n + GROUP / 2) / GROUP;
    if (l.groups == 0)
        l.groups = 1;
    if (argc < 4)
        files = n / 100 ? n / 100 : 1;
    l.files = files < l.groups ? files : l.groups; /* no empty files */
    if (make_dir(argv[2]) != 0)
        return 1;
    for (uint64_t f = 0; f < l.files; f++)
        if (write_part(argv[2], &l, f) != 0)
            return 1;
    return 0;
}
