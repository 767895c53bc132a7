/* Supertypes and arithmetic promotion, as ClickHouse computes them
 * (getLeastSupertype, and the ResultOf* rules of its arithmetic). */
#include "typing/promote.h"

#include <stdlib.h>
#include <string.h>

#include "project/versions.h"

static const Type *simple(Project *p, TypeKind k)
{
    return type_simple(&p->types, k);
}

/* ---- Integers ---- */

static bool is_int(const Type *t)
{
    return type_int_bits(t) != 0;
}

static bool is_signed(const Type *t)
{
    return (t->kind >= TY_INT8 && t->kind <= TY_INT256) || type_is_float(t) || t->kind == TY_DECIMAL;
}

/* The integer type of at least `bits` bits; TY_COUNT when none is wide enough. */
static TypeKind int_kind(int bits, bool is_signed_)
{
    static const TypeKind s[] = {TY_INT8, TY_INT16, TY_INT32, TY_INT64, TY_INT128, TY_INT256};
    static const TypeKind u[] = {TY_UINT8, TY_UINT16, TY_UINT32, TY_UINT64, TY_UINT128, TY_UINT256};
    for (int i = 0, b = 8; i < 6; i++, b *= 2)
        if (bits <= b)
            return is_signed_ ? s[i] : u[i];
    return TY_COUNT;
}

/* ClickHouse widens 8, 16 and 32 bits to the next size; 64 bits and up stay. */
static int next_size(int bits)
{
    return bits < 64 ? bits * 2 : bits;
}

static bool is_native_number(const Type *t)
{
    return is_int(t) || type_is_float(t);
}

/* ---- Decimals ---- */

/* Decimal32/64/128/256: the widest precision of the storage a precision needs. */
static int decimal_bucket(int precision)
{
    return precision <= 9 ? 9 : precision <= 18 ? 18 : precision <= 38 ? 38 : 76;
}

/* How many decimal digits an integer type needs. */
static int int_digits(const Type *t)
{
    switch (t->kind) {
    case TY_BOOL: case TY_UINT8: case TY_INT8: return 3;
    case TY_UINT16: case TY_INT16: return 5;
    case TY_UINT32: case TY_INT32: return 10;
    case TY_UINT64: return 20;
    case TY_INT64: return 19;
    case TY_UINT128: case TY_INT128: return 39;
    default: return 77;
    }
}

static const Type *decimal(Project *p, int precision, int scale)
{
    if (precision > 76 || scale > precision)
        return NULL;
    Type d = {.kind = TY_DECIMAL, .precision = precision, .scale = scale};
    return type_intern(&p->types, &d);
}

/* ---- Wrappers ---- */

bool promote_can_be_nullable(const Type *t)
{
    switch (t->kind) {
    case TY_ARRAY: case TY_MAP: case TY_TUPLE: case TY_NESTED: case TY_NULLABLE: case TY_LOWCARDINALITY:
    case TY_AGGREGATE: case TY_SIMPLE_AGGREGATE: case TY_JSON: case TY_DYNAMIC: case TY_VARIANT: case TY_GEO:
        return false;
    default:
        return true;
    }
}

bool promote_can_be_lowcard(const Type *t)
{
    if (t->kind == TY_NULLABLE)
        t = t->elems[0];
    return is_native_number(t) || t->kind == TY_STRING || t->kind == TY_FIXEDSTRING || t->kind == TY_DATE ||
           t->kind == TY_INTERVAL ||
           t->kind == TY_DATE32 || t->kind == TY_DATETIME || t->kind == TY_UUID || t->kind == TY_IPV4 ||
           t->kind == TY_IPV6;
}

const Type *promote_unwrap(const Type *t)
{
    if (t && t->kind == TY_LOWCARDINALITY)
        t = t->elems[0];
    if (t && t->kind == TY_NULLABLE)
        t = t->elems[0];
    return t;
}

bool promote_can_be_nullable_here(Project *p, const Type *t)
{
    return promote_can_be_nullable(t) || (t->kind == TY_TUPLE && version_has_feature(&p->options, F_NULLABLE_TUPLE));
}

const Type *promote_make_nullable(Project *p, const Type *t)
{
    if (t->kind == TY_NULLABLE)
        return t;
    if (t->kind == TY_LOWCARDINALITY) {
        const Type *in = promote_make_nullable(p, t->elems[0]);
        return in ? type_wrap(&p->types, TY_LOWCARDINALITY, in) : NULL;
    }
    return promote_can_be_nullable_here(p, t) ? type_wrap(&p->types, TY_NULLABLE, t) : NULL;
}

