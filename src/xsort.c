/*
 * xsort.c - external merge sort of fixed-size records (see xsort.h).
 *
 * Invariants:
 * - a buffer is sorted by a counting pass on 13 bits of k1 (relative to
 *   the buffer's smallest k1, so that offsets sort as well as hashes) and
 *   then each bucket on the whole key: insertion sort for small buckets,
 *   qsort for large ones, so equal keys by the million stay n log n;
 * - runs are written one after another to one temporary file and are each
 *   sorted; the merge keeps a binary heap of run cursors ordered by their
 *   current record, ties broken by run number (runs are in input order);
 * - memory: buf and tmp while adding (budget each), then RUN_BUF records
 *   per run while merging.
 */
#include "xsort.h"
#include "mem.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

enum { RUN_BUF = 256, SMALL_BUCKET = 24, BUCKET_BITS = 13, BUCKETS = 1 << BUCKET_BITS };

typedef struct run {
    uint64_t start, count;    /* in records, in the file */
    uint64_t done;            /* records taken into buf so far */
    xrec *buf;
    size_t n, pos;
} run;

struct xsort {
    xrec *buf, *tmp;
    size_t cap, n;
    FILE *f;
    uint64_t written;         /* records in the file */
    run *runs;
    size_t nruns, runs_cap;
    size_t *heap;             /* run indices */
    size_t nheap;
    size_t mem_pos;           /* iterating buf when nothing was written */
    uint64_t count;
    int started;
    size_t bucket[BUCKETS + 1];
};

static int less(const xrec *a, const xrec *b)
{
    if (a->k1 != b->k1)
        return a->k1 < b->k1;
    if (a->k2 != b->k2)
        return a->k2 < b->k2;
    return a->off < b->off;
}

static int cmp(const void *pa, const void *pb)
{
    const xrec *a = pa, *b = pb;
    return less(a, b) ? -1 : less(b, a) ? 1 : 0;
}

xsort *xsort_new(size_t budget)
{
    xsort *x = mem_calloc(1, sizeof *x);
    if (!x)
        return NULL;
    if (budget < 65536)
        budget = 65536;
    x->cap = budget / sizeof(xrec);
    x->buf = mem_alloc(x->cap * sizeof(xrec));
    x->tmp = mem_alloc(x->cap * sizeof(xrec));
    if (!x->buf || !x->tmp) {
        xsort_free(&x);
        return NULL;
    }
    return x;
}

static void sort_buf(xsort *x)
{
    size_t n = x->n;
    if (n < 2)
        return;
    uint64_t lo = x->buf[0].k1, hi = lo;
    for (size_t i = 1; i < n; i++) {
        if (x->buf[i].k1 < lo)
            lo = x->buf[i].k1;
        if (x->buf[i].k1 > hi)
            hi = x->buf[i].k1;
    }
    int shift = 0;
    while (shift < 64 && ((hi - lo) >> shift) >= BUCKETS)
        shift++;
    size_t *count = x->bucket;
    memset(count, 0, sizeof x->bucket);
    for (size_t i = 0; i < n; i++)
        count[((x->buf[i].k1 - lo) >> shift) + 1]++;
    for (size_t b = 1; b <= BUCKETS; b++)
        count[b] += count[b - 1];
    for (size_t i = 0; i < n; i++)
        x->tmp[count[(x->buf[i].k1 - lo) >> shift]++] = x->buf[i];
    /* count[b] is now the end of bucket b */
    size_t begin = 0;
    for (size_t b = 0; b < BUCKETS && begin < n; b++) {
        size_t end = count[b];
        xrec *p = x->tmp + begin;
        size_t m = end - begin;
        if (m > SMALL_BUCKET) {
            qsort(p, m, sizeof *p, cmp);
        } else {
            for (size_t i = 1; i < m; i++) {
                xrec v = p[i];
                size_t j = i;
                while (j > 0 && less(&v, &p[j - 1])) {
                    p[j] = p[j - 1];
                    j--;
                }
                p[j] = v;
            }
        }
        begin = end;
    }
    xrec *t = x->buf;
    x->buf = x->tmp;
    x->tmp = t;
}

static int write_run(xsort *x)
{
    if (!x->n)
        return 0;
    sort_buf(x);
    if (!x->f) {
        x->f = xsort_tmpfile();
        if (!x->f)
            return -1;
    }
    if (mem_grow(&x->runs, &x->runs_cap, x->nruns + 1, sizeof *x->runs)) {
        errno = ENOMEM;
        return -1;
    }
    if (fwrite(x->buf, sizeof(xrec), x->n, x->f) != x->n)
        return -1;
    x->runs[x->nruns++] = (run){x->written, x->n, 0, NULL, 0, 0};
    x->written += x->n;
    x->n = 0;
    return 0;
}

