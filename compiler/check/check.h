/* The checks, in the order they run (check.c): everything mvdc knows
 * about a parsed project comes from here. Each pass is one file of this
 * folder; their diagnostics land in p->diags. */
#ifndef MVD_CHECK_H
#define MVD_CHECK_H

#include "project/project.h"

/* Reads the options, then runs every pass. */
void check_project(Project *p);
/* The passes after the options, for a caller with work to start in
 * between that needs them (mvdc build: plan_begin). */
void check_declarations(Project *p);

/* `table x as y`: x's columns copied from y (table_as.c); run before
 * anything prints a CREATE. check_project runs it first. */
void check_table_copies(Project *p);

/* `---` doc comments on tables and their columns set as their COMMENT where
 * the version can also ALTER it (doc_comment.c); run before
 * check_table_copies. */
void check_doc_comments(Project *p);

#endif
