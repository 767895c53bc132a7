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

#endif
