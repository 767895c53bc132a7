#define _DEFAULT_SOURCE /* realpath */
/* Object hashes (docs/plan-format.md, "Hashes").
 *
 * An object's hash is the SHA-256 of its canonical CREATE statement,
 * printed from the AST without IF NOT EXISTS or ON CLUSTER (options of the
 * plan, not of the object). A view's or MV's hash also covers the name and
 * type of every column it uses from what it reads and where it writes, so
 * that a type change in such a column rebuilds it and a column added
 * beside them does not. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>
#include <string.h>

#include "base/parallel.h"
#include "plan/plan.h"
#include "print/print.h"
#include "print/sql.h"

static Printer printer(StrBuf *b, const Decl *d, PrintMode mode)
{
    return (Printer){.out = b, .src = d->file->text, .mode = mode, .db = d->default_db};
}

static const char *kind_word(const Decl *d)
{
    switch (d->kind) {
    case DECL_DATABASE: return "database";
    case DECL_TABLE: return "table";
    case DECL_VIEW: return "view";
    case DECL_MV: return "materialized-view";
    case DECL_FUNCTION: return "function";
    case DECL_DICTIONARY: return "dictionary";
    default: return "table";
    }
}

static void add_used_columns(StrBuf *b, const Object *o, const QueryNames *set, bool all_named)
{
    for (int i = 0; i < o->columns.n; i++) {
        const OutColumn *c = &o->columns.v[i];
        if (!all_named && !query_names_has(set, c->name))
            continue;
        strbuf_puts(b, "\n-- uses ");
        strbuf_puts(b, o->qname);
        strbuf_putc(b, '.');
        strbuf_add(b, c->name.s, c->name.len);
        strbuf_putc(b, ' ');
        strbuf_puts(b, c->type ? c->type->name : "Unknown");
        /* Another column's values under the name: the view reads
         * something else, though its text and types are the same. */
        Name from;
        if (o->kind == OBJ_TABLE && o->decl && ast_decl_replaces_column(o->decl, c->name, &from)) {
            strbuf_puts(b, " replacing a dropped column, renamed from ");
            strbuf_add(b, from.s, from.len);
        }
    }
}

/* A target column is used when an output of the MV has its name. */
static QueryNames outputs_of(Arena *a, const Object *mv)
{
    QueryNames set = {0};
    for (int i = 0; i < mv->columns.n; i++)
        *LIST_PUSH(a, &set.names) = mv->columns.v[i].name;
    return set;
}

static void hash_view(Arena *scratch, Managed *m, StrBuf *def)
{
    ArenaMark mark = arena_mark(scratch);
    QueryNames used = {0};
    query_names_collect(scratch, m->decl->query, m->decl->file->text, &used);
    for (int i = 0; i < m->obj->reads.n; i++)
        add_used_columns(def, m->obj->reads.v[i], &used, false);
    if (m->obj->target) {
        QueryNames outs = outputs_of(scratch, m->obj);
        add_used_columns(def, m->obj->target, &outs, false);
    }
    arena_release(scratch, mark);
}

/* Whether emit.c can print a table's @column lines straight from its
 * declaration: every column's type is its resolved one, none written
 * `T NULL` (whose Nullable(T) is made by hash_table_columns, on the
 * serial pass: types are interned in one table for the whole project),
 * and none Nested (listed by the server as one column per field). */
static bool table_shape_plain(const Decl *d)
{
    for (int i = 0; i < d->columns.n; i++) {
        const Column *c = d->columns.v[i];
        const Type *t = c->type ? c->type->resolved : NULL;
        if (c->null_mod == 1 || (t && t->kind == TY_NESTED))
            return false;
    }
    return true;
}

/* A Nested(a T, b U) column n is what the server lists as n.a Array(T)
 * and n.b Array(U) (flatten_nested, on by default): its state says so. */
static void nested_state_columns(Plan *pl, const Column *c, const Type *t, PrevState *s)
{
    Arena *a = &pl->project->arena;
    for (int k = 0; k < t->n; k++) {
        const Type *arr = type_wrap(&pl->project->types, TY_ARRAY, t->elems[k]);
        const char *name = arena_printf(a, "%.*s.%s", (int)c->name.len, c->name.s, t->names ? t->names[k] : "");
        *LIST_PUSH(a, &s->columns) = (PrevColumn){name, arr->name};
    }
}

