/* RENAME TABLE: objects change their name. A view that still reads the
 * old name is reported at the end (write.c). */
#include "import/imp.h"
#include "parser.h"

/* RENAME TABLE a TO b [, c TO d ...] [ON CLUSTER c] */
void replay_rename(Import *im, const Stmt *st, Cur *c)
{
    if (!cursor_accept(c, "TABLE") && !cursor_accept(c, "DICTIONARY")) {
        replay_error(im, st->file, cursor_span(c), "only RENAME TABLE is replayed");
        return;
    }
    do {
        QName from, to;
        if (!cursor_qname(c, &im->arena, &from) || !cursor_accept(c, "TO") || !cursor_qname(c, &im->arena, &to)) {
            replay_error(im, st->file, cursor_span(c), "expected RENAME TABLE a TO b");
            return;
        }
        ImpObject *o = object_find(im, &from);
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
