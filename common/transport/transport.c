/* transport: the backend-neutral half. Chooses a backend by URL scheme and
 * owns what both backends share: how a ClickHouse error text is read (its
 * code, a trailing exception in a 200 answer), how a failure is classed,
 * and how messages are built, so that every message is made in one place
 * and none carries the password. */
#include "transport_impl.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Classification --------------------------------------------------------
 * From ClickHouse's ErrorCodes.cpp: errors that a later attempt can get
 * past (timeouts, network, memory, too many parts, read-only replica,
 * Keeper), and those that say the credentials are wrong. Everything else
 * with a code fails at once. */
static const int transient_codes[] = {
    159, 202, 203, 209, 210, 225, 236, 241, 242, 244, 252, 254, 279,
    285, 319, 364, 373, 379, 394, 425, 439, 473, 517, 999, 1000,
};
static const int auth_codes[] = {192, 193, 194, 516};

static int in_list(const int *list, size_t n, int code)
{
    for (size_t i = 0; i < n; i++)
        if (list[i] == code)
            return 1;
    return 0;
}

/* The code decides when there is one: 18.16 answers HTTP 500 for plainly
 * permanent errors (57, 53), so a 5xx alone says nothing about them. The
 * status decides only for answers without a code (proxies, load
 * balancers, a server too broken to say). */
TransportClass transport_classify(int code, long http_status)
{
    if (code != 0) {
        if (in_list(auth_codes, sizeof auth_codes / sizeof *auth_codes, code))
            return TR_AUTH;
        if (in_list(transient_codes, sizeof transient_codes / sizeof *transient_codes, code))
            return TR_TRANSIENT;
        return TR_PERMANENT;
    }
    if (http_status == 401 || http_status == 403)
        return TR_AUTH;
    if (http_status >= 500 || http_status == 408 || http_status == 429)
        return TR_TRANSIENT;
    return TR_PERMANENT;
}

const char *transport_class_name(TransportClass cls)
{
    switch (cls) {
    case TR_OK: return "ok";
    case TR_TRANSIENT: return "transient";
    case TR_PERMANENT: return "permanent";
    case TR_AUTH: return "auth";
    case TR_CONNECT: return "connect";
    }
    return "?";
}

/* ---- Reading error texts --------------------------------------------------- */

/* The code of `Code: N.` / `Code: N,` at s, or 0. */
static int code_at(const char *s, size_t n)
{
    static const char prefix[] = "Code: ";
    size_t p = sizeof prefix - 1, digits = 0;
    int code = 0;
    if (n < p || memcmp(s, prefix, p) != 0)
        return 0;
    while (p < n && s[p] >= '0' && s[p] <= '9' && digits < 6) {
        code = code * 10 + (s[p++] - '0');
        digits++;
    }
    if (digits == 0 || p >= n || (s[p] != '.' && s[p] != ','))
        return 0;
    return code;
}

int transport_error_code(const char *text, size_t len)
{
    for (size_t i = 0; i < len; i++) {
        if (i == 0 || text[i - 1] == '\n') {
            int code = code_at(text + i, len - i);
            if (code)
                return code;
        }
    }
    return 0;
}

static int ends_with(const char *s, size_t n, const char *suffix)
{
    size_t k = strlen(suffix);
    return n >= k && memcmp(s + n - k, suffix, k) == 0;
}

/* The last occurrence of needle that ends at or before s + n. */
static const char *find_last(const char *s, size_t n, const char *needle)
{
    size_t k = strlen(needle);
    for (size_t i = n; i >= k; i--)
        if (memcmp(s + i - k, needle, k) == 0)
            return s + i - k;
    return NULL;
}

/* From 25.11: `\r\n__exception__\r\n<TAG>\r\n<message>\n<len> <TAG>\r\n
 * __exception__\r\n` ends the body, TAG being the response's
 * X-ClickHouse-Exception-Tag. The block is at most 16 KiB. */
