/* driftdiff: what differs in a view or MV that drifted. The registry
 * keeps only a hash of the definition mvrun created, so on drift the
 * server's create_table_query is read (one more query, on drift only) and
 * compared, token by token, with the plan's CREATE of that object:
 * whitespace and the server's re-formatting of spaces do not count, and
 * each difference is printed with a few tokens of context, in the two
 * texts' own spelling. */
#ifndef MVRUN_DRIFTDIFF_H
#define MVRUN_DRIFTDIFF_H

#include "conn.h"
#include "judge.h"
#include "plan.h"

/* Fills Drift.diff for the drifted views and MVs that exist. Best effort:
 * a failed query leaves the diffs empty (the drift is reported anyway). */
void driftdiff_fill(Conn *c, const Plan *plan, Judgement *j);

/* The diff of two statements (exposed for tests): "  plan:   ...\n
 * server: ...\n" per difference, or an empty string when they are the
 * same token for token. The caller frees it. */
char *driftdiff_text(const char *plan_sql, size_t plan_len, const char *server_sql);

#endif
