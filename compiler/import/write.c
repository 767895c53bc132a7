/* The final state as .mvd sources: one file per database (DB.mvd) with
 * its tables, then its views and materialized views, in the order the
 * chain created them. Each object is printed from the text its nodes
 * point into, then the whole file is parsed again and printed by `mvdc
 * fmt`'s printer: what import writes is canonical, and it parses. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base/file_replace.h"
#include "print/fmt.h"
#include "import/imp.h"
#include "print/print.h"

static bool same_db(Name a, const char *db)
{
    return strlen(db) == a.len && strncmp(db, a.s, a.len) == 0;
}

/* The name as the file `database db;` reads it. */
static QName local(QName q, const char *db)
{
    if (same_db(q.db, db))
        q.db = (Name){0};
    return q;
}

/* A table made by CREATE TABLE x AS y whose elements are still exactly
 * the ones of y that `table x as y` copies (check/table_as.c: all of them
 * where x is stored like y, else its columns and constraints): written
 * `as y`. A column whose TTL the copy left behind is a node of its own,
 * so such a table is written out in full. */
static bool still_copy(const ImpObject *o)
{
    const ImpObject *y = o->copy_of;
    if (!y || y->dropped || y->kind != IMP_TABLE)
        return false;
    bool stored_like = imp_stored_like_merge_tree(o);
    int k = 0;
    for (int i = 0; i < y->elems.n; i++) {
        const Elem *e = &y->elems.v[i];
        if (!stored_like && (e->what == 1 || e->what == 3))
            continue;
        if (k >= o->elems.n || o->elems.v[k++].node != e->node)
            return false;
    }
    return k == o->elems.n;
}

static void print_table(StrBuf *b, const ImpObject *o, const char *db)
{
    Printer p = {.out = b, .src = "", .mode = PRINT_MVD};
    QName q = local(o->name, db);
    strbuf_puts(b, "table ");
    print_qname(&p, &q);
    if (still_copy(o)) {
        QName y = local(o->copy_of->name, db);
        strbuf_puts(b, " as ");
        print_qname(&p, &y);
        for (int i = 0; i < o->clauses.n; i++) {
            p.src = o->clauses.v[i].src;
            strbuf_putc(b, '\n');
            print_clause(&p, &o->clauses.v[i].c);
        }
        strbuf_puts(b, ";\n\n");
        return;
    }
    strbuf_puts(b, " (");
    for (int i = 0; i < o->elems.n; i++) {
        const Elem *e = &o->elems.v[i];
        p.src = e->src;
        strbuf_puts(b, i ? ",\n    " : "\n    ");
        switch (e->what) {
        case 0: print_column(&p, e->node); break;
        case 1: print_index(&p, e->node); break;
        case 2: print_constraint(&p, e->node); break;
        default: print_projection(&p, e->node); break;
        }
    }
    strbuf_puts(b, "\n)");
    for (int i = 0; i < o->clauses.n; i++) {
        p.src = o->clauses.v[i].src;
        strbuf_putc(b, '\n');
        print_clause(&p, &o->clauses.v[i].c);
    }
    strbuf_puts(b, ";\n\n");
}

static void print_view(Import *im, StrBuf *b, const ImpObject *o, const char *db)
{
    Decl d = *o->decl;
    d.name = local(d.name, db);
    Lineage *l = &d.lineage;
    QNameList pulls = {0}, pushes = {0};
    for (int i = 0; i < l->pulls_from.n; i++)
        *LIST_PUSH(&im->arena, &pulls) = local(l->pulls_from.v[i], db);
    for (int i = 0; i < l->pushes_to.n; i++)
        *LIST_PUSH(&im->arena, &pushes) = local(l->pushes_to.v[i], db);
    l->pulls_from = pulls;
    l->pushes_to = pushes;
    Printer p = {.out = b, .src = o->src, .mode = PRINT_MVD};
    print_mvd_decl(&p, &d);
    strbuf_puts(b, "\n\n");
}

/* The SQL functions (global, like the options), in the order the chain
 * made them: a function's body may call one made before it. */
static void print_functions(StrBuf *b, const Import *im)
{
    for (int i = 0; i < im->functions.n; i++) {
        const ImpObject *o = im->functions.v[i];
        if (o->dropped)
            continue;
        Printer p = {.out = b, .src = o->src, .mode = PRINT_MVD};
        print_mvd_decl(&p, o->decl);
        strbuf_puts(b, "\n\n");
    }
}

/* The file of database db (NULL: no database, only the global part).
 * The first file written also holds the options and the functions.
 * ctas.c types a CREATE TABLE's query against these texts. */
