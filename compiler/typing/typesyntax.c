/* From type syntax to Type: `Decimal(18, 4)` in a file becomes the
 * interned Decimal(18, 4), or an invalid-type diagnostic saying why
 * ClickHouse would refuse it. Versions are asked of project/versions.c. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "typing/agg_bounds.h"
#include "typing/agg_forms.h"
#include "typing/aggregate.h"
#include "typing/promote.h"
#include "typing/typesyntax.h"
#include "typing/param_text.h"
#include "project/versions.h"
#include "syntax/suggest.h"

typedef struct Reader {
    Project *p;
    SourceFile *file;
    Span at;
    bool failed;
    bool quiet;  /* no diagnostics, no version checks: the library's signatures */
} Reader;

static const Type *read_type(Reader *r, const TypeExpr *t);
static void require_versions(Reader *r, TypeKind k);

static void invalid(Reader *r, const char *fmt, const char *arg)
{
    if (r->failed)
        return;
    r->failed = true;
    if (!r->quiet)
        diag_error(&r->p->diags, "invalid-type", r->file, r->at, fmt, arg);
}

/* ---- Names ---- */

typedef struct TypeName {
    const char *name;
    TypeKind kind;
    bool any_case;  /* SQL-standard aliases are case-insensitive */
    int scale_of;   /* Decimal32(S)...: the fixed precision */
} TypeName;

static const TypeName names[] = {
    {"UInt8", TY_UINT8, false, 0}, {"UInt16", TY_UINT16, false, 0}, {"UInt32", TY_UINT32, false, 0},
    {"UInt64", TY_UINT64, false, 0}, {"UInt128", TY_UINT128, false, 0}, {"UInt256", TY_UINT256, false, 0},
    {"Int8", TY_INT8, false, 0}, {"Int16", TY_INT16, false, 0}, {"Int32", TY_INT32, false, 0},
    {"Int64", TY_INT64, false, 0}, {"Int128", TY_INT128, false, 0}, {"Int256", TY_INT256, false, 0},
    {"BFloat16", TY_BFLOAT16, false, 0}, {"Float32", TY_FLOAT32, false, 0}, {"Float64", TY_FLOAT64, false, 0},
    {"Bool", TY_BOOL, true, 0}, {"String", TY_STRING, false, 0}, {"FixedString", TY_FIXEDSTRING, false, 0},
    {"Date", TY_DATE, true, 0}, {"Date32", TY_DATE32, false, 0}, {"DateTime", TY_DATETIME, true, 0},
    {"DateTime64", TY_DATETIME64, false, 0}, {"UUID", TY_UUID, false, 0}, {"IPv4", TY_IPV4, false, 0},
    {"IPv6", TY_IPV6, false, 0}, {"Decimal", TY_DECIMAL, true, 0}, {"Decimal32", TY_DECIMAL, false, 9},
    {"Decimal64", TY_DECIMAL, false, 18}, {"Decimal128", TY_DECIMAL, false, 38},
    {"Decimal256", TY_DECIMAL, false, 76}, {"Enum8", TY_ENUM8, false, 0}, {"Enum16", TY_ENUM16, false, 0},
    {"Enum", TY_ENUM8, false, 0}, {"Array", TY_ARRAY, false, 0}, {"Tuple", TY_TUPLE, false, 0},
    {"Map", TY_MAP, false, 0}, {"Nested", TY_NESTED, false, 0}, {"Nullable", TY_NULLABLE, false, 0},
    {"LowCardinality", TY_LOWCARDINALITY, false, 0}, {"AggregateFunction", TY_AGGREGATE, false, 0},
    {"SimpleAggregateFunction", TY_SIMPLE_AGGREGATE, false, 0}, {"JSON", TY_JSON, false, 0},
    {"Dynamic", TY_DYNAMIC, false, 0}, {"Variant", TY_VARIANT, false, 0}, {"Nothing", TY_NOTHING, false, 0},
    {"Point", TY_GEO, false, 0}, {"Ring", TY_GEO, false, 0}, {"LineString", TY_GEO, false, 0},
    {"MultiLineString", TY_GEO, false, 0}, {"Polygon", TY_GEO, false, 0}, {"MultiPolygon", TY_GEO, false, 0},
    /* SQL aliases */
    {"BOOLEAN", TY_BOOL, true, 0}, {"TINYINT", TY_INT8, true, 0}, {"SMALLINT", TY_INT16, true, 0},
    {"INT", TY_INT32, true, 0}, {"INTEGER", TY_INT32, true, 0}, {"BIGINT", TY_INT64, true, 0},
    {"FLOAT", TY_FLOAT32, true, 0}, {"REAL", TY_FLOAT32, true, 0}, {"DOUBLE", TY_FLOAT64, true, 0},
    {"TEXT", TY_STRING, true, 0}, {"VARCHAR", TY_STRING, true, 0}, {"CHAR", TY_STRING, true, 0},
    {"BLOB", TY_STRING, true, 0}, {"TIMESTAMP", TY_DATETIME, true, 0}, {"NUMERIC", TY_DECIMAL, true, 0},
    {"DEC", TY_DECIMAL, true, 0},
};

