/* stmt_match: a step's statement must be what its header says. mvrun
 * judges guards, refuses destructive steps and prints progress from the
 * header; if the statement did something else, a plan whose manifest was
 * forged (an injected line, a hand-made plan with correct checksums) could
 * drop a table while printing "create table". So before any request the
 * statement's verb, object kind and name are read with a small lexer and
 * compared with the header, and whatever drops or truncates data must be
 * marked `destructive`, whatever the header's action says. The one
 * exception: a `backfill` MV's truncate step empties the table its header
 * names (target=) before the fill puts back the MV's query over the whole
 * source (plan_read.c checks the target and the fill that follows).
 *
 * The lexer knows only what it must: blanks, comments, quoted strings and
 * names (with ClickHouse's escapes), bare words, parentheses and commas.
 * Anything it cannot place is a mismatch: mvdc writes these statements
 * in one canonical form, so a refusal costs nothing but a forged plan. */
#include "stmt_match.h"
#include "hex.h"
#include "type_change.h"

#include "strbuf.h"
#include "xalloc.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

typedef struct Cursor {
    const char *s;
    size_t n, at;
    char *why;
    size_t why_len;
} Cursor;

static int mismatch(Cursor *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int mismatch(Cursor *c, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(c->why, c->why_len, fmt, ap);
    va_end(ap);
    return -1;
}

static int word_char(char ch)
{
    return isalnum((unsigned char)ch) || ch == '_' || ch == '$';
}

/* Blanks and comments (-- to the end of the line, / * ... * /). */
static void skip_blank(Cursor *c)
{
    while (c->at < c->n) {
        char ch = c->s[c->at];
        if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
            c->at++;
        } else if (ch == '-' && c->at + 1 < c->n && c->s[c->at + 1] == '-') {
            while (c->at < c->n && c->s[c->at] != '\n')
                c->at++;
        } else if (ch == '/' && c->at + 1 < c->n && c->s[c->at + 1] == '*') {
            const char *end = NULL;
            for (size_t i = c->at + 2; i + 1 < c->n && !end; i++)
                if (c->s[i] == '*' && c->s[i + 1] == '/')
                    end = c->s + i + 2;
            c->at = end ? (size_t)(end - c->s) : c->n;
        } else {
            return;
        }
    }
}

/* The keyword kw (case-insensitive) as a whole word: consumed when there. */
static int keyword(Cursor *c, const char *kw)
{
    skip_blank(c);
    size_t k = strlen(kw);
    if (c->n - c->at < k || strncasecmp(c->s + c->at, kw, k) != 0)
        return 0;
    if (c->at + k < c->n && word_char(c->s[c->at + k]))
        return 0;
    c->at += k;
    return 1;
}

/* A quoted token starting at c->at (quote q), as ClickHouse reads one:
 * backslash escapes, \xHH, and a doubled quote. Its value into out when
 * out is not NULL. */
static int quoted(Cursor *c, StrBuf *out)
{
    char q = c->s[c->at++];
    while (c->at < c->n) {
        char ch = c->s[c->at++];
        if (ch == q) {
            if (c->at < c->n && c->s[c->at] == q) {
                c->at++;
            } else {
                return 0;
            }
        } else if (ch == '\\' && c->at < c->n) {
            ch = c->s[c->at++];
            static const char from[] = "bfnrt0av", to[] = "\b\f\n\r\t\0\a\v";
            const char *named = strchr(from, ch);
            if (ch == 'x' && c->at + 1 < c->n && hex_value(c->s[c->at]) >= 0
                && hex_value(c->s[c->at + 1]) >= 0) {
                ch = (char)(hex_value(c->s[c->at]) * 16 + hex_value(c->s[c->at + 1]));
                c->at += 2;
            } else if (named && ch) {
                ch = to[named - from];
            }
        }
        if (out)
            strbuf_putc(out, ch);
    }
    return -1;
}

/* One part of a name: a bare word, `quoted` or "quoted". Owned by the caller. */
static char *name_part(Cursor *c)
{
    skip_blank(c);
    if (c->at >= c->n)
        return NULL;
    char ch = c->s[c->at];
    if (ch == '`' || ch == '"') {
        StrBuf b = {0};
        if (quoted(c, &b) != 0) {
            strbuf_free(&b);
            return NULL;
        }
        strbuf_putc(&b, '\0');  /* an empty name is still a name */
        b.len--;
        return strbuf_take(&b);
    }
    size_t start = c->at;
    if (!(isalpha((unsigned char)ch) || ch == '_'))
        return NULL;
    while (c->at < c->n && word_char(c->s[c->at]))
        c->at++;
    return xstrndup(c->s + start, c->at - start);
}

