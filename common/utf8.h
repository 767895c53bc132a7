/* The length of one valid UTF-8 sequence: for the diagnostics mvdc prints
 * and the JSON mvrun writes, which show any other byte escaped. */
#ifndef MVD_UTF8_H
#define MVD_UTF8_H

#include <stddef.h>

/* The length of the valid UTF-8 sequence at p (before end), or 0: an
 * overlong form, a surrogate or a code point past U+10FFFF is not valid. */
static inline size_t utf8_length(const unsigned char *p, const unsigned char *end)
{
    size_t len = p[0] < 0x80 ? 1 : p[0] >= 0xc2 && p[0] <= 0xdf ? 2 : p[0] >= 0xe0 && p[0] <= 0xef ? 3
                 : p[0] >= 0xf0 && p[0] <= 0xf4 ? 4 : 0;
    if (len > (size_t)(end - p))
        return 0;
    for (size_t i = 1; i < len; i++)
        if ((p[i] & 0xc0) != 0x80)
            return 0;
    if ((len == 3 && ((p[0] == 0xe0 && p[1] < 0xa0) || (p[0] == 0xed && p[1] >= 0xa0)))
        || (len == 4 && ((p[0] == 0xf0 && p[1] < 0x90) || (p[0] == 0xf4 && p[1] >= 0x90))))
        return 0;
    return len;
}

#endif
