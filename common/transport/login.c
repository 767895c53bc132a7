/* login: see login.h. */
#include "login.h"
#include "strbuf.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The first line of path, without its newline. */
static int read_password_file(const char *program, const char *path, char **out)
{
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, "%s: cannot read the password file %s: %s\n", program, path, strerror(errno));
        return -1;
    }
    StrBuf b = {0};
    int c;
    while ((c = fgetc(f)) != EOF && c != '\n')
        strbuf_putc(&b, (char)c);
    fclose(f);
    if (b.len && b.s[b.len - 1] == '\r')
        b.s[--b.len] = '\0';
    *out = strbuf_take(&b);
    return 0;
}

int login_read(const char *program, const char *user, const char *password_file, Login *out)
{
    memset(out, 0, sizeof *out);
    if (!user) {
        const char *env = getenv("CLICKHOUSE_USER");
        user = env && *env ? env : NULL;
    }
    out->user = user;
    StrBuf from = {0};
    if (password_file) {
        strbuf_puts(&from, "password from --password-file ");
        strbuf_puts(&from, password_file);
        out->password_from = strbuf_take(&from);
        return read_password_file(program, password_file, &out->password);
    }
    const char *password = getenv("CLICKHOUSE_PASSWORD");
    strbuf_puts(&from, password && *password ? "password from $CLICKHOUSE_PASSWORD"
                                             : "no password: neither $CLICKHOUSE_PASSWORD nor --password-file");
    out->password_from = strbuf_take(&from);
    strbuf_puts(&from, password ? password : "");
    out->password = strbuf_take(&from);
    return 0;
}

void login_free(Login *l)
{
    if (l->password) {
        for (volatile char *p = l->password; *p; p++)
            *p = '\0';
        free(l->password);
    }
    free(l->password_from);
    memset(l, 0, sizeof *l);
}
