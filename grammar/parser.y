/* The .mvd grammar, for Lemon (build/gen/parser.c is generated from it).
 *
 * The actions only build the tree: each is one call to a constructor in
 * compiler/ast.c or a field assignment. Every judgement (names, lineage,
 * columns, types) belongs to the passes that run after parsing.
 *
 * Values live in the compilation's arena, so no nonterminal needs a
 * %destructor: the arena is released as a whole. */

%name mvdParser
%token_prefix TK_
%token_type {Token}
%extra_context {Parse *p}
%start_symbol input

%include {
#include <assert.h>
#include <string.h>

#include "syntax/ast.h"
#include "syntax/lexer.h"
#include "syntax/parse.h"

#define NM(t) ast_word(p->arena, p->src, (t).off, (t).len, (t).keyword)
#define SP(t) span_of_token((t).off, (t).len)
#define NEW(T) ((T *)arena_zalloc(p->arena, sizeof(T)))
#define EMPTY_NAME ((Name){0})
#define DEEP(e) parse_depth_checked(p, (e))
/* A one-word qualified name (database, function, a table in this file's database). */
#define WORD(t) ((QName){.name = NM(t), .span = SP(t)})
}

%syntax_error {
    parse_syntax_error(p, yymajor, TOKEN);
}
%stack_overflow {
    parse_stack_overflow(p);
}
/* Deeper nesting than this is an error, not a crash in a later pass. */
%stack_size 2000

/* Tokens the lexer produces that never reach the grammar, and the pseudo
 * token that switches the parser to a lone SELECT (tests, fuzzing). */
%token DOC ILLEGAL SELECT_MODE INTERVAL_TEXT TYPED_LITERAL.

/* Many keywords may still be used as names (`date`, `key`, `type`,
 * `value` are common columns). That is decided per token by parse.c: a
 * keyword the grammar cannot shift where it stands is passed as an ID.
 * Lemon's own %fallback is not used because it prefers the name even
 * where the keyword is valid through a default reduction. */

/* Operator precedence, lowest first, as ClickHouse binds them. LOWEST is
 * never produced: it ranks a rule below COMMA, so that `ARRAY JOIN a, b`
 * keeps both items rather than reading `, b` as a comma join. */
%left LOWEST.
/* `SELECT * EXCEPT (a)` excludes a column rather than ending the SELECT. */
%left EXCEPT.
%left COMMA.
%right ARROW.
%right QUESTION COLON.
%left OR.
%left AND.
%right NOT.
/* ClickHouse binds IS NULL, then BETWEEN, more loosely than comparisons:
 * `x BETWEEN a AND b = c` has the upper bound `b = c`, and
 * `x BETWEEN a AND b IS NULL` tests the whole BETWEEN. */
%left IS.
%left BETWEEN NOT_BETWEEN.
%left EQ NE NULL_SAFE_EQ LT GT LE GE LIKE ILIKE IN GLOBAL_IN GLOBAL_NOT_IN NOT_LIKE NOT_ILIKE NOT_IN.
%left CONCAT.
%left PLUS MINUS.
%left STAR SLASH PERCENT DIV MOD.
%right UMINUS.
%left DOT.
%left DCOLON.
/* `SAMPLE 1/10 OFFSET 1/2` is the sample's offset, not the query's. */
%left OFFSET.

/* ==== Files and statements ================================================ */

input ::= SELECT_MODE body(B).                 { p->select = B; }
input ::= file.

file ::= .
file ::= file SEMI.
file ::= file stmt(S) SEMI(E).                 { parse_add_decl(p, S, SP(E)); }

%type stmt {Decl *}
stmt(A) ::= OPTION(K) ID(N) EQ expr(V).        { A = parse_decl(p, K.off, (Decl){.kind = DECL_OPTION, .name.name = NM(N), .body = V}); }
stmt(A) ::= DATABASE(K) ID(N).                 { A = parse_decl(p, K.off, (Decl){.kind = DECL_DATABASE, .name = WORD(N)}); }
stmt(A) ::= TABLE(K) qname(N) LP elems(C) comma_opt RP clauses(L).
                                               { A = parse_table(p, K.off, DECL_TABLE, N, &C, parse_keep_clauses(p, L)); }
/* `local table`: a table local to each host of the cluster on purpose
 * (docs/language.md, "local table"). */
stmt(A) ::= LOCAL(K) TABLE qname(N) LP elems(C) comma_opt RP clauses(L).
                                               { A = parse_local_table(p, K.off, N, &C, parse_keep_clauses(p, L)); }
/* `table x as y`: x has y's columns (and, without an engine, its
 * storage), as CREATE TABLE x AS y; the checker copies them. */
stmt(A) ::= TABLE(K) qname(N) AS qname(Y) clauses(L).
                                               { A = parse_decl(p, K.off, (Decl){.kind = DECL_TABLE, .name = N, .as_table = Y, .clauses = parse_keep_clauses(p, L)}); }
stmt(A) ::= EXTERNAL(K) TABLE qname(N) LP elems(C) comma_opt RP.
                                               { A = parse_table(p, K.off, DECL_EXTERNAL, N, &C, (ClauseList){0}); }
stmt(A) ::= VIEW(K) qname(N) lineage(L) AS body(Q).
                                               { A = parse_decl(p, K.off, (Decl){.kind = DECL_VIEW, .name = N, .lineage = L, .query = Q}); }
/* Table clauses on an MV (ENGINE, ORDER BY, ...) describe ClickHouse's
 * implicit inner table; they parse so that the resolver can refuse them
 * with the fix, rather than a bare syntax error. */
stmt(A) ::= MATERIALIZED(K) VIEW qname(N) lineage(L) backfill(B) refresh(R) clauses(C) AS body(Q).
                                               { A = parse_decl(p, K.off, (Decl){.kind = DECL_MV, .name = N, .lineage = L, .backfill = B.kw, .backfill_by = B.by, .refresh = R, .clauses = parse_keep_clauses(p, C), .query = Q}); }
/* An MV's own column list, as `CREATE MATERIALIZED VIEW m TO t (cols)`
 * gives it: what the server lists as the MV's columns (by default its
 * query's). Names and types only. */
stmt(A) ::= MATERIALIZED(K) VIEW qname(N) LP mvcols(V) comma_opt RP lineage(L) backfill(B) refresh(R) clauses(C) AS body(Q).
                                               { A = parse_decl(p, K.off, (Decl){.kind = DECL_MV, .name = N, .columns = V, .lineage = L, .backfill = B.kw, .backfill_by = B.by, .refresh = R, .clauses = parse_keep_clauses(p, C), .query = Q}); }
%type mvcols {ColumnList}
mvcols(A) ::= mvcol(X).                        { LIST_FIRST(p->arena, A, X); }
mvcols(A) ::= mvcols(A) COMMA mvcol(X).        { *LIST_PUSH(p->arena, &A) = X; }
%type mvcol {Column *}
mvcol(A) ::= ID(N) type(T).                    { A = parse_column(p, NM(N), T, 0, NULL, N.off); }
stmt(A) ::= FUNCTION(K) ID(N) LP params(P) RP ARROW type(T) fbody(B) fsettings(S).
                                               { A = parse_decl(p, K.off, (Decl){.kind = DECL_FUNCTION, .name = WORD(N), .params = P, .ret = T, .body = B, .attrs = S}); }
/* An untyped SQL UDF, as ClickHouse writes them: each call is typed from
 * the body with the call's argument types (at least one parameter: `f()`
 * would read as the start of a typed signature). */
stmt(A) ::= FUNCTION(K) ID(N) LP unames(P) RP EQ expr(B).
                                               { A = parse_decl(p, K.off, (Decl){.kind = DECL_FUNCTION, .name = WORD(N), .params = P, .body = B}); }
%type unames {ParamList}
unames(A) ::= ID(N).                           { LIST_FIRST(p->arena, A, (Param){NM(N), NULL}); }
unames(A) ::= unames(A) COMMA ID(N).           { *LIST_PUSH(p->arena, &A) = (Param){NM(N), NULL}; }
/* Aggregate signatures, for the standard library and projects' own:
 * aggregate quantiles(level repeated(Float))(x Number) -> Array(Float64); */
stmt(A) ::= AGGREGATE(K) ID(N) LP params(P) RP ARROW type(T) fsettings(S).
                                               { A = parse_decl(p, K.off, (Decl){.kind = DECL_AGGREGATE, .name = WORD(N), .params = P, .ret = T, .attrs = S}); }
stmt(A) ::= AGGREGATE(K) ID(N) LP params(X) RP LP params(P) RP ARROW type(T) fsettings(S).
                                               { A = parse_decl(p, K.off, (Decl){.kind = DECL_AGGREGATE, .name = WORD(N), .levels = X, .params = P, .ret = T, .attrs = S}); }

%type fsettings {SettingList}
fsettings(A) ::= .                             { A = (SettingList){0}; }
fsettings(A) ::= SETTINGS settings(X).         { A = X; }
/* ---- Dictionaries (issue 15): their own block ----
 * dictionary db.d (k UInt64, name String default '' injective)
 *     primary key k source(clickhouse(table 'src' db 'db')) layout(hashed()) lifetime(min 0 max 300);
 * Attributes are columns (their flags and EXPRESSION are column modifiers
 * the checker allows only here); the clauses are table clauses, and
 * WORD(args) ones (SOURCE, LAYOUT, LIFETIME, RANGE) are named by the word. */
stmt(A) ::= DICTIONARY(K) qname(N) LP dattrs(C) comma_opt RP dclauses(L).
                                               { A = parse_table(p, K.off, DECL_DICTIONARY, N, &C, parse_keep_clauses(p, L)); }