static const TypeName *find_name(Name n)
{
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        const TypeName *t = &names[i];
        if (strlen(t->name) != n.len)
            continue;
        if (t->any_case ? strncasecmp(t->name, n.s, n.len) == 0 : memcmp(t->name, n.s, n.len) == 0)
            return t;
    }
    return NULL;
}

static void unknown_name(Reader *r, const TypeExpr *t)
{
    const char *name = name_cstr(&r->p->arena, t->name);
    invalid(r, "unknown type '%s'", name);
    Name cands[sizeof(names) / sizeof(names[0])];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        cands[i] = (Name){.s = names[i].name, .len = (uint32_t)strlen(names[i].name)};
    int k = suggest_index(t->name, cands, (int)(sizeof(names) / sizeof(names[0])));
    Diags *d = &r->p->diags;
    if (k >= 0 && d->list.n && !r->quiet)
        diag_note(d, d->list.v[d->list.n - 1], NULL, (Span){0}, "did you mean '%s'?", names[k].name);
}

/* ---- Literal arguments ---- */

static const char *arg_text(Reader *r, Span s)
{
    return arena_strndup(&r->p->arena, r->file->text + s.off, s.len);
}

static bool arg_int(Reader *r, const TypeArg *a, long lo, long hi, long *out, const char *what)
{
    if (a->kind != TARG_NUMBER) {
        invalid(r, "%s must be a whole number", what);
        return false;
    }
    const char *s = arg_text(r, a->lit);
    char *end;
    errno = 0;
    long v = strtol(s, &end, 10);
    if (*end || errno || v < lo || v > hi) {
        invalid(r, arena_printf(&r->p->arena, "%%s must be a whole number from %ld to %ld", lo, hi), what);
        return false;
    }
    *out = v;
    return true;
}

/* The contents of a string literal, with its escapes undone. */
static const char *arg_string(Reader *r, Span lit)
{
    Name n = ast_name(&r->p->arena, r->file->text, lit.off, lit.len);
    return name_cstr(&r->p->arena, n);
}

static const Type *arg_type(Reader *r, const TypeArg *a)
{
    if (a->kind != TARG_TYPE) {
        invalid(r, "%s", "a type is expected here, not a literal");
        return NULL;
    }
    return read_type(r, a->type);
}

/* ---- Families ---- */

static const Type *read_decimal(Reader *r, const TypeExpr *t, const TypeName *tn)
{
    Type proto = {.kind = TY_DECIMAL};
    long p, s = 0;
    if (tn->scale_of) {
        if (t->args.n != 1 || !arg_int(r, &t->args.v[0], 0, tn->scale_of, &s, "the scale"))
            return r->failed ? NULL : (invalid(r, "%s takes one argument, the scale", tn->name), NULL);
        proto.precision = tn->scale_of;
        proto.scale = (int)s;
        return type_intern(&r->p->types, &proto);
    }
    if (t->args.n < 1 || t->args.n > 2) {
        invalid(r, "%s", "Decimal takes a precision and a scale: Decimal(P, S)");
        return NULL;
    }
    if (!arg_int(r, &t->args.v[0], 1, 76, &p, "the precision"))
        return NULL;
    if (t->args.n == 2 && !arg_int(r, &t->args.v[1], 0, p, &s, "the scale"))
        return NULL;
    proto.precision = (int)p;
    proto.scale = (int)s;
    return type_intern(&r->p->types, &proto);
}

/* DateTime('tz', ...): ClickHouse (26.5, tried) takes the time zone and
 * ignores every argument after it, so DateTime('UTC', 0) -- which real
 * schemas write -- and even DateTime('UTC', 3) are DateTime('UTC'): a
 * warning that says so, not an error. 18.16 takes one argument only (42):
 * any second one needs the version that reads DateTime(0, 'UTC'). */
static void second_argument_version(Reader *r)
{
    Diag *g = r->quiet ? NULL : version_refuse_feature(r->p, F_DATETIME64, r->file, r->at);
    if (!g)
        return;
    r->failed = true;
    diag_note(&r->p->diags, g, NULL, (Span){0},
              "until then DateTime takes one argument, the time zone (18.16 refuses more, code 42): "
              "write DateTime('UTC')");
}

