/* The canonical printer for .mvd declarations: `mvdc fmt`, and the @def
 * lines of a plan's manifest. The statement words of the .mvd language are
 * lower-case (table, view, pulls_from); everything that is ClickHouse SQL
 * (types, table clauses, SELECT) is printed as in the plan. */
#include <ctype.h>

#include "print/print.h"

static void put(Printer *p, const char *s) { strbuf_puts(p->out, s); }

static void print_lineage_list(Printer *p, const char *word, const QNameList *l)
{
    if (!l->n)
        return;
    p->indent++;
    print_newline(p);
    p->indent--;
    put(p, word);
    for (int i = 0; i < l->n; i++) {
        put(p, i ? ", " : " ");
        print_qname(p, &l->v[i]);
    }
}

static void print_params(Printer *p, const ParamList *l)
{
    strbuf_putc(p->out, '(');
    for (int i = 0; i < l->n; i++) {
        if (i)
            put(p, ", ");
        print_name(p, l->v[i].name);
        if (l->v[i].type) { /* untyped UDF parameters have none */
            strbuf_putc(p->out, ' ');
            print_type(p, l->v[i].type);
        }
    }
    strbuf_putc(p->out, ')');
}

static void print_attrs(Printer *p, const SettingList *l)
{
    for (int i = 0; i < l->n; i++) {
        put(p, i ? ", " : " settings ");
        print_name(p, l->v[i].key);
        put(p, " = ");
        print_expr(p, l->v[i].value);
    }
}

static void print_signature(Printer *p, const Decl *d)
{
    put(p, d->kind == DECL_AGGREGATE ? "aggregate " : "function ");
    print_name(p, d->name.name);
    if (d->levels.n)
        print_params(p, &d->levels);
    print_params(p, &d->params);
    if (d->ret) {
        put(p, " -> ");
        print_type(p, d->ret);
    }
    if (d->body) {
        put(p, " = ");
        print_expr(p, d->body);
    }
    print_attrs(p, &d->attrs);
}

static void print_refresh_mvd(Printer *p, const Refresh *r)
{
    p->indent++;
    print_newline(p);
    p->indent--;
    put(p, r->every ? "refresh every " : "refresh after ");
    strbuf_add(p->out, p->src + r->amount.off, r->amount.len);
    strbuf_putc(p->out, ' ');
    for (uint32_t i = 0; i < r->unit.len; i++)
        strbuf_putc(p->out, (char)tolower((unsigned char)r->unit.s[i]));
    if (r->append)
        put(p, " append");
}

static void print_view(Printer *p, const Decl *d)
{
    put(p, d->kind == DECL_MV ? "materialized view " : "view ");
    print_qname(p, &d->name);
    if (d->columns.n) {
        strbuf_putc(p->out, ' ');
        print_table_body(p, d, true);
    }
    print_lineage_list(p, "pulls_from", &d->lineage.pulls_from);
    print_lineage_list(p, "pushes_to", &d->lineage.pushes_to);
    if (d->backfill.len) {
        p->indent++;
        print_newline(p);
        p->indent--;
        put(p, "backfill");
        if (d->backfill_by.len) {
            put(p, " by ");
            print_name(p, d->backfill_by);
        }
    }
    if (d->refresh.present)
        print_refresh_mvd(p, &d->refresh);
    print_clauses(p, &d->clauses);
    print_newline(p);
    put(p, "as ");
    print_select(p, d->query);
}

/* rename/drop/narrow column: the acknowledged changes, in source order. */
static void print_table_changes(Printer *p, const ClauseList *l)
{
    for (int i = 0; i < l->n; i++) {
        const Clause *c = &l->v[i];
        if (c->kind < CL_RENAME_COLUMN)
            continue;
        print_newline(p);
        put(p, c->kind == CL_RENAME_COLUMN ? "rename column " : c->kind == CL_DROP_COLUMN ? "drop column "
                                                                                         : "narrow column ");
        print_name(p, c->column);
        if (c->kind == CL_RENAME_COLUMN) {
            put(p, " to ");
            print_name(p, *c->renamed);
        }
    }
}

void print_mvd_decl(Printer *p, const Decl *d)
{
    switch (d->kind) {
    case DECL_OPTION:
        put(p, "option ");
        print_name(p, d->name.name);
        put(p, " = ");
        print_expr(p, d->body);
        break;
    case DECL_DATABASE:
        put(p, "database ");
        print_name(p, d->name.name);
        break;
    case DECL_TABLE: case DECL_EXTERNAL:
        put(p, d->kind == DECL_EXTERNAL ? "external table " : d->local ? "local table " : "table ");
        print_qname(p, &d->name);
        strbuf_putc(p->out, ' ');
        if (d->as_table.name.s && !d->columns.n) { /* as written: its columns are the other table's */
            put(p, "as ");
            print_qname(p, &d->as_table);
        } else {
            print_table_body(p, d, true); /* one line per column: adding one changes one line */
        }
        print_clauses(p, &d->clauses);
        print_table_changes(p, &d->clauses);
        break;
    case DECL_DICTIONARY:
        put(p, "dictionary ");
        print_qname(p, &d->name);
        strbuf_putc(p->out, ' ');
        print_table_body(p, d, true);
        print_dictionary_clauses(p, &d->clauses);
        break;
    case DECL_VIEW: case DECL_MV: print_view(p, d); break;
    case DECL_FUNCTION: case DECL_AGGREGATE: print_signature(p, d); break;
    case DECL_DROP_TABLE:
        put(p, "drop table ");
        print_qname(p, &d->name);
        break;
    default:
        break;
    }
    strbuf_putc(p->out, ';');
}
