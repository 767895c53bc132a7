/* Forms of an aggregate newer than the aggregate itself: a parameter
 * added later (groupUniqArray(max_size), topK's load factor) and the
 * -Resample combinator, which 18.16 refuses whether called or held in a
 * state type. Used for calls (resolve.c) and state types (typesyntax.c). */
#ifndef MVD_AGG_FORMS_H
#define MVD_AGG_FORMS_H

#include <stdbool.h>

#include "project/project.h"

/* The aggregate `fn` (len bytes, combinators included) written with n
 * parameters at spans params[0..n-1], its name at `at`: reports
 * error[version] for each part option clickhouse lacks (with `function`,
 * the aggregate itself too) and returns whether it has them all. */
bool aggregate_form_available(Project *p, const char *fn, size_t len, const Span *params, int n, SourceFile *file,
                              Span at, bool function);

#endif
