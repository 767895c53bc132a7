#include "driftdiff.h"

#include "sqlquote.h"
#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum {
    CONTEXT = 3,            /* tokens shown either side of a difference */
    MAX_HUNKS = 5,
    MAX_CELLS = 4000000,    /* the LCS table; beyond, one hunk from prefix and suffix */
};

typedef struct Token {
    const char *s;
    size_t len;
} Token;

typedef struct Tokens {
    Token *v;
    size_t n;
} Tokens;

/* Words, numbers, quoted strings and names, and single punctuation. */
static size_t token_len(const char *p, const char *end)
{
    if (isalnum((unsigned char)*p) || *p == '_') {
        const char *q = p;
        while (q < end && (isalnum((unsigned char)*q) || *q == '_' || *q == '.'))
            q++;
        return (size_t)(q - p);
    }
    if (*p == '\'' || *p == '`' || *p == '"') {
        const char *q = p + 1;
        while (q < end && *q != *p)
            q += *q == '\\' && q + 1 < end ? 2 : 1;
        return (size_t)((q < end ? q + 1 : end) - p);
    }
    return 1;
}

static Tokens tokenize(const char *s, size_t len)
{
    Tokens t = {0};
    size_t cap = 0;
    const char *p = s, *end = s + len;
    while (p < end) {
        if (isspace((unsigned char)*p)) {
            p++;
            continue;
        }
        size_t n = token_len(p, end);
        if (t.n == cap) {
            cap = cap ? cap * 2 : 64;
            t.v = xrealloc(t.v, cap * sizeof *t.v);
        }
        t.v[t.n++] = (Token){p, n};
        p += n;
    }
    return t;
}

/* `day` and day are one name: the plan quotes more than the server. */
static int same(const Token *a, const Token *b)
{
    const char *x = a->s, *y = b->s;
    size_t nx = a->len, ny = b->len;
    if (nx > 2 && *x == '`')
        x++, nx -= 2;
    if (ny > 2 && *y == '`')
        y++, ny -= 2;
    return nx == ny && memcmp(x, y, nx) == 0;
}

static int is_word(const Token *t, const char *w)
{
    return t->len == strlen(w) && strncasecmp(t->s, w, t->len) == 0;
}

/* The server writes an MV's column list after TO db.name; the plan does
 * not (the target's columns are the target's). */
static void drop_column_list(Tokens *t)
{
    for (size_t i = 0; i + 3 < t->n && i < 12; i++) {
        if (!is_word(&t->v[i], "TO") || !is_word(&t->v[i + 2], "("))
            continue;
        size_t depth = 0, k = i + 2;
        for (; k < t->n; k++) {
            depth += is_word(&t->v[k], "(");
            if (is_word(&t->v[k], ")") && --depth == 0)
                break;
        }
        if (k < t->n) {
            memmove(&t->v[i + 2], &t->v[k + 1], (t->n - k - 1) * sizeof *t->v);
            t->n -= k + 1 - (i + 2);
        }
        return;
    }
}

/* The plan says CREATE ... IF NOT EXISTS; the server never does. */
static void drop_if_not_exists(Tokens *t)
{
    static const char *const words[] = {"IF", "NOT", "EXISTS"};
    for (size_t i = 0; i + 3 <= t->n && i < 6; i++) {
        size_t k = 0;
        while (k < 3 && t->v[i + k].len == strlen(words[k]) && strncasecmp(t->v[i + k].s, words[k], t->v[i + k].len) == 0)
            k++;
        if (k == 3) {
            memmove(&t->v[i], &t->v[i + 3], (t->n - i - 3) * sizeof *t->v);
            t->n -= 3;
            return;
        }
    }
}

/* keep[i] / keep[n + j]: whether token i of a (j of b) is in the longest
 * common subsequence. */
static unsigned char *common(const Tokens *a, const Tokens *b)
{
    size_t n = a->n, m = b->n;
    unsigned char *keep = calloc(n + m + 1, 1);
    size_t pre = 0, suf = 0;
    while (pre < n && pre < m && same(&a->v[pre], &b->v[pre]))
        keep[pre] = keep[n + pre] = 1, pre++;
    while (suf < n - pre && suf < m - pre && same(&a->v[n - 1 - suf], &b->v[m - 1 - suf]))
        keep[n - 1 - suf] = keep[n + m - 1 - suf] = 1, suf++;
    size_t rn = n - pre - suf, rm = m - pre - suf;
    if (rn == 0 || rm == 0 || (rn + 1) * (rm + 1) > MAX_CELLS)
        return keep;
    unsigned *len = calloc((rn + 1) * (rm + 1), sizeof *len);
#define L(i, j) len[(i) * (rm + 1) + (j)]
    for (size_t i = rn; i-- > 0;)
        for (size_t j = rm; j-- > 0;)
            L(i, j) = same(&a->v[pre + i], &b->v[pre + j]) ? L(i + 1, j + 1) + 1
                      : L(i + 1, j) > L(i, j + 1) ? L(i + 1, j) : L(i, j + 1);
    for (size_t i = 0, j = 0; i < rn && j < rm;) {
        if (same(&a->v[pre + i], &b->v[pre + j])) {
            keep[pre + i] = keep[n + pre + j] = 1;
            i++, j++;
        } else if (L(i + 1, j) >= L(i, j + 1)) {
            i++;
        } else {
            j++;
        }
    }
#undef L
    free(len);
    return keep;
}