static bool ignored_after_tz(Reader *r, const TypeExpr *t, int i)
{
    if (t->args.n <= i + 1 || t->args.v[i].kind != TARG_STRING)
        return false;
    second_argument_version(r);
    if (!r->failed && !r->quiet)
        diag_warning(&r->p->diags, "invalid-type", r->file, r->at,
                     "ClickHouse ignores what follows the time zone: this is DateTime('%s')",
                     arg_string(r, t->args.v[i].lit));
    return !r->failed;
}

/* DateTime([precision,] ['tz']) and DateTime64([precision[, 'tz']]):
 * ClickHouse reads DateTime(0, 'UTC') as DateTime('UTC'), DateTime(3) as
 * DateTime64(3), and a DateTime64 without a precision as DateTime64(3). */
static const Type *read_datetime(Reader *r, const TypeExpr *t, TypeKind kind)
{
    Type proto = {.kind = kind, .precision = kind == TY_DATETIME64 ? 3 : 0};
    int i = 0;
    if (t->args.n && t->args.v[0].kind == TARG_NUMBER) {
        long p;
        if (!arg_int(r, &t->args.v[0], 0, 9, &p, "the precision"))
            return NULL;
        if (p && kind == TY_DATETIME) {
            proto.kind = TY_DATETIME64;
            require_versions(r, TY_DATETIME64);
            if (r->failed)
                return NULL;
        }
        proto.precision = proto.kind == TY_DATETIME64 ? (int)p : 0;
        i = 1;
        if (kind == TY_DATETIME && t->args.n > 1)
            second_argument_version(r); /* 18.16: DateTime(0, 'UTC') is refused, 42 */
        if (r->failed)
            return NULL;
    }
    bool ignored = kind == TY_DATETIME && ignored_after_tz(r, t, i);
    if (r->failed)
        return NULL;
    if ((t->args.n > i + 1 && !ignored) || (t->args.n >= i + 1 && t->args.v[i].kind != TARG_STRING)) {
        invalid(r, "%s", "the time zone is a string: DateTime('UTC')");
        return NULL;
    }
    if (t->args.n > i) /* with what follows it ignored */
        proto.tz = arg_string(r, t->args.v[i].lit);
    return type_intern(&r->p->types, &proto);
}

static const Type *read_enum(Reader *r, const TypeExpr *t, TypeKind kind)
{
    int n = t->args.n;
    if (!n) {
        invalid(r, "%s", "an Enum needs at least one 'name' = value");
        return NULL;
    }
    const char **items = arena_alloc(&r->p->arena, sizeof(char *) * (size_t)n);
    int *values = arena_alloc(&r->p->arena, sizeof(int) * (size_t)n);
    long next = 1, lo = -32768, hi = 32767;
    for (int i = 0; i < n; i++) {
        const TypeArg *a = &t->args.v[i];
        if (a->kind != TARG_ENUM && a->kind != TARG_STRING) {
            invalid(r, "%s", "Enum items are 'name' = value");
            return NULL;
        }
        long v = next;
        if (a->kind == TARG_ENUM) {
            TypeArg num = {.kind = TARG_NUMBER, .lit = a->value};
            if (!arg_int(r, &num, lo, hi, &v, "an Enum value"))
                return NULL;
        }
        items[i] = arg_string(r, a->lit);
        values[i] = (int)v;
        next = v + 1;
        for (int j = 0; j < i; j++)
            if (values[j] == values[i] || strcmp(items[j], items[i]) == 0) {
                invalid(r, "Enum item '%s' repeats a name or a value", items[i]);
                return NULL;
            }
    }
    bool fits8 = true;
    for (int i = 0; i < n; i++)
        fits8 &= values[i] >= -128 && values[i] <= 127;
    if (kind == TY_ENUM8 && !fits8) {
        if (!name_is(t->name, "Enum")) {
            invalid(r, "%s", "Enum8 values are from -128 to 127: use Enum16");
            return NULL;
        }
        kind = TY_ENUM16;
    }
    Type proto = {.kind = kind, .names = items, .values = values, .n = n};
    return type_intern(&r->p->types, &proto);
}

/* ClickHouse refuses LowCardinality over fixed-size types of 8 bytes or
 * less unless allow_suspicious_low_cardinality_types is set. */
