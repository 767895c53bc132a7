/* The parts of `mvdc import` (import.h), shared between its files; each
 * exported name starts with its file's name.
 *
 *   import.c      the command line and the run
 *   chain.c       the SRC files in sorted path order, and their text as
 *                 ClickHouse would run it (goose Up only, ${VAR} replaced)
 *   statements.c  a file cut into statements
 *   cursor.c      a cursor over a statement's tokens
 *   wrap.c        a piece of ClickHouse DDL parsed by the .mvd parser
 *   replay.c      each statement applied to the state (the objects so far):
 *   replay_create.c, replay_alter.c, replay_drop.c, replay_rename.c
 *   replay_time_series.c  CREATE TABLE ... ENGINE = TimeSeries
 *   replay_function.c  CREATE and DROP FUNCTION (SQL UDFs; global, so
 *                 kept apart from the objects of databases)
 *   object.c      the state's objects by name
 *   ctas.c        CREATE TABLE ... AS SELECT: the query's columns, typed
 *   query.c       a view's query: names qualified, SELECT * expanded,
 *                 pulls_from derived
 *   write.c       the final state printed as .mvd files, one per database
 *   server.c      --url: the chain read from a live server's system tables
 *                 (the one file of mvdc that connects to anything)
 *
 * Every node of the state points into the synthetic source it was parsed
 * from (wrap.c); each table element and clause carries that source, so the
 * printer can be given the right text for each. */
#ifndef MVD_IMP_H
#define MVD_IMP_H

#include <stdbool.h>

#include "syntax/ast.h"
#include "syntax/diag.h"
#include "syntax/lexer.h"
#include "syntax/source.h"
#include "strbuf.h"
#include "base/strmap.h"

/* ---- Statements and tokens ---- */

typedef struct Tok {
    int type;  /* TK_* */
    Token t;
} Tok;
typedef LIST_OF(Tok) TokList;

typedef struct Stmt {
    SourceFile *file;
    TokList toks;   /* without the closing `;` */
    Span span;      /* first token to last */
} Stmt;
typedef LIST_OF(Stmt) StmtList;
typedef LIST_OF(char *) PathList;

/* A cursor over one statement's tokens. */
typedef struct Cur {
    const Stmt *st;
    int i;
} Cur;

bool cursor_is(const Cur *c, const char *word);       /* the current token is word (any case) */
bool cursor_accept(Cur *c, const char *word);         /* is + advance */
bool cursor_accept_seq(Cur *c, const char *words);    /* "IF NOT EXISTS": all or nothing */
bool cursor_at_end(const Cur *c);
const Tok *cursor_tok(const Cur *c);                  /* the current token, NULL at the end */
Span cursor_span(const Cur *c);                       /* its span (the statement's end at the end) */
/* A name token (identifier, keyword used as a name, or quoted). */
bool cursor_name(Cur *c, Arena *a, Name *out);
/* [db.]name; db NULL-named when not written. */
bool cursor_qname(Cur *c, Arena *a, QName *out);
/* Skips ON CLUSTER name, when there. */
void cursor_skip_cluster(Cur *c);
/* The index of the token that closes the bracket at i (or the end). */
int cursor_match(const Stmt *st, int i);

/* Cuts f into statements (appended to out); lexical errors are reported,
 * and the number of statements they broke is returned. */
int statements_cut(Arena *a, Diags *d, SourceFile *f, StmtList *out);

/* ---- The state: what the chain has created so far ---- */

typedef enum ImpKind { IMP_TABLE, IMP_VIEW, IMP_MV, IMP_DICTIONARY, IMP_FUNCTION } ImpKind;

/* A table element or clause, and the text its nodes point into. */
typedef struct Elem {
    uint8_t what;      /* 0 column, 1 index, 2 constraint, 3 projection */
    void *node;
    const char *src;
} Elem;
typedef LIST_OF(Elem) ElemList;

typedef struct ClauseAt {
    Clause c;
    const char *src;
} ClauseAt;
typedef LIST_OF(ClauseAt) ClauseAtList;

typedef struct ImpObject {
    uint8_t kind;      /* ImpKind */
    QName name;        /* always qualified */
    char *key;         /* "db.name" */
    SourceFile *file;  /* where the chain created it */
    Span where;
    int seq;           /* creation order */
    ElemList elems;    /* TABLE */
    ClauseAtList clauses;
    Decl *decl;        /* VIEW, MV: lineage and query; DICTIONARY, FUNCTION: all of it */
    const char *src;   /* VIEW, MV, DICTIONARY, FUNCTION: the text decl points into */
    bool dropped;
    struct ImpObject *copy_of; /* TABLE made by CREATE TABLE x AS y: y */
} ImpObject;
typedef LIST_OF(ImpObject *) ObjList;

typedef struct ImpDefine {
    const char *name, *value;
} ImpDefine;

typedef struct Import {
    Arena arena;
    Diags diags;
    StrMap objects;      /* key -> ImpObject (the live one) */
    ObjList all;         /* every object ever created, in order */
    ObjList functions;   /* every SQL UDF ever created (name.db empty), in order */
    PathList databases;
    const char *default_db; /* --database, then USE */
    const char *clickhouse; /* --clickhouse */
    const char *cluster;    /* the chain's ON CLUSTER, for `option cluster` */
    LIST_OF(ImpDefine) defines;
    int seq;
    int statements, applied, skipped, not_imported;
    bool server;            /* --url: the statements are the server's */
} Import;

/* ---- Files ---- */

/* The .sql files of a SRC in sorted order (down migrations left out);
 * false with a message when it cannot be read. */
