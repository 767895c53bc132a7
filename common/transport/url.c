/* url: see url.h. */
#include "url.h"
#include "hex.h"
#include "strbuf.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* 1 when a query parameter's name, decoded and lower-cased, may name a
 * secret. */
static int secret_name(const char *s, size_t n)
{
    char name[64];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 1 < sizeof name; i++) {
        int hi, lo;
        char c = s[i];
        if (c == '%' && i + 2 < n && (hi = hex_value(s[i + 1])) >= 0 && (lo = hex_value(s[i + 2])) >= 0) {
            c = (char)(hi * 16 + lo);
            i += 2;
        }
        name[k++] = (char)(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    }
    name[k] = '\0';
    static const char *const words[] = {"user", "pass", "key", "token", "secret", "auth"};
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (strstr(name, words[i]))
            return 1;
    return k == sizeof name - 1;    /* too long to judge: hidden */
}

char *url_shown(const char *url)
{
    StrBuf b = {0};
    const char *rest = strstr(url, "://");
    if (!rest) {
        strbuf_puts(&b, url);          /* chdb:PATH: a path, no credentials */
        return strbuf_take(&b);
    }
    rest += 3;
    strbuf_add(&b, url, (size_t)(rest - url));
    size_t authority = strcspn(rest, "/?#");
    const char *at = NULL;
    for (size_t i = 0; i < authority; i++)
        if (rest[i] == '@')
            at = rest + i;
    if (at) {
        strbuf_puts(&b, "***");
        rest = at;
    }
    const char *query = strchr(rest, '?');
    strbuf_add(&b, rest, query ? (size_t)(query - rest) : strlen(rest));
    for (const char *p = query; p && *p;) {
        strbuf_putc(&b, *p++);         /* ? or & */
        size_t len = strcspn(p, "&#"), name = strcspn(p, "=&#");
        strbuf_add(&b, p, name);
        if (name < len)
            strbuf_puts(&b, secret_name(p, name) ? "=***" : "");
        if (name < len && !secret_name(p, name))
            strbuf_add(&b, p + name, len - name);
        p += len;
        if (*p == '#')
            break;
    }
    return strbuf_take(&b);
}

/* ---- Proxies ------------------------------------------------------------------ */

static const char *env_first(const char *a, const char *b)
{
    const char *v = a ? getenv(a) : NULL;
    if (v && *v)
        return v;
    v = b ? getenv(b) : NULL;
    return v && *v ? v : NULL;
}

/* 1 when host is in the comma-separated no_proxy list (a name, or a
 * suffix of it after a dot; `*` for every host), as libcurl reads it. */
static int no_proxy_for(const char *host, size_t n)
{
    const char *list = env_first("no_proxy", "NO_PROXY");
    for (const char *p = list; p && *p;) {
        while (*p == ' ' || *p == ',')
            p++;
        size_t k = strcspn(p, ", ");
        const char *e = p;
        size_t ek = k;
        if (ek && e[0] == '.') {
            e++;
            ek--;
        }
        if ((k == 1 && p[0] == '*') || (ek && ek <= n && strncasecmp(host + n - ek, e, ek) == 0
                                        && (ek == n || host[n - ek - 1] == '.')))
            return 1;
        p += k;
    }
    return 0;
}

char *url_proxy_note(const char *url)
{
    int https = strncasecmp(url, "https://", 8) == 0;
    if (!https && strncasecmp(url, "http://", 7) != 0)
        return NULL;
    /* libcurl's variables: http_proxy only in lower case (CGI's HTTP_PROXY
     * header would otherwise set it), the others in either case. */
    const char *name = https ? (getenv("https_proxy") && *getenv("https_proxy") ? "https_proxy" : "HTTPS_PROXY")
                             : "http_proxy";
    const char *proxy = getenv(name);
    if (!proxy || !*proxy) {
        name = getenv("all_proxy") && *getenv("all_proxy") ? "all_proxy" : "ALL_PROXY";
        proxy = getenv(name);
    }
    if (!proxy || !*proxy)
        return NULL;
    const char *host = url + (https ? 8 : 7);
    size_t n = strcspn(host, ":/?#");
    if (no_proxy_for(host, n))
        return NULL;
    char *shown = url_shown(proxy);
    StrBuf b = {0};
    strbuf_printf(&b, "connecting through the proxy %s (from $%s): %s", shown, name,
                  https ? "TLS runs through it end to end, so it sees the server's host and port, "
                          "not the statements or the credentials"
                        : "over plain http it sees every statement and result, and the user and "
                          "password (Basic authentication); use https://, or set no_proxy");
    free(shown);
    return strbuf_take(&b);
}
