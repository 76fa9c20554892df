/*
 * table.c - CSV tables: bytes -> (decode.c) UTF-8 -> (frame.c) records ->
 * typed rows.
 *
 * The decoder hands out UTF-8 pieces and the line end; the framer splits
 * them into records through libcsv and copies each record's used cells
 * into the batch being filled. The cells are converted when the checker
 * takes the record (so a ragged record is rejected as a whole, without
 * per-cell noise).
 */
#include "table.h"
#include "decode.h"
#include "frame.h"
#include "mem.h"
#include "strbuf.h"

#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

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
    table_stats st;
    decoder *dc;              /* bytes -> UTF-8 */

    frame *fr;                /* UTF-8 -> records */
    int stop;                 /* fatal: stop feeding */
    int ncols;                /* header fields */
    int *col_ind;             /* header column -> indicator index or -1 */
    int *ind_col;             /* indicator -> header column or -1 */
    /* the record deliver() converts, set on the view by consume_batch:
     * the cells of its batch (borrowed, never freed here) and where its
     * own lie in them */
    const frame_record *rec;
    strbuf cells;
    size_t *cell_off, *cell_len;
    int *cell_seen;
    value *vals;
    int *conv;                /* the indicators deliver() converts, in order */
    size_t nconv;
    int vals_ready;           /* vals of the others are set (they never change) */
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
    struct table *view;       /* the checker's side: deliver() runs on it */
    unsigned long long size;  /* of the file, for progress */
};

const table_stats *table_get_stats(const table *t) { return &t->st; }
const char *table_path(const table *t) { return t->path; }
int table_has_column(const table *t, size_t i) { return t->ind_col[i] >= 0; }

/* ---------- header ---------- */

static int header_matches(const rule_indicator *ind, const char *name)
{
    if (strcasecmp(ind->id, name) == 0)
        return 1;
    if (ind->zh && strcmp(ind->zh, name) == 0)
        return 1;
    for (size_t i = 0; i < ind->naliases; i++)
        if (strcmp(ind->aliases[i], name) == 0)
            return 1;
    return 0;
}

static int map_header(table *t)
{
    const rule_level *lv = t->lv;
    int bad = 0;
    t->col_ind = mem_alloc(sizeof(int) * (size_t)(t->ncols ? t->ncols : 1));
    if (!t->col_ind) {
        diag_oom(t->d);
        return -1;
    }
    for (int c = 0; c < t->ncols; c++) {
        const char *name = frame_column_name(t->fr, c);
        size_t n = strlen(name);
        value_trim(&name, &n);
        char buf[256];
        if (n >= sizeof buf)
            n = sizeof buf - 1;
        memcpy(buf, name, n);
        buf[n] = '\0';
        t->col_ind[c] = -1;
        for (size_t i = 0; i < lv->nind && n; i++) {
            if (!header_matches(&lv->ind[i], buf))
                continue;
            if (t->ind_col[i] >= 0) {
                diag_add(t->d, DIAG_ERROR, t->path, 1, c + 1,
                         "duplicate column '%s': column %d ('%s') already gives %s", buf, t->ind_col[i] + 1,
                         frame_column_name(t->fr, t->ind_col[i]), lv->ind[i].id);
                bad = 1;
            } else {
                t->ind_col[i] = c;
                t->col_ind[c] = (int)i;
            }
            break;
        }
    }
    strbuf missing = STRBUF_INIT;
    int nmissing = 0;
    for (size_t i = 0; i < lv->nind; i++) {
        if (t->ind_col[i] >= 0 || !lv->ind[i].required)
            continue;
        strbuf_printf(&missing, "%s%s", nmissing ? ", " : "", lv->ind[i].id);
        if (lv->ind[i].zh)
            strbuf_printf(&missing, " (%s)", lv->ind[i].zh);
        nmissing++;
    }
    if (nmissing) {
        int key_missing = t->ind_col[lv->key] < 0;
        const char *m = strbuf_str(&missing);
        if (t->opts.partial && !key_missing) {
            diag_add(t->d, DIAG_WARNING, t->path, 1, 0,
                     nmissing == 1 ? "%d column the rules need is missing: %s; targets that need it are unknown"
                                   : "%d columns the rules need are missing: %s; targets that need them are unknown",
                     nmissing, m);
        } else if (key_missing) {
            diag_add(t->d, DIAG_ERROR, t->path, 1, 0,
                     nmissing == 1 ? "%d column the rules need is missing: %s"
                                   : "%d columns the rules need are missing: %s",
                     nmissing, m);
            bad = 1;
        } else {
            diag_add(t->d, DIAG_ERROR, t->path, 1, 0,
                     nmissing == 1
                         ? "%d column the rules need is missing: %s (--partial checks the table anyway, with those targets unknown)"
                         : "%d columns the rules need are missing: %s (--partial checks the table anyway, with those targets unknown)",
                     nmissing, m);
            bad = 1;
        }
    }
    strbuf_free(&missing);
    return bad ? -1 : 0;
}