bool chain_collect(Import *im, const char *path, PathList *out);
/* The file's text as the chain runs it; NULL with a message on failure. */
SourceFile *chain_read(Import *im, const char *path);

/* ---- A live server (--url) ---- */

typedef struct ImpServer {
    const char *url;             /* http://, https:// or chdb:PATH */
    const char *user;            /* --user, else $CLICKHOUSE_USER */
    const char *password_file;   /* else $CLICKHOUSE_PASSWORD */
    const char *cacert;
    bool insecure;
    const char *registry;        /* mvd's registry database, left out */
    LIST_OF(const char *) databases; /* --database: only these (none: all) */
} ImpServer;

/* Replays the CREATE statements of the server's databases, tables and
 * views; false after saying why when the server cannot be read. */
bool server_replay(Import *im, const ImpServer *args);
/* A setting the server writes into every MergeTree's statement with its
 * default value (index_granularity = 8192), left out of an import from a
 * server so that it equals the import of the DDL that made the table. */
bool server_added_setting(const Import *im, const Setting *set, const char *src);

/* ---- Parsing pieces with the .mvd parser ---- */

/* Parses st's text [from, to) with prefix before it and suffix after,
 * keeping the piece's line and column for diagnostics. NULL when it does
 * not parse (the parser has reported why). */
Decl *wrap_piece(Import *im, const Stmt *st, uint32_t from, uint32_t to,
                      const char *prefix, const char *suffix, const char **src);
/* The same for a SELECT. */
Select *wrap_select(Import *im, const Stmt *st, uint32_t from, uint32_t to, const char **src);
/* The same, with the file it parsed (its text is the piece's, kept at
 * its line and column). */
Select *wrap_query(Import *im, const Stmt *st, uint32_t from, uint32_t to, SourceFile **file);
/* Text of a column printed from its own source, parsed again as one node. */
Column *wrap_column(Import *im, const char *text, const char **src);

/* ---- Replay ---- */

void replay_statement(Import *im, const Stmt *st);
void replay_create(Import *im, const Stmt *st, Cur *c, bool replace);
void replay_alter(Import *im, const Stmt *st, Cur *c);
void replay_drop(Import *im, const Stmt *st, Cur *c);
void replay_rename(Import *im, const Stmt *st, Cur *c);
void replay_exchange(Import *im, const Stmt *st, Cur *c);
/* A CREATE TABLE whose engine is TimeSeries, c after its name: its
 * columns and clauses into o (replay_time_series.c); false after a report. */
bool replay_time_series_is(const Cur *c);
bool replay_time_series_create(Import *im, const Stmt *st, Cur *c, ImpObject *o);
/* CREATE [OR REPLACE] FUNCTION, c after FUNCTION; DROP FUNCTION likewise. */
void replay_function_create(Import *im, const Stmt *st, Cur *c, bool replace);
void replay_function_drop(Import *im, const Stmt *st, Cur *c);
/* Views whose CREATE called a function a later statement replaced or
 * dropped: the server keeps the body of then, the .mvd calls the name. */
void replay_function_report_stale(Import *im);

ImpObject *object_find(Import *im, const QName *q);
ImpObject *object_new(Import *im, ImpKind kind, QName name, const Stmt *st);
/* Makes o the live object of its name (the one there before is dropped). */
void object_register(Import *im, ImpObject *o);
void object_unregister(Import *im, ImpObject *o);
void object_drop(Import *im, ImpObject *o);
void object_rename(Import *im, ImpObject *o, QName to);
/* A table without an engine, or of a MergeTree engine: stored as a
 * CREATE TABLE ... AS copies indexes, projections and TTLs into. */
bool imp_stored_like_merge_tree(const ImpObject *o);
/* db.name with the default database filled in. */
QName object_qualify(Import *im, QName q);
void object_add_database(Import *im, Name db);
/* Reports what could not be imported (check name `import`). */
Diag *replay_error(Import *im, SourceFile *f, Span span, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
char *object_key(Arena *a, const QName *q);
Name object_name(Arena *a, const char *s);

/* ---- CREATE TABLE ... [EMPTY] AS SELECT (ctas.c) ---- */

/* The token of `[EMPTY] AS SELECT|WITH|(` at the top level from c on;
 * -1 when there is none. */
int ctas_find(const Cur *c);
/* The first token of the query after the `[EMPTY] AS` at i. */
int ctas_query(const Stmt *st, int i);
/* The query's output columns (name and type, as ClickHouse makes them)
 * appended to o's; false after a report (the statement not imported). */
bool ctas_columns(Import *im, const Stmt *st, int query, ImpObject *o);

/* ---- Queries ---- */

/* Qualifies the query's table names with db (the default at creation),
 * expands SELECT *, and fills d->lineage.pulls_from (with the dictionaries
 * its dictGet calls name); src is the text the query points into. stored
 * (NULL: none) is the view's column list as a server keeps it: `*`
 * expands to those of the source's columns only. */
void query_resolve(Import *im, Decl *d, const char *db, const char *src, const NameList *stored);
/* The names of an object's columns, as SELECT * gives them. */
bool query_star_columns(Import *im, ImpObject *o, NameList *out);
/* A name the column list `list` of a view has and its query's outputs
 * lack, or the reverse (into *odd, with *in_list saying which side has
 * it); false when they are the same names or an output has no name. */
bool query_list_differs(Arena *a, const Select *q, const NameList *list, Name *odd, bool *in_list);

/* ---- Output ---- */

int write_project(Import *im, const char *outdir);
/* The .mvd text of database db's objects as they are now (NULL: no
 * database, only the global part); first: with the options and the
 * functions. */
char *write_database_text(Import *im, const char *db, bool first);

#endif
