/* RENAME TABLE and EXCHANGE TABLES: objects change their name. A view
 * that still reads the old name is reported at the end (write.c). */
#include "import/imp.h"
#include "parser.h"

/* RENAME TABLE [IF EXISTS] a TO b [, c TO d ...] [ON CLUSTER c]; with IF
 * EXISTS a missing a is no rename (chDB 26.5 says nothing; SigNoz's logs
 * chain renames a misspelt table so). */
void replay_rename(Import *im, const Stmt *st, Cur *c)
{
    if (!cursor_accept(c, "TABLE") && !cursor_accept(c, "DICTIONARY")) {
        replay_error(im, st->file, cursor_span(c), "only RENAME TABLE is replayed");
        return;
    }
    bool if_exists = cursor_accept_seq(c, "IF EXISTS");
    do {
        QName from, to;
        if (!cursor_qname(c, &im->arena, &from) || !cursor_accept(c, "TO") || !cursor_qname(c, &im->arena, &to)) {
            replay_error(im, st->file, cursor_span(c), "expected RENAME TABLE a TO b");
            return;
        }
        ImpObject *o = object_find(im, &from);
        if (!o && if_exists)
            continue;
        if (!o) {
            replay_error(im, st->file, from.span, "RENAME of %.*s, which does not exist at this point of the chain",
                      (int)from.name.len, from.name.s);
            return;
        }
        if (object_find(im, &to)) {
            replay_error(im, st->file, to.span, "RENAME onto %.*s, which exists (ClickHouse refuses it, code 57)",
                      (int)to.name.len, to.name.s);
            return;
        }
        object_rename(im, o, object_qualify(im, to));
    } while (cursor_tok(c) && cursor_tok(c)->type == TK_COMMA && ++c->i);
    cursor_skip_cluster(c);
    im->applied++;
}

/* EXCHANGE TABLES a AND b [ON CLUSTER c] (EXCHANGE DICTIONARIES too): the
 * two swap names at once. An MV's FROM and TO name their tables, so what
 * read or wrote a reaches the object now named a (chDB 26.5: `TO a` stays
 * in the MV, which fills the table that took the name; highlight swaps a
 * rebuilt table in so, session_keys and session_keys_new). */
void replay_exchange(Import *im, const Stmt *st, Cur *c)
{
    if (!cursor_accept(c, "TABLES") && !cursor_accept(c, "DICTIONARIES")) {
        replay_error(im, st->file, cursor_span(c), "only EXCHANGE TABLES and EXCHANGE DICTIONARIES are replayed");
        return;
    }
    QName a, b;
    if (!cursor_qname(c, &im->arena, &a) || !cursor_accept(c, "AND") || !cursor_qname(c, &im->arena, &b)) {
        replay_error(im, st->file, cursor_span(c), "expected EXCHANGE TABLES a AND b");
        return;
    }
    ImpObject *x = object_find(im, &a), *y = object_find(im, &b);
    if (!x || !y) {
        QName gone = x ? b : a;
        replay_error(im, st->file, gone.span, "EXCHANGE with %.*s, which does not exist at this point of the chain",
                     (int)gone.name.len, gone.name.s);
        return;
    }
    QName xname = x->name;
    object_rename(im, x, y->name); /* takes y's place in the index */
    object_rename(im, y, xname);
    cursor_skip_cluster(c);
    im->applied++;
}
