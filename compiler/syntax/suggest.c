/* "Did you mean": the candidate with the smallest edit distance, when it
 * is small enough to be a typo (at most 1 for names of up to 3 bytes, 2 up
 * to 6, else 3). Letters differing only in case cost nothing, so that
 * `UserID` finds `userId`: ClickHouse names are case-sensitive and such
 * slips are common. Ties go to the earliest candidate, which keeps the
 * suggestion deterministic. */
#include <ctype.h>
#include <stdlib.h>

#include "syntax/suggest.h"

static int lower(int c)
{
    return tolower((unsigned char)c);
}

/* Levenshtein distance with one row; gives up past `limit`. */
static int distance(Name a, Name b, int limit)
{
    int la = (int)a.len, lb = (int)b.len;
    if (abs(la - lb) > limit)
        return limit + 1;
    enum { MAX = 256 };
    if (lb >= MAX)
        return limit + 1;
    int row[MAX];
    for (int j = 0; j <= lb; j++)
        row[j] = j;
    for (int i = 1; i <= la; i++) {
        int prev = row[0], best = row[0] = i;
        for (int j = 1; j <= lb; j++) {
            int cost = lower(a.s[i - 1]) != lower(b.s[j - 1]);
            int v = prev + cost;
            if (row[j] + 1 < v)
                v = row[j] + 1;
            if (row[j - 1] + 1 < v)
                v = row[j - 1] + 1;
            prev = row[j];
            row[j] = v;
            if (v < best)
                best = v;
        }
        if (best > limit)
            return limit + 1;
    }
    return row[lb];
}

int suggest_index(Name wrong, const Name *candidates, int n)
{
    /* One- and two-letter names are too short to guess at: only a slip of
     * case is suggested for them. */
    int limit = wrong.len <= 2 ? 0 : wrong.len <= 3 ? 1 : wrong.len <= 6 ? 2 : 3;
    int best = -1, best_d = limit + 1;
    for (int i = 0; i < n; i++) {
        if (name_eq(candidates[i], wrong))
            continue;
        int d = distance(wrong, candidates[i], best_d - 1 < limit ? best_d - 1 : limit);
        if (d < best_d && d <= limit) {
            best_d = d;
            best = i;
        }
    }
    return best;
}
