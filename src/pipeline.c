/*
 * pipeline.c - batches, the ring, the parser thread and the hand-over
 * (see pipeline.h): records and cells from the framer, through the
 * parser's calls, to the consumer on the calling thread, in file order.
 *
 * Invariants: only a batch's owner touches it, and owner and `full`
 * change together under the lock (full with the checker as owner when
 * handed over, free with the parser as owner when given back). Batches are
 * filled and emptied in ring order. The checker gives back every batch
 * until the last, even after it stopped (it then skips the records), and
 * the parser always waits for the next batch to be given back before it
 * takes it: neither waits for ever, and neither touches a batch it does
 * not own.
 */
#include "pipeline.h"
#include "mem.h"
#include "strbuf.h"

#include <assert.h>
#include <pthread.h>
#include <string.h>

/* Records go from the parser to the checker in batches: at most
 * BATCH_BYTES of cells (a record that is larger makes a batch of its own)
 * and at most BATCH_SLOTS / nslots records (16 to 1024), NBATCH batches
 * in the ring. */
enum { BATCH_BYTES = 256 * 1024, BATCH_SLOTS = 65536, NBATCH = 3 };

typedef struct batch {
    strbuf cells;             /* the used cells of its records, back to back */
    frame_record *recs;
    size_t *off, *len;        /* [record * nslots + slot] */
    int *seen;
    size_t n;                 /* records */
    unsigned long long bytes; /* of the file read when it was handed over */
    int last;                 /* nothing follows */
    int full;                 /* under mu: handed to the checker, not yet given back */
    pthread_t owner;          /* under mu: the thread that may touch the rest */
} batch;

struct pipeline {
    size_t nslots;            /* cells per record */
    size_t nrecs;             /* records per batch */
    batch *batches;
    size_t nbatch;
    int two;                  /* a thread for the parser was asked for */

    /* set by pipeline_run before the parser starts, then read-only */
    int threaded;             /* the parser runs on a thread of its own */
    pthread_t checker;
    pipeline_consumer consumer;
    void (*parse)(void *);
    void *parse_ctx;

    /* the parser's */
    pthread_t parser;         /* set by the parser before its first hand-over
                                 (the checker reads it under mu) */
    size_t fill;              /* the batch it fills */
    int done;                 /* it handed over the last batch */

    /* the checker's */
    int stopped;              /* the consumer said stop */

    /* shared, under mu */
    pthread_mutex_t mu;
    pthread_cond_t cv_full, cv_free;
    int abort;                /* the checker stopped: the parser stops too */
};

#ifndef NDEBUG
/* The calling thread owns b (for the assertions). */
static int owns(const batch *b) { return pthread_equal(b->owner, pthread_self()); }
#endif

pipeline *pipeline_new(size_t nslots, int threads)
{
    pipeline *pl = mem_calloc(1, sizeof *pl);
    if (!pl)
        return NULL;
    pl->nslots = nslots;
    pl->two = threads != 1;
    size_t width = nslots ? nslots : 1;
    pl->nrecs = BATCH_SLOTS / width;
    if (pl->nrecs < 16)
        pl->nrecs = 16;
    if (pl->nrecs > 1024)
        pl->nrecs = 1024;
    pl->nbatch = pl->two ? NBATCH : 1;
    pl->batches = mem_calloc(pl->nbatch, sizeof *pl->batches);
    if (!pl->batches) {
        pipeline_free(&pl);
        return NULL;
    }
    size_t slots = pl->nrecs * width;
    for (size_t i = 0; i < pl->nbatch; i++) {
        batch *b = &pl->batches[i];
        b->owner = pthread_self();
        b->recs = mem_alloc(pl->nrecs * sizeof *b->recs);
        b->off = mem_alloc(slots * sizeof *b->off);
        b->len = mem_alloc(slots * sizeof *b->len);
        b->seen = mem_calloc(slots, sizeof *b->seen);
        if (!b->recs || !b->off || !b->len || !b->seen || strbuf_reserve(&b->cells, BATCH_BYTES)) {
            pipeline_free(&pl);
            return NULL;
        }
    }
    return pl;
}

void pipeline_free(pipeline **plp)
{
    if (!plp || !*plp)
        return;
    pipeline *pl = *plp;
    for (size_t i = 0; pl->batches && i < pl->nbatch; i++) {
        batch *b = &pl->batches[i];
        strbuf_free(&b->cells);
        mem_free(b->recs);
        mem_free(b->off);
        mem_free(b->len);
        mem_free(b->seen);
    }
    mem_free(pl->batches);
    mem_free(pl);
    *plp = NULL;
}

static void batch_reset(const pipeline *pl, batch *b)
{
    strbuf_reset(&b->cells);
    memset(b->seen, 0, b->n * pl->nslots * sizeof *b->seen);
    b->n = 0;
    b->last = 0;
}

/* ---------- the checker's side ---------- */

