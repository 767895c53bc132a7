/* The canonical printer for table parts and CREATE statements (print.h,
 * sql.h). Expressions, types and SELECT are in print.c. */
#include "print/print.h"
#include "print/sql.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static void put(Printer *p, const char *s) { print_text(p, s); }
static void put_span(Printer *p, Span s) { strbuf_add(p->out, p->src + s.off, s.len); }

/* ---- Columns --------------------------------------------------------------- */

static const char *default_keyword(int kind)
{
    switch (kind) {
    case DEF_DEFAULT: return " DEFAULT";
    case DEF_MATERIALIZED: return " MATERIALIZED";
    case DEF_ALIAS: return " ALIAS";
    case DEF_EPHEMERAL: return " EPHEMERAL";
    default: return "";
    }
}

/* `name Type NULL` is written Nullable(Type): one spelling per meaning. */
void print_column_type(Printer *p, const Column *c)
{
    if (c->null_mod == 1)
        put(p, "Nullable(");
    print_type(p, c->type);
    if (c->null_mod == 1)
        strbuf_putc(p->out, ')');
}

void print_column_mods(Printer *p, const ColumnMods *m)
{
    if (!m)
        return;
    if (m->default_kind) {
        put(p, default_keyword(m->default_kind));
        if (m->default_expr) {
            strbuf_putc(p->out, ' ');
            print_expr_as_written(p, m->default_expr);
        }
    }
    if (m->expression) {
        put(p, " EXPRESSION ");
        print_expr(p, m->expression);
    }
    static const char *const flags[] = {" HIERARCHICAL", " INJECTIVE", " IS_OBJECT_ID"};
    for (int i = 0; i < 3; i++)
        if (m->dict_flags & (1 << i))
            put(p, flags[i]);
    if (m->comment.len) {
        put(p, " COMMENT ");
        print_string_literal(p, p->src + m->comment.off, m->comment.len);
    }
    if (m->codec.n) {
        put(p, " CODEC(");
        for (int i = 0; i < m->codec.n; i++) {
            if (i)
                put(p, ", ");
            print_expr(p, m->codec.v[i]);
        }
        strbuf_putc(p->out, ')');
    }
    if (m->ttl) {
        put(p, " TTL ");
        print_expr(p, m->ttl);
    }
}

/* Whether a column of this name, written bare, would read back as another
 * table element (`index UInt32`, a real schema's column, is an INDEX). */
