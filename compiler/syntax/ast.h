/* The abstract syntax tree of .mvd sources.
 *
 * Every node lives in the compilation's arena and points into the source
 * text: names are slices ({s, len}) of the file, copied only when quoting
 * had to be undone. Nodes are built by the grammar's actions (via the
 * constructors in ast.c) and never judged there: all checks are later
 * passes. Lists are plain growable arrays held by value. */
#ifndef MVD_AST_H
#define MVD_AST_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "base/arena.h"

typedef struct Span {
    uint32_t off;
    uint32_t len;
} Span;

/* An identifier with its source location. s is not NUL-terminated. */
typedef struct Name {
    const char *s;
    uint32_t len;
    Span span;
    /* Whether it prints as written (print_name_is_plain): 0 not known yet,
     * 1 yes, 2 it must be quoted, 3 printed as written (a JSON path part:
     * ^a, :Int64, arr[]). The parser knows it from the lexer for most
     * names; in the padding, so Name stays 24 bytes. */
    uint8_t plain;
} Name;

/* Names compare byte for byte: ClickHouse names are case-sensitive. */
static inline bool name_eq(Name a, Name b)
{
    return a.len == b.len && (a.len == 0 || (a.s[0] == b.s[0] && memcmp(a.s, b.s, a.len) == 0));
}
bool name_is(Name a, const char *s);
/* The name NUL-terminated, copied into a. */
const char *name_cstr(Arena *a, Name n);

#define LIST_OF(T) struct { T *v; int n; int cap; }

typedef struct Expr Expr;
typedef struct Select Select;
typedef struct TypeExpr TypeExpr;
typedef struct Window Window;

typedef LIST_OF(Expr *) ExprList;
typedef LIST_OF(Name) NameList;

/* A possibly qualified object name: db.name or name (db.s == NULL). */
typedef struct QName {
    Name db;
    Name name;
    Span span;
} QName;
typedef LIST_OF(QName) QNameList;

/* ---- Types ------------------------------------------------------------ */

enum TypeArgKind {
    TARG_TYPE,   /* a nested type, or a function with parameters */
    TARG_NUMBER, /* 18 in Decimal(18, 4), 0.5 in quantiles(0.5) */
    TARG_STRING, /* 'UTC' in DateTime('UTC') */
    TARG_ENUM,   /* 'a' = 1 in Enum8('a' = 1) */
    TARG_FIELD,  /* a String in Tuple(a String); a.b UInt32 in JSON(a.b UInt32) */
    TARG_SETTING, /* max_dynamic_paths = 8 in JSON(...), tokenizer = 'array' in text(...) */
    TARG_SKIP    /* SKIP a.b (field) or SKIP REGEXP 'x' (lit) in JSON(...) */
};

typedef struct TypeArg {
    uint8_t kind;
    Span lit;       /* NUMBER, STRING, ENUM, SETTING: the literal (with any sign); SKIP: the regexp */
    Span value;     /* ENUM: the number */
    Name field;     /* FIELD: the element name (or path); SETTING: the key; SKIP: the path */
    TypeExpr *type; /* TYPE, FIELD */
} TypeArg;
typedef LIST_OF(TypeArg) TypeArgList;

struct TypeExpr {
    Name name;
    Span span;
    bool has_parens; /* `Tuple()` differs from `Tuple` */
    TypeArgList args;
    const struct Type *resolved; /* its meaning, once read */
};

/* ---- Expressions ------------------------------------------------------- */

