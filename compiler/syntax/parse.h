/* Parsing: drives the re2c lexer and the Lemon parser over one file,
 * recovering at the next `;` after a syntax error so that one run reports
 * every broken statement. Also the helpers the grammar's actions call. */
#ifndef MVD_PARSE_H
#define MVD_PARSE_H

#include <stdbool.h>

#include "syntax/ast.h"
#include "syntax/diag.h"
#include "syntax/lexer.h"
#include "syntax/source.h"
#include "base/strmap.h"

typedef LIST_OF(Span) SpanList;

typedef struct Parse {
    Arena *arena;
    Arena scratch;    /* lists being built; released at every `;` */
    Diags *diags;
    SourceFile *file;
    const char *src;
    DeclList *decls;  /* statements, in source order */
    Select *select;   /* the result of parse_select_source */
    Token last;       /* the last token the parser consumed */
    SpanList docs;    /* `---` comments, in source order */
    StrMap types;     /* type text -> TypeExpr: identical spellings share a node */
    bool failed;      /* a syntax error in the current statement */
    int error_major;  /* the token Lemon refused; -1 for too deep nesting, -2 for too deep an expression */
    Token error_token;
    int lex_error;    /* enum LexError, when error_major is TK_ILLEGAL */
} Parse;

/* Parses one .mvd file, appending its statements to *out. */
void parse_file(Arena *a, Diags *d, SourceFile *f, DeclList *out);
/* The same without the checks of the file's bytes (UTF-8, BOM). */
void parse_source(Arena *a, Diags *d, SourceFile *f, DeclList *out);
/* Parses a lone SELECT body (no trailing `;`); NULL on a syntax error. */
Select *parse_select_source(Arena *a, Diags *d, SourceFile *f);
/* Whether a plain word ([A-Za-z_][A-Za-z0-9_]*) is a keyword of the
 * grammar (SELECT, FROM, date, key, ...): the printer quotes those. */
bool parse_word_is_reserved(const char *s, size_t len);
/* Whether a name must be quoted in a .mvd source: a keyword that the
 * grammar never reads as a name. */
bool parse_word_needs_quotes(const char *s, size_t len);

/* ---- Values of the grammar's helper nonterminals ---- */

typedef struct SetOp { int kind; Span span; } SetOp;
typedef struct UnionTail { Select *head; SetOp op; } UnionTail;
typedef struct DistinctSpec { bool on; ExprList exprs; } DistinctSpec;
typedef struct JoinCond { Expr *on; NameList cols; } JoinCond;
typedef struct SampleSpec { Expr *ratio; Expr *offset; } SampleSpec;
typedef struct Interpolate { ExprList list; bool on; } Interpolate;
typedef struct OrderBy { OrderList items; bool all; bool desc; uint8_t nulls; Interpolate interpolate; } OrderBy;
typedef struct WithSpec { WithList list; bool recursive; } WithSpec;
typedef struct ExplainSpec { int kind; Select *query; SettingList settings; } ExplainSpec;
typedef struct CallArgs { ExprList list; int flags; } CallArgs;

/* ---- Called by the grammar's actions ---- */

/* A declaration from the fields its rule knows (a compound literal), with
 * its file, start and doc comment. */
Decl *parse_decl(Parse *p, uint32_t first_off, Decl fields);
/* A table or external table: its columns and other elements kept out of
 * the parser's scratch memory. */
