/* The `arity` check: a call of a known function or aggregate with the
 * wrong number or kind of arguments, judged by the library's signatures
 * (docs/stdlib.md) and the combinator rules. An argument whose type is
 * not known fits any parameter: the check never guesses. */
#ifndef MVD_ARITY_H
#define MVD_ARITY_H

#include "check/scope.h"

/* Checks one call of f (the object its name resolves to, or the aggregate
 * under its combinators) made in scope sc of file. */
void arity_check_call(Project *p, const Scope *sc, const Expr *call, Object *f, SourceFile *file);

#endif
