/*
 * table.c - CSV tables, the public side (table.h). It only connects the
 * stages:
 *
 *   bytes -> decode.c -> UTF-8 -> frame.c -> records -> pipeline.c
 *   (batches, a second thread) -> convert.c -> rows -> the caller
 *
 * or, for a workbook, book.c -> CSV lines -> frame.c -> ... (the
 * src_* functions choose the first stage).
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
#include "book.h"

#include <string.h>
#include <strings.h>

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
    decoder *dc;              /* bytes -> UTF-8: the parser's (NULL for a workbook) */
    book *wb;             /* a workbook's sheet -> CSV lines, in dc's place */
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

/* ---------- the first stage: a decoder or a workbook ---------- */

static int src_next(table *t, decode_mode mode, decode_where at, const char **s, size_t *n)
{
    return t->wb ? book_next(t->wb, mode == DECODE_LINE, s, n) : decode_next(t->dc, mode, at, s, n);
}
static unsigned long long src_offset(const table *t) { return t->wb ? book_offset(t->wb) : decode_offset(t->dc); }
static char src_eol(const table *t) { return t->wb ? '\n' : decode_eol(t->dc); }
static const char *src_encoding(const table *t) { return t->wb ? "xlsx" : decode_encoding(t->dc); }

static void src_set_diag(table *t, diag_list *d)
{
    if (t->wb)
        book_set_diag(t->wb, d);
    else
        decode_set_diag(t->dc, d);
}

/* The names a level's sheet may have: its id and titles, and for the
 * three levels of the packs their one-character Chinese names. */
static size_t sheet_names(const rule_level *lv, const char *names[4])
{
    static const char *const short_names[][2] = {{"household", "户"}, {"village", "村"}, {"county", "县"}};
    size_t n = 0;
    names[n++] = lv->id;
    if (lv->title.en)
        names[n++] = lv->title.en;
    if (lv->title.zh)
        names[n++] = lv->title.zh;
    for (size_t i = 0; i < sizeof short_names / sizeof short_names[0]; i++)
        if (!strcmp(lv->id, short_names[i][0]))
            names[n++] = short_names[i][1];
    return n;
}

/* Opens the first stage for path. Returns 0, or -1 after a diagnostic. */
static int src_open(table *t, const rule_level *lv)
{
    book_kind k = book_sniff(t->path);
    if (k == BOOK_XLS) {
        diag_add(t->d, DIAG_ERROR, t->path, 0, 0,
                 "is an Excel 97-2003 workbook (.xls), which exitcheck does not read: in Excel or WPS choose Save As, Excel Workbook (.xlsx), and give that file");
        return -1;
    }
    if (k == BOOK_XLSX) {
        const char *names[4];
        size_t n = sheet_names(lv, names);
        /* --sheet names the sheet of a level's table, not of exitcheck's
         * own files (waivers, a manifest) */
        t->wb = book_open(t->path, lv->own_format ? NULL : t->opts.sheet, names, n, t->d);
        if (!t->wb)
            return -1;
        diag_set_sheet(t->d, t->path, book_sheet(t->wb));
        t->size = book_size(t->wb);
        return 0;
    }
    const char *dot = strrchr(t->path, '.');
    if (dot && (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xlsm") || !strcasecmp(dot, ".xls")))
        diag_add(t->d, DIAG_WARNING, t->path, 0, 0,
                 "is named like an Excel workbook but is not one (its first bytes are not a zip archive's): read as a CSV table");
    t->dc = decode_open(t->path, t->opts.encoding, t->d);
    if (!t->dc)
        return -1;
    t->size = decode_size(t->dc);
    return 0;
}

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
        r = src_next(t, mode, where(t), &s, &n);
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
    if (r > 0 && frame_feed(t->fr, s, n, src_eol(t)))
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
    if (r == 0 && t->wb && !frame_header_done(t->fr) && frame_line(t->fr) <= 1) {
        diag_add(t->d, DIAG_ERROR, t->path, 0, 0, "sheet '%s' is empty (a table needs at least its header row)",
                 book_sheet(t->wb));
        return -1;
    }
    if (r == 0 && !src_encoding(t)) {
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
        stop = pipeline_hand_over(t->pl, src_offset(t), 0);
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
    if (r == 0 && !t->wb && decode_end(t->dc, where(t)))
        t->stop = 1;
    if (!t->stop && frame_finish(t->fr))
        t->stop = 1;
    pipeline_hand_over(t->pl, src_offset(t), 1);
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
    if (src_open(t, lv)) {
        table_close(&t);
        return NULL;
    }
    if (t->wb)
        convert_allow_short_rows(t->cv);
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
    t->st.encoding = src_encoding(t);
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
    if (pd && t->wb)
        diag_set_sheet(pd, t->path, book_sheet(t->wb));
    t->pl = pd ? pipeline_new(convert_slots(t->cv), t->opts.threads) : NULL;
    if (!t->pl) {
        diag_oom(d);
        diag_free(&pd);
        t->stop = 1;
        return -1;
    }
    frame_set_sink(t->fr, on_record, t, pipeline_cells(t->pl));
    src_set_diag(t, pd);
    frame_set_diag(t->fr, pd);
    pipeline_consumer c = {deliver, batch_done, t};
    if (pipeline_run(t->pl, parse_rest, t, &c))
        t->stop = 1;
    src_set_diag(t, d);
    frame_set_diag(t->fr, d);
    diag_append(d, pd);
    diag_free(&pd);
    progress(t, src_offset(t), 1);
    pipeline_free(&t->pl);
    if (t->wb)
        book_finish(t->wb, t->st.sha256);
    else if (decode_finish(t->dc, t->st.sha256, frame_line(t->fr), t->stop))
        t->stop = 1;
    return t->stop ? -1 : 0;
}

void table_close(table **tp)
{
    if (!tp || !*tp)
        return;
    table *t = *tp;
    decode_close(&t->dc);
    book_close(&t->wb);
    frame_free(&t->fr);
    convert_free(&t->cv);
    pipeline_free(&t->pl);
    strbuf_free(&t->early);
    mem_free(t->path);
    mem_free(t);
    *tp = NULL;
}