typedef enum ExprKind {
    EX_INTEGER,
    EX_FLOAT,
    EX_STRING,
    EX_NULL,
    EX_BOOL,
    EX_COLUMN,      /* path: a, t.a, db.t.a */
    EX_STAR,        /* *, t.* (path), EXCEPT list in list */
    EX_CALL,        /* name(args), name(params)(args), OVER */
    EX_UNARY,       /* op a */
    EX_BINARY,      /* a op b */
    EX_BETWEEN,     /* a [NOT] BETWEEN b AND c */
    EX_IS_NULL,     /* a IS [NOT] NULL */
    EX_TERNARY,     /* a ? b : c */
    EX_CASE,        /* CASE [a] WHEN list[2i] THEN list[2i+1] [ELSE c] END */
    EX_CAST,        /* CAST(a AS type), a::type; CAST(a, 'T') is a call */
    EX_INTERVAL,    /* INTERVAL a unit (name), INTERVAL 'text' */
    EX_LAMBDA,      /* a -> b */
    EX_ARRAY,       /* [list] */
    EX_TUPLE,       /* (list) */
    EX_MAP,         /* {list[2i]: list[2i+1]} */
    EX_SUBSCRIPT,   /* a[b] */
    EX_TUPLE_INDEX, /* a.N (b is the integer) */
    EX_SUBQUERY,    /* (SELECT ...) */
    EX_EXISTS,      /* EXISTS (SELECT ...) */
    EX_ALIAS,       /* a AS name */
    EX_EXTRACT,     /* EXTRACT(unit FROM a) */
    EX_TRIM,        /* TRIM([BOTH|LEADING|TRAILING] b FROM a) */
    EX_COLUMNS,     /* [a.]COLUMNS(list b): a is the qualifier column or NULL */
    EX_TRANSFORM    /* a EXCEPT/APPLY/REPLACE b (op XF_*): a star's or COLUMNS' transformer */
} ExprKind;

/* A column transformer (EX_TRANSFORM's op): b is the tuple of EXCEPT's
 * names or patterns, APPLY's function (a name, a parametric call or a
 * lambda) or the tuple of REPLACE's `expr AS name` items. */
enum Transformer { XF_EXCEPT = 1, XF_APPLY, XF_REPLACE };

typedef enum Op {
    OP_NONE,
    OP_NEG, OP_NOT,
    OP_PLUS, OP_MINUS, OP_MUL, OP_DIV, OP_MOD, OP_INTDIV, OP_CONCAT,
    OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE,
    OP_AND, OP_OR,
    OP_LIKE, OP_NOT_LIKE, OP_ILIKE, OP_NOT_ILIKE,
    OP_IN, OP_NOT_IN, OP_GLOBAL_IN, OP_GLOBAL_NOT_IN,
    OP_NULL_SAFE_EQ, /* a <=> b, isNotDistinctFrom */
    OP_IS_DISTINCT, OP_IS_NOT_DISTINCT /* a IS [NOT] DISTINCT FROM b, bound as IS NULL */
} Op;

enum ExprFlag {
    EF_NOT = 1,        /* NOT BETWEEN, IS NOT NULL */
    EF_DISTINCT = 2,   /* f(DISTINCT x) */
    EF_STAR_ARG = 4,   /* count(*) */
    EF_PARAMETRIC = 8, /* f(params)(args): params in list, args in args */
    EF_IMPLICIT = 16,  /* an alias written without AS */
    EF_DCOLON = 32,    /* CAST written x::T, which ClickHouse reads otherwise */
    EF_PARENS = 64,    /* written in parentheses: (a AND b) AND c, -(1) */
    EF_STRICT = 128,   /* * EXCEPT STRICT (...), * REPLACE STRICT (...) */
    EF_RESPECT_NULLS = 256, /* f(x) RESPECT NULLS: not in EXPLAIN AST, but a different function */
    EF_IGNORE_NULLS = 512,  /* f(x) IGNORE NULLS */
    EF_SELECT_ARG = 1024    /* view(SELECT ...): the one argument a bare SELECT */
};

/* The rarer parts of a call, allocated only when written. */
typedef struct CallExtra {
    ExprList params;  /* quantiles(0.5, 0.9)(x): the 0.5, 0.9 */
    Window *over;     /* OVER (...) */
    Name window;      /* OVER w */
} CallExtra;

struct Expr {
    uint8_t kind;  /* ExprKind */
    uint8_t op;    /* Op for UNARY/BINARY, trim side for TRIM */
    uint16_t flags;
    Span span;
    /* Levels of operators below and including this node (1 for a leaf):
     * the parser refuses a tree deeper than the later passes can recurse
     * (PARSE_MAX_DEPTH), and a chain `a + a + ...` grows it without any
     * bracket. In the padding, so Expr keeps its size. */
    uint32_t depth;
    Name name; /* CALL: function; ALIAS: alias; INTERVAL/EXTRACT: unit;
                  COLUMN: last part of the path */
    union {
        struct { Expr *a, *b, *c; } x;
        struct { Expr *operand, *otherwise; ExprList arms; } kase;
        struct { ExprList args; struct CallExtra *extra; } call;
        struct { ExprList items; } list;
        struct { Expr *a; TypeExpr *type; } cast;
        struct { Select *query; } sub;
        struct { NameList parts; NameList except; } path;
    } u;
};

