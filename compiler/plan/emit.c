/* The plan file's bytes, exactly as docs/plan-format.md specifies them:
 * the two header lines, the manifest, then the framed steps. Everything
 * after line 2 is written first, so that line 2 can carry its hash.
 *
 * The body goes to a PlanSink a chunk at a time, hashed as it goes: a
 * 100k-object plan is 150 MB, and holding it whole cost more time in
 * fresh memory than building it. With two threads, one builds chunks
 * while the other hashes and writes the one before (handoff.c). */
#include <stdlib.h>
#include <string.h>

#include "base/handoff.h"
#include "base/parallel.h"
#include "plan/plan.h"
#include "plan_syntax.h"
#include "print/print.h"
#include "strbuf.h"

static void put_path(StrBuf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '%' || c <= ' ' || c >= 0x7f || c == '`' || c == '\\') /* ` would open a quoted field */
            strbuf_printf(b, "%%%02X", c);
        else
            strbuf_putc(b, (char)c);
    }
}

/* A name field: bare when a plain identifier, else backquoted. */
static void put_name(StrBuf *b, const char *name)
{
    size_t len = strlen(name);
    if (ast_plain_chars(name, (uint32_t)len))
        strbuf_add(b, name, len);
    else
        print_quoted_chars(b, name, len);
}

/* Words separated by single spaces; the manifest's lines are mostly this,
 * and printf would be the slowest part of writing a 100k-object plan. */
static void put_words(StrBuf *b, const char *const *w, int n)
{
    for (int i = 0; i < n; i++) {
        if (i)
            strbuf_putc(b, ' ');
        strbuf_puts(b, w[i]);
    }
}

static void put_number(StrBuf *b, size_t n)
{
    char digits[24];
    int i = sizeof digits;
    do
        digits[--i] = (char)('0' + n % 10);
    while (n /= 10);
    strbuf_add(b, digits + i, sizeof digits - (size_t)i);
}

/* The body's far end: hashed and handed to the sink, a chunk at a time,
 * on a thread of its own when there are two. */
typedef struct BodyOut {
    PlanSink *sink;
    size_t at;         /* the plan offset of the next chunk */
    Sha256 *hash;
    bool failed;       /* the sink refused a chunk */
} BodyOut;

static void consume(void *ctx, const char *data, size_t len)
{
    BodyOut *out = ctx;
    sha256_add(out->hash, data, len);
    if (!out->failed && !out->sink->put(out->sink->ctx, out->at, data, len))
        out->failed = true;
    out->at += len;
}

typedef struct Emitter {
    StrBuf b;          /* the chunk being built */
    Handoff *out;
} Emitter;

enum { CHUNK = 256 * 1024 };

static void flush(Emitter *e)
{
    handoff_put(e->out, &e->b);
}

/* Called between lines: the chunk is sent once it is big enough. */
static void line_done(Emitter *e)
{
    if (e->b.len >= CHUNK)
        flush(e);
}

