#include "unit.h"

static int run_table(const UnitTest *t)
{
    int failed = 0;
    for (; t->name; t++) {
        UnitState st = {0};
        t->fn(&st);
        printf("%s unit/%s\n", st.failures ? "FAIL" : "PASS", t->name);
        failed += st.failures != 0;
    }
    return failed;
}

int main(void)
{
    int failed = run_table(lexer_tests) + run_table(names_tests) + run_table(diag_tests) + run_table(stdlib_tests);
    return failed ? 1 : 0;
}
