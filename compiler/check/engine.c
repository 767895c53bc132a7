/* The `engine` check: what a table's engine demands of its columns and
 * keys, judged for `option clickhouse`. Every rule here was tried on chDB
 * (26.5) and on 18.16 (tests/golden/check/engine):
 *
 *   - a MergeTree table needs ORDER BY (PRIMARY KEY alone is its sorting
 *     key from 20.11; from 25.11 nothing means ORDER BY tuple());
 *     engines without keys (Log, Memory, ...) refuse key clauses;
 *   - ReplacingMergeTree's version column exists and is an integer, a
 *     float or a date/time; its is_deleted column is UInt8 or Bool; the sign of
 *     (Versioned)CollapsingMergeTree is Int8;
 *   - SummingMergeTree sums the numeric columns it is given, never a key
 *     column; a non-numeric column outside the key keeps an arbitrary
 *     row's value (a warning);
 *   - AggregatingMergeTree: a column outside the key that is not an
 *     AggregateFunction or SimpleAggregateFunction keeps one arbitrary
 *     row's value on merge (a warning: ClickHouse accepts it, and real
 *     schemas mean "any value");
 *   - the primary key is a prefix of ORDER BY, the sampling expression
 *     one of its elements, no key column is Nullable (without
 *     allow_nullable_key) or an aggregate state;
 *   - TTL needs 19.6;
 *   - TimeSeries: check/time_series.c.
 * Unknown columns in keys are reported by the resolver (as `engine`). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "check/passes.h"
#include "check/time_series.h"
#include "strbuf.h"
#include "syntax/walk.h"
#include "typing/typesyntax.h"
#include "project/versions.h"
#include "syntax/suggest.h"

typedef enum Family {
    FAM_OTHER,      /* not MergeTree, or unknown: no rules */
    FAM_NO_KEYS,    /* Log, Memory, ...: refuses key clauses */
    FAM_MERGETREE, FAM_REPLACING, FAM_SUMMING, FAM_AGGREGATING, FAM_COLLAPSING, FAM_VERSIONED_COLLAPSING,
    FAM_GRAPHITE, FAM_COALESCING
} Family;

typedef struct Table {
    Project *p;
    Object *o;
    Decl *d;
    Clause *engine, *order, *primary, *partition, *sample, *settings;
    Family family;
    ExprList params;    /* the engine's own parameters (after a replication path and replica) */
    ExprList order_keys, primary_keys;
    bool legacy;        /* MergeTree(date, key, granularity): keys in the parameters */
    bool replicated;    /* Replicated... or Shared...: every replica holds the rows */
} Table;

static const struct {
    const char *name;
    Family family;
    int max_params;
} families[] = {
    {"MergeTree", FAM_MERGETREE, 0}, {"ReplacingMergeTree", FAM_REPLACING, 2},
    {"SummingMergeTree", FAM_SUMMING, 1}, {"AggregatingMergeTree", FAM_AGGREGATING, 0},
    {"CollapsingMergeTree", FAM_COLLAPSING, 1}, {"VersionedCollapsingMergeTree", FAM_VERSIONED_COLLAPSING, 2},
    {"GraphiteMergeTree", FAM_GRAPHITE, 1}, {"CoalescingMergeTree", FAM_COALESCING, 1},
};

static const char *const keyless[] = {
    "Log", "TinyLog", "StripeLog", "Memory", "Null", "Buffer", "Distributed", "Merge", "Set", "Join", "Kafka", NULL,
};

static bool name_is_text(Name n, const char *s)
{
    return n.len == strlen(s) && memcmp(n.s, s, n.len) == 0;
}

static Name strip_prefix(Name n, const char *prefix)
{
    size_t k = strlen(prefix);
    if (n.len > k && memcmp(n.s, prefix, k) == 0)
        return (Name){.s = n.s + k, .len = (uint32_t)(n.len - k), .span = n.span};
    return n;
}

/* Which family the engine is, and its own parameters: a replicated
 * engine's first two string arguments are its path and replica. */
