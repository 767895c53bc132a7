/* The `engine` check: each table's engine rules (engine.c). */
#ifndef MVD_ENGINE_H
#define MVD_ENGINE_H

#include "project.h"

/* Checks every declared table; run after resolution (column types known). */
void check_engines(Project *p);

#endif