%type dattrs {TableBody}
dattrs(A) ::= dattr(X).                        { A = parse_body(p, &(TableElem){.column = X}); }
dattrs(A) ::= dattrs(A) COMMA dattr(X).        { parse_add_elem(p, &A, &(TableElem){.column = X}); }
%type dattr {Column *}
dattr(A) ::= ID(N) type(T) nullmod(U) dmods(M). { A = parse_column(p, NM(N), T, (uint8_t)U, M, N.off); }
%type dmods {ColumnMods *}
dmods(A) ::= .                                 { A = NULL; }
dmods(A) ::= dmods(X) DEFAULT(K) expr(E).      { A = parse_column_default(p, X, DEF_DEFAULT, SP(K), E); }
dmods(A) ::= dmods(X) EXPRESSION(K) expr(E).   { A = parse_column_expression(p, X, SP(K), E); }
dmods(A) ::= dmods(X) COMMENT(K) STRING(S).    { A = parse_column_comment(p, X, SP(K), SP(S)); }
dmods(A) ::= dmods(X) ID(W).                   { A = parse_column_flag(p, X, NM(W)); }
/* A dictionary's clauses: a table's (the checker keeps PRIMARY KEY and
 * COMMENT), and its own. */
%type dclauses {ClauseList}
dclauses(A) ::= .                              { A = (ClauseList){0}; }
dclauses(A) ::= dclauses(A) clause(C).         { *LIST_PUSH(&p->scratch, &A) = C; }
dclauses(A) ::= dclauses(A) dclause(C).        { *LIST_PUSH(&p->scratch, &A) = C; }
%type dclause {Clause}
dclause(A) ::= ID(W) LP dargs(L) RP(E).        { A = parse_dict_clause(p, NM(W), L, span_cover(SP(W), SP(E))); }
dclause(A) ::= PRIMARY(K) KEY expr(E) COMMA exprs(L).
                                               { A = (Clause){.kind = CL_PRIMARY_KEY, .span = span_cover(SP(K), parse_last_span(p)), .args = parse_prepend(p, E, L)}; }
dclause(A) ::= SETTINGS(K) LP settings(L) RP.  { A = (Clause){.kind = CL_SETTINGS, .span = SP(K), .settings = L, .engine_parens = true}; }
%type dargs {DictArgList}
dargs(A) ::= .                                 { A = (DictArgList){0}; }
dargs(A) ::= dargs(A) darg(X).                 { *LIST_PUSH(p->arena, &A) = X; }
%type darg {DictArg}
darg(A) ::= number(N).                         { A = (DictArg){.lit = N}; }
darg(A) ::= ID(K) number(N).                   { A = (DictArg){.key = NM(K), .lit = N}; }
darg(A) ::= ID(K) STRING(S).                   { A = (DictArg){.key = NM(K), .lit = SP(S)}; }
darg(A) ::= ID(K) ID(V).                       { A = (DictArg){.key = NM(K), .word = NM(V)}; }
darg(A) ::= ID(K) LP dargs(L) RP.              { A = parse_dict_nested(p, NM(K), L); }

stmt(A) ::= DROP(K) TABLE qname(N).            { A = parse_decl(p, K.off, (Decl){.kind = DECL_DROP_TABLE, .name = N}); }

%type qname {QName}
qname(A) ::= ID(N).                            { A = WORD(N); }
qname(A) ::= ID(D) DOT ID(N).                  { A = (QName){.db = NM(D), .name = NM(N), .span = span_cover(SP(D), SP(N))}; }

%type qnames {QNameList}
qnames(A) ::= qname(N).                        { LIST_FIRST(p->arena, A, N); }
qnames(A) ::= qnames(A) COMMA qname(N).        { *LIST_PUSH(p->arena, &A) = N; }

comma_opt ::= .
comma_opt ::= COMMA.

/* ---- Columns ---- */

/* Columns, and the indexes, constraints and projections among them. */
%type elems {TableBody}
elems(A) ::= elem(X).                          { A = parse_body(p, &X); }
elems(A) ::= elems(A) COMMA elem(X).           { parse_add_elem(p, &A, &X); }

%type elem {TableElem}
elem(A) ::= coldef(C).                         { A = (TableElem){.column = C}; }
elem(A) ::= INDEX(K) ID(N) expr(E) TYPE type(T) granularity(G).
                                               { A = (TableElem){.index = parse_index(p, NM(N), E, T, G, span_cover(SP(K), parse_last_span(p)))}; }
elem(A) ::= CONSTRAINT(K) ID(N) CHECK expr(E). { A = (TableElem){.constraint = parse_constraint(p, NM(N), false, E, span_cover(SP(K), E->span))}; }
elem(A) ::= CONSTRAINT(K) ID(N) ASSUME expr(E). { A = (TableElem){.constraint = parse_constraint(p, NM(N), true, E, span_cover(SP(K), E->span))}; }
elem(A) ::= PROJECTION(K) ID(N) LP select(Q) RP(E).
                                               { A = (TableElem){.projection = parse_projection(p, NM(N), Q, span_cover(SP(K), SP(E)))}; }

%type granularity {Span}
granularity(A) ::= .                           { A = (Span){0}; }
granularity(A) ::= GRANULARITY INTEGER(N).     { A = SP(N); }

%type coldef {Column *}
coldef(A) ::= ID(N) type(T) nullmod(U) colmods(M).  { A = parse_column(p, NM(N), T, (uint8_t)U, M, N.off); }

%type nullmod {int}
nullmod(A) ::= .                               { A = 0; }
nullmod(A) ::= NULL.                           { A = 1; }
nullmod(A) ::= NOT NULL.                       { A = 2; }

%type colmods {ColumnMods *}
colmods(A) ::= .                               { A = NULL; }
colmods(A) ::= colmods(X) DEFAULT(K) expr(E).       { A = parse_column_default(p, X, DEF_DEFAULT, SP(K), E); }
colmods(A) ::= colmods(X) MATERIALIZED(K) expr(E).  { A = parse_column_default(p, X, DEF_MATERIALIZED, SP(K), E); }
colmods(A) ::= colmods(X) ALIAS(K) expr(E).         { A = parse_column_default(p, X, DEF_ALIAS, SP(K), E); }
colmods(A) ::= colmods(X) EPHEMERAL(K).             { A = parse_column_default(p, X, DEF_EPHEMERAL, SP(K), NULL); }
colmods(A) ::= colmods(X) EPHEMERAL(K) expr(E).     { A = parse_column_default(p, X, DEF_EPHEMERAL, SP(K), E); }
colmods(A) ::= colmods(X) CODEC(K) LP exprs(L) RP.  { A = parse_column_codec(p, X, SP(K), L); }
colmods(A) ::= colmods(X) TTL(K) expr(E).           { A = parse_column_ttl(p, X, SP(K), E); }
colmods(A) ::= colmods(X) COMMENT(K) STRING(S).     { A = parse_column_comment(p, X, SP(K), SP(S)); }

/* ---- Types ---- */

%type type {TypeExpr *}
type(A) ::= ID(N).                             { A = parse_type(p, NM(N), (TypeArgList){0}, SP(N)); }
type(A) ::= ID(N) LP RP(E).                    { A = parse_type(p, NM(N), (TypeArgList){0}, span_cover(SP(N), SP(E))); }
type(A) ::= ID(N) LP typeargs(L) RP(E).        { A = parse_type(p, NM(N), L, span_cover(SP(N), SP(E))); }

%type typeargs {TypeArgList}
typeargs(A) ::= typearg(X).                    { LIST_FIRST(&p->scratch, A, X); }
typeargs(A) ::= typeargs(A) COMMA typearg(X).  { *LIST_PUSH(&p->scratch, &A) = X; }

%type typearg {TypeArg}
%type number {Span}
number(A) ::= INTEGER(N).                      { A = SP(N); }
number(A) ::= FLOAT(N).                        { A = SP(N); }
number(A) ::= MINUS(M) INTEGER(N).             { A = span_cover(SP(M), SP(N)); }
number(A) ::= MINUS(M) FLOAT(N).               { A = span_cover(SP(M), SP(N)); }
typearg(A) ::= type(T).                        { A = (TypeArg){.kind = TARG_TYPE, .type = T}; }
typearg(A) ::= number(N).                      { A = (TypeArg){.kind = TARG_NUMBER, .lit = N}; }
typearg(A) ::= STRING(S).                      { A = (TypeArg){.kind = TARG_STRING, .lit = SP(S)}; }
typearg(A) ::= STRING(S) EQ number(N).         { A = (TypeArg){.kind = TARG_ENUM, .lit = SP(S), .value = N}; }
typearg(A) ::= ID(F) type(T).                  { A = (TypeArg){.kind = TARG_FIELD, .field = NM(F), .type = T}; }
/* JSON(max_dynamic_paths = 8, a.b UInt32, SKIP a.c, SKIP REGEXP 'x.*') and
 * index types such as text(tokenizer = 'array'). */
