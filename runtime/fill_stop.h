/* fill_stop: an INSERT of a fill that an earlier run left running on the
 * server. A client that gives up on a fill (a lost connection, mvrun
 * killed) does not stop it: over HTTP the server goes on until the INSERT
 * ends, writing its blocks into the target. The next run empties the
 * target and fills it again, so such an INSERT must be stopped before the
 * truncate, or its blocks land after it and are counted twice
 * (docs/mv-changes.md, "A fill the client gave up on"). Every fill is
 * therefore sent with a query_id that names what it writes, and stopped
 * by that name. */
#ifndef MVRUN_FILL_STOP_H
#define MVRUN_FILL_STOP_H

#include "execute.h"

#define FILL_QUERY_ID_MAX 96

/* The query_id of a fill in one statement into target, in this run:
 * mvd-fill-into-<16 hex digits of the target's name>-<run>. The prefix
 * up to the run is the same for every run and every plan, so a later
 * run finds it; the run number tells this run's own fill apart. */
void fill_whole_query_id(const Execution *x, const PlanName *target, char out[FILL_QUERY_ID_MAX]);

/* Stops every query whose query_id starts with prefix, except the one
 * named except (NULL: none), and waits until each is gone: `KILL QUERY
 * WHERE ... SYNC`, ON CLUSTER on every host with a cluster (an earlier
 * run may have been connected to any of them). Nothing on chDB: it runs
 * inside mvrun's process, and an earlier run's insert ended with it.
 * Returns 0, or -1 with *res the failure. */
int fill_stop(Execution *x, const char *prefix, const char *except, TransportResult *res);

/* Before target is emptied to be filled again in one statement: stops
 * the fills of earlier runs into target still running on the server
 * (fill_stop with fill_whole_query_id's prefix). Returns 0, or -1 with
 * *res the failure. */
int fill_stop_earlier(Execution *x, const PlanName *target, TransportResult *res);

#endif
