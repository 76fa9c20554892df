/*
 * table.c - CSV tables, the public side (table.h). It only connects the
 * stages:
 *
 *   bytes -> decode.c -> UTF-8 -> frame.c -> records -> pipeline.c
 *   (batches, a second thread) -> convert.c -> rows -> the caller
 *
 * Invariants: table_open feeds the header and nothing after it, so every
 * data record is delivered by table_read. While table_read runs, the
 * parser (parse_rest: decoder, framer, `stop`) and the checker (deliver:
 * converter, `st`, the row callback) share only the pipeline; the
 * parser's diagnostics go to a sink of its own and join the caller's
 * after the last record: they are all about where reading stopped, which
 * comes after every record delivered.
 */
#include "table.h"
#include "convert.h"
#include "decode.h"
#include "frame.h"
#include "mem.h"
#include "pipeline.h"

const char *const reject_names[REJECT__COUNT] = {
    [REJECT_RAGGED] = N_("wrong number of fields"),
    [REJECT_NO_KEY] = N_("no unit id"),
    [REJECT_DUPLICATE] = N_("duplicate unit id"),
    [REJECT_NUL] = N_("NUL byte in a field"),
    [REJECT_UNTERMINATED] = N_("unterminated quoted field"),
};

struct table {
    char *path;
    table_opts opts;
    diag_list *d;
    unsigned long long size;  /* of the file, for progress */
    decoder *dc;              /* bytes -> UTF-8: the parser's */
    frame *fr;                /* UTF-8 -> records: the parser's */
    convert *cv;              /* records -> values: the checker's */
    pipeline *pl;             /* while table_read runs */
    int stop;                 /* the parser's: reading has to stop */
    table_stats st;           /* the checker's while table_read runs */
    table_row_fn fn;
    void *ctx;
};

const table_stats *table_get_stats(const table *t) { return &t->st; }
const char *table_path(const table *t) { return t->path; }
int table_has_column(const table *t, size_t i) { return convert_has_column(t->cv, i); }
long table_column(const table *t, size_t i) { return convert_column(t->cv, i); }

/* ---------- the parser's side ---------- */

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

/* The framer's sink: the record goes into the batch being filled, and a
 * full batch to the checker. */
static int on_record(void *ctx, const frame_record *r, frame_cells *next)
{
    table *t = ctx;
    int stop = 0;
    if (pipeline_put(t->pl, r))
        stop = pipeline_hand_over(t->pl, decode_offset(t->dc), 0);
    *next = pipeline_cells(t->pl);
    return stop;
}

/* Parses the rest of the file and hands the last batch over. */
static void parse_rest(void *arg)
{
    table *t = arg;
    int r;
    while ((r = feed_piece(t, DECODE_ALL)) > 0)
        ;
    if (r == 0 && decode_end(t->dc, where(t)))
        t->stop = 1;
    if (!t->stop && frame_finish(t->fr))
        t->stop = 1;
    pipeline_hand_over(t->pl, decode_offset(t->dc), 1);
}

/* ---------- the checker's side ---------- */

/* Converts one record and hands it to the row callback. Returns non-zero
 * when memory ran out: nothing more can be delivered. */
static int deliver(void *ctx, const frame_record *r, const frame_cells *c)
{
    table *t = ctx;
    table_row row;
    int got = convert_record(t->cv, r, c, &row);
    if (got < 0)
        return -1;
    if (got && t->fn && t->fn(t->ctx, &row)) {
        t->st.rows_rejected++;
        t->st.rejected[REJECT_DUPLICATE]++;
    }
    return 0;
}

static void progress(table *t, unsigned long long bytes, int done)
{
    if (t->opts.progress) {
        table_progress p = {t->path, bytes, t->size, t->st.rows_read, done};
        t->opts.progress(t->opts.progress_ctx, &p);
    }
}

static void batch_done(void *ctx, unsigned long long bytes) { progress(ctx, bytes, 0); }

/* ---------- the public side ---------- */

table *table_open(const char *path, const rule_level *lv, const table_opts *opts, diag_list *d)
{
    table *t = mem_calloc(1, sizeof *t);
    if (!t) {
        diag_oom(d);
        return NULL;
    }
    t->d = d;
    t->opts = *opts;
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
    /* Feed the header and nothing after it (DECODE_LINE pieces end at the
     * first CR or LF), so that every data record is delivered by
     * table_read. */
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

int table_read(table *t, table_row_fn fn, void *ctx)
{
    diag_list *d = t->d;
    t->fn = fn;
    t->ctx = ctx;
    diag_list *pd = diag_new();
    if (pd)
        diag_set_translate(pd, diag_translator(d));
    t->pl = pd ? pipeline_new(convert_slots(t->cv), t->opts.threads) : NULL;
    if (!t->pl) {
        diag_oom(d);
        diag_free(&pd);
        t->stop = 1;
        return -1;
    }
    frame_set_sink(t->fr, on_record, t, pipeline_cells(t->pl));
    decode_set_diag(t->dc, pd);
    frame_set_diag(t->fr, pd);
    pipeline_consumer c = {deliver, batch_done, t};
    if (pipeline_run(t->pl, parse_rest, t, &c))
        t->stop = 1;
    decode_set_diag(t->dc, d);
    frame_set_diag(t->fr, d);
    diag_append(d, pd);
    diag_free(&pd);
    progress(t, decode_offset(t->dc), 1);
    pipeline_free(&t->pl);
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
    pipeline_free(&t->pl);
    mem_free(t->path);
    mem_free(t);
    *tp = NULL;
}
