/* sha256: SHA-256 through OpenSSL's EVP interface (see sha256.h). */
#include "sha256.h"

#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>

struct Sha256 {
    EVP_MD_CTX *ctx;
};

/* Allocation failure inside OpenSSL leaves nothing sensible to do: a hash
 * that silently came out wrong would be worse than stopping. */
static void sha256_fail(const char *what)
{
    fprintf(stderr, "mvd: SHA-256: %s failed (out of memory?)\n", what);
    abort();
}

Sha256 *sha256_begin(void)
{
    Sha256 *h = malloc(sizeof *h);
    if (!h)
        sha256_fail("malloc");
    h->ctx = EVP_MD_CTX_new();
    if (!h->ctx || EVP_DigestInit_ex(h->ctx, EVP_sha256(), NULL) != 1)
        sha256_fail("EVP_DigestInit_ex");
    return h;
}

void sha256_add(Sha256 *h, const void *data, size_t len)
{
    if (len && EVP_DigestUpdate(h->ctx, data, len) != 1)
        sha256_fail("EVP_DigestUpdate");
}

static void finish(EVP_MD_CTX *ctx, char hex[SHA256_HEX_LEN + 1])
{
    static const char digits[] = "0123456789abcdef";
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int n = 0;
    if (EVP_DigestFinal_ex(ctx, md, &n) != 1 || n != 32)
        sha256_fail("EVP_DigestFinal_ex");
    for (unsigned i = 0; i < 32; i++) {
        hex[2 * i] = digits[md[i] >> 4];
        hex[2 * i + 1] = digits[md[i] & 15];
    }
    hex[SHA256_HEX_LEN] = '\0';
}

void sha256_end(Sha256 *h, char hex[SHA256_HEX_LEN + 1])
{
    finish(h->ctx, hex);
    EVP_MD_CTX_free(h->ctx);
    free(h);
}

void sha256_hex(const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
    Sha256 *h = sha256_begin();
    sha256_add(h, data, len);
    sha256_end(h, hex);
}

struct Sha256Many {
    EVP_MD *md; /* fetched once */
    EVP_MD_CTX *ctx;
};

Sha256Many *sha256_many_new(void)
{
    Sha256Many *h = malloc(sizeof *h);
    if (!h)
        sha256_fail("malloc");
    h->md = EVP_MD_fetch(NULL, "SHA256", NULL);
    h->ctx = EVP_MD_CTX_new();
    if (!h->md || !h->ctx)
        sha256_fail("EVP_MD_fetch");
    return h;
}

void sha256_many_pieces(Sha256Many *h, const void *const *data, const size_t *len, int n,
                        char hex[SHA256_HEX_LEN + 1])
{
    if (EVP_DigestInit_ex2(h->ctx, h->md, NULL) != 1)
        sha256_fail("EVP_DigestInit_ex2");
    for (int i = 0; i < n; i++)
        if (len[i] && EVP_DigestUpdate(h->ctx, data[i], len[i]) != 1)
            sha256_fail("EVP_DigestUpdate");
    finish(h->ctx, hex);
}

void sha256_many_hex(Sha256Many *h, const void *data, size_t len, char hex[SHA256_HEX_LEN + 1])
{
    sha256_many_pieces(h, &data, &len, 1, hex);
}

void sha256_many_free(Sha256Many *h)
{
    if (!h)
        return;
    EVP_MD_CTX_free(h->ctx);
    EVP_MD_free(h->md);
    free(h);
}
