/* sqlquote: values and names written into the SQL that mvrun itself
 * builds (the registry, the lock, the state queries). Everything mvrun
 * did not write comes from the plan and is sent byte for byte. */
#ifndef MVRUN_SQLQUOTE_H
#define MVRUN_SQLQUOTE_H

#include "strbuf.h"

/* 'text' with \ and ' escaped, control bytes as \n, \t, \xHH: a literal
 * that 18.16 and 26.x read back as exactly text. */
void sql_string(StrBuf *b, const char *text);
/* `name`, always backquoted, with ` and \ escaped. */
void sql_ident(StrBuf *b, const char *name);
/* `db`.`name` */
void sql_qualified(StrBuf *b, const char *db, const char *name);

/* Reads a ClickHouse string literal ('...' with backslash escapes or ''),
 * as system.columns.default_expression shows one, into out (owned).
 * Returns 0, or -1 when text is not exactly one string literal. */
int sql_unquote_string(const char *text, char **out);

#endif
