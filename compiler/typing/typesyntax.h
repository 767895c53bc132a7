/* Declared types: TypeExpr (syntax) to Type (meaning), with the
 * invalid-type and version checks. */
#ifndef MVD_TYPESYNTAX_H
#define MVD_TYPESYNTAX_H

#include "project/project.h"
#include "project/types.h"

/* The type `t` stands for, or NULL after reporting why ClickHouse would
 * refuse it; diagnostics point at `at`. */
const Type *typesyntax_read(Project *p, SourceFile *file, const TypeExpr *t, Span at);
/* The same without any diagnostic or version check (NULL when invalid):
 * types inside function signatures, and type names in string literals. */
const Type *typesyntax_read_quiet(Project *p, SourceFile *file, const TypeExpr *t);
/* Where a column's type is written (shared TypeExpr nodes keep only their
 * first occurrence's position). */
Span typesyntax_column_span(const SourceFile *file, const Column *c);

#endif