/* Delivers every record of b (none once the consumer has stopped). */
static void deliver(pipeline *pl, batch *b)
{
    assert(owns(b) && pthread_equal(pl->checker, pthread_self()));
    const pipeline_consumer *c = &pl->consumer;
    size_t w = pl->nslots;
    for (size_t r = 0; r < b->n && !pl->stopped; r++) {
        frame_cells cells = {&b->cells, b->off + r * w, b->len + r * w, b->seen + r * w};
        if (c->record(c->ctx, &b->recs[r], &cells))
            pl->stopped = 1;
    }
    if (c->batch_done)
        c->batch_done(c->ctx, b->bytes);
}

/* The checker's loop when the parser has a thread: takes each batch in
 * ring order when it is handed over, and gives it back. */
static void check_batches(pipeline *pl)
{
    for (size_t i = 0;; i = (i + 1) % pl->nbatch) {
        batch *b = &pl->batches[i];
        pthread_mutex_lock(&pl->mu);
        while (!b->full)
            pthread_cond_wait(&pl->cv_full, &pl->mu);
        assert(owns(b));
        pthread_mutex_unlock(&pl->mu);
        int stopped = pl->stopped;
        if (!stopped)
            deliver(pl, b);
        int last = b->last;
        pthread_mutex_lock(&pl->mu);
        assert(owns(b));
        b->owner = pl->parser;
        b->full = 0;
        if (pl->stopped)
            pl->abort = 1;
        pthread_cond_signal(&pl->cv_free);
        pthread_mutex_unlock(&pl->mu);
        if (last)
            return;
    }
}

/* ---------- the parser's side ---------- */

frame_cells pipeline_cells(pipeline *pl)
{
    batch *b = &pl->batches[pl->fill];
    assert(owns(b) && !pl->done);
    size_t k = b->n * pl->nslots;
    frame_cells c = {&b->cells, b->off + k, b->len + k, b->seen + k};
    return c;
}

int pipeline_put(pipeline *pl, const frame_record *r)
{
    batch *b = &pl->batches[pl->fill];
    assert(owns(b) && !pl->done && b->n < pl->nrecs);
    b->recs[b->n++] = *r;
    return b->n == pl->nrecs || b->cells.len >= BATCH_BYTES;
}

int pipeline_hand_over(pipeline *pl, unsigned long long bytes, int last)
{
    batch *b = &pl->batches[pl->fill];
    assert(!pl->done && pthread_equal(pl->parser, pthread_self()));
    b->last = last;
    b->bytes = bytes;
    pl->done = last;
    if (!pl->threaded) {
        /* one thread: the checker's turn, then the same batch again */
        deliver(pl, b);
        batch_reset(pl, b);
        return pl->stopped ? -1 : 0;
    }
    pthread_mutex_lock(&pl->mu);
    assert(owns(b) && !b->full);
    b->owner = pl->checker;
    b->full = 1;
    pthread_cond_signal(&pl->cv_full);
    if (last) {
        pthread_mutex_unlock(&pl->mu);
        return 0;
    }
    pl->fill = (pl->fill + 1) % pl->nbatch;
    batch *nb = &pl->batches[pl->fill];
    while (nb->full)
        pthread_cond_wait(&pl->cv_free, &pl->mu);
    assert(owns(nb));
    int stop = pl->abort;
    pthread_mutex_unlock(&pl->mu);
    batch_reset(pl, nb);
    return stop ? -1 : 0;
}

/* ---------- running ---------- */

static void *parser_main(void *arg)
{
    pipeline *pl = arg;
    /* every batch is free and the checker waits for the first: the
     * parser may name itself their owner before it hands any over */
    pl->parser = pthread_self();
    for (size_t i = 0; i < pl->nbatch; i++)
        pl->batches[i].owner = pl->parser;
    pl->parse(pl->parse_ctx);
    return NULL;
}

int pipeline_run(pipeline *pl, void (*parse)(void *), void *parse_ctx, const pipeline_consumer *c)
{
    assert(!pl->done && c->record);
    pl->consumer = *c;
    pl->parse = parse;
    pl->parse_ctx = parse_ctx;
    pl->checker = pthread_self();
    int ran = 0;
    if (pl->two) {
        pthread_mutex_init(&pl->mu, NULL);
        pthread_cond_init(&pl->cv_full, NULL);
        pthread_cond_init(&pl->cv_free, NULL);
        pthread_t th;
        pl->threaded = 1; /* before the thread starts: the hand-over reads it */
        if (pthread_create(&th, NULL, parser_main, pl) == 0) {
            check_batches(pl);
            pthread_join(th, NULL);
            ran = 1;
            /* the thread is gone: its batches are the caller's again */
            for (size_t i = 0; i < pl->nbatch; i++)
                pl->batches[i].owner = pl->checker;
        }
        pl->threaded = 0;
        pthread_cond_destroy(&pl->cv_free);
        pthread_cond_destroy(&pl->cv_full);
        pthread_mutex_destroy(&pl->mu);
    }
    if (!ran) {
        /* no second thread: each batch is delivered when it is full */
        pl->parser = pl->checker;
        for (size_t i = 0; i < pl->nbatch; i++)
            pl->batches[i].owner = pl->checker;
        parse(parse_ctx);
    }
    assert(pl->done);
    return pl->stopped;
}
