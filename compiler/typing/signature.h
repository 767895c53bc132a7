/* Typed signatures of functions and aggregates (docs/stdlib.md,
 * "Signatures"): a declaration's parameters become patterns that argument
 * types are matched against, and its result is a type expression over the
 * arguments, evaluated per call.
 *
 *   function toStartOfHour(t AnyDateTime) -> t;
 *   function if(cond Number, then Any, otherwise Any) -> supertype(then, otherwise)
 *       settings nulls = 'self';
 *   aggregate quantiles(level repeated(Number))(x Number) -> Array(Float64);
 *
 * Library signatures are compiled on first use: a run that never calls a
 * function pays nothing for its declaration. A project's own functions are
 * compiled when declared, so a bad signature is reported there. */
#ifndef MVD_SIGNATURE_H
#define MVD_SIGNATURE_H

#include "project/project.h"

typedef enum PatKind {
    PAT_ANY, PAT_CLASS, PAT_TYPE, PAT_ONEOF, PAT_ARRAY, PAT_MAP, PAT_LAMBDA
} PatKind;

typedef enum TypeClass {
    CLS_NUMBER, CLS_INTEGER, CLS_UINTEGER, CLS_FLOAT, CLS_DECIMAL, CLS_TEXT, CLS_ANYDATE, CLS_ANYDATETIME,
    CLS_TEMPORAL, CLS_ARRAY, CLS_TUPLE, CLS_MAP, CLS_STATE, CLS_INTERVAL, CLS_ENUM, CLS_IP,
    CLS_DATETIME, CLS_DATETIME64, CLS_FIXEDSTRING, /* any time zone, precision, length */
    CLS_COUNT
} TypeClass;

typedef struct Pattern Pattern;
struct Pattern {
    uint8_t kind;          /* PatKind */
    uint8_t cls;           /* PAT_CLASS */
    int n;                 /* PAT_ONEOF, PAT_ARRAY (1), PAT_MAP (2): sub-patterns */
    const Pattern **sub;
    const Type *type;      /* PAT_TYPE */
    const TypeExpr *text;  /* as written, for messages */
};

typedef enum ParamMode { PM_ONE, PM_OPTIONAL, PM_REPEATED } ParamMode;

typedef struct SigParam {
    Name name;
    const Pattern *pat;
    uint8_t mode;          /* ParamMode */
} SigParam;

/* What a Nullable argument does (attribute nulls). */
typedef enum NullPolicy {
    NULLS_PROPAGATE, /* functions' default: plain arguments, Nullable result */
    NULLS_SELF,      /* the function sees the Nullable types itself */
    NULLS_SKIP,      /* aggregates' default: NULL rows skipped, Nullable result */
    NULLS_IGNORE     /* NULL rows skipped, result never NULL (count, uniq) */
} NullPolicy;

/* What a LowCardinality argument does (attribute lowcardinality). */
typedef enum LowCardPolicy {
    LC_KEEP,         /* functions' default: run on the dictionary, LowCardinality result */
    LC_DROP,         /* aggregates' default: plain arguments, plain result */
    LC_SELF          /* the function sees the LowCardinality types itself */
} LowCardPolicy;

typedef struct Signature {
    Decl *decl;
    SigParam *params;
    int nparams;
    SigParam *levels;      /* a parametric aggregate's parameters */
    int nlevels;
    bool parametric;
    uint8_t nulls, lowcard;
    bool catch_all;        /* (args repeated(Any)) -> Unknown: only names the function */
    int state_version;     /* an aggregate whose state type names a version (sumMap) */
    int since_major, since_minor, until_major, until_minor;
} Signature;

/* Every usable declaration of one name, in the order written. */
typedef struct SigSet {
    Signature *v;
    int n;
    bool typed;            /* some declaration says more than catch_all */
} SigSet;

/* The signatures of the function or aggregate f (any declaration of its
 * name); NULL when there are none. */
