/* The value of one hexadecimal digit, or -1: for the \xHH of names and
 * strings, the %XX of URLs and the plan's hashes (mvdc and mvrun alike). */
#ifndef MVD_HEX_H
#define MVD_HEX_H

static inline int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

#endif
