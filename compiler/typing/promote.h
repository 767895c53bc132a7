/* ClickHouse's rules for the types of results that are algorithms rather
 * than table entries: the least common supertype (if, multiIf, arrays),
 * arithmetic promotion, and the types of sum and avg. Every function takes
 * plain types (no Nullable or LowCardinality around the operands, except
 * promote_supertype, which handles both) and returns NULL when ClickHouse
 * would refuse the operands or when the rule is not known well enough to
 * be sure: NULL is "Unknown", never an error. Each rule was checked with
 * toTypeName on chDB 26.5 (tests/types). */
#ifndef MVD_PROMOTE_H
#define MVD_PROMOTE_H

#include "project/project.h"

typedef enum Arith {
    AR_PLUS, AR_MINUS, AR_MULTIPLY, AR_DIVIDE, AR_INTDIV, AR_MODULO,
    AR_BIT /* bitAnd, bitOr, bitXor */
} Arith;

/* getLeastSupertype: the type every one of types converts to. From 26.1
 * (option clickhouse) types without one make a Variant. */
const Type *promote_supertype(Project *p, const Type *const *types, int n);
/* The same for least and greatest: a Decimal and a float meet in Float64. */
const Type *promote_numeric_supertype(Project *p, const Type *const *types, int n);
const Type *promote_arith(Project *p, Arith op, const Type *a, const Type *b);
const Type *promote_negate(Project *p, const Type *a);
const Type *promote_abs(Project *p, const Type *a);
/* The result of sum (and arraySum, sumWithOverflow's wider cousins). */
const Type *promote_sum(Project *p, const Type *a);

/* Whether a type may be wrapped in Nullable / LowCardinality. */
bool promote_can_be_nullable(const Type *t);
bool promote_can_be_lowcard(const Type *t);
/* The same for the project's server version: Nullable(Tuple) from 26.2. */
bool promote_can_be_nullable_here(Project *p, const Type *t);
/* The type without an outer LowCardinality and Nullable. */
const Type *promote_unwrap(const Type *t);
/* Makes t Nullable when it can be; NULL when ClickHouse would refuse it. */
const Type *promote_make_nullable(Project *p, const Type *t);

#endif
