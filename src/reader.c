/*
 * reader.c - read-ahead with the SHA-256 taken on a second thread (see
 * reader.h).
 *
 * Invariants:
 * - the producer thread fills slots in ring order and the consumer empties
 *   them in the same order, so bytes and digest follow the file's order;
 * - a slot belongs to the producer while its state is EMPTY and to the
 *   consumer while it is FULL; only the state changes under the lock;
 * - the producer stops after the first slot that holds end of file or an
 *   error, or when asked to (reader_close); the digest is read only after
 *   the thread has been joined.
 */
#include "reader.h"
#include "digest.h"
#include "mem.h"

#include <errno.h>
#include <pthread.h>
#include <string.h>

enum { SLOTS = 4, SLOT_SIZE = 256 * 1024 };
enum { EMPTY, FULL };

typedef struct slot {
    unsigned char *data;
    size_t len;
    int state;
    int eof;                  /* nothing follows this slot */
    int err;                  /* errno of a failed read, 0 if none */
} slot;

struct reader {
    FILE *f;
    digest *sha;
    pthread_t thread;
    int started;
    pthread_mutex_t lock;
    pthread_cond_t filled, emptied;
    int stop;                 /* the consumer is gone */
    slot ring[SLOTS];
    size_t cur;               /* consumer's slot */
    size_t pos;               /* consumer's offset in it */
    int done;                 /* the consumer saw eof or an error */
    int err;
    unsigned long long offset;
};

static void *produce(void *arg)
{
    reader *r = arg;
    for (size_t i = 0;; i = (i + 1) % SLOTS) {
        slot *s = &r->ring[i];
        pthread_mutex_lock(&r->lock);
        while (s->state != EMPTY && !r->stop)
            pthread_cond_wait(&r->emptied, &r->lock);
        int stop = r->stop;
        pthread_mutex_unlock(&r->lock);
        if (stop)
            return NULL;
        size_t got = fread(s->data, 1, SLOT_SIZE, r->f);
        s->len = got;
        s->err = 0;
        s->eof = 0;
        if (got < SLOT_SIZE) {
            if (ferror(r->f))
                s->err = errno ? errno : EIO;
            s->eof = 1;
        }
        if (got)
            digest_update(r->sha, s->data, got);
        pthread_mutex_lock(&r->lock);
        s->state = FULL;
        pthread_cond_signal(&r->filled);
        pthread_mutex_unlock(&r->lock);
        if (s->eof)
            return NULL;
    }
}

reader *reader_open(FILE *f)
{
    reader *r = mem_calloc(1, sizeof *r);
    if (!r)
        return NULL;
    r->f = f;
    r->sha = digest_new();
    int ok = r->sha != NULL;
    for (size_t i = 0; i < SLOTS && ok; i++)
        ok = (r->ring[i].data = mem_alloc(SLOT_SIZE)) != NULL;
    if (ok) {
        pthread_mutex_init(&r->lock, NULL);
        pthread_cond_init(&r->filled, NULL);
        pthread_cond_init(&r->emptied, NULL);
        r->started = pthread_create(&r->thread, NULL, produce, r) == 0;
        if (!r->started) {
            pthread_cond_destroy(&r->emptied);
            pthread_cond_destroy(&r->filled);
            pthread_mutex_destroy(&r->lock);
        }
        ok = r->started;
    }
    if (!ok) {
        r->f = NULL; /* not ours on failure */
        for (size_t i = 0; i < SLOTS; i++)
            mem_free(r->ring[i].data);
        digest_free(&r->sha);
        mem_free(r);
        return NULL;
    }
    return r;
}

/* Waits for the consumer's slot to be full. */
static slot *current(reader *r)
{
    slot *s = &r->ring[r->cur];
    pthread_mutex_lock(&r->lock);
    while (s->state != FULL)
        pthread_cond_wait(&r->filled, &r->lock);
    pthread_mutex_unlock(&r->lock);
    return s;
}

static void release(reader *r, slot *s)
{
    pthread_mutex_lock(&r->lock);
    s->state = EMPTY;
    pthread_cond_signal(&r->emptied);
    pthread_mutex_unlock(&r->lock);
    r->cur = (r->cur + 1) % SLOTS;
    r->pos = 0;
}

long reader_read(reader *r, void *dst, size_t n, int *err)
{
    unsigned char *out = dst;
    size_t got = 0;
    while (got < n && !r->done) {
        slot *s = current(r);
        size_t take = s->len - r->pos;
        if (take > n - got)
            take = n - got;
        memcpy(out + got, s->data + r->pos, take);
        got += take;
        r->pos += take;
        if (r->pos == s->len) {
            if (s->eof) {
                r->done = 1;
                r->err = s->err;
            }
            release(r, s);
        }
    }
    r->offset += got;
    if (got == 0 && r->err) {
        if (err)
            *err = r->err;
        return -1;
    }
    return (long)got;
}

unsigned long long reader_offset(const reader *r) { return r->offset; }

int reader_finish(reader *r, char out[65], int *err)
{
    while (!r->done) {
        slot *s = current(r);
        if (s->eof) {
            r->done = 1;
            r->err = s->err;
        }
        release(r, s);
    }
    if (r->started) {
        pthread_join(r->thread, NULL);
        r->started = 0;
    }
    if (r->err) {
        out[0] = '\0';
        if (err)
            *err = r->err;
        return -1;
    }
    digest_hex(r->sha, out);
    return 0;
}

void reader_close(reader **rp)
{
    if (!rp || !*rp)
        return;
    reader *r = *rp;
    if (r->started) {
        pthread_mutex_lock(&r->lock);
        r->stop = 1;
        pthread_cond_broadcast(&r->emptied);
        pthread_mutex_unlock(&r->lock);
        pthread_join(r->thread, NULL);
    }
    pthread_cond_destroy(&r->emptied);
    pthread_cond_destroy(&r->filled);
    pthread_mutex_destroy(&r->lock);
    if (r->f)
        fclose(r->f);
    for (size_t i = 0; i < SLOTS; i++)
        mem_free(r->ring[i].data);
    digest_free(&r->sha);
    mem_free(r);
    *rp = NULL;
}