/* The statement's name must be the header's (compared unescaped). */
static int same_name(Cursor *c, const PlanName *want, int parts)
{
    char *first = name_part(c), *second = NULL;
    int ok = first != NULL;
    if (ok && parts == 2) {
        skip_blank(c);
        ok = c->at < c->n && c->s[c->at] == '.';
        if (ok) {
            c->at++;
            second = name_part(c);
            ok = second != NULL;
        }
    }
    if (ok)
        ok = parts == 2 ? strcmp(first, want->db) == 0 && strcmp(second, want->name) == 0
                        : strcmp(first, want->name) == 0;
    free(first);
    free(second);
    return ok ? 0 : mismatch(c, "the statement is about another object than %s", want->text);
}

/* After the name of a DROP or CREATE DATABASE: only ON CLUSTER and
 * DROP's modifiers. */
static int only_tail(Cursor *c, int is_drop)
{
    if (keyword(c, "ON")) {
        char *cluster = keyword(c, "CLUSTER") ? name_part(c) : NULL;
        if (!cluster)
            return mismatch(c, "ON that is not ON CLUSTER name");
        free(cluster);
    }
    if (is_drop) {
        if (!keyword(c, "SYNC") && keyword(c, "NO"))
            if (!keyword(c, "DELAY"))
                return mismatch(c, "an unexpected word after the name");
    } else if (keyword(c, "ENGINE")) {
        return 0;       /* CREATE DATABASE ... ENGINE = ...: where the data lives, nothing lost */
    }
    skip_blank(c);
    if (c->at != c->n)
        return mismatch(c, "more after the object's name than %s allows", is_drop ? "DROP" : "CREATE DATABASE");
    return 0;
}

/* The statement is one statement: no ';' outside quotes. Also steps over
 * a command of ALTER up to the next top-level ',' (stop_at_comma). */
static int skip_to(Cursor *c, int stop_at_comma)
{
    int depth = 0;
    while (1) {
        skip_blank(c);
        if (c->at >= c->n)
            return 0;
        char ch = c->s[c->at];
        if (ch == '\'' || ch == '`' || ch == '"') {
            if (quoted(c, NULL) != 0)
                return mismatch(c, "a quote that is not closed");
            continue;
        }
        if (ch == ';')
            return mismatch(c, "more than one statement");
        if (ch == '(' || ch == '[')
            depth++;
        else if ((ch == ')' || ch == ']') && depth > 0)
            depth--;
        else if (ch == ',' && depth == 0 && stop_at_comma)
            return 0;
        c->at++;
    }
}

/* ---- The verbs ---------------------------------------------------------- */

static const char *kind_word(ObjectKind kind)
{
    switch (kind) {
    case KIND_DATABASE: return "DATABASE";
    case KIND_TABLE: return "TABLE";
    case KIND_VIEW: return "VIEW";
    case KIND_MATERIALIZED_VIEW: return "MATERIALIZED VIEW";
    case KIND_FUNCTION: return "FUNCTION";
    case KIND_DICTIONARY: return "DICTIONARY";
    }
    return "?";
}

static int kind_keywords(Cursor *c, ObjectKind kind)
{
    if (kind == KIND_MATERIALIZED_VIEW)
        return keyword(c, "MATERIALIZED") && keyword(c, "VIEW");
    return keyword(c, kind_word(kind));
}

static int name_parts_of(ObjectKind kind)
{
    return kind == KIND_DATABASE || kind == KIND_FUNCTION ? 1 : 2;
}

static int match_create(Cursor *c, const PlanStep *st, int or_replace)
{
    if (keyword(c, "OR")) {
        if (!keyword(c, "REPLACE") || !or_replace)
            return mismatch(c, "CREATE OR REPLACE, but the header's action is %s", st->action);
    } else if (or_replace) {
        return mismatch(c, "the header says replace, the statement is not CREATE OR REPLACE");
    }
    if (!kind_keywords(c, st->kind))
        return mismatch(c, "the statement does not create a %s", plan_kind_name(st->kind));
    if (keyword(c, "IF") && !(keyword(c, "NOT") && keyword(c, "EXISTS")))
        return mismatch(c, "IF that is not IF NOT EXISTS");
    if (same_name(c, &st->name, name_parts_of(st->kind)) != 0)
        return -1;
    /* CREATE OR REPLACE TABLE drops the table's rows. */
    if (or_replace && st->kind == KIND_TABLE && !st->destructive)
        return mismatch(c, "CREATE OR REPLACE TABLE loses the table's rows, and the step is not "
                        "marked destructive");
    if (st->kind == KIND_DATABASE)
        return only_tail(c, 0);
    return skip_to(c, 0);
}