/* ---- The least supertype ---- */

typedef struct TypeSet {
    const Type **v;
    int n;
} TypeSet;

/* How a supertype is looked for: at the top a missing one may make a
 * Variant (never inside an Array or Tuple); least/greatest compare
 * numbers, where a Decimal and a float meet in Float64. */
enum { SUP_VARIANT = 1, SUP_NUMERIC = 2 };

static const Type *supertype(Project *p, const Type *const *types, int n, int mode);

/* Applies supertype to the i-th elements of every type (arrays, maps). */
static const Type *element_supertype(Project *p, const Type *const *types, int n, int i, int mode)
{
    ArenaMark m = arena_mark(&p->scratch);
    const Type **elems = arena_alloc(&p->scratch, sizeof(Type *) * (size_t)n);
    for (int k = 0; k < n; k++)
        elems[k] = types[k]->elems[i];
    const Type *r = supertype(p, elems, n, mode & ~SUP_VARIANT);
    arena_release(&p->scratch, m);
    return r;
}

static bool all_kind(const Type *const *types, int n, TypeKind k)
{
    for (int i = 0; i < n; i++)
        if (types[i]->kind != k)
            return false;
    return true;
}

static bool any_kind(const Type *const *types, int n, TypeKind k)
{
    for (int i = 0; i < n; i++)
        if (types[i]->kind == k)
            return true;
    return false;
}

static const Type *tuple_supertype(Project *p, const Type *const *types, int n, int mode)
{
    int width = types[0]->n;
    bool same_names = types[0]->names != NULL;
    for (int i = 1; i < n; i++) {
        if (types[i]->n != width)
            return NULL;
        for (int k = 0; same_names && k < width; k++)
            same_names = types[i]->names && strcmp(types[i]->names[k], types[0]->names[k]) == 0;
    }
    ArenaMark m = arena_mark(&p->scratch);
    const Type **elems = arena_alloc(&p->scratch, sizeof(Type *) * (size_t)(width + 1));
    const Type *r = NULL;
    int k = 0;
    for (; k < width && (elems[k] = element_supertype(p, types, n, k, mode)); k++)
        ;
    if (k == width) {
        Type t = {.kind = TY_TUPLE, .elems = elems, .names = same_names ? types[0]->names : NULL, .n = width};
        r = type_intern(&p->types, &t);
    }
    arena_release(&p->scratch, m);
    return r;
}

static const Type *composite_supertype(Project *p, const Type *const *types, int n, int mode)
{
    TypeKind k = types[0]->kind;
    if (!all_kind(types, n, k))
        return NULL;
    if (k == TY_ARRAY) {
        const Type *e = element_supertype(p, types, n, 0, mode);
        return e ? type_wrap(&p->types, TY_ARRAY, e) : NULL;
    }
    if (k == TY_TUPLE)
        return tuple_supertype(p, types, n, mode);
    const Type *key = element_supertype(p, types, n, 0, mode), *value = key ? element_supertype(p, types, n, 1, mode) : NULL;
    if (!value)
        return NULL;
    const Type *kv[2] = {key, value};
    Type m = {.kind = TY_MAP, .elems = kv, .n = 2};
    return type_intern(&p->types, &m);
}

static const Type *number_supertype(Project *p, const Type *const *types, int n)
{
    int max_signed = 0, max_unsigned = 0, max_mantissa = 0;
    for (int i = 0; i < n; i++) {
        const Type *t = types[i];
        if (t->kind == TY_FLOAT32 || t->kind == TY_BFLOAT16)
            max_mantissa = max_mantissa > 24 ? max_mantissa : 24;
        else if (t->kind == TY_FLOAT64)
            max_mantissa = 53;
        else if (is_signed(t))
            max_signed = max_signed > type_int_bits(t) ? max_signed : type_int_bits(t);
        else
            max_unsigned = max_unsigned > type_int_bits(t) ? max_unsigned : type_int_bits(t);
    }
    int bits = max_signed > max_unsigned ? max_signed : max_unsigned;
    if (max_signed && max_unsigned >= max_signed) {
        if (bits == 64)
            return NULL; /* no signed type holds every UInt64 */
        bits *= 2;
    }
    if (max_mantissa) {
        int m = bits > max_mantissa ? bits : max_mantissa;
        return m <= 24 ? simple(p, TY_FLOAT32) : m <= 53 ? simple(p, TY_FLOAT64) : NULL;
    }
    TypeKind k = int_kind(bits, max_signed != 0);
    if (k == TY_UINT8 && types[0]->kind == TY_BOOL)
        return types[0]; /* Bool and UInt8 share a representation: the first one's name wins */
    return k == TY_COUNT ? NULL : simple(p, k);
}