typearg(A) ::= ID(K) EQ number(N).             { A = (TypeArg){.kind = TARG_SETTING, .field = NM(K), .lit = N}; }
typearg(A) ::= ID(K) EQ STRING(S).             { A = (TypeArg){.kind = TARG_SETTING, .field = NM(K), .lit = SP(S)}; }
typearg(A) ::= ID(K) EQ ID(V).                 { A = (TypeArg){.kind = TARG_SETTING, .field = NM(K), .lit = SP(V)}; }
typearg(A) ::= jpath(P) type(T).               { A = (TypeArg){.kind = TARG_FIELD, .field = P, .type = T}; }
typearg(A) ::= ID(S) jpath(P).                 { A = parse_type_skip(p, NM(S), P, (Span){0}); }
typearg(A) ::= ID(S) ID(R) STRING(X).          { A = parse_type_skip(p, NM(S), NM(R), SP(X)); }
%type jpath {Name}
jpath(A) ::= ID(X) DOT ID(Y).                  { A = parse_path(p, NM(X), NM(Y)); }
jpath(A) ::= jpath(X) DOT ID(Y).               { A = parse_path(p, X, NM(Y)); }

/* ---- Table clauses, in any order ---- */

%type clauses {ClauseList}
clauses(A) ::= .                               { A = (ClauseList){0}; }
clauses(A) ::= clauses(A) clause(C).           { *LIST_PUSH(&p->scratch, &A) = C; }

%type clause {Clause}
clause(A) ::= ENGINE(K) eq_opt engname(N).     { A = (Clause){.kind = CL_ENGINE, .span = span_cover(SP(K), SP(N)), .engine = NM(N)}; }
clause(A) ::= ENGINE(K) eq_opt engname(N) LP RP(E). { A = (Clause){.kind = CL_ENGINE, .span = span_cover(SP(K), SP(E)), .engine = NM(N), .engine_parens = true}; }
clause(A) ::= ENGINE(K) eq_opt engname(N) LP exprs(L) RP(E).
                                               { A = (Clause){.kind = CL_ENGINE, .span = span_cover(SP(K), SP(E)), .engine = NM(N), .engine_parens = true, .args = L}; }
/* Engine names that are keywords elsewhere: `engine = Null`, `Join(...)`. */
%type engname {Token}
engname(A) ::= ID(A).
engname(A) ::= NULL(A).
engname(A) ::= JOIN(A).
eq_opt ::= .
eq_opt ::= EQ.
clause(A) ::= PARTITION(K) BY expr(E).         { A = (Clause){.kind = CL_PARTITION_BY, .span = span_cover(SP(K), E->span), .expr = E}; }
clause(A) ::= ORDER(K) BY expr(E).             { A = (Clause){.kind = CL_ORDER_BY, .span = span_cover(SP(K), E->span), .expr = E}; }
clause(A) ::= PRIMARY(K) KEY expr(E).          { A = (Clause){.kind = CL_PRIMARY_KEY, .span = span_cover(SP(K), E->span), .expr = E}; }
clause(A) ::= SAMPLE(K) BY expr(E).            { A = (Clause){.kind = CL_SAMPLE_BY, .span = span_cover(SP(K), E->span), .expr = E}; }
clause(A) ::= TTL(K) ttls(L).                  { A = (Clause){.kind = CL_TTL, .span = SP(K), .ttl = L}; }
clause(A) ::= SETTINGS(K) settings(L).         { A = (Clause){.kind = CL_SETTINGS, .span = SP(K), .settings = L}; }
/* What the plan may do to existing data: rename a column (never drop+add),
 * drop one, or narrow its type. They describe changes, not the table, and
 * are left out of its CREATE and its hash. */
clause(A) ::= RENAME(K) COLUMN ID(O) TO ID(N).  { A = parse_rename_column(p, NM(O), NM(N), span_cover(SP(K), SP(N))); }
clause(A) ::= DROP(K) COLUMN ID(N).             { A = (Clause){.kind = CL_DROP_COLUMN, .span = span_cover(SP(K), SP(N)), .column = NM(N)}; }
clause(A) ::= NARROW(K) COLUMN ID(N).           { A = (Clause){.kind = CL_NARROW_COLUMN, .span = span_cover(SP(K), SP(N)), .column = NM(N)}; }
clause(A) ::= COMMENT(K) STRING(S).            { A = (Clause){.kind = CL_COMMENT, .span = span_cover(SP(K), SP(S)), .comment = SP(S)}; }

%type ttls {TtlList}
ttls(A) ::= ttl(T).                            { LIST_FIRST(p->arena, A, T); }
ttls(A) ::= ttls(A) COMMA ttl(T).              { *LIST_PUSH(p->arena, &A) = T; }
%type ttl {TtlItem}
ttl(A) ::= expr(E).                            { A = (TtlItem){.expr = E}; }
ttl(A) ::= expr(E) DELETE.                     { A = (TtlItem){.expr = E}; }
ttl(A) ::= expr(E) TO DISK STRING(S).          { A = (TtlItem){.expr = E, .action = 1, .target = SP(S)}; }
ttl(A) ::= expr(E) TO VOLUME STRING(S).        { A = (TtlItem){.expr = E, .action = 2, .target = SP(S)}; }
/* expr [DELETE] WHERE cond, expr RECOMPRESS CODEC(...), expr GROUP BY keys
 * [SET c = agg(c), ...]: as ClickHouse's ParserTTLElement takes them. The
 * GROUP BY and SET lists are greedy, as ClickHouse's are. */
ttl(A) ::= expr(E) WHERE expr(W).              { A = (TtlItem){.expr = E, .where = W}; }
ttl(A) ::= expr(E) DELETE WHERE expr(W).       { A = (TtlItem){.expr = E, .where = W}; }
ttl(A) ::= expr(E) RECOMPRESS CODEC LP exprs(L) RP.
                                               { A = (TtlItem){.expr = E, .action = TTL_RECOMPRESS, .codec = L}; }
ttl(A) ::= expr(E) GROUP BY exprs(K). [LOWEST] { A = (TtlItem){.expr = E, .action = TTL_GROUP_BY, .group = K}; }
ttl(A) ::= expr(E) GROUP BY exprs(K) SET exprs(S). [LOWEST]
                                               { A = (TtlItem){.expr = E, .action = TTL_GROUP_BY, .group = K, .set = S}; }

%type settings {SettingList}
settings(A) ::= setting(S).                    { LIST_FIRST(p->arena, A, S); }
settings(A) ::= settings(A) COMMA setting(S).  { *LIST_PUSH(p->arena, &A) = S; }
%type setting {Setting}
setting(A) ::= ID(K) EQ expr(V).               { A = (Setting){.key = NM(K), .value = V}; }
/* `{'k': v}` is ClickHouse's map literal, valid only as a setting's value. */
setting(A) ::= ID(K) EQ LC(B) RC(E).           { A = (Setting){.key = NM(K), .value = ast_list(p->arena, EX_MAP, (ExprList){0}, span_cover(SP(B), SP(E)))}; }
setting(A) ::= ID(K) EQ LC(B) mapitems(L) RC(E).
                                               { A = (Setting){.key = NM(K), .value = ast_list(p->arena, EX_MAP, L, span_cover(SP(B), SP(E)))}; }

/* ---- Views, materialized views, functions ---- */

%type lineage {Lineage}
lineage(A) ::= .                               { A = (Lineage){0}; }
lineage(A) ::= lineage(A) PULLS_FROM(K) qnames(L).  { parse_lineage_pulls(p, &A, SP(K), L); }
lineage(A) ::= lineage(A) PUSHES_TO(K) qnames(L).   { parse_lineage_pushes(p, &A, SP(K), L); }

%type backfill {Backfill}
backfill(A) ::= .                              { A = (Backfill){0}; }
backfill(A) ::= BACKFILL(K).                   { A = (Backfill){.kw = SP(K)}; }
/* `backfill by ts`: the source's ingestion-time column, for an exact fill
 * with a time cutoff (docs/mv-changes.md). */
backfill(A) ::= BACKFILL(K) BY ID(C).          { A = (Backfill){.kw = SP(K), .by = NM(C)}; }

%type refresh {Refresh}
refresh(A) ::= .                               { A = (Refresh){0}; }
refresh(A) ::= REFRESH(K) EVERY INTEGER(N) UNIT(U) append(X).
                                               { A = (Refresh){.present = true, .every = true, .amount = SP(N), .unit = NM(U), .append = X, .span = span_cover(SP(K), SP(U))}; }
refresh(A) ::= REFRESH(K) AFTER INTEGER(N) UNIT(U) append(X).
                                               { A = (Refresh){.present = true, .every = false, .amount = SP(N), .unit = NM(U), .append = X, .span = span_cover(SP(K), SP(U))}; }
%type append {bool}
append(A) ::= .                                { A = false; }
append(A) ::= APPEND.                          { A = true; }

%type params {ParamList}
params(A) ::= .                                { A = (ParamList){0}; }
params(A) ::= paramlist(A).
%type paramlist {ParamList}
paramlist(A) ::= ID(N) type(T).                { LIST_FIRST(p->arena, A, (Param){NM(N), T}); }
paramlist(A) ::= paramlist(A) COMMA ID(N) type(T).  { *LIST_PUSH(p->arena, &A) = (Param){NM(N), T}; }

%type fbody {Expr *}
fbody(A) ::= .                                 { A = NULL; }
fbody(A) ::= EQ expr(E).                       { A = E; }

/* ==== SELECT ============================================================= */

/* A body may start with a parenthesized SELECT: `(SELECT 1) UNION ALL
 * (SELECT 2)`. Inside expressions and FROM a subquery's first branch is
 * never parenthesized, which keeps `((SELECT 1))` unambiguous. */
%type body {Select *}
body(A) ::= select(A).
body(A) ::= LP select(X) RP unions(U).         { A = U.head ? ast_union(ast_paren(X), U.op.kind, U.op.span, U.head) : X; }

