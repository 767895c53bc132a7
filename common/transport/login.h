/* login: the user and password for a server, read the same way by mvrun
 * and `mvdc import --url`. The user comes from the command line, else
 * $CLICKHOUSE_USER; the password only from the first line of a password
 * file, else $CLICKHOUSE_PASSWORD -- never from the command line (it would
 * show in process lists and shell histories). */
#ifndef MVD_LOGIN_H
#define MVD_LOGIN_H

typedef struct Login {
    const char *user;      /* NULL: the server's default user */
    char *password;        /* malloc'd, "" for none; never printed */
    char *password_from;   /* malloc'd: where it came from, for messages */
} Login;

/* Fills *out from user (NULL: $CLICKHOUSE_USER) and password_file (NULL:
 * $CLICKHOUSE_PASSWORD). Returns 0, or -1 after printing, prefixed with
 * program, why the password file cannot be read. */
int login_read(const char *program, const char *user, const char *password_file, Login *out);

/* Wipes the password and frees what login_read allocated. */
void login_free(Login *l);

#endif
