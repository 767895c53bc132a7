/* Handing a stream of chunks to a second thread (emit.c): while one chunk
 * is hashed and written there, the next one is built here. Chunks reach
 * the consumer whole and in order; with one thread, at once. */
#ifndef MVD_HANDOFF_H
#define MVD_HANDOFF_H

#include <stdbool.h>
#include <stddef.h>

#include "strbuf.h"

typedef void (*HandoffConsumer)(void *ctx, const char *data, size_t len);
typedef struct Handoff Handoff;

Handoff *handoff_start(HandoffConsumer consume, void *ctx, bool threaded);
/* Passes b's bytes on and leaves b empty (holding the buffer the consumer
 * finished with, so no chunk is allocated twice). */
void handoff_put(Handoff *h, StrBuf *b);
/* Waits until every chunk is consumed, then frees h. */
void handoff_finish(Handoff *h);

#endif
