/* The lexer: token kinds and slices for the cases that are easy to get
 * wrong (keyword case, `.5` against `t.1`, quoting, GLOBAL IN). */
#include "syntax/lexer.h"
#include "parser.h"
#include "unit.h"

/* Lexes src and compares the token kinds with want[] (0-terminated). */
static void expect_kinds(UnitState *st, const char *src, const int *want)
{
    Lexer lx;
    lex_init(&lx, src, strlen(src));
    Token t;
    for (int i = 0;; i++) {
        int tk = lex_next(&lx, &t);
        if (tk != want[i]) {
            printf("  lexing \"%s\": token %d is %d, want %d\n", src, i, tk, want[i]);
            st->failures++;
            return;
        }
        if (tk == 0)
            return;
    }
}

static void keywords_any_case(UnitState *st)
{
    expect_kinds(st, "select SELECT SeLeCt selected", (int[]){TK_SELECT, TK_SELECT, TK_SELECT, TK_ID, 0});
    expect_kinds(st, "pulls_from PUSHES_TO", (int[]){TK_PULLS_FROM, TK_PUSHES_TO, 0});
}

static void dot_numbers(UnitState *st)
{
    expect_kinds(st, "x .5", (int[]){TK_ID, TK_DOT, TK_INTEGER, 0});
    expect_kinds(st, "(.5)", (int[]){TK_LP, TK_FLOAT, TK_RP, 0});
    expect_kinds(st, "t.1", (int[]){TK_ID, TK_DOT, TK_INTEGER, 0});
    expect_kinds(st, "1.5e-3 0x1F 0b101 1_000", (int[]){TK_FLOAT, TK_INTEGER, TK_INTEGER, TK_INTEGER, 0});
}

static void quoting(UnitState *st)
{
    expect_kinds(st, "`a b` \"c\"\"d\" 'it''s' 'x\\'y'", (int[]){TK_ID, TK_ID, TK_STRING, TK_STRING, 0});
    expect_kinds(st, "'open", (int[]){TK_ILLEGAL, TK_ID, 0}); /* the driver stops at the first */
    expect_kinds(st, "/* never closed", (int[]){TK_ILLEGAL, 0});
}

static void comments(UnitState *st)
{
    expect_kinds(st, "a -- note\n--- doc\nb /* x */ c", (int[]){TK_ID, TK_DOC, TK_ID, TK_ID, 0});
}

static void global_in(UnitState *st)
{
    expect_kinds(st, "a GLOBAL IN b", (int[]){TK_ID, TK_GLOBAL_IN, TK_ID, 0});
    expect_kinds(st, "a global not  in b", (int[]){TK_ID, TK_GLOBAL_NOT_IN, TK_ID, 0});
    expect_kinds(st, "GLOBAL ANY JOIN", (int[]){TK_GLOBAL, TK_ANY, TK_JOIN, 0});
    expect_kinds(st, "global inner", (int[]){TK_GLOBAL, TK_INNER, 0});
}

static void nul_byte(UnitState *st)
{
    const char src[] = "a\0b";
    Lexer lx;
    lex_init(&lx, src, 3);
    Token t;
    EXPECT(st, lex_next(&lx, &t) == TK_ID);
    EXPECT(st, lex_next(&lx, &t) == TK_ILLEGAL && lx.error == LEX_NUL_BYTE);
}

const UnitTest lexer_tests[] = {
    {"lexer/keywords_any_case", keywords_any_case},
    {"lexer/dot_numbers", dot_numbers},
    {"lexer/quoting", quoting},
    {"lexer/comments", comments},
    {"lexer/global_in", global_in},
    {"lexer/nul_byte", nul_byte},
    {0, 0},
};