static const Type *decimal_supertype(Project *p, const Type *const *types, int n)
{
    int scale = 0, digits = 0, bucket = 0;
    for (int i = 0; i < n; i++) {
        const Type *t = types[i];
        if (t->kind == TY_DECIMAL) {
            scale = scale > t->scale ? scale : t->scale;
            digits = digits > t->precision - t->scale ? digits : t->precision - t->scale;
            bucket = bucket > decimal_bucket(t->precision) ? bucket : decimal_bucket(t->precision);
        } else if (is_int(t)) {
            digits = digits > int_digits(t) ? digits : int_digits(t);
        } else {
            return NULL;
        }
    }
    int need = decimal_bucket(scale + digits);
    return scale + digits > 76 ? NULL : decimal(p, need > bucket ? need : bucket, scale);
}

static const Type *temporal_supertype(Project *p, const Type *const *types, int n)
{
    int precision = -1;
    bool datetime = false, date32 = false;
    for (int i = 0; i < n; i++) {
        if (types[i]->kind == TY_DATETIME64)
            precision = precision > types[i]->precision ? precision : types[i]->precision;
        datetime |= types[i]->kind == TY_DATETIME;
        date32 |= types[i]->kind == TY_DATE32;
    }
    /* Time zones that differ give none at all. */
    const char *tz = types[0]->tz;
    for (int i = 1; i < n; i++)
        if (!types[i]->tz || !tz || strcmp(types[i]->tz, tz) != 0)
            tz = NULL;
    if (precision >= 0) {
        Type t = {.kind = TY_DATETIME64, .precision = precision, .tz = tz};
        return type_intern(&p->types, &t);
    }
    if (datetime) {
        Type t = {.kind = TY_DATETIME, .tz = tz};
        return type_intern(&p->types, &t);
    }
    return simple(p, date32 ? TY_DATE32 : TY_DATE);
}

/* A Variant of the distinct types, in ClickHouse's order (by name). */
static int by_name(const void *a, const void *b)
{
    return strcmp((*(const Type *const *)a)->name, (*(const Type *const *)b)->name);
}

static const Type *variant_of(Project *p, const Type *const *types, int n)
{
    if (!version_has_feature(&p->options, F_VARIANT_SUPERTYPE))
        return NULL; /* ClickHouse refuses the mix: the call is an error there */
    ArenaMark m = arena_mark(&p->scratch);
    const Type **v = arena_alloc(&p->scratch, sizeof(Type *) * (size_t)n);
    int k = 0;
    for (int i = 0; i < n; i++) {
        bool seen = false;
        for (int j = 0; j < k; j++)
            seen |= v[j] == types[i];
        if (types[i]->kind == TY_NULLABLE || types[i]->kind == TY_VARIANT) {
            arena_release(&p->scratch, m);
            return NULL; /* how these nest in a Variant is not pinned down */
        }
        if (!seen)
            v[k++] = types[i];
    }
    qsort(v, (size_t)k, sizeof(Type *), by_name);
    Type t = {.kind = TY_VARIANT, .elems = v, .n = k};
    const Type *r = type_intern(&p->types, &t);
    arena_release(&p->scratch, m);
    return r;
}

static bool all_of(const Type *const *types, int n, bool (*pred)(const Type *))
{
    for (int i = 0; i < n; i++)
        if (!pred(types[i]))
            return false;
    return true;
}

static bool is_text_or_enum(const Type *t)
{
    return t->kind == TY_STRING || t->kind == TY_FIXEDSTRING || t->kind == TY_ENUM8 || t->kind == TY_ENUM16;
}

static bool is_decimal_or_int(const Type *t)
{
    return t->kind == TY_DECIMAL || is_int(t);
}

/* The supertype of plain types (no Nullable, no LowCardinality, no Nothing). */
static const Type *plain_supertype(Project *p, const Type *const *types, int n, int mode)
{
    TypeKind k = types[0]->kind;
    if (k == TY_ARRAY || k == TY_TUPLE || k == TY_MAP)
        return composite_supertype(p, types, n, mode);
    if (any_kind(types, n, TY_STRING) || any_kind(types, n, TY_FIXEDSTRING))
        return all_of(types, n, is_text_or_enum) ? simple(p, TY_STRING) : NULL;
    if (all_of(types, n, type_is_temporal))
        return temporal_supertype(p, types, n);
    if (any_kind(types, n, TY_DECIMAL)) {
        if (all_of(types, n, is_decimal_or_int))
            return decimal_supertype(p, types, n);
        return (mode & SUP_NUMERIC) && all_of(types, n, type_is_number) ? simple(p, TY_FLOAT64) : NULL;
    }
    if (all_of(types, n, is_native_number))
        return number_supertype(p, types, n);
    return NULL;
}

