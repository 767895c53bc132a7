/* DROP: objects leave the state.
 * What still reads a dropped object is reported at the end (write.c). */
#include <string.h>

#include "import/imp.h"
#include "parser.h"

static void drop_database(Import *im, const Stmt *st, Cur *c)
{
    cursor_accept_seq(c, "IF EXISTS");
    Name db;
    if (!cursor_name(c, &im->arena, &db)) {
        replay_error(im, st->file, cursor_span(c), "expected the database's name");
        return;
    }
    for (int i = 0; i < im->all.n; i++) {
        ImpObject *o = im->all.v[i];
        if (!o->dropped && o->name.db.len == db.len && memcmp(o->name.db.s, db.s, db.len) == 0)
            object_drop(im, o);
    }
    for (int i = 0; i < im->databases.n; i++)
        if (strlen(im->databases.v[i]) == db.len && strncmp(im->databases.v[i], db.s, db.len) == 0)
            im->databases.v[i] = "";
    im->applied++;
}

void replay_drop(Import *im, const Stmt *st, Cur *c)
{
    cursor_accept(c, "TEMPORARY");
    if (cursor_accept(c, "DATABASE") || cursor_accept(c, "SCHEMA")) {
        drop_database(im, st, c);
        return;
    }
    if (cursor_accept(c, "FUNCTION")) {
        replay_function_drop(im, st, c);
        return;
    }
    if (!cursor_accept(c, "TABLE") && !cursor_accept(c, "VIEW") && !cursor_accept(c, "DICTIONARY")) {
        im->skipped++; /* DROP USER, ROLE, QUOTA, ...: nothing imported */
        return;
    }
    bool if_exists = cursor_accept_seq(c, "IF EXISTS");
    QName q;
    if (!cursor_qname(c, &im->arena, &q)) {
        replay_error(im, st->file, cursor_span(c), "expected the name of the object");
        return;
    }
    ImpObject *o = object_find(im, &q);
    if (o)
        object_drop(im, o);
    else if (!if_exists)
        diag_warning(&im->diags, "import", st->file, q.span,
                     "DROP of %.*s, which the chain never created (ClickHouse refuses it, code 60)",
                     (int)q.name.len, q.name.s);
    im->applied++;
}