static bool lowcard_can_wrap(const Type *t)
{
    const Type *b = t->kind == TY_NULLABLE ? t->elems[0] : t;
    return b->kind == TY_STRING || (b->kind == TY_FIXEDSTRING && b->precision > 8) || b->kind == TY_UUID ||
           b->kind == TY_INT128 || b->kind == TY_UINT128 || b->kind == TY_INT256 || b->kind == TY_UINT256 ||
           b->kind == TY_IPV6;
}

static const Type *read_wrapper(Reader *r, const TypeExpr *t, TypeKind kind, const char *family)
{
    if (t->args.n != 1) {
        invalid(r, "%s takes exactly one type", family);
        return NULL;
    }
    const Type *inner = arg_type(r, &t->args.v[0]);
    if (!inner)
        return NULL;
    if (kind == TY_NULLABLE && inner->kind == TY_LOWCARDINALITY) {
        invalid(r, "Nullable goes inside LowCardinality: write LowCardinality(Nullable(%s))", inner->elems[0]->name);
        return NULL;
    }
    if (kind == TY_NULLABLE && !promote_can_be_nullable(inner)) {
        invalid(r, "%s cannot be inside Nullable: make its elements Nullable instead", inner->name);
        return NULL;
    }
    if (kind == TY_LOWCARDINALITY && !lowcard_can_wrap(inner)) {
        invalid(r, "LowCardinality(%s) is refused by ClickHouse: use the plain type (or a String)", inner->name);
        return NULL;
    }
    if (kind == TY_LOWCARDINALITY && !r->quiet)
        version_require_feature(r->p, F_LOWCARDINALITY, r->file, r->at);
    return type_wrap(&r->p->types, kind, inner);
}

/* Tuple, Nested, Map, Variant: a list of (optionally named) types. */
static const Type *read_elements(Reader *r, const TypeExpr *t, TypeKind kind, const char *family)
{
    int n = t->args.n;
    if (!n || (kind == TY_MAP && n != 2)) {
        invalid(r, kind == TY_MAP ? "%s takes a key type and a value type" : "%s needs at least one element", family);
        return NULL;
    }
    const Type **elems = arena_alloc(&r->p->arena, sizeof(Type *) * (size_t)n);
    const char **fields = arena_zalloc(&r->p->arena, sizeof(char *) * (size_t)n);
    bool named = false;
    for (int i = 0; i < n; i++) {
        const TypeArg *a = &t->args.v[i];
        if (a->kind == TARG_FIELD && (kind == TY_TUPLE || kind == TY_NESTED)) {
            fields[i] = name_cstr(&r->p->arena, a->field);
            named = true;
            elems[i] = read_type(r, a->type);
        } else {
            elems[i] = arg_type(r, a);
        }
        if (!elems[i])
            return NULL;
    }
    if (kind == TY_NESTED && !named) {
        invalid(r, "%s", "Nested elements are named: Nested(a String, b UInt8)");
        return NULL;
    }
    if (kind == TY_MAP && !promote_can_be_nullable(elems[0]) && elems[0]->kind != TY_LOWCARDINALITY) {
        invalid(r, "%s cannot be a Map key", elems[0]->name);
        return NULL;
    }
    Type proto = {.kind = kind, .elems = elems, .names = named ? fields : NULL, .n = n};
    return type_intern(&r->p->types, &proto);
}

/* AggregateFunction(f[(params)], T...) and SimpleAggregateFunction(f, T):
 * the function is written as a type-shaped name with literal params. */
static const char *function_text(Reader *r, const TypeArg *a)
{
    if (a->kind != TARG_TYPE)
        return NULL;
    const TypeExpr *f = a->type;
    if (!f->args.n)
        return name_cstr(&r->p->arena, f->name);
    char *s = arena_printf(&r->p->arena, "%.*s(", (int)f->name.len, f->name.s);
    for (int i = 0; i < f->args.n; i++) {
        if (f->args.v[i].kind != TARG_NUMBER && f->args.v[i].kind != TARG_STRING)
            return NULL;
        const char *param = f->args.v[i].kind == TARG_NUMBER
                                ? param_text(&r->p->arena, r->file->text + f->args.v[i].lit.off, f->args.v[i].lit.len)
                                : arg_text(r, f->args.v[i].lit);
        s = arena_printf(&r->p->arena, "%s%s%s", s, i ? ", " : "", param);
    }
    return arena_printf(&r->p->arena, "%s)", s);
}

/* Functions a SimpleAggregateFunction column may name: their state is
 * their result, so a merge can combine two stored values. */