/* ---------- records ---------- */

static void cell_text(strbuf *out, const char *s, size_t n)
{
    size_t shown = n > 40 ? 40 : n;
    while (shown < n && shown > 0 && ((unsigned char)s[shown] & 0xC0) == 0x80)
        shown--; /* do not cut a UTF-8 sequence */
    for (size_t i = 0; i < shown; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7f)
            strbuf_printf(out, "\\x%02x", c);
        else
            strbuf_putc(out, (char)c);
    }
    if (shown < n)
        strbuf_puts(out, "...");
}

static void cell_error(table *t, int col, const rule_indicator *ind, const char *s, size_t n, const char *expected,
                       const char *hint)
{
    strbuf shown = STRBUF_INIT;
    cell_text(&shown, s, n);
    if (hint)
        diag_add(t->d, DIAG_ERROR, t->path, t->rec->line, col + 1, "%s: expected %s, found '%s'; %s", ind->id,
                 expected, strbuf_str(&shown), diag_tr(t->d, hint));
    else
        diag_add(t->d, DIAG_ERROR, t->path, t->rec->line, col + 1, "%s: expected %s, found '%s'", ind->id, expected,
                 strbuf_str(&shown));
    strbuf_free(&shown);
    t->st.cell_errors++;
}

static value parse_cell(table *t, size_t i, int *errors)
{
    const rule_indicator *ind = &t->lv->ind[i];
    if (t->ind_col[i] < 0)
        return value_unknown(WHY_NO_COLUMN);
    if (!t->cell_seen[i])
        return value_unknown(WHY_MISSING);
    const char *s = t->cells.s + t->cell_off[i];
    size_t n = t->cell_len[i];
    value_trim(&s, &n);
    if (value_is_missing(s, n))
        return value_unknown(WHY_MISSING);
    int col = t->ind_col[i];
    switch (ind->type) {
    case IND_TEXT:
        if (ind->ncodes) {
            for (size_t k = 0; k < ind->ncodes; k++)
                if (strlen(ind->codes[k]) == n && memcmp(ind->codes[k], s, n) == 0)
                    return value_text(s, n);
            strbuf list = STRBUF_INIT, one_of = STRBUF_INIT;
            for (size_t k = 0; k < ind->ncodes; k++)
                strbuf_printf(&list, "%s%s", k ? ", " : "", ind->codes[k]);
            strbuf_printf(&one_of, diag_tr(t->d, "one of %s"), strbuf_str(&list));
            cell_error(t, col, ind, s, n, strbuf_str(&one_of), NULL);
            strbuf_free(&list);
            strbuf_free(&one_of);
            (*errors)++;
            return value_unknown(WHY_INVALID);
        }
        return value_text(s, n);
    case IND_BOOL: {
        int b;
        if (value_parse_bool(s, n, &b) == 0)
            return value_bool(b);
        cell_error(t, col, ind, s, n, diag_tr(t->d, "yes or no (also y/n, true/false, 1/0, 是/否, 有/无)"), NULL);
        (*errors)++;
        return value_unknown(WHY_INVALID);
    }
    case IND_NUMBER:
    case IND_INTEGER: {
        double v;
        if (value_parse_number(s, n, ind->percent, &v)) {
            cell_error(t, col, ind, s, n,
                       ind->type == IND_INTEGER ? diag_tr(t->d, "a whole number")
                       : ind->percent           ? diag_tr(t->d, "a percentage such as 96, 96.5 or 96%")
                                                : diag_tr(t->d, "a number"),
                       value_number_hint(s, n));
            (*errors)++;
            return value_unknown(WHY_INVALID);
        }
        if (ind->type == IND_INTEGER && v != floor(v)) {
            cell_error(t, col, ind, s, n, diag_tr(t->d, "a whole number"), NULL);
            (*errors)++;
            return value_unknown(WHY_INVALID);
        }
        if ((ind->has_min && v < ind->min) || (ind->has_max && v > ind->max)) {
            strbuf range = STRBUF_INIT, lo = STRBUF_INIT, hi = STRBUF_INIT;
            if (ind->has_min)
                strbuf_num(&lo, ind->min);
            if (ind->has_max)
                strbuf_num(&hi, ind->max);
            if (ind->has_min && ind->has_max)
                strbuf_printf(&range, diag_tr(t->d, "a value from %s to %s"), strbuf_str(&lo), strbuf_str(&hi));
            else if (ind->has_min)
                strbuf_printf(&range, diag_tr(t->d, "a value of at least %s"), strbuf_str(&lo));
            else
                strbuf_printf(&range, diag_tr(t->d, "a value of at most %s"), strbuf_str(&hi));
            cell_error(t, col, ind, s, n, strbuf_str(&range), NULL);
            strbuf_free(&range);
            strbuf_free(&lo);
            strbuf_free(&hi);
            (*errors)++;
            return value_unknown(WHY_INVALID);
        }
        return value_num(v);
    }
    }
    return value_unknown(WHY_INVALID);
}

