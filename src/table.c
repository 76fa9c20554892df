/*
 * table.c - CSV tables: bytes -> (decode.c) UTF-8 -> (frame.c) records ->
 * (convert.c) typed rows.
 *
 * The decoder hands out UTF-8 pieces and the line end; the framer splits
 * them into records through libcsv and copies each record's used cells
 * into the batch being filled. The converter turns a record's cells into
 * values when the checker takes it (so a ragged record is rejected as a
 * whole, without per-cell noise).
 */
#include "table.h"
#include "convert.h"
#include "decode.h"
#include "frame.h"
#include "mem.h"
#include "strbuf.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

/* Records go from the parser to the checker in batches: at most
 * BATCH_BYTES of cells (a record that is larger makes a batch of its own)
 * and at most 65536 / indicators records, NBATCH batches in the ring. */
enum { BATCH_BYTES = 256 * 1024, BATCH_SLOTS = 65536, NBATCH = 3 };

typedef struct batch {
    strbuf cells;             /* the used cells of its records, back to back */
    frame_record *recs;
    size_t *off, *len;        /* [record * nind + indicator] */
    int *seen;
    size_t n;
    unsigned long long bytes; /* of the file read when it was handed over */
    int full;                 /* handed to the checker, not yet given back */
    int last;                 /* nothing follows */
} batch;

const char *const reject_names[REJECT__COUNT] = {
    [REJECT_RAGGED] = N_("wrong number of fields"),
    [REJECT_NO_KEY] = N_("no unit id"),
    [REJECT_DUPLICATE] = N_("duplicate unit id"),
    [REJECT_NUL] = N_("NUL byte in a field"),
    [REJECT_UNTERMINATED] = N_("unterminated quoted field"),
};

struct table {
    char *path;
    const rule_level *lv;
    table_opts opts;
    diag_list *d;
    table_stats st;           /* the checker's while table_read runs */
    unsigned long long size;  /* of the file, for progress */
    decoder *dc;              /* bytes -> UTF-8 */
    frame *fr;                /* UTF-8 -> records */
    convert *cv;              /* records -> values */
    int stop;                 /* the parser's: reading has to stop */
    int check_stop;           /* the checker's: delivering has to stop */
    table_row_fn fn;
    void *ctx;

    /* the pipeline of table_read (see the comment there) */
    batch *batches;
    size_t nbatch, batch_recs;
    batch *fb;                /* the batch the parser fills */
    size_t fill_i;
    int threaded;
    pthread_mutex_t mu;
    pthread_cond_t cv_full, cv_free;
    int abort;                /* the checker stopped: the parser stops too */
};

const table_stats *table_get_stats(const table *t) { return &t->st; }
const char *table_path(const table *t) { return t->path; }
int table_has_column(const table *t, size_t i) { return convert_has_column(t->cv, i); }

/* Converts one record and hands it to the row callback (on the calling
 * thread). */
static void deliver(table *t, const frame_record *r, const frame_cells *c)
{
    table_row row;
    int got = convert_record(t->cv, r, c, &row);
    if (got < 0) {
        t->check_stop = 1;
        return;
    }
    if (got && t->fn && t->fn(t->ctx, &row)) {
        t->st.rows_rejected++;
        t->st.rejected[REJECT_DUPLICATE]++;
    }
}

/* ---------- feeding ---------- */

static decode_where where(const table *t)
{
    decode_where at = {frame_line(t->fr), frame_record_line(t->fr)};
    return at;
}

/* Decodes the next piece and feeds it. Returns 1 when it was fed, 0 at
 * end of file, -1 when reading has to stop (the reason is a diagnostic). */
static int feed_piece(table *t, decode_mode mode)
{
    const char *s;
    size_t n;
    int r = decode_next(t->dc, mode, where(t), &s, &n);
    if (r > 0 && frame_feed(t->fr, s, n, decode_eol(t->dc)))
        r = -1;
    if (r < 0)
        t->stop = 1;
    return r;
}

