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

/* A hasher for many small inputs: OpenSSL looks the algorithm up once,
 * not on every hash (about half the cost of hashing a 500-byte statement). */
typedef struct Sha256Many Sha256Many;
Sha256Many *sha256_many_new(void);
void sha256_many_hex(Sha256Many *h, const void *data, size_t len, char hex[SHA256_HEX_LEN + 1]);
/* The same over pieces: n (data, len) pairs hashed as one input. */
void sha256_many_pieces(Sha256Many *h, const void *const *data, const size_t *len, int n,
                        char hex[SHA256_HEX_LEN + 1]);
void sha256_many_free(Sha256Many *h);

#endif