/* ---- Set operations: UNION, INTERSECT, EXCEPT ----
 * One chain in written order; a parenthesized member keeps its
 * parentheses (Select.open/close), since `a UNION DISTINCT (b UNION ALL
 * c)` is not `a UNION DISTINCT b UNION ALL c`, and ClickHouse binds
 * INTERSECT tighter than the others. */
%type unions {UnionTail}
unions(A) ::= .                                { A = (UnionTail){0}; }
unions(A) ::= unions(X) setop(K) sterm(T).     { A = parse_union_tail(X, K, T); }

%type select {Select *}
select(A) ::= core(A).
select(A) ::= select(X) setop(K) sterm(T).     { A = ast_union(X, K.kind, K.span, T); }

%type sterm {Select *}
sterm(A) ::= core(A).
sterm(A) ::= LP body(X) RP.                    { A = ast_paren(X); }

%type setop {SetOp}
setop(A) ::= UNION(K) ALL(E).                  { A = (SetOp){UNION_ALL, span_cover(SP(K), SP(E))}; }
setop(A) ::= UNION(K) DISTINCT(E).             { A = (SetOp){UNION_DISTINCT, span_cover(SP(K), SP(E))}; }
setop(A) ::= UNION(K).                         { A = (SetOp){UNION_DEFAULT, SP(K)}; }
setop(A) ::= INTERSECT(K).                     { A = (SetOp){INTERSECT_DEFAULT, SP(K)}; }
setop(A) ::= INTERSECT(K) ALL(E).              { A = (SetOp){INTERSECT_ALL, span_cover(SP(K), SP(E))}; }
setop(A) ::= INTERSECT(K) DISTINCT(E).         { A = (SetOp){INTERSECT_DISTINCT, span_cover(SP(K), SP(E))}; }
setop(A) ::= EXCEPT(K).                        { A = (SetOp){EXCEPT_DEFAULT, SP(K)}; }
setop(A) ::= EXCEPT(K) ALL(E).                 { A = (SetOp){EXCEPT_ALL, span_cover(SP(K), SP(E))}; }
setop(A) ::= EXCEPT(K) DISTINCT(E).            { A = (SetOp){EXCEPT_DISTINCT, span_cover(SP(K), SP(E))}; }

%type core {Select *}
core(A) ::= with(W) SELECT(K) distinct(D) items(I) comma_opt from(F) prewhere(PW) where(WH)
            groupby(G) having(H) windows(WN) qualify(Q) orderby(O) limits(L) selsettings(S).
{
    A = ast_select(p->arena, (Select){
        .with = W.list, .recursive = W.recursive, .distinct = D.on, .distinct_on = D.exprs, .items = I,
        .from = F, .prewhere = PW, .where = WH, .group = G, .having = H,
        .windows = WN, .qualify = Q, .order = O.items, .order_all = O.all,
        .interpolate = O.interpolate.list, .has_interpolate = O.interpolate.on,
        .order_all_desc = O.desc, .order_all_nulls = O.nulls,
        .limits = L, .settings = S,
        .span = span_cover(W.list.n ? W.list.v[0].span : SP(K), parse_last_span(p))});
}

%type with {WithSpec}
with(A) ::= .                                  { A = (WithSpec){0}; }
with(A) ::= WITH withitems(X).                 { A = (WithSpec){X, false}; }
with(A) ::= WITH RECURSIVE withitems(X).       { A = (WithSpec){X, true}; }
%type withitems {WithList}
withitems(A) ::= withitem(X).                  { LIST_FIRST(p->arena, A, X); }
withitems(A) ::= withitems(A) COMMA withitem(X).  { *LIST_PUSH(p->arena, &A) = X; }
%type withitem {WithItem}
withitem(A) ::= expr(E) AS ID(N).              { A = (WithItem){.expr = E, .name = NM(N), .span = span_cover(E->span, SP(N))}; }
withitem(A) ::= expr(E) AS LP select(Q) RP(R). { A = parse_cte(p, E, Q, span_cover(E->span, SP(R))); }

%type distinct {DistinctSpec}
distinct(A) ::= .                              { A = (DistinctSpec){0}; }
distinct(A) ::= DISTINCT.                      { A = (DistinctSpec){.on = true}; }
distinct(A) ::= DISTINCT ON LP exprs(L) RP.    { A = (DistinctSpec){.on = true, .exprs = L}; }

/* A trailing comma after the last item is accepted, as ClickHouse does. */
%type items {ExprList}
items(A) ::= item(X).                          { LIST_FIRST(p->arena, A, X); }
items(A) ::= items(A) COMMA item(X).           { *LIST_PUSH(p->arena, &A) = X; }

%type item {Expr *}
item(A) ::= aexpr(A).
item(A) ::= expr(E) ID(N).                     { A = ast_alias(p->arena, E, NM(N), true); }

%type names {NameList}
names(A) ::= ID(N).                            { LIST_FIRST(p->arena, A, NM(N)); }
names(A) ::= names(A) COMMA ID(N).             { *LIST_PUSH(p->arena, &A) = NM(N); }

/* ---- FROM and joins ---- */

%type from {FromList}
from(A) ::= .                                  { A = (FromList){0}; }
from(A) ::= FROM tableexpr(T) joins(J).        { A = parse_from_prepend(p, J, T); }

%type joins {FromList}
joins(A) ::= .                                 { A = (FromList){0}; }
joins(A) ::= joins(A) joinmods(M) JOIN tableexpr(T) joincond(C).
                                               { A = parse_join(p, A, T, M, C); }
joins(A) ::= joins(A) joinmods(M) CROSS JOIN tableexpr(T).
                                               { A = parse_join(p, A, T, M | JF_CROSS, (JoinCond){0}); }
joins(A) ::= joins(A) joinmods(M) PASTE JOIN tableexpr(T).
                                               { A = parse_join(p, A, T, M | JF_PASTE, (JoinCond){0}); }
joins(A) ::= joins(A) COMMA tableexpr(T).      { A = parse_join(p, A, T, JF_COMMA, (JoinCond){0}); }
joins(A) ::= joins(A) joinmods(M) ARRAY(K) JOIN aexprs(L). [LOWEST]
                                               { A = parse_join(p, A, ast_from(p->arena, (FromItem){.kind = FROM_ARRAY_JOIN, .span = SP(K), .array_items = L}), M, (JoinCond){0}); }

%type joinmods {int}
joinmods(A) ::= .                              { A = 0; }
joinmods(A) ::= joinmods(X) GLOBAL.            { A = X | JF_GLOBAL; }
joinmods(A) ::= joinmods(X) ANY.               { A = X | JF_ANY; }
joinmods(A) ::= joinmods(X) ALL.               { A = X | JF_ALL; }
joinmods(A) ::= joinmods(X) ASOF.              { A = X | JF_ASOF; }
joinmods(A) ::= joinmods(X) SEMI_KW.           { A = X | JF_SEMI; }
joinmods(A) ::= joinmods(X) ANTI.              { A = X | JF_ANTI; }
joinmods(A) ::= joinmods(X) INNER.             { A = X | JF_INNER; }
joinmods(A) ::= joinmods(X) LEFT.              { A = X | JF_LEFT; }
joinmods(A) ::= joinmods(X) RIGHT.             { A = X | JF_RIGHT; }
joinmods(A) ::= joinmods(X) FULL.              { A = X | JF_FULL; }
joinmods(A) ::= joinmods(X) OUTER.             { A = X | JF_OUTER; }

/* Every join but CROSS, PASTE and the comma join needs ON or USING. */
%type joincond {JoinCond}
joincond(A) ::= ON expr(E).                    { A = (JoinCond){.on = E}; }
joincond(A) ::= USING LP names(L) RP.          { A = (JoinCond){.cols = L}; }
/* `USING a, b` is one list (ClickHouse's reading), not a comma join with b. */
joincond(A) ::= USING names(L). [LOWEST]       { A = (JoinCond){.cols = L}; }

%type tableexpr {FromItem *}
tableexpr(A) ::= tableref(A) alias(N) final(F) sample(S).
                                               { A = ast_from_named(A, N, F, S.ratio, S.offset); }
/* `AS t(a, b)` renames the columns too. */
tableexpr(A) ::= tableref(T) AS ID(N) LP names(C) RP final(F) sample(S).
                                               { A = ast_from_columns(ast_from_named(T, NM(N), F, S.ratio, S.offset), C); }
tableexpr(A) ::= tableref(T) ID(N) LP names(C) RP final(F) sample(S).
                                               { A = ast_from_columns(ast_from_named(T, NM(N), F, S.ratio, S.offset), C); }

%type tableref {FromItem *}
tableref(A) ::= qname(N).                      { A = ast_from(p->arena, (FromItem){.kind = FROM_TABLE, .span = N.span, .table = N}); }
tableref(A) ::= ID(N) LP RP(E).                { A = ast_from_call(p->arena, ast_call(p->arena, NM(N), (ExprList){0}, span_cover(SP(N), SP(E)))); }
tableref(A) ::= ID(N) LP aexprs(L) RP(E).      { A = ast_from_call(p->arena, ast_call(p->arena, NM(N), L, span_cover(SP(N), SP(E)))); }
tableref(A) ::= LP(B) body(Q) RP(E).         { A = ast_from(p->arena, (FromItem){.kind = FROM_SUBQUERY, .span = span_cover(SP(B), SP(E)), .query = Q}); }
tableref(A) ::= ID(N) LP(B) select(Q) RP(E).   { A = ast_from_call(p->arena, parse_view_call(p, N, ast_subquery(p->arena, EX_SUBQUERY, Q, span_cover(SP(B), SP(E))), span_cover(SP(N), SP(E)))); }
/* null('x UInt8'): the table function is named by a keyword */
tableref(A) ::= NULL(N) LP aexprs(L) RP(E).    { A = ast_from_call(p->arena, ast_call(p->arena, NM(N), L, span_cover(SP(N), SP(E)))); }
/* `numbers(10, SETTINGS max_threads = 1)`, `mysql(..., SETTINGS k = v)` */
tableref(A) ::= ID(N) LP aexprs(L) COMMA SETTINGS settings(X) RP(E).
                                               { A = ast_from(p->arena, (FromItem){.kind = FROM_FUNCTION, .span = span_cover(SP(N), SP(E)), .func = ast_call(p->arena, NM(N), L, span_cover(SP(N), SP(E))), .settings = X}); }