static void reject(table *t, reject_reason why, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void reject(table *t, reject_reason why, const char *fmt, ...)
{
    t->st.rows_rejected++;
    t->st.rejected[why]++;
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(t->d, DIAG_ERROR, t->path, t->rec->line, 0, fmt, ap);
    va_end(ap);
}

/* Converts one record (blank ones never reach it: cb_record drops them). */
static void deliver(table *t)
{
    t->st.rows_read++;
    if (t->cells.oom) {
        diag_oom(t->d);
        t->stop = 1;
        return;
    }
    if (t->rec->unterminated) {
        reject(t, REJECT_UNTERMINATED, "row rejected: a quoted field is still open at the end of the file");
        return;
    }
    if (t->rec->fields != t->ncols) {
        reject(t, REJECT_RAGGED,
               t->rec->fields == 1 ? "row rejected: %d field, the header has %d"
                                   : "row rejected: %d fields, the header has %d",
               t->rec->fields, t->ncols);
        return;
    }
    if (t->rec->has_nul) {
        reject(t, REJECT_NUL, "row rejected: a field contains a NUL byte (is this a binary file?)");
        return;
    }
    const rule_level *lv = t->lv;
    int errors = 0;
    if (!t->vals_ready) {
        /* the header is known by now: the indicators not converted read
         * the same in every row */
        for (size_t i = 0; i < lv->nind; i++)
            t->vals[i] = value_unknown(t->ind_col[i] < 0 ? WHY_NO_COLUMN : WHY_MISSING);
        t->vals_ready = 1;
    }
    for (size_t k = 0; k < t->nconv; k++) {
        size_t i = (size_t)t->conv[k];
        t->vals[i] = parse_cell(t, i, &errors);
    }
    if (t->vals[lv->key].kind != V_TEXT) {
        reject(t, REJECT_NO_KEY, "row rejected: no %s", lv->ind[lv->key].id);
        return;
    }
    table_row row = {t->rec->line, t->vals, errors};
    if (t->fn && t->fn(t->ctx, &row)) {
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
    size_t ni = lv->nind ? lv->nind : 1;
    t->path = mem_strdup(path);
    t->ind_col = mem_alloc(ni * sizeof(int));
    t->vals = mem_calloc(ni, sizeof(value));
    t->conv = mem_alloc(ni * sizeof(int));
    if (t->path)
        t->fr = frame_new(t->path, d);
    if (!t->path || !t->ind_col || !t->vals || !t->conv || !t->fr) {
        diag_oom(d);
        table_close(&t);
        return NULL;
    }
    for (size_t i = 0; i < lv->nind; i++) {
        t->ind_col[i] = -1;
        /* only what the rules read is converted (and checked) */
        if (lv->ind[i].required || lv->ind[i].used || (int)i == lv->name || (int)i == lv->claim)
            t->conv[t->nconv++] = (int)i;
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
    if (r >= 0) {
        t->ncols = frame_columns(t->fr);
        if (map_header(t))
            r = -1;
    }
    if (r < 0) {
        table_close(&t);
        return NULL;
    }
    frame_keep_columns(t->fr, t->col_ind, lv->nind);
    t->st.encoding = decode_encoding(t->dc);
    return t;
}

/* ---------- the pipeline ----------
 *
 * table_read runs in two stages: the parser (reading, decoding, libcsv and
 * the field callbacks, on `t`) fills batches of records; the checker
 * (deliver: cell conversion, the row callback, on `t->view`, a copy of the
 * table that owns the statistics) empties them in the same order. With a
 * second thread the parser runs there and the stages overlap; without one
 * each batch is delivered as soon as it is full. Either way every record is
 * delivered in file order, so the results are the same byte for byte.
 * While the parser runs, its diagnostics go to a sink of its own (t->d)
 * and join the caller's after the last record: they are all about where
 * reading stopped, which comes after every record delivered. */

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
static void consume_batch(table *t, const batch *b)
{
    table *v = t->view;
    size_t nind = t->lv->nind;
    v->cells = b->cells; /* borrowed: v never frees it */
    for (size_t r = 0; r < b->n && !v->stop; r++) {
        v->rec = &b->recs[r];
        v->cell_off = b->off + r * nind;
        v->cell_len = b->len + r * nind;
        v->cell_seen = b->seen + r * nind;
        deliver(v);
    }
    if (t->opts.progress) {
        table_progress p = {t->path, b->bytes, t->size, v->st.rows_read, 0};
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
        if (t->view->stop)
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
            aborted = t->view->stop;
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
    table *v = mem_alloc(sizeof *v);
    diag_list *pd = diag_new();
    if (pd)
        diag_set_translate(pd, diag_translator(d));
    if (!v || !pd || batches_alloc(t, two ? NBATCH : 1)) {
        diag_oom(d);
        mem_free(v);
        diag_free(&pd);
        batches_free(t);
        t->stop = 1;
        return -1;
    }
    frame_set_sink(t->fr, on_record, t, fill_cells(t));
    *v = *t;
    t->view = v;
    t->d = pd;
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
    t->d = d;
    decode_set_diag(t->dc, d);
    frame_set_diag(t->fr, d);
    diag_append(d, pd);
    diag_free(&pd);
    t->st = v->st;
    if (t->opts.progress) {
        table_progress p = {t->path, decode_offset(t->dc), t->size, t->st.rows_read, 1};
        t->opts.progress(t->opts.progress_ctx, &p);
    }
    if (v->stop)
        t->stop = 1;
    t->view = NULL;
    mem_free(v);
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
    batches_free(t);
    mem_free(t->path);
    mem_free(t->col_ind);
    mem_free(t->ind_col);
    mem_free(t->vals);
    mem_free(t->conv);
    mem_free(t);
    *tp = NULL;
}
