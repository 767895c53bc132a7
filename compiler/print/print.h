/* The canonical printer: SQL text from the AST, never from the source text.
 *
 * One printer serves three users, so that they can never disagree:
 *   - the plan's statements (PRINT_SQL: every table name qualified);
 *   - object hashes (the same text, hashed: formatting and comments in the
 *     sources never change it, a string literal's case always does);
 *   - `mvdc fmt` (PRINT_MVD: names kept as written).
 *
 * Canonical means: keywords upper-case, one clause per line in ClickHouse's
 * order, operators spaced, parentheses only where precedence needs them,
 * string literals re-quoted in one spelling ('...' with backslash escapes),
 * `T NULL` written Nullable(T). Where ClickHouse reads two spellings
 * differently the spelling is kept: `x::T` (the text of a literal before
 * `::`), `(a AND b) AND c` (two calls, not one of three arguments), `-(1)`,
 * a bare unit word in date_add(DAY, ...). tests/printer/differential.py
 * proves it against chDB's EXPLAIN AST. */
#ifndef MVD_PRINT_H
#define MVD_PRINT_H

#include "syntax/ast.h"
#include "strbuf.h"

typedef enum PrintMode { PRINT_SQL, PRINT_MVD } PrintMode;

enum { PRINT_MAX_CTE_SCOPES = 32 };

typedef struct Printer {
    StrBuf *out;
    const char *src;  /* the text of the file the nodes point into */
    PrintMode mode;
    Name db;          /* PRINT_SQL: the database of unqualified table names */
    Name table_db;    /* PRINT_SQL, a CREATE TABLE: its database, for currentDatabase() in its engine */
    int indent;       /* in steps of four spaces */
    /* The WITH lists in force: a FROM name that is a CTE is not qualified. */
    const WithList *ctes[PRINT_MAX_CTE_SCOPES];
    int nctes;
    /* PRINT_MVD: backquote every keyword used as a name, not only the
     * reserved ones (fmt.c falls back to it when the lighter quoting
     * would not parse back). */
    bool quote_keywords;
    int column_width; /* PRINT_MVD: a table's column names padded to it */
    /* PRINT_SQL, a `backfill by` MV's time cutoff: print_select adds
     * `AND <cutoff_by> <cutoff_test>` to the WHERE of the outermost SELECT
     * (plan.c), then clears it, so that subqueries do not get it; with
     * cutoff_grouped, `AND (<cutoff_by> <cutoff_test>)` (a test with an OR);
     * with an empty cutoff_by, `AND <cutoff_test>` (a test that names its
     * column itself). */
    Name cutoff_by;
    const char *cutoff_test;
    bool cutoff_grouped;
    /* PRINT_SQL: a one-part column name among these `qualify` names prints
     * as `qualifier.name` (an MV's bridge query, plan/rename_bridge.c: the
     * source's column, never the output of that name); so does one
     * qualified already, `qualifier.name`, with what follows. */
    const char *const *qualify;
    int nqualify;
    Name qualifier;
    /* With qualify (an MV's source bridge, plan/source_bridge.c): where
     * renamed_from[i] is set, that column prints as
     * `identity(COLUMNS('^(old|name)$'))`, whichever of the two names the
     * source has when the query runs; where cast_to[i] is, it prints cast
     * to that type, `CAST(qualifier.name AS type)`. */
    const char *const *cast_to;
    const char *const *renamed_from;
    /* With cast_to: where unnulled[i] is set, the column stops being
     * Nullable, and prints as `ifNull(CAST(qualifier.name AS
     * Nullable(type)), defaultValueOfTypeName('type'))`: its NULLs as the
     * default the plan's ALTER gives them (plan/alter.c). */
    const bool *unnulled;
    /* With unnulled: where unnull_default[i] is set (the column's own
     * constant DEFAULT, as SQL), it prints as `CAST(ifNull(qualifier.name,
     * DEFAULT) AS type)` instead, the ALTER's own conversion. */
    const char *const *unnull_default;
    /* With qualify: where aliased[i] is set, the query names an alias so,
     * and a reference outside that alias's own expression is the alias
     * (an alias wins over a column), printed as written. */
    const bool *aliased;
    Name own_alias; /* the alias whose expression is being printed */
    /* PRINT_SQL, an MV's bridge reading tables of a join through
     * subqueries (plan/source_bridge.c): the FROM item bridge_from[i]
     * prints as `(bridge_query[i]) AS name`, that query by
     * bridge_printer[i], which reads the table's retyped and renamed
     * columns as the bridge does. */
    const FromItem *const *bridge_from;
    const Select *const *bridge_query;
    const struct Printer *bridge_printer;
    int nbridge_from;
} Printer;

void print_name(Printer *p, Name n);             /* quoted when it must be */
/* Static text (keywords, punctuation): as given for SQL; in PRINT_MVD its
 * all-capital words in lower case, the style of .mvd sources. */
void print_text(Printer *p, const char *s);
void print_quoted_name(Printer *p, Name n);      /* always `quoted` */
/* `s` with ` and \ escaped and control bytes as \xHH, into b. */
void print_quoted_chars(StrBuf *b, const char *s, size_t len);
void print_qname(Printer *p, const QName *q);    /* qualified in PRINT_SQL */
/* Re-quoted; a `---` doc comment's span prints as the literal it stands for. */
void print_string_literal(Printer *p, const char *text, size_t len);
void print_type(Printer *p, const TypeExpr *t);
void print_expr(Printer *p, const Expr *e);
/* An expression that stands alone after its keyword (a table's key, a
 * column's DEFAULT), in the parentheses written around it, if any. */
void print_expr_as_written(Printer *p, const Expr *e);
/* A SELECT (with its UNION chain) over several lines. The first line
 * continues the current one; the others are indented by p->indent. */
void print_select(Printer *p, const Select *q);
void print_newline(Printer *p);                  /* `\n` and the indentation */

/* Table parts, shared by CREATE TABLE, ALTER TABLE and `mvdc fmt`. */
void print_column(Printer *p, const Column *c);           /* name Type mods */
void print_column_type(Printer *p, const Column *c);      /* `T NULL` as Nullable(T) */
void print_column_mods(Printer *p, const ColumnMods *m);  /* DEFAULT ... COMMENT ... */
void print_index(Printer *p, const TableIndex *ix);         /* INDEX name expr TYPE t ... */
void print_constraint(Printer *p, const Constraint *c);     /* CONSTRAINT name CHECK expr */
void print_projection(Printer *p, const Projection *pr);    /* PROJECTION name (SELECT ...) */
void print_table_body(Printer *p, const Decl *d, bool trailing_comma);
void print_clause(Printer *p, const Clause *c);
void print_clauses(Printer *p, const ClauseList *clauses); /* canonical order, one per line */
void print_dictionary_clauses(Printer *p, const ClauseList *clauses); /* a dictionary's, likewise */

/* A .mvd declaration, canonically (`mvdc fmt`, the manifest's @def). */
void print_mvd_decl(Printer *p, const Decl *d);

/* Whether the name can be written without backquotes. */
bool print_name_is_plain(Name n);

#endif
