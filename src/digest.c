/*
 * digest.c - SHA-256 through nettle's sha256 context.
 */
#include "digest.h"
#include "mem.h"

#include <nettle/sha2.h>

struct digest {
    struct sha256_ctx ctx;
};

digest *digest_new(void)
{
    digest *d = mem_alloc(sizeof *d);
    if (d)
        sha256_init(&d->ctx);
    return d;
}

void digest_update(digest *d, const void *data, size_t len)
{
    sha256_update(&d->ctx, len, data);
}

static void to_hex(const unsigned char *raw, char out[65])
{
    static const char hex[] = "0123456789abcdef";
    for (int i = 0; i < SHA256_DIGEST_SIZE; i++) {
        out[2 * i] = hex[raw[i] >> 4];
        out[2 * i + 1] = hex[raw[i] & 15];
    }
    out[64] = '\0';
}

void digest_hex(const digest *d, char out[65])
{
    struct sha256_ctx copy = d->ctx; /* sha256_digest resets the context */
    unsigned char raw[SHA256_DIGEST_SIZE];
    sha256_digest(&copy, sizeof raw, raw);
    to_hex(raw, out);
}

void digest_free(digest **d)
{
    if (d) {
        mem_free(*d);
        *d = NULL;
    }
}

void digest_bytes_hex(const void *data, size_t len, char out[65])
{
    struct sha256_ctx ctx;
    unsigned char raw[SHA256_DIGEST_SIZE];
    sha256_init(&ctx);
    sha256_update(&ctx, len, data);
    sha256_digest(&ctx, sizeof raw, raw);
    to_hex(raw, out);
}
