/* ClickHouse types as values. Every Type is interned in a TypeTable, so
 * two types are equal exactly when their pointers are, and each carries
 * its canonical name: the spelling ClickHouse's toTypeName() prints
 * (`DateTime('UTC')`, `Decimal(18, 4)`, `AggregateFunction(uniq, UInt64)`).
 *
 * TypeExpr is syntax (what a file says); Type is meaning (what the server
 * will store). typing/typesyntax.c turns one into the other and reports
 * invalid-type; the checker compares and infers Types. */
#ifndef MVD_TYPES_H
#define MVD_TYPES_H

#include <stdbool.h>

#include "base/arena.h"
#include "base/strmap.h"

typedef enum TypeKind {
    TY_NOTHING,
    TY_BOOL,
    TY_UINT8, TY_UINT16, TY_UINT32, TY_UINT64, TY_UINT128, TY_UINT256,
    TY_INT8, TY_INT16, TY_INT32, TY_INT64, TY_INT128, TY_INT256,
    TY_BFLOAT16, TY_FLOAT32, TY_FLOAT64,
    TY_DECIMAL,        /* precision, scale */
    TY_STRING,
    TY_FIXEDSTRING,    /* precision = N */
    TY_DATE, TY_DATE32,
    TY_DATETIME,       /* tz */
    TY_DATETIME64,     /* precision, tz */
    TY_UUID, TY_IPV4, TY_IPV6,
    TY_ENUM8, TY_ENUM16, /* names[i] = values[i] */
    TY_ARRAY,          /* elems[0] */
    TY_TUPLE,          /* elems, names (all NULL when unnamed) */
    TY_MAP,            /* elems[0] key, elems[1] value */
    TY_NESTED,         /* elems, names */
    TY_NULLABLE,       /* elems[0] */
    TY_LOWCARDINALITY, /* elems[0] */
    TY_AGGREGATE,      /* func (with parameters), elems = argument types */
    TY_SIMPLE_AGGREGATE, /* func, elems[0] */
    TY_INTERVAL,       /* func = unit: Second, Minute, ... */
    TY_JSON, TY_DYNAMIC,
    TY_VARIANT,        /* elems, in canonical (name) order */
    TY_GEO,            /* func = Point, Ring, Polygon, MultiPolygon, LineString, ... */
    TY_COUNT
} TypeKind;

typedef struct Type Type;

struct Type {
    TypeKind kind;
    int precision;
    int scale;
    const char *tz;        /* DateTime('tz'); NULL for the server's zone */
    const char *func;      /* aggregate function with parameters; interval unit; geo name */
    const Type *const *elems;
    const char *const *names; /* tuple/nested element names, enum names */
    const int *values;     /* enum values */
    int n;                 /* elements or enum items */
    const char *name;      /* the canonical name */
};

typedef struct TypeTable {
    Arena *arena;
    StrMap by_name;
    const Type *simple[TY_COUNT]; /* the parameterless types, once interned */
} TypeTable;

void types_init(TypeTable *t, Arena *a);

/* Interns a type built on the stack: its arrays are copied, its
 * canonical name computed. Returns the one shared instance. */
const Type *type_intern(TypeTable *t, const Type *proto);
const Type *type_simple(TypeTable *t, TypeKind kind);
const Type *type_wrap(TypeTable *t, TypeKind kind, const Type *inner); /* Array, Nullable, LowCardinality */
const Type *type_strip_lowcardinality(TypeTable *t, const Type *type);
const Type *type_strip_nullable(TypeTable *t, const Type *type);
const char *type_state_function(const Type *t);

bool type_is_integer(const Type *t);
bool type_is_unsigned(const Type *t);
/* Width of an integer type (Bool counts as 8), 0 for anything else. */
int type_int_bits(const Type *t);
bool type_is_float(const Type *t);
bool type_is_number(const Type *t);     /* integers, floats, decimals, Bool */
bool type_is_temporal(const Type *t);   /* Date, Date32, DateTime, DateTime64 */

#endif
