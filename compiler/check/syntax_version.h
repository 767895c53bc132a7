/* The `version` check of SELECT syntax: set operations other than UNION
 * ALL, WITH RECURSIVE, QUALIFY, WITH FILL and its INTERPOLATE/STALENESS,
 * WITH TIES, OFFSET ... FETCH, FROM (EXPLAIN ...), view(SELECT ...) and
 * `AS t(a, b)`, each against option clickhouse (project/versions.c has
 * the versions and where they come from). */
#ifndef MVD_SYNTAX_VERSION_H
#define MVD_SYNTAX_VERSION_H

#include "project/project.h"

/* Checks one member of a SELECT (not the members chained after it). */
void syntax_version_check(Project *p, SourceFile *file, const Select *s);

#endif
