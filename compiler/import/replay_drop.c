/* DROP and RENAME TABLE: objects leave the state or change their name.
 * What still reads a dropped object is reported at the end (write.c). */
#include <string.h>

#include "import/imp.h"
#include "parser.h"

static void drop_database(Import *im, const Stmt *st, Cur *c)
{
    imp_accept_seq(c, "IF EXISTS");
    Name db;
    if (!imp_name(c, &im->arena, &db)) {
        imp_error(im, st->file, imp_span(c), "expected the database's name");
        return;
    }
    for (int i = 0; i < im->all.n; i++) {
        ImpObject *o = im->all.v[i];
        if (!o->dropped && o->name.db.len == db.len && memcmp(o->name.db.s, db.s, db.len) == 0)
            imp_drop_object(im, o);
    }
    for (int i = 0; i < im->databases.n; i++)
        if (strlen(im->databases.v[i]) == db.len && strncmp(im->databases.v[i], db.s, db.len) == 0)
            im->databases.v[i] = "";
    im->applied++;
}

void imp_replay_drop(Import *im, const Stmt *st, Cur *c)
{
    imp_accept(c, "TEMPORARY");
    if (imp_accept(c, "DATABASE") || imp_accept(c, "SCHEMA")) {
        drop_database(im, st, c);
        return;
    }
    if (!imp_accept(c, "TABLE") && !imp_accept(c, "VIEW") && !imp_accept(c, "DICTIONARY")) {
        im->skipped++; /* DROP USER, ROLE, FUNCTION, ...: nothing imported */
        return;
    }
    bool if_exists = imp_accept_seq(c, "IF EXISTS");
    QName q;
    if (!imp_qname(c, &im->arena, &q)) {
        imp_error(im, st->file, imp_span(c), "expected the name of the object");
        return;
    }
    ImpObject *o = imp_find(im, &q);
    if (o)
        imp_drop_object(im, o);
    else if (!if_exists)
        diag_warning(&im->diags, "import", st->file, q.span,
                     "DROP of %.*s, which the chain never created (ClickHouse refuses it, code 60)",
                     (int)q.name.len, q.name.s);
    im->applied++;
}

/* RENAME TABLE a TO b [, c TO d ...] [ON CLUSTER c] */
void imp_replay_rename(Import *im, const Stmt *st, Cur *c)
{
    if (!imp_accept(c, "TABLE") && !imp_accept(c, "DICTIONARY")) {
        imp_error(im, st->file, imp_span(c), "only RENAME TABLE is replayed");
        return;
    }
    do {
        QName from, to;
        if (!imp_qname(c, &im->arena, &from) || !imp_accept(c, "TO") || !imp_qname(c, &im->arena, &to)) {
            imp_error(im, st->file, imp_span(c), "expected RENAME TABLE a TO b");
            return;
        }
        ImpObject *o = imp_find(im, &from);
        if (!o) {
            imp_error(im, st->file, from.span, "RENAME of %.*s, which does not exist at this point of the chain",
                      (int)from.name.len, from.name.s);
            return;
        }
        if (imp_find(im, &to)) {
            imp_error(im, st->file, to.span, "RENAME onto %.*s, which exists (ClickHouse refuses it, code 57)",
                      (int)to.name.len, to.name.s);
            return;
        }
        imp_rename_object(im, o, imp_qualify(im, to));
    } while (imp_tok(c) && imp_tok(c)->type == TK_COMMA && ++c->i);
    imp_skip_cluster(c);
    im->applied++;
}