static int framed_exception(const char *body, size_t len, const char *tag, const char **msg,
                            size_t *msg_len)
{
    static const char marker[] = "\r\n__exception__\r\n";
    const size_t mlen = sizeof marker - 1;
    if (!ends_with(body, len, marker))
        return 0;
    size_t window = len - mlen > 17000 ? 17000 : len - mlen;
    const char *base = body + (len - mlen - window);
    const char *open = find_last(base, window, marker);
    if (!open)
        return 0;
    const char *p = open + mlen, *end = body + len - mlen;
    const char *eol = memchr(p, '\n', (size_t)(end - p));
    if (!eol)
        return 0;
    if (tag && *tag && ((size_t)(eol - p) < strlen(tag) || memcmp(p, tag, strlen(tag)) != 0))
        return 0;                                   /* another response's tag */
    p = eol + 1;                                    /* past the tag line */
    const char *last = find_last(p, (size_t)(end - p), "\n");
    if (!last)
        return 0;
    *msg = p;
    *msg_len = (size_t)(last - p);                  /* drop `<len> <TAG>` */
    return 1;
}

/* Before 25.11: the exception's text is appended as the body's last line,
 * e.g. 18.16's `Code: 395, e.displayText() = DB::Exception: ...`. */
static int legacy_exception(const char *body, size_t len, const char **msg, size_t *msg_len)
{
    size_t end = len;
    while (end > 0 && (body[end - 1] == '\n' || body[end - 1] == '\r'))
        end--;
    size_t start = end;
    while (start > 0 && body[start - 1] != '\n')
        start--;
    const char *line = body + start;
    size_t n = end - start;
    if (!code_at(line, n))
        return 0;
    /* The exception's own words, so that an ordinary row that merely
     * begins with "Code: 1," is not taken for one. */
    int found = 0;
    for (size_t i = 0; i + 13 <= n && !found; i++)
        found = memcmp(line + i, "DB::Exception", 13) == 0;
    if (!found)
        return 0;
    *msg = line;
    *msg_len = n;
    return 1;
}

int transport_trailing_exception(const char *body, size_t len, const char *tag,
                                 const char **msg, size_t *msg_len)
{
    if (!body || len == 0)
        return 0;
    return framed_exception(body, len, tag, msg, msg_len)
        || legacy_exception(body, len, msg, msg_len);
}

/* ---- Messages ------------------------------------------------------------- */

static char *vformat(const char *fmt, va_list ap)
{
    va_list copy;
    va_copy(copy, ap);
    int n = vsnprintf(NULL, 0, fmt, copy);
    va_end(copy);
    if (n < 0)
        return NULL;
    char *s = malloc((size_t)n + 1);
    if (s)
        vsnprintf(s, (size_t)n + 1, fmt, ap);
    return s;
}

static void set_failure(TransportResult *res, TransportClass cls, int code, char *message)
{
    free(res->body);
    res->body = NULL;
    res->body_len = 0;
    free(res->message);
    res->message = message;
    res->ok = 0;
    res->cls = cls;
    res->code = code;
}

void transport_fail(TransportResult *res, TransportClass cls, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *message = vformat(fmt, ap);
    va_end(ap);
    set_failure(res, cls, code, message);
}

void transport_fail_text(TransportResult *res, int code, long http_status, const char *text,
                         size_t len)
{
    while (len > 0 && (text[len - 1] == '\n' || text[len - 1] == '\r' || text[len - 1] == ' '))
        len--;
    if (code == 0)
        code = transport_error_code(text, len);
    if (len == 0) {
        transport_fail(res, transport_classify(code, http_status), code,
                       "HTTP %ld with an empty body", http_status);
        return;
    }
    char *message = malloc(len + 1);
    if (message) {
        memcpy(message, text, len);
        message[len] = '\0';
    }
    set_failure(res, transport_classify(code, http_status), code, message);
}

int transport_open_error(TransportError *err, TransportClass cls, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err->cls = cls;
    vsnprintf(err->message, sizeof err->message, fmt, ap);
    va_end(ap);
    return -1;
}

