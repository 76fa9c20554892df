/*
 * frame.c - UTF-8 -> CSV fields and records through libcsv (see frame.h).
 *
 * frame_feed calls csv_parse once per line piece. At each line start,
 * libcsv's parser state tells whether a record is in progress (a quoted
 * newline) or a new one may begin: that gives each record its physical
 * start line without scanning twice. CSV_STRICT stays off (it would refuse
 * the stray quotes spreadsheet users type), so an open quote at end of
 * file is found here.
 *
 * While the header is looked for, a record read as a header can be
 * dropped (frame_next_header: a title row) and the next one read as the
 * header; the delimiter may change between records until the header is
 * done (table.c chooses it line by line).
 *
 * Invariants: libcsv fields are not NUL-terminated and its buffer is
 * reused, so kept cells are copied as they come; a blank record is undone
 * by rewinding to rec_start. Once `stop` is set the callbacks do nothing.
 * Only frame_csv_state reads libcsv's private state.
 */
#include "frame.h"
#include "mem.h"
#include "strbuf.h"
#include "table.h"

#include <assert.h>
#include <csv.h>
#include <string.h>

/* libcsv's parser states: csv.h declares the field, not its values */
enum { CSV_ROW_NOT_BEGUN = 0, CSV_FIELD_BEGUN = 2 };

struct frame {
    const char *path;
    diag_list *d;
    struct csv_parser csv;
    long line;                /* current physical line */
    int at_line_start;
    long pending_line;        /* line a record starting now would begin on */
    long record_line;         /* line the record in progress began on */
    int in_header;
    int header_done;
    int stop;                 /* fatal: stop feeding */
    int ncols;                /* header fields */
    strbuf hdr;               /* header names, NUL-separated, while reading the header */
    size_t *hdr_off;
    size_t hdr_cap;
    const int *col_slot;      /* header column -> slot or -1 (borrowed) */
    size_t nslots;
    frame_cells out;          /* where the record being read goes */
    size_t rec_start;         /* where its cells begin in out.buf */
    frame_record_fn on_record;
    void *ctx;
    int field;                /* fields seen in this record */
    int has_nul;
    int nul_seen;             /* a NUL byte somewhere in what was fed so far */
    int all_empty;
    int unterminated;         /* the record ends at end of file inside quotes */
    long hdr_line;            /* the line the header record started on */
    char delim;               /* the field delimiter (',' unless set) */
};

frame_state frame_csv_state(const struct csv_parser *p)
{
    if (p->pstate == CSV_ROW_NOT_BEGUN)
        return FRAME_BETWEEN_RECORDS;
    if (p->pstate == CSV_FIELD_BEGUN && p->quoted)
        return FRAME_IN_QUOTES;
    return FRAME_IN_RECORD;
}

/* libcsv grows its field buffer through this; refusing keeps a hostile
 * field from taking all memory (csv_parse then stops with CSV_ENOMEM). */
static void *bounded_realloc(void *p, size_t n)
{
    if (n > TABLE_MAX_FIELD + 1024)
        return NULL;
    return mem_realloc(p, n);
}

frame *frame_new(const char *path, diag_list *d)
{
    frame *fr = mem_calloc(1, sizeof *fr);
    if (!fr)
        return NULL;
    if (csv_init(&fr->csv, CSV_STRICT_FINI) != 0) {
        mem_free(fr);
        return NULL;
    }
    csv_set_realloc_func(&fr->csv, bounded_realloc);
    csv_set_free_func(&fr->csv, mem_free);
    fr->path = path;
    fr->d = d;
    fr->line = 1;
    fr->at_line_start = 1;
    fr->pending_line = 1;
    fr->in_header = 1;
    fr->all_empty = 1;
    fr->hdr_line = 1;
    fr->delim = ',';
    return fr;
}

void frame_set_diag(frame *fr, diag_list *d) { fr->d = d; }
int frame_header_done(const frame *fr) { return fr->header_done; }
int frame_columns(const frame *fr) { return fr->ncols; }
const char *frame_column_name(const frame *fr, int col) { return fr->hdr.s + fr->hdr_off[col]; }
long frame_line(const frame *fr) { return fr->line; }
long frame_record_line(const frame *fr) { return fr->pending_line; }
long frame_header_line(const frame *fr) { return fr->hdr_line; }
char frame_delim(const frame *fr) { return fr->delim; }

int frame_between_records(const frame *fr)
{
    return frame_csv_state(&fr->csv) == FRAME_BETWEEN_RECORDS && fr->field == 0;
}

void frame_set_delim(frame *fr, char delim)
{
    assert(frame_between_records(fr));
    fr->delim = delim;
    csv_set_delim(&fr->csv, (unsigned char)delim);
}

void frame_next_header(frame *fr)
{
    assert(fr->header_done && !fr->col_slot);
    fr->header_done = 0;
    fr->in_header = 1;
    fr->ncols = 0;
    strbuf_reset(&fr->hdr);
}

void frame_keep_columns(frame *fr, const int *col_slot, size_t nslots)
{
    fr->col_slot = col_slot;
    fr->nslots = nslots;
    strbuf_free(&fr->hdr);
    mem_free(fr->hdr_off);
    fr->hdr_off = NULL;
}

void frame_set_sink(frame *fr, frame_record_fn fn, void *ctx, frame_cells first)
{
    fr->on_record = fn;
    fr->ctx = ctx;
    fr->out = first;
    fr->rec_start = first.buf->len;
}