/* `FROM (EXPLAIN [kind] [setting = v, ...] SELECT ...)`: the explanation's
 * text as rows (ClickHouse reads it as viewExplain(...)). */
tableref(A) ::= LP(B) EXPLAIN explain(X) RP(E). { A = ast_from(p->arena, (FromItem){.kind = FROM_SUBQUERY, .span = span_cover(SP(B), SP(E)), .query = X.query, .explain = (uint8_t)X.kind, .settings = X.settings}); }

/* The kind is one or two plain words (PLAN, AST, SYNTAX, QUERY TREE,
 * PIPELINE, ESTIMATE), checked by parse_explain. */
%type explain {ExplainSpec}
explain(A) ::= select(Q).                      { A = (ExplainSpec){EXPLAIN_PLAN, Q, (SettingList){0}}; }
explain(A) ::= settings(S) select(Q).          { A = (ExplainSpec){EXPLAIN_PLAN, Q, S}; }
explain(A) ::= ID(K) select(Q).                { A = parse_explain(p, K, (Token){0}, (SettingList){0}, Q); }
explain(A) ::= ID(K) settings(S) select(Q).    { A = parse_explain(p, K, (Token){0}, S, Q); }
explain(A) ::= ID(K) ID(L) select(Q).          { A = parse_explain(p, K, L, (SettingList){0}, Q); }
explain(A) ::= ID(K) ID(L) settings(S) select(Q). { A = parse_explain(p, K, L, S, Q); }

%type alias {Name}
alias(A) ::= .                                 { A = EMPTY_NAME; }
alias(A) ::= ID(N).                            { A = NM(N); }
alias(A) ::= AS ID(N).                         { A = NM(N); }

%type final {bool}
final(A) ::= .                                 { A = false; }
final(A) ::= FINAL.                            { A = true; }

%type sample {SampleSpec}
sample(A) ::= .                                { A = (SampleSpec){0}; }
sample(A) ::= SAMPLE expr(R). [LOWEST]         { A = (SampleSpec){R, NULL}; }
sample(A) ::= SAMPLE expr(R) OFFSET expr(O).   { A = (SampleSpec){R, O}; }

/* ---- The other clauses ---- */

%type prewhere {Expr *}
prewhere(A) ::= .                              { A = NULL; }
prewhere(A) ::= PREWHERE aexpr(E).             { A = E; }
%type where {Expr *}
where(A) ::= .                                 { A = NULL; }
where(A) ::= WHERE aexpr(E).                   { A = E; }
%type having {Expr *}
having(A) ::= .                                { A = NULL; }
having(A) ::= HAVING aexpr(E).                 { A = E; }
%type qualify {Expr *}
qualify(A) ::= .                               { A = NULL; }
qualify(A) ::= QUALIFY expr(E).                { A = E; }

%type groupby {GroupBy}
groupby(A) ::= .                               { A = (GroupBy){0}; }
groupby(A) ::= WITH TOTALS.                    { A = (GroupBy){(ExprList){0}, GF_TOTALS}; }
groupby(A) ::= GROUP BY aexprs(L) groupmods(M). { A = (GroupBy){L, (uint8_t)M}; }
groupby(A) ::= GROUP BY ALL groupmods(M).      { A = (GroupBy){(ExprList){0}, (uint8_t)(M | GF_ALL)}; }
groupby(A) ::= GROUP BY GROUPING SETS LP exprs(L) RP groupmods(M).
                                               { A = (GroupBy){L, (uint8_t)(M | GF_SETS)}; }
%type groupmods {int}
groupmods(A) ::= .                             { A = 0; }
groupmods(A) ::= groupmods(X) WITH ROLLUP.     { A = X | GF_ROLLUP; }
groupmods(A) ::= groupmods(X) WITH CUBE.       { A = X | GF_CUBE; }
groupmods(A) ::= groupmods(X) WITH TOTALS.     { A = X | GF_TOTALS; }

%type windows {WindowDefList}
windows(A) ::= .                               { A = (WindowDefList){0}; }
windows(A) ::= WINDOW windefs(X).               { A = X; }
%type windefs {WindowDefList}
windefs(A) ::= ID(N) AS LP window(W) RP.       { LIST_FIRST(p->arena, A, (WindowDef){NM(N), W}); }
windefs(A) ::= windefs(A) COMMA ID(N) AS LP window(W) RP.  { *LIST_PUSH(p->arena, &A) = (WindowDef){NM(N), W}; }

%type orderby {OrderBy}
orderby(A) ::= .                               { A = (OrderBy){0}; }
orderby(A) ::= ORDER BY orderitems(L) interpolate(I).  { A = (OrderBy){.items = L, .interpolate = I}; }
orderby(A) ::= ORDER BY ALL direction(D) nulls(N). { A = (OrderBy){.all = true, .desc = D, .nulls = (uint8_t)N}; }

/* INTERPOLATE [(col [AS expr], ...)] after WITH FILL. */
%type interpolate {Interpolate}
interpolate(A) ::= .                           { A = (Interpolate){0}; }
interpolate(A) ::= INTERPOLATE.                { A = (Interpolate){(ExprList){0}, true}; }
interpolate(A) ::= INTERPOLATE LP RP.          { A = (Interpolate){(ExprList){0}, true}; }
interpolate(A) ::= INTERPOLATE LP interpitems(L) RP. { A = (Interpolate){L, true}; }
%type interpitems {ExprList}
interpitems(A) ::= interpitem(X).              { LIST_FIRST(p->arena, A, X); }
interpitems(A) ::= interpitems(A) COMMA interpitem(X).  { *LIST_PUSH(p->arena, &A) = X; }
/* `col AS expr` (the reverse of a select item's alias): an EX_ALIAS whose
 * name is the column. */
%type interpitem {Expr *}
interpitem(A) ::= ID(N).                       { A = ast_column(p->arena, ast_names1(p->arena, NM(N)), SP(N)); }
interpitem(A) ::= ID(N) AS expr(E).            { A = ast_alias(p->arena, E, NM(N), false); }

%type orderitems {OrderList}
orderitems(A) ::= orderitem(X).                { LIST_FIRST(p->arena, A, X); }
orderitems(A) ::= orderitems(A) COMMA orderitem(X).  { *LIST_PUSH(p->arena, &A) = X; }

%type orderitem {OrderItem}
orderitem(A) ::= aexpr(E) direction(D) nulls(N) collate(C) fill(F).
                                               { A = (OrderItem){.expr = E, .desc = D, .nulls = (uint8_t)N, .collate = C, .fill = F.fill, .fill_from = F.fill_from, .fill_to = F.fill_to, .fill_step = F.fill_step, .fill_staleness = F.fill_staleness}; }
%type direction {bool}
direction(A) ::= .                             { A = false; }
direction(A) ::= ASC.                          { A = false; }
direction(A) ::= DESC.                         { A = true; }
%type nulls {int}
nulls(A) ::= .                                 { A = 0; }
nulls(A) ::= NULLS FIRST.                      { A = 1; }
nulls(A) ::= NULLS LAST.                       { A = 2; }
%type collate {Span}
collate(A) ::= .                               { A = (Span){0}; }
collate(A) ::= COLLATE STRING(S).              { A = SP(S); }
%type fill {OrderItem}
fill(A) ::= .                                  { A = (OrderItem){0}; }
fill(A) ::= WITH FILL fillfrom(F) fillto(T) fillstep(S) staleness(X).
                                               { A = (OrderItem){.fill = true, .fill_from = F, .fill_to = T, .fill_step = S, .fill_staleness = X}; }
%type staleness {Expr *}
staleness(A) ::= .                             { A = NULL; }
staleness(A) ::= STALENESS expr(E).            { A = E; }
%type fillfrom {Expr *}
fillfrom(A) ::= .                              { A = NULL; }
fillfrom(A) ::= FROM expr(E).                  { A = E; }
%type fillto {Expr *}
fillto(A) ::= .                                { A = NULL; }
fillto(A) ::= TO expr(E).                      { A = E; }
%type fillstep {Expr *}
fillstep(A) ::= .                              { A = NULL; }
fillstep(A) ::= STEP expr(E).                  { A = E; }

%type limits {Limits}
limits(A) ::= .                                { A = (Limits){0}; }
limits(A) ::= limit(L).                        { A = (Limits){.limit = L}; }
limits(A) ::= limit(B) BY aexprs(L).           { A = (Limits){.by_limit = B, .by = L}; }
limits(A) ::= limit(B) BY aexprs(L) limit(X).  { A = (Limits){.by_limit = B, .by = L, .limit = X}; }
limits(A) ::= limit(B) BY ALL.                 { A = (Limits){.by_limit = B, .by_all = true}; }
limits(A) ::= limit(B) BY ALL limit(X).        { A = (Limits){.by_limit = B, .by_all = true, .limit = X}; }
limits(A) ::= OFFSET expr(E) rows fetch(F).    { A = (Limits){.offset_only = E, .limit = {.count = F.count, .ties = F.ties}}; }
rows ::= .
rows ::= ROW.
rows ::= ROWS.
%type fetch {Limit}
fetch(A) ::= .                                 { A = (Limit){0}; }
fetch(A) ::= FETCH firstnext expr(N) rows ONLY. { A = (Limit){N, NULL, false}; }
fetch(A) ::= FETCH firstnext expr(N) rows WITH TIES. { A = (Limit){N, NULL, true}; }
firstnext ::= FIRST.
firstnext ::= NEXT.