/* ---- SELECT -------------------------------------------------------------- */

typedef struct OrderItem {
    Expr *expr;
    bool desc;
    uint8_t nulls; /* 0, 1 first, 2 last */
    Span collate;
    bool fill;
    Expr *fill_from, *fill_to, *fill_step, *fill_staleness;
} OrderItem;
typedef LIST_OF(OrderItem) OrderList;

/* One end of a window frame. */
typedef enum FrameBoundKind {
    FB_NONE, FB_UNBOUNDED_PRECEDING, FB_UNBOUNDED_FOLLOWING, FB_CURRENT_ROW,
    FB_PRECEDING, FB_FOLLOWING /* expr PRECEDING, expr FOLLOWING */
} FrameBoundKind;

typedef struct FrameBound {
    uint8_t kind;
    Expr *expr;
} FrameBound;

struct Window {
    Span span;
    Name base;   /* OVER (w ORDER BY ...) */
    ExprList partition;
    OrderList order;
    ExprList frame;  /* expressions in the frame bounds */
    uint8_t frame_unit; /* 0 none, 1 ROWS, 2 RANGE */
    FrameBound lo, hi;  /* hi.kind FB_NONE: no BETWEEN */
};

typedef struct WindowDef {
    Name name;
    Window *spec;
} WindowDef;
typedef LIST_OF(WindowDef) WindowDefList;

typedef struct Setting {
    Name key;
    Expr *value;
} Setting;
typedef LIST_OF(Setting) SettingList;

/* WITH x AS (SELECT ...) is a CTE (query set, expr NULL); WITH e AS x is
 * an expression alias (expr set). */
typedef struct WithItem {
    Expr *expr;
    Name name;
    Select *query;
    NameList columns; /* WITH t(a, b) AS (SELECT ...): the CTE's column names */
    Span span;
} WithItem;
typedef LIST_OF(WithItem) WithList;

enum JoinFlag {
    JF_GLOBAL = 1, JF_ANY = 2, JF_ALL = 4, JF_ASOF = 8, JF_SEMI = 16,
    JF_ANTI = 32, JF_INNER = 64, JF_LEFT = 128, JF_RIGHT = 256,
    JF_FULL = 512, JF_OUTER = 1024, JF_CROSS = 2048, JF_PASTE = 4096,
    JF_COMMA = 8192
};

typedef enum FromKind {
    FROM_TABLE,      /* db.t or a CTE name */
    FROM_SUBQUERY,
    FROM_FUNCTION,   /* numbers(10), remote(...) */
    FROM_ARRAY_JOIN
} FromKind;

/* `FROM (EXPLAIN [kind] [setting = v, ...] SELECT ...)`: a FROM_SUBQUERY
 * whose query is explained, not run. EXPLAIN PLAN is plain EXPLAIN. */
typedef enum ExplainKind {
    EXPLAIN_NONE, EXPLAIN_PLAN, EXPLAIN_AST, EXPLAIN_SYNTAX, EXPLAIN_QUERY_TREE,
    EXPLAIN_PIPELINE, EXPLAIN_ESTIMATE
} ExplainKind;

typedef struct FromItem {
    uint8_t kind;
    uint8_t explain; /* ExplainKind of a FROM_SUBQUERY */
    uint16_t join;  /* JoinFlag set; 0 for the first item */
    bool is_join;   /* every item after the first */
    bool final;
    Span span;
    QName table;
    Expr *func;
    Select *query;
    Name alias;
    Expr *sample, *sample_offset;
    Expr *on;
    NameList using_cols;
    ExprList array_items; /* ARRAY JOIN items (EX_ALIAS where aliased) */
    SettingList settings;    /* (EXPLAIN k = v ...), f(args, SETTINGS k = v) */
    NameList column_aliases; /* `AS t(a, b)` */
} FromItem;
typedef LIST_OF(FromItem *) FromList;

enum GroupFlag {
    GF_ROLLUP = 1, GF_CUBE = 2, GF_TOTALS = 4, GF_ALL = 8, GF_SETS = 16
};

typedef struct GroupBy {
    ExprList exprs;
    uint8_t flags;
} GroupBy;

