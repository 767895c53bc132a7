/* The plan file's bytes, exactly as docs/plan-format.md specifies them:
 * the two header lines, the manifest, then the framed steps. Everything
 * after line 2 is built first, so that line 2 can carry its hash. */
#include <stdlib.h>
#include <string.h>

#include "plan.h"
#include "strbuf.h"

static void put_path(StrBuf *b, const char *s)
{
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if (c == '%' || c <= ' ' || c >= 0x7f)
            strbuf_printf(b, "%%%02X", c);
        else
            strbuf_putc(b, (char)c);
    }
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

static int kind_rank(const char *kind)
{
    static const char *const kinds[] = {"database", "function", "table", "view", "materialized-view"};
    for (int i = 0; i < 5; i++)
        if (strcmp(kind, kinds[i]) == 0)
            return i;
    return 5;
}

static int by_kind_and_name(const void *x, const void *y)
{
    const Managed *a = *(const Managed *const *)x, *b = *(const Managed *const *)y;
    int d = kind_rank(a->kind) - kind_rank(b->kind);
    return d ? d : strcmp(a->qname, b->qname);
}

static void emit_objects(const Plan *pl, StrBuf *b)
{
    int n = pl->objects.n;
    const Managed **sorted = malloc(sizeof(*sorted) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        sorted[i] = &pl->objects.v[i];
    qsort(sorted, (size_t)n, sizeof sorted[0], by_kind_and_name);
    for (int i = 0; i < n; i++) {
        const Managed *m = sorted[i];
        put_words(b, (const char *[]){"-- @object", m->kind, m->qname, m->hash[0] ? m->hash : "present"}, 4);
        if (m->target) {
            strbuf_puts(b, " target=");
            strbuf_puts(b, m->target);
        }
        strbuf_putc(b, '\n');
    }
    free(sorted);
    for (int i = 0; i < pl->dropped.n; i++)
        strbuf_printf(b, "-- @dropped %s %s\n", pl->dropped.v[i].kind, pl->dropped.v[i].qname);
    for (int i = 0; i < pl->removed.n; i++)
        strbuf_printf(b, "-- @removed %s %s\n", pl->removed.v[i].kind, pl->removed.v[i].qname);
}

/* By name, then in the order recorded (the current state first): never
 * by where declarations happen to be written. */
static int by_state_order(const void *x, const void *y)
{
    const PrevState *a = *(const PrevState *const *)x, *b = *(const PrevState *const *)y;
    int d = strcmp(a->qname, b->qname);
    if (!d)
        d = kind_rank(a->kind) - kind_rank(b->kind);
    return d ? d : (a < b ? -1 : a > b);
}

static void emit_states(const Plan *pl, StrBuf *b)
{
    int n = pl->states.n;
    const PrevState **sorted = malloc(sizeof(*sorted) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        sorted[i] = &pl->states.v[i];
    qsort(sorted, (size_t)n, sizeof sorted[0], by_state_order);
    for (int i = 0; i < n; i++) {
        const PrevState *s = sorted[i];
        put_words(b, (const char *[]){"-- @state", s->kind, s->qname, s->hash}, 4);
        strbuf_puts(b, " engine=");
        strbuf_puts(b, s->engine ? s->engine : "-");
        strbuf_putc(b, '\n');
        for (int k = 0; k < s->columns.n; k++) {
            put_words(b, (const char *[]){"-- @column", s->columns.v[k].name, s->columns.v[k].type}, 3);
            strbuf_putc(b, '\n');
        }
    }
    free(sorted);
}

static void emit_steps(const Plan *pl, StrBuf *b)
{
    Sha256Many *hasher = sha256_many_new();
    for (int i = 0; i < pl->steps.n; i++) {
        const Step *s = &pl->steps.v[i];
        char hex[SHA256_HEX_LEN + 1];
        size_t len = strlen(s->sql);
        if (s->sql_sha)
            memcpy(hex, s->sql_sha, sizeof hex);
        else
            sha256_many_hex(hasher, s->sql, len, hex);
        strbuf_puts(b, "-- @step ");
        put_number(b, (size_t)i + 1);
        strbuf_putc(b, ' ');
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
        if (s->window) {
            strbuf_puts(b, " window=");
            put_number(b, (size_t)s->window);
        }
        strbuf_putc(b, '\n');
        strbuf_add(b, s->sql, len);
        strbuf_puts(b, "\n\n");
    }
    sha256_many_free(hasher);
}

/* Lines 1 and 2 have a fixed length: they are written last, in place, over
 * this many bytes reserved at the start, so the body is never copied. */
#define FORMAT_LINE "-- mvd plan 1\n"
#define HASH_LINE "-- plan-sha256: "
enum { HEADER_LEN = sizeof FORMAT_LINE - 1 + sizeof HASH_LINE - 1 + SHA256_HEX_LEN + 1 };

char *emit_plan(const Plan *pl, size_t *len)
{
    StrBuf body = {0};
    strbuf_reserve(&body, (size_t)pl->steps.n * 1024 + 4096);
    for (int i = 0; i < HEADER_LEN; i++)
        strbuf_putc(&body, ' ');
    strbuf_puts(&body, "--\n"
                       "-- Generated by mvdc build. Do not edit: mvrun refuses a plan whose bytes\n"
                       "-- changed. Apply it with: mvrun [--url URL] plan.sql\n"
                       "--\n");
    strbuf_printf(&body, "-- @option clickhouse %s\n-- @option registry %s\n", pl->version, pl->registry);
    if (pl->cluster)
        strbuf_printf(&body, "-- @option cluster %s\n", pl->cluster);
    emit_objects(pl, &body);
    emit_states(pl, &body);
    strbuf_puts(&body, "--\n");
    emit_steps(pl, &body);
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(body.s + HEADER_LEN, body.len - HEADER_LEN, hex);
    char *head = body.s;
    memcpy(head, FORMAT_LINE, sizeof FORMAT_LINE - 1);
    head += sizeof FORMAT_LINE - 1;
    memcpy(head, HASH_LINE, sizeof HASH_LINE - 1);
    head += sizeof HASH_LINE - 1;
    memcpy(head, hex, SHA256_HEX_LEN);
    head[SHA256_HEX_LEN] = '\n';
    *len = body.len;
    return strbuf_take(&body);
}