table *table_open(const char *path, const rule_level *lv, const table_opts *opts, diag_list *d)
{
    table *t = mem_calloc(1, sizeof *t);
    if (!t) {
        diag_oom(d);
        return NULL;
    }
    t->d = d;
    t->lv = lv;
    t->opts = *opts;
    t->st.encoding = "utf-8";
    t->path = mem_strdup(path);
    if (t->path) {
        t->cv = convert_new(lv, t->path, opts->partial, &t->st, d);
        t->fr = frame_new(t->path, d);
    }
    if (!t->path || !t->cv || !t->fr) {
        diag_oom(d);
        table_close(&t);
        return NULL;
    }
    t->dc = decode_open(t->path, opts->encoding, d);
    if (!t->dc) {
        table_close(&t);
        return NULL;
    }
    t->size = decode_size(t->dc);
    /* Feed the header and nothing after it, so that every data record is
     * delivered by table_read. */
    int r = 1;
    while (r > 0 && !frame_header_done(t->fr))
        r = feed_piece(t, DECODE_LINE);
    if (r == 0 && !decode_encoding(t->dc)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "empty file (a table needs at least its header line)");
        r = -1;
    }
    if (r == 0 && !frame_header_done(t->fr) && frame_finish(t->fr)) /* a header line without a line end */
        r = -1;
    if (r >= 0 && !frame_header_done(t->fr)) {
        diag_add(d, DIAG_ERROR, path, 1, 0, "no header line");
        r = -1;
    }
    if (r >= 0 && convert_map_header(t->cv, t->fr))
        r = -1;
    if (r < 0) {
        table_close(&t);
        return NULL;
    }
    frame_keep_columns(t->fr, convert_column_slots(t->cv), convert_slots(t->cv));
    t->st.encoding = decode_encoding(t->dc);
    return t;
}

/* ---------- the pipeline ----------
 *
 * table_read runs in two stages: the parser (the decoder, the framer and
 * t->stop) fills batches of records; the checker (deliver: the converter,
 * the row callback, t->st and t->check_stop) empties them in the same
 * order. With a second thread the parser runs there and the stages
 * overlap; without one each batch is delivered as soon as it is full.
 * Either way every record is delivered in file order, so the results are
 * the same byte for byte. While the parser runs, its diagnostics go to a
 * sink of its own and join the caller's after the last record: they are
 * all about where reading stopped, which comes after every record
 * delivered. */

static void batch_reset(table *t, batch *b)
{
    strbuf_reset(&b->cells);
    memset(b->seen, 0, b->n * t->lv->nind * sizeof *b->seen);
    b->n = 0;
    b->last = 0;
}

static void batches_free(table *t)
{
    for (size_t i = 0; t->batches && i < t->nbatch; i++) {
        batch *b = &t->batches[i];
        strbuf_free(&b->cells);
        mem_free(b->recs);
        mem_free(b->off);
        mem_free(b->len);
        mem_free(b->seen);
    }
    mem_free(t->batches);
    t->batches = NULL;
    t->fb = NULL;
}

static int batches_alloc(table *t, size_t nbatch)
{
    size_t nind = t->lv->nind ? t->lv->nind : 1;
    t->batch_recs = BATCH_SLOTS / nind;
    if (t->batch_recs < 16)
        t->batch_recs = 16;
    if (t->batch_recs > 1024)
        t->batch_recs = 1024;
    t->batches = mem_calloc(nbatch, sizeof *t->batches);
    if (!t->batches)
        return -1;
    t->nbatch = nbatch;
    size_t slots = t->batch_recs * nind;
    for (size_t i = 0; i < nbatch; i++) {
        batch *b = &t->batches[i];
        b->recs = mem_alloc(t->batch_recs * sizeof *b->recs);
        b->off = mem_alloc(slots * sizeof *b->off);
        b->len = mem_alloc(slots * sizeof *b->len);
        b->seen = mem_calloc(slots, sizeof *b->seen);
        if (!b->recs || !b->off || !b->len || !b->seen || strbuf_reserve(&b->cells, BATCH_BYTES))
            return -1;
    }
    t->fb = &t->batches[0];
    return 0;
}

/* The checker's side: delivers every record of b. */
static void consume_batch(table *t, batch *b)
{
    size_t nind = t->lv->nind;
    for (size_t r = 0; r < b->n && !t->check_stop; r++) {
        frame_cells c = {&b->cells, b->off + r * nind, b->len + r * nind, b->seen + r * nind};
        deliver(t, &b->recs[r], &c);
    }
    if (t->opts.progress) {
        table_progress p = {t->path, b->bytes, t->size, t->st.rows_read, 0};
        t->opts.progress(t->opts.progress_ctx, &p);
    }
}

/* The parser's side: hands the filled batch over (the last one when last)
 * and goes on with the next free one. */
static void publish(table *t, int last)
{
    batch *b = t->fb;
    b->last = last;
    b->bytes = decode_offset(t->dc);
    if (!t->threaded) {
        consume_batch(t, b);
        if (t->check_stop)
            t->stop = 1;
        batch_reset(t, b);
        return;
    }
    pthread_mutex_lock(&t->mu);
    b->full = 1;
    pthread_cond_signal(&t->cv_full);
    if (last) {
        pthread_mutex_unlock(&t->mu);
        t->fb = NULL;
        return;
    }
    t->fill_i = (t->fill_i + 1) % t->nbatch;
    batch *nb = &t->batches[t->fill_i];
    while (nb->full && !t->abort)
        pthread_cond_wait(&t->cv_free, &t->mu);
    if (t->abort)
        t->stop = 1;
    pthread_mutex_unlock(&t->mu);
    batch_reset(t, nb);
    t->fb = nb;
}