static const char *const simple_functions[] = {
    "any", "anyLast", "min", "max", "sum", "sumWithOverflow", "groupBitAnd", "groupBitOr", "groupBitXor",
    "sumMap", "minMap", "maxMap", "groupArrayArray", "groupUniqArrayArray", "argMin", "argMax",
    "groupArrayLastArray", NULL,
};

static bool is_simple_function(const char *f)
{
    size_t len = strcspn(f, "(");
    for (int i = 0; simple_functions[i]; i++)
        if (strlen(simple_functions[i]) == len && memcmp(simple_functions[i], f, len) == 0)
            return true;
    return false;
}

/* A size of the groupArray family: ClickHouse takes any whole number that
 * is positive and fits a UInt64, and checks no upper bound when it builds
 * the function (18.16 to 26.5; 16777215 bounds only a state it reads):
 * groupArrayArray(18446744073709551615) is taken, ...616 refused (36). */
static bool group_array_size(Reader *r, const TypeArg *a)
{
    const char *s = a->kind == TARG_NUMBER ? arg_text(r, a->lit) : "";
    char *end;
    errno = 0;
    unsigned long long v = *s >= '0' && *s <= '9' ? strtoull(s, &end, 0) : 0;
    if (!v || *end || errno) {
        invalid(r, "%s", "the groupArray size must be a whole number from 1 to 18446744073709551615");
        return false;
    }
    return true;
}

/* Of those, only the groupArray family takes a parameter, its one positive
 * size (groupArrayArray(10000)); groupArrayLastArray needs it. ClickHouse
 * refuses sum(3) (133), groupArrayArray(0) (36), groupArrayLastArray (36). */
static bool simple_parameters_ok(Reader *r, const TypeExpr *f)
{
    bool last = name_is(f->name, "groupArrayLastArray");
    if (!f->args.n && last) {
        invalid(r, "%s", "groupArrayLastArray needs its size: groupArrayLastArray(10)");
        return false;
    }
    if (!f->args.n)
        return true;
    if (!last && !name_is(f->name, "groupArrayArray") && !name_is(f->name, "groupUniqArrayArray")) {
        invalid(r, "'%s' takes no parameter: only the groupArray family is sized, groupArrayArray(10000)",
                name_cstr(&r->p->arena, f->name));
        return false;
    }
    if (f->args.n != 1) {
        invalid(r, "%s", "the groupArray family takes one size: groupArrayArray(10000)");
        return false;
    }
    return group_array_size(r, &f->args.v[0]);
}

/* sum's result is 64-bit (or 128/256 for wide and Decimal inputs): a
 * SimpleAggregateFunction(sum, T) column must have such a T. */
static bool sum_result_type(const Type *t)
{
    t = t->kind == TY_NULLABLE ? t->elems[0] : t;
    return t->kind == TY_UINT64 || t->kind == TY_INT64 || t->kind == TY_FLOAT64 || t->kind == TY_UINT128 ||
           t->kind == TY_INT128 || t->kind == TY_UINT256 || t->kind == TY_INT256 ||
           (t->kind == TY_DECIMAL && t->precision >= 38);
}

/* The -Map aggregates over arrays of keys and values have versioned
 * states: from 21.12, ClickHouse names AggregateFunction(sumMap, Array(K),
 * Array(V)) AggregateFunction(1, sumMap, ...), whichever way it was
 * written (over a Map they have none). */
static bool state_versioned(const char *f, const Type **args, int n)
{
    static const char *const versioned[] = {
        "sumMap", "minMap", "maxMap", "sumMapWithOverflow", "sumMapFiltered", "sumMapFilteredWithOverflow", NULL,
    };
    size_t len = strcspn(f, "(");
    for (int i = 0; versioned[i]; i++)
        if (strlen(versioned[i]) == len && memcmp(versioned[i], f, len) == 0)
            return !(n == 1 && args[0]->kind == TY_MAP);
    return false;
}

/* SimpleAggregateFunction(f, T): the function's result must be T. An
 * aggregate's arguments lose LowCardinality below the top level, so
 * any(Array(LowCardinality(String))) returns Array(String) and ClickHouse
 * refuses the column (36). Only a top-level LowCardinality is kept. */
static bool nested_lowcardinality(const Type *t, int depth)
{
    if (t->kind == TY_LOWCARDINALITY && depth)
        return true;
    if (t->kind == TY_AGGREGATE || t->kind == TY_SIMPLE_AGGREGATE || t->kind == TY_JSON)
        return false;
    for (int i = 0; i < t->n; i++)
        if (t->elems[i] && nested_lowcardinality(t->elems[i], depth + 1))
            return true;
    return false;
}

