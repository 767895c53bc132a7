/* Virtual columns: what an engine gives each row beyond the declared
 * columns (virtual.c). */
#ifndef MVD_VIRTUAL_H
#define MVD_VIRTUAL_H

#include "project/project.h"

/* The columns a query may read from table o: `cols` (its declared ones)
 * and, for an engine that has them, its virtual columns. */
const OutColumnList *virtual_readable_columns(Project *p, const Object *o, const OutColumnList *cols);

/* The virtual columns a projection of a MergeTree table may select beyond
 * the table's own: _part_offset (a projection that is an index). */
const OutColumnList *virtual_projection_columns(Project *p);

#endif