char *transport_scrub(char *s, const char *secret)
{
    if (!s || !secret || !*secret || !strstr(s, secret))
        return s;
    size_t k = strlen(secret), n = 0;
    for (const char *p = s; (p = strstr(p, secret)) != NULL; p += k)
        n++;
    char *out = malloc(strlen(s) + n * 3 + 1), *w = out;
    if (!out) {
        memset(s, '*', strlen(s));      /* better garbled than leaked */
        return s;
    }
    for (const char *p = s, *hit; ; p = hit + k) {
        hit = strstr(p, secret);
        size_t run = hit ? (size_t)(hit - p) : strlen(p);
        memcpy(w, p, run);
        w += run;
        if (!hit)
            break;
        memcpy(w, "***", 3);
        w += 3;
    }
    *w = '\0';
    free(s);
    return out;
}

int transport_setting_name_ok(const char *name)
{
    if (!name || !(*name == '_' || (*name >= 'A' && *name <= 'Z') || (*name >= 'a' && *name <= 'z')))
        return 0;
    for (const char *p = name; *p; p++)
        if (!(*p == '_' || (*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z')
              || (*p >= '0' && *p <= '9')))
            return 0;
    return 1;
}

/* ---- The interface -------------------------------------------------------- */

/* Settings the transport sets itself, or that would smuggle credentials. */
static int setting_reserved(const char *name)
{
    static const char *const reserved[] = {"query", "query_id", "wait_end_of_query", "user",
                                           "password"};
    for (size_t i = 0; i < sizeof reserved / sizeof *reserved; i++)
        if (strcmp(name, reserved[i]) == 0)
            return 1;
    return 0;
}

static int check_settings(const TransportConfig *cfg, TransportError *err)
{
    for (size_t i = 0; i < cfg->n_settings; i++) {
        const TransportSetting *s = &cfg->settings[i];
        if (!transport_setting_name_ok(s->name))
            return transport_open_error(err, TR_PERMANENT,
                                        "setting name '%s' is not a plain identifier",
                                        s->name ? s->name : "(null)");
        if (setting_reserved(s->name))
            return transport_open_error(err, TR_PERMANENT,
                                        "setting '%s' is set by the transport itself", s->name);
        if (!s->value)
            return transport_open_error(err, TR_PERMANENT, "setting '%s' has no value", s->name);
    }
    return 0;
}

int transport_open(const TransportConfig *cfg, Transport **out, TransportError *err)
{
    *out = NULL;
    err->cls = TR_OK;
    err->message[0] = '\0';
    if (!cfg || !cfg->url || !*cfg->url)
        return transport_open_error(err, TR_PERMANENT,
                                    "no URL: use http://HOST:PORT, https://HOST:PORT or chdb:PATH");
    if (check_settings(cfg, err) != 0)
        return -1;
    const char *url = cfg->url;
    if (strncasecmp(url, "http://", 7) == 0 || strncasecmp(url, "https://", 8) == 0)
        return http_transport_open(cfg, out, err);
    if (strncmp(url, "chdb:", 5) == 0)
        return chdb_transport_open(cfg, url + 5, out, err);
    /* Only the scheme is shown: the rest might hold a password. */
    size_t scheme = strcspn(url, ":/@");
    return transport_open_error(err, TR_PERMANENT,
                                "unsupported URL scheme '%.*s': use http://HOST:PORT, "
                                "https://HOST:PORT or chdb:PATH",
                                (int)(scheme > 20 ? 20 : scheme), url);
}

int transport_query(Transport *t, const char *sql, size_t len, const char *query_id,
                    TransportResult *res)
{
    memset(res, 0, sizeof *res);
    t->ops->query(t, sql, len, query_id, res);
    return res->ok ? 0 : -1;
}

void transport_result_free(TransportResult *res)
{
    if (!res)
        return;
    free(res->body);
    free(res->message);
    memset(res, 0, sizeof *res);
}

void transport_close(Transport *t)
{
    if (t)
        t->ops->close(t);
}
