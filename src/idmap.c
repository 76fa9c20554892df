/*
 * idmap.c - open-addressing hash map from id strings to longs.
 *
 * Invariants: the table is a power of two and at most half full; key
 * bytes are copied into one growing pool, so a map costs about
 * 16 bytes a slot plus its keys.
 */
#include "idmap.h"
#include "mem.h"

#include <string.h>

typedef struct slot {
    uint64_t hash;
    size_t off;     /* into pool; SIZE_MAX = empty */
    size_t len;
    long value;
} slot;

struct idmap {
    slot *slots;
    size_t cap, count;
    char *pool;
    size_t pool_len, pool_cap;
};

uint64_t idmap_hash(const char *key, size_t len)
{
    uint64_t h = 14695981039346656037ULL; /* FNV-1a 64-bit offset basis */
    for (size_t i = 0; i < len; i++) {
        h ^= (unsigned char)key[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static slot *alloc_slots(size_t cap)
{
    slot *s = mem_alloc(cap * sizeof *s);
    if (s)
        for (size_t i = 0; i < cap; i++)
            s[i].off = SIZE_MAX;
    return s;
}

idmap *idmap_new(void)
{
    idmap *m = mem_calloc(1, sizeof *m);
    if (!m)
        return NULL;
    m->cap = 64;
    m->slots = alloc_slots(m->cap);
    if (!m->slots) {
        mem_free(m);
        return NULL;
    }
    return m;
}

void idmap_free(idmap **mp)
{
    if (!mp || !*mp)
        return;
    mem_free((*mp)->slots);
    mem_free((*mp)->pool);
    mem_free(*mp);
    *mp = NULL;
}

size_t idmap_count(const idmap *m) { return m->count; }

static slot *find(const idmap *m, uint64_t h, const char *key, size_t len)
{
    size_t mask = m->cap - 1;
    for (size_t i = (size_t)h & mask;; i = (i + 1) & mask) {
        slot *s = &m->slots[i];
        if (s->off == SIZE_MAX)
            return s;
        if (s->hash == h && s->len == len && memcmp(m->pool + s->off, key, len) == 0)
            return s;
    }
}

long idmap_get(const idmap *m, const char *key, size_t len)
{
    slot *s = find(m, idmap_hash(key, len), key, len);
    return s->off == SIZE_MAX ? -1 : s->value;
}

static int rehash(idmap *m)
{
    size_t ncap = m->cap * 2;
    slot *ns = alloc_slots(ncap);
    if (!ns)
        return -1;
    for (size_t i = 0; i < m->cap; i++) {
        slot *s = &m->slots[i];
        if (s->off == SIZE_MAX)
            continue;
        size_t j = (size_t)s->hash & (ncap - 1);
        while (ns[j].off != SIZE_MAX)
            j = (j + 1) & (ncap - 1);
        ns[j] = *s;
    }
    mem_free(m->slots);
    m->slots = ns;
    m->cap = ncap;
    return 0;
}

long idmap_put(idmap *m, const char *key, size_t len, long v)
{
    uint64_t h = idmap_hash(key, len);
    slot *s = find(m, h, key, len);
    if (s->off != SIZE_MAX)
        return s->value;
    if (mem_grow(&m->pool, &m->pool_cap, m->pool_len + len + 1, 1))
        return -2;
    memcpy(m->pool + m->pool_len, key, len);
    m->pool[m->pool_len + len] = '\0';
    s->hash = h;
    s->off = m->pool_len;
    s->len = len;
    s->value = v;
    m->pool_len += len + 1;
    m->count++;
    if (m->count * 2 > m->cap && rehash(m))
        return -2;
    return -1;
}

uint64_t idmap_hash2(const char *s, size_t n)
{
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ (uint64_t)n;
    for (size_t i = 0; i < n; i++) {
        h = (h ^ (unsigned char)s[i]) * 0xff51afd7ed558ccdULL;
        h ^= h >> 29;
    }
    return h;
}