typedef struct Limit {
    Expr *count, *offset;
    bool ties;
} Limit;

typedef struct Limits {
    Limit by_limit;  /* LIMIT n BY ... */
    ExprList by;
    Limit limit;
    Expr *offset_only; /* OFFSET n without LIMIT */
    bool by_all;       /* LIMIT n BY ALL */
} Limits;

/* How a member of a set operation is combined with the next, as written.
 * ClickHouse binds INTERSECT tighter than UNION and EXCEPT; the chain keeps
 * the written order and parentheses (Select.open/close), which is all a
 * reprint needs, and all that the passes need (the columns are the first
 * member's, every member is read). */
enum UnionKind {
    UNION_NONE, UNION_ALL, UNION_DISTINCT, UNION_DEFAULT,
    INTERSECT_DEFAULT, INTERSECT_ALL, INTERSECT_DISTINCT,
    EXCEPT_DEFAULT, EXCEPT_ALL, EXCEPT_DISTINCT
};

struct Select {
    Span span;
    WithList with;
    bool distinct;
    ExprList distinct_on;
    ExprList items;
    FromList from;
    Expr *prewhere, *where, *having, *qualify;
    GroupBy group;
    WindowDefList windows;
    OrderList order;
    bool order_all;
    bool order_all_desc;     /* ORDER BY ALL DESC */
    uint8_t order_all_nulls; /* ORDER BY ALL NULLS FIRST (1) / LAST (2) */
    Limits limits;
    SettingList settings;
    ExprList interpolate; /* INTERPOLATE (a AS e, b): EX_ALIAS where given */
    bool has_interpolate; /* INTERPOLATE, even with no list */
    bool recursive;       /* WITH RECURSIVE */
    uint8_t union_kind; /* how `next` is combined with this one */
    Span op_span;         /* the operator's words before `next` */
    uint8_t open, close;  /* parentheses opened before, closed after this
                           * member of a set operation */
    Select *next;
    Select *last; /* the chain's head only: its last member, so that a
                   * union of n members is built in O(n) */
};

/* ---- Declarations --------------------------------------------------------- */

typedef enum DefaultKind {
    DEF_NONE, DEF_DEFAULT, DEF_MATERIALIZED, DEF_ALIAS, DEF_EPHEMERAL
} DefaultKind;

/* A dictionary attribute's flags (HIERARCHICAL, INJECTIVE, IS_OBJECT_ID),
 * in ClickHouse's order. */
enum { DICT_HIERARCHICAL = 1, DICT_INJECTIVE = 2, DICT_IS_OBJECT_ID = 4 };

/* What a column declaration says beyond `name Type`. Most columns say
 * nothing more, and they carry no ColumnMods at all: large tables stay
 * small in memory. */
typedef struct ColumnMods {
    Span doc;
    uint8_t default_kind;
    Span default_kw;  /* the DEFAULT/MATERIALIZED/... keyword */
    Expr *default_expr;
    ExprList codec;
    Expr *ttl;
    Span comment;     /* the string literal, quotes included; or the `---` doc
                       * comment standing for one (check/doc_comment.c) */
    Span dup_mod;     /* the first modifier written twice, if any */
    uint8_t dict_flags; /* DICT_*: dictionary attributes only */
    Expr *expression; /* a dictionary attribute's EXPRESSION (beside its DEFAULT) */
    Span bad_flag;    /* a word that is no flag ClickHouse knows */
} ColumnMods;

typedef struct Column {
    Name name;
    TypeExpr *type;
    Span span;
    ColumnMods *mods; /* NULL for a plain `name Type` */
    uint8_t null_mod; /* 0, 1 `NULL` (makes it Nullable), 2 `NOT NULL` */
} Column;
typedef LIST_OF(Column *) ColumnList;

/* INDEX name expr TYPE type [GRANULARITY n] */
typedef struct TableIndex {
    Name name;
    Expr *expr;
    TypeExpr *type;
    Span granularity;
    Span span;
} TableIndex;

/* CONSTRAINT name CHECK|ASSUME expr */
typedef struct Constraint {
    Name name;
    bool assume;
    Expr *expr;
    Span span;
} Constraint;

/* PROJECTION name (SELECT ...) */
typedef struct Projection {
    Name name;
    Select *query;
    Span span;
} Projection;