const SigSet *signatures_of(Project *p, Object *f);
/* Compiles d's signature; with report, diagnostics go to p->diags. */
bool signature_compile(Project *p, Decl *d, Signature *out, bool report);

/* ---- Calls ---- */

typedef struct SigArg {
    const Type *type;      /* NULL: unknown (matches anything) */
    const Expr *expr;      /* its syntax: literals, lambdas */
    bool is_const;
} SigArg;

typedef const Type *(*LambdaTyper)(void *ctx, const Expr *lambda, const Type *const *params, int n);

typedef struct SigCall {
    Project *p;
    const char *src;       /* text of the file the call is in */
    const SigArg *args;
    int n;
    const SigArg *levels;  /* quantiles(0.5, 0.9): the parameters */
    int nlevels;
    bool has_levels;
    LambdaTyper lambda;
    void *ctx;
} SigCall;

typedef enum MatchStatus { MATCH_OK, MATCH_COUNT, MATCH_KIND, MATCH_LEVELS } MatchStatus;

typedef struct Mismatch {
    MatchStatus status;
    int arg;               /* MATCH_KIND: the argument (or level) that does not fit */
    const SigParam *param; /* and the parameter it would bind to */
} Mismatch;

/* Binds c's arguments to s's parameters: param_of[i] is argument i's. */
MatchStatus signature_match(const Signature *s, const SigCall *c, int *param_of, Mismatch *why);
/* The result of a matched call; NULL when unknown. */
const Type *signature_result(const Signature *s, const SigCall *c, const int *param_of);
/* Whether the overload applies to the project's `option clickhouse`. */
bool signature_in_version(const Signature *s, const Options *o);

/* A plain function call: the overloads tried in order, with the NULL and
 * LowCardinality rules of the first that matches. NULL when unknown. */
const Type *signature_call(const SigSet *set, const SigCall *c);
/* The first overload that matches (NULL for none), without NULL handling:
 * aggregates apply their own. */
const Signature *signature_pick(const SigSet *set, const SigCall *c, const Type **result);

/* ---- Result rules (sigresult.c) ---- */

typedef enum RuleId {
    R_SUPERTYPE, R_NUMERIC, R_BRANCHES, R_COALESCE, R_LOGICAL, R_NULLS_OF, R_ELEMENT, R_ELEMENTS, R_KEY,
    R_VALUE, R_PLUS, R_MINUS, R_MULTIPLY, R_DIVIDE, R_INTDIV, R_MODULO, R_BITWISE, R_NEGATE, R_ABS, R_SUM,
    R_LAMBDA, R_TYPE, R_FIELD, R_NULLABLE, R_NOTNULL, R_TUPLE, R_MAP_OF, R_IF_PLAIN, R_UNKNOWN,
    /* constructors: capitalized, as the types they build */
    R_ARRAY, R_NULLABLE_TYPE, R_LOWCARDINALITY, R_MAP, R_TUPLE_TYPE, R_DATETIME, R_DATETIME64, R_DATETIME_OR64, R_DECIMAL,
    R_DECIMAL32, R_DECIMAL64, R_DECIMAL128, R_DECIMAL256, R_FIXEDSTRING
} RuleId;

typedef struct RuleName {
    const char *name;
    uint32_t len;
    RuleId id;
    int min, max;  /* arguments; -1: any number */
} RuleName;

/* The rule or constructor a result names, or NULL. */
const RuleName *signature_rule(Name n);
bool signature_rule_is_constructor(const RuleName *r);
int signature_param_index(const Signature *s, Name n);
bool signature_is_interval_name(Name n);

/* Literals of a call, through aliases: a string's value, an integer's. */
const char *signature_literal_string(Project *p, const char *src, const Expr *e);
bool signature_literal_int(const char *src, const Expr *e, long long *v);
/* A type written in a string: CAST(x, 'DateTime(\'UTC\')'). */
const Type *typestring_parse(Project *p, const char *text);

#endif