static int kind_rank(const char *kind)
{
    static const char *const kinds[] = {"database", "function", "table", "dictionary", "view", "materialized-view"};
    for (int i = 0; i < 6; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return i;
    return 6;
}

/* What the manifest's lines are sorted by, the kind's rank computed once
 * (not in every comparison). */
typedef struct SortKey {
    int rank;
    const char *qname;
    int index; /* in the plan's list */
} SortKey;

static int by_kind_and_name(const void *x, const void *y)
{
    const SortKey *a = x, *b = y;
    int d = a->rank - b->rank;
    return d ? d : strcmp(a->qname, b->qname);
}

static void emit_objects(const Plan *pl, Emitter *e)
{
    StrBuf *b = &e->b;
    int n = pl->objects.n;
    SortKey *sorted = malloc(sizeof(*sorted) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        sorted[i] = (SortKey){kind_rank(pl->objects.v[i].kind), pl->objects.v[i].qname, i};
    qsort(sorted, (size_t)n, sizeof sorted[0], by_kind_and_name);
    for (int i = 0; i < n; i++) {
        const Managed *m = &pl->objects.v[sorted[i].index];
        put_words(b, (const char *[]){"-- @object", m->kind, m->qname, m->hash[0] ? m->hash : "present"}, 4);
        if (m->target) {
            strbuf_puts(b, " target=");
            strbuf_puts(b, m->target);
        }
        strbuf_putc(b, '\n');
        line_done(e);
    }
    free(sorted);
    for (int i = 0; i < pl->dropped.n; i++)
        strbuf_printf(b, "-- @dropped %s %s\n", pl->dropped.v[i].kind, pl->dropped.v[i].qname);
    for (int i = 0; i < pl->removed.n; i++) {
        strbuf_printf(b, "-- @removed %s %s", pl->removed.v[i].kind, pl->removed.v[i].qname);
        if (pl->removed.v[i].removal)
            strbuf_printf(b, " removal=%d", pl->removed.v[i].removal);
        strbuf_putc(b, '\n');
    }
}

static void put_column_as(StrBuf *b, const char *name, size_t len, const char *type)
{
    static const char head[] = "-- @column ";
    size_t head_len = sizeof head - 1, type_len = strlen(type);
    strbuf_reserve(b, head_len + len + 1 + type_len + 1);
    char *at = b->s + b->len;
    memcpy(at, head, head_len);
    at += head_len;
    memcpy(at, name, len);
    at += len;
    *at++ = ' ';
    memcpy(at, type, type_len);
    at += type_len;
    *at++ = '\n';
    *at = '\0';
    b->len = (size_t)(at - b->s);
}

/* One line per column of every state: most of the manifest, so written
 * with one check for room rather than five. A name that is not a plain
 * identifier is backquoted, with its control bytes as \xHH: any column
 * name reads back exactly, and none can end the line early. */
static void put_column(StrBuf *b, const char *name, size_t len, const char *type)
{
    if (!ast_plain_chars(name, (uint32_t)len)) {
        StrBuf q = {0};
        print_quoted_chars(&q, name, len);
        put_column_as(b, q.s, q.len, type);
        strbuf_free(&q);
        return;
    }
    put_column_as(b, name, len, type);
}

/* By name, then in the order recorded (the current state first): never
 * by where declarations happen to be written. */
static int by_state_order(const void *x, const void *y)
{
    const SortKey *a = x, *b = y;
    int d = strcmp(a->qname, b->qname);
    if (!d)
        d = a->rank - b->rank;
    return d ? d : a->index - b->index;
}

static void emit_states(const Plan *pl, Emitter *e)
{
    StrBuf *b = &e->b;
    int n = pl->states.n;
    SortKey *sorted = malloc(sizeof(*sorted) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        sorted[i] = (SortKey){kind_rank(pl->states.v[i].kind), pl->states.v[i].qname, i};
    qsort(sorted, (size_t)n, sizeof sorted[0], by_state_order);
    for (int i = 0; i < n; i++) {
        const PrevState *s = &pl->states.v[sorted[i].index];
        put_words(b, (const char *[]){"-- @state", s->kind, s->qname, s->hash}, 4);
        strbuf_puts(b, " engine=");
        strbuf_puts(b, s->engine ? s->engine : "-");
        strbuf_putc(b, '\n');
        for (int k = 0; k < s->columns.n; k++)
            put_column(b, s->columns.v[k].name, strlen(s->columns.v[k].name), s->columns.v[k].type);
        for (int k = 0; s->table && k < s->table->columns.n; k++) {
            const Column *c = s->table->columns.v[k];
            const Type *t = c->type ? c->type->resolved : NULL;
            put_column(b, c->name.s, c->name.len, t ? t->name : "Unknown");
        }
        line_done(e);
    }
    free(sorted);
}

static void emit_steps(const Plan *pl, Emitter *e)
{
    StrBuf *b = &e->b;
    Sha256Many *hasher = sha256_many_new();
    for (int i = 0; i < pl->steps.n; i++) {
        const Step *s = &pl->steps.v[i];
        char hex[SHA256_HEX_LEN + 1];
        size_t len = strlen(s->sql);
        if (s->sql_sha)
            memcpy(hex, s->sql_sha, sizeof hex);
        else
            sha256_many_hex(hasher, s->sql, len, hex);
        /* No step number: mvrun numbers steps by position, so a step added
         * or removed elsewhere does not change this line. */
        strbuf_puts(b, PLAN_STEP_PREFIX);
        put_words(b, (const char *[]){s->phase, s->action, s->kind, s->qname, s->guard}, 5);
        strbuf_puts(b, " sets=");
        strbuf_puts(b, s->sets);
        strbuf_puts(b, " src=");
        put_path(b, s->src);
        strbuf_puts(b, " bytes=");
        put_number(b, len);
        strbuf_puts(b, " sha256=");
        strbuf_puts(b, hex);
        if (s->destructive)
            strbuf_puts(b, " destructive");
        if (s->window) /* the next create of this object, or of `until`, ends the window */
            strbuf_puts(b, " window");
        if (s->until) {
            strbuf_puts(b, " until=");
            strbuf_puts(b, s->until);
        }
        if (s->select_at) {
            strbuf_puts(b, " select=");
            put_number(b, s->select_at);
        }
        if (s->target) {
            strbuf_puts(b, " target=");
            strbuf_puts(b, s->target);
        }
        if (s->cutoff)
            strbuf_puts(b, " cutoff");
        if (s->chunks) {
            strbuf_puts(b, " chunks=");
            strbuf_puts(b, s->chunks);
        }
        if (s->from) {
            strbuf_puts(b, " from=");
            strbuf_puts(b, s->from);
        }
        strbuf_putc(b, '\n');
        strbuf_add(b, s->sql, len);
        strbuf_puts(b, "\n\n");
        line_done(e);
    }
    sha256_many_free(hasher);
}

/* Lines 1 and 2 have a fixed length: they are written last, in place, over
 * this many bytes reserved at the start, so the body is never copied. */
enum { HEADER_LEN = sizeof PLAN_FORMAT_LINE - 1 + sizeof PLAN_HASH_PREFIX - 1 + SHA256_HEX_LEN + 1 };

bool emit_plan(const Plan *pl, PlanSink *sink)
{
    BodyOut body = {.sink = sink, .at = HEADER_LEN, .hash = sha256_begin()};
    bool threaded = parallel_workers(pl->project->max_threads, 2, 2, 1) > 1;
    Emitter e = {.out = handoff_start(consume, &body, threaded)};
    strbuf_reserve(&e.b, CHUNK + 64 * 1024);
    StrBuf *b = &e.b;
    strbuf_puts(b, "--\n"
                   "-- Generated by mvdc build. Do not edit: mvrun refuses a plan whose bytes\n"
                   "-- changed. Apply it with: mvrun [--url URL] plan.sql\n"
                   "--\n");
    strbuf_printf(b, "-- @option clickhouse %s\n-- @option registry %s\n", pl->version, pl->registry);
    if (pl->cluster) {
        strbuf_puts(b, "-- @option cluster ");
        put_name(b, pl->cluster);
        strbuf_putc(b, '\n');
    }
    emit_objects(pl, &e);
    emit_states(pl, &e);
    strbuf_puts(b, "--\n");
    emit_steps(pl, &e);
    flush(&e);
    handoff_finish(e.out);
    char hex[SHA256_HEX_LEN + 1];
    sha256_end(body.hash, hex);
    b->len = 0;
    strbuf_puts(b, PLAN_FORMAT_LINE PLAN_HASH_PREFIX);
    strbuf_add(b, hex, SHA256_HEX_LEN);
    strbuf_putc(b, '\n');
    bool ok = !body.failed && sink->put(sink->ctx, 0, b->s, b->len);
    strbuf_free(b);
    return ok;
}

static bool put_in_memory(void *ctx, size_t offset, const char *data, size_t len)
{
    StrBuf *b = ctx;
    if (offset + len > b->len) {
        strbuf_reserve(b, offset + len - b->len);
        b->len = offset + len;
        b->s[b->len] = '\0';
    }
    memcpy(b->s + offset, data, len);
    return true;
}

char *emit_plan_text(const Plan *pl, size_t *len)
{
    StrBuf b = {0};
    PlanSink sink = {put_in_memory, &b};
    emit_plan(pl, &sink);
    *len = b.len;
    return strbuf_take(&b);
}