static AggParam type_param(Reader *r, const TypeArg *a)
{
    if (a->kind != TARG_NUMBER)
        return (AggParam){0};
    const char *text = arena_strndup(&r->p->scratch, r->file->text + a->lit.off, a->lit.len);
    return (AggParam){text + (*text == '-' || *text == '+'), *text == '-'};
}

/* AggregateFunction(uniqUpTo(200), String): ClickHouse builds the
 * function to make the column's type and refuses parameters out of its
 * bounds (agg_bounds.c) at CREATE TABLE. Said at the parameter; the type
 * is still known. -Resample's 3 parameters follow the function's own. */
static void check_bounds(Reader *r, const TypeExpr *f)
{
    int n = f->args.n;
    if (r->quiet || !n)
        return;
    AggParam *params = arena_alloc(&r->p->scratch, sizeof *params * (size_t)n);
    const char **why = arena_alloc(&r->p->scratch, sizeof *why * (size_t)n);
    for (int i = 0; i < n; i++)
        params[i] = type_param(r, &f->args.v[i]);
    aggregate_params_refused(r->p, f->name.s, f->name.len, params, n, why);
    for (int i = 0; i < n; i++)
        if (why[i])
            diag_error(&r->p->diags, "invalid-type", r->file, f->args.v[i].lit, "%s", why[i]);
}

/* AggregateFunction(uniqCombined64, String) on 18.16: the server builds
 * the function to make the column's type, so a function, a parameter or
 * a combinator newer than option clickhouse is refused at CREATE TABLE
 * (agg_forms.c). Said at the function or the parameter; the type is
 * still known. Returns whether all of it is available. */
