/* sha256: the one checksum of mvd, shared by mvdc (object and statement
 * hashes, the plan hash) and mvrun (verifying them). OpenSSL's EVP API
 * underneath; results are 64 lowercase hex digits. */
#ifndef MVD_SHA256_H
#define MVD_SHA256_H

#include <stddef.h>

#define SHA256_HEX_LEN 64

typedef struct Sha256 Sha256;   /* an incremental hash */

Sha256 *sha256_begin(void);
void sha256_add(Sha256 *h, const void *data, size_t len);
/* Writes 64 hex digits and a NUL into hex[65], and frees h. */
void sha256_end(Sha256 *h, char hex[SHA256_HEX_LEN + 1]);

/* The hash of len bytes at data, in one call. */
void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);

#endif