void hash_table_columns(Plan *pl, const Decl *d, PrevState *s)
{
    Arena *a = &pl->project->arena;
    LIST_RESERVE(a, &s->columns, d->columns.n);
    for (int i = 0; i < d->columns.n; i++) {
        const Column *c = d->columns.v[i];
        const Type *t = c->type ? c->type->resolved : NULL;
        if (c->null_mod == 1 && t)
            t = type_wrap(&pl->project->types, TY_NULLABLE, t);
        if (t && t->kind == TY_NESTED) {
            nested_state_columns(pl, c, t, s);
            continue;
        }
        *LIST_PUSH(a, &s->columns) = (PrevColumn){name_cstr(a, c->name), t ? t->name : "Unknown"};
    }
}

/* A view's or MV's columns as the server lists them: an MV's own column
 * list where it has one, else its query's outputs. */
static void view_shape(Arena *a, const Object *o, PrevColumnList *out)
{
    const Decl *d = o ? o->decl : NULL;
    if (d && d->columns.n) {
        LIST_RESERVE(a, out, d->columns.n);
        for (int i = 0; i < d->columns.n; i++) {
            const Type *t = d->columns.v[i]->type ? d->columns.v[i]->type->resolved : NULL;
            *LIST_PUSH(a, out) = (PrevColumn){name_cstr(a, d->columns.v[i]->name), t ? t->name : "Unknown"};
        }
        return;
    }
    LIST_RESERVE(a, out, o ? o->columns.n : 0);
    for (int i = 0; o && i < o->columns.n; i++) {
        const OutColumn *c = &o->columns.v[i];
        *LIST_PUSH(a, out) = (PrevColumn){name_cstr(a, c->name), c->type ? c->type->name : "Unknown"};
    }
}

/* The plan names sources relative to the directory mvdc runs in, never
 * absolutely: the same checkout gives the same bytes on every machine. */
static const char *relative_path(Arena *a, const SourceFile *f)
{
    char *full = realpath(f->path, NULL), *cwd = getcwd(NULL, 0);
    const char *path = f->path;
    if (full && cwd) {
        size_t common = 0, i = 0;
        for (; full[i] && cwd[i] && full[i] == cwd[i]; i++)
            if (full[i] == '/')
                common = i;
        if (!cwd[i] && full[i] == '/')
            common = i; /* cwd is a prefix of the file's directory */
        StrBuf b = {0};
        for (const char *c = cwd + common; *c; c++)
            if (*c == '/')
                strbuf_puts(&b, "../");
        strbuf_puts(&b, full + common + 1);
        path = arena_strndup(a, b.s, b.len);
        strbuf_free(&b);
    }
    free(full);
    free(cwd);
    return path;
}

/* Computed once per file: realpath() walks every component of the path,
 * and a project has hundreds of objects per file. */
const char *hash_source_path(Plan *pl, const SourceFile *f)
{
    Arena *a = &pl->project->arena;
    if (!pl->source_paths.arena)
        strmap_init(&pl->source_paths, a);
    size_t n = strlen(f->path);
    const char *path = strmap_get(&pl->source_paths, f->path, n);
    if (!path)
        path = strmap_put(&pl->source_paths, f->path, n, (void *)relative_path(a, f));
    return path;
}

/* The declaring file only, no line: a line added above the declaration
 * is another object's change and must not show in this object's steps
 * (docs/plan-format.md). The path map is made before the threads start
 * (hash_start), so this only reads it. */
static const char *source_location(Plan *pl, const Decl *d)
{
    return hash_source_path(pl, d->file);
}

static const char *printed_qname(Arena *a, const Decl *d)
{
    StrBuf b = {0};
    Printer p = printer(&b, d, PRINT_SQL);
    if (d->kind == DECL_DATABASE || d->kind == DECL_FUNCTION)
        print_name(&p, d->name.name);
    else
        print_qname(&p, &d->name);
    const char *s = arena_strndup(a, b.s ? b.s : "", b.len);
    strbuf_free(&b);
    return s;
}

/* What one thread of the printing works with. */
typedef struct HashWorker {
    Arena arena;       /* joins the project's when all are done */
    Arena scratch;
    Sha256Many *hasher;
    StrBuf stmt, uses;
} HashWorker;

typedef struct Hashing {
    Plan *pl;
    ParallelJob *job;  /* printing, until hash_wait */
    int nworkers;
    LIST_OF(Managed *) views; /* hash_views' items */
    HashWorker workers[PARALLEL_MAX_WORKERS];
} Hashing;

/* The hash of m's CREATE without the plan's words (IF NOT EXISTS, ON
 * CLUSTER), followed by `uses`. */
static void hash_create(HashWorker *w, Managed *m, const char *uses, size_t uses_len)
{
    const char *stmt = m->create;
    const SqlPlanWords *words = &m->words;
    const void *piece[] = {stmt, stmt + words->end[0], stmt + words->end[1], uses};
    size_t piece_len[] = {words->start[0], words->start[1] - words->end[0], m->canonical_len - words->end[1],
                          uses_len};
    sha256_many_pieces(w->hasher, piece, piece_len, 4, m->hash);
}