/* The text from token `from` to token `to` (exclusive) as written. */
static void span(StrBuf *out, const Tokens *t, size_t from, size_t to)
{
    if (from >= to) {
        strbuf_puts(out, "(nothing)");
        return;
    }
    if (from > 0)
        strbuf_puts(out, "... ");
    /* Token by token, one space where the text had any. */
    for (size_t k = from; k < to; k++) {
        if (k > from && t->v[k].s > t->v[k - 1].s + t->v[k - 1].len)
            strbuf_putc(out, ' ');
        strbuf_printf(out, "%.*s", (int)t->v[k].len, t->v[k].s);
    }
    if (to < t->n)
        strbuf_puts(out, " ...");
}

/* Walks both sequences along the common tokens; each run of differences
 * (with CONTEXT tokens around, runs closer than that merged) is a hunk. */
static void hunks(StrBuf *out, const Tokens *a, const Tokens *b, const unsigned char *keep)
{
    size_t n = a->n, m = b->n, i = 0, j = 0, shown = 0;
    while ((i < n || j < m) && shown < MAX_HUNKS) {
        while (i < n && j < m && keep[i] && keep[n + j])
            i++, j++;
        if (i >= n && j >= m)
            break;
        size_t ai = i, bj = j, ei = i, ej = j;
        for (;;) {
            while (ei < n && !keep[ei])
                ei++;
            while (ej < m && !keep[n + ej])
                ej++;
            /* The next difference within 2 * CONTEXT common tokens joins this hunk. */
            size_t k = 0;
            while (k < 2 * CONTEXT && ei + k < n && ej + k < m && keep[ei + k] && keep[n + ej + k])
                k++;
            if (k == 2 * CONTEXT || ei + k >= n || ej + k >= m || (ei + k < n && keep[ei + k] && ej + k < m && keep[n + ej + k]))
                break;
            ei += k, ej += k;
        }
        size_t a0 = ai > CONTEXT ? ai - CONTEXT : 0, b0 = bj > CONTEXT ? bj - CONTEXT : 0;
        size_t a1 = ei + CONTEXT < n ? ei + CONTEXT : n, b1 = ej + CONTEXT < m ? ej + CONTEXT : m;
        strbuf_puts(out, "    plan:   ");
        span(out, a, a0, a1);
        strbuf_puts(out, "\n    server: ");
        span(out, b, b0, b1);
        strbuf_putc(out, '\n');
        i = ei, j = ej;
        shown++;
    }
}

char *driftdiff_text(const char *plan_sql, size_t plan_len, const char *server_sql)
{
    Tokens a = tokenize(plan_sql, plan_len), b = tokenize(server_sql, strlen(server_sql));
    drop_if_not_exists(&a);
    drop_column_list(&b);
    unsigned char *keep = common(&a, &b);
    StrBuf out = {0};
    hunks(&out, &a, &b, keep);
    free(keep);
    free(a.v);
    free(b.v);
    return strbuf_take(&out);
}

/* The plan's last CREATE of the object named `text`. */
static const PlanStep *plan_create(const Plan *plan, const char *text)
{
    const PlanStep *found = NULL;
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        if (strcmp(s->action, "create") == 0 && strcmp(s->name.text, text) == 0)
            found = s;
    }
    return found;
}

static void query_for(const Judgement *j, StrBuf *sql)
{
    strbuf_puts(sql, "SELECT database, name, create_table_query FROM system.tables WHERE 0");
    for (size_t i = 0; i < j->n_drift; i++) {
        const Drift *d = &j->drift[i];
        if (!d->name || !d->name->db)
            continue;
        strbuf_puts(sql, " OR (database = ");
        sql_string(sql, d->name->db);
        strbuf_puts(sql, " AND name = ");
        sql_string(sql, d->name->name);
        strbuf_puts(sql, ")");
    }
    strbuf_puts(sql, " FORMAT TabSeparated");
}

void driftdiff_fill(Conn *c, const Plan *plan, Judgement *j)
{
    StrBuf sql = {0};
    query_for(j, &sql);
    Tsv rows;
    TransportResult res;
    int rc = conn_select(c, strbuf_str(&sql), &rows, &res);
    strbuf_free(&sql);
    transport_result_free(&res);
    if (rc != 0)
        return;
    for (size_t i = 0; i < j->n_drift; i++) {
        Drift *d = &j->drift[i];
        const PlanStep *create = d->name && d->name->db && (d->kind == KIND_VIEW || d->kind == KIND_MATERIALIZED_VIEW || d->kind == KIND_DICTIONARY)
                                 ? plan_create(plan, d->name->text) : NULL;
        for (size_t r = 0; create && r < rows.n; r++) {
            char **f = rows.rows[r].fields;
            if (rows.rows[r].n == 3 && strcmp(f[0], d->name->db) == 0 && strcmp(f[1], d->name->name) == 0) {
                d->diff = driftdiff_text(create->sql, create->sql_len, f[2]);
                d->diff_step = create->number;
            }
        }
    }
    tsv_free(&rows);
}