static void read_engine(Table *t)
{
    Name n = t->engine->engine;
    bool replicated = !name_eq(strip_prefix(n, "Replicated"), n) || !name_eq(strip_prefix(n, "Shared"), n);
    t->replicated = replicated;
    n = strip_prefix(strip_prefix(n, "Replicated"), "Shared");
    for (size_t i = 0; i < sizeof families / sizeof families[0]; i++) {
        if (!name_is_text(n, families[i].name))
            continue;
        t->family = families[i].family;
        t->params = t->engine->args;
        int skip = 0;
        while (replicated && skip < 2 && skip < t->params.n && t->params.v[skip]->kind == EX_STRING)
            skip++;
        if (skip) {
            t->params.v += skip;
            t->params.n -= skip;
            t->params.cap = t->params.n;
        }
        t->legacy = t->params.n > families[i].max_params;
        return;
    }
    for (int i = 0; keyless[i]; i++)
        if (name_is_text(n, keyless[i]))
            t->family = FAM_NO_KEYS;
}

static Clause *find_clause(Decl *d, ClauseKind k)
{
    for (int i = 0; i < d->clauses.n; i++)
        if (d->clauses.v[i].kind == k)
            return &d->clauses.v[i];
    return NULL;
}

/* A key's elements: ORDER BY (a, b) has two, ORDER BY tuple() none. */
static ExprList key_elements(Project *p, Expr *e)
{
    ExprList l = {0};
    if (!e)
        return l;
    const ExprList *items = e->kind == EX_TUPLE ? &e->u.list.items
                          : (e->kind == EX_CALL && e->name.len == 5 && strncasecmp(e->name.s, "tuple", 5) == 0)
                              ? &e->u.call.args : NULL;
    if (!items) {
        *LIST_PUSH(&p->scratch, &l) = e;
        return l;
    }
    for (int i = 0; i < items->n; i++)
        *LIST_PUSH(&p->scratch, &l) = items->v[i];
    return l;
}

static const OutColumn *column(Table *t, Name n)
{
    for (int i = 0; i < t->o->columns.n; i++)
        if (name_eq(t->o->columns.v[i].name, n))
            return &t->o->columns.v[i];
    return NULL;
}

static int default_kind(const OutColumn *c)
{
    return c->origin.decl && c->origin.decl->mods ? c->origin.decl->mods->default_kind : DEF_NONE;
}

