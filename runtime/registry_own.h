/* registry_own: whether the registry database's `history` and `objects`
 * are mvrun's own. A database named by `@option registry` may hold an
 * application's tables of those names; mvrun must never write into such
 * a table, drop it, or take its rows for records (docs/mvrun.md, "The
 * registry"). Like the lock (lock.c), they are recognised by their
 * columns: history by exactly mvrun's names and types and a MergeTree or
 * Log-family engine, objects by being a view with exactly mvrun's column
 * names. */
#ifndef MVRUN_REGISTRY_OWN_H
#define MVRUN_REGISTRY_OWN_H

#include "state.h"
#include "strbuf.h"

/* 1 when db holds a `history` or `objects` that mvrun did not make, with
 * what is wrong in *why ("table `history` has columns ..."); else 0. */
int registry_foreign(const LiveState *live, const char *db, StrBuf *why);

#endif