/* What the parentheses of a table hold, in the order written. */
typedef struct TableBody {
    ColumnList columns;
    LIST_OF(TableIndex *) indexes;
    LIST_OF(Constraint *) constraints;
    LIST_OF(Projection *) projections;
} TableBody;

typedef enum ClauseKind {
    CL_ENGINE, CL_PARTITION_BY, CL_ORDER_BY, CL_PRIMARY_KEY, CL_SAMPLE_BY,
    CL_TTL, CL_SETTINGS, CL_COMMENT,
    /* A dictionary's SOURCE(...), LAYOUT(...), LIFETIME(...), RANGE(...),
     * and any other word(...) (refused by the checker). */
    CL_SOURCE, CL_LAYOUT, CL_LIFETIME, CL_RANGE, CL_DICT_OTHER,
    /* Changes acknowledged for the plan's ALTERs; never part of CREATE. */
    CL_RENAME_COLUMN, CL_DROP_COLUMN, CL_NARROW_COLUMN,
    CL_COUNT
} ClauseKind;

enum { TTL_DELETE, TTL_TO_DISK, TTL_TO_VOLUME, TTL_RECOMPRESS, TTL_GROUP_BY };
typedef struct TtlItem {
    Expr *expr;
    uint8_t action; /* TTL_DELETE (the default), ... */
    Span target;    /* TO DISK, TO VOLUME: the name */
    Expr *where;    /* DELETE WHERE cond */
    ExprList codec; /* RECOMPRESS CODEC(...) */
    ExprList group; /* GROUP BY keys */
    ExprList set;   /* SET c = agg(c), ...: each an equality */
} TtlItem;
typedef LIST_OF(TtlItem) TtlList;

/* The arguments of a dictionary clause: SOURCE(CLICKHOUSE(TABLE 'src'
 * DB 'db')), LAYOUT(HASHED()), LIFETIME(MIN 0 MAX 300), LIFETIME(300),
 * RANGE(MIN a MAX b). Each is KEY value, KEY(...) or a bare number. */
typedef struct DictArg DictArg;
typedef LIST_OF(DictArg) DictArgList;
struct DictArg {
    Name key;          /* empty for a bare number */
    Span lit;          /* a string or number value */
    Name word;         /* a name value: RANGE(MIN a) */
    DictArgList *args; /* KEY(...): its arguments (KEY() has none) */
};

typedef struct Clause {
    uint8_t kind;
    Span span;
    union {
        Name engine;        /* ENGINE */
        Name column;        /* RENAME/DROP/NARROW COLUMN: the column */
    };
    bool engine_parens;
    ExprList args;  /* engine arguments */
    Expr *expr;     /* PARTITION/ORDER/PRIMARY/SAMPLE BY */
    TtlList ttl;
    SettingList settings;
    Span comment;   /* COMMENT: as ColumnMods.comment */
    Name *renamed;  /* RENAME COLUMN old TO new: the new name */
    DictArgList dargs; /* SOURCE, LAYOUT, ...: the word is in `engine` */
} Clause;
typedef LIST_OF(Clause) ClauseList;

typedef struct Lineage {
    QNameList pulls_from;
    QNameList pushes_to;
    Span pulls_kw, pushes_kw;
    int npulls_clauses, npushes_clauses;
} Lineage;

/* The parser's `backfill [by COLUMN]` before it lands in the Decl. */
typedef struct Backfill {
    Span kw;
    Name by;
} Backfill;

typedef struct Refresh {
    bool present;
    bool every;  /* EVERY, else AFTER */
    Span amount;
    Name unit;
    bool append;
    Span span;
} Refresh;

typedef struct Param {
    Name name;
    TypeExpr *type;
} Param;
typedef LIST_OF(Param) ParamList;

typedef enum DeclKind {
    DECL_OPTION, DECL_DATABASE, DECL_TABLE, DECL_EXTERNAL, DECL_VIEW,
    DECL_MV, DECL_FUNCTION, DECL_AGGREGATE, DECL_DROP_TABLE,
    DECL_DICTIONARY, /* columns, PRIMARY KEY, SOURCE, LAYOUT, ... in clauses */
    DECL_BROKEN /* a declaration that failed to parse: only its name is known */
} DeclKind;

struct SourceFile;
struct Object;