static Diag *error(Table *t, Span at, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static Diag *error(Table *t, Span at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    return diag_error(&t->p->diags, "engine", t->d->file, at, "%s", msg);
}

static const char *text(Table *t, Span s)
{
    return arena_printf(&t->p->scratch, "%.*s", (int)s.len, t->d->file->text + s.off);
}

static const char *engine_name(Table *t)
{
    return text(t, t->engine->engine.span);
}

static Span type_span(Table *t, const OutColumn *c)
{
    return c->origin.decl ? typesyntax_column_span(t->d->file, c->origin.decl) : c->name.span;
}

/* ---- Keys ---- */

static bool setting_on(Table *t, const char *key)
{
    if (!t->settings)
        return false;
    for (int i = 0; i < t->settings->settings.n; i++) {
        Setting *s = &t->settings->settings.v[i];
        if (name_is_text(s->key, key) && s->value && s->value->kind != EX_STRING)
            return !(s->value->span.len == 1 && t->d->file->text[s->value->span.off] == '0');
    }
    return false;
}

/* Whether a column is used anywhere in e (a key expression); inside a
 * lambda a name is its parameter's. */
static WalkResult find_column(Walker *w, Expr *e)
{
    if (e->kind == EX_LAMBDA)
        return WALK_PRUNE;
    return e->kind == EX_COLUMN && name_eq(e->name, *(const Name *)w->ctx) ? WALK_ABORT : WALK_CONTINUE;
}

static bool uses_column(Expr *e, Name n)
{
    Walker w = {.expr = find_column, .ctx = &n};
    return walk_expr(&w, e) == WALK_ABORT;
}

/* A column of the sorting key: merges keep it as it is. */
static bool in_sorting_key(Table *t, Name n)
{
    Clause *k = t->order ? t->order : t->primary;
    return k && uses_column(k->expr, n);
}

/* Whether the column is a whole element of PARTITION BY: a merge joins
 * rows of one partition only, which all hold the same value of it, so it
 * needs no ORDER BY place to keep its value (PostHog's metrics4_samples
 * partitions by a Date32 column it keeps outside ORDER BY). A function
 * of it (toYYYYMM(day)) holds several values a partition. */
static bool fixed_by_partition(Table *t, Name n)
{
    if (!t->partition)
        return false;
    ExprList l = key_elements(t->p, t->partition->expr);
    for (int i = 0; i < l.n; i++)
        if (l.v[i]->kind == EX_COLUMN && l.v[i]->u.path.parts.n == 1 && name_eq(l.v[i]->name, n))
            return true;
    return false;
}

static void check_key_columns(Table *t, Clause *k, const char *what)
{
    if (!k)
        return;
    ExprList l = key_elements(t->p, k->expr);
    bool nullable_ok = setting_on(t, "allow_nullable_key");
    for (int i = 0; i < l.n; i++) {
        Expr *e = l.v[i];
        const OutColumn *c = e->kind == EX_COLUMN && e->u.path.parts.n == 1 ? column(t, e->name) : NULL;
        if (!c || !c->type)
            continue;
        if (c->type->kind == TY_NULLABLE && !nullable_ok && k->kind != CL_PARTITION_BY) {
            Diag *g = error(t, e->span, "%s holds '%s', which is Nullable: ClickHouse refuses a Nullable key",
                            what, text(t, e->span));
            diag_note(&t->p->diags, g, NULL, (Span){0},
                      "make the column non-Nullable, or add SETTINGS allow_nullable_key = 1");
        }
        if ((c->type->kind == TY_AGGREGATE) && version_is_after_18_16(&t->p->options))
            error(t, e->span, "%s holds '%s', an aggregate state: states cannot be compared, so cannot be keys",
                  what, text(t, e->span));
    }
}

static bool same_element(Table *t, const Expr *a, const Expr *b)
{
    return ast_equal(a, b, t->d->file->text);
}

static void check_primary_prefix(Table *t)
{
    if (!t->primary || !t->order)
        return;
    ExprList pk = t->primary_keys, ok = t->order_keys;
    for (int i = 0; i < pk.n; i++) {
        if (i < ok.n && same_element(t, pk.v[i], ok.v[i]))
            continue;
        Diag *g = error(t, pk.v[i]->span, "the primary key must be a prefix of ORDER BY: '%s' is not %s",
                        text(t, pk.v[i]->span),
                        i < ok.n ? arena_printf(&t->p->scratch, "its element %d ('%s')", i + 1,
                                                text(t, ok.v[i]->span))
                                 : "in it: ORDER BY is shorter");
        diag_note(&t->p->diags, g, t->d->file, t->order->span, "ORDER BY is here");
        return;
    }
}

static void check_sample(Table *t)
{
    if (!t->sample)
        return;
    ExprList keys = t->primary ? t->primary_keys : t->order_keys;
    for (int i = 0; i < keys.n; i++)
        if (same_element(t, keys.v[i], t->sample->expr))
            return;
    Diag *g = error(t, t->sample->expr->span, "the sampling expression '%s' must be %s", text(t, t->sample->expr->span),
                    t->primary ? "an element of the primary key" : "an element of ORDER BY");
    diag_note(&t->p->diags, g, NULL, (Span){0}, "add it to %s, e.g. (..., %s)",
              t->primary ? "the primary key (and ORDER BY)" : "ORDER BY", text(t, t->sample->expr->span));
}

static void check_order_by_present(Table *t)
{
    if (t->order || t->legacy)
        return;
    if (t->primary && version_has_feature(&t->p->options, F_PRIMARY_KEY_ALONE))
        return;
    /* From 25.11 nothing means ORDER BY tuple(), but only for an engine
     * without arguments: with arguments it reads as the old syntax (42). */
    bool bare = t->engine->args.n == 0;
    if (!t->primary && bare && version_has_feature(&t->p->options, F_MERGETREE_NO_ORDER_BY))
        return;
    Options *o = &t->p->options;
    Diag *g = diag_error(&t->p->diags, "engine", t->d->file, t->engine->engine.span,
                         "%s needs ORDER BY on ClickHouse %d.%d (option clickhouse)", engine_name(t),
                         o->version_major, o->version_minor);
    diag_note(&t->p->diags, g, NULL, (Span){0},
              t->primary ? "add ORDER BY: before 20.11 PRIMARY KEY alone is not enough"
              : bare     ? "add ORDER BY (columns ...), or ORDER BY tuple() to keep the insertion order"
                         : "add ORDER BY (columns ...): an engine with arguments needs it on every version");
}

static void check_keyless(Table *t)
{
    static const char *const names[] = {"ORDER BY", "PARTITION BY", "PRIMARY KEY", "SAMPLE BY"};
    Clause *k[] = {t->order, t->partition, t->primary, t->sample};
    for (size_t i = 0; i < sizeof k / sizeof k[0]; i++) {
        if (!k[i])
            continue;
        Diag *g = error(t, k[i]->span, "engine %s has no keys: it refuses %s", engine_name(t), names[i]);
        diag_note(&t->p->diags, g, NULL, (Span){0},
                  "only the MergeTree family has ORDER BY, PARTITION BY, PRIMARY KEY and SAMPLE BY");
    }
}

/* ---- Engine parameters ---- */

/* The column a parameter names; reports when it is not one. */
static const OutColumn *param_column(Table *t, Expr *e, const char *role)
{
    if (e->kind != EX_COLUMN || e->u.path.parts.n != 1) {
        error(t, e->span, "%s of %s must be a column name", role, engine_name(t));
        return NULL;
    }
    const OutColumn *c = column(t, e->name);
    if (!c) {
        Diag *g = error(t, e->span, "%s '%s' is not a column of the table", role, text(t, e->span));
        NameList names = {0};
        for (int i = 0; i < t->o->columns.n; i++)
            if (!t->o->columns.v[i].nested_field) /* named by its span below: the Nested column's */
                *LIST_PUSH(&t->p->scratch, &names) = t->o->columns.v[i].name;
        int k = suggest_index(e->name, names.v, names.n);
        if (k >= 0)
            diag_note(&t->p->diags, g, NULL, (Span){0}, "did you mean '%s'?", text(t, names.v[k].span));
    }
    return c;
}

static bool can_be_version(const Type *ty)
{
    return type_is_integer(ty) || type_is_float(ty) || ty->kind == TY_BOOL || type_is_temporal(ty) ||
           ty->kind == TY_ENUM8 || ty->kind == TY_ENUM16;
}

static void check_version_param(Table *t, Expr *e)
{
    const OutColumn *c = param_column(t, e, "the version column");
    if (!c || !c->type || can_be_version(c->type))
        return;
    Diag *g = error(t, e->span, "the version column '%s' is %s: it must be an integer, a float or a date/time",
                    text(t, e->span), c->type->name);
    diag_note(&t->p->diags, g, t->d->file, type_span(t, c), "declared here");
}

static void check_typed_param(Table *t, Expr *e, const char *role, TypeKind want, const char *want_name)
{
    const OutColumn *c = param_column(t, e, role);
    if (!c || !c->type || c->type->kind == want || (want == TY_UINT8 && c->type->kind == TY_BOOL))
        return; /* Bool is a UInt8 to the engine: is_deleted may be one */
    Diag *g = diag_error(&t->p->diags, "engine", t->d->file, e->span, "%s '%s' is %s: %s needs %s", role,
                         text(t, e->span), c->type->name, engine_name(t), want_name);
    diag_note(&t->p->diags, g, t->d->file, type_span(t, c), "declared here");
}

static bool summable(const Type *ty)
{
    switch (ty->kind) {
    case TY_NULLABLE: case TY_LOWCARDINALITY:
        return summable(ty->elems[0]);
    case TY_AGGREGATE: case TY_SIMPLE_AGGREGATE:
        return true;
    case TY_MAP:
        return summable(ty->elems[1]);
    case TY_ARRAY:
        return summable(ty->elems[0]);
    default:
        return type_is_number(ty);
    }
}

static void check_sum_column(Table *t, Expr *e)
{
    const OutColumn *c = param_column(t, e, "the column to sum");
    if (!c)
        return;
    if (in_sorting_key(t, c->name)) {
        error(t, e->span, "'%s' is both summed and part of the sorting key: ClickHouse refuses that",
              text(t, e->span));
    } else if (c->type && !summable(c->type)) {
        Diag *g = error(t, e->span, "'%s' is %s: SummingMergeTree sums numeric columns only", text(t, e->span),
                        c->type->name);
        diag_note(&t->p->diags, g, NULL, (Span){0}, "its value after a merge would be one arbitrary row's");
    }
}

static void check_summing(Table *t)
{
    if (t->params.n) {
        ExprList cols = key_elements(t->p, t->params.v[0]);
        for (int i = 0; i < cols.n; i++)
            check_sum_column(t, cols.v[i]);
        return;
    }
    for (int i = 0; i < t->o->columns.n; i++) {
        const OutColumn *c = &t->o->columns.v[i];
        int kind = default_kind(c);
        if (c->nested_field)
            continue; /* judged as the Nested column it belongs to */
        if (!c->type || summable(c->type) || in_sorting_key(t, c->name) || fixed_by_partition(t, c->name) ||
            kind == DEF_ALIAS || kind == DEF_EPHEMERAL || kind == DEF_MATERIALIZED)
            continue;
        Diag *g = diag_warning(&t->p->diags, "engine", t->d->file, c->name.span,
                               "'%.*s' is %s and not in ORDER BY: SummingMergeTree keeps one arbitrary row's value",
                               (int)c->name.len, c->name.s, c->type->name);
        diag_note(&t->p->diags, g, NULL, (Span){0},
                  "add it to ORDER BY if rows differ by it, or drop it from the table");
    }
}

static void check_aggregating(Table *t)
{
    for (int i = 0; i < t->o->columns.n; i++) {
        const OutColumn *c = &t->o->columns.v[i];
        int kind = default_kind(c);
        if (c->nested_field)
            continue; /* judged as the Nested column it belongs to */
        if (!c->type || c->type->kind == TY_AGGREGATE || c->type->kind == TY_SIMPLE_AGGREGATE ||
            in_sorting_key(t, c->name) || fixed_by_partition(t, c->name) || kind == DEF_ALIAS ||
            kind == DEF_EPHEMERAL || kind == DEF_MATERIALIZED)
            continue;
        /* A warning: in real schemas such a column nearly always means
         * "any value will do", and ClickHouse accepts it; the fix says so. */
        const char *name = text(t, c->name.span);
        Diag *g = diag_warning(&t->p->diags, "engine", t->d->file, type_span(t, c),
                               "'%s' is a plain %s outside ORDER BY: AggregatingMergeTree keeps one arbitrary "
                               "row's value", name, c->type->name);
        diag_note(&t->p->diags, g, NULL, (Span){0},
                  "if any value will do, say so: SimpleAggregateFunction(any, %s); else aggregate it "
                  "(SimpleAggregateFunction(%s, %s), an AggregateFunction state) or add '%s' to ORDER BY",
                  c->type->name, type_is_number(c->type) ? "sum" : "max", c->type->name, name);
    }
}

static void check_params(Table *t)
{
    if (t->legacy)
        return;
    switch (t->family) {
    case FAM_REPLACING:
        if (t->params.n >= 1)
            check_version_param(t, t->params.v[0]);
        if (t->params.n >= 2 && version_require_feature(t->p, F_REPLACING_IS_DELETED, t->d->file, t->params.v[1]->span))
            check_typed_param(t, t->params.v[1], "the is_deleted column", TY_UINT8, "UInt8 or Bool");
        return;
    case FAM_COLLAPSING:
        if (t->params.n >= 1)
            check_typed_param(t, t->params.v[0], "the sign column", TY_INT8, "Int8");
        return;
    case FAM_VERSIONED_COLLAPSING:
        if (t->params.n >= 1)
            check_typed_param(t, t->params.v[0], "the sign column", TY_INT8, "Int8");
        if (t->params.n >= 2)
            check_version_param(t, t->params.v[1]);
        return;
    case FAM_SUMMING:
        check_summing(t);
        return;
    case FAM_AGGREGATING:
        check_aggregating(t);
        return;
    default:
        return;
    }
}

/* ---- TTL ---- */

static void check_ttl_version(Table *t)
{
    Clause *ttl = find_clause(t->d, CL_TTL);
    if (ttl) {
        version_require_feature(t->p, F_TTL, t->d->file, ttl->span);
        return;
    }
    for (int i = 0; i < t->d->columns.n; i++) {
        Column *c = t->d->columns.v[i];
        if (c->mods && c->mods->ttl) {
            version_require_feature(t->p, F_TTL, t->d->file, c->mods->ttl->span);
            return;
        }
    }
}

/* Compression codecs on columns (18.16 has none: a syntax error there). */
static void check_codec_version(Table *t)
{
    for (int i = 0; i < t->d->columns.n; i++) {
        Column *c = t->d->columns.v[i];
        if (c->mods && c->mods->codec.n) {
            version_require_feature(t->p, F_CODEC, t->d->file, c->mods->codec.v[0]->span);
            return;
        }
    }
}

/* Indexes, constraints and projections came after 18.16 (gated like
 * their ALTERs: the same versions, alter.c). */
static void check_elements_version(Table *t)
{
    const TableBody *x = t->d->extras;
    if (!x)
        return;
    if (x->indexes.n)
        version_require_feature(t->p, F_ALTER_INDEX, t->d->file, x->indexes.v[0]->span);
    if (x->constraints.n)
        version_require_feature(t->p, F_ALTER_CONSTRAINT, t->d->file, x->constraints.v[0]->span);
    if (x->projections.n)
        version_require_feature(t->p, F_ALTER_PROJECTION, t->d->file, x->projections.v[0]->span);
}

/* Under `option cluster` every statement runs ON CLUSTER, on every host.
 * A MergeTree that is not Replicated is then one table per host, each
 * with the rows inserted on that host; and on a cluster whose shards
 * replicate (internal_replication), 18.16 refuses a later ALTER ... ON
 * CLUSTER of it: "Table ... isn't replicated, but shard #1 is replicated"
 * (371), tried on the loopback cluster, after the plan has dropped the MVs
 * that write into it. A warning: the CREATE itself is accepted, and a
 * table local to each host can be what the project wants: `local table`
 * says so, and silences it. */
static void check_cluster_replication(Table *t)
{
    if (!t->p->options.cluster || t->replicated || t->family == FAM_OTHER || t->family == FAM_NO_KEYS
        || t->d->local)
        return;
    Name n = t->engine->engine;
    Diag *g = diag_warning(&t->p->diags, "engine", t->d->file, n.span,
                           "engine %.*s is not replicated, and `option cluster` makes this table on "
                           "every host: each host keeps only the rows inserted there, and an ALTER "
                           "... ON CLUSTER of it fails where the cluster's shards replicate (code 371)",
                           (int)n.len, n.s);
    diag_note(&t->p->diags, g, NULL, (Span){0},
              "use Replicated%.*s('/clickhouse/tables/{shard}/%.*s/%.*s', '{replica}'): every "
              "replica then holds the rows and takes the ALTER", (int)n.len, n.s, (int)t->o->db.len, t->o->db.s,
              (int)t->o->name.len, t->o->name.s);
}

static void check_table(Project *p, Object *o)
{
    Table t = {.p = p, .o = o, .d = o->decl};
    t.engine = find_clause(t.d, CL_ENGINE);
    t.order = find_clause(t.d, CL_ORDER_BY);
    t.primary = find_clause(t.d, CL_PRIMARY_KEY);
    t.partition = find_clause(t.d, CL_PARTITION_BY);
    t.sample = find_clause(t.d, CL_SAMPLE_BY);
    t.settings = find_clause(t.d, CL_SETTINGS);
    check_ttl_version(&t);
    check_codec_version(&t);
    check_elements_version(&t);
    if (!t.engine)
        return;
    if (name_is_text(t.engine->engine, "TimeSeries")) {
        time_series_check(p, t.d, t.engine, t.settings);
        return;
    }
    read_engine(&t);
    if (t.family == FAM_NO_KEYS) {
        check_keyless(&t);
        return;
    }
    if (t.family == FAM_OTHER)
        return;
    check_cluster_replication(&t);
    t.order_keys = key_elements(p, t.order ? t.order->expr : NULL);
    t.primary_keys = key_elements(p, t.primary ? t.primary->expr : NULL);
    check_order_by_present(&t);
    check_key_columns(&t, t.order, "ORDER BY");
    check_key_columns(&t, t.primary, "PRIMARY KEY");
    check_key_columns(&t, t.partition, "PARTITION BY");
    check_primary_prefix(&t);
    check_sample(&t);
    check_params(&t);
}

void check_engines(Project *p)
{
    for (int i = 0; i < p->object_list.n; i++) {
        Object *o = p->object_list.v[i];
        if (o->kind != OBJ_TABLE || o->decl->kind != DECL_TABLE)
            continue;
        ArenaMark mark = arena_mark(&p->scratch);
        check_table(p, o);
        arena_release(&p->scratch, mark);
    }
}
