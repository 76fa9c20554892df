/*
 * mem.c - allocation funnel with failure injection, and a bump arena.
 *
 * Invariants: every heap allocation in exitcheck goes through mem_alloc,
 * mem_calloc or mem_realloc; none of them aborts. The arena hands out zeroed,
 * max-aligned blocks from chunks of at least ARENA_CHUNK bytes and frees them
 * only all together.
 */
#include "mem.h"

#include <stdalign.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* atomic: a table's parser thread allocates too */
static _Atomic long fail_countdown; /* 0 = injection off */
static _Atomic long fail_count;

static int inject(void)
{
    if (atomic_load(&fail_countdown) > 0 && atomic_fetch_sub(&fail_countdown, 1) == 1) {
        fail_count++;
        return 1;
    }
    return 0;
}

void mem_fail_after(long n) { fail_countdown = n > 0 ? n : 0; fail_count = 0; }
long mem_failures(void) { return fail_count; }

void *mem_alloc(size_t n)
{
    if (inject())
        return NULL;
    return malloc(n ? n : 1);
}

void *mem_calloc(size_t count, size_t size)
{
    if (inject())
        return NULL;
    return calloc(count ? count : 1, size ? size : 1);
}

void *mem_realloc(void *p, size_t n)
{
    if (inject())
        return NULL;
    return realloc(p, n ? n : 1);
}

void mem_free(void *p) { free(p); }

char *mem_strndup(const char *s, size_t n)
{
    char *d = mem_alloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *mem_strdup(const char *s) { return mem_strndup(s, strlen(s)); }

int mem_grow(void *items, size_t *cap, size_t need, size_t elem)
{
    void **pp = items;
    if (need <= *cap)
        return 0;
    size_t ncap = *cap ? *cap : 8;
    while (ncap < need) {
        if (ncap > SIZE_MAX / 2 / elem)
            return -1;
        ncap *= 2;
    }
    void *p = mem_realloc(*pp, ncap * elem);
    if (!p)
        return -1;
    *pp = p;
    *cap = ncap;
    return 0;
}

/* ---- arena ---- */

enum { ARENA_CHUNK = 16384 };

typedef struct chunk {
    struct chunk *next;
    size_t used, size;
    alignas(max_align_t) unsigned char data[];
} chunk;

struct arena {
    chunk *head;
};

arena *arena_new(void) { return mem_calloc(1, sizeof(arena)); }

void *arena_alloc(arena *a, size_t n)
{
    const size_t align = alignof(max_align_t);
    n = (n + align - 1) & ~(align - 1);
    if (n == 0)
        n = align;
    chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        c = mem_alloc(sizeof(chunk) + size);
        if (!c)
            return NULL;
        c->used = 0;
        c->size = size;
        c->next = a->head;
        a->head = c;
    }
    void *p = c->data + c->used;
    c->used += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(arena *a, const char *s, size_t n)
{
    char *d = arena_alloc(a, n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

char *arena_strdup(arena *a, const char *s) { return arena_strndup(a, s, strlen(s)); }

void arena_free(arena **ap)
{
    if (!ap || !*ap)
        return;
    chunk *c = (*ap)->head;
    while (c) {
        chunk *n = c->next;
        mem_free(c);
        c = n;
    }
    mem_free(*ap);
    *ap = NULL;
}