static int match_drop(Cursor *c, const PlanStep *st)
{
    int view = st->kind == KIND_VIEW || st->kind == KIND_MATERIALIZED_VIEW;
    /* 18.16 has no DROP VIEW: a view is dropped with DROP TABLE there
     * (judge.c checks that the live object is a view before it runs). */
    if (!(view && keyword(c, "TABLE")) && !keyword(c, view ? "VIEW" : kind_word(st->kind)))
        return mismatch(c, "the statement does not drop a %s", plan_kind_name(st->kind));
    if (keyword(c, "IF") && !keyword(c, "EXISTS"))
        return mismatch(c, "IF that is not IF EXISTS");
    if (same_name(c, &st->name, name_parts_of(st->kind)) != 0)
        return -1;
    if ((st->kind == KIND_TABLE || st->kind == KIND_DATABASE) && !st->destructive)
        return mismatch(c, "dropping a %s loses its data, and the step is not marked destructive",
                        plan_kind_name(st->kind));
    return only_tail(c, 1);
}

typedef enum SettingList { SETTINGS_NONE, SETTINGS_MODIFIED, SETTINGS_RESET } SettingList;

/* An ALTER command that keeps every row and value: the rest (DROP COLUMN,
 * DELETE, UPDATE, CLEAR, DETACH, DROP/REPLACE/MOVE PARTITION, MATERIALIZE
 * TTL, ...) must be marked destructive. A MODIFY COLUMN that narrows its
 * type is judged by stmt_match_types, which needs the plan's states. */
static int keeps_data(Cursor *c)
{
    if (keyword(c, "ADD") || keyword(c, "COMMENT") || keyword(c, "MODIFY"))
        return 1;
    if (keyword(c, "RENAME"))
        return keyword(c, "COLUMN");
    if (keyword(c, "REMOVE"))
        return keyword(c, "TTL");
    if (keyword(c, "RESET"))
        return keyword(c, "SETTING");
    if (keyword(c, "DROP"))
        return keyword(c, "INDEX") || keyword(c, "PROJECTION") || keyword(c, "CONSTRAINT")
            || keyword(c, "STATISTICS");
    return 0;
}

/* One more setting of the MODIFY SETTING (`name = value`) or RESET
 * SETTING (`name`) list before it, whose commas separate settings, not
 * commands: 1 and consumed when it is one, 0 when not, -1 when the
 * value cannot be read. A word that starts a command (DROP
 * COLUMN x) is followed by neither '=' nor ',' and stays a command. */
static int setting_item(Cursor *c, SettingList list)
{
    size_t start = c->at;
    skip_blank(c);
    size_t word = c->at;
    while (c->at < c->n && word_char(c->s[c->at]))
        c->at++;
    if (c->at > word) {
        skip_blank(c);
        if (list == SETTINGS_MODIFIED && c->at < c->n && c->s[c->at] == '=' &&
            !(c->at + 1 < c->n && c->s[c->at + 1] == '='))
            return skip_to(c, 1) == 0 ? 1 : -1;
        if (list == SETTINGS_RESET && (c->at >= c->n || c->s[c->at] == ','))
            return 1;
    }
    c->at = start;
    return 0;
}

/* The command at c, the `number`th of the ALTER; *list: whether it
 * continues a MODIFY|RESET SETTING list, and on return whether the next
 * one may. */
