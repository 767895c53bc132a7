/* libFuzzer target over the front end: the input is lexed, parsed and
 * resolved as a one-file project, then parsed again as a lone SELECT.
 * Any crash, leak, hang or sanitizer report is a finding. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "parse.h"
#include "project.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    Project p;
    project_init(&p);
    char *text = arena_alloc(&p.arena, size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    project_load_text(&p, "fuzz.mvd", text, size);
    project_check(&p);
    SourceFile *f = source_from_string(&p.arena, "fuzz.sql", text, size);
    parse_select_source(&p.arena, &p.diags, f);
    project_free(&p);
    return 0;
}