/* Where the framer puts the next record's cells: after the last record
 * of the batch being filled. */
static frame_cells fill_cells(table *t)
{
    batch *b = t->fb;
    size_t k = b->n * t->lv->nind;
    frame_cells c = {&b->cells, b->off + k, b->len + k, b->seen + k};
    return c;
}

/* The framer's sink: keeps the record in the batch being filled, and hands
 * the batch over when it is full. */
static int on_record(void *ctx, const frame_record *r, frame_cells *next)
{
    table *t = ctx;
    batch *b = t->fb;
    b->recs[b->n++] = *r;
    if (b->n == t->batch_recs || b->cells.len >= BATCH_BYTES)
        publish(t, 0);
    *next = fill_cells(t);
    return t->stop;
}

/* Parses the rest of the file and publishes the last batch. */
static void parse_rest(table *t)
{
    int r;
    while ((r = feed_piece(t, DECODE_ALL)) > 0)
        ;
    if (r == 0 && decode_end(t->dc, where(t)))
        t->stop = 1;
    if (!t->stop && frame_finish(t->fr))
        t->stop = 1;
    if (t->fb)
        publish(t, 1);
}

static void *parser_thread(void *arg)
{
    parse_rest(arg);
    return NULL;
}

/* The checker's loop when the parser has a thread. */
static void check_batches(table *t)
{
    int aborted = 0;
    for (size_t i = 0;; i = (i + 1) % t->nbatch) {
        batch *b = &t->batches[i];
        pthread_mutex_lock(&t->mu);
        while (!b->full)
            pthread_cond_wait(&t->cv_full, &t->mu);
        pthread_mutex_unlock(&t->mu);
        if (!aborted) {
            consume_batch(t, b);
            aborted = t->check_stop;
        }
        int last = b->last;
        pthread_mutex_lock(&t->mu);
        b->full = 0;
        if (aborted)
            t->abort = 1;
        pthread_cond_signal(&t->cv_free);
        pthread_mutex_unlock(&t->mu);
        if (last)
            return;
    }
}

int table_read(table *t, table_row_fn fn, void *ctx)
{
    diag_list *d = t->d;
    t->fn = fn;
    t->ctx = ctx;
    int two = t->opts.threads != 1;
    diag_list *pd = diag_new();
    if (pd)
        diag_set_translate(pd, diag_translator(d));
    if (!pd || batches_alloc(t, two ? NBATCH : 1)) {
        diag_oom(d);
        diag_free(&pd);
        batches_free(t);
        t->stop = 1;
        return -1;
    }
    frame_set_sink(t->fr, on_record, t, fill_cells(t));
    decode_set_diag(t->dc, pd);
    frame_set_diag(t->fr, pd);
    if (two) {
        pthread_mutex_init(&t->mu, NULL);
        pthread_cond_init(&t->cv_full, NULL);
        pthread_cond_init(&t->cv_free, NULL);
        pthread_t th;
        t->threaded = 1; /* before the thread starts: publish() reads it */
        if (pthread_create(&th, NULL, parser_thread, t) != 0)
            t->threaded = 0;
        if (t->threaded) {
            check_batches(t);
            pthread_join(th, NULL);
            t->threaded = 0;
        }
        pthread_cond_destroy(&t->cv_free);
        pthread_cond_destroy(&t->cv_full);
        pthread_mutex_destroy(&t->mu);
    }
    if (t->fb)
        parse_rest(t); /* no second thread: each batch is delivered when full */
    decode_set_diag(t->dc, d);
    frame_set_diag(t->fr, d);
    diag_append(d, pd);
    diag_free(&pd);
    if (t->opts.progress) {
        table_progress p = {t->path, decode_offset(t->dc), t->size, t->st.rows_read, 1};
        t->opts.progress(t->opts.progress_ctx, &p);
    }
    if (t->check_stop)
        t->stop = 1;
    batches_free(t);
    if (decode_finish(t->dc, t->st.sha256, frame_line(t->fr), t->stop))
        t->stop = 1;
    return t->stop ? -1 : 0;
}

void table_close(table **tp)
{
    if (!tp || !*tp)
        return;
    table *t = *tp;
    decode_close(&t->dc);
    frame_free(&t->fr);
    convert_free(&t->cv);
    batches_free(t);
    mem_free(t->path);
    mem_free(t);
    *tp = NULL;
}
