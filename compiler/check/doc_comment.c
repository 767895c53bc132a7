/* Doc comments become COMMENTs (docs/language.md, "Comments and doc
 * comments").
 *
 * A `---` comment above a table's column, or above the table, gives the
 * server the same COMMENT an explicit `comment '...'` would: its span is
 * set as the column's comment (or a table COMMENT clause is added), and
 * print_string_literal prints a doc span as the literal it stands for. So
 * the CREATE, the hash, `table x as y`, the ALTERs of a changed comment
 * (COMMENT COLUMN, MODIFY COMMENT: metadata only, never a rebuild) and the
 * summary all treat both alike. An explicit `comment` wins over a doc
 * comment: the doc comment then documents the source only.
 *
 * Only where the server can also change the comment later by ALTER, so
 * that editing a doc comment can never block a release:
 *   - columns: always, except on a Replicated table before 19.1 (18.16
 *     refuses COMMENT COLUMN there, code 48, tried);
 *   - tables: from 21.6 (18.16 refuses a table COMMENT and MODIFY COMMENT,
 *     62, tried).
 * Views, MVs and dictionaries keep theirs in the source: a changed COMMENT
 * there would change the printed CREATE, which replaces a view and
 * rebuilds an MV (and after an MV's `FROM t`, a COMMENT reads as t's alias).
 *
 * It runs before `table x as y` copies columns (x gets y's comments as an
 * explicit one would give them) and before mvdc build prints CREATEs. */
#include <string.h>

#include "check/check.h"
#include "project/versions.h"

static bool has_comment_clause(const Decl *d)
{
    for (int i = 0; i < d->clauses.n; i++)
        if (d->clauses.v[i].kind == CL_COMMENT)
            return true;
    return false;
}

static void table_doc_comments(Project *p, Decl *d)
{
    bool columns = !ast_decl_replicated(d) || version_has_feature(&p->options, F_COMMENT_COLUMN_REPLICATED);
    for (int i = 0; columns && i < d->columns.n; i++) {
        ColumnMods *m = d->columns.v[i]->mods;
        if (m && m->doc.len && !m->comment.len)
            m->comment = m->doc;
    }
    if (d->doc.len && !has_comment_clause(d) && version_has_feature(&p->options, F_TABLE_COMMENT))
        *LIST_PUSH(&p->arena, &d->clauses) = (Clause){.kind = CL_COMMENT, .span = d->doc, .comment = d->doc};
}

void check_doc_comments(Project *p)
{
    for (int i = 0; i < p->decls.n; i++)
        if (p->decls.v[i]->kind == DECL_TABLE)
            table_doc_comments(p, p->decls.v[i]);
}