/* ---------- libcsv callbacks ---------- */

static void header_field(frame *fr, const char *s, size_t n)
{
    if (fr->field >= TABLE_MAX_COLUMNS) {
        if (fr->field == TABLE_MAX_COLUMNS)
            diag_add(fr->d, DIAG_ERROR, fr->path, fr->record_line, fr->field + 1, "too many columns in the header (the limit is %d)",
                     TABLE_MAX_COLUMNS);
        fr->stop = 1;
        return;
    }
    if (mem_grow(&fr->hdr_off, &fr->hdr_cap, (size_t)fr->field + 1, sizeof *fr->hdr_off)) {
        diag_oom(fr->d);
        fr->stop = 1;
        return;
    }
    fr->hdr_off[fr->field] = fr->hdr.len;
    strbuf_add(&fr->hdr, s, n);
    strbuf_putc(&fr->hdr, '\0');
    if (fr->hdr.oom) {
        diag_oom(fr->d);
        fr->stop = 1;
    }
}

static void cb_field(void *data, size_t n, void *ctx)
{
    frame *fr = ctx;
    const char *s = data ? data : "";
    if (fr->stop)
        return;
    if (fr->field == 0)
        fr->record_line = fr->pending_line;
    if (fr->in_header) {
        header_field(fr, s, n);
        fr->field++;
        return;
    }
    int col = fr->field++;
    if (n)
        fr->all_empty = 0;
    if (col >= fr->ncols)
        return;
    if (fr->nul_seen && memchr(s, '\0', n))
        fr->has_nul = 1;
    assert(fr->col_slot && fr->out.buf); /* data come after frame_keep_columns and frame_set_sink */
    int k = fr->col_slot[col];
    if (k < 0)
        return;
    frame_cells *o = &fr->out;
    o->off[k] = o->buf->len;
    o->len[k] = n;
    o->seen[k] = 1;
    strbuf_add(o->buf, s, n);
}

static void cb_record(int term, void *ctx)
{
    frame *fr = ctx;
    (void)term;
    if (fr->stop)
        return;
    if (fr->in_header) {
        fr->in_header = 0;
        fr->header_done = 1;
        fr->ncols = fr->field;
        fr->hdr_line = fr->record_line;
    } else if (fr->all_empty && fr->field <= fr->ncols) {
        /* a row of empty cells (",,,"), as spreadsheets leave: a blank line */
        fr->out.buf->len = fr->rec_start;
        memset(fr->out.seen, 0, fr->nslots * sizeof *fr->out.seen);
    } else {
        frame_record r = {fr->record_line, fr->field, (unsigned char)fr->has_nul, (unsigned char)fr->unterminated};
        assert(fr->on_record);
        if (fr->on_record(fr->ctx, &r, &fr->out))
            fr->stop = 1;
        fr->rec_start = fr->out.buf->len;
    }
    fr->field = 0;
    fr->has_nul = 0;
    fr->all_empty = 1;
}

/* ---------- feeding ---------- */

int frame_feed(frame *fr, const char *buf, size_t len, char eol)
{
    assert(!fr->header_done || fr->on_record);
    size_t i = 0;
    /* one look for NUL per piece, not one per field; once one is seen the
     * fields are checked one by one (a field can span pieces) */
    if (!fr->nul_seen && memchr(buf, '\0', len))
        fr->nul_seen = 1;
    while (i < len && !fr->stop) {
        if (fr->at_line_start) {
            fr->at_line_start = 0;
            if (frame_csv_state(&fr->csv) == FRAME_BETWEEN_RECORDS && fr->field == 0)
                fr->pending_line = fr->line;
        }
        const char *nl = memchr(buf + i, eol, len - i);
        size_t end = nl ? (size_t)(nl - buf) + 1 : len;
        size_t done = csv_parse(&fr->csv, buf + i, end - i, cb_field, cb_record, fr);
        if (done != end - i) {
            int err = csv_error(&fr->csv);
            if (err == CSV_ENOMEM || err == CSV_ETOOBIG)
                diag_add(fr->d, DIAG_ERROR, fr->path, fr->pending_line, fr->field + 1,
                         "field too long (the limit is %d bytes); is a quote left open?", TABLE_MAX_FIELD);
            else
                diag_add(fr->d, DIAG_ERROR, fr->path, fr->line, 0, "cannot parse CSV: %s",
                         diag_tr(fr->d, csv_strerror(err)));
            fr->stop = 1;
            return -1;
        }
        if (nl) {
            fr->line++;
            fr->at_line_start = 1;
        }
        i = end;
    }
    return fr->stop ? -1 : 0;
}

int frame_finish(frame *fr)
{
    if (fr->stop)
        return -1;
    /* an open quote here means the rest of the file went into one field */
    fr->unterminated = frame_csv_state(&fr->csv) == FRAME_IN_QUOTES;
    csv_fini(&fr->csv, cb_field, cb_record, fr);
    return fr->stop ? -1 : 0;
}

void frame_free(frame **frp)
{
    if (!frp || !*frp)
        return;
    frame *fr = *frp;
    csv_free(&fr->csv);
    strbuf_free(&fr->hdr);
    mem_free(fr->hdr_off);
    mem_free(fr);
    *frp = NULL;
}
