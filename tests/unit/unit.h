/* A very small test harness: each test is a function; EXPECT records a
 * failure with its line and carries on. run_test prints `PASS name` or
 * `FAIL name` lines that tests/run.sh counts. */
#ifndef MVD_UNIT_H
#define MVD_UNIT_H

#include <stdio.h>
#include <string.h>

typedef struct UnitState {
    int failures;
} UnitState;

#define EXPECT(st, cond)                                                   \
    do {                                                                   \
        if (!(cond)) {                                                     \
            printf("  %s:%d: expected %s\n", __FILE__, __LINE__, #cond);   \
            (st)->failures++;                                              \
        }                                                                  \
    } while (0)

#define EXPECT_STR(st, got, want)                                                   \
    do {                                                                            \
        const char *g_ = (got), *w_ = (want);                                       \
        if (!g_ || strcmp(g_, w_) != 0) {                                           \
            printf("  %s:%d: got \"%s\", want \"%s\"\n", __FILE__, __LINE__,        \
                   g_ ? g_ : "(null)", w_);                                         \
            (st)->failures++;                                                       \
        }                                                                           \
    } while (0)

typedef void (*UnitFn)(UnitState *st);
typedef struct UnitTest {
    const char *name;
    UnitFn fn;
} UnitTest;

/* Each *_test.c exports one table, terminated by {0}. */
extern const UnitTest lexer_tests[];
extern const UnitTest names_tests[];
extern const UnitTest diag_tests[];
extern const UnitTest stdlib_tests[];

#endif
