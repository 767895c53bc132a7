#include "project/types.h"

#include "syntax/ast.h"

#include <stdio.h>
#include <string.h>

static const char *const simple_names[TY_COUNT] = {
    [TY_NOTHING] = "Nothing", [TY_BOOL] = "Bool",
    [TY_UINT8] = "UInt8", [TY_UINT16] = "UInt16", [TY_UINT32] = "UInt32", [TY_UINT64] = "UInt64",
    [TY_UINT128] = "UInt128", [TY_UINT256] = "UInt256",
    [TY_INT8] = "Int8", [TY_INT16] = "Int16", [TY_INT32] = "Int32", [TY_INT64] = "Int64",
    [TY_INT128] = "Int128", [TY_INT256] = "Int256",
    [TY_BFLOAT16] = "BFloat16", [TY_FLOAT32] = "Float32", [TY_FLOAT64] = "Float64",
    [TY_STRING] = "String", [TY_DATE] = "Date", [TY_DATE32] = "Date32", [TY_DATETIME] = "DateTime",
    [TY_UUID] = "UUID", [TY_IPV4] = "IPv4", [TY_IPV6] = "IPv6", [TY_JSON] = "JSON",
    [TY_DYNAMIC] = "Dynamic",
    [TY_DECIMAL] = "Decimal", [TY_FIXEDSTRING] = "FixedString", [TY_DATETIME64] = "DateTime64",
    [TY_ENUM8] = "Enum8", [TY_ENUM16] = "Enum16", [TY_ARRAY] = "Array", [TY_TUPLE] = "Tuple",
    [TY_MAP] = "Map", [TY_NESTED] = "Nested", [TY_NULLABLE] = "Nullable",
    [TY_LOWCARDINALITY] = "LowCardinality", [TY_AGGREGATE] = "AggregateFunction",
    [TY_SIMPLE_AGGREGATE] = "SimpleAggregateFunction", [TY_INTERVAL] = "Interval",
    [TY_VARIANT] = "Variant", [TY_GEO] = "Geo",
};

void types_init(TypeTable *t, Arena *a)
{
    t->arena = a;
    strmap_init(&t->by_name, a);
    memset(t->simple, 0, sizeof(t->simple));
}

/* ---- Canonical names ---- */

typedef struct Buf {
    char *s;
    size_t len, cap;
    Arena *arena;
} Buf;

static void put(Buf *b, const char *s, size_t n)
{
    if (b->len + n + 1 > b->cap) {
        size_t cap = (b->len + n + 1) * 2;
        char *ns = arena_alloc(b->arena, cap);
        if (b->len)
            memcpy(ns, b->s, b->len);
        b->s = ns;
        b->cap = cap;
    }
    memcpy(b->s + b->len, s, n);
    b->len += n;
    b->s[b->len] = 0;
}

