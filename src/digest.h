/*
 * digest.h - SHA-256 of files and byte streams, via OpenSSL's libcrypto
 * (a kept library, not a hand-written hash). Hex digests are 64 lowercase
 * characters plus NUL; an empty string if the library failed.
 */
#ifndef EXITCHECK_DIGEST_H
#define EXITCHECK_DIGEST_H

#include <stddef.h>

typedef struct digest digest;

digest *digest_new(void);
void digest_update(digest *d, const void *data, size_t len);
/* Writes the hex digest of everything fed so far; the digest can go on. */
void digest_hex(const digest *d, char out[65]);
void digest_free(digest **d);

void digest_bytes_hex(const void *data, size_t len, char out[65]);
/* The raw 32-byte digest of data: 0, or -1 when the library failed. */
int digest_bytes(const void *data, size_t len, unsigned char out[32]);
/* The digest of a file's bytes; "" when it cannot be read. */
void digest_file_hex(const char *path, char out[65]);

#endif