Decl *parse_table(Parse *p, uint32_t first_off, DeclKind kind, QName name, TableBody *body, ClauseList clauses);
/* A table marked `local`: Decl.local set. */
Decl *parse_local_table(Parse *p, uint32_t first_off, QName name, TableBody *body, ClauseList clauses);
void parse_add_decl(Parse *p, Decl *d, Span semicolon);
Span parse_last_span(Parse *p);
Span parse_doc_before(Parse *p, uint32_t off);
TypeExpr *parse_type(Parse *p, Name name, TypeArgList args, Span span);
Name parse_path(Parse *p, Name head, Name part);
TypeArg parse_type_skip(Parse *p, Name skip, Name what, Span regexp);
typedef struct TableElem {
    Column *column;
    TableIndex *index;
    Constraint *constraint;
    Projection *projection;
} TableElem;
void parse_add_elem(Parse *p, TableBody *b, const TableElem *e);
/* A table body of one element. */
TableBody parse_body(Parse *p, const TableElem *e);
void parse_keep_body(Parse *p, Decl *d, TableBody *b);
/* The same for table clauses, built in the scratch arena too. */
ClauseList parse_keep_clauses(Parse *p, ClauseList l);
TableIndex *parse_index(Parse *p, Name name, Expr *e, TypeExpr *type, Span granularity, Span span);
Constraint *parse_constraint(Parse *p, Name name, bool assume, Expr *e, Span span);
Projection *parse_projection(Parse *p, Name name, Select *q, Span span);
Column *parse_column(Parse *p, Name name, TypeExpr *type, uint8_t null_mod, ColumnMods *mods, uint32_t first_off);
ColumnMods *parse_column_default(Parse *p, ColumnMods *m, DefaultKind kind, Span kw, Expr *e);
ColumnMods *parse_column_modifier(Parse *p, ColumnMods *m, Span kw, bool already);
/* CODEC(...), TTL e and COMMENT 's' of a column (the first of each counts). */
ColumnMods *parse_column_codec(Parse *p, ColumnMods *m, Span kw, ExprList codec);
ColumnMods *parse_column_ttl(Parse *p, ColumnMods *m, Span kw, Expr *ttl);
ColumnMods *parse_column_comment(Parse *p, ColumnMods *m, Span kw, Span comment);
/* A dictionary attribute's flag word (HIERARCHICAL, INJECTIVE, IS_OBJECT_ID). */
ColumnMods *parse_column_flag(Parse *p, ColumnMods *m, Name word);
ColumnMods *parse_column_expression(Parse *p, ColumnMods *m, Span kw, Expr *e);
/* A dictionary clause WORD(args): SOURCE, LAYOUT, LIFETIME, RANGE. */
Clause parse_dict_clause(Parse *p, Name word, DictArgList args, Span span);
/* One dictionary clause argument: KEY value, KEY(args), or a number. */
DictArg parse_dict_nested(Parse *p, Name key, DictArgList args);
/* RENAME COLUMN from TO to, acknowledged for the plan's ALTERs. */
Clause parse_rename_column(Parse *p, Name from, Name to, Span span);
void parse_lineage_pulls(Parse *p, Lineage *l, Span kw, QNameList names);
void parse_lineage_pushes(Parse *p, Lineage *l, Span kw, QNameList names);
UnionTail parse_union_tail(UnionTail t, SetOp op, Select *s);
/* EXPLAIN's kind from its one or two words (k2.len 0 for one); an unknown
 * kind is a syntax error at its first word. */
/* `name AS (SELECT ...)`; `name(a, b) AS (...)` (read as a call) names the
 * CTE's columns too. */
WithItem parse_cte(Parse *p, Expr *e, Select *q, Span span);
ExplainSpec parse_explain(Parse *p, Token k1, Token k2, SettingList s, Select *q);
/* `view(SELECT ...)`; a SELECT as another function's argument is a syntax
 * error, as in ClickHouse. */
Expr *parse_view_call(Parse *p, Token name, Expr *sub, Span span);
FromList parse_from_prepend(Parse *p, FromList l, FromItem *first);
/* l with t appended as a join of the given JoinFlag set and condition. */
FromList parse_join(Parse *p, FromList l, FromItem *t, int join, JoinCond c);
ExprList parse_prepend(Parse *p, Expr *first, ExprList rest);
/* A call's arguments: a lone `*` is count(*)'s star (EF_STAR_ARG); the
 * names before a bare lambda are its parameters, as ClickHouse reads them
 * (`f(a, x -> x)` is `f((a, x) -> x)`). */
CallArgs parse_callargs(Parse *p, ExprList args, int flags);
/* DATE 'x' or TIMESTAMP 'x' (the word at kw): the call ClickHouse makes of it. */
Expr *parse_typed_literal(Parse *p, Span kw, Expr *s);
/* A path part printed as written, from..to of the source (json.^a). */
Name parse_verbatim(Parse *p, Span from, Span to);
/* star EXCEPT [STRICT] (list): a star's own EXCEPT list where it is one of
 * names, a transformer otherwise (STRICT, patterns, after another one). */
Expr *parse_star_except(Parse *p, Expr *star, int strict, ExprList items, Span end);
void parse_syntax_error(Parse *p, int major, Token t);
void parse_stack_overflow(Parse *p);
/* The deepest expression the later passes are given: they recurse once a
 * level, and ClickHouse's own max_parser_depth is 1000. */
enum { PARSE_MAX_DEPTH = 1000 };
Expr *parse_depth_checked(Parse *p, Expr *e);

/* ---- Generated by Lemon (grammar/parser.y) ---- */

void *mvdParserAlloc(void *(*alloc)(size_t), Parse *p);
void mvdParser(void *parser, int major, Token minor);
void mvdParserFree(void *parser, void (*dealloc)(void *));
int mvd_parser_accepts(void *parser, int token);
int mvd_parser_token_count(void);

#endif