int xsort_add(xsort *x, const xrec *r)
{
    if (x->n == x->cap && write_run(x))
        return -1;
    x->buf[x->n++] = *r;
    x->count++;
    return 0;
}

/* Refills run k's buffer; 0, or -1 on a read error. */
static int refill(xsort *x, run *r)
{
    size_t want = r->count - r->done < RUN_BUF ? (size_t)(r->count - r->done) : RUN_BUF;
    size_t bytes = want * sizeof(xrec);
    off_t at = (off_t)((r->start + r->done) * sizeof(xrec));
    size_t got = 0;
    while (got < bytes) {
        ssize_t k = pread(fileno(x->f), (char *)r->buf + got, bytes - got, at + (off_t)got);
        if (k <= 0) {
            if (k == 0)
                errno = EIO;
            return -1;
        }
        got += (size_t)k;
    }
    r->done += want;
    r->n = want;
    r->pos = 0;
    return 0;
}

static int heap_less(const xsort *x, size_t a, size_t b)
{
    const xrec *ra = &x->runs[a].buf[x->runs[a].pos], *rb = &x->runs[b].buf[x->runs[b].pos];
    if (less(ra, rb))
        return 1;
    if (less(rb, ra))
        return 0;
    return a < b;
}

static void sift_down(xsort *x, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, r = l + 1, m = i;
        if (l < x->nheap && heap_less(x, x->heap[l], x->heap[m]))
            m = l;
        if (r < x->nheap && heap_less(x, x->heap[r], x->heap[m]))
            m = r;
        if (m == i)
            return;
        size_t t = x->heap[i];
        x->heap[i] = x->heap[m];
        x->heap[m] = t;
        i = m;
    }
}

int xsort_start(xsort *x)
{
    x->started = 1;
    if (!x->nruns) {
        sort_buf(x);
        x->mem_pos = 0;
        return 0;
    }
    if (write_run(x) || fflush(x->f) != 0)
        return -1;
    mem_free(x->buf);
    mem_free(x->tmp);
    x->buf = x->tmp = NULL;
    x->heap = mem_alloc(x->nruns * sizeof *x->heap);
    if (!x->heap) {
        errno = ENOMEM;
        return -1;
    }
    for (size_t k = 0; k < x->nruns; k++) {
        run *r = &x->runs[k];
        r->buf = mem_alloc(RUN_BUF * sizeof(xrec));
        if (!r->buf) {
            errno = ENOMEM;
            return -1;
        }
        if (refill(x, r))
            return -1;
        x->heap[x->nheap++] = k;
    }
    for (size_t i = x->nheap / 2; i-- > 0;)
        sift_down(x, i);
    return 0;
}

int xsort_next(xsort *x, xrec *out)
{
    if (!x->started)
        return -1;
    if (!x->nruns) {
        if (x->mem_pos == x->n)
            return 0;
        *out = x->buf[x->mem_pos++];
        return 1;
    }
    if (!x->nheap)
        return 0;
    run *r = &x->runs[x->heap[0]];
    *out = r->buf[r->pos++];
    if (r->pos == r->n) {
        if (r->done < r->count) {
            if (refill(x, r))
                return -1;
        } else {
            x->heap[0] = x->heap[--x->nheap];
        }
    }
    if (x->nheap)
        sift_down(x, 0);
    return 1;
}

FILE *xsort_tmpfile(void)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    size_t n = strlen(dir);
    char *path = mem_alloc(n + sizeof "/exitcheck-XXXXXX");
    if (!path) {
        errno = ENOMEM;
        return NULL;
    }
    memcpy(path, dir, n);
    memcpy(path + n, "/exitcheck-XXXXXX", sizeof "/exitcheck-XXXXXX");
    int fd = mkstemp(path);
    if (fd < 0) {
        int e = errno;
        mem_free(path);
        errno = e;
        return NULL;
    }
    unlink(path);
    mem_free(path);
    FILE *f = fdopen(fd, "w+b");
    if (!f) {
        int e = errno;
        close(fd);
        errno = e;
    }
    return f;
}

uint64_t xsort_count(const xsort *x) { return x->count; }
size_t xsort_runs(const xsort *x) { return x->nruns; }

void xsort_free(xsort **xp)
{
    if (!xp || !*xp)
        return;
    xsort *x = *xp;
    if (x->f)
        fclose(x->f);
    for (size_t k = 0; k < x->nruns; k++)
        mem_free(x->runs[k].buf);
    mem_free(x->runs);
    mem_free(x->heap);
    mem_free(x->buf);
    mem_free(x->tmp);
    mem_free(x);
    *xp = NULL;
}
