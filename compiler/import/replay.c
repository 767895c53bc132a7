/* Replay: each statement of the chain applied to the state, as ClickHouse
 * would run it. Statements that are not DDL (INSERT, SET, SELECT,
 * OPTIMIZE, GRANT, ...) change no schema: they are skipped and counted. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "import/imp.h"

Diag *imp_error(Import *im, SourceFile *f, Span span, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    im->not_imported++;
    return diag_error(&im->diags, "import", f, span, "%s", msg);
}

Name imp_name_of(Arena *a, const char *s)
{
    size_t n = strlen(s);
    return (Name){.s = arena_strndup(a, s, n), .len = (uint32_t)n};
}

char *imp_key(Arena *a, const QName *q)
{
    return arena_printf(a, "%.*s.%.*s", (int)q->db.len, q->db.s, (int)q->name.len, q->name.s);
}

QName imp_qualify(Import *im, QName q)
{
    if (!q.db.s)
        q.db = imp_name_of(&im->arena, im->default_db);
    return q;
}

ImpObject *imp_find(Import *im, const QName *q)
{
    QName full = imp_qualify(im, *q);
    char *key = imp_key(&im->arena, &full);
    ImpObject **cell = strmap_get(&im->objects, key, strlen(key));
    return cell ? *cell : NULL;
}

void imp_add_database(Import *im, Name db)
{
    for (int i = 0; i < im->databases.n; i++)
        if (strlen(im->databases.v[i]) == db.len && strncmp(im->databases.v[i], db.s, db.len) == 0)
            return;
    *LIST_PUSH(&im->arena, &im->databases) = arena_strndup(&im->arena, db.s, db.len);
}

static void use_database(Import *im, const Stmt *st, Cur *c)
{
    Name db;
    if (!imp_name(c, &im->arena, &db) || !imp_at_end(c)) {
        imp_error(im, st->file, st->span, "USE needs one database name");
        return;
    }
    im->default_db = arena_strndup(&im->arena, db.s, db.len);
    im->applied++;
}

/* The first ON CLUSTER of the chain becomes `option cluster`. */
static void note_cluster(Import *im, const Stmt *st)
{
    for (Cur c = {st, 0}; !im->cluster && !imp_at_end(&c); c.i++) {
        Cur k = c;
        const Tok *t;
        if (imp_accept_seq(&k, "ON CLUSTER") && (t = imp_tok(&k)) != NULL) {
            const char *s = st->file->text + t->t.off;
            bool quoted = *s == '\'' || *s == '`' || *s == '"';
            im->cluster = arena_strndup(&im->arena, s + quoted, t->t.len - 2 * quoted);
        }
    }
}

void imp_replay(Import *im, const Stmt *st)
{
    Cur c = {st, 0};
    int before = im->not_imported, applied = im->applied;
    im->statements++;
    note_cluster(im, st);
    if (imp_accept(&c, "CREATE") || imp_accept(&c, "ATTACH")) {
        bool replace = imp_accept_seq(&c, "OR REPLACE");
        imp_replay_create(im, st, &c, replace);
    } else if (imp_accept(&c, "REPLACE")) {
        imp_replay_create(im, st, &c, true);
    } else if (imp_accept(&c, "ALTER")) {
        imp_replay_alter(im, st, &c);
    } else if (imp_accept(&c, "DROP")) {
        imp_replay_drop(im, st, &c);
    } else if (imp_accept(&c, "RENAME")) {
        imp_replay_rename(im, st, &c);
    } else if (imp_accept(&c, "USE")) {
        use_database(im, st, &c);
    } else if (imp_is(&c, "EXCHANGE") || imp_is(&c, "DETACH") || imp_is(&c, "UNDROP")) {
        imp_error(im, st->file, imp_span(&c), "mvdc import does not replay %.*s: the chain's state after it is unknown",
                  (int)imp_tok(&c)->t.len, st->file->text + imp_tok(&c)->t.off);
    } else {
        im->skipped++;
    }
    if (im->not_imported > before) { /* one statement, however many reports */
        im->not_imported = before + 1;
        im->applied = applied;
    }
}
