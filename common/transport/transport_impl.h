/* Between transport.c and its backends (transport_http.c,
 * transport_chdb.c); not for callers of transport.h. */
#ifndef MVRUN_TRANSPORT_IMPL_H
#define MVRUN_TRANSPORT_IMPL_H

#include "transport.h"

typedef struct TransportOps {
    const char *name;
    void (*query)(Transport *t, const char *sql, size_t len, const char *query_id,
                  TransportResult *res);
    void (*close)(Transport *t);
} TransportOps;

/* Every backend's struct starts with this. */
struct Transport {
    const TransportOps *ops;
};

int http_transport_open(const TransportConfig *cfg, Transport **out, TransportError *err);
int chdb_transport_open(const TransportConfig *cfg, const char *path, Transport **out,
                        TransportError *err);

#if defined(__GNUC__)
#define TRANSPORT_PRINTF(f, a) __attribute__((format(printf, f, a)))
#else
#define TRANSPORT_PRINTF(f, a)
#endif

/* Fills *err and returns -1, so an open can `return transport_open_error(...)`. */
int transport_open_error(TransportError *err, TransportClass cls, const char *fmt, ...)
    TRANSPORT_PRINTF(3, 4);

/* Marks res failed with a formatted message (replacing any earlier one). */
void transport_fail(TransportResult *res, TransportClass cls, int code, const char *fmt, ...)
    TRANSPORT_PRINTF(4, 5);

/* Marks res failed with the server's error text: the code is parsed from
 * it when code is 0, the class comes from transport_classify, and
 * trailing whitespace is dropped. */
void transport_fail_text(TransportResult *res, int code, long http_status, const char *text,
                         size_t len);

/* The N of a line `Code: N.` or `Code: N,` in text (the first such line),
 * or 0. Modern servers write `Code: 60. DB::Exception: ...`, 18.16
 * `Code: 60, e.displayText() = ...`. */
int transport_error_code(const char *text, size_t len);

/* Where a 200 answer's body holds an exception the server appended after
 * it began streaming: sets *msg and *msg_len to the exception's text and
 * returns 1, or returns 0. tag is the X-ClickHouse-Exception-Tag header
 * (NULL when absent). */
int transport_trailing_exception(const char *body, size_t len, const char *tag,
                                 const char **msg, size_t *msg_len);

/* Replaces every occurrence of secret in s (NUL-terminated) with `***`,
 * so that no message ever carries the password. */
char *transport_scrub(char *s, const char *secret);

/* 1 when name is a plain setting name ([A-Za-z_][A-Za-z0-9_]*). */
int transport_setting_name_ok(const char *name);

#endif