%type limit {Limit}
limit(A) ::= LIMIT expr(N).                    { A = (Limit){N, NULL, false}; }
limit(A) ::= LIMIT expr(N) WITH TIES.          { A = (Limit){N, NULL, true}; }
limit(A) ::= LIMIT expr(N) OFFSET expr(O).     { A = (Limit){N, O, false}; }
limit(A) ::= LIMIT expr(N) OFFSET expr(O) WITH TIES.  { A = (Limit){N, O, true}; }
limit(A) ::= LIMIT expr(O) COMMA expr(N).      { A = (Limit){N, O, false}; }
limit(A) ::= LIMIT expr(O) COMMA expr(N) WITH TIES.  { A = (Limit){N, O, true}; }

%type selsettings {SettingList}
selsettings(A) ::= .                           { A = (SettingList){0}; }
selsettings(A) ::= SETTINGS settings(X).        { A = X; }

/* ---- Window specifications ---- */

%type window {Window *}
window(A) ::= winbase(B) winpartition(P) winorder(O) winframe(F).
                                               { A = ast_window(p->arena, F, B, P, O); }
%type winbase {Name}
winbase(A) ::= .                               { A = EMPTY_NAME; }
winbase(A) ::= ID(N).                          { A = NM(N); }
%type winpartition {ExprList}
winpartition(A) ::= .                          { A = (ExprList){0}; }
winpartition(A) ::= PARTITION BY aexprs(X).     { A = X; }
%type winorder {OrderList}
winorder(A) ::= .                              { A = (OrderList){0}; }
winorder(A) ::= ORDER BY orderitems(X).         { A = X; }
%type winframe {Window}
winframe(A) ::= .                              { A = (Window){0}; }
winframe(A) ::= ROWS frameextent(X).            { A = ast_frame_unit(X, 1); }
winframe(A) ::= RANGE frameextent(X).           { A = ast_frame_unit(X, 2); }
%type frameextent {Window}
frameextent(A) ::= framebound(B).              { A = ast_frame(p->arena, B, (FrameBound){0}); }
frameextent(A) ::= BETWEEN framebound(X) AND framebound(Y).
                                               { A = ast_frame(p->arena, X, Y); }
%type framebound {FrameBound}
framebound(A) ::= UNBOUNDED PRECEDING.         { A = (FrameBound){FB_UNBOUNDED_PRECEDING, NULL}; }
framebound(A) ::= UNBOUNDED FOLLOWING.         { A = (FrameBound){FB_UNBOUNDED_FOLLOWING, NULL}; }
framebound(A) ::= CURRENT ROW.                 { A = (FrameBound){FB_CURRENT_ROW, NULL}; }
framebound(A) ::= expr(E) PRECEDING.           { A = (FrameBound){FB_PRECEDING, E}; }
framebound(A) ::= expr(E) FOLLOWING.           { A = (FrameBound){FB_FOLLOWING, E}; }

/* ==== Expressions ========================================================= */

/* aexpr may carry an alias; ClickHouse allows `sum(x AS y)` and
 * `(a + 1 AS b) * 2`, so aliases are expressions, not only select items. */
%type aexpr {Expr *}
aexpr(A) ::= expr(A).
aexpr(A) ::= expr(E) AS ID(N).                 { A = ast_alias(p->arena, E, NM(N), false); }

%type aexprs {ExprList}
aexprs(A) ::= aexpr(X).                        { LIST_FIRST(p->arena, A, X); }
aexprs(A) ::= aexprs(A) COMMA aexpr(X).        { *LIST_PUSH(p->arena, &A) = X; }

%type exprs {ExprList}
exprs(A) ::= expr(X).                          { LIST_FIRST(p->arena, A, X); }
exprs(A) ::= exprs(A) COMMA expr(X).           { *LIST_PUSH(p->arena, &A) = X; }

%type expr {Expr *}
expr(A) ::= term(A).
expr(A) ::= expr(X) ARROW expr(Y).             { A = DEEP(ast_triple(p->arena, EX_LAMBDA, X, Y, NULL, span_cover(X->span, Y->span))); }
expr(A) ::= star(X) APPLY ID(F) ARROW expr(B). { A = ast_transform(p->arena, XF_APPLY, 0, X, ast_triple(p->arena, EX_LAMBDA, ast_column(p->arena, ast_names1(&p->scratch, NM(F)), SP(F)), B, NULL, span_cover(SP(F), B->span)), B->span); }
expr(A) ::= expr(X) QUESTION expr(Y) COLON expr(Z).
                                               { A = DEEP(ast_triple(p->arena, EX_TERNARY, X, Y, Z, span_cover(X->span, Z->span))); }
expr(A) ::= expr(X) OR expr(Y).                { A = DEEP(ast_binary(p->arena, OP_OR, X, Y)); }
expr(A) ::= expr(X) AND expr(Y).               { A = DEEP(ast_binary(p->arena, OP_AND, X, Y)); }
expr(A) ::= NOT(K) expr(X).                    { A = DEEP(ast_unary(p->arena, OP_NOT, SP(K), X)); }
expr(A) ::= expr(X) EQ expr(Y).                { A = DEEP(ast_binary(p->arena, OP_EQ, X, Y)); }
expr(A) ::= expr(X) NE expr(Y).                { A = DEEP(ast_binary(p->arena, OP_NE, X, Y)); }
expr(A) ::= expr(X) NULL_SAFE_EQ expr(Y).      { A = DEEP(ast_binary(p->arena, OP_NULL_SAFE_EQ, X, Y)); }
expr(A) ::= expr(X) LT expr(Y).                { A = DEEP(ast_binary(p->arena, OP_LT, X, Y)); }
expr(A) ::= expr(X) GT expr(Y).                { A = DEEP(ast_binary(p->arena, OP_GT, X, Y)); }
expr(A) ::= expr(X) LE expr(Y).                { A = DEEP(ast_binary(p->arena, OP_LE, X, Y)); }
expr(A) ::= expr(X) GE expr(Y).                { A = DEEP(ast_binary(p->arena, OP_GE, X, Y)); }
expr(A) ::= expr(X) LIKE expr(Y).              { A = DEEP(ast_binary(p->arena, OP_LIKE, X, Y)); }
expr(A) ::= expr(X) NOT LIKE expr(Y). [LIKE]   { A = DEEP(ast_binary(p->arena, OP_NOT_LIKE, X, Y)); }
expr(A) ::= expr(X) ILIKE expr(Y).             { A = DEEP(ast_binary(p->arena, OP_ILIKE, X, Y)); }
expr(A) ::= expr(X) NOT ILIKE expr(Y). [LIKE]  { A = DEEP(ast_binary(p->arena, OP_NOT_ILIKE, X, Y)); }
expr(A) ::= expr(X) IN expr(Y).                { A = DEEP(ast_binary(p->arena, OP_IN, X, Y)); }
expr(A) ::= expr(X) NOT IN expr(Y). [IN]       { A = DEEP(ast_binary(p->arena, OP_NOT_IN, X, Y)); }
expr(A) ::= expr(X) GLOBAL_IN expr(Y).         { A = DEEP(ast_binary(p->arena, OP_GLOBAL_IN, X, Y)); }
expr(A) ::= expr(X) GLOBAL_NOT_IN expr(Y).     { A = DEEP(ast_binary(p->arena, OP_GLOBAL_NOT_IN, X, Y)); }
expr(A) ::= expr(X) NOT_LIKE expr(Y).          { A = DEEP(ast_binary(p->arena, OP_NOT_LIKE, X, Y)); }
expr(A) ::= expr(X) NOT_ILIKE expr(Y).         { A = DEEP(ast_binary(p->arena, OP_NOT_ILIKE, X, Y)); }
expr(A) ::= expr(X) NOT_IN expr(Y).            { A = DEEP(ast_binary(p->arena, OP_NOT_IN, X, Y)); }
expr(A) ::= expr(X) NOT_BETWEEN expr(Y) AND expr(Z).
                                               { A = DEEP(ast_flag(ast_triple(p->arena, EX_BETWEEN, X, Y, Z, span_cover(X->span, Z->span)), EF_NOT)); }
expr(A) ::= expr(X) BETWEEN expr(Y) AND expr(Z). [BETWEEN]
                                               { A = DEEP(ast_triple(p->arena, EX_BETWEEN, X, Y, Z, span_cover(X->span, Z->span))); }
expr(A) ::= expr(X) NOT BETWEEN expr(Y) AND expr(Z). [BETWEEN]
                                               { A = DEEP(ast_flag(ast_triple(p->arena, EX_BETWEEN, X, Y, Z, span_cover(X->span, Z->span)), EF_NOT)); }
expr(A) ::= expr(X) IS DISTINCT FROM expr(Y). [IS]
                                               { A = DEEP(ast_binary(p->arena, OP_IS_DISTINCT, X, Y)); }
expr(A) ::= expr(X) IS NOT DISTINCT FROM expr(Y). [IS]
                                               { A = DEEP(ast_binary(p->arena, OP_IS_NOT_DISTINCT, X, Y)); }