static bool check_form(Reader *r, const TypeExpr *f)
{
    if (r->quiet)
        return true;
    int n = f->args.n;
    Span *at = arena_alloc(&r->p->scratch, sizeof *at * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        at[i] = f->args.v[i].lit;
    return aggregate_form_available(r->p, f->name.s, f->name.len, at, n, r->file, f->name.span, true);
}

static const Type *read_aggregate(Reader *r, const TypeExpr *t, TypeKind kind)
{
    const char *family = kind == TY_AGGREGATE ? "AggregateFunction" : "SimpleAggregateFunction";
    long version = -1;
    int first = 0;
    if (kind == TY_AGGREGATE && t->args.n >= 2 && t->args.v[0].kind == TARG_NUMBER) {
        /* AggregateFunction(1, sumMap, ...): the state's version first */
        if (!arg_int(r, &t->args.v[0], 0, 1000, &version, "the state version"))
            return NULL;
        first = 1;
    }
    const char *f = t->args.n > first ? function_text(r, &t->args.v[first]) : NULL;
    if (!f || (kind == TY_SIMPLE_AGGREGATE && t->args.n != 2)) {
        invalid(r, kind == TY_AGGREGATE ? "%s takes a function and its argument types: AggregateFunction(uniq, UInt64)"
                                        : "%s takes a function and one type: SimpleAggregateFunction(sum, UInt64)",
                family);
        return NULL;
    }
    int n = t->args.n - 1 - first;
    const Type **elems = arena_alloc(&r->p->arena, sizeof(Type *) * (size_t)(n + 1));
    for (int i = 0; i < n; i++)
        if (!(elems[i] = arg_type(r, &t->args.v[i + 1 + first])))
            return NULL;
    if (kind == TY_SIMPLE_AGGREGATE && !is_simple_function(f)) {
        invalid(r, "SimpleAggregateFunction cannot hold '%s': use AggregateFunction", f);
        return NULL;
    }
    if (kind == TY_SIMPLE_AGGREGATE && !simple_parameters_ok(r, t->args.v[first].type))
        return NULL;
    if (check_form(r, t->args.v[first].type))
        check_bounds(r, t->args.v[first].type);
    if (kind == TY_SIMPLE_AGGREGATE && strcmp(f, "sum") == 0 && !sum_result_type(elems[0])) {
        invalid(r, "sum returns a 64-bit or wider type, never %s: write SimpleAggregateFunction(sum, UInt64), "
                   "Int64, Float64 or a wide type", elems[0]->name);
        return NULL;
    }
    if (kind == TY_SIMPLE_AGGREGATE && nested_lowcardinality(elems[0], 0) &&
        version_has_feature(&r->p->options, F_STATE_VERSION)) {
        const char *bare = type_strip_lowcardinality(&r->p->types, elems[0])->name;
        invalid(r, arena_printf(&r->p->arena, "'%s' over %%s returns %s (an aggregate's arguments lose their inner "
                                "LowCardinality), so ClickHouse refuses the column (36): write "
                                "SimpleAggregateFunction(%s, %s)", f, bare, f, bare), elems[0]->name);
        return NULL;
    }
    if (kind == TY_AGGREGATE && version_has_feature(&r->p->options, F_STATE_VERSION)) {
        if (version < 0)
            version = state_versioned(f, elems, n) ? 1 : 0;
        if (version > 0)
            f = arena_printf(&r->p->arena, "%ld, %s", version, f);
    }
    Type proto = {.kind = kind, .func = f, .elems = elems, .n = n};
    return type_intern(&r->p->types, &proto);
}

/* ---- JSON ---- */

static int by_string(const void *x, const void *y)
{
    return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* A path as ClickHouse prints it in a JSON type: quoted unless plain. */
static const char *json_path(Reader *r, Name n)
{
    if (ast_plain_chars(n.s, n.len))
        return name_cstr(&r->p->arena, n);
    return arena_printf(&r->p->arena, "`%.*s`", (int)n.len, n.s);
}

static const char *join(Reader *r, const char *s, const char *part)
{
    if (!*part)
        return s;
    return *s ? arena_printf(&r->p->arena, "%s, %s", s, part) : part;
}

/* JSON(max_dynamic_paths = 8, a.b UInt32, SKIP a.c, SKIP REGEXP 'x'). Its
 * name is the one system.columns lists, so that a deployed table reads
 * back as declared: max_dynamic_types, then max_dynamic_paths, then the
 * typed paths and the skipped paths (each sorted), then the regexps. The
 * typed paths are kept as named elements. */
static const Type *read_json(Reader *r, const TypeExpr *t)
{
    int n = t->args.n, np = 0, ns = 0;
    const char **paths = arena_zalloc(&r->p->arena, sizeof(char *) * (size_t)(n + 1));
    const char **typed = arena_zalloc(&r->p->arena, sizeof(char *) * (size_t)(n + 1));
    const char **skips = arena_zalloc(&r->p->arena, sizeof(char *) * (size_t)(n + 1));
    const char *types_setting = "", *paths_setting = "", *regexps = "", *others = "";
    for (int i = 0; i < n; i++) {
        const TypeArg *a = &t->args.v[i];
        bool skip_word = a->kind == TARG_FIELD && a->field.len == 4 && strncasecmp(a->field.s, "SKIP", 4) == 0 &&
                         !a->type->args.n && !a->type->has_parens;
        if (a->kind == TARG_SETTING) {
            const char *v = arena_printf(&r->p->arena, "%.*s=%s", (int)a->field.len, a->field.s, arg_text(r, a->lit));
            if (name_is(a->field, "max_dynamic_types"))
                types_setting = v;
            else if (name_is(a->field, "max_dynamic_paths"))
                paths_setting = v;
            else
                others = join(r, others, v);
        } else if (a->kind == TARG_SKIP && a->lit.len) {
            regexps = join(r, regexps, arena_printf(&r->p->arena, "SKIP REGEXP %s", arg_text(r, a->lit)));
        } else if (a->kind == TARG_SKIP || skip_word) {
            skips[ns++] = arena_printf(&r->p->arena, "SKIP %s", json_path(r, a->kind == TARG_SKIP ? a->field
                                                                                                  : a->type->name));
        } else if (a->kind == TARG_FIELD) {
            const Type *ty = read_type(r, a->type);
            if (!ty)
                return NULL;
            paths[np] = json_path(r, a->field);
            typed[np] = arena_printf(&r->p->arena, "%s %s", paths[np], ty->name);
            np++;
        } else {
            invalid(r, "%s", "JSON takes settings, typed paths and SKIP: JSON(max_dynamic_paths = 8, a.b UInt32)");
            return NULL;
        }
    }
    qsort(typed, (size_t)np, sizeof(char *), by_string);
    qsort(skips, (size_t)ns, sizeof(char *), by_string);
    const char *inner = join(r, join(r, types_setting, paths_setting), others);
    for (int i = 0; i < np; i++)
        inner = join(r, inner, typed[i]);
    for (int i = 0; i < ns; i++)
        inner = join(r, inner, skips[i]);
    inner = join(r, inner, regexps);
    if (!*inner)
        return type_simple(&r->p->types, TY_JSON);
    /* The typed paths, in the sorted order, for j.a.b in queries. */
    const Type **elems = arena_alloc(&r->p->arena, sizeof(Type *) * (size_t)(np + 1));
    const char **pnames = arena_alloc(&r->p->arena, sizeof(char *) * (size_t)(np + 1));
    for (int i = 0, k = 0; i < n; i++) {
        const TypeArg *a = &t->args.v[i];
        bool skip_word = a->kind == TARG_FIELD && a->field.len == 4 && strncasecmp(a->field.s, "SKIP", 4) == 0 &&
                         !a->type->args.n && !a->type->has_parens;
        if (a->kind == TARG_FIELD && !skip_word) {
            pnames[k] = name_cstr(&r->p->arena, a->field);
            elems[k++] = read_type(r, a->type);
        }
    }
    Type proto = {.kind = TY_JSON, .func = inner, .names = pnames, .elems = elems, .n = np};
    return type_intern(&r->p->types, &proto);
}

static const Type *read_plain(Reader *r, const TypeExpr *t, const TypeName *tn)
{
    if (t->args.n && tn->any_case && (tn->kind == TY_STRING))
        return type_simple(&r->p->types, TY_STRING); /* VARCHAR(255): the length is ignored */
    if (t->args.n || t->has_parens) {
        invalid(r, "%s takes no arguments", tn->name);
        return NULL;
    }
    if (tn->kind == TY_GEO) {
        Type proto = {.kind = TY_GEO, .func = tn->name};
        return type_intern(&r->p->types, &proto);
    }
    return type_simple(&r->p->types, tn->kind);
}

static void require_versions(Reader *r, TypeKind k)
{
    Feature f = k == TY_DATETIME64 ? F_DATETIME64 : k == TY_DATE32 ? F_DATE32 : k == TY_BOOL ? F_BOOL_TYPE
              : k == TY_MAP ? F_MAP_TYPE : k == TY_JSON ? F_JSON_TYPE
              : (k == TY_VARIANT || k == TY_DYNAMIC) ? F_VARIANT_DYNAMIC
              : (k == TY_INT128 || k == TY_UINT128 || k == TY_INT256 || k == TY_UINT256) ? F_INT128_256
              : (k == TY_IPV4 || k == TY_IPV6) ? F_IP_TYPES : k == TY_SIMPLE_AGGREGATE ? F_SIMPLE_AGGREGATE
              : F_COUNT;
    if (f != F_COUNT && !r->quiet && !version_require_feature(r->p, f, r->file, r->at))
        r->failed = true;
}

static const Type *read_type(Reader *r, const TypeExpr *t)
{
    if (r->failed)
        return NULL;
    const TypeName *tn = find_name(t->name);
    if (!tn) {
        unknown_name(r, t);
        return NULL;
    }
    require_versions(r, tn->kind);
    if (r->failed)
        return NULL;
    switch (tn->kind) {
    case TY_DECIMAL: return read_decimal(r, t, tn);
    case TY_FIXEDSTRING: {
        long n;
        if (t->args.n != 1 || !arg_int(r, &t->args.v[0], 1, 1 << 20, &n, "the length"))
            return r->failed ? NULL : (invalid(r, "%s", "FixedString takes a length: FixedString(16)"), NULL);
        Type proto = {.kind = TY_FIXEDSTRING, .precision = (int)n};
        return type_intern(&r->p->types, &proto);
    }
    case TY_DATETIME: case TY_DATETIME64: return read_datetime(r, t, tn->kind);
    case TY_ENUM8: case TY_ENUM16: return read_enum(r, t, tn->kind);
    case TY_ARRAY: case TY_NULLABLE: case TY_LOWCARDINALITY: return read_wrapper(r, t, tn->kind, tn->name);
    case TY_TUPLE: case TY_NESTED: case TY_MAP: case TY_VARIANT: return read_elements(r, t, tn->kind, tn->name);
    case TY_AGGREGATE: case TY_SIMPLE_AGGREGATE: return read_aggregate(r, t, tn->kind);
    case TY_JSON: return read_json(r, t);
    default: return read_plain(r, t, tn);
    }
}

const Type *typesyntax_read(Project *p, SourceFile *file, const TypeExpr *t, Span at)
{
    Reader r = {p, file, at, false, false};
    const Type *type = read_type(&r, t);
    return r.failed ? NULL : type;
}

const Type *typesyntax_read_quiet(Project *p, SourceFile *file, const TypeExpr *t)
{
    Reader r = {p, file, t->span, false, true};
    const Type *type = read_type(&r, t);
    return r.failed ? NULL : type;
}

Span typesyntax_column_span(const SourceFile *file, const Column *c)
{
    uint32_t i = c->name.span.off + c->name.span.len;
    while (i < file->len && (file->text[i] == ' ' || file->text[i] == '\t' || file->text[i] == '\n' ||
                             file->text[i] == '\r'))
        i++;
    return (Span){i, c->type->span.len};
}
