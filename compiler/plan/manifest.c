/* Reading the previous plan: the state `mvdc build` converges from
 * (docs/plan-format.md). Only an unedited plan is trusted: its hash must
 * match, or the build stops rather than diff against a forgery. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan/plan.h"
#include "hex.h"
#include "plan_syntax.h"
#include "strbuf.h"

typedef struct Reader {
    Arena *a;
    StrBuf *err;
    const char *path;
    const char *text;
    size_t len, pos;
    int line;
    int format;  /* 1 or 2: format 1 numbered its steps and wrote src=PATH:LINE */
    Manifest *m;
} Reader;

static bool fail(Reader *r, const char *what)
{
    strbuf_printf(r->err, "mvdc: %s:%d: %s\n", r->path, r->line, what);
    strbuf_puts(r->err, "note: the previous plan is read to compute ALTERs; regenerate it from the previous "
                        "sources, or pass --previous with an unedited plan\n");
    return false;
}

/* The next line without its `\n`; NULL at the end. */
static const char *next_line(Reader *r, size_t *n)
{
    if (r->pos >= r->len)
        return NULL;
    const char *s = r->text + r->pos;
    const char *nl = memchr(s, '\n', r->len - r->pos);
    *n = nl ? (size_t)(nl - s) : r->len - r->pos;
    r->pos += *n + (nl ? 1 : 0);
    r->line++;
    return s;
}

/* Splits a directive's fields on spaces outside backquotes. */
static int split_fields(Arena *a, const char *s, size_t n, const char **out, int max)
{
    int k = 0;
    size_t i = 0;
    while (i < n && k < max) {
        while (i < n && s[i] == ' ')
            i++;
        size_t start = i;
        bool quoted = false;
        while (i < n && (quoted || s[i] != ' ')) {
            if (s[i] == '\\' && quoted && i + 1 < n)
                i++;
            else if (s[i] == '`')
                quoted = !quoted;
            i++;
        }
        if (i > start)
            out[k++] = arena_strndup(a, s + start, i - start);
    }
    return k;
}

/* A name field as emit.c writes it (bare, or backquoted with \`, \\ and
 * \xHH), back to the name itself. */
static const char *unquote_name(Arena *a, const char *field)
{
    size_t n = strlen(field);
    if (n < 2 || field[0] != '`')
        return field;
    char *out = arena_alloc(a, n);
    size_t k = 0;
    for (size_t i = 1; i + 1 < n; i++) {
        int hi, lo;
        if (field[i] == '\\' && i + 3 < n && field[i + 1] == 'x' && (hi = hex_value(field[i + 2])) >= 0 &&
            (lo = hex_value(field[i + 3])) >= 0) {
            out[k++] = (char)(hi * 16 + lo);
            i += 3;
            continue;
        }
        if (field[i] == '\\' && i + 2 < n)
            i++;
        out[k++] = field[i];
    }
    out[k] = '\0';
    return out;
}

static const char *field_value(const char *field, const char *key)
{
    size_t n = strlen(key);
    return strncmp(field, key, n) == 0 && field[n] == '=' ? field + n + 1 : NULL;
}

/* src= back to the path mvdc was given (emit.c writes it %XX-encoded
 * again); a format-1 plan's `:LINE` is dropped, since format 2 names the
 * file only. */
static const char *read_src(Reader *r, const char *v)
{
    size_t n = strlen(v);
    if (r->format == 1 && strcmp(v, "-") != 0) {
        const char *colon = strrchr(v, ':');
        if (colon)
            n = (size_t)(colon - v);
    }
    char *out = arena_alloc(r->a, n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        int hi, lo;
        if (v[i] == '%' && i + 2 < n && (hi = hex_value(v[i + 1])) >= 0 &&
            (lo = hex_value(v[i + 2])) >= 0) {
            out[k++] = (char)(hi * 16 + lo);
            i += 2;
        } else {
            out[k++] = v[i];
        }
    }
    out[k] = '\0';
    return out;
}

