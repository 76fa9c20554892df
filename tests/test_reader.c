/*
 * test_reader.c - the read-ahead thread (src/reader.h): bytes come out in
 * file order whatever the read sizes, the SHA-256 always covers the whole
 * file (also when the caller stops early or reads nothing), and files whose
 * size is a multiple of the block size, empty files and closing mid-file
 * behave.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "digest.h"
#include "reader.h"

static char path[] = "/tmp/exitcheck-reader-XXXXXX";

/* Writes n pseudo-random bytes to a new temporary file; returns them. */
static unsigned char *make_file(size_t n)
{
    strcpy(path, "/tmp/exitcheck-reader-XXXXXX");
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    unsigned char *buf = malloc(n ? n : 1);
    cr_assert(buf);
    unsigned x = 12345;
    for (size_t i = 0; i < n; i++) {
        x = x * 1103515245u + 12345u;
        buf[i] = (unsigned char)(x >> 16);
    }
    FILE *f = fdopen(fd, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(buf, 1, n, f), n);
    fclose(f);
    return buf;
}

/* Reads the whole file through a reader in pieces of `step` bytes, checks
 * the bytes and the digest against sha256 of the file. */
static void read_all(size_t n, size_t step)
{
    unsigned char *want = make_file(n);
    char expect[65];
    digest_file_hex(path, expect);
    reader *r = reader_open(fopen(path, "rb"));
    cr_assert(r);
    unsigned char *got = malloc(n + 1);
    size_t have = 0;
    long k;
    int err = 0;
    while ((k = reader_read(r, got + have, step, &err)) > 0)
        have += (size_t)k;
    cr_assert_eq(k, 0, "no read error");
    cr_assert_eq(have, n);
    cr_assert_eq(reader_offset(r), n);
    cr_assert(memcmp(got, want, n) == 0, "bytes in file order");
    char hex[65];
    cr_assert_eq(reader_finish(r, hex, &err), 0);
    cr_assert_str_eq(hex, expect);
    reader_close(&r);
    cr_assert_null(r);
    remove(path);
    free(got);
    free(want);
}

Test(reader, odd_read_sizes) { read_all(3 * 1000 * 1000 + 7, 4093); }
Test(reader, reads_larger_than_a_block) { read_all(2 * 1000 * 1000 + 1, 700 * 1000); }
Test(reader, exact_multiple_of_the_block) { read_all(4 * 256 * 1024, 256 * 1024); }
Test(reader, one_byte) { read_all(1, 1); }

Test(reader, empty_file) { read_all(0, 100); }

Test(reader, digest_covers_the_file_after_an_early_stop)
{
    size_t n = 5 * 1000 * 1000;
    unsigned char *want = make_file(n);
    char expect[65], hex[65];
    digest_file_hex(path, expect);
    reader *r = reader_open(fopen(path, "rb"));
    cr_assert(r);
    unsigned char buf[100];
    cr_assert_eq(reader_read(r, buf, sizeof buf, NULL), 100);
    cr_assert(memcmp(buf, want, 100) == 0);
    cr_assert_eq(reader_finish(r, hex, NULL), 0);
    cr_assert_str_eq(hex, expect);
    reader_close(&r);
    remove(path);
    free(want);
}

Test(reader, close_mid_file_does_not_hang)
{
    unsigned char *want = make_file(8 * 1000 * 1000);
    for (int i = 0; i < 20; i++) {
        reader *r = reader_open(fopen(path, "rb"));
        cr_assert(r);
        unsigned char buf[10];
        if (i % 2)
            cr_assert_eq(reader_read(r, buf, sizeof buf, NULL), 10);
        reader_close(&r);
    }
    remove(path);
    free(want);
}

Test(reader, a_read_error_is_a_value)
{
    /* a directory opens with fopen but fails to read (EISDIR) */
    reader *r = reader_open(fopen("/tmp", "rb"));
    cr_assert(r);
    unsigned char buf[10];
    int err = 0;
    cr_assert_eq(reader_read(r, buf, sizeof buf, &err), -1);
    cr_assert_neq(err, 0);
    char hex[65];
    err = 0;
    cr_assert_eq(reader_finish(r, hex, &err), -1);
    cr_assert_str_eq(hex, "");
    reader_close(&r);
}