/* Prints the object's CREATE once, as the plan's setup step has it, and
 * hashes it unless it is a view's or an MV's (hash_views). Reads only the
 * syntax tree, which the checks do not change: this runs while they do.
 * Touches only m and the worker's own state. */
static void print_one(void *ctx, int worker, int item)
{
    Hashing *h = ctx;
    HashWorker *w = &h->workers[worker];
    Managed *m = &h->pl->objects.v[item];
    const Decl *d = m->decl;
    m->kind = kind_word(d);
    m->qname = printed_qname(&w->arena, d);
    m->src = source_location(h->pl, d);
    if (d->kind == DECL_TABLE)
        m->shape_from_decl = table_shape_plain(d);
    StrBuf *stmt = &w->stmt;
    stmt->len = 0;
    Printer p = printer(stmt, d, PRINT_SQL);
    sql_create(&p, d, (SqlStyle){.if_not_exists = true, .cluster = h->pl->cluster, .words = &m->words});
    m->canonical_len = stmt->len;
    strbuf_putc(stmt, ';');
    m->create = arena_strndup(&w->arena, stmt->s, stmt->len);
    sha256_many_hex(w->hasher, stmt->s, stmt->len, m->create_sha);
    if (d->kind == DECL_MV && d->lineage.pushes_to.n) {
        stmt->len = 0;
        Printer t = printer(stmt, d, PRINT_SQL);
        print_qname(&t, &d->lineage.pushes_to.v[0]);
        m->target = arena_strndup(&w->arena, stmt->s, stmt->len);
    }
    if (d->kind != DECL_DATABASE && d->kind != DECL_VIEW && d->kind != DECL_MV)
        hash_create(w, m, "", 0);
}

/* Printing and hashing is most of planning a fresh project; worth a
 * thread per this many objects, or views (which take longer: the columns
 * they use are found by walking their queries). */
enum { OBJECTS_PER_WORKER = 2000, VIEWS_PER_WORKER = 500 };

void hash_start(Plan *pl)
{
    Project *p = pl->project;
    /* What the threads would otherwise build lazily, and so together. */
    for (int i = 0; i < pl->objects.n; i++) {
        SourceFile *f = pl->objects.v[i].decl->file;
        int line, col;
        source_position(&p->arena, f, 0, &line, &col);
        hash_source_path(pl, f);
    }
    Hashing *h = arena_zalloc(&p->arena, sizeof *h);
    h->pl = pl;
    h->nworkers = parallel_workers(p->max_threads, pl->objects.n, (size_t)pl->objects.n, OBJECTS_PER_WORKER);
    for (int t = 0; t < h->nworkers; t++)
        h->workers[t].hasher = sha256_many_new();
    h->job = parallel_start(&p->arena, pl->objects.n, h->nworkers, print_one, h);
    pl->hashing = h;
}

void hash_wait(Plan *pl)
{
    Hashing *h = pl->hashing;
    if (h && h->job) {
        parallel_join(h->job);
        h->job = NULL;
    }
}

/* A view's or MV's hash covers the columns it uses, its shape the
 * columns it outputs: both known once the project is checked. */
static void hash_view_one(void *ctx, int worker, int item)
{
    Hashing *h = ctx;
    HashWorker *w = &h->workers[worker];
    Managed *m = h->views.v[item];
    view_shape(&w->arena, m->obj, &m->shape);
    w->uses.len = 0;
    hash_view(&w->scratch, m, &w->uses);
    hash_create(w, m, w->uses.s, w->uses.len);
}

void hash_views(Plan *pl)
{
    Hashing *h = pl->hashing;
    Arena *a = &pl->project->arena;
    for (int i = 0; i < pl->objects.n; i++) {
        DeclKind k = pl->objects.v[i].decl->kind;
        if (k == DECL_VIEW || k == DECL_MV)
            *LIST_PUSH(a, &h->views) = &pl->objects.v[i];
    }
    int nworkers = parallel_workers(h->nworkers, h->views.n, (size_t)h->views.n, VIEWS_PER_WORKER);
    parallel_for(h->views.n, nworkers, hash_view_one, h);
    hash_release(pl);
}

void hash_release(Plan *pl)
{
    Hashing *h = pl->hashing;
    if (!h)
        return;
    hash_wait(pl);
    for (int t = 0; t < h->nworkers; t++) {
        HashWorker *w = &h->workers[t];
        arena_adopt(&pl->project->arena, &w->arena);
        arena_free(&w->scratch);
        strbuf_free(&w->stmt);
        strbuf_free(&w->uses);
        sha256_many_free(w->hasher);
    }
    pl->hashing = NULL;
}
