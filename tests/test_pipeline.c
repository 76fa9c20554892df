/*
 * test_pipeline.c - the hand-over between the parser and the checker
 * (src/pipeline.h), with one thread and with two: every record arrives
 * once, in order, with its cells; a record larger than a batch's cells
 * travels alone; and when the checker stops, the parser is told at its
 * next hand-over, nothing more is delivered, and neither side waits for
 * ever, even when the parser keeps handing batches over.
 */
#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

#include "frame.h"
#include "pipeline.h"
#include "strbuf.h"

enum { NSLOTS = 2 };

typedef struct run {
    pipeline *pl;
    long nrecs;             /* records the parser puts */
    size_t big_every;       /* every nth record has a 300 KiB cell; 0: none */
    int keep_going;         /* the parser ignores the checker's stop */
    long stop_at;           /* the checker stops at this record; 0: never */
    /* the parser's */
    int told_to_stop;
    long put;
    /* the checker's */
    long got;
    long batches;
    unsigned long long last_bytes;
} run;

static char big[300 * 1024];

static void put_cell(frame_cells *c, int k, const char *s, size_t n)
{
    c->off[k] = c->buf->len;
    c->len[k] = n;
    c->seen[k] = 1;
    strbuf_add(c->buf, s, n);
}

static void parse(void *arg)
{
    run *r = arg;
    for (long i = 1; i <= r->nrecs; i++) {
        frame_cells c = pipeline_cells(r->pl);
        char id[32];
        int n = snprintf(id, sizeof id, "%ld", i);
        put_cell(&c, 0, id, (size_t)n);
        if (r->big_every && i % (long)r->big_every == 0)
            put_cell(&c, 1, big, sizeof big);
        frame_record rec = {i, NSLOTS, 0, 0};
        r->put++;
        if (pipeline_put(r->pl, &rec) && pipeline_hand_over(r->pl, (unsigned long long)i, 0)) {
            r->told_to_stop = 1;
            if (!r->keep_going)
                break;
        }
    }
    pipeline_hand_over(r->pl, (unsigned long long)r->nrecs + 1, 1);
}

static int take(void *ctx, const frame_record *rec, const frame_cells *c)
{
    run *r = ctx;
    r->got++;
    cr_assert_eq(rec->line, r->got, "record %ld arrived as number %ld", rec->line, r->got);
    char id[32];
    int n = snprintf(id, sizeof id, "%ld", rec->line);
    cr_assert(c->seen[0]);
    cr_assert_eq(c->len[0], (size_t)n);
    cr_assert(!memcmp(c->buf->s + c->off[0], id, (size_t)n), "the cell of record %ld", rec->line);
    int want_big = r->big_every && rec->line % (long)r->big_every == 0;
    cr_assert_eq(c->seen[1], want_big, "record %ld", rec->line);
    if (want_big) {
        cr_assert_eq(c->len[1], sizeof big);
        cr_assert(!memcmp(c->buf->s + c->off[1], big, sizeof big));
    }
    return r->stop_at && r->got >= r->stop_at;
}

static void batch_done(void *ctx, unsigned long long bytes)
{
    run *r = ctx;
    cr_assert_geq(bytes, r->last_bytes, "bytes never go back");
    r->last_bytes = bytes;
    r->batches++;
}

static int run_pipeline(run *r, int threads)
{
    memset(big, 'b', sizeof big);
    r->pl = pipeline_new(NSLOTS, threads);
    cr_assert_not_null(r->pl);
    pipeline_consumer c = {take, batch_done, r};
    int stopped = pipeline_run(r->pl, parse, r, &c);
    pipeline_free(&r->pl);
    return stopped;
}

static void every_record_in_order(int threads)
{
    run r = {.nrecs = 100000};
    cr_assert_eq(run_pipeline(&r, threads), 0);
    cr_assert_eq(r.got, r.nrecs);
    cr_assert_eq(r.last_bytes, (unsigned long long)r.nrecs + 1);
    cr_assert_gt(r.batches, 10, "the records came in %ld batches", r.batches);
    cr_assert(!r.told_to_stop);
}

Test(pipeline, every_record_in_order_one_thread) { every_record_in_order(1); }
Test(pipeline, every_record_in_order_two_threads) { every_record_in_order(2); }

static void large_records(int threads)
{
    run r = {.nrecs = 3000, .big_every = 500};
    cr_assert_eq(run_pipeline(&r, threads), 0);
    cr_assert_eq(r.got, r.nrecs);
}

Test(pipeline, records_larger_than_a_batch_one_thread) { large_records(1); }
Test(pipeline, records_larger_than_a_batch_two_threads) { large_records(2); }

static void checker_stops(int threads, int keep_going)
{
    for (int round = 0; round < (threads == 1 ? 1 : 40); round++) {
        run r = {.nrecs = 50000, .stop_at = 1500 + round * 37, .keep_going = keep_going};
        cr_assert_eq(run_pipeline(&r, threads), 1);
        cr_assert_eq(r.got, r.stop_at, "nothing is delivered after the stop");
        cr_assert(r.told_to_stop, "the parser is told at its next hand-over");
        if (!keep_going)
            cr_assert_lt(r.put, r.nrecs, "the parser stopped early");
    }
}

Test(pipeline, the_checker_stops_one_thread) { checker_stops(1, 0); }
Test(pipeline, the_checker_stops_two_threads) { checker_stops(2, 0); }
Test(pipeline, a_parser_that_goes_on_after_the_stop_one_thread) { checker_stops(1, 1); }
Test(pipeline, a_parser_that_goes_on_after_the_stop_two_threads, .timeout = 60) { checker_stops(2, 1); }