static bool read_step(Reader *r, const char *s, size_t n)
{
    const char *f[16];
    int k = split_fields(r->a, s, n, f, 16);
    int at = r->format == 1 ? 2 : 1; /* format 1: `@step N PHASE ...` */
    if (k < at + 9)
        return fail(r, "a step header with too few fields");
    PrevStep st = {.phase = f[at], .action = f[at + 1], .kind = f[at + 2], .qname = f[at + 3],
                   .guard = f[at + 4]};
    long bytes = -1;
    for (int i = at + 5; i < k; i++) {
        const char *v;
        if ((v = field_value(f[i], "sets")))
            st.sets = v;
        else if ((v = field_value(f[i], "src")))
            st.src = read_src(r, v);
        else if ((v = field_value(f[i], "bytes")))
            bytes = strtol(v, NULL, 10);
        else if ((v = field_value(f[i], "from")))
            st.from = v;
        else if ((v = field_value(f[i], "until")))
            st.until = v;
        else if (strcmp(f[i], "destructive") == 0)
            st.destructive = true;
    }
    if (bytes < 0 || (size_t)bytes + 1 > r->len - r->pos || r->text[r->pos + (size_t)bytes] != '\n')
        return fail(r, "a step whose statement is not framed by its bytes= length");
    st.sql = arena_strndup(r->a, r->text + r->pos, (size_t)bytes);
    for (long i = 0; i < bytes; i++)
        if (r->text[r->pos + (size_t)i] == '\n')
            r->line++;
    r->pos += (size_t)bytes + 1;
    *LIST_PUSH(r->a, &r->m->steps) = st;
    return true;
}

static bool read_directive(Reader *r, const char *s, size_t n)
{
    const char *f[8];
    PrevState *st = r->m->states.n ? &r->m->states.v[r->m->states.n - 1] : NULL;
    if (n >= 10 && memcmp(s, "-- @column", 10) == 0) {
        const char *rest = s + 11;
        size_t rn = n > 11 ? n - 11 : 0;
        const char *name[1];
        if (!st || rn == 0 || split_fields(r->a, rest, rn, name, 1) != 1)
            return fail(r, "a malformed @column line");
        size_t nl = strlen(name[0]);
        const char *type = nl + 1 <= rn ? arena_strndup(r->a, rest + nl + 1, rn - nl - 1) : "";
        *LIST_PUSH(r->a, &st->columns) = (PrevColumn){unquote_name(r->a, name[0]), type};
        return true;
    }
    int k = split_fields(r->a, s + 3, n - 3, f, 8);
    if (k == 0)
        return fail(r, "an empty directive");
    if (strcmp(f[0], "@step") == 0)
        return read_step(r, s + 3, n - 3);
    if (strcmp(f[0], "@object") == 0 && k >= 4) {
        PrevObject o = {.kind = f[1], .qname = f[2], .hash = f[3]};
        if (k >= 5)
            o.target = field_value(f[4], "target");
        *LIST_PUSH(r->a, &r->m->objects) = o;
    } else if (strcmp(f[0], "@state") == 0 && k >= 5) {
        *LIST_PUSH(r->a, &r->m->states) = (PrevState){.kind = f[1], .qname = f[2], .hash = f[3],
                                                      .engine = field_value(f[4], "engine")};
    } else if (strcmp(f[0], "@dropped") == 0 && k >= 3) {
        *LIST_PUSH(r->a, &r->m->dropped) = (PrevObject){.kind = f[1], .qname = f[2]};
    } else if (strcmp(f[0], "@removed") == 0 && k >= 3) {
        const char *removal = k >= 4 ? field_value(f[3], "removal") : NULL;
        *LIST_PUSH(r->a, &r->m->removed) =
            (PrevObject){.kind = f[1], .qname = f[2], .removal = removal ? atoi(removal) : 0};
    } else if (strcmp(f[0], "@option") != 0) {
        return fail(r, "an unknown directive");
    }
    return true;
}

static bool check_header(Reader *r)
{
    size_t n1, n2;
    const char *l1 = next_line(r, &n1);
    const char *l2 = next_line(r, &n2);
    static const char format[] = PLAN_FORMAT_LINE, format_v1[] = PLAN_FORMAT_LINE_V1;
    static const char hash_tag[] = PLAN_HASH_PREFIX;
    if (l1 && n1 == sizeof format - 2 && memcmp(l1, format, n1) == 0)
        r->format = 2;
    else if (l1 && n1 == sizeof format_v1 - 2 && memcmp(l1, format_v1, n1) == 0)
        r->format = 1; /* an older mvdc's plan: still the previous state */
    else
        return fail(r, "not an mvd plan (line 1 is not '-- mvd plan 2', or 1 from an older mvdc)");
    if (!l2 || n2 != sizeof hash_tag - 1 + SHA256_HEX_LEN || memcmp(l2, hash_tag, sizeof hash_tag - 1) != 0)
        return fail(r, "line 2 is not '-- plan-sha256: <64 hex digits>'");
    char hex[SHA256_HEX_LEN + 1];
    sha256_hex(r->text + r->pos, r->len - r->pos, hex);
    if (memcmp(hex, l2 + sizeof hash_tag - 1, SHA256_HEX_LEN) != 0)
        return fail(r, "the plan was edited after mvdc generated it (plan-sha256 does not match)");
    return true;
}

