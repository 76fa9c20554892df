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
 *
 * The header search: table_open reads records as headers one by one
 * (frame_next_header after a title row) until one fits; the UTF-8 read
 * meanwhile is kept in `early`. When none fits, a fresh framer is fed
 * `early` again, its first record is the header, and table_read feeds the
 * rest of `early` before the decoder's next piece: the records read
 * during the search are delivered all the same, once.
 */
#include "table.h"
#include "convert.h"
#include "decode.h"
#include "frame.h"
#include "mem.h"
#include "pipeline.h"
#include "strbuf.h"

const char *const reject_names[REJECT__COUNT] = {
    [REJECT_RAGGED] = N_("wrong number of fields"),
    [REJECT_NO_KEY] = N_("no unit id"),
    [REJECT_DUPLICATE] = N_("duplicate unit id"),
    [REJECT_NUL] = N_("NUL byte in a field"),
    [REJECT_UNTERMINATED] = N_("unterminated quoted field"),
    [REJECT_TOTALS] = N_("totals row"),
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
    strbuf early;             /* the UTF-8 read while searching for the header */
    int recording;            /* what is read goes to early too */
    int replaying;            /* early[replay, len) comes before the decoder's next piece */
    size_t replay;
    int line_start;           /* the next piece begins a line (its delimiter may be chosen) */
    long records;             /* records read as headers by the search */
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

/* While the header is read, each line that starts a record chooses the
 * delimiter: a comma if it has one, else tabs or semicolons (whichever
 * it has more of), else a comma. The header's choice is the file's. */
static void choose_delim(table *t, const char *s, size_t n)
{
    if (t->line_start && frame_between_records(t->fr)) {
        size_t commas = 0, tabs = 0, semis = 0;
        for (size_t i = 0; i < n; i++) {
            commas += s[i] == ',';
            tabs += s[i] == '\t';
            semis += s[i] == ';';
        }
        char d = commas || (!tabs && !semis) ? ',' : tabs >= semis ? '\t' : ';';
        if (d != frame_delim(t->fr))
            frame_set_delim(t->fr, d);
    }
    t->line_start = n && (s[n - 1] == '\r' || s[n - 1] == '\n');
}

/* Decodes the next piece (after what is left of `early` to replay) and
 * feeds it. Returns 1 when it was fed, 0 at end of file, -1 when reading
 * has to stop (the reason is a diagnostic). */
static int feed_piece(table *t, decode_mode mode)
{
    const char *s;
    size_t n;
    int r;
    if (t->replaying && t->replay < t->early.len) {
        s = t->early.s + t->replay;
        n = t->early.len - t->replay;
        if (mode == DECODE_LINE) {
            size_t k = 0;
            while (k < n && s[k] != '\r' && s[k] != '\n')
                k++;
            if (k < n)
                n = k + 1;
        }
        t->replay += n;
        r = 1;
    } else {
        if (t->replaying) {
            t->replaying = 0;
            strbuf_free(&t->early);
        }
        r = decode_next(t->dc, mode, where(t), &s, &n);
        if (r > 0 && t->recording) {
            strbuf_add(&t->early, s, n);
            if (t->early.oom) {
                diag_oom(t->d);
                r = -1;
            }
        }
    }
    if (r > 0 && mode == DECODE_LINE)
        choose_delim(t, s, n);
    if (r > 0 && frame_feed(t->fr, s, n, decode_eol(t->dc)))
        r = -1;
    if (r < 0)
        t->stop = 1;
    return r;
}

/* Feeds line pieces until the framer has read a record as its header.
 * Returns 1 with a record, 0 at end of file without one, -1 when reading
 * has to stop. */
static int read_header_record(table *t)
{
    int r = 1;
    while (r > 0 && !frame_header_done(t->fr))
        r = feed_piece(t, DECODE_LINE);
    if (r == 0 && !decode_encoding(t->dc)) {
        diag_add(t->d, DIAG_ERROR, t->path, 0, 0, "empty file (a table needs at least its header line)");
        return -1;
    }
    if (r == 0 && !frame_header_done(t->fr) && frame_finish(t->fr)) /* a last line without a line end */
        r = -1;
    if (r < 0)
        return -1;
    if (frame_header_done(t->fr))
        return r > 0 ? 1 : 2; /* 2: a record, and the end of the file */
    return 0;
}

/* Finds the header (see table.h). Returns 0 with the framer on it, or -1
 * after a diagnostic. */
static int find_header(table *t)
{
    long want = t->opts.header_row;
    t->recording = want <= 0;
    t->line_start = 1;
    for (;;) {
        int r = read_header_record(t);
        if (r < 0)
            return -1;
        if (r == 0)
            break;
        t->records++;
        int fits = want > 0 ? frame_header_line(t->fr) >= want : convert_header_fits(t->cv, t->fr);
        if (fits < 0)
            return -1;
        if (fits) {
            t->recording = 0;
            strbuf_free(&t->early);
            return 0;
        }
        if (r == 2 || (want <= 0 && t->records >= TABLE_HEADER_SEARCH))
            break;
        frame_next_header(t->fr);
    }
    if (!t->records) {
        diag_add(t->d, DIAG_ERROR, t->path, 1, 0, "no header line");
        return -1;
    }
    if (want > 0) {
        diag_add(t->d, DIAG_ERROR, t->path, 0, 0, "--header-row %ld is beyond the end of the file (its last record starts on line %ld)",
                 want, frame_header_line(t->fr));
        return -1;
    }
    /* none fits: line 1 is the header, as in a table without a title */
    frame_free(&t->fr);
    t->fr = frame_new(t->path, t->d);
    if (!t->fr) {
        diag_oom(t->d);
        return -1;
    }
    t->recording = 0;
    t->replaying = 1;
    t->replay = 0;
    t->line_start = 1;
    t->records = 1;
    int r = read_header_record(t);
    if (r == 0)
        diag_add(t->d, DIAG_ERROR, t->path, 1, 0, "no header line");
    return r > 0 ? 0 : -1;
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
    int r = find_header(t);
    if (r >= 0) {
        long hl = frame_header_line(t->fr);
        if (hl > 1 && t->opts.header_row > 0)
            diag_add(d, DIAG_NOTE, path, hl, 0, "header taken from line %ld (--header-row); the lines above it are skipped", hl);
        else if (t->records > 1)
            diag_add(d, DIAG_NOTE, path, hl, 0,
                     t->records == 2 ? "header found on line %ld; the row above it is taken as a title and skipped"
                                     : "header found on line %ld; the %ld rows above it are taken as a title and skipped",
                     hl, t->records - 1);
        if (frame_delim(t->fr) == '\t')
            diag_add(d, DIAG_NOTE, path, hl, 0, "the header line has no comma but tabs: the file is read as tab-separated");
        else if (frame_delim(t->fr) == ';')
            diag_add(d, DIAG_NOTE, path, hl, 0,
                     "the header line has no comma but semicolons: the file is read as semicolon-separated");
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
    strbuf_free(&t->early);
    mem_free(t->path);
    mem_free(t);
    *tp = NULL;
}
