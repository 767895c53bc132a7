/* What mvdc writes and mvrun reads in every plan, defined once: the two
 * header lines and the step header's first word (docs/plan-format.md). A
 * plan of another format version starts with PLAN_FORMAT_PREFIX and
 * another number. Format 1 numbered its steps (`-- @step N ...`,
 * `window=M`, `src=PATH:LINE`); format 2 does not, so a change to one
 * object changes only that object's lines. mvdc still reads a format-1
 * plan as the previous plan; mvrun refuses one with the advice to rebuild. */
#ifndef MVD_PLAN_SYNTAX_H
#define MVD_PLAN_SYNTAX_H

#define PLAN_FORMAT_PREFIX "-- mvd plan "
#define PLAN_FORMAT_NUMBER 2
#define PLAN_FORMAT_LINE PLAN_FORMAT_PREFIX "2\n"   /* line 1 */
#define PLAN_FORMAT_LINE_V1 PLAN_FORMAT_PREFIX "1\n" /* read as a previous plan only */
#define PLAN_HASH_PREFIX "-- plan-sha256: "        /* line 2: then 64 hex digits */
#define PLAN_STEP_PREFIX "-- @step "               /* then PHASE ACTION KIND QNAME ... */
/* An MV swapped in (actions shadow and swap, docs/mv-changes.md) is made
 * first in its own database under this prefix and its own name. */
#define PLAN_SHADOW_PREFIX "_mvd_swap_"

#endif