static bool parse_plan(Reader *r)
{
    if (!check_header(r))
        return false;
    size_t n;
    const char *s;
    while ((s = next_line(r, &n))) {
        if (n >= 4 && memcmp(s, "-- @", 4) == 0) {
            if (!read_directive(r, s, n))
                return false;
        } else if (n != 0 && !(n >= 2 && memcmp(s, "--", 2) == 0)) {
            return fail(r, "a line that is neither a comment nor a framed statement");
        }
    }
    return true;
}

static ManifestEntry *entry_for(Arena *a, Manifest *m, const char *qname)
{
    ManifestEntry *e = strmap_get(&m->by_qname, qname, strlen(qname));
    if (!e) {
        e = arena_zalloc(a, sizeof *e);
        strmap_put(&m->by_qname, qname, strlen(qname), e);
    }
    return e;
}

const char *manifest_object_key(Arena *a, const char *kind, const char *qname, size_t *len)
{
    size_t k = strlen(kind), q = strlen(qname);
    char *key = arena_alloc(a, k + 1 + q + 1);
    memcpy(key, kind, k);
    key[k] = ' ';
    memcpy(key + k + 1, qname, q + 1);
    *len = k + 1 + q;
    return key;
}

void *manifest_object_get(const StrMap *map, const char *kind, const char *qname)
{
    StrBuf key = {0};
    strbuf_puts(&key, kind);
    strbuf_putc(&key, ' ');
    strbuf_puts(&key, qname);
    void *found = strmap_get(map, key.s, key.len);
    strbuf_free(&key);
    return found;
}

/* Lookups by name, so that planning stays linear in the plan's size. */
static void index_manifest(Arena *a, Manifest *m)
{
    strmap_reserve(&m->by_object, (size_t)m->objects.n);
    for (int i = 0; i < m->objects.n; i++) {
        PrevObject *o = &m->objects.v[i];
        size_t len;
        const char *key = manifest_object_key(a, o->kind, o->qname, &len);
        strmap_put(&m->by_object, key, len, o);
    }
    for (int i = 0; i < m->states.n; i++)
        *LIST_PUSH(a, &entry_for(a, m, m->states.v[i].qname)->states) = i;
    for (int i = 0; i < m->steps.n; i++)
        *LIST_PUSH(a, &entry_for(a, m, m->steps.v[i].qname)->steps) = i;
}

bool manifest_read(Arena *a, const char *path, Manifest *m, StrBuf *err)
{
    memset(m, 0, sizeof *m);
    strmap_init(&m->by_object, a);
    strmap_init(&m->by_qname, a);
    if (!path)
        return true;
    StrBuf b = {0};
    if (!strbuf_read_file(&b, path)) {
        strbuf_free(&b);
        if (errno == ENOENT)
            return true;
        strbuf_printf(err, "mvdc: cannot read %s: %s\n", path, strerror(errno));
        return false;
    }
    Reader r = {.a = a, .err = err, .path = path, .text = b.s ? b.s : "", .len = b.len, .m = m};
    bool ok = parse_plan(&r);
    strbuf_free(&b);
    m->present = ok;
    if (ok)
        index_manifest(a, m);
    return ok;
}

const PrevObject *manifest_object(const Manifest *m, const char *kind, const char *qname)
{
    return m->present ? manifest_object_get(&m->by_object, kind, qname) : NULL;
}

const ManifestEntry *manifest_entry(const Manifest *m, const char *qname)
{
    static const ManifestEntry none = {{0}, {0}};
    const ManifestEntry *e = m->present ? strmap_get(&m->by_qname, qname, strlen(qname)) : NULL;
    return e ? e : &none;
}

const PrevState *manifest_state(const Manifest *m, const char *qname, const char *hash)
{
    const ManifestEntry *e = manifest_entry(m, qname);
    for (int i = 0; i < e->states.n; i++)
        if (strcmp(m->states.v[e->states.v[i]].hash, hash) == 0)
            return &m->states.v[e->states.v[i]];
    return NULL;
}

const char *manifest_create_of(const Manifest *m, const PrevObject *o)
{
    const ManifestEntry *e = manifest_entry(m, o->qname);
    for (int i = 0; o->hash && i < e->steps.n; i++) {
        const PrevStep *s = &m->steps.v[e->steps.v[i]];
        if (strcmp(s->kind, o->kind) == 0 && s->sets && strcmp(s->sets, o->hash) == 0 &&
            (strcmp(s->action, "create") == 0 || strcmp(s->action, "replace") == 0))
            return s->sql;
    }
    return NULL;
}

const PrevColumn *prev_column(const PrevColumnList *l, const char *name)
{
    for (int i = 0; i < l->n; i++)
        if (strcmp(l->v[i].name, name) == 0)
            return &l->v[i];
    return NULL;
}

const PrevColumn *prev_column_named(const PrevColumnList *l, Name name)
{
    for (int i = 0; i < l->n; i++)
        if (name_is(name, l->v[i].name))
            return &l->v[i];
    return NULL;
}
