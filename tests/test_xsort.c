/*
 * test_xsort.c - the external sort (src/xsort.h) against qsort: random
 * hashes over many runs, keys that are offsets (small and increasing),
 * a million equal keys (must stay fast), and the in-memory case.
 */
#include <criterion/criterion.h>

#include <stdlib.h>
#include <string.h>

#include "xsort.h"

static int ref_cmp(const void *pa, const void *pb)
{
    const xrec *a = pa, *b = pb;
    if (a->k1 != b->k1)
        return a->k1 < b->k1 ? -1 : 1;
    if (a->k2 != b->k2)
        return a->k2 < b->k2 ? -1 : 1;
    return a->off < b->off ? -1 : a->off > b->off;
}

static uint64_t rng = 88172645463325252ULL;
static uint64_t next(void)
{
    rng ^= rng << 13;
    rng ^= rng >> 7;
    rng ^= rng << 17;
    return rng;
}

/* Sorts n records made by gen(i) with the given budget; compares with qsort. */
static void check(size_t n, size_t budget, void (*gen)(size_t, xrec *), size_t min_runs)
{
    xrec *want = malloc((n ? n : 1) * sizeof *want);
    cr_assert(want);
    xsort *x = xsort_new(budget);
    cr_assert(x);
    for (size_t i = 0; i < n; i++) {
        gen(i, &want[i]);
        cr_assert_eq(xsort_add(x, &want[i]), 0);
    }
    cr_assert_eq(xsort_count(x), n);
    qsort(want, n, sizeof *want, ref_cmp);
    cr_assert_eq(xsort_start(x), 0);
    if (min_runs)
        cr_assert_geq(xsort_runs(x), min_runs, "%zu runs", xsort_runs(x));
    else
        cr_assert_eq(xsort_runs(x), 0, "fits in memory, yet %zu runs", xsort_runs(x));
    xrec r;
    size_t k = 0;
    int got;
    while ((got = xsort_next(x, &r)) == 1) {
        cr_assert_lt(k, n);
        cr_assert(memcmp(&r, &want[k], sizeof r) == 0, "record %zu out of order", k);
        k++;
    }
    cr_assert_eq(got, 0);
    cr_assert_eq(k, n);
    xsort_free(&x);
    cr_assert_null(x);
    free(want);
}

static void gen_hash(size_t i, xrec *r)
{
    r->k1 = next();
    r->k2 = next() & 3; /* ties on k1 are rare; on k2 frequent */
    r->off = i * 37;
    r->line = (int64_t)i + 2;
    if (i % 1000 == 7) /* some exact duplicates of an earlier key */
        r->k1 = 12345, r->k2 = 1;
}

static void gen_offset(size_t i, xrec *r)
{
    r->k1 = (uint64_t)((i * 7919) % 100003) * 300;
    r->k2 = 0;
    r->off = r->k1;
    r->line = (int64_t)i;
}

static void gen_equal(size_t i, xrec *r)
{
    r->k1 = 42;
    r->k2 = 7;
    r->off = (uint64_t)(1000000 - i); /* reverse order of offsets */
    r->line = (int64_t)i;
}

Test(xsort, random_hashes_over_many_runs) { check(300000, 65536, gen_hash, 100); }
Test(xsort, in_memory_when_it_fits) { check(1000, 1 << 20, gen_hash, 0); }
Test(xsort, offsets_as_keys) { check(100003, 65536, gen_offset, 40); }
Test(xsort, a_million_equal_keys, .timeout = 60) { check(1000000, 1 << 20, gen_equal, 20); }
Test(xsort, nothing) { check(0, 65536, gen_hash, 0); }
