/* TimeSeries tables (ENGINE = TimeSeries, experimental from ClickHouse
 * 24.8): what a declaration of one must say so that the plan creates what
 * the declaration says. */
#ifndef MVD_TIME_SERIES_H
#define MVD_TIME_SERIES_H

#include "project/project.h"

/* The columns chDB 26.5 gives a TimeSeries table when the CREATE lists
 * none, in its order, as `system.columns` lists them: one `name type
 * [DEFAULT expr]` per entry. */
extern const char *const time_series_columns[];
extern const int time_series_column_count;
/* The setting a CREATE of one needs (without it: code 344). */
#define TIME_SERIES_SETTING "allow_experimental_time_series_table"

/* The engine check of a TimeSeries table d (engine is its ENGINE clause,
 * settings its SETTINGS clause or NULL). */
void time_series_check(Project *p, const Decl *d, const Clause *engine, const Clause *settings);

#endif