static bool element_word(Name n)
{
    static const char *const words[] = {"index", "constraint", "projection"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (n.len == strlen(words[i]) && strncasecmp(n.s, words[i], n.len) == 0)
            return true;
    return false;
}

static void print_column_name(Printer *p, Name n)
{
    if (p->mode == PRINT_SQL || element_word(n))
        print_quoted_name(p, n);  /* as ClickHouse itself writes them */
    else
        print_name(p, n);
}

void print_column(Printer *p, const Column *c)
{
    size_t start = p->out->len;
    print_column_name(p, c->name);
    strbuf_putc(p->out, ' ');
    while (p->out->len - start < (size_t)p->column_width)
        strbuf_putc(p->out, ' ');
    print_column_type(p, c);
    print_column_mods(p, c->mods);
}

void print_index(Printer *p, const TableIndex *ix)
{
    put(p, "INDEX ");
    print_name(p, ix->name);
    strbuf_putc(p->out, ' ');
    print_expr(p, ix->expr);
    put(p, " TYPE ");
    print_type(p, ix->type);
    if (ix->granularity.len) {
        put(p, " GRANULARITY ");
        put_span(p, ix->granularity);
    }
}

void print_constraint(Printer *p, const Constraint *c)
{
    put(p, "CONSTRAINT ");
    print_name(p, c->name);
    put(p, c->assume ? " ASSUME " : " CHECK ");
    print_expr(p, c->expr);
}

void print_projection(Printer *p, const Projection *pr)
{
    put(p, "PROJECTION ");
    print_name(p, pr->name);
    put(p, " (");
    p->indent++;
    print_newline(p);
    print_select(p, pr->query);
    p->indent--;
    print_newline(p);
    strbuf_putc(p->out, ')');
}

/* The parenthesised body of a table: one element per line. */
void print_table_body(Printer *p, const Decl *d, bool trailing_comma)
{
    int total = d->columns.n;
    const TableBody *x = d->extras;
    if (x)
        total += x->indexes.n + x->constraints.n + x->projections.n;
    int k = 0;
    /* .mvd: the types line up, two spaces after the longest name. */
    int saved_width = p->column_width;
    p->column_width = 0;
    for (int i = 0; p->mode == PRINT_MVD && i < d->columns.n; i++) {
        StrBuf name = {0};
        Printer q = *p;
        q.out = &name;
        print_column_name(&q, d->columns.v[i]->name);
        if ((int)name.len + 2 > p->column_width)
            p->column_width = (int)name.len + 2;
        strbuf_free(&name);
    }
    strbuf_putc(p->out, '(');
    p->indent++;
#define ELEMENT(print_call)                                      \
    do {                                                         \
        print_newline(p);                                        \
        print_call;                                              \
        if (++k < total || trailing_comma)                       \
            strbuf_putc(p->out, ',');                            \
    } while (0)
    for (int i = 0; i < d->columns.n; i++)
        ELEMENT(print_column(p, d->columns.v[i]));
    p->column_width = saved_width;
    for (int i = 0; x && i < x->indexes.n; i++)
        ELEMENT(print_index(p, x->indexes.v[i]));
    for (int i = 0; x && i < x->constraints.n; i++)
        ELEMENT(print_constraint(p, x->constraints.v[i]));
    for (int i = 0; x && i < x->projections.n; i++)
        ELEMENT(print_projection(p, x->projections.v[i]));
#undef ELEMENT
    p->indent--;
    print_newline(p);
    strbuf_putc(p->out, ')');
}

/* ---- Table clauses ----------------------------------------------------- */

/* currentDatabase() among a CREATE TABLE's engine arguments (Merge,
 * Distributed) is evaluated when the statement runs, in the session's
 * database: mvrun's is `default`, not the table's, so the table would read
 * (or write) another database's tables. The plan writes the table's own
 * database instead, which is what ClickHouse stores after a CREATE run in
 * that database (uptrace's `Merge(currentDatabase(), ...)`: engine_full
 * `Merge('uptrace', ...)`) and what docs/language.md promises. */
static bool put_table_db(Printer *p, const Expr *e)
{
    if (!p->table_db.s || e->kind != EX_CALL || e->u.call.args.n || !name_is(e->name, "currentDatabase"))
        return false;
    strbuf_putc(p->out, '\'');
    for (uint32_t i = 0; i < p->table_db.len; i++) {
        char c = p->table_db.s[i];
        if (c == '\'' || c == '\\')
            strbuf_putc(p->out, '\\');
        strbuf_putc(p->out, c);
    }
    strbuf_putc(p->out, '\'');
    return true;
}

static void print_engine(Printer *p, const Clause *c)
{
    put(p, "ENGINE = ");
    strbuf_add(p->out, c->engine.s, c->engine.len);
    if (!c->engine_parens)
        return;
    strbuf_putc(p->out, '(');
    for (int i = 0; i < c->args.n; i++) {
        if (i)
            put(p, ", ");
        if (!put_table_db(p, c->args.v[i]))
            print_expr(p, c->args.v[i]);
    }
    strbuf_putc(p->out, ')');
}

static void print_exprs(Printer *p, const ExprList *l)
{
    for (int i = 0; i < l->n; i++) {
        if (i)
            put(p, ", ");
        print_expr(p, l->v[i]);
    }
}

static void print_ttl(Printer *p, const TtlList *l)
{
    put(p, "TTL ");
    for (int i = 0; i < l->n; i++) {
        if (i)
            put(p, ", ");
        const TtlItem *t = &l->v[i];
        print_expr(p, t->expr);
        if (t->action == TTL_TO_DISK || t->action == TTL_TO_VOLUME) {
            put(p, t->action == TTL_TO_DISK ? " TO DISK " : " TO VOLUME ");
            print_string_literal(p, p->src + t->target.off, t->target.len);
        } else if (t->action == TTL_RECOMPRESS) {
            put(p, " RECOMPRESS CODEC(");
            print_exprs(p, &t->codec);
            put(p, ")");
        } else if (t->action == TTL_GROUP_BY) {
            put(p, " GROUP BY ");
            print_exprs(p, &t->group);
            if (t->set.n) {
                put(p, " SET ");
                print_exprs(p, &t->set);
            }
        }
        if (t->where) {
            put(p, " WHERE ");
            print_expr(p, t->where);
        }
    }
}

/* ---- Dictionary clauses ---------------------------------------------------- */

/* A word of a dictionary clause, in capitals as ClickHouse prints it back
 * (create_table_query: SOURCE(CLICKHOUSE(TABLE 'src' DB 'db'))). */
static void put_word(Printer *p, Name w)
{
    char buf[64];
    if (w.len >= sizeof buf || !ast_plain_chars(w.s, w.len)) {
        print_name(p, w);
        return;
    }
    for (uint32_t i = 0; i < w.len; i++)
        buf[i] = (char)toupper((unsigned char)w.s[i]);
    buf[w.len] = 0;
    put(p, buf);
}

static void print_dict_args(Printer *p, const DictArgList *l)
{
    for (int i = 0; i < l->n; i++) {
        const DictArg *a = &l->v[i];
        if (i)
            strbuf_putc(p->out, ' ');
        if (a->key.len)
            put_word(p, a->key);
        if (a->args) {
            strbuf_putc(p->out, '(');
            print_dict_args(p, a->args);
            strbuf_putc(p->out, ')');
            continue;
        }
        if (a->key.len)
            strbuf_putc(p->out, ' ');
        if (a->word.len)
            print_name(p, a->word);
        else if (a->lit.len && p->src[a->lit.off] == '\'')
            print_string_literal(p, p->src + a->lit.off, a->lit.len);
        else
            put_span(p, a->lit);
    }
}

static void print_dict_clause(Printer *p, const Clause *c)
{
    put_word(p, c->engine);
    strbuf_putc(p->out, '(');
    print_dict_args(p, &c->dargs);
    strbuf_putc(p->out, ')');
}

void print_clause(Printer *p, const Clause *c)
{
    switch (c->kind) {
    case CL_SOURCE: case CL_LAYOUT: case CL_LIFETIME: case CL_RANGE: case CL_DICT_OTHER:
        print_dict_clause(p, c);
        break;
    case CL_ENGINE: print_engine(p, c); break;
    case CL_PARTITION_BY: put(p, "PARTITION BY "); print_expr_as_written(p, c->expr); break;
    case CL_PRIMARY_KEY:
        put(p, "PRIMARY KEY ");
        if (c->expr)
            print_expr_as_written(p, c->expr);
        else
            print_exprs(p, &c->args); /* a dictionary's PRIMARY KEY a, b */
        break;
    case CL_ORDER_BY: put(p, "ORDER BY "); print_expr_as_written(p, c->expr); break;
    case CL_SAMPLE_BY: put(p, "SAMPLE BY "); print_expr_as_written(p, c->expr); break;
    case CL_TTL: print_ttl(p, &c->ttl); break;
    case CL_SETTINGS:
        put(p, c->engine_parens ? "SETTINGS(" : "SETTINGS "); /* a dictionary's SETTINGS(...) */
        for (int i = 0; i < c->settings.n; i++) {
            if (i)
                put(p, ", ");
            print_name(p, c->settings.v[i].key);
            put(p, " = ");
            print_expr(p, c->settings.v[i].value);
        }
        if (c->engine_parens)
            strbuf_putc(p->out, ')');
        break;
    case CL_COMMENT:
        put(p, "COMMENT ");
        print_string_literal(p, p->src + c->comment.off, c->comment.len);
        break;
    }
}

/* ClickHouse's own order: engine, partition, primary key, order, sample,
 * TTL, settings, comment. */
void print_clauses(Printer *p, const ClauseList *clauses)
{
    static const ClauseKind order[] = {
        CL_ENGINE, CL_PARTITION_BY, CL_PRIMARY_KEY, CL_ORDER_BY, CL_SAMPLE_BY,
        CL_TTL, CL_SETTINGS, CL_COMMENT,
    };
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        for (int i = 0; i < clauses->n; i++)
            if (clauses->v[i].kind == order[k]) {
                print_newline(p);
                print_clause(p, &clauses->v[i]);
            }
}

/* A dictionary's clauses in the order create_table_query shows them
 * (26.5): PRIMARY KEY, SOURCE, LIFETIME, LAYOUT, RANGE, SETTINGS, COMMENT. */
void print_dictionary_clauses(Printer *p, const ClauseList *clauses)
{
    static const ClauseKind order[] = {
        CL_PRIMARY_KEY, CL_SOURCE, CL_LIFETIME, CL_LAYOUT, CL_RANGE, CL_DICT_OTHER, CL_SETTINGS, CL_COMMENT,
    };
    for (size_t k = 0; k < sizeof order / sizeof order[0]; k++)
        for (int i = 0; i < clauses->n; i++)
            if (clauses->v[i].kind == order[k]) {
                print_newline(p);
                print_clause(p, &clauses->v[i]);
            }
}

/* ---- CREATE statements ---------------------------------------------------- */

/* Puts one of the plan's words (IF NOT EXISTS or ON CLUSTER), noting
 * where it went. */
static void put_plan_word(Printer *p, SqlStyle s, int which, const char *text)
{
    size_t start = p->out->len;
    if (text)
        put(p, text);
    else
        sql_on_cluster(p, s);
    if (s.words) {
        s.words->start[which] = start;
        s.words->end[which] = p->out->len;
    }
}

static void put_if_not_exists(Printer *p, SqlStyle s, const char *text)
{
    put_plan_word(p, s, 0, s.if_not_exists && !s.or_replace ? text : "");
}

static void put_on_cluster(Printer *p, SqlStyle s)
{
    put_plan_word(p, s, 1, NULL);
}

static void print_create_head(Printer *p, const char *what, const Decl *d, SqlStyle s)
{
    put(p, s.or_replace ? "CREATE OR REPLACE " : "CREATE ");
    put(p, what);
    put_if_not_exists(p, s, " IF NOT EXISTS");
    strbuf_putc(p->out, ' ');
    print_qname(p, &d->name);
    put_on_cluster(p, s);
}

void sql_on_cluster(Printer *p, SqlStyle s)
{
    if (s.cluster) {
        put(p, " ON CLUSTER ");
        print_name(p, (Name){.s = s.cluster, .len = (uint32_t)strlen(s.cluster)});
    }
}

static void print_refresh(Printer *p, const Refresh *r)
{
    put(p, r->every ? " REFRESH EVERY " : " REFRESH AFTER ");
    put_span(p, r->amount);
    strbuf_putc(p->out, ' ');
    for (uint32_t i = 0; i < r->unit.len; i++)
        strbuf_putc(p->out, (char)toupper((unsigned char)r->unit.s[i]));
    if (r->append)
        put(p, " APPEND");
}

static void print_function_body(Printer *p, const Decl *d)
{
    put(p, " AS (");
    for (int i = 0; i < d->params.n; i++) {
        if (i)
            put(p, ", ");
        print_name(p, d->params.v[i].name);
    }
    put(p, ") -> ");
    print_expr(p, d->body);
}

void sql_create(Printer *p, const Decl *d, SqlStyle s)
{
    p->db = d->default_db;
    switch (d->kind) {
    case DECL_DATABASE:
        put(p, "CREATE DATABASE");
        put_if_not_exists(p, s, " IF NOT EXISTS");
        strbuf_putc(p->out, ' ');
        print_name(p, d->name.name);
        put_on_cluster(p, s);
        break;
    case DECL_TABLE:
        print_create_head(p, "TABLE", d, s);
        print_newline(p);
        print_table_body(p, d, false);
        p->table_db = d->name.db.s ? d->name.db : d->default_db;
        print_clauses(p, &d->clauses);
        p->table_db = (Name){0};
        break;
    case DECL_DICTIONARY:
        print_create_head(p, "DICTIONARY", d, s);
        print_newline(p);
        print_table_body(p, d, false);
        print_dictionary_clauses(p, &d->clauses);
        break;
    case DECL_VIEW:
        print_create_head(p, "VIEW", d, s);
        put(p, " AS");
        print_newline(p);
        print_select(p, d->query);
        break;
    case DECL_MV:
        print_create_head(p, "MATERIALIZED VIEW", d, s);
        if (d->refresh.present)
            print_refresh(p, &d->refresh);
        if (d->lineage.pushes_to.n) {
            put(p, " TO ");
            print_qname(p, &d->lineage.pushes_to.v[0]);
        }
        if (d->columns.n) { /* ClickHouse wants the MV's own columns after TO */
            print_newline(p);
            print_table_body(p, d, false);
        }
        put(p, " AS");
        print_newline(p);
        print_select(p, d->query);
        break;
    case DECL_FUNCTION:
        put(p, s.or_replace ? "CREATE OR REPLACE FUNCTION " : "CREATE FUNCTION ");
        put_if_not_exists(p, s, "IF NOT EXISTS ");
        print_name(p, d->name.name);
        put_on_cluster(p, s);
        print_function_body(p, d);
        break;
    default:
        break;
    }
}
