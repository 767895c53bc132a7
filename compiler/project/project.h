/* A project: every .mvd file under the given paths, parsed, and the model
 * the later passes build from it: the options, the managed databases and
 * one Object per declared table, view, materialized view or function.
 * The passes that fill it in live in check/ (check/check.h lists them in
 * order); this folder only finds, reads and parses the files:
 *   project.c      find the files, read options and default databases
 *   parse_files.c  parse them, several at a time
 *   library.c      the embedded standard library, parsed first */
#ifndef MVD_PROJECT_H
#define MVD_PROJECT_H

#include <stdbool.h>
#include <string.h>

#include "syntax/ast.h"
#include "syntax/diag.h"
#include "syntax/source.h"
#include "base/strmap.h"
#include "project/types.h"

typedef enum ObjectKind {
    OBJ_TABLE, OBJ_EXTERNAL, OBJ_VIEW, OBJ_MV, OBJ_FUNCTION, OBJ_AGGREGATE, OBJ_DROPPED,
    OBJ_DICTIONARY,
    OBJ_BROKEN /* its declaration has a syntax error: uses of it say nothing more */
} ObjectKind;

/* A column an object offers to queries that read it. */
typedef struct OutColumn {
    Name name;
    const Type *type;   /* NULL while unknown */
    union {
        Column *decl; /* tables: the declaration */
        Expr *expr;   /* views and subqueries: the SELECT item */
    } origin;
    bool from_table;
    bool ordinary;    /* part of `SELECT *` (not MATERIALIZED/ALIAS/EPHEMERAL) */
    bool never_null;  /* Nullable, but never NULL: a SELECT item (infer_never_null), Kafka's _timestamp */
    /* A table's Nested column n (flatten_nested, ClickHouse's default):
     * the table stores it as one column n.a Array(T) per field, which `*`
     * lists and an insert writes (nested_field); n itself can still be
     * read whole, but is no column an insert writes (nested_whole). */
    bool nested_whole;
    bool nested_field;
} OutColumn;
typedef LIST_OF(OutColumn) OutColumnList;

typedef struct Object Object;
typedef LIST_OF(Object *) ObjectList;

typedef enum ResolveState { RS_NONE, RS_RUNNING, RS_DONE } ResolveState;

struct Object {
    ObjectKind kind;
    Decl *decl;
    Name db;
    Name name;
    const char *qname;    /* "db.name", NUL-terminated */
    ObjectList pulls;     /* resolved pulls_from (NULL where unknown) */
    Object *target;       /* resolved pushes_to */
    OutColumnList columns;
    bool columns_known;   /* false: accept any column (unknown output) */
    ResolveState state;
    ObjectList reads;     /* objects its SELECT reads, first use order */
    Object *trigger;      /* MV: the table whose inserts fire it */
    /* Functions and aggregates */
    Object *overload;     /* the next declaration of the same name */
    const struct SigSet *signatures; /* its name's compiled signatures, once asked (signature.c) */
    int since_major, since_minor; /* the version that introduced it; 0 unknown */
    int managed;          /* plan.c: 1 + its index in Plan.objects; 0: not managed */
    int graph_node;       /* cycle.c: 1 + its index in the graph; 0: not in it */
};

/* option keep_versions's default: a plan upgrades each object from its 20
 * latest earlier versions. Counted per object, in versions of that object,
 * so a table that changes every release keeps 20 releases and one that
 * never changes costs nothing (docs/plan-format.md, "Retention"). */
#define PROJECT_KEEP_VERSIONS 20

typedef struct Options {
    Decl *cluster, *clickhouse, *registry, *keep_versions;
    int version_major, version_minor; /* option clickhouse, default 24.8 */
    int keep;             /* option keep_versions: earlier versions a plan upgrades from */
} Options;

typedef LIST_OF(SourceFile *) SourceList;

typedef struct Project {
    Arena arena;
    Arena scratch;        /* per-query temporaries of the resolver */
    int max_threads;      /* parse_files, hash_start: 0 one per core */
    Diags diags;
    SourceList files;
    DeclList decls;
    Options options;
    StrMap objects;       /* "db.name" -> Object */
    StrMap databases;     /* managed database name -> its first Decl */
    StrMap functions;     /* function and aggregate name -> Object */
    StrMap functions_ci;  /* lower-cased names of case-insensitive ones */
    ObjectList object_list; /* in declaration order */
    TypeTable types;
} Project;

void project_init(Project *p);
void project_free(Project *p);
/* Loads every *.mvd file under the paths (files or directories, in sorted
 * path order) and parses them. Returns false when a path cannot be read;
 * the reason is printed on stderr. */
bool project_load(Project *p, char *const *paths, int npaths);
/* Adds one in-memory file (tests, fuzzing); text[len] must be NUL. */
void project_load_text(Project *p, const char *path, const char *text, size_t len);
/* Parses files already in p->files, on several threads when they are
 * big enough to be worth it (parse_files.c). */
void parse_files(Project *p, SourceFile *const *files, int n);
/* Reads the `option` declarations (check/check.h runs it first). */
void project_read_options(Project *p);
/* mvrun owns the registry database: not a managed database, no `drop table` in it. */
void project_check_registry(Project *p);

/* ---- Shared by the passes ---- */

/* The database a name in decl's file means: its own, or the file's
 * current `database`; s == NULL when there is none. */
Name project_db_of(const Decl *decl, const QName *q);
Object *project_lookup(Project *p, Name db, Name name);
/* A function or aggregate by the name a call uses; NULL when unknown. */
Object *project_function(Project *p, Name name);
/* Loads the standard library (embedded, or from dir); then project_load. */
bool project_load_library(Project *p, const char *dir);

#endif