static int match_command(Cursor *c, const PlanStep *st, size_t number, SettingList *list)
{
    int item = *list ? setting_item(c, *list) : 0;
    if (item)
        return item > 0 ? 0 : -1;
    *list = SETTINGS_NONE;
    size_t start = c->at;
    if (strcmp(st->action, "modify-query") == 0) {
        if (number > 0 || !(keyword(c, "MODIFY") && keyword(c, "QUERY")))
            return mismatch(c, "a modify-query step holds exactly one MODIFY QUERY");
        return skip_to(c, 0);   /* the query's own commas are not commands */
    }
    if (strcmp(st->action, "rename") == 0 && !(keyword(c, "RENAME") && keyword(c, "COLUMN")))
        return mismatch(c, "a rename step holds RENAME COLUMN only");
    c->at = start;
    if (keyword(c, "MODIFY") && keyword(c, "QUERY"))
        return mismatch(c, "MODIFY QUERY in a step whose action is %s", st->action);
    c->at = start;
    if (keyword(c, "MODIFY") && keyword(c, "SETTING"))
        *list = SETTINGS_MODIFIED;
    c->at = start;
    if (keyword(c, "RESET") && keyword(c, "SETTING"))
        *list = SETTINGS_RESET;
    c->at = start;
    if (!keeps_data(c) && !st->destructive) {
        c->at = start;
        skip_blank(c);
        size_t k = 0;
        while (c->at + k < c->n && k < 24 && c->s[c->at + k] != ',' && c->s[c->at + k] != '\n')
            k++;
        return mismatch(c, "'%.*s' can lose data, and the step is not marked destructive", (int)k,
                        c->s + c->at);
    }
    return skip_to(c, 1);
}

static int match_alter(Cursor *c, const PlanStep *st)
{
    int mv_query = strcmp(st->action, "modify-query") == 0;
    int kind_ok = mv_query ? st->kind == KIND_MATERIALIZED_VIEW || st->kind == KIND_VIEW
                           : st->kind == KIND_TABLE;
    if (!kind_ok)
        return mismatch(c, "a %s step on a %s", st->action, plan_kind_name(st->kind));
    if (!keyword(c, "TABLE"))
        return mismatch(c, "the statement is not ALTER TABLE");
    if (same_name(c, &st->name, 2) != 0)
        return -1;
    size_t before = c->at;
    if (keyword(c, "ON")) {
        char *cluster = keyword(c, "CLUSTER") ? name_part(c) : NULL;
        if (!cluster)
            return mismatch(c, "ON that is not ON CLUSTER name");
        free(cluster);
    } else {
        c->at = before;
    }
    SettingList list = SETTINGS_NONE;
    for (size_t k = 0;; k++) {
        if (match_command(c, st, k, &list) != 0)
            return -1;
        skip_blank(c);
        if (c->at >= c->n)
            return 0;
        c->at++;        /* the ',' between two commands */
    }
}

/* TRUNCATE TABLE [IF EXISTS] target [ON CLUSTER c]: only on an MV's
 * truncate step, of the table its header names (target=); plan_read.c
 * checks that the table is the MV's target and that the fill follows. */
static int match_truncate(Cursor *c, const PlanStep *st)
{
    if (strcmp(st->action, "truncate") != 0)
        return mismatch(c, "TRUNCATE in a step whose action is %s", st->action);
    if (st->kind != KIND_MATERIALIZED_VIEW || !st->target.text)
        return mismatch(c, "a truncate step empties the target of a materialized view, named by target=");
    if (!keyword(c, "TABLE"))
        return mismatch(c, "the statement is not TRUNCATE TABLE");
    if (keyword(c, "IF") && !keyword(c, "EXISTS"))
        return mismatch(c, "IF that is not IF EXISTS");
    if (same_name(c, &st->target, 2) != 0)
        return -1;
    return only_tail(c, 1);     /* ON CLUSTER, SYNC: as after DROP */
}

/* INSERT INTO target ...: the fill of an MV's target, on its backfill
 * step only. */
static int match_insert(Cursor *c, const PlanStep *st)
{
    if (strcmp(st->action, "backfill") != 0)
        return mismatch(c, "INSERT in a step whose action is %s", st->action);
    if (st->kind != KIND_MATERIALIZED_VIEW || !st->target.text)
        return mismatch(c, "a backfill step fills the target of a materialized view, named by target=");
    if (!keyword(c, "INTO"))
        return mismatch(c, "the statement is not INSERT INTO");
    keyword(c, "TABLE");
    if (st->chunks.text)        /* into its stage: plan_read.c's stage_of checks the name */
        return skip_to(c, 0);
    if (same_name(c, &st->target, 2) != 0)
        return -1;
    return skip_to(c, 0);
}

/* An MV swapped in (docs/mv-changes.md): `shadow` is CREATE MATERIALIZED
 * VIEW [IF NOT EXISTS] of the MV's shadow name (plan_shadow_name), `swap`
 * is RENAME TABLE shadow TO the MV; the header names the MV. */
