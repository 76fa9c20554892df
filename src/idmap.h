/*
 * idmap.h - maps unit ids (byte strings) to small integers; used to find a
 * unit's parent and to detect duplicate ids. Open addressing with FNV-1a;
 * the map owns copies of its keys.
 */
#ifndef EXITCHECK_IDMAP_H
#define EXITCHECK_IDMAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct idmap idmap;

idmap *idmap_new(void);
void idmap_free(idmap **m);
/* Returns the value stored for key, or -1. */
long idmap_get(const idmap *m, const char *key, size_t len);
/* Stores key -> v unless key is present. Returns the value already stored
 * (>= 0), -1 when inserted, -2 when memory ran out. */
long idmap_put(idmap *m, const char *key, size_t len, long v);
size_t idmap_count(const idmap *m);

uint64_t idmap_hash(const char *key, size_t len);
/* A second, independent hash of a key: with idmap_hash it makes 128 bits,
 * enough to find repeated ids among millions by their hashes alone. */
uint64_t idmap_hash2(const char *key, size_t len);

#endif

