/* tsv: reading ClickHouse's TabSeparated answers (the state and lock
 * queries ask for that format). */
#ifndef MVRUN_TSV_H
#define MVRUN_TSV_H

#include <stddef.h>

typedef struct TsvRow {
    char **fields;      /* unescaped, NUL-terminated */
    size_t n;
} TsvRow;

typedef struct Tsv {
    TsvRow *rows;
    size_t n;
} Tsv;

/* Splits body (len bytes) into rows of unescaped fields. Every row must
 * end with \n. Returns 0, or -1 when the text is not TabSeparated (a
 * truncated answer, a stray byte); *out is then empty. */
int tsv_parse(const char *body, size_t len, Tsv *out);
void tsv_free(Tsv *t);

#endif