expr(A) ::= expr(X) IS NULL(N).                { A = DEEP(ast_triple(p->arena, EX_IS_NULL, X, NULL, NULL, span_cover(X->span, SP(N)))); }
expr(A) ::= expr(X) IS NOT NULL(N).            { A = DEEP(ast_flag(ast_triple(p->arena, EX_IS_NULL, X, NULL, NULL, span_cover(X->span, SP(N))), EF_NOT)); }
expr(A) ::= expr(X) CONCAT expr(Y).            { A = DEEP(ast_binary(p->arena, OP_CONCAT, X, Y)); }
expr(A) ::= expr(X) PLUS expr(Y).              { A = DEEP(ast_binary(p->arena, OP_PLUS, X, Y)); }
expr(A) ::= expr(X) MINUS expr(Y).             { A = DEEP(ast_binary(p->arena, OP_MINUS, X, Y)); }
expr(A) ::= expr(X) STAR expr(Y).              { A = DEEP(ast_binary(p->arena, OP_MUL, X, Y)); }
expr(A) ::= expr(X) SLASH expr(Y).             { A = DEEP(ast_binary(p->arena, OP_DIV, X, Y)); }
expr(A) ::= expr(X) PERCENT expr(Y).           { A = DEEP(ast_binary(p->arena, OP_MOD, X, Y)); }
expr(A) ::= expr(X) MOD expr(Y).               { A = DEEP(ast_binary(p->arena, OP_MOD, X, Y)); }
expr(A) ::= expr(X) DIV expr(Y).               { A = DEEP(ast_binary(p->arena, OP_INTDIV, X, Y)); }
expr(A) ::= MINUS(K) expr(X). [UMINUS]         { A = DEEP(ast_unary(p->arena, OP_NEG, SP(K), X)); }
expr(A) ::= PLUS expr(X). [UMINUS]             { A = X; }

/* ---- Stars and COLUMNS matchers ---- */

/* ClickHouse takes them anywhere an expression stands (`countIf(*, x)`,
 * `tuple(* EXCEPT (b))`), each followed by any chain of transformers:
 * `t.* EXCEPT STRICT (a) APPLY length REPLACE (a + 1 AS b)`. */
%type star {Expr *}
star(A) ::= STAR(S).                           { A = ast_star(p->arena, (NameList){0}, (NameList){0}, SP(S)); }
star(A) ::= path(Q) DOT STAR(S).               { A = ast_star(p->arena, Q, (NameList){0}, span_cover(Q.v[0].span, SP(S))); }
star(A) ::= COLUMNS(B) LP exprs(L) RP(E).      { A = ast_columns(p->arena, NULL, L, span_cover(SP(B), SP(E))); }
star(A) ::= path(Q) DOT COLUMNS LP exprs(L) RP(E).
                                               { A = ast_columns(p->arena, ast_column(p->arena, Q, span_cover(Q.v[0].span, Q.v[Q.n - 1].span)), L, span_cover(Q.v[0].span, SP(E))); }
star(A) ::= star(X) EXCEPT strict(S) LP exprs(L) RP(E).
                                               { A = parse_star_except(p, X, S, L, SP(E)); }
star(A) ::= star(X) EXCEPT strict(S) ID(N).    { A = parse_star_except(p, X, S, ast_exprs1(p->arena, ast_column(p->arena, ast_names1(&p->scratch, NM(N)), SP(N))), SP(N)); }
/* [LOWEST]: `APPLY x -> f(x)` is a lambda without parentheses, which ends
 * the chain as a lambda ends an expression (rule below, with expr). */
star(A) ::= star(X) APPLY ID(F). [LOWEST]      { A = ast_transform(p->arena, XF_APPLY, 0, X, ast_column(p->arena, ast_names1(&p->scratch, NM(F)), SP(F)), SP(F)); }
star(A) ::= star(X) APPLY LP expr(F) RP(E).    { A = ast_transform(p->arena, XF_APPLY, 0, X, F, SP(E)); }
star(A) ::= star(X) REPLACE strict(S) LP aexprs(L) RP(E).
                                               { A = ast_transform(p->arena, XF_REPLACE, S, X, ast_list(p->arena, EX_TUPLE, L, SP(E)), SP(E)); }
%type strict {int}
strict(A) ::= .                                { A = 0; }
strict(A) ::= STRICT.                          { A = EF_STRICT; }

/* ---- Terms ---- */

%type term {Expr *}
term(A) ::= INTEGER(T). [LOWEST]               { A = ast_expr(p->arena, EX_INTEGER, SP(T)); }
term(A) ::= FLOAT(T). [LOWEST]                 { A = ast_expr(p->arena, EX_FLOAT, SP(T)); }
term(A) ::= STRING(T).                         { A = ast_expr(p->arena, EX_STRING, SP(T)); }
term(A) ::= NULL(T).                           { A = ast_expr(p->arena, EX_NULL, SP(T)); }
term(A) ::= TRUE(T).                           { A = ast_with_op(ast_expr(p->arena, EX_BOOL, SP(T)), 1); }
term(A) ::= FALSE(T).                          { A = ast_expr(p->arena, EX_BOOL, SP(T)); }
/* [LOWEST]: after a path, a DOT continues the path (`t.a`, `t.*`, `t.1`)
 * rather than ending it. */
term(A) ::= path(L). [LOWEST]                  { A = ast_column(p->arena, L, span_cover(L.v[0].span, L.v[L.n - 1].span)); }
term(A) ::= LP aexpr(X) RP.                    { A = ast_parens(X); }
term(A) ::= LP(B) aexpr(X) COMMA RP(E).        { A = ast_list(p->arena, EX_TUPLE, ast_exprs1(p->arena, X), span_cover(SP(B), SP(E))); }
/* `(a, b,)`: ClickHouse takes a trailing comma in a tuple (a table's
 * `ORDER BY (a, b,)`, highlight's alert_state_changes, chDB 26.5; 18.16
 * refuses it, 62), not in a call's arguments nor in an array. */
term(A) ::= LP(B) aexpr(X) COMMA aexprs(L) comma_opt RP(E).
                                               { A = ast_list(p->arena, EX_TUPLE, parse_prepend(p, X, L), span_cover(SP(B), SP(E))); }
term(A) ::= LP(B) RP(E).                       { A = ast_list(p->arena, EX_TUPLE, (ExprList){0}, span_cover(SP(B), SP(E))); }
term(A) ::= LP(B) select(Q) RP(E).             { A = ast_subquery(p->arena, EX_SUBQUERY, Q, span_cover(SP(B), SP(E))); }
term(A) ::= EXISTS(B) LP select(Q) RP(E).      { A = ast_subquery(p->arena, EX_EXISTS, Q, span_cover(SP(B), SP(E))); }
/* `view(SELECT ...)`, a table function's argument: the SELECT is bare
 * (ClickHouse refuses `view((SELECT 1))` and a SELECT in other calls). */
term(A) ::= ID(N) LP(B) select(Q) RP(E).       { A = parse_view_call(p, N, ast_subquery(p->arena, EX_SUBQUERY, Q, span_cover(SP(B), SP(E))), span_cover(SP(N), SP(E))); }
term(A) ::= EXISTS(B) LP LP select(Q) RP RP(E). { A = ast_subquery(p->arena, EX_EXISTS, Q, span_cover(SP(B), SP(E))); }
term(A) ::= LB(B) RB(E).                       { A = ast_list(p->arena, EX_ARRAY, (ExprList){0}, span_cover(SP(B), SP(E))); }
/* No trailing comma in an array: ClickHouse refuses `[1, 2,]` (62, chDB
 * 26.5 and 18.16) as it does in a call's arguments. */
term(A) ::= LB(B) aexprs(L) RB(E).             { A = ast_list(p->arena, EX_ARRAY, L, span_cover(SP(B), SP(E))); }
term(A) ::= call(A).
term(A) ::= star(A). [LOWEST]   /* `* EXCEPT (a)` a transformer, not a set operation */
term(A) ::= ncall(C) OVER ID(W).               { A = ast_over_name(p->arena, C, NM(W), span_cover(C->span, SP(W))); }
term(A) ::= ncall(C) OVER LP window(W) RP(E).  { A = ast_over(p->arena, C, W, span_cover(C->span, SP(E))); }
term(A) ::= call(C) nullsaction(N).            { A = ast_flag(C, N); }
/* first_value(x) RESPECT NULLS OVER (...) */
%type ncall {Expr *}
ncall(A) ::= call(A).
ncall(A) ::= call(C) nullsaction(N).           { A = ast_flag(C, N); }
%type nullsaction {int}
nullsaction(A) ::= RESPECT NULLS.              { A = EF_RESPECT_NULLS; }
nullsaction(A) ::= IGNORE NULLS.               { A = EF_IGNORE_NULLS; }
term(A) ::= CASE(B) caseop(O) casearms(L) caseelse(X) END(E).
                                               { A = ast_case(p->arena, O, L, X, span_cover(SP(B), SP(E))); }
term(A) ::= CAST(B) LP expr(X) AS type(T) RP(E).  { A = ast_cast(p->arena, X, T, span_cover(SP(B), SP(E))); }
/* CAST(x AS a AS T): the operand with an alias, as ClickHouse allows. */
term(A) ::= CAST(B) LP expr(X) AS ID(N) AS type(T) RP(E).
                                               { A = ast_cast(p->arena, ast_alias(p->arena, X, NM(N), false), T, span_cover(SP(B), SP(E))); }
