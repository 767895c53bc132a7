/* Scopes: what a name inside one SELECT can mean. A scope holds the
 * relations of its FROM clause (tables, views, CTEs, subqueries, table
 * functions, ARRAY JOIN items), the aliases defined anywhere in the SELECT
 * (ClickHouse lets an alias be used before and after its definition), the
 * CTEs of its WITH, and the parameters of the lambdas being resolved.
 *
 * Lookups err on the side of accepting: a name is unknown only when no
 * relation could hold it. An opaque relation (a table function, a source
 * that failed to resolve) accepts every name. */
#ifndef MVD_SCOPE_H
#define MVD_SCOPE_H

#include "project/project.h"

typedef struct Relation {
    Name alias;                 /* `AS e`, or empty */
    Name table;                 /* table, view or CTE name; empty for subqueries */
    Name db;                    /* the object's database, for db.t.col */
    const OutColumnList *cols;  /* NULL when opaque */
} Relation;

typedef struct AliasDef {
    Name name;
    Expr *expr;
} AliasDef;

typedef struct Cte {
    Name name;
    Select *query;
    struct Scope *scope;   /* where it was defined: its own names resolve there */
    OutColumnList cols;
    bool known;
    bool recursive; /* WITH RECURSIVE: its body may read it */
    NameList columns; /* WITH t(a, b) AS (...): its columns renamed */
    ResolveState state;
} Cte;

typedef struct Scope {
    struct Scope *parent;
    LIST_OF(Relation) rels;
    LIST_OF(AliasDef) aliases;
    LIST_OF(Cte *) ctes;
    NameList lambda;
    FromList *from;  /* this SELECT's FROM, while its items are added */
    const WindowDefList *windows; /* its WINDOW clause */
    int joined;      /* how many of them are in rels so far */
} Scope;

typedef enum Lookup {
    LOOKUP_FOUND,
    LOOKUP_UNKNOWN_COLUMN,   /* no relation in reach has it */
    LOOKUP_UNKNOWN_RELATION, /* `x.col` where x is neither a relation nor a column */
    LOOKUP_NO_SUCH_COLUMN    /* `t.col` where t is a relation without col */
} Lookup;

/* Looks a column path up; on LOOKUP_NO_SUCH_COLUMN *rel is the relation
 * and *bad the index of the part that failed. */
Lookup scope_lookup(const Scope *sc, const NameList *parts, const Relation **rel, int *bad);
/* The type of the column a found path names: NULL when not known (an
 * alias, a lambda parameter, an opaque source, a subcolumn). */
const Type *scope_column_type(const Scope *sc, const NameList *parts);
/* The source column a found path names (NULL as for scope_column_type). */
const OutColumn *scope_column(const Scope *sc, const NameList *parts);
/* The same, looking through aliases to the sources' columns: what a name
 * means inside its own alias's expression (`sum(b) AS b`). */
const OutColumn *scope_source_column(const Scope *sc, const NameList *parts);
/* How many leading parts of a path name its relation: 2 for db.t.col,
 * 1 for t.col, 0 for col or col.field (ClickHouse names an output
 * `t.tup.a` as `tup.a`, the path without them). */
int scope_qualifier_parts(const Scope *sc, const NameList *parts);
/* The column whose name is the path's parts after its relation, joined
 * with dots: `n.a` of a Nested n, however the path is quoted. */
const OutColumn *scope_dotted_column(const Scope *sc, const NameList *parts);
const AliasDef *scope_find_alias(const Scope *sc, Name name);
Cte *scope_find_cte(const Scope *sc, Name name);
/* Every name a typo could have meant: columns, aliases, lambda params. */
NameList scope_candidates(Arena *a, const Scope *sc);
bool scope_relation_has(const Relation *r, Name col);

#endif
