/*
 * mem.h - the one allocation funnel, and an arena for data that lives as
 * long as its owner (a rule set's AST and metadata).
 *
 * Policy: allocation failure is a value, never an abort. Every function here
 * returns NULL when memory runs out and the caller turns that into a
 * diagnostic. mem_fail_after() lets tests fail the Nth allocation so every
 * such path can be exercised.
 */
#ifndef EXITCHECK_MEM_H
#define EXITCHECK_MEM_H

#include <stddef.h>

void *mem_alloc(size_t n);
void *mem_calloc(size_t count, size_t size);
void *mem_realloc(void *p, size_t n);
void  mem_free(void *p);
char *mem_strndup(const char *s, size_t n);
char *mem_strdup(const char *s);
/* Grows *items (of elem bytes each) so it holds at least need elements.
 * Returns 0 on success, -1 when memory runs out (*items is then unchanged). */
int   mem_grow(void *items, size_t *cap, size_t need, size_t elem);

/* Test hook: the nth allocation from now fails (1 = the next one); 0 turns
 * injection off. */
void  mem_fail_after(long n);
/* Number of allocations that have been refused by injection. */
long  mem_failures(void);

/* An arena owns every block allocated from it; arena_free releases them all
 * at once. Blocks are aligned for any scalar type. */
typedef struct arena arena;

arena *arena_new(void);
void  *arena_alloc(arena *a, size_t n);          /* zeroed */
char  *arena_strndup(arena *a, const char *s, size_t n);
char  *arena_strdup(arena *a, const char *s);
void   arena_free(arena **a);

#endif