static const Type *supertype(Project *p, const Type *const *types, int n, int mode)
{
    bool same = true;
    for (int i = 1; i < n; i++)
        same &= types[i] == types[0];
    if (same)
        return n ? types[0] : NULL;
    ArenaMark m = arena_mark(&p->scratch);
    TypeSet plain = {arena_alloc(&p->scratch, sizeof(Type *) * (size_t)n), 0};
    bool lowcard = false, all_lowcard = true, nullable = false, enums = false;
    for (int i = 0; i < n; i++) {
        const Type *t = types[i];
        lowcard |= t->kind == TY_LOWCARDINALITY;
        all_lowcard &= t->kind == TY_LOWCARDINALITY;
        if (t->kind == TY_LOWCARDINALITY)
            t = t->elems[0];
        if (t->kind == TY_NULLABLE) {
            nullable = true;
            t = t->elems[0];
        }
        if (t->kind == TY_ENUM8 || t->kind == TY_ENUM16)
            enums = true;
        if (t->kind != TY_NOTHING)
            plain.v[plain.n++] = t;
    }
    /* Enums meet numbers as the integers they are. */
    for (int i = 0; enums && i < plain.n; i++)
        if (is_native_number(plain.v[i]))
            for (int k = 0; k < plain.n; k++)
                if (plain.v[k]->kind == TY_ENUM8 || plain.v[k]->kind == TY_ENUM16)
                    plain.v[k] = simple(p, plain.v[k]->kind == TY_ENUM8 ? TY_INT8 : TY_INT16);
    bool same_plain = plain.n > 0;
    for (int i = 1; i < plain.n; i++)
        same_plain &= plain.v[i] == plain.v[0];
    const Type *r;
    if (!plain.n)
        r = simple(p, TY_NOTHING);
    else if (same_plain)
        r = plain.v[0];
    else if (!(r = plain_supertype(p, plain.v, plain.n, mode)) && !nullable && !lowcard && (mode & SUP_VARIANT))
        r = variant_of(p, types, n);
    arena_release(&p->scratch, m);
    if (r && nullable && r->kind != TY_VARIANT)
        r = promote_make_nullable(p, r);
    if (r && lowcard && all_lowcard && promote_can_be_lowcard(r))
        r = type_wrap(&p->types, TY_LOWCARDINALITY, r);
    return r;
}

const Type *promote_supertype(Project *p, const Type *const *types, int n)
{
    for (int i = 0; i < n; i++)
        if (!types[i])
            return NULL;
    return supertype(p, types, n, SUP_VARIANT);
}

const Type *promote_numeric_supertype(Project *p, const Type *const *types, int n)
{
    for (int i = 0; i < n; i++)
        if (!types[i])
            return NULL;
    return supertype(p, types, n, SUP_VARIANT | SUP_NUMERIC);
}

/* ---- Arithmetic ---- */

/* Dates move by whole days and times by seconds; adding an interval of
 * hours to a Date makes a DateTime. */
static bool interval_below_day(const Type *i)
{
    return strcmp(i->func, "Second") == 0 || strcmp(i->func, "Minute") == 0 || strcmp(i->func, "Hour") == 0;
}

static bool interval_below_second(const Type *i)
{
    return strcmp(i->func, "Millisecond") == 0 || strcmp(i->func, "Microsecond") == 0 ||
           strcmp(i->func, "Nanosecond") == 0;
}

static const Type *temporal_arith(Project *p, Arith op, const Type *a, const Type *b)
{
    if (type_is_temporal(b) && op == AR_PLUS && !type_is_temporal(a)) {
        const Type *t = a;
        a = b;
        b = t;
    }
    if (!type_is_temporal(a) || (op != AR_PLUS && op != AR_MINUS))
        return NULL;
    if (is_int(b))
        return a;
    if (b->kind == TY_INTERVAL) {
        if (interval_below_second(b))
            return NULL; /* DateTime64 of the interval's precision: not pinned down */
        if ((a->kind == TY_DATE || a->kind == TY_DATE32) && interval_below_day(b))
            return simple(p, TY_DATETIME);
        return a;
    }
    if (op == AR_MINUS && a == b && (a->kind == TY_DATE || a->kind == TY_DATETIME))
        return simple(p, TY_INT32);
    if (op == AR_MINUS && a == b && a->kind == TY_DATETIME64)
        return decimal(p, 18, a->precision);
    return NULL;
}

