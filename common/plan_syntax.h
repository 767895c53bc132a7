/* What mvdc writes and mvrun reads in every plan, defined once: the two
 * header lines (docs/plan-format.md). A plan of another format version
 * starts with PLAN_FORMAT_PREFIX and another number. */
#ifndef MVD_PLAN_SYNTAX_H
#define MVD_PLAN_SYNTAX_H

#define PLAN_FORMAT_PREFIX "-- mvd plan "
#define PLAN_FORMAT_LINE PLAN_FORMAT_PREFIX "1\n"   /* line 1 */
#define PLAN_HASH_PREFIX "-- plan-sha256: "        /* line 2: then 64 hex digits */

#endif
