/* Replay: each statement of the chain applied to the state, as ClickHouse
 * would run it. Statements that are not DDL (INSERT, SET, SELECT,
 * OPTIMIZE, GRANT, ...) change no schema: they are skipped and counted. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import/imp.h"

Diag *replay_error(Import *im, SourceFile *f, Span span, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    im->not_imported++;
    return diag_error(&im->diags, "import", f, span, "%s", msg);
}

static void use_database(Import *im, const Stmt *st, Cur *c)
{
    Name db;
    if (!cursor_name(c, &im->arena, &db) || !cursor_at_end(c)) {
        replay_error(im, st->file, st->span, "USE needs one database name");
        return;
    }
    im->default_db = arena_strndup(&im->arena, db.s, db.len);
    im->applied++;
}

/* The first ON CLUSTER of the chain becomes `option cluster`. */
static void note_cluster(Import *im, const Stmt *st)
{
    for (Cur c = {st, 0}; !im->cluster && !cursor_at_end(&c); c.i++) {
        Cur k = c;
        const Tok *t;
        if (cursor_accept_seq(&k, "ON CLUSTER") && (t = cursor_tok(&k)) != NULL) {
            const char *s = st->file->text + t->t.off;
            bool quoted = *s == '\'' || *s == '`' || *s == '"';
            im->cluster = arena_strndup(&im->arena, s + quoted, t->t.len - 2 * quoted);
        }
    }
}

void replay_statement(Import *im, const Stmt *st)
{
    Cur c = {st, 0};
    int before = im->not_imported, applied = im->applied;
    im->statements++;
    note_cluster(im, st);
    if (cursor_accept(&c, "CREATE") || cursor_accept(&c, "ATTACH")) {
        bool replace = cursor_accept_seq(&c, "OR REPLACE");
        replay_create(im, st, &c, replace);
    } else if (cursor_accept(&c, "REPLACE")) {
        replay_create(im, st, &c, true);
    } else if (cursor_accept(&c, "ALTER")) {
        replay_alter(im, st, &c);
    } else if (cursor_accept(&c, "DROP")) {
        replay_drop(im, st, &c);
    } else if (cursor_accept(&c, "RENAME")) {
        replay_rename(im, st, &c);
    } else if (cursor_accept(&c, "USE")) {
        use_database(im, st, &c);
    } else if (cursor_accept(&c, "EXCHANGE")) {
        replay_exchange(im, st, &c);
    } else if (cursor_is(&c, "DETACH") || cursor_is(&c, "UNDROP")) {
        replay_error(im, st->file, cursor_span(&c), "mvdc import does not replay %.*s: the chain's state after it is unknown",
                  (int)cursor_tok(&c)->t.len, st->file->text + cursor_tok(&c)->t.off);
    } else {
        im->skipped++;
    }
    if (im->not_imported > before) { /* one statement, however many reports */
        im->not_imported = before + 1;
        im->applied = applied;
    }
}