static const Type *decimal_arith(Project *p, Arith op, const Type *a, const Type *b)
{
    if (type_is_float(a) || type_is_float(b))
        return op == AR_INTDIV || op == AR_MODULO || op == AR_BIT ? NULL : simple(p, TY_FLOAT64);
    if (op == AR_INTDIV || op == AR_MODULO || op == AR_BIT || !is_decimal_or_int(a) || !is_decimal_or_int(b))
        return NULL;
    int bucket = 0, scale;
    if (a->kind == TY_DECIMAL)
        bucket = decimal_bucket(a->precision);
    if (b->kind == TY_DECIMAL && decimal_bucket(b->precision) > bucket)
        bucket = decimal_bucket(b->precision);
    int sa = a->kind == TY_DECIMAL ? a->scale : 0, sb = b->kind == TY_DECIMAL ? b->scale : 0;
    if (op == AR_MULTIPLY)
        scale = sa + sb;
    else if (op == AR_DIVIDE)
        scale = a->kind == TY_DECIMAL ? sa : sb;
    else
        scale = sa > sb ? sa : sb;
    return decimal(p, bucket, scale);
}

static const Type *integer_arith(Project *p, Arith op, const Type *a, const Type *b)
{
    int ba = type_int_bits(a), bb = type_int_bits(b), wider = ba > bb ? ba : bb;
    bool sa = is_signed(a), sb = is_signed(b);
    switch (op) {
    case AR_PLUS: case AR_MULTIPLY:
        return simple(p, int_kind(next_size(wider), sa || sb));
    case AR_MINUS:
        return simple(p, int_kind(next_size(wider), true));
    case AR_DIVIDE:
        return simple(p, TY_FLOAT64);
    case AR_INTDIV:
        return simple(p, int_kind(ba, sa || sb));
    case AR_MODULO:
        return simple(p, int_kind(sa ? next_size(bb) : bb, sa));
    case AR_BIT:
        return simple(p, int_kind(wider, sa || sb));
    }
    return NULL;
}

const Type *promote_arith(Project *p, Arith op, const Type *a, const Type *b)
{
    if (!a || !b)
        return NULL;
    if (type_is_temporal(a) || type_is_temporal(b))
        return temporal_arith(p, op, a, b);
    if (a->kind == TY_DECIMAL || b->kind == TY_DECIMAL)
        return decimal_arith(p, op, a, b);
    if (!is_native_number(a) || !is_native_number(b))
        return NULL;
    if (type_is_float(a) || type_is_float(b)) {
        if (op == AR_BIT)
            return NULL;
        if (op == AR_INTDIV) /* the quotient is an integer of the dividend's size, signed */
            return simple(p, int_kind(type_is_float(a) ? (a->kind == TY_FLOAT32 ? 32 : 64) : type_int_bits(a), true));
        return simple(p, TY_FLOAT64);
    }
    return integer_arith(p, op, a, b);
}

const Type *promote_negate(Project *p, const Type *a)
{
    if (!a)
        return NULL;
    if (type_is_float(a) || a->kind == TY_DECIMAL)
        return a;
    if (!is_int(a))
        return NULL;
    return simple(p, int_kind(is_signed(a) ? type_int_bits(a) : next_size(type_int_bits(a)), true));
}

const Type *promote_abs(Project *p, const Type *a)
{
    if (!a)
        return NULL;
    if (type_is_float(a) || a->kind == TY_DECIMAL)
        return a;
    return is_int(a) ? simple(p, int_kind(type_int_bits(a), false)) : NULL;
}

const Type *promote_sum(Project *p, const Type *a)
{
    if (!a)
        return NULL;
    if (a->kind == TY_ENUM8 || a->kind == TY_ENUM16)
        return simple(p, TY_INT64);
    if (a->kind == TY_DECIMAL)
        return decimal(p, a->precision > 38 ? 76 : 38, a->scale);
    if (type_is_float(a))
        return simple(p, TY_FLOAT64);
    if (!is_int(a))
        return NULL;
    int bits = type_int_bits(a) > 64 ? type_int_bits(a) : 64;
    return simple(p, int_kind(bits, is_signed(a)));
}
