/* url: what may be shown of a server's URL, and what a proxy in the
 * environment would see of it. Shared by mvrun and `mvdc import --url`:
 * both print the URL they talk to and neither ever prints a credential. */
#ifndef MVD_URL_H
#define MVD_URL_H

/* url as it may be printed: a user:password@ part becomes ***@, and the
 * value of a query parameter whose name (any case, %XX-decoded) holds
 * "user", "pass", "key", "token", "secret" or "auth" becomes ***.
 * malloc'd. */
char *url_shown(const char *url);

/* When libcurl will reach url through a proxy named by the environment
 * (http_proxy, https_proxy, all_proxy, minus no_proxy): a note naming it
 * and what it sees; else NULL. malloc'd. */
char *url_proxy_note(const char *url);

#endif
