/* lock: one mvrun at a time per target (server or cluster, and registry
 * database). The lock is a table, `<registry>.lock`, made with a plain
 * CREATE TABLE: ClickHouse creates a table name once, so of any number of
 * mvruns that try together exactly one succeeds and every other one gets
 * code 57 (table already exists). The holder's identity is part of that
 * same statement, as the columns' DEFAULT values, so there is no moment
 * when the lock exists without saying who holds it. docs/mvrun.md has the
 * full argument. */
#ifndef MVRUN_LOCK_H
#define MVRUN_LOCK_H

#include "conn.h"
#include "strbuf.h"

#include <stdint.h>

typedef struct LockHolder {
    char *token;        /* random, one per run */
    char *who;          /* user@host */
    char *host;
    int64_t pid;
    int64_t since;      /* unix seconds, the holder's clock */
    char *plan;         /* the plan's sha256 */
    int foreign;        /* a table named lock that mvrun did not make */
} LockHolder;

typedef struct Lock {
    Conn *conn;
    const char *db;             /* the registry database, unescaped */
    const char *cluster;        /* NULL: a single server */
    LockHolder me;              /* filled by lock_acquire */
    int held;
    int took_released;          /* lock_acquire broke a lock its run had released (lock.c) */
    /* The registry database was just read as absent: lock_acquire makes it
     * first. Its CREATE of the lock table would fail there, and on a
     * cluster that failure is only answered once every host has run it. */
    int make_database;
    /* The registry's history was read as absent on some host, and enqueue
     * (a connection whose ON CLUSTER statements are only queued, NULL
     * without a cluster) is open: lock_acquire queues the registry's
     * CREATEs (database when absent, history, objects, each IF NOT EXISTS) ahead of
     * the lock's CREATE. Every host runs its DDL queue in order, so once
     * the lock's CREATE has answered from every host the registry exists
     * there too, without three statements each waiting on every host. */
    int make_registry;
    Conn *enqueue;
    /* With enqueue, the lock's DROP is queued too, and every host read
     * until none holds this run's lock any more (lock.c, queued_drop),
     * for up to ddl_timeout_ms (--ddl-timeout). */
    long ddl_timeout_ms;
} Lock;

typedef enum LockStatus {
    LOCK_ACQUIRED,
    LOCK_HELD,          /* another run holds it: *holder says who */
    LOCK_FAILED,        /* the server said something else: *res */
    LOCK_FOREIGN,       /* <registry>.lock is a table mvrun did not make: never touched */
} LockStatus;

/* Takes the lock for `who` (user@host, on host `host`) running the plan
 * with hash plan_sha256. With break_stale, a lock found held is broken
 * (renamed away to <registry>.lock_broken_<its token>) and taken; so is,
 * without it, a lock whose run left the record that it released it
 * (lock_release's 3; then lock->took_released is set). What was broken
 * is described in *broke (empty when nothing was). *holder is
 * filled when LOCK_HELD (free it with lock_holder_free); *res when
 * LOCK_FAILED (free it with transport_result_free). */
LockStatus lock_acquire(Lock *lock, const char *who, const char *host, const char *plan_sha256,
                        int break_stale, LockHolder *holder, StrBuf *broke, TransportResult *res);

/* Drops the lock if it is still this run's. Returns 0; -1 with *res when
 * the server could not be asked, 1 when the lock was no longer ours
 * (someone broke it), 2 with *res (159) when an ON CLUSTER DROP timed out
 * waiting for a host: dropped on the hosts that answered, and queued for
 * the others, which drop it when they return; 3 with *res when, on a
 * cluster, the DROP failed (ZooKeeper down: no ON CLUSTER statement runs)
 * and the run left instead, on the connected host, the record that it
 * released the lock: the next run takes it over (lock_acquire). */
int lock_release(Lock *lock, TransportResult *res);

/* Reads who holds the lock without taking it (mvrun status). Returns 1
 * and fills *holder when it is held, 0 when it is free, -1 with *res when
 * the server could not be asked. */
int lock_read(Lock *lock, LockHolder *holder, TransportResult *res);

/* 1 when some host has the record that holder's run released the lock
 * it could not drop (lock_release's 3); 0 when none has it or the hosts
 * could not be asked. */
int lock_released(Lock *lock, const LockHolder *holder);

/* Who holds it, in one line: "user@host (pid 1234) since 2024-05-01
 * 12:00:00 UTC, applying plan 3b1f0c2a9d4e". */
void lock_describe(const LockHolder *holder, StrBuf *out);

void lock_holder_free(LockHolder *holder);

#endif
