/* libFuzzer target over the front end and the planner: the input is
 * lexed, parsed and resolved as a one-file project, then parsed again as a
 * lone SELECT. When it checks clean, it is also planned and emitted, and
 * every declaration printed by the canonical printer must parse again:
 * the printer may never write what the parser refuses. Any crash, leak,
 * hang, sanitizer report or abort is a finding. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "syntax/parse.h"
#include "plan/plan.h"
#include "print/print.h"
#include "check/check.h"
#include "print/fmt.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void reprint_parses(Project *p)
{
    for (int i = 0; i < p->decls.n; i++) {
        Decl *d = p->decls.v[i];
        if (d->file->builtin)
            continue;
        StrBuf b = {0};
        fmt_decl(&p->scratch, &b, d->file, d); /* as mvdc fmt prints it */
        Diags quiet;
        diag_init(&quiet, &p->scratch);
        DeclList again = {0};
        SourceFile *f = source_from_string(&p->arena, "printed.mvd", b.s ? b.s : "", b.len);
        parse_source(&p->arena, &quiet, f, &again);
        if (quiet.errors)
            abort(); /* the canonical form of a valid declaration must parse */
        strbuf_free(&b);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Project p;
    project_init(&p);
    char *text = arena_alloc(&p.arena, size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    project_load_text(&p, "fuzz.mvd", text, size);
    /* As mvdc build does it: the plan is begun before the checks. */
    Plan pl = {0};
    project_read_options(&p);
    plan_begin(&pl, &p, NULL);
    check_declarations(&p);
    if (!p.diags.errors)
        reprint_parses(&p);
    if (!p.diags.errors && plan_build(&pl)) {
        size_t len;
        free(emit_plan_text(&pl, &len));
    } else {
        plan_abandon(&pl);
    }
    SourceFile *f = source_from_string(&p.arena, "fuzz.sql", text, size);
    parse_select_source(&p.arena, &p.diags, f);
    project_free(&p);
    return 0;
}