typedef struct Decl {
    uint8_t kind;
    bool local;     /* TABLE: `local table`, local to each host on purpose */
    Span span;      /* from the first token to the end of the statement */
    Span doc;       /* the `---` comment above, if any */
    struct SourceFile *file;
    QName name;     /* DATABASE/FUNCTION/OPTION: name.name only */
    QName as_table; /* TABLE x AS y: y (check/table_as.c copies its columns) */
    ColumnList columns;
    TableBody *extras;  /* indexes, constraints, projections; NULL when none */
    ClauseList clauses;
    Lineage lineage;
    Refresh refresh;
    Span backfill;  /* MV: the `backfill` keyword; len 0 when absent */
    Name backfill_by; /* MV: `backfill by COLUMN`, the source's ingestion time; len 0 when absent */
    Select *query;
    ParamList params;
    ParamList levels;   /* AGGREGATE: the parameters of a parametric aggregate */
    SettingList attrs;  /* FUNCTION/AGGREGATE: `settings nulls = 'self'` */
    TypeExpr *ret;
    Expr *body;     /* FUNCTION body; OPTION value */
    Name default_db;       /* the file's `database` in force here */
    struct Object *object; /* set by the resolver */
} Decl;
typedef LIST_OF(Decl *) DeclList;

/* ---- Constructors, called from the grammar's actions ---------------------- */

/* Appends one slot to a LIST_OF(T) and yields a pointer to it:
 *     *LIST_PUSH(arena, &list) = value; */
#define LIST_PUSH(arena, list)                                               \
    (list_grow((arena), (void **)&(list)->v, &(list)->cap, (list)->n,        \
               sizeof(*(list)->v)),                                          \
     &(list)->v[(list)->n++])
void list_grow(Arena *a, void **v, int *cap, int n, size_t elsize);
/* A list of one item, in place of `list = (T){0}` and its first push:
 *     LIST_FIRST(arena, list, item); */
#define LIST_FIRST(arena, list, ...)                                         \
    (memset(&(list), 0, sizeof(list)),                                       \
     (void)(*LIST_PUSH((arena), &(list)) = (__VA_ARGS__)))

/* Room for `extra` more items in one allocation: a list whose length is
 * known up front is not grown by doubling (which leaves the old copies
 * behind in the arena, and fresh memory is much of a big build's time). */
#define LIST_RESERVE(arena, list, extra)                                     \
    list_reserve((arena), (void **)&(list)->v, &(list)->cap, (list)->n,      \
                 (extra), sizeof(*(list)->v))
void list_reserve(Arena *a, void **v, int *cap, int n, int extra, size_t elsize);

Span span_cover(Span first, Span last);
Span span_of_token(uint32_t off, uint32_t len);

/* A name from an identifier token: quotes and escapes are undone. */
Name ast_name(Arena *a, const char *src, uint32_t off, uint32_t len);
/* Decodes the character at s[*i] of a quoted string or name whose closing
 * quote is at end: writes 0 to 2 bytes to out, returns how many, and leaves
 * *i on the last byte it read. */
int ast_unquote_char(const char *s, uint32_t end, uint32_t *i, char quote, char out[2]);
/* 0x98 for a string in Unicode quotes, 0x9c for a name in them, else 0. */
int ast_unicode_quote(const char *s, uint32_t len);
/* The same for a token the grammar reads as a name, which the lexer found
 * to be a keyword or not: whether it prints plain is then known. */
Name ast_word(Arena *a, const char *src, uint32_t off, uint32_t len, bool keyword);
/* Whether the bytes could be an unquoted identifier, keywords aside:
 * ASCII letters, digits and `_`, not starting with a digit. */
bool ast_plain_chars(const char *s, uint32_t len);
/* Whether a and b are columns named by the same path (`t.x` is not `x`). */
bool ast_same_column(const Expr *a, const Expr *b);
/* x of `x IS NOT NULL` or isNotNull(x); NULL for any other condition. */
const Expr *ast_not_null_operand(const Expr *cond);
/* A table declaration's engine name (`MergeTree`, `Kafka`); empty when it
 * declares none. */
Name ast_decl_engine(const Decl *d);
/* Whether an engine name is of the MergeTree family (`...MergeTree`). */
bool ast_engine_merge_tree(Name engine);
/* Whether a table declaration's engine is a Replicated*MergeTree. */
bool ast_decl_replicated(const Decl *d);
/* Whether a table declaration drops `column` and renames another column
 * onto its name (`drop column x` and `rename column y to x`): the
 * column of that name then holds y's values. *from: y. */