term(A) ::= CAST(B) LP expr(X) COMMA expr(Y) RP(E).
                                               { A = ast_call(p->arena, NM(B), ast_append2(p->arena, (ExprList){0}, X, Y), span_cover(SP(B), SP(E))); }
term(A) ::= term(X) DCOLON type(T).            { A = DEEP(ast_dcolon(p->arena, X, T, span_cover(X->span, parse_last_span(p)))); }
/* `-1::Int8` is the literal -1 read as Int8 (ClickHouse takes the text
 * before `::`), not the negation of 1::Int8. */
term(A) ::= MINUS(K) INTEGER(T) DCOLON type(Y). { A = ast_dcolon(p->arena, ast_unary(p->arena, OP_NEG, SP(K), ast_expr(p->arena, EX_INTEGER, SP(T))), Y, span_cover(SP(K), parse_last_span(p))); }
term(A) ::= MINUS(K) FLOAT(T) DCOLON type(Y).   { A = ast_dcolon(p->arena, ast_unary(p->arena, OP_NEG, SP(K), ast_expr(p->arena, EX_FLOAT, SP(T))), Y, span_cover(SP(K), parse_last_span(p))); }
/* INTERVAL expr unit: the operand is any expression, ended by the unit
 * (`INTERVAL number * 600 SECOND`, `INTERVAL 2 days`). `INTERVAL '1 day'`
 * carries its unit in the string: the driver gives that INTERVAL its own
 * token (INTERVAL_TEXT), since one token of lookahead cannot tell it from
 * `INTERVAL '2' DAY`. */
term(A) ::= INTERVAL(B) expr(X) UNIT(U).       { A = ast_with_name(ast_triple(p->arena, EX_INTERVAL, X, NULL, NULL, span_cover(SP(B), SP(U))), NM(U)); }
term(A) ::= INTERVAL_TEXT(B) STRING(S).        { A = ast_triple(p->arena, EX_INTERVAL, ast_expr(p->arena, EX_STRING, SP(S)), NULL, NULL, span_cover(SP(B), SP(S))); }
term(A) ::= EXTRACT(B) LP UNIT(U) FROM expr(X) RP(E).
                                               { A = ast_with_name(ast_triple(p->arena, EX_EXTRACT, X, NULL, NULL, span_cover(SP(B), SP(E))), NM(U)); }
term(A) ::= TRIM(B) LP aexprs(L) RP(E).        { A = ast_call(p->arena, NM(B), L, span_cover(SP(B), SP(E))); }
/* substring(s FROM a [FOR n]) is substring(s, a[, n]). */
term(A) ::= SUBSTRING(B) LP aexprs(L) RP(E).   { A = ast_call(p->arena, NM(B), L, span_cover(SP(B), SP(E))); }
term(A) ::= SUBSTRING(B) LP expr(X) FROM expr(F) RP(E).
                                               { A = ast_call(p->arena, NM(B), ast_append2(p->arena, (ExprList){0}, X, F), span_cover(SP(B), SP(E))); }
term(A) ::= SUBSTRING(B) LP expr(X) FROM expr(F) FOR expr(N) RP(E).
                                               { A = ast_call(p->arena, NM(B), parse_prepend(p, X, ast_append2(p->arena, (ExprList){0}, F, N)), span_cover(SP(B), SP(E))); }
/* DATE '2001-09-29' is toDate('2001-09-29'), TIMESTAMP '...' toDateTime('...'). */
term(A) ::= TYPED_LITERAL(T) STRING(S).        { A = parse_typed_literal(p, SP(T), ast_expr(p->arena, EX_STRING, SP(S))); }
term(A) ::= EXTRACT(B) LP aexprs(L) RP(E).     { A = ast_call(p->arena, NM(B), L, span_cover(SP(B), SP(E))); }
term(A) ::= TRIM(B) LP trimside(S) expr(C) FROM expr(X) RP(E).
                                               { A = ast_with_op(ast_triple(p->arena, EX_TRIM, X, C, NULL, span_cover(SP(B), SP(E))), S); }
term(A) ::= term(X) LB aexpr(I) RB(E).         { A = DEEP(ast_triple(p->arena, EX_SUBSCRIPT, X, I, NULL, span_cover(X->span, SP(E)))); }
term(A) ::= term(X) DOT INTEGER(I).            { A = DEEP(ast_triple(p->arena, EX_TUPLE_INDEX, X, ast_expr(p->arena, EX_INTEGER, SP(I)), NULL, span_cover(X->span, SP(I)))); }
term(A) ::= path(L) DOT INTEGER(I).            { A = ast_tuple_index(p->arena, L, SP(I)); }
/* Element access on any expression: (1, 2).-1, f(x).a, x::JSON.a. */
term(A) ::= term(X) DOT MINUS(M) INTEGER(I).   { A = DEEP(ast_triple(p->arena, EX_TUPLE_INDEX, X, ast_unary(p->arena, OP_NEG, SP(M), ast_expr(p->arena, EX_INTEGER, SP(I))), NULL, span_cover(X->span, SP(I)))); }
term(A) ::= term(X) DOT ID(N).                 { A = DEEP(ast_triple(p->arena, EX_TUPLE_INDEX, X, ast_column(p->arena, ast_names1(&p->scratch, NM(N)), SP(N)), NULL, span_cover(X->span, SP(N)))); }

%type trimside {int}
trimside(A) ::= BOTH.                          { A = 0; }
trimside(A) ::= LEADING.                       { A = 1; }
trimside(A) ::= TRAILING.                      { A = 2; }

%type path {NameList}
path(A) ::= ID(N).                             { LIST_FIRST(&p->scratch, A, NM(N)); }
path(A) ::= path(A) DOT ID(N).                 { *LIST_PUSH(&p->scratch, &A) = NM(N); }
/* JSON subcolumn paths, kept as written: json.^a (a sub-object),
 * json.a.:Int64 (a typed path), json.arr[].x (inside an array of JSON). */
path(A) ::= path(A) DOT CARET(C) ID(N).        { *LIST_PUSH(&p->scratch, &A) = parse_verbatim(p, SP(C), SP(N)); }
path(A) ::= path(A) DOT COLON(C) ID(N).        { *LIST_PUSH(&p->scratch, &A) = parse_verbatim(p, SP(C), SP(N)); }
path(A) ::= path(A) EMPTY_SUB(S).              { A.v[A.n - 1] = parse_verbatim(p, A.v[A.n - 1].span, SP(S)); }

/* f(args) or the parametric form f(params)(args); a third list is not
 * ClickHouse and is a syntax error. */
%type call {Expr *}
call(A) ::= ID(N) LP callargs(L) RP(E).        { A = ast_flag(ast_call(p->arena, NM(N), L.list, span_cover(SP(N), SP(E))), L.flags); }
call(A) ::= ID(N) LP callargs(P) RP LP callargs(L) RP(E).
                                               { A = ast_parametric(p->arena, ast_call(p->arena, NM(N), L.list, span_cover(SP(N), SP(E))), P.list, L.flags); }
%type callargs {CallArgs}
callargs(A) ::= .                              { A = (CallArgs){0}; }
callargs(A) ::= aexprs(L).                     { A = parse_callargs(p, L, 0); }
callargs(A) ::= DISTINCT aexprs(L).            { A = (CallArgs){L, EF_DISTINCT}; }
callargs(A) ::= ALL aexprs(L).                 { A = (CallArgs){L, 0}; }

%type caseop {Expr *}
caseop(A) ::= .                                { A = NULL; }
caseop(A) ::= expr(A).
%type casearms {ExprList}
casearms(A) ::= WHEN expr(W) THEN expr(T).     { A = ast_append2(p->arena, (ExprList){0}, W, T); }
casearms(A) ::= casearms(A) WHEN expr(W) THEN expr(T).
                                               { A = ast_append2(p->arena, A, W, T); }
%type caseelse {Expr *}
caseelse(A) ::= .                              { A = NULL; }
caseelse(A) ::= ELSE expr(X).                   { A = X; }

%type mapitems {ExprList}
mapitems(A) ::= expr(K) COLON expr(V).         { A = ast_append2(p->arena, (ExprList){0}, K, V); }
mapitems(A) ::= mapitems(A) COMMA expr(K) COLON expr(V).
                                               { A = ast_append2(p->arena, A, K, V); }

%code {
/* Would the parser shift `token` from its current state? This runs the
 * parser's own reduce loop on state numbers only: the real stack is read,
 * never written, and states pushed by reductions go to a small overlay. */
int mvd_parser_accepts(void *parser, int token)
{
    yyParser *pp = parser;
    enum { OVERLAY = 64 };
    YYACTIONTYPE overlay[OVERLAY];
    int base = (int)(pp->yytos - pp->yystack), n = 0;
    YYACTIONTYPE act = pp->yytos->stateno;
    for (int steps = 0; steps < 1000; steps++) {
        act = yy_find_shift_action((YYCODETYPE)token, act);
        if (act < YY_MIN_REDUCE)
            return act <= YY_MAX_SHIFTREDUCE || act == YY_ACCEPT_ACTION;
        unsigned rule = act - YY_MIN_REDUCE;
        int pop = -yyRuleInfoNRhs[rule];
        if (pop <= n) {
            n -= pop;
        } else {
            base -= pop - n;
            n = 0;
        }
        if (base < 0 || n == OVERLAY)
            return 0;
        YYACTIONTYPE top = n ? overlay[n - 1] : pp->yystack[base].stateno;
        act = yy_find_reduce_action(top, (YYCODETYPE)yyRuleInfoLhs[rule]);
        overlay[n++] = act;
    }
    return 0;
}

int mvd_parser_token_count(void) { return YYNTOKEN; }
}
