/*
 * xsort.h - sorts fixed-size records in bounded memory: an external merge
 * sort over one temporary file.
 *
 * Records are collected in a buffer of a fixed budget; a full buffer is
 * sorted and written out as a run. xsort_next then returns every record
 * in order, merging the runs (or straight from memory when everything
 * fitted). Memory is the budget while adding and about 16 KiB per run
 * while merging, whatever the number of records. Used to find duplicate
 * unit ids among millions of households without holding them all.
 *
 * Order: by k1, then k2, then off - all unsigned. Records with equal keys
 * come out in the order of their off.
 *
 * Lifecycle: xsort_new -> xsort_add ... -> xsort_start -> xsort_next ...
 * -> xsort_free. Errors (out of memory, the temporary file) are returned
 * as -1 with errno set; nothing is printed.
 */
#ifndef EXITCHECK_XSORT_H
#define EXITCHECK_XSORT_H

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

typedef struct xrec {
    uint64_t k1, k2;
    uint64_t off;
    int64_t line;
} xrec;

typedef struct xsort xsort;

/* budget: bytes of records held in memory before a run is written
 * (at least 64 KiB is used). */
xsort *xsort_new(size_t budget);
int xsort_add(xsort *x, const xrec *r);
/* Ends adding; returns 0 or -1. */
int xsort_start(xsort *x);
/* 1 with *r the next record, 0 after the last, -1 on error. */
int xsort_next(xsort *x, xrec *r);
/* Records added; runs written to the temporary file. */
uint64_t xsort_count(const xsort *x);
/* An anonymous temporary file in $TMPDIR (default /tmp), opened for
 * update and already removed from its directory; NULL with errno set.
 * (tmpfile() would ignore TMPDIR, and /tmp may be a small tmpfs.) */
FILE *xsort_tmpfile(void);
size_t xsort_runs(const xsort *x);
void xsort_free(xsort **x);

#endif
