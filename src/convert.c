/*
 * convert.c - header columns -> indicators, cells -> values (convert.h).
 *
 * Receives the header the framer read, then one record at a time with its
 * cells (copies of libcsv's fields: not NUL-terminated, addressed by
 * offset and length); produces the row's values, one per indicator. The
 * number grammar, booleans, missing markers and trimming are value.c's
 * (shared with the command line and the packs); here is which of them
 * each indicator's type takes, and the message when a cell does not fit.
 *
 * Invariants: only the indicators in conv[] (those the rules read) are
 * parsed, the others are set once and never change; a rejected record
 * gets one diagnostic, no per-cell noise. All of it runs on the thread
 * that calls table_read.
 */
#include "convert.h"
#include "mem.h"
#include "strbuf.h"

#include <math.h>
#include <string.h>
#include <strings.h>

struct convert {
    const rule_level *lv;
    const char *path;
    int partial;              /* --partial: needed columns may be missing */
    diag_list *d;
    table_stats *st;          /* the table's */
    int ncols;                /* header fields */
    int *col_ind;             /* header column -> indicator index or -1 */
    int *ind_col;             /* indicator -> header column or -1 */
    value *vals;
    int *conv;                /* the indicators convert_record parses, in order */
    size_t nconv;
    int vals_ready;           /* vals of the others are set (they never change) */
    const frame_record *rec;  /* the record being converted */
};

convert *convert_new(const rule_level *lv, const char *path, int partial, table_stats *st, diag_list *d)
{
    convert *cv = mem_calloc(1, sizeof *cv);
    if (!cv)
        return NULL;
    cv->lv = lv;
    cv->path = path;
    cv->partial = partial;
    cv->st = st;
    cv->d = d;
    size_t ni = lv->nind ? lv->nind : 1;
    cv->ind_col = mem_alloc(ni * sizeof(int));
    cv->vals = mem_calloc(ni, sizeof(value));
    cv->conv = mem_alloc(ni * sizeof(int));
    if (!cv->ind_col || !cv->vals || !cv->conv) {
        convert_free(&cv);
        return NULL;
    }
    for (size_t i = 0; i < lv->nind; i++) {
        cv->ind_col[i] = -1;
        /* only what the rules read is converted (and checked) */
        if (lv->ind[i].required || lv->ind[i].used || (int)i == lv->name || (int)i == lv->claim)
            cv->conv[cv->nconv++] = (int)i;
    }
    return cv;
}

void convert_free(convert **cvp)
{
    if (!cvp || !*cvp)
        return;
    convert *cv = *cvp;
    mem_free(cv->col_ind);
    mem_free(cv->ind_col);
    mem_free(cv->vals);
    mem_free(cv->conv);
    mem_free(cv);
    *cvp = NULL;
}

const int *convert_column_slots(const convert *cv) { return cv->col_ind; }
size_t convert_slots(const convert *cv) { return cv->lv->nind; }
int convert_has_column(const convert *cv, size_t i) { return cv->ind_col[i] >= 0; }
long convert_column(const convert *cv, size_t i) { return cv->ind_col[i] + 1L; }

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