static int match_swap(Cursor *c, const PlanStep *st)
{
    PlanName shadow;
    plan_shadow_name(&st->name, &shadow);
    int rc;
    if (st->kind != KIND_MATERIALIZED_VIEW)
        rc = mismatch(c, "a %s step on a %s", st->action, plan_kind_name(st->kind));
    else if (strcmp(st->action, "shadow") == 0)
        rc = !keyword(c, "CREATE") || !kind_keywords(c, KIND_MATERIALIZED_VIEW)
                 ? mismatch(c, "the header says shadow, the statement is not CREATE MATERIALIZED VIEW")
             : keyword(c, "IF") && !(keyword(c, "NOT") && keyword(c, "EXISTS")) ? mismatch(c, "IF that is not IF NOT EXISTS")
             : same_name(c, &shadow, 2) != 0 ? -1
                                              : skip_to(c, 0);
    else
        rc = !keyword(c, "RENAME") || !keyword(c, "TABLE")
                 ? mismatch(c, "the header says swap, the statement is not RENAME TABLE")
             : same_name(c, &shadow, 2) != 0 ? -1
             : !keyword(c, "TO")            ? mismatch(c, "RENAME TABLE without TO")
             : same_name(c, &st->name, 2) != 0 ? -1
                                               : only_tail(c, 0);
    plan_name_release(&shadow);
    return rc;
}

/* An MV renamed from an old name: RENAME TABLE from TO the MV, nothing
 * else (no ON CLUSTER: plan_read.c refuses the step with a cluster). */
static int match_mv_rename(Cursor *c, const PlanStep *st)
{
    if (!keyword(c, "RENAME") || !keyword(c, "TABLE"))
        return mismatch(c, "the header says rename of a materialized view, the statement is not RENAME TABLE");
    if (same_name(c, &st->from, 2) != 0)
        return -1;
    if (!keyword(c, "TO"))
        return mismatch(c, "RENAME TABLE without TO");
    if (same_name(c, &st->name, 2) != 0)
        return -1;
    skip_blank(c);
    if (c->at != c->n)
        return mismatch(c, "more after RENAME TABLE %s TO %s", st->from.text, st->name.text);
    return 0;
}

int stmt_match_step(const PlanStep *st, char *why, size_t why_len)
{
    Cursor c = {.s = st->sql, .n = st->sql_len, .why = why, .why_len = why_len};
    int rc;
    if (strcmp(st->action, "shadow") == 0 || strcmp(st->action, "swap") == 0)
        rc = match_swap(&c, st);
    else if (st->from.text)     /* plan_read.c: exactly the rename steps of MVs */
        rc = match_mv_rename(&c, st);
    else if (strcmp(st->action, "create") == 0 || strcmp(st->action, "replace") == 0)
        rc = keyword(&c, "CREATE") ? match_create(&c, st, st->action[0] == 'r')
                                   : mismatch(&c, "the header says %s, the statement is not CREATE", st->action);
    else if (strcmp(st->action, "drop") == 0)
        rc = keyword(&c, "DROP") ? match_drop(&c, st)
                                 : mismatch(&c, "the header says drop, the statement is not DROP");
    else if (keyword(&c, "TRUNCATE"))
        rc = match_truncate(&c, st);
    else if (keyword(&c, "INSERT"))
        rc = match_insert(&c, st);
    else if (strcmp(st->action, "truncate") == 0 || strcmp(st->action, "backfill") == 0)
        rc = mismatch(&c, "the header says %s, the statement is not %s", st->action,
                      st->action[0] == 't' ? "TRUNCATE" : "INSERT");
    else
        rc = keyword(&c, "ALTER") ? match_alter(&c, st)
                                  : mismatch(&c, "the header says %s, the statement is not ALTER", st->action);
    return rc;
}

/* ---- MODIFY COLUMN's types ------------------------------------------------- */

/* The type a MODIFY COLUMN command gives its column: a word and its
 * parenthesised arguments, followed by ',', the end or a clause. NULL
 * with *none set when the command gives no type (REMOVE, CODEC, ...);
 * NULL alone when it cannot be read. */