static void puts_(Buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void putf(Buf *b, const char *fmt, int v)
{
    char tmp[32];
    int n = snprintf(tmp, sizeof tmp, fmt, v);
    put(b, tmp, (size_t)n);
}

/* A string literal (quote '\'') or a name (quote '`') as ClickHouse prints
 * it inside a type: the quote and backslashes escaped, and \b \f \n \r \t
 * \0 written as escapes (tried on 26.5: other control bytes stay as they
 * are). A type name then never holds a line break: it is written to the
 * end of a plan's @column line. */
static void put_escaped(Buf *b, const char *s, char quote)
{
    static const char from[] = "\b\f\n\r\t", to[] = "bfnrt";
    put(b, &quote, 1);
    for (; *s; s++) {
        const char *named = strchr(from, *s);
        if (named && *s) {
            put(b, "\\", 1);
            put(b, &to[named - from], 1);
            continue;
        }
        if (*s == quote || *s == '\\')
            put(b, "\\", 1);
        put(b, s, 1);
    }
    put(b, &quote, 1);
}

static void put_quoted(Buf *b, const char *s)
{
    put_escaped(b, s, '\'');
}

static void put_elems(Buf *b, const Type *t)
{
    for (int i = 0; i < t->n; i++) {
        if (i)
            puts_(b, ", ");
        if (t->names && t->names[i]) {
            if (ast_plain_chars(t->names[i], (uint32_t)strlen(t->names[i])))
                puts_(b, t->names[i]);
            else
                put_escaped(b, t->names[i], '`'); /* as ClickHouse's backQuoteIfNeed */
            puts_(b, " ");
        }
        puts_(b, t->elems[i]->name);
    }
}

static const char *canonical_name(Arena *a, const Type *t)
{
    Buf b = {.arena = a};
    switch (t->kind) {
    case TY_DECIMAL:
        putf(&b, "Decimal(%d", t->precision);
        putf(&b, ", %d)", t->scale);
        break;
    case TY_FIXEDSTRING:
        putf(&b, "FixedString(%d)", t->precision);
        break;
    case TY_DATETIME:
        puts_(&b, "DateTime");
        if (t->tz) {
            puts_(&b, "(");
            put_quoted(&b, t->tz);
            puts_(&b, ")");
        }
        break;
    case TY_DATETIME64:
        putf(&b, "DateTime64(%d", t->precision);
        if (t->tz) {
            puts_(&b, ", ");
            put_quoted(&b, t->tz);
        }
        puts_(&b, ")");
        break;
    case TY_ENUM8: case TY_ENUM16:
        puts_(&b, simple_names[t->kind]);
        puts_(&b, "(");
        for (int i = 0; i < t->n; i++) {
            if (i)
                puts_(&b, ", ");
            put_quoted(&b, t->names[i]);
            putf(&b, " = %d", t->values[i]);
        }
        puts_(&b, ")");
        break;
    case TY_AGGREGATE: case TY_SIMPLE_AGGREGATE:
        puts_(&b, simple_names[t->kind]);
        puts_(&b, "(");
        puts_(&b, t->func);
        if (t->n)
            puts_(&b, ", ");
        put_elems(&b, t);
        puts_(&b, ")");
        break;
    case TY_INTERVAL:
        puts_(&b, "Interval");
        puts_(&b, t->func);
        break;
    case TY_GEO:
        puts_(&b, t->func);
        break;
    case TY_JSON:
        puts_(&b, "JSON");
        if (t->func) {
            puts_(&b, "(");
            puts_(&b, t->func);
            puts_(&b, ")");
        }
        break;
    case TY_ARRAY: case TY_TUPLE: case TY_MAP: case TY_NESTED: case TY_NULLABLE:
    case TY_LOWCARDINALITY: case TY_VARIANT:
        puts_(&b, simple_names[t->kind]);
        puts_(&b, "(");
        put_elems(&b, t);
        puts_(&b, ")");
        break;
    default:
        puts_(&b, simple_names[t->kind]);
        break;
    }
    return b.s;
}

/* ---- Interning ---- */

static void *copy(Arena *a, const void *src, size_t size)
{
    if (!src || !size)
        return NULL;
    void *d = arena_alloc(a, size);
    memcpy(d, src, size);
    return d;
}

static const char *copy_string(Arena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

/* Most lookups find a type that exists: its name is computed in space that
 * is given back at once, so inference over millions of expressions costs no
 * memory. A new type gets its own copies of everything, strings included:
 * the prototype may live in temporary space. */
const Type *type_intern(TypeTable *tt, const Type *proto)
{
    if (!proto->n && !proto->tz && !proto->func && !proto->precision && !proto->scale && tt->simple[proto->kind])
        return tt->simple[proto->kind];
    ArenaMark mark = arena_mark(tt->arena);
    const char *name = canonical_name(tt->arena, proto);
    Type *found = strmap_get(&tt->by_name, name, strlen(name));
    if (found) {
        arena_release(tt->arena, mark);
        return found;
    }
    Type *t = arena_alloc(tt->arena, sizeof(*t));
    *t = *proto;
    t->elems = copy(tt->arena, proto->elems, sizeof(Type *) * (size_t)proto->n);
    if (proto->names) {
        const char **names = arena_alloc(tt->arena, sizeof(char *) * (size_t)proto->n);
        for (int i = 0; i < proto->n; i++)
            names[i] = copy_string(tt->arena, proto->names[i]);
        t->names = names;
    }
    t->values = copy(tt->arena, proto->values, sizeof(int) * (size_t)proto->n);
    t->tz = copy_string(tt->arena, proto->tz);
    t->func = copy_string(tt->arena, proto->func);
    t->name = name;
    if (!proto->n && !proto->tz && !proto->func && !proto->precision && !proto->scale && proto->kind < TY_COUNT)
        tt->simple[proto->kind] = t;
    return strmap_put(&tt->by_name, name, strlen(name), t);
}

const Type *type_simple(TypeTable *t, TypeKind kind)
{
    Type proto = {.kind = kind};
    return type_intern(t, &proto);
}

const Type *type_wrap(TypeTable *t, TypeKind kind, const Type *inner)
{
    const Type *elems[1] = {inner};
    Type proto = {.kind = kind, .elems = elems, .n = 1};
    return type_intern(t, &proto);
}

/* t with every `kind` wrapper removed, at any level but inside an
 * aggregate's state, a JSON or an Enum. */
static const Type *strip_deep(TypeTable *tt, const Type *t, TypeKind kind)
{
    if (t->kind == kind)
        return strip_deep(tt, t->elems[0], kind);
    if (!t->n || t->kind == TY_AGGREGATE || t->kind == TY_SIMPLE_AGGREGATE || t->kind == TY_JSON ||
        t->kind == TY_ENUM8 || t->kind == TY_ENUM16 || !t->elems)
        return t;
    const Type *small[8];
    const Type **elems = t->n <= 8 ? small : arena_alloc(tt->arena, sizeof(Type *) * (size_t)t->n);
    bool changed = false;
    for (int i = 0; i < t->n; i++) {
        elems[i] = strip_deep(tt, t->elems[i], kind);
        changed |= elems[i] != t->elems[i];
    }
    if (!changed)
        return t;
    Type proto = *t;
    proto.elems = elems;
    return type_intern(tt, &proto);
}

/* ClickHouse's recursiveRemoveLowCardinality: what an aggregate function
 * sees of its arguments (and so what its state and result are made of). */
const Type *type_strip_lowcardinality(TypeTable *tt, const Type *t)
{
    return strip_deep(tt, t, TY_LOWCARDINALITY);
}

/* The type without Nullable at any level (Array(Nullable(String)) is
 * Array(String)): what a value proven to hold no NULL converts as. */
const Type *type_strip_nullable(TypeTable *tt, const Type *t)
{
    return strip_deep(tt, t, TY_NULLABLE);
}

/* An AggregateFunction's function without its state version:
 * "sumMap" of AggregateFunction(1, sumMap, ...). */
const char *type_state_function(const Type *t)
{
    const char *f = t->func;
    const char *s = f;
    while (*s >= '0' && *s <= '9')
        s++;
    return s != f && s[0] == ',' && s[1] == ' ' ? s + 2 : f;
}

/* ---- Classes ---- */

bool type_is_integer(const Type *t)
{
    return t->kind >= TY_UINT8 && t->kind <= TY_INT256;
}

int type_int_bits(const Type *t)
{
    switch (t->kind) {
    case TY_BOOL: case TY_UINT8: case TY_INT8: return 8;
    case TY_UINT16: case TY_INT16: return 16;
    case TY_UINT32: case TY_INT32: return 32;
    case TY_UINT64: case TY_INT64: return 64;
    case TY_UINT128: case TY_INT128: return 128;
    case TY_UINT256: case TY_INT256: return 256;
    default: return 0;
    }
}

bool type_is_unsigned(const Type *t)
{
    return t->kind >= TY_UINT8 && t->kind <= TY_UINT256;
}

bool type_is_float(const Type *t)
{
    return t->kind >= TY_BFLOAT16 && t->kind <= TY_FLOAT64;
}

bool type_is_number(const Type *t)
{
    return type_is_integer(t) || type_is_float(t) || t->kind == TY_DECIMAL || t->kind == TY_BOOL;
}

bool type_is_temporal(const Type *t)
{
    return t->kind == TY_DATE || t->kind == TY_DATE32 || t->kind == TY_DATETIME || t->kind == TY_DATETIME64;
}