int convert_map_header(convert *cv, const frame *fr)
{
    const rule_level *lv = cv->lv;
    int bad = 0;
    cv->ncols = frame_columns(fr);
    cv->col_ind = mem_alloc(sizeof(int) * (size_t)(cv->ncols ? cv->ncols : 1));
    if (!cv->col_ind) {
        diag_oom(cv->d);
        return -1;
    }
    for (int c = 0; c < cv->ncols; c++) {
        const char *name = frame_column_name(fr, c);
        size_t n = strlen(name);
        value_trim(&name, &n);
        char buf[256];
        if (n >= sizeof buf)
            n = sizeof buf - 1;
        memcpy(buf, name, n);
        buf[n] = '\0';
        cv->col_ind[c] = -1;
        if (!strcmp(buf, TABLE_SAMPLE_COLUMN))
            cv->st->sample_form = c + 1;
        for (size_t i = 0; i < lv->nind && n; i++) {
            if (!header_matches(&lv->ind[i], buf))
                continue;
            if (cv->ind_col[i] >= 0) {
                diag_add(cv->d, DIAG_ERROR, cv->path, 1, c + 1,
                         "duplicate column '%s': column %d ('%s') already gives %s", buf, cv->ind_col[i] + 1,
                         frame_column_name(fr, cv->ind_col[i]), lv->ind[i].id);
                bad = 1;
            } else {
                cv->ind_col[i] = c;
                cv->col_ind[c] = (int)i;
            }
            break;
        }
    }
    strbuf missing = STRBUF_INIT;
    int nmissing = 0;
    for (size_t i = 0; i < lv->nind; i++) {
        if (cv->ind_col[i] >= 0 || !lv->ind[i].required)
            continue;
        strbuf_printf(&missing, "%s%s", nmissing ? ", " : "", lv->ind[i].id);
        if (lv->ind[i].zh)
            strbuf_printf(&missing, " (%s)", lv->ind[i].zh);
        nmissing++;
    }
    if (nmissing) {
        int key_missing = cv->ind_col[lv->key] < 0;
        const char *m = strbuf_str(&missing);
        if (lv->own_format) {
            diag_add(cv->d, DIAG_ERROR, cv->path, 1, 0,
                     nmissing == 1 ? "%d column the file needs is missing: %s" : "%d columns the file needs are missing: %s",
                     nmissing, m);
            bad = 1;
        } else if (cv->partial && !key_missing) {
            diag_add(cv->d, DIAG_WARNING, cv->path, 1, 0,
                     nmissing == 1 ? "%d column the rules need is missing: %s; targets that need it are unknown"
                                   : "%d columns the rules need are missing: %s; targets that need them are unknown",
                     nmissing, m);
        } else if (key_missing) {
            diag_add(cv->d, DIAG_ERROR, cv->path, 1, 0,
                     nmissing == 1 ? "%d column the rules need is missing: %s"
                                   : "%d columns the rules need are missing: %s",
                     nmissing, m);
            bad = 1;
        } else {
            diag_add(cv->d, DIAG_ERROR, cv->path, 1, 0,
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

static void cell_error(convert *cv, int col, const rule_indicator *ind, const char *s, size_t n, const char *expected,
                       const char *hint)
{
    strbuf shown = STRBUF_INIT;
    cell_text(&shown, s, n);
    if (hint)
        diag_add(cv->d, DIAG_ERROR, cv->path, cv->rec->line, col + 1, "%s: expected %s, found '%s'; %s", ind->id,
                 expected, strbuf_str(&shown), diag_tr(cv->d, hint));
    else
        diag_add(cv->d, DIAG_ERROR, cv->path, cv->rec->line, col + 1, "%s: expected %s, found '%s'", ind->id, expected,
                 strbuf_str(&shown));
    strbuf_free(&shown);
    cv->st->cell_errors++;
}

static value parse_cell(convert *cv, const frame_cells *c, size_t i, int *errors)
{
    const rule_indicator *ind = &cv->lv->ind[i];
    if (cv->ind_col[i] < 0)
        return value_unknown(WHY_NO_COLUMN);
    if (!c->seen[i])
        return value_unknown(WHY_MISSING);
    const char *s = c->buf->s + c->off[i];
    size_t n = c->len[i];
    value_trim(&s, &n);
    if (value_is_missing(s, n))
        return value_unknown(WHY_MISSING);
    int col = cv->ind_col[i];
    switch (ind->type) {
    case IND_TEXT:
        if (ind->ncodes) {
            for (size_t k = 0; k < ind->ncodes; k++)
                if (strlen(ind->codes[k]) == n && memcmp(ind->codes[k], s, n) == 0)
                    return value_text(s, n);
            strbuf list = STRBUF_INIT, one_of = STRBUF_INIT;
            for (size_t k = 0; k < ind->ncodes; k++)
                strbuf_printf(&list, "%s%s", k ? ", " : "", ind->codes[k]);
            strbuf_printf(&one_of, diag_tr(cv->d, "one of %s"), strbuf_str(&list));
            cell_error(cv, col, ind, s, n, strbuf_str(&one_of), NULL);
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
        cell_error(cv, col, ind, s, n, diag_tr(cv->d, "yes or no (also y/n, true/false, 1/0, 是/否, 有/无)"), NULL);
        (*errors)++;
        return value_unknown(WHY_INVALID);
    }
    case IND_NUMBER:
    case IND_INTEGER: {
        double v;
        if (value_parse_number(s, n, ind->percent, &v)) {
            cell_error(cv, col, ind, s, n,
                       ind->type == IND_INTEGER ? diag_tr(cv->d, "a whole number")
                       : ind->percent           ? diag_tr(cv->d, "a percentage such as 96, 96.5 or 96%")
                                                : diag_tr(cv->d, "a number"),
                       value_number_hint(s, n));
            (*errors)++;
            return value_unknown(WHY_INVALID);
        }
        if (ind->type == IND_INTEGER && v != floor(v)) {
            cell_error(cv, col, ind, s, n, diag_tr(cv->d, "a whole number"), NULL);
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
                strbuf_printf(&range, diag_tr(cv->d, "a value from %s to %s"), strbuf_str(&lo), strbuf_str(&hi));
            else if (ind->has_min)
                strbuf_printf(&range, diag_tr(cv->d, "a value of at least %s"), strbuf_str(&lo));
            else
                strbuf_printf(&range, diag_tr(cv->d, "a value of at most %s"), strbuf_str(&hi));
            cell_error(cv, col, ind, s, n, strbuf_str(&range), NULL);
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

static void reject(convert *cv, reject_reason why, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void reject(convert *cv, reject_reason why, const char *fmt, ...)
{
    cv->st->rows_rejected++;
    cv->st->rejected[why]++;
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(cv->d, DIAG_ERROR, cv->path, cv->rec->line, 0, fmt, ap);
    va_end(ap);
}

/* Converts one record (blank ones never reach it: the framer drops them). */
int convert_record(convert *cv, const frame_record *r, const frame_cells *c, table_row *row)
{
    cv->rec = r;
    cv->st->rows_read++;
    if (c->buf->oom) {
        diag_oom(cv->d);
        return -1;
    }
    if (r->unterminated) {
        reject(cv, REJECT_UNTERMINATED, "row rejected: a quoted field is still open at the end of the file");
        return 0;
    }
    if (r->fields != cv->ncols) {
        reject(cv, REJECT_RAGGED,
               r->fields == 1 ? "row rejected: %d field, the header has %d" : "row rejected: %d fields, the header has %d",
               r->fields, cv->ncols);
        return 0;
    }
    if (r->has_nul) {
        reject(cv, REJECT_NUL, "row rejected: a field contains a NUL byte (is this a binary file?)");
        return 0;
    }
    const rule_level *lv = cv->lv;
    int errors = 0;
    if (!cv->vals_ready) {
        /* the header is known by now: the indicators not converted read
         * the same in every row */
        for (size_t i = 0; i < lv->nind; i++)
            cv->vals[i] = value_unknown(cv->ind_col[i] < 0 ? WHY_NO_COLUMN : WHY_MISSING);
        cv->vals_ready = 1;
    }
    for (size_t k = 0; k < cv->nconv; k++) {
        size_t i = (size_t)cv->conv[k];
        cv->vals[i] = parse_cell(cv, c, i, &errors);
    }
    if (cv->vals[lv->key].kind != V_TEXT) {
        reject(cv, REJECT_NO_KEY, "row rejected: no %s", lv->ind[lv->key].id);
        return 0;
    }
    row->line = r->line;
    row->vals = cv->vals;
    row->errors = errors;
    return 1;
}