static char *modify_type(Cursor *c, int *none)
{
    static const char *const clauses[] = {"DEFAULT", "MATERIALIZED", "ALIAS", "EPHEMERAL", "CODEC", "COMMENT",
                                          "TTL", "FIRST", "AFTER", "REMOVE", "MODIFY", "RESET", "SETTINGS"};
    *none = 0;
    skip_blank(c);
    size_t start = c->at;
    for (size_t i = 0; i < sizeof clauses / sizeof clauses[0]; i++) {
        if (keyword(c, clauses[i])) {
            c->at = start;
            *none = 1;
            return NULL;
        }
    }
    if (c->at >= c->n || !(isalpha((unsigned char)c->s[c->at]) || c->s[c->at] == '_'))
        return NULL;
    while (c->at < c->n && word_char(c->s[c->at]))
        c->at++;
    if (c->at < c->n && c->s[c->at] == '(') {
        int depth = 0;
        do {
            char ch = c->s[c->at];
            if (ch == '\'' || ch == '`' || ch == '"') {
                if (quoted(c, NULL) != 0)
                    return NULL;
                continue;
            }
            depth += ch == '(' ? 1 : ch == ')' ? -1 : 0;
            c->at++;
        } while (depth > 0 && c->at < c->n);
        if (depth)
            return NULL;
    }
    size_t end = c->at;
    skip_blank(c);
    int clause = 0;
    size_t after = c->at;
    for (size_t i = 0; i < sizeof clauses / sizeof clauses[0] && !clause; i++)
        clause = keyword(c, clauses[i]);
    c->at = after;
    if (!(c->at >= c->n || c->s[c->at] == ',' || clause))
        return NULL;
    return xstrndup(c->s + start, end - start);
}

/* The column's type in the table's state `hash`, or NULL. */
static const char *state_column_type(const Plan *plan, const PlanStep *st, const char *hash, const char *col)
{
    for (size_t i = 0; i < plan->n_shapes; i++) {
        const PlanShape *sh = &plan->shapes[i];
        if (sh->kind != KIND_TABLE || strcmp(sh->name.key, st->name.key) != 0 || strcmp(sh->hash.s, hash) != 0)
            continue;
        for (size_t k = 0; k < sh->n_columns; k++)
            if (strcmp(sh->columns[k].name, col) == 0)
                return sh->columns[k].type;
    }
    return NULL;
}

/* One MODIFY COLUMN (after those words): its new type against the old. */
static int judge_modify(Cursor *c, const Plan *plan, const PlanStep *st)
{
    if (keyword(c, "IF") && !keyword(c, "EXISTS"))
        return mismatch(c, "IF that is not IF EXISTS");
    char *col = name_part(c);
    int none = 0;
    char *type = col ? modify_type(c, &none) : NULL;
    int rc = 0;
    if (!col || (!type && !none)) {
        rc = mismatch(c, "a MODIFY COLUMN whose type mvrun cannot read may lose data, and the step is not "
                         "marked destructive");
    } else if (type) {
        size_t judged = 0;
        for (size_t i = 0; st->guard == GUARD_WHEN && i < st->n_guard_states && rc == 0; i++) {
            const char *from = state_column_type(plan, st, st->guard_states[i].s, col);
            if (from && type_change_keeps_data(from, type)) {
                judged++;
                continue;
            }
            rc = from ? mismatch(c, "MODIFY COLUMN `%s` from %s to %s can lose data, and the step is not marked "
                                    "destructive", col, from, type)
                      : mismatch(c, "MODIFY COLUMN `%s`: the column is not in the step's when= state, so its "
                                    "old type is unknown; the step is not marked destructive", col);
        }
        if (rc == 0 && judged == 0)
            rc = mismatch(c, "MODIFY COLUMN `%s` in a step without a when= state: its old type is unknown, "
                             "and the step is not marked destructive", col);
    }
    free(col);
    free(type);
    return rc;
}

int stmt_match_types(const Plan *plan, const PlanStep *st, char *why, size_t why_len)
{
    if (st->destructive || st->kind != KIND_TABLE || strcmp(st->action, "alter") != 0)
        return 0;
    Cursor c = {.s = st->sql, .n = st->sql_len, .why = why, .why_len = why_len};
    if (!keyword(&c, "ALTER") || !keyword(&c, "TABLE") || same_name(&c, &st->name, 2) != 0)
        return 0;       /* stmt_match_step refuses it */
    size_t before = c.at;
    if (keyword(&c, "ON") && keyword(&c, "CLUSTER"))
        free(name_part(&c));
    else
        c.at = before;
    for (;;) {
        size_t start = c.at;
        if (keyword(&c, "MODIFY") && keyword(&c, "COLUMN") && judge_modify(&c, plan, st) != 0)
            return -1;
        c.at = start;
        if (skip_to(&c, 1) != 0)
            return -1;
        if (c.at >= c.n)
            return 0;
        c.at++;
    }
}
