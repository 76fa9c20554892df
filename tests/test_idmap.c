/*
 * test_idmap.c - the id map (src/idmap.h): put and get,
 * the first value kept for a duplicate key, keys as byte spans (prefixes,
 * embedded NULs, the empty key), growth past many thousands of keys, the
 * FNV-1a hash.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "idmap.h"

static long put(idmap *m, const char *key, long v) { return idmap_put(m, key, strlen(key), v); }
static long get(const idmap *m, const char *key) { return idmap_get(m, key, strlen(key)); }

Test(idmap, put_and_get)
{
    idmap *m = idmap_new();
    cr_assert_not_null(m);
    cr_assert_eq(idmap_count(m), 0);
    cr_assert_eq(get(m, "a"), -1, "an empty map has nothing");
    cr_assert_eq(put(m, "620102", 0), -1, "inserted");
    cr_assert_eq(put(m, "620103", 7), -1, "inserted");
    cr_assert_eq(get(m, "620102"), 0);
    cr_assert_eq(get(m, "620103"), 7);
    cr_assert_eq(get(m, "620104"), -1);
    cr_assert_eq(idmap_count(m), 2);
    idmap_free(&m);
    cr_assert_null(m, "idmap_free clears the pointer");
    idmap_free(&m); /* and is safe to repeat */
}

Test(idmap, duplicate_keeps_the_first_value)
{
    idmap *m = idmap_new();
    cr_assert_eq(put(m, "V001", 3), -1);
    cr_assert_eq(put(m, "V001", 9), 3, "a duplicate returns the value already stored");
    cr_assert_eq(get(m, "V001"), 3, "and does not replace it");
    cr_assert_eq(idmap_count(m), 1);
    idmap_free(&m);
}

Test(idmap, keys_are_byte_spans)
{
    idmap *m = idmap_new();
    cr_assert_eq(put(m, "a", 1), -1);
    cr_assert_eq(put(m, "ab", 2), -1);
    cr_assert_eq(put(m, "abc", 3), -1);
    cr_assert_eq(idmap_put(m, "abcdef", 3, 99), 3, "only the first 3 bytes are the key");
    cr_assert_eq(idmap_get(m, "abcxyz", 3), 3);
    cr_assert_eq(idmap_get(m, "abcdef", 6), -1);
    cr_assert_eq(idmap_put(m, "", 0, 4), -1, "the empty key is a key");
    cr_assert_eq(idmap_get(m, "", 0), 4);
    cr_assert_eq(idmap_put(m, "x\0y", 3, 5), -1);
    cr_assert_eq(idmap_put(m, "x\0z", 3, 6), -1, "bytes after a NUL count");
    cr_assert_eq(idmap_get(m, "x\0y", 3), 5);
    cr_assert_eq(idmap_get(m, "x\0z", 3), 6);
    cr_assert_eq(idmap_get(m, "x", 1), -1);
    cr_assert_eq(put(m, "户001", 7), -1);
    cr_assert_eq(get(m, "户001"), 7);
    cr_assert_eq(idmap_count(m), 7);
    idmap_free(&m);
}

Test(idmap, caller_buffer_may_change)
{
    idmap *m = idmap_new();
    char key[16] = "H0001";
    cr_assert_eq(put(m, key, 1), -1);
    strcpy(key, "H0002");
    cr_assert_eq(get(m, "H0001"), 1, "the map owns a copy of its keys");
    cr_assert_eq(get(m, "H0002"), -1);
    idmap_free(&m);
}

Test(idmap, grows_past_many_thousands)
{
    enum { N = 200000 };
    idmap *m = idmap_new();
    char key[32];
    for (long i = 0; i < N; i++) {
        snprintf(key, sizeof key, "62%010ld", i * 7919);
        cr_assert_eq(put(m, key, i), -1, "key %ld is new", i);
    }
    cr_assert_eq(idmap_count(m), N);
    for (long i = 0; i < N; i++) {
        snprintf(key, sizeof key, "62%010ld", i * 7919);
        long v = get(m, key);
        if (v != i)
            cr_assert_fail("key %s: %ld, expected %ld", key, v, i);
    }
    for (long i = 0; i < 1000; i++) {
        snprintf(key, sizeof key, "63%010ld", i);
        cr_assert_eq(get(m, key), -1, "absent key %s", key);
    }
    snprintf(key, sizeof key, "62%010ld", 1234L * 7919);
    cr_assert_eq(put(m, key, -5), 1234, "duplicates are still found after growth");
    cr_assert_eq(idmap_count(m), N);
    idmap_free(&m);
}

Test(idmap, hash_is_deterministic_and_spreads)
{
    cr_assert_eq(idmap_hash("620102", 6), idmap_hash("620102xyz", 6), "only the span counts");
    cr_assert_neq(idmap_hash("ab", 2), idmap_hash("ba", 2));
    cr_assert_neq(idmap_hash("a", 1), idmap_hash("a\0", 2));
    cr_assert_neq(idmap_hash("", 0), 0);
    /* ids that differ in their last digit differ in their low bits (the
     * map indexes its table with them) */
    uint64_t seen = 0;
    char key[16];
    for (int i = 0; i < 64; i++) {
        snprintf(key, sizeof key, "H%05d", i);
        seen |= 1ULL << (idmap_hash(key, strlen(key)) & 63);
    }
    cr_assert_geq(__builtin_popcountll(seen), 32, "64 consecutive ids fill few of 64 buckets: %d",
                  __builtin_popcountll(seen));
}

/* idmap_hash is FNV-1a 64: the published test vectors. */
Test(idmap, fnv1a_hash)
{
    /* published FNV-1a 64-bit test vectors */
    cr_assert_eq(idmap_hash("", 0), 0xcbf29ce484222325ULL);
    cr_assert_eq(idmap_hash("a", 1), 0xaf63dc4c8601ec8cULL);
    cr_assert_eq(idmap_hash("foobar", 6), 0x85944171f73967e8ULL);
}
