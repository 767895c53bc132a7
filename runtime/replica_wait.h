/* replica_wait: before a truncate ON CLUSTER empties a backfill MV's
 * target, every replica has fetched every part of it.
 *
 * Why (18.16, seen on the loopback cluster, docs/mv-changes.md "The
 * replicated TRUNCATE that never ends"): TRUNCATE of a ReplicatedMergeTree
 * runs on the replica that leads it (the others send it there), holds the
 * table's lock, queues a DROP_RANGE and waits for every replica to
 * execute it. The leader's DROP_RANGE first waits for the fetches of parts
 * in its range that are executing; a fetch that started while the TRUNCATE
 * held or awaited the lock is waiting for that lock. Neither ever ends:
 * KILL QUERY does not stop the TRUNCATE, reads of the table on that host
 * wait too, and only a restart of its server ends it. A part written on
 * another replica shortly before the TRUNCATE (a fill that an earlier run
 * left running, the MV's last inserts) is exactly such a fetch. With the
 * MV absent and earlier fills stopped (fill_stop.h) nothing writes the
 * target any more, so once no replica has an entry for it in its
 * replication queue, no fetch of it can start during the TRUNCATE. */
#ifndef MVRUN_REPLICA_WAIT_H
#define MVRUN_REPLICA_WAIT_H

#include "execute.h"

/* With a cluster: reads every host's system.replication_queue for target
 * (through remote(), one request a poll) until no host has an entry for
 * it, for at most --ddl-timeout. Nothing on a single server. Returns 0;
 * -1 with *res the failure: the read failed, or (TR_PERMANENT, a message
 * naming each host and how many entries it still had) the time ran out. */
int replica_wait_idle(Execution *x, const PlanName *target, TransportResult *res);

/* With a cluster, before a fill in one statement: the fill reads the
 * connected host's copy of the source, which may lack parts that another
 * host had written (a row inserted there just before the run, or before
 * the MV was dropped) until it fetches them. So every part logged by then
 * is fetched first: the server's now() is read once, then the connected
 * host's system.replication_queue until no GET_PART created at or before
 * it is left for a table of the plan's databases, for at most
 * --ddl-timeout. Nothing on a single server. Returns 0; -1 with *res the
 * failure (the time ran out: a message naming the tables). */
int replica_wait_fetched(Execution *x, TransportResult *res);

#endif
