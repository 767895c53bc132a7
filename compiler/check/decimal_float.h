/* The `version` check of operators between a Decimal and a float. Old
 * servers refuse them (18.16: `amount >= 0.5` on a Decimal column fails
 * with code 43, "No operation greaterOrEquals between Decimal(18, 4) and
 * Float64"): multiplication came in ~21.1, comparisons and the other
 * arithmetic in ~22.1. A literal like 0.5 is a Float64. */
#ifndef MVD_DECIMAL_FLOAT_H
#define MVD_DECIMAL_FLOAT_H

#include "check/scope.h"

/* Checks one EX_BINARY or EX_BETWEEN expression made in scope sc of file. */
void decimal_float_check(Project *p, const Scope *sc, const Expr *e, SourceFile *file);

#endif