bool ast_decl_replaces_column(const Decl *d, Name column, Name *from);
/* e without the aliases around it (`x AS a AS b` is x). */
Expr *ast_unalias(const Expr *e);

Expr *ast_expr(Arena *a, ExprKind kind, Span span);
Expr *ast_unary(Arena *a, Op op, Span op_span, Expr *operand);
Expr *ast_binary(Arena *a, Op op, Expr *l, Expr *r);
Expr *ast_triple(Arena *a, ExprKind kind, Expr *x, Expr *y, Expr *z, Span span);
Expr *ast_column(Arena *a, NameList parts, Span span);
/* c without its TTL, as CREATE TABLE x AS y copies it into a table that
 * is not a MergeTree: c itself where it has none. */
Column *ast_column_without_ttl(Arena *a, Column *c);
Expr *ast_star(Arena *a, NameList qualifier, NameList except, Span span);
Expr *ast_columns(Arena *a, Expr *qualifier, ExprList args, Span span); /* [t.]COLUMNS(...) */
Expr *ast_transform(Arena *a, int xf, int flags, Expr *base, Expr *arg, Span end);
Expr *ast_call(Arena *a, Name fn, ExprList args, Span span);
CallExtra *ast_call_extra(Arena *a, Expr *call);
Expr *ast_list(Arena *a, ExprKind kind, ExprList items, Span span);
/* l with x and y appended: CASE's WHEN/THEN and a map's key/value pairs. */
ExprList ast_append2(Arena *a, ExprList l, Expr *x, Expr *y);
Expr *ast_alias(Arena *a, Expr *e, Name alias, bool implicit);
Expr *ast_cast(Arena *a, Expr *e, TypeExpr *type, Span span);
Expr *ast_parens(Expr *e); /* (e): marks it, keeps it */
Expr *ast_dcolon(Arena *a, Expr *e, TypeExpr *type, Span span); /* x::T */
Expr *ast_subquery(Arena *a, ExprKind kind, Select *q, Span span);

TypeExpr *ast_type(Arena *a, Name name, bool parens, TypeArgList args, Span span);
Select *ast_union(Select *head, int kind, Span op, Select *tail);
/* A set operation's member written in parentheses: `(a UNION ALL b)`. */
Select *ast_paren(Select *q);
/* More constructors for the grammar's actions, one call per rule:
 * ast_from and ast_select copy a compound literal the rule fills in. */
FromItem *ast_from(Arena *a, FromItem fields);
FromItem *ast_from_call(Arena *a, Expr *call);  /* FROM f(args) */
FromItem *ast_from_named(FromItem *f, Name alias, bool final, Expr *sample, Expr *sample_offset);
FromItem *ast_from_columns(FromItem *f, NameList columns); /* AS t(a, b) */
Select *ast_select(Arena *a, Select fields);
NameList ast_names1(Arena *a, Name n);   /* a list of one */
ExprList ast_exprs1(Arena *a, Expr *e);
Expr *ast_flag(Expr *e, int flags);      /* e with EF_* flags added */
Expr *ast_with_op(Expr *e, int op);
Expr *ast_with_name(Expr *e, Name name); /* INTERVAL and EXTRACT units */
Expr *ast_case(Arena *a, Expr *operand, ExprList arms, Expr *otherwise, Span span);
Expr *ast_tuple_index(Arena *a, NameList path, Span index); /* t.a.2 */
Expr *ast_parametric(Arena *a, Expr *call, ExprList params, int flags);
Expr *ast_over_name(Arena *a, Expr *call, Name window, Span span);  /* f() OVER w */
Expr *ast_over(Arena *a, Expr *call, Window *w, Span span);         /* f() OVER (...) */
Window *ast_window(Arena *a, Window frame, Name base, ExprList partition, OrderList order);
Window ast_frame_unit(Window w, int unit);             /* 1 ROWS, 2 RANGE */
Window ast_frame(Arena *a, FrameBound lo, FrameBound hi); /* hi.kind FB_NONE: no BETWEEN */
/* Structurally equal expressions of one file (src is its text). */
bool ast_equal(const Expr *a, const Expr *b, const char *src);

#endif