char *write_database_text(Import *im, const char *db, bool first)
{
    StrBuf b = {0};
    if (first && im->clickhouse)
        strbuf_printf(&b, "option clickhouse = '%s';\n\n", im->clickhouse);
    if (first && im->cluster)
        strbuf_printf(&b, "option cluster = '%s';\n\n", im->cluster);
    if (first)
        print_functions(&b, im);
    if (!db) {
        char *s = arena_strndup(&im->arena, strbuf_str(&b), b.len);
        strbuf_free(&b);
        return s;
    }
    Printer p = {.out = &b, .src = "", .mode = PRINT_MVD};
    strbuf_puts(&b, "database ");
    print_name(&p, object_name(&im->arena, db));
    strbuf_puts(&b, ";\n\n");
    /* Tables, then dictionaries (they load from tables), then views. */
    for (int pass = 0; pass < 3; pass++)
        for (int i = 0; i < im->all.n; i++) {
            const ImpObject *o = im->all.v[i];
            int in_pass = o->kind == IMP_TABLE ? 0 : o->kind == IMP_DICTIONARY ? 1 : 2;
            if (o->dropped || !same_db(o->name.db, db) || in_pass != pass)
                continue;
            if (o->kind == IMP_TABLE)
                print_table(&b, o, db);
            else
                print_view(im, &b, o, db);
        }
    char *s = arena_strndup(&im->arena, strbuf_str(&b), b.len);
    strbuf_free(&b);
    return s;
}

/* Views and MVs that read or write an object the chain dropped (or
 * renamed away), or never made. */
static void report_dangling(Import *im)
{
    for (int i = 0; i < im->all.n; i++) {
        const ImpObject *o = im->all.v[i];
        if (o->dropped || o->kind == IMP_TABLE || o->kind == IMP_DICTIONARY)
            continue;
        const Lineage *l = &o->decl->lineage;
        for (int k = 0; k < l->pulls_from.n + l->pushes_to.n; k++) {
            const QName *q = k < l->pulls_from.n ? &l->pulls_from.v[k] : &l->pushes_to.v[k - l->pulls_from.n];
            if (object_find(im, q))
                continue;
            char *key = object_key(&im->arena, q);
            const ImpObject *gone = NULL; /* the last object of that name */
            for (int j = 0; j < im->all.n; j++)
                if (strcmp(im->all.v[j]->key, key) == 0)
                    gone = im->all.v[j];
            Diag *g = diag_error(&im->diags, "import", o->file, o->where,
                                 "%s %s %s, which %s", o->key, k < l->pulls_from.n ? "reads" : "writes to", key,
                                 gone ? "a later statement of the chain dropped or renamed" : "the chain never creates");
            if (gone)
                diag_note(&im->diags, g, gone->file, gone->where, "created here");
            else
                diag_note(&im->diags, g, NULL, (Span){0}, "declare it with `external table` if it exists on the server");
        }
    }
}

int write_project(Import *im, const char *outdir)
{
    report_dangling(im);
    replay_function_report_stale(im);
    if (mkdir(outdir, 0777) != 0 && errno != EEXIST) {
        fprintf(stderr, "mvdc: cannot create %s: %s\n", outdir, strerror(errno));
        return 2;
    }
    bool first = true, functions = false;
    for (int i = 0; i < im->functions.n; i++)
        functions |= !im->functions.v[i]->dropped;
    for (int i = 0; i <= im->databases.n; i++) {
        const char *db = i < im->databases.n ? im->databases.v[i] : NULL;
        if (db && !*db)
            continue; /* dropped */
        if (!db && (!first || !functions))
            break; /* the functions of a chain that made no database: functions.mvd */
        char *text = write_database_text(im, db, first);
        first = false;
        char *path = arena_printf(&im->arena, "%s/%s.mvd", outdir, db ? db : "functions");
        SourceFile *f = source_from_string(&im->arena, path, text, strlen(text));
        StrBuf out = {0};
        if (!fmt_source(&im->arena, &im->diags, f, &out)) {
            /* A node the printer wrote as .mvd does not read back: keep
             * the text, so that the diagnostics point at real lines. */
            strbuf_clear(&out);
            strbuf_puts(&out, text);
        }
        int err = file_replace(path, strbuf_str(&out), out.len, false);
        strbuf_free(&out);
        if (err) {
            fprintf(stderr, "mvdc: cannot write %s: %s\n", path, strerror(err));
            return 2;
        }
    }
    return 0;
}
