/* Diagnostics: the one place that records and prints errors, warnings and
 * their notes. Passes report a span in a file; line, column, the source
 * line and the caret are derived only when printing. Every diagnostic has
 * a stable check name (language.md, "Checks"). */
#ifndef MVD_DIAG_H
#define MVD_DIAG_H

#include <stdbool.h>
#include <stdio.h>

#include "syntax/ast.h"
#include "syntax/source.h"

typedef enum Severity { SEV_ERROR, SEV_WARNING } Severity;

typedef struct DiagNote {
    SourceFile *file; /* NULL for a hint without a location */
    Span span;
    const char *msg;
} DiagNote;
typedef LIST_OF(DiagNote) DiagNoteList;

typedef struct Diag {
    Severity sev;
    const char *check;
    SourceFile *file;
    Span span;
    const char *msg;
    DiagNoteList notes;
    int seq;
} Diag;
typedef LIST_OF(Diag *) DiagList;

typedef struct Diags {
    Arena *arena;
    DiagList list;
    int errors;
    int warnings;
} Diags;

void diag_init(Diags *d, Arena *a);
Diag *diag_error(Diags *d, const char *check, SourceFile *f, Span span, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
Diag *diag_warning(Diags *d, const char *check, SourceFile *f, Span span, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/* A note under a diagnostic: a hint (f == NULL) or a related location. */
void diag_note(Diags *d, Diag *g, SourceFile *f, Span span, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));

/* s as diagnostics show it (control bytes and bytes that are not UTF-8 as
 * \xHH): s itself when nothing needs escaping, else a copy in a. For the
 * messages printed outside Diags, such as a path that cannot be read. */
const char *diag_escape(Arena *a, const char *s);

/* A JSON string literal, escaped. */
void diag_json_string(FILE *out, const char *s, size_t len);

/* Prints every diagnostic, ordered by file, position and report order. */
void diag_print_text(Diags *d, FILE *out);
void diag_print_json(Diags *d, FILE *out);

#endif
