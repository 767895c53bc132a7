/* plan_read: reads a plan file and verifies it against docs/plan-format.md
 * before anything talks to a server. The order of the checks matters for
 * what the operator is told: the format line first (is this a plan at
 * all?), then the plan's own checksum (was it edited?), and only then the
 * structure, line by line, each statement framed by its byte length and
 * checked against its own checksum. The first problem found is reported,
 * with the file's name and line. */
#include "plan.h"
#include "hex.h"

#include "plan_syntax.h"
#include "sha256.h"
#include "stmt_match.h"
#include "strbuf.h"
#include "xalloc.h"

#include <errno.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PLAN_BYTES ((size_t)1 << 31)
#define MAX_FIELDS 16

typedef struct Field {
    const char *s;
    size_t n;
} Field;

typedef struct Reader {
    Plan *plan;
    PlanError *err;
    int check_hashes;
    size_t line;                /* of the line being read */
    PlanShape *shape;           /* the @state that @column lines extend */
    size_t cap_objects, cap_dropped, cap_shapes, cap_steps, cap_columns;
} Reader;

/* ---- Errors ------------------------------------------------------------------ */

static int fail(Reader *r, PlanErrorKind kind, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(Reader *r, PlanErrorKind kind, const char *fmt, ...)
{
    char what[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    r->err->kind = kind;
    if (r->line)
        snprintf(r->err->message, sizeof r->err->message, "%s:%zu: %s", r->plan->path, r->line,
                 what);
    else
        snprintf(r->err->message, sizeof r->err->message, "%s: %s", r->plan->path, what);
    return -1;
}

#define EDITED_HINT "the plan was edited after mvdc generated it; mvrun runs only the " \
                    "exact bytes that were reviewed: generate it again with `mvdc build`"

/* ---- Small readers ----------------------------------------------------------- */

static int field_is(Field f, const char *s)
{
    return f.n == strlen(s) && memcmp(f.s, s, f.n) == 0;
}

static int has_prefix(Field f, const char *prefix)
{
    size_t k = strlen(prefix);
    return f.n >= k && memcmp(f.s, prefix, k) == 0;
}

static Field after_prefix(Field f, const char *prefix)
{
    size_t k = strlen(prefix);
    Field v = {f.s + k, f.n - k};
    return v;
}

static int is_hash(const char *s, size_t n)
{
    if (n != PLAN_HASH_LEN)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f')))
            return 0;
    return 1;
}

/* A decimal without sign or leading zero, at least 1, at most max. */
static int read_number(Field f, size_t max, size_t *out)
{
    size_t v = 0;
    if (f.n == 0 || f.n > 19 || f.s[0] == '0')
        return -1;
    for (size_t i = 0; i < f.n; i++) {
        if (f.s[i] < '0' || f.s[i] > '9')
            return -1;
        v = v * 10 + (size_t)(f.s[i] - '0');
    }
    if (v > max)
        return -1;
    *out = v;
    return 0;
}

static int ident_start(char c)
{
    return c == '_' || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

static int ident_char(char c)
{
    return ident_start(c) || (c >= '0' && c <= '9');
}

static int plain_ident(const char *s, size_t n)
{
    if (n == 0 || !ident_start(s[0]))
        return 0;
    for (size_t i = 1; i < n; i++)
        if (!ident_char(s[i]))
            return 0;
    return 1;
}

/* Splits s[0..n) on single spaces outside backquotes. */
static int split_fields(Reader *r, const char *s, size_t n, Field *fields, size_t max,
                        size_t *count)
{
    size_t k = 0, start = 0;
    int quoted = 0;
    for (size_t i = 0; i <= n; i++) {
        if (i < n && quoted) {
            if (s[i] == '\\')
                i++;
            else if (s[i] == '`')
                quoted = 0;
            continue;
        }
        if (i < n && s[i] == '`') {
            quoted = 1;
            continue;
        }
        if (i < n && s[i] != ' ')
            continue;
        if (i == start)
            return fail(r, PLAN_ERR_FORMAT, "an empty field (fields are separated by single spaces)");
        if (k == max)
            return fail(r, PLAN_ERR_FORMAT, "too many fields (at most %zu)", max);
        fields[k].s = s + start;
        fields[k].n = i - start;
        k++;
        start = i + 1;
    }
    if (quoted)
        return fail(r, PLAN_ERR_FORMAT, "a backquote that is not closed");
    *count = k;
    return 0;
}

/* ---- Names ------------------------------------------------------------------- */

/* One part of a name at s (a plain identifier, or `...` with \` and \\):
 * its length as written in *used, its value in *out. */
static int name_part(Reader *r, const char *s, size_t n, size_t *used, char **out)
{
    if (n > 0 && s[0] == '`') {
        StrBuf b = {0};
        for (size_t i = 1; i < n; i++) {
            if (s[i] == '`') {
                if (b.len == 0) {
                    strbuf_free(&b);
                    return fail(r, PLAN_ERR_FORMAT, "an empty backquoted name");
                }
                *used = i + 1;
                *out = strbuf_take(&b);
                return 0;
            }
            if (s[i] == '\\' && i + 3 < n && s[i + 1] == 'x' && hex_value(s[i + 2]) >= 0
                && hex_value(s[i + 3]) >= 0) {
                strbuf_putc(&b, (char)(hex_value(s[i + 2]) * 16 + hex_value(s[i + 3])));
                i += 3;
                continue;
            }
            if (s[i] == '\\') {
                if (i + 1 >= n || (s[i + 1] != '`' && s[i + 1] != '\\')) {
                    strbuf_free(&b);
                    return fail(r, PLAN_ERR_FORMAT, "in a backquoted name, only \\`, \\\\ and \\xHH are "
                                "escapes");
                }
                i++;
            }
            strbuf_putc(&b, s[i]);
        }
        strbuf_free(&b);
        return fail(r, PLAN_ERR_FORMAT, "a backquote that is not closed");
    }
    size_t i = 0;
    while (i < n && ident_char(s[i]))
        i++;
    if (i == 0 || !ident_start(s[0]))
        return fail(r, PLAN_ERR_FORMAT, "'%.*s' is not a name", (int)(n > 80 ? 80 : n), s);
    *used = i;
    *out = xstrndup(s, i);
    return 0;
}

static void name_free(PlanName *name)
{
    free(name->text);
    free(name->db);
    free(name->name);
    free(name->key);
    memset(name, 0, sizeof *name);
}

/* A part as the key writes it: bare when a plain identifier. */
static void key_part(StrBuf *b, const char *part)
{
    if (plain_ident(part, strlen(part))) {
        strbuf_puts(b, part);
        return;
    }
    strbuf_putc(b, '`');
    for (const char *p = part; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c < 0x20 || c == 0x7f) {
            strbuf_printf(b, "\\x%02X", c);   /* as mvdc writes it: never a line break */
            continue;
        }
        if (c == '`' || c == '\\')
            strbuf_putc(b, '\\');
        strbuf_putc(b, *p);
    }
    strbuf_putc(b, '`');
}

char *plan_name_key(const char *db, const char *name)
{
    StrBuf key = {0};
    if (db) {
        key_part(&key, db);
        strbuf_putc(&key, '.');
    }
    key_part(&key, name);
    return strbuf_take(&key);
}

void plan_shadow_name(const PlanName *mv, PlanName *out)
{
    StrBuf name = {0};
    strbuf_printf(&name, PLAN_SHADOW_PREFIX "%s", mv->name);
    out->db = xstrdup(mv->db);
    out->name = strbuf_take(&name);
    out->key = plan_name_key(out->db, out->name);
    out->text = xstrdup(out->key);
}

void plan_name_release(PlanName *name)
{
    name_free(name);
}

/* A name of `parts` parts (1: a database or function, 2: db.name). */
static int parse_name(Reader *r, Field f, int parts, PlanName *out)
{
    memset(out, 0, sizeof *out);
    size_t used = 0;
    char *first = NULL, *second = NULL;
    if (name_part(r, f.s, f.n, &used, &first) != 0)
        return -1;
    if (parts == 2) {
        if (used >= f.n || f.s[used] != '.') {
            free(first);
            return fail(r, PLAN_ERR_FORMAT, "'%.*s' is not a qualified name (db.name)",
                        (int)(f.n > 80 ? 80 : f.n), f.s);
        }
        size_t more = 0;
        if (name_part(r, f.s + used + 1, f.n - used - 1, &more, &second) != 0) {
            free(first);
            return -1;
        }
        used += 1 + more;
    }
    if (used != f.n) {
        free(first);
        free(second);
        return fail(r, PLAN_ERR_FORMAT, "'%.*s' is not a %s", (int)(f.n > 80 ? 80 : f.n), f.s,
                    parts == 2 ? "qualified name (db.name)" : "name");
    }
    out->text = xstrndup(f.s, f.n);
    StrBuf key = {0};
    if (parts == 2) {
        out->db = first;
        out->name = second;
        key_part(&key, first);
        strbuf_putc(&key, '.');
    } else {
        out->name = first;
    }
    key_part(&key, out->name);
    out->key = strbuf_take(&key);
    return 0;
}

static const char *const kind_names[] = {
    [KIND_DATABASE] = "database",
    [KIND_TABLE] = "table",
    [KIND_VIEW] = "view",
    [KIND_MATERIALIZED_VIEW] = "materialized-view",
    [KIND_FUNCTION] = "function",
    [KIND_DICTIONARY] = "dictionary",
};

const char *plan_kind_name(ObjectKind kind)
{
    return kind <= KIND_DICTIONARY ? kind_names[kind] : "?";
}

static int parse_kind(Reader *r, Field f, ObjectKind *out)
{
    for (size_t k = 0; k < sizeof kind_names / sizeof *kind_names; k++) {
        if (field_is(f, kind_names[k])) {
            *out = (ObjectKind)k;
            return 0;
        }
    }
    return fail(r, PLAN_ERR_FORMAT, "unknown object kind '%.*s' (database, table, view, "
                "materialized-view, dictionary or function)", (int)(f.n > 40 ? 40 : f.n), f.s);
}

static int name_parts(ObjectKind kind)
{
    return kind == KIND_DATABASE || kind == KIND_FUNCTION ? 1 : 2;
}

static int parse_kind_and_name(Reader *r, Field kind, Field name, ObjectKind *k, PlanName *out)
{
    if (parse_kind(r, kind, k) != 0)
        return -1;
    return parse_name(r, name, name_parts(*k), out);
}

int plan_same_object(ObjectKind k1, const PlanName *n1, ObjectKind k2, const PlanName *n2)
{
    /* A view and an MV share one namespace with tables in ClickHouse, but
     * the plan names each object with one kind. */
    return k1 == k2 && strcmp(n1->key, n2->key) == 0;
}

const PlanStep *plan_fill_after(const Plan *plan, size_t i)
{
    const PlanStep *s = &plan->steps[i];
    for (size_t k = i + 1; k < plan->n_steps; k++)
        if (strcmp(plan->steps[k].action, "backfill") == 0
            && plan_same_object(s->kind, &s->name, plan->steps[k].kind, &plan->steps[k].name))
            return &plan->steps[k];
    return NULL;
}

/* ---- States ------------------------------------------------------------------ */

static int parse_state(Reader *r, Field f, PlanState *out)
{
    if (field_is(f, "absent") || field_is(f, "present") || is_hash(f.s, f.n)) {
        memcpy(out->s, f.s, f.n);
        out->s[f.n] = '\0';
        return 0;
    }
    return fail(r, PLAN_ERR_FORMAT, "'%.*s' is not a state (absent, present or 64 lowercase hex)",
                (int)(f.n > 80 ? 80 : f.n), f.s);
}

/* when=S1,S2,... or unless=S1,S2,... */
static int parse_guard(Reader *r, Field f, PlanStep *step)
{
    Field list;
    if (has_prefix(f, "when=")) {
        step->guard = GUARD_WHEN;
        list = after_prefix(f, "when=");
    } else if (has_prefix(f, "unless=")) {
        step->guard = GUARD_UNLESS;
        list = after_prefix(f, "unless=");
    } else {
        return fail(r, PLAN_ERR_FORMAT, "step %u: the guard must be when=STATES or unless=STATES",
                    step->number);
    }
    size_t n = 1;
    for (size_t i = 0; i < list.n; i++)
        n += list.s[i] == ',';
    step->guard_states = xcalloc(n, sizeof *step->guard_states);
    size_t start = 0;
    for (size_t i = 0; i <= list.n; i++) {
        if (i < list.n && list.s[i] != ',')
            continue;
        Field one = {list.s + start, i - start};
        if (parse_state(r, one, &step->guard_states[step->n_guard_states]) != 0)
            return -1;
        step->n_guard_states++;
        start = i + 1;
    }
    return 0;
}

/* ---- Manifest directives ----------------------------------------------------- */

static void *grow(void *array, size_t n, size_t *cap, size_t size)
{
    if (n < *cap)
        return array;
    *cap = *cap ? *cap * 2 : 16;
    array = xrealloc(array, *cap * size);
    memset((char *)array + n * size, 0, (*cap - n) * size);
    return array;
}

static int option_value_ok(Field name, Field value)
{
    if (field_is(name, "clickhouse")) {
        int digit = 0;
        for (size_t i = 0; i < value.n; i++) {
            if (value.s[i] >= '0' && value.s[i] <= '9')
                digit = 1;
            else if (value.s[i] != '.')
                return 0;
        }
        return digit && value.s[0] != '.' && value.s[value.n - 1] != '.';
    }
    return 1;
}

static int directive_option(Reader *r, Field *f, size_t n)
{
    Plan *plan = r->plan;
    if (n != 2)
        return fail(r, PLAN_ERR_FORMAT, "@option takes a name and a value");
    char **slot = NULL;
    if (field_is(f[0], "clickhouse"))
        slot = &plan->clickhouse;
    else if (field_is(f[0], "registry"))
        slot = &plan->registry;
    else if (field_is(f[0], "cluster"))
        slot = &plan->cluster;
    else
        return fail(r, PLAN_ERR_FORMAT, "unknown @option '%.*s' (this mvrun knows clickhouse, "
                    "registry and cluster)", (int)(f[0].n > 40 ? 40 : f[0].n), f[0].s);
    if (*slot)
        return fail(r, PLAN_ERR_FORMAT, "@option %.*s given twice", (int)f[0].n, f[0].s);
    if (!option_value_ok(f[0], f[1]))
        return fail(r, PLAN_ERR_FORMAT, "@option clickhouse: '%.*s' is not a version such as 26.5",
                    (int)(f[1].n > 40 ? 40 : f[1].n), f[1].s);
    if (field_is(f[0], "clickhouse")) {
        *slot = xstrndup(f[1].s, f[1].n);
        return 0;
    }
    PlanName name;
    if (parse_name(r, f[1], 1, &name) != 0)
        return -1;
    *slot = name.name;
    name.name = NULL;
    name_free(&name);
    return 0;
}

static int directive_object(Reader *r, Field *f, size_t n)
{
    Plan *plan = r->plan;
    plan->objects = grow(plan->objects, plan->n_objects, &r->cap_objects, sizeof *plan->objects);
    PlanObject *o = &plan->objects[plan->n_objects++];
    o->line = r->line;
    if (n < 2)
        return fail(r, PLAN_ERR_FORMAT, "@object takes KIND QNAME HASH [target=QNAME]");
    if (parse_kind_and_name(r, f[0], f[1], &o->kind, &o->name) != 0)
        return -1;
    size_t i = 2;
    if (o->kind == KIND_DATABASE) {
        /* Databases have no hash: `present`, or nothing. */
        strcpy(o->state.s, "present");
        if (i < n && field_is(f[i], "present"))
            i++;
    } else {
        if (i >= n || !is_hash(f[i].s, f[i].n))
            return fail(r, PLAN_ERR_FORMAT, "@object %s %s: the third field must be its hash "
                        "(64 lowercase hex)", plan_kind_name(o->kind), o->name.text);
        memcpy(o->state.s, f[i].s, PLAN_HASH_LEN);
        i++;
    }
    if (i < n && has_prefix(f[i], "target=")) {
        if (o->kind != KIND_MATERIALIZED_VIEW)
            return fail(r, PLAN_ERR_FORMAT, "target= is for materialized views only");
        if (parse_name(r, after_prefix(f[i], "target="), 2, &o->target) != 0)
            return -1;
        i++;
    }
    if (i != n)
        return fail(r, PLAN_ERR_FORMAT, "@object: unexpected field '%.*s'",
                    (int)(f[i].n > 40 ? 40 : f[i].n), f[i].s);
    return 0;
}

/* `removal=N`: the removing release an @removed line came in, which only
 * mvdc's retention reads (docs/plan-format.md). */
static int is_removal_field(Field f)
{
    if (!has_prefix(f, "removal="))
        return 0;
    Field v = after_prefix(f, "removal=");
    if (v.n == 0 || v.n > 9 || v.s[0] == '0')
        return 0;
    for (size_t i = 0; i < v.n; i++)
        if (v.s[i] < '0' || v.s[i] > '9')
            return 0;
    return 1;
}

/* @dropped KIND QNAME and @removed KIND QNAME [removal=N]. */
static int directive_dropped(Reader *r, Field *f, size_t n, int removed)
{
    Plan *plan = r->plan;
    plan->dropped = grow(plan->dropped, plan->n_dropped, &r->cap_dropped, sizeof *plan->dropped);
    PlanDropped *d = &plan->dropped[plan->n_dropped++];
    d->line = r->line;
    d->removed = removed;
    if (n != 2 && !(removed && n == 3 && is_removal_field(f[2])))
        return fail(r, PLAN_ERR_FORMAT, "%s", removed ? "@removed takes KIND QNAME [removal=N]" : "@dropped takes KIND QNAME");
    return parse_kind_and_name(r, f[0], f[1], &d->kind, &d->name);
}

static int directive_state(Reader *r, Field *f, size_t n)
{
    Plan *plan = r->plan;
    plan->shapes = grow(plan->shapes, plan->n_shapes, &r->cap_shapes, sizeof *plan->shapes);
    PlanShape *s = &plan->shapes[plan->n_shapes++];
    s->line = r->line;
    r->shape = s;
    r->cap_columns = 0;
    if (n != 4)
        return fail(r, PLAN_ERR_FORMAT, "@state takes KIND QNAME HASH engine=ENGINE");
    if (parse_kind_and_name(r, f[0], f[1], &s->kind, &s->name) != 0)
        return -1;
    if (!is_hash(f[2].s, f[2].n))
        return fail(r, PLAN_ERR_FORMAT, "@state %s: the third field must be a hash (64 lowercase hex)",
                    s->name.text);
    memcpy(s->hash.s, f[2].s, PLAN_HASH_LEN);
    if (!has_prefix(f[3], "engine=") || f[3].n == strlen("engine="))
        return fail(r, PLAN_ERR_FORMAT, "@state %s: the fourth field must be engine=ENGINE",
                    s->name.text);
    Field engine = after_prefix(f[3], "engine=");
    s->engine = xstrndup(engine.s, engine.n);
    return 0;
}

/* @column NAME TYPE: the type runs to the end of the line. */
static int directive_column(Reader *r, const char *s, size_t n)
{
    PlanShape *shape = r->shape;
    if (!shape)
        return fail(r, PLAN_ERR_FORMAT, "@column outside a @state (it describes the @state above it)");
    shape->columns = grow(shape->columns, shape->n_columns, &r->cap_columns, sizeof *shape->columns);
    PlanColumn *c = &shape->columns[shape->n_columns];
    size_t used = 0;
    if (name_part(r, s, n, &used, &c->name) != 0)
        return -1;
    shape->n_columns++;
    if (used + 1 >= n || s[used] != ' ' || s[used + 1] == ' ')
        return fail(r, PLAN_ERR_FORMAT, "@column takes a name, one space and a type");
    c->type = xstrndup(s + used + 1, n - used - 1);
    return 0;
}

/* ---- Steps ------------------------------------------------------------------- */

static int parse_action(Reader *r, Field f, PlanStep *step)
{
    static const char *const actions[] = {"create", "drop", "alter", "replace", "modify-query",
                                          "rename", "truncate", "backfill", "shadow", "swap"};
    for (size_t i = 0; i < sizeof actions / sizeof *actions; i++) {
        if (field_is(f, actions[i])) {
            strcpy(step->action, actions[i]);
            return 0;
        }
    }
    return fail(r, PLAN_ERR_FORMAT, "step %u: unknown action '%.*s' (create, drop, alter, "
                "replace, modify-query, rename, truncate, backfill, shadow or swap)", step->number, (int)(f.n > 40 ? 40 : f.n), f.s);
}

/* src=PATH, in printable ASCII with %XX for the rest (the declaring
 * file: no line, so an added line elsewhere in it changes no step); or
 * src=- for an object no source declares any more (@removed). */
static int parse_src(Reader *r, Field f, PlanStep *step)
{
    if (!has_prefix(f, "src="))
        return fail(r, PLAN_ERR_FORMAT, "step %u: expected src=PATH", step->number);
    Field v = after_prefix(f, "src=");
    if (v.n == 0)
        return fail(r, PLAN_ERR_FORMAT, "step %u: src= must name a file, or be -", step->number);
    for (size_t i = 0; i < v.n; i++) {
        unsigned char c = (unsigned char)v.s[i];
        if (c <= ' ' || c >= 0x7f)
            return fail(r, PLAN_ERR_FORMAT, "step %u: src= path has a byte that must be %%-encoded",
                        step->number);
        if (c == '%') {
            static const char hex[] = "0123456789ABCDEFabcdef";
            if (i + 2 >= v.n || !strchr(hex, v.s[i + 1]) || !strchr(hex, v.s[i + 2]))
                return fail(r, PLAN_ERR_FORMAT, "step %u: src= path has a %% that is not %%XX",
                            step->number);
        }
    }
    step->src = xstrndup(v.s, v.n);
    return 0;
}

/* An MV renamed from an old name (docs/plan-format.md): a rename step of
 * an MV, and only such a step, names with from= the MV it renames, whose
 * states its guard lists. The statement names no cluster, so a plan with
 * one has none (mvdc plans a drop and a create there); check_plan checks
 * that from= is an @removed MV. */
static int check_from(Reader *r, const PlanStep *step)
{
    int mv_rename = step->kind == KIND_MATERIALIZED_VIEW && strcmp(step->action, "rename") == 0;
    if (!mv_rename && step->from.text)
        return fail(r, PLAN_ERR_FORMAT, "step %u: from= is for the rename step of a materialized view",
                    step->number);
    if (!mv_rename)
        return 0;
    if (!step->from.text)
        return fail(r, PLAN_ERR_FORMAT, "step %u: a rename step of a materialized view names the MV it "
                    "renames (from=QNAME)", step->number);
    if (r->plan->cluster)
        return fail(r, PLAN_ERR_FORMAT, "step %u: a rename step of a materialized view with @option cluster, "
                    "which mvrun does not do (its RENAME TABLE has no ON CLUSTER)", step->number);
    if (plan_same_object(step->kind, &step->name, step->kind, &step->from))
        return fail(r, PLAN_ERR_FORMAT, "step %u: from= names the step's own object", step->number);
    return 0;
}

/* A removed MV replaced by another (docs/plan-format.md, `until=`): the
 * window of its drop ends at the create of the MV that replaces it, not
 * at a create of its own. Only on such a drop, and only with `window`;
 * check_until_plan checks the manifest's side. */
static int check_until(Reader *r, const PlanStep *step)
{
    if (!step->window)
        return fail(r, PLAN_ERR_FORMAT, "step %u: until= goes only with window (it names the MV whose "
                    "create ends the window)", step->number);
    if (step->kind != KIND_MATERIALIZED_VIEW || strcmp(step->action, "drop") != 0)
        return fail(r, PLAN_ERR_FORMAT, "step %u: until= is for the drop step of a materialized view",
                    step->number);
    if (plan_same_object(step->kind, &step->name, step->kind, &step->until))
        return fail(r, PLAN_ERR_FORMAT, "step %u: until= names the step's own object", step->number);
    return 0;
}

/* The fields of `-- @step` in their fixed order. The header has no
 * number: a step's number is its position in the file (so a step added
 * elsewhere renumbers nothing in the plan's text). */
static int parse_step_fields(Reader *r, Field *f, size_t n, PlanStep *step, size_t *len)
{
    Plan *plan = r->plan;
    step->number = (unsigned)plan->n_steps;
    if (n < 9)
        return fail(r, PLAN_ERR_FORMAT, "step %u: @step takes PHASE ACTION KIND QNAME GUARD sets=STATE "
                    "src=PATH bytes=LEN sha256=HEX [destructive] [window] [until=QNAME] [select=OFF] [target=QNAME] "
                    "[cutoff] [chunks=QNAME] [from=QNAME]",
                    step->number);
    if (field_is(f[0], "teardown"))
        step->phase = PHASE_TEARDOWN;
    else if (field_is(f[0], "setup"))
        step->phase = PHASE_SETUP;
    else
        return fail(r, PLAN_ERR_FORMAT, "step %u: the phase must be teardown or setup", step->number);
    if (step->phase == PHASE_TEARDOWN && plan->n_steps > 1
        && plan->steps[plan->n_steps - 2].phase == PHASE_SETUP)
        return fail(r, PLAN_ERR_FORMAT, "step %u: a teardown step after a setup step (all "
                    "teardown steps come first)", step->number);
    if (parse_action(r, f[1], step) != 0
        || parse_kind_and_name(r, f[2], f[3], &step->kind, &step->name) != 0
        || parse_guard(r, f[4], step) != 0)
        return -1;
    if (!has_prefix(f[5], "sets="))
        return fail(r, PLAN_ERR_FORMAT, "step %u: expected sets=STATE", step->number);
    if (parse_state(r, after_prefix(f[5], "sets="), &step->sets) != 0 || parse_src(r, f[6], step) != 0)
        return -1;
    if (!has_prefix(f[7], "bytes=") || read_number(after_prefix(f[7], "bytes="), MAX_PLAN_BYTES, len) != 0)
        return fail(r, PLAN_ERR_FORMAT, "step %u: expected bytes=LEN", step->number);
    if (!has_prefix(f[8], "sha256=") || !is_hash(f[8].s + 7, f[8].n - 7))
        return fail(r, PLAN_ERR_FORMAT, "step %u: expected sha256= and 64 lowercase hex", step->number);
    memcpy(step->sha256, f[8].s + 7, PLAN_HASH_LEN);
    size_t i = 9;
    if (i < n && field_is(f[i], "destructive")) {
        step->destructive = 1;
        i++;
    }
    if (i < n && field_is(f[i], "window")) {
        step->window = UINT_MAX; /* resolved to the create's number once every step is read */
        i++;
    }
    if (i < n && has_prefix(f[i], "until=")) {
        if (parse_name(r, after_prefix(f[i], "until="), 2, &step->until) != 0 || check_until(r, step) != 0)
            return -1;
        i++;
    }
    if (i < n && has_prefix(f[i], "select=")) {
        if (read_number(after_prefix(f[i], "select="), MAX_PLAN_BYTES, &step->select_at) != 0
            || step->select_at == 0 || step->select_at + 1 >= *len)
            return fail(r, PLAN_ERR_FORMAT, "step %u: select= must be an offset inside the statement",
                        step->number);
        i++;
    }
    if (i < n && has_prefix(f[i], "target=")) {
        if (parse_name(r, after_prefix(f[i], "target="), 2, &step->target) != 0)
            return -1;
        i++;
    }
    if (i < n && field_is(f[i], "cutoff")) {
        step->cutoff = 1;
        i++;
        if (step->kind != KIND_MATERIALIZED_VIEW
            || (strcmp(step->action, "create") != 0 && strcmp(step->action, "backfill") != 0))
            return fail(r, PLAN_ERR_FORMAT, "step %u: cutoff is for the create and backfill steps of a "
                        "materialized view", step->number);
        /* Each host's MV would read the cutoff from a table of the
         * connected host's alone: not done (docs/mv-changes.md, "`backfill
         * by` on a cluster"); mvdc plans such an MV as `backfill`. */
        if (r->plan->cluster)
            return fail(r, PLAN_ERR_FORMAT, "step %u: a time cutoff (`backfill by`) with @option cluster, "
                        "which mvrun does not do (every host's MV would have to read the cutoff); an mvdc "
                        "of this version plans such an MV as `backfill`: build the plan again",
                        step->number);
    }
    if (i < n && has_prefix(f[i], "chunks=")) {
        if (parse_name(r, after_prefix(f[i], "chunks="), 2, &step->chunks) != 0)
            return -1;
        i++;
        if (step->kind != KIND_MATERIALIZED_VIEW || strcmp(step->action, "backfill") != 0)
            return fail(r, PLAN_ERR_FORMAT, "step %u: chunks= is for the backfill step of a materialized "
                        "view", step->number);
    }
    if (i < n && has_prefix(f[i], "from=")) {
        if (parse_name(r, after_prefix(f[i], "from="), 2, &step->from) != 0)
            return -1;
        i++;
    }
    if (check_from(r, step) != 0)
        return -1;
    /* The steps that write an MV's target name it, and only they. */
    /* A swap renames the MV (20.1 and later, no cluster: mvdc plans
     * none there, docs/mv-changes.md). */
    if ((strcmp(step->action, "shadow") == 0 || strcmp(step->action, "swap") == 0)
        && (step->kind != KIND_MATERIALIZED_VIEW || r->plan->cluster))
        return fail(r, PLAN_ERR_FORMAT, "step %u: a %s step is for a materialized view, without @option "
                    "cluster", step->number, step->action);
    int writes_target = strcmp(step->action, "truncate") == 0 || strcmp(step->action, "backfill") == 0;
    if (writes_target && (step->kind != KIND_MATERIALIZED_VIEW || !step->target.text))
        return fail(r, PLAN_ERR_FORMAT, "step %u: a %s step is on a materialized view and names its "
                    "target (target=QNAME)", step->number, step->action);
    if (!writes_target && step->target.text)
        return fail(r, PLAN_ERR_FORMAT, "step %u: target= is for the truncate and backfill steps of a "
                    "materialized view", step->number);
    if (i != n)
        return fail(r, PLAN_ERR_FORMAT, "step %u: unexpected field '%.*s'", step->number,
                    (int)(f[i].n > 40 ? 40 : f[i].n), f[i].s);
    return 0;
}

/* The statement after a step's header: exactly len bytes, ending with ';',
 * then "\n" and an empty line. *p moves past them. */
static int read_statement(Reader *r, PlanStep *step, size_t len, const char **p, const char *end)
{
    const char *q = *p;
    size_t header_line = r->line;
    if (len < 2 || (size_t)(end - q) < len + 2 || q[len - 1] != ';' || q[len] != '\n'
        || q[len + 1] != '\n') {
        r->line = header_line + 1;
        return fail(r, PLAN_ERR_FORMAT, "step %u: the statement is not %zu bytes ending with ';' "
                    "and followed by an empty line (bytes=%zu): %s", step->number, len, len,
                    EDITED_HINT);
    }
    if (r->check_hashes) {
        char hex[SHA256_HEX_LEN + 1];
        sha256_hex(q, len, hex);
        if (strcmp(hex, step->sha256) != 0) {
            r->line = header_line + 1;
            return fail(r, PLAN_ERR_EDITED, "step %u: the statement does not match its sha256=: %s",
                        step->number, EDITED_HINT);
        }
    }
    step->sql = q;
    step->sql_len = len - 1;
    char why[300];
    if (stmt_match_step(step, why, sizeof why) != 0 || stmt_match_types(r->plan, step, why, sizeof why) != 0) {
        r->line = header_line;
        return fail(r, PLAN_ERR_FORMAT, "step %u: the statement is not what its header says (%s %s %s): "
                    "%s; mvrun runs a step only when the two agree", step->number, step->action,
                    plan_kind_name(step->kind), step->name.text, why);
    }
    /* The header's line, the statement's lines, the empty line. */
    r->line++;
    for (size_t i = 0; i < len; i++)
        r->line += q[i] == '\n';
    r->line += 2;
    *p = q + len + 2;
    return 0;
}

static int directive_step(Reader *r, Field *f, size_t n, const char **p, const char *end)
{
    Plan *plan = r->plan;
    plan->steps = grow(plan->steps, plan->n_steps, &r->cap_steps, sizeof *plan->steps);
    PlanStep *step = &plan->steps[plan->n_steps++];
    step->line = r->line;
    r->shape = NULL;
    size_t len = 0;
    if (parse_step_fields(r, f, n, step, &len) != 0)
        return -1;
    return read_statement(r, step, len, p, end);
}

/* ---- Lines ------------------------------------------------------------------- */

static int directive(Reader *r, const char *s, size_t n, const char **p, const char *end)
{
    size_t k = 0;
    while (k < n && s[k] != ' ')
        k++;
    Field name = {s, k};
    const char *args = s + (k < n ? k + 1 : k);
    size_t args_len = k < n ? n - k - 1 : 0;
    int in_steps = r->plan->n_steps > 0;

    if (field_is(name, "column"))
        return in_steps ? fail(r, PLAN_ERR_FORMAT, "@column after the first @step")
                        : directive_column(r, args, args_len);

    Field fields[MAX_FIELDS];
    size_t nf = 0;
    if (args_len && split_fields(r, args, args_len, fields, MAX_FIELDS, &nf) != 0)
        return -1;
    if (field_is(name, "step"))
        return directive_step(r, fields, nf, p, end);
    if (in_steps && (field_is(name, "option") || field_is(name, "object")
                     || field_is(name, "dropped") || field_is(name, "removed")
                     || field_is(name, "state")))
        return fail(r, PLAN_ERR_FORMAT, "@%.*s after the first @step (the manifest comes first)",
                    (int)name.n, name.s);
    if (!field_is(name, "state"))
        r->shape = NULL;
    if (field_is(name, "option"))
        return directive_option(r, fields, nf);
    if (field_is(name, "object"))
        return directive_object(r, fields, nf);
    if (field_is(name, "dropped"))
        return directive_dropped(r, fields, nf, 0);
    if (field_is(name, "removed"))
        return directive_dropped(r, fields, nf, 1);
    if (field_is(name, "state"))
        return directive_state(r, fields, nf);
    return fail(r, PLAN_ERR_FORMAT, "unknown directive '@%.*s'", (int)(name.n > 40 ? 40 : name.n),
                name.s);
}

static int read_lines(Reader *r, const char *p, const char *end)
{
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = (size_t)(nl - p);        /* the file ends with \n: nl is never NULL */
        const char *line = p;
        p = nl + 1;
        if (memchr(line, '\r', n))
            return fail(r, PLAN_ERR_FORMAT, "a carriage return (lines end with \\n only)");
        if (n >= 4 && memcmp(line, "-- @", 4) == 0) {
            const char *before = p;
            if (directive(r, line + 4, n - 4, &p, end) != 0)
                return -1;
            if (p == before)
                r->line++;
            continue;
        }
        if (n != 0 && (n < 2 || line[0] != '-' || line[1] != '-'))
            return fail(r, PLAN_ERR_FORMAT, "a line that is neither empty, a comment nor a "
                        "directive (a statement must follow a -- @step header)");
        r->line++;
    }
    return 0;
}

/* ---- Whole-file checks ------------------------------------------------------- */

/* The length of the UTF-8 sequence at s, or 0 when it is not valid. */
static size_t utf8_sequence(const unsigned char *s, size_t n)
{
    if (s[0] < 0x80)
        return s[0] != 0;
    size_t len = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc2 ? 2 : 0;
    if (len == 0 || s[0] > 0xf4 || len > n)
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((s[i] & 0xc0) != 0x80)
            return 0;
    if (len == 3 && ((s[0] == 0xe0 && s[1] < 0xa0) || (s[0] == 0xed && s[1] >= 0xa0)))
        return 0;       /* overlong, or a surrogate */
    if (len == 4 && ((s[0] == 0xf0 && s[1] < 0x90) || (s[0] == 0xf4 && s[1] >= 0x90)))
        return 0;       /* overlong, or beyond U+10FFFF */
    return len;
}

static int check_utf8(Reader *r, const char *bytes, size_t size)
{
    size_t line = 1;
    for (size_t i = 0; i < size;) {
        size_t k = utf8_sequence((const unsigned char *)bytes + i, size - i);
        if (k == 0) {
            r->line = line;
            return fail(r, PLAN_ERR_FORMAT, "%s (a plan is UTF-8 text)",
                        bytes[i] == 0 ? "a NUL byte" : "not valid UTF-8");
        }
        line += bytes[i] == '\n';
        i += k;
    }
    return 0;
}

/* Lines 1 and 2, then the checksum of everything after line 2. */
static int check_header(Reader *r, const char *bytes, size_t size, size_t *body)
{
    size_t k = strlen(PLAN_FORMAT_LINE);
    r->line = 1;
    if (size < k || memcmp(bytes, PLAN_FORMAT_LINE, k) != 0) {
        size_t v1 = strlen(PLAN_FORMAT_LINE_V1);
        if (size >= v1 && memcmp(bytes, PLAN_FORMAT_LINE_V1, v1) == 0)
            return fail(r, PLAN_ERR_FORMAT, "a plan of format 1, written by an older mvdc (this mvrun "
                        "reads `-- mvd plan 2`): nothing was sent; rebuild it with this release's "
                        "mvdc (`mvdc build --previous OLD.sql -o plan.sql SOURCES` reads the old plan "
                        "as the previous one), or run it with the mvrun of the mvdc that wrote it");
        if (size > strlen(PLAN_FORMAT_PREFIX) && memcmp(bytes, PLAN_FORMAT_PREFIX, strlen(PLAN_FORMAT_PREFIX)) == 0)
            return fail(r, PLAN_ERR_FORMAT, "a plan of another format version (this mvrun reads "
                        "`-- mvd plan 2`): use the mvrun that matches the mvdc which wrote it");
        return fail(r, PLAN_ERR_FORMAT, "not an mvd plan: line 1 must be `-- mvd plan 2` (plans "
                    "are written by `mvdc build`)");
    }
    r->line = 2;
    size_t p = strlen(PLAN_HASH_PREFIX);
    if (size < k + p + PLAN_HASH_LEN + 1 || memcmp(bytes + k, PLAN_HASH_PREFIX, p) != 0
        || !is_hash(bytes + k + p, PLAN_HASH_LEN) || bytes[k + p + PLAN_HASH_LEN] != '\n')
        return fail(r, PLAN_ERR_FORMAT, "line 2 must be `-- plan-sha256: ` and 64 lowercase hex "
                    "digits: %s", EDITED_HINT);
    memcpy(r->plan->sha256, bytes + k + p, PLAN_HASH_LEN);
    r->plan->sha256[PLAN_HASH_LEN] = '\0';
    *body = k + p + PLAN_HASH_LEN + 1;
    if (r->check_hashes) {
        char hex[SHA256_HEX_LEN + 1];
        sha256_hex(bytes + *body, size - *body, hex);
        if (strcmp(hex, r->plan->sha256) != 0)
            return fail(r, PLAN_ERR_EDITED, "its contents do not match its plan-sha256 (line 2): %s",
                        EDITED_HINT);
    }
    return 0;
}

static const PlanObject *find_object(const Plan *plan, ObjectKind kind, const PlanName *name)
{
    for (size_t i = 0; i < plan->n_objects; i++)
        if (plan_same_object(kind, name, plan->objects[i].kind, &plan->objects[i].name))
            return &plan->objects[i];
    return NULL;
}

/* A chunked fill inserts into its stage, <registry>.fill_<16 hex>, as the
 * registry is spelled in the plan (fill.c moves the stage's parts into
 * the target): anything else is refused. Sets s->fill_id. */
static int stage_of(Reader *r, PlanStep *s)
{
    const Plan *plan = r->plan;
    static const char into[] = "INSERT INTO ";
    size_t reg = strlen(plan->registry), at = sizeof into - 1 + reg + 6;
    if (s->sql_len < at + 18 || memcmp(s->sql, into, sizeof into - 1) != 0
        || memcmp(s->sql + sizeof into - 1, plan->registry, reg) != 0
        || memcmp(s->sql + sizeof into - 1 + reg, ".fill_", 6) != 0
        || strspn(s->sql + at, "0123456789abcdef") < 16 || memcmp(s->sql + at + 16, " (", 2) != 0)
        return fail(r, PLAN_ERR_FORMAT, "step %u: a fill chunk by chunk (chunks=) inserts into its stage, "
                    "%s.fill_ and 16 hex digits", s->number, plan->registry);
    memcpy(s->fill_id, s->sql + at, 16);
    s->fill_id[16] = '\0';
    return 0;
}

/* A truncate or backfill step writes the table its MV's @object names as
 * its target, and a truncate is followed by that MV's fill of the same
 * table: emptying a table is not destructive only as the first half of
 * refilling it with the MV's query over its source (docs/plan-format.md).
 * Anything else is a forged or hand-made plan. */
static int check_target_steps(Reader *r)
{
    const Plan *plan = r->plan;
    for (size_t i = 0; i < plan->n_steps; i++) {
        PlanStep *s = &r->plan->steps[i];
        if (!s->target.text)
            continue;
        r->line = s->line;
        const PlanObject *o = find_object(plan, s->kind, &s->name);
        if (!o || !o->target.text || !plan_same_object(KIND_TABLE, &o->target, KIND_TABLE, &s->target))
            return fail(r, PLAN_ERR_FORMAT, "step %u: target=%s is not the target of %s in the manifest "
                        "(@object ... target=)", s->number, s->target.text, s->name.text);
        if (s->chunks.text && stage_of(r, (PlanStep *)s) != 0)
            return -1;
        if (strcmp(s->action, "truncate") != 0 || s->destructive)
            continue;
        if (!plan_fill_after(plan, i))
            return fail(r, PLAN_ERR_FORMAT, "step %u: it empties %s, and no later step fills it again "
                        "(backfill %s): a truncate that is not followed by the fill loses data and must be "
                        "marked destructive", s->number, s->target.text, s->name.text);
    }
    return 0;
}

/* A rename step's from= names an MV the manifest lists as @removed: the
 * old name the sources no longer declare, which the plan drops after the
 * rename when the rename does not run. */
static int check_from_removed(Reader *r)
{
    const Plan *plan = r->plan;
    for (size_t i = 0; i < plan->n_steps; i++) {
        const PlanStep *s = &plan->steps[i];
        if (!s->from.text)
            continue;
        int removed = 0;
        for (size_t k = 0; k < plan->n_dropped && !removed; k++)
            removed = plan->dropped[k].removed
                      && plan_same_object(plan->dropped[k].kind, &plan->dropped[k].name, s->kind, &s->from);
        if (!removed) {
            r->line = s->line;
            return fail(r, PLAN_ERR_FORMAT, "step %u: from=%s is not a materialized view the manifest lists as "
                        "removed (`-- @removed materialized-view %s`)", s->number, s->from.text, s->from.text);
        }
    }
    return 0;
}

/* until= on the drop of an MV the manifest lists as @removed, naming an
 * MV it declares: the MV the sources no longer have, and the one that
 * replaces it. */
static int check_until_plan(Reader *r, const PlanStep *s)
{
    const Plan *plan = r->plan;
    int removed = 0, declared = 0;
    for (size_t k = 0; k < plan->n_dropped && !removed; k++)
        removed = plan->dropped[k].removed
                  && plan_same_object(plan->dropped[k].kind, &plan->dropped[k].name, s->kind, &s->name);
    if (!removed)
        return fail(r, PLAN_ERR_FORMAT, "step %u: until= on the drop of %s, which the manifest does not list as "
                    "removed (`-- @removed materialized-view %s`)", s->number, s->name.text, s->name.text);
    for (size_t k = 0; k < plan->n_objects && !declared; k++)
        declared = plan_same_object(plan->objects[k].kind, &plan->objects[k].name, s->kind, &s->until);
    if (!declared)
        return fail(r, PLAN_ERR_FORMAT, "step %u: until=%s is not a materialized view the manifest declares "
                    "(`-- @object materialized-view %s ...`)", s->number, s->until.text, s->until.text);
    return 0;
}

/* What only the whole plan can tell. */
static int check_plan(Reader *r)
{
    Plan *plan = r->plan;
    r->line = 0;
    if (!plan->clickhouse)
        return fail(r, PLAN_ERR_FORMAT, "the manifest lacks `-- @option clickhouse VERSION`");
    if (!plan->registry)
        return fail(r, PLAN_ERR_FORMAT, "the manifest lacks `-- @option registry NAME`");
    for (size_t i = 0; i < plan->n_shapes; i++) {
        if (plan->shapes[i].n_columns == 0) {
            r->line = plan->shapes[i].line;
            return fail(r, PLAN_ERR_FORMAT, "@state %s has no @column lines",
                        plan->shapes[i].name.text);
        }
    }
    for (size_t i = 0; i < plan->n_steps; i++) {
        PlanStep *s = &plan->steps[i];
        if (s->window == 0)
            continue;
        r->line = s->line;
        if (strcmp(s->action, "drop") != 0 && strcmp(s->action, "backfill") != 0)
            return fail(r, PLAN_ERR_FORMAT, "step %u: only a drop or a backfill opens a window", s->number);
        if (s->until.text && check_until_plan(r, s) != 0)
            return -1;
        /* The window ends at the next create of its object, or of the MV that replaces it. */
        const PlanName *ends = s->until.text ? &s->until : &s->name;
        for (size_t k = i + 1; k < plan->n_steps && s->window == UINT_MAX; k++) {
            const PlanStep *m = &plan->steps[k];
            if (strcmp(m->action, "create") == 0 && plan_same_object(s->kind, ends, m->kind, &m->name))
                s->window = m->number;
        }
        if (s->window == UINT_MAX && s->until.text)
            return fail(r, PLAN_ERR_FORMAT, "step %u: window until=%s, but no later step creates %s",
                        s->number, s->until.text, s->until.text);
        if (s->window == UINT_MAX)
            return fail(r, PLAN_ERR_FORMAT, "step %u: window, but no later step creates %s again",
                        s->number, s->name.text);
    }
    if (check_from_removed(r) != 0)
        return -1;
    return check_target_steps(r);
}

/* ---- Entry points ------------------------------------------------------------ */

int plan_parse(const char *name, const char *bytes, size_t size, int check_hashes, Plan *plan,
               PlanError *err)
{
    memset(plan, 0, sizeof *plan);
    memset(err, 0, sizeof *err);
    plan->path = xstrdup(name);
    plan->bytes = xmalloc(size + 1);
    if (size)
        memcpy(plan->bytes, bytes, size);
    plan->bytes[size] = '\0';
    plan->size = size;
    Reader r = {.plan = plan, .err = err, .check_hashes = check_hashes};
    size_t body = 0;
    int rc = check_header(&r, plan->bytes, size, &body);
    if (rc == 0 && plan->bytes[size - 1] != '\n') {
        r.line = 0;
        rc = fail(&r, PLAN_ERR_FORMAT, "the file does not end with a newline: %s", EDITED_HINT);
    }
    if (rc == 0)
        rc = check_utf8(&r, plan->bytes, size);
    if (rc == 0) {
        r.line = 3;
        rc = read_lines(&r, plan->bytes + body, plan->bytes + size);
    }
    if (rc == 0)
        rc = check_plan(&r);
    if (rc != 0) {
        char *path = plan->path;
        plan->path = NULL;
        plan_free(plan);
        free(path);
        return -1;
    }
    return 0;
}

int plan_read_file(const char *path, Plan *plan, PlanError *err)
{
    memset(plan, 0, sizeof *plan);
    memset(err, 0, sizeof *err);
    FILE *f = fopen(path, "rb");
    StrBuf b = {0};
    char chunk[65536];
    size_t n;
    if (!f) {
        err->kind = PLAN_ERR_IO;
        snprintf(err->message, sizeof err->message, "cannot read %s: %s", path, strerror(errno));
        return -1;
    }
    while ((n = fread(chunk, 1, sizeof chunk, f)) > 0 && b.len <= MAX_PLAN_BYTES)
        strbuf_add(&b, chunk, n);
    int failed = ferror(f);
    fclose(f);
    if (failed || b.len > MAX_PLAN_BYTES) {
        err->kind = PLAN_ERR_IO;
        snprintf(err->message, sizeof err->message, "cannot read %s: %s", path,
                 failed ? "read error" : "larger than 2 GiB");
        strbuf_free(&b);
        return -1;
    }
    int rc = plan_parse(path, strbuf_str(&b), b.len, 1, plan, err);
    strbuf_free(&b);
    return rc;
}

void plan_free(Plan *plan)
{
    for (size_t i = 0; i < plan->n_objects; i++) {
        name_free(&plan->objects[i].name);
        name_free(&plan->objects[i].target);
    }
    for (size_t i = 0; i < plan->n_dropped; i++)
        name_free(&plan->dropped[i].name);
    for (size_t i = 0; i < plan->n_shapes; i++) {
        PlanShape *s = &plan->shapes[i];
        name_free(&s->name);
        free(s->engine);
        for (size_t k = 0; k < s->n_columns; k++) {
            free(s->columns[k].name);
            free(s->columns[k].type);
        }
        free(s->columns);
    }
    for (size_t i = 0; i < plan->n_steps; i++) {
        name_free(&plan->steps[i].name);
        name_free(&plan->steps[i].target);
        name_free(&plan->steps[i].chunks);
        name_free(&plan->steps[i].from);
        name_free(&plan->steps[i].until);
        free(plan->steps[i].guard_states);
        free(plan->steps[i].src);
    }
    free(plan->objects);
    free(plan->dropped);
    free(plan->shapes);
    free(plan->steps);
    free(plan->clickhouse);
    free(plan->registry);
    free(plan->cluster);
    free(plan->bytes);
    free(plan->path);
    memset(plan, 0, sizeof *plan);
}
