/* `mvdc fmt`: canonical formatting of .mvd sources (fmt.c). */
#ifndef MVD_FMT_H
#define MVD_FMT_H

#include <stdbool.h>

#include "syntax/diag.h"
#include "syntax/source.h"
#include "strbuf.h"

/* Appends f's canonical text to out; false (and diagnostics in d) when
 * f does not parse. */
bool fmt_source(Arena *a, Diags *d, SourceFile *f, StrBuf *out);
/* Appends one declaration of f in the .mvd style (as fmt_source does). */
void fmt_decl(Arena *a, StrBuf *out, const SourceFile *f, const Decl *decl);

#endif
