/*
 * report_xlsx.c - the report as an Excel workbook (-f xlsx), written with
 * libxlsxwriter in constant-memory mode.
 *
 * Sheets, in this order (Chinese names and headers with --lang zh):
 *   Summary      the verdict, exit status, tool, pack, problem count; per
 *                level the counts and both wrong-exit rates (by units and
 *                by people); per target the units not meeting it; the
 *                parameters with their origin; every input with its
 *                encoding, rows and SHA-256; the rule files.
 *   one a level  for each level whose table was given, named by its title:
 *                one row per unit, in input order (id, name, parent id,
 *                the parent's name where its level has one, line, status,
 *                claim, exit; for an upper level the exits below it and
 *                their wrong-exit rates; one column per target holding its
 *                status word; then every value a target reads).
 *   Exits that do not hold   the wrong and unsupported exits, this year's
 *                and earlier, every level, with the targets not met.
 *   Figures      each figure an upper-level unit reports beside the one
 *                recomputed from its child data.
 *   Problems     every diagnostic kept: severity, file, line, column,
 *                sheet and cell (for a workbook input), message.
 *
 * Invariants:
 * - rows are written in increasing order, one sheet at a time: constant-
 *   memory mode keeps only the current row of a sheet in memory, so the
 *   households stream from the check's spool to the sheet's temporary
 *   file. A sheet that would pass Excel's 1,048,576 rows continues on
 *   "<name> (2)", with the same header.
 * - numbers are numbers (counts, lines, rates, numeric values), yes/no
 *   values booleans, ids and other text strings, never formulas
 *   (worksheet_write_string writes "=..." as text). Rates are percentages
 *   (12.5 for 12.5%), as in the JSON report, shown with two decimals.
 * - every string written is valid UTF-8 without what XML 1.0 forbids:
 *   a bad byte, a control character other than tab and line feed, U+FFFE
 *   and U+FFFF become U+FFFD, CR LF and a lone CR become LF, "_xHHHH_"
 *   is protected from Excel's unescaping, and a cell is cut at Excel's
 *   32,767 characters. Sheet names are at most 31 characters, without
 *   []:*?/\, unique.
 * - the same inputs give the same bytes: the document's creation and
 *   modification dates are fixed (1980-01-01T00:00:00Z, the date
 *   libxlsxwriter gives every zip entry); nothing else carries a time.
 * - libxlsxwriter 1.1 writes only to a named file: the workbook goes to a
 *   private temporary file (mkstemp in TMPDIR, default /tmp), is copied
 *   to out and is unlinked on every path. Nothing is printed; a failure
 *   is -1 (libxlsxwriter itself prints only on its own internal errors:
 *   out of memory, a zip error).
 */
#include "idmap.h"
#include "mem.h"
#include "report.h"
#include "report_strings.h"
#include "waiver.h"

#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <xlsxwriter.h>

enum {
    XL_CELL_MAX = 32767,   /* characters in a cell, Excel's limit */
    XL_NAME_MAX = 31,      /* characters in a sheet name */
    XL_FIT_ROWS = 200,     /* rows whose text sets the column widths */
};
/* The document's creation date: 1980-01-01T00:00:00Z, as the zip entries'. */
#define XL_CREATED ((time_t)315532800)

typedef struct sheet {
    lxw_worksheet *ws;
    const char *title;   /* its name before a continuation's number */
    char **head;         /* the header cells (owned); none for the summary */
    double *width;       /* per column: the widest text seen */
    size_t ncols;
    lxw_row_t row;       /* the next row to write */
    int part;            /* 1; 2, 3, ... for the continuations of a long sheet */
} sheet;

typedef struct xw {
    const report_ctx *r;
    int zh;
    lxw_workbook *wb;
    lxw_format *bold, *rate;
    sheet sh;            /* the sheet being written */
    strbuf cell;         /* a cell's text as composed */
    strbuf safe;         /* the same as written: valid, XML-safe UTF-8 */
    strbuf names;        /* the sheet names used, each NUL-terminated */
    int bad;             /* a write failed or memory ran out */
} xw;

/* ---- text ---- */

/* The length of the valid UTF-8 sequence at s (of n bytes) and its code
 * point in *cp; 0 when s[0] begins none (a stray, overlong or surrogate
 * sequence, or one past U+10FFFF). */
static size_t utf8_next(const unsigned char *s, size_t n, unsigned *cp)
{
    static const unsigned least[5] = {0, 0, 0x80, 0x800, 0x10000};
    unsigned c = s[0];
    if (c < 0x80) {
        *cp = c;
        return 1;
    }
    size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 ? 2 : 0;
    if (!len || c > 0xF4 || len > n)
        return 0;
    unsigned v = c & (0x3Fu >> (len - 1));
    for (size_t i = 1; i < len; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return 0;
        v = v << 6 | (s[i] & 0x3Fu);
    }
    if (v < least[len] || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF))
        return 0;
    *cp = v;
    return len;
}

/* "_x0041_": what Excel reads as an escaped character. */
static int excel_escape_at(const unsigned char *s, size_t n)
{
    if (n < 7 || s[0] != '_' || (s[1] != 'x' && s[1] != 'X') || s[6] != '_')
        return 0;
    for (int i = 2; i < 6; i++)
        if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
            return 0;
    return 1;
}

/* Appends s[0..n) to out as text a workbook may hold (see the invariants
 * at the top), at most max characters (UTF-16 units, as Excel counts). */
static void safe_text(strbuf *out, const char *s, size_t n, size_t max)
{
    static const char repl[] = "\xEF\xBF\xBD"; /* U+FFFD */
    const unsigned char *p = (const unsigned char *)s;
    size_t units = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp = 0;
        size_t len = utf8_next(p + i, n - i, &cp), w = cp >= 0x10000 ? 2 : 1;
        const char *put = (const char *)p + i;
        size_t putlen = len;
        if (!len) {
            put = repl, putlen = 3, len = 1;
        } else if (cp == '\r') {
            put = "\n", putlen = 1;
            len += i + 1 < n && p[i + 1] == '\n';
        } else if ((cp < 0x20 && cp != '\t' && cp != '\n') || cp == 0xFFFE || cp == 0xFFFF) {
            put = repl, putlen = 3;
        } else if (cp == '_' && excel_escape_at(p + i, n - i)) {
            put = "_x005F_", putlen = 7, w = 7;
        }
        if (units + w > max)
            break;
        strbuf_add(out, put, putlen);
        units += w;
        i += len;
    }
}

/* ---- cells of the current row ---- */

static void check(xw *w, lxw_error e)
{
    if (e != LXW_NO_ERROR)
        w->bad = 1;
}

/* The widest text of a column, among the first rows. */
static void fit(xw *w, lxw_col_t col, double width)
{
    if (col < w->sh.ncols && w->sh.row < XL_FIT_ROWS && width > w->sh.width[col])
        w->sh.width[col] = width;
}

static void text_fmt_n(xw *w, lxw_col_t col, const char *s, size_t n, lxw_format *f)
{
    if (!s || !n)
        return;
    strbuf_reset(&w->safe);
    safe_text(&w->safe, s, n, XL_CELL_MAX);
    if (w->safe.oom) {
        w->bad = 1;
        return;
    }
    if (!w->safe.len)
        return;
    fit(w, col, rs_width(w->safe.s) + 2);
    check(w, worksheet_write_string(w->sh.ws, w->sh.row, col, w->safe.s, f));
}

static void text(xw *w, lxw_col_t col, const char *s) { text_fmt_n(w, col, s, s ? strlen(s) : 0, NULL); }
static void bold(xw *w, lxw_col_t col, const char *s) { text_fmt_n(w, col, s, s ? strlen(s) : 0, w->bold); }
/* The text composed in w->cell. */
static void text_cell(xw *w, lxw_col_t col)
{
    if (w->cell.oom)
        w->bad = 1;
    text(w, col, strbuf_str(&w->cell));
}

static void num_fmt(xw *w, lxw_col_t col, double v, lxw_format *f)
{
    if (!isfinite(v))
        return;
    fit(w, col, 10);
    check(w, worksheet_write_number(w->sh.ws, w->sh.row, col, v, f));
}

static void num(xw *w, lxw_col_t col, double v) { num_fmt(w, col, v, NULL); }

/* part of whole in percent, nothing when whole is 0. */
static void rate(xw *w, lxw_col_t col, long part, long whole)
{
    if (whole)
        num_fmt(w, col, report_rate(part, whole), w->rate);
}

/* report_people_rate's rate, nothing without one. */
static void people_rate(xw *w, lxw_col_t col, const claim_tally *t)
{
    double r;
    if (!report_people_rate(t, &r))
        num_fmt(w, col, r, w->rate);
}

/* A value as its type: a number, a boolean, text; an unknown value as the
 * word the other reports give it ("missing", "no value"). */
static void val(xw *w, lxw_col_t col, const value *v)
{
    switch (v->kind) {
    case V_NUM: num(w, col, v->u.num); break;
    case V_BOOL: check(w, worksheet_write_boolean(w->sh.ws, w->sh.row, col, v->u.b, NULL)); break;
    case V_TEXT: text_fmt_n(w, col, v->u.s, v->len, NULL); break;
    case V_UNKNOWN:
        strbuf_reset(&w->cell);
        report_value(&w->cell, v, w->zh);
        text_cell(w, col);
        break;
    }
}

/* ---- sheets ---- */

static int name_used(const xw *w, const char *name)
{
    for (size_t at = 0; at < w->names.len; at += strlen(w->names.s + at) + 1)
        if (!strcasecmp(w->names.s + at, name))
            return 1;
    return 0;
}

/* Appends base as a sheet name may hold it: each of []:*?/\, a control
 * character and a bad byte as '_', at most max characters. */
static void name_text(strbuf *out, const char *base, size_t max)
{
    const unsigned char *p = (const unsigned char *)base;
    size_t n = strlen(base), units = 0;
    for (size_t i = 0; i < n;) {
        unsigned cp = 0;
        size_t len = utf8_next(p + i, n - i, &cp), w = cp >= 0x10000 ? 2 : 1;
        int bad = !len || cp < 0x20 || cp == 0xFFFE || cp == 0xFFFF || (cp < 0x80 && strchr("[]:*?/\\", (int)cp));
        if (units + w > max)
            break;
        if (bad)
            strbuf_putc(out, '_');
        else
            strbuf_add(out, base + i, len);
        units += w;
        i += len ? len : 1;
    }
}

/* A name for part `part` of the sheet called base (" (2)" and on for the
 * continuations, and for a name taken), no longer than Excel allows,
 * without an apostrophe at either end, unique in the workbook. */
static int sheet_name(xw *w, const char *base, int part, strbuf *out)
{
    for (int k = part; k < part + 1000; k++) {
        char suffix[24] = "";
        if (k > 1)
            snprintf(suffix, sizeof suffix, " (%d)", k);
        strbuf_reset(out);
        name_text(out, *base ? base : "Sheet", XL_NAME_MAX - strlen(suffix));
        if (out->len && out->s[0] == '\'')
            out->s[0] = '_';
        if (out->len && out->s[out->len - 1] == '\'')
            out->s[out->len - 1] = '_';
        strbuf_puts(out, suffix);
        if (out->oom)
            return -1;
        if (!name_used(w, out->s) && workbook_validate_sheet_name(w->wb, out->s) == LXW_NO_ERROR) {
            strbuf_add(&w->names, out->s, out->len + 1);
            return w->names.oom ? -1 : 0;
        }
    }
    return -1;
}

/* Adds part w->sh.part of the sheet, with its header row (bold, frozen). */
static int sheet_open(xw *w)
{
    strbuf name = STRBUF_INIT;
    int rc = sheet_name(w, w->sh.title, w->sh.part, &name);
    w->sh.ws = rc ? NULL : workbook_add_worksheet(w->wb, name.s);
    strbuf_free(&name);
    if (!w->sh.ws)
        return w->bad = -1;
    w->sh.row = 0;
    for (size_t c = 0; c < w->sh.ncols; c++) {
        w->sh.width[c] = 8;
        bold(w, (lxw_col_t)c, w->sh.head[c]);
    }
    if (w->sh.ncols) {
        worksheet_freeze_panes(w->sh.ws, 1, 0);
        w->sh.row = 1;
    }
    return w->bad ? -1 : 0;
}

/* Ends the current part: column widths, and the autofilter over the
 * rows written. */
static void sheet_close(xw *w)
{
    sheet *s = &w->sh;
    if (!s->ws)
        return;
    for (size_t c = 0; c < s->ncols; c++)
        check(w, worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, s->width[c] > 60 ? 60 : s->width[c], NULL));
    if (s->ncols)
        check(w, worksheet_autofilter(s->ws, 0, 0, s->row - 1, (lxw_col_t)(s->ncols - 1)));
    s->ws = NULL;
}

/* Starts a sheet called title with the header head[0..ncols) (taken over,
 * freed by sheet_end even on failure); ncols 0: no header, no filter. */
static int sheet_begin(xw *w, const char *title, char **head, size_t ncols)
{
    w->sh = (sheet){NULL, title, head, NULL, ncols, 0, 1};
    w->sh.width = mem_calloc(ncols ? ncols : 1, sizeof *w->sh.width);
    if (!w->sh.width || (ncols && !head))
        return w->bad = -1;
    return sheet_open(w);
}

/* Makes room for one more row: past Excel's last row, a continuation. */
static int row_begin(xw *w)
{
    if (w->bad || !w->sh.ws)
        return -1;
    if (w->sh.row < LXW_ROW_MAX)
        return 0;
    sheet_close(w);
    w->sh.part++;
    return sheet_open(w);
}

static void row_end(xw *w) { w->sh.row++; }

static void sheet_end(xw *w)
{
    sheet_close(w);
    for (size_t c = 0; w->sh.head && c < w->sh.ncols; c++)
        mem_free(w->sh.head[c]);
    mem_free(w->sh.head);
    mem_free(w->sh.width);
    w->sh = (sheet){0};
}

/* ---- headers ---- */

typedef struct cols {
    char **v;
    size_t n, cap;
    int oom;
} cols;

static void col_add(cols *c, const char *s)
{
    char *d = mem_strdup(s ? s : "");
    if (!d || mem_grow(&c->v, &c->cap, c->n + 1, sizeof *c->v)) {
        mem_free(d);
        c->oom = 1;
        return;
    }
    c->v[c->n++] = d;
}

static void col_rs(cols *c, report_string id, int zh) { col_add(c, RS(id, zh)); }

/* "wrong-exit rate (%)". */
static void col_pct(xw *w, cols *c, report_string id)
{
    strbuf_reset(&w->cell);
    rs_printf(&w->cell, RS_X_PERCENT, w->zh, RS(id, w->zh));
    col_add(c, strbuf_str(&w->cell));
    c->oom |= w->cell.oom;
}

/* Starts a sheet called title with header c (taken over, also on
 * failure); more columns than a sheet has is a failure. */
static int sheet_cols(xw *w, const char *title, cols *c)
{
    if (c->oom || c->n > LXW_COL_MAX) {
        for (size_t i = 0; i < c->n; i++)
            mem_free(c->v[i]);
        mem_free(c->v);
        return w->bad = -1;
    }
    return sheet_begin(w, title, c->v, c->n);
}

/* ---- parents' names ---- */

/* The names of a level's units by id, for their children's rows. Upper-
 * level units live as long as the checker, so their names are kept as
 * pointers: memory grows with the parent level (villages), not the rows. */
typedef struct parents {
    idmap *ids;           /* id -> index into names; NULL: no names to give */
    const char **names;
    size_t n, cap;
} parents;

static int parent_put(void *ctx, const unit_rec *u)
{
    parents *p = ctx;
    if (mem_grow(&p->names, &p->cap, p->n + 1, sizeof *p->names))
        return -1;
    long k = idmap_put(p->ids, u->id, strlen(u->id), (long)p->n);
    if (k == -2)
        return -1;
    if (k == -1)
        p->names[p->n++] = u->name;
    return 0;
}

/* The names of lv's parent level, when that level has a name column and
 * its table was read; 0 (with p->ids NULL when there are none) or -1. */
static int parents_open(xw *w, const rule_level *lv, parents *p)
{
    *p = (parents){0};
    if (lv->parent < 0 || lv->parent_key < 0)
        return 0;
    const report_level_facts *pl = &w->r->facts->levels[lv->parent];
    if (pl->level->name < 0 || !pl->stats || pl->stats->unread)
        return 0;
    p->ids = idmap_new();
    if (!p->ids || check_foreach(w->r->c, (size_t)lv->parent, parent_put, p))
        return -1;
    return 0;
}

static const char *parent_name(const parents *p, const char *id)
{
    if (!p->ids || !id)
        return NULL;
    long k = idmap_get(p->ids, id, strlen(id));
    return k >= 0 ? p->names[k] : NULL;
}

static void parents_close(parents *p)
{
    idmap_free(&p->ids);
    mem_free(p->names);
    *p = (parents){0};
}

/* ---- summary ---- */

/* The verdict, exit status, tool, pack and problem count. */
static void summary_head(xw *w)
{
    const report_ctx *r = w->r;
    const report_facts *f = r->facts;
    int zh = w->zh;
    text2 title = rules_title(r->rs);
    strbuf *c = &w->cell;
    strbuf_reset(c);
    strbuf_printf(c, "exitcheck %s %s: %s", EXITCHECK_VERSION, RS(RS_REPORT, zh), report_title(&title, zh));
    bold(w, 0, strbuf_str(c));
    row_end(w);
    bold(w, 0, RS(RS_VERDICT, zh));
    strbuf_reset(c);
    report_verdict_text(c, f, zh);
    text_fmt_n(w, 1, strbuf_str(c), c->len, w->bold);
    row_end(w);
    text(w, 0, RS(RS_EXIT_STATUS, zh));
    num(w, 1, (double)f->status);
    row_end(w);
    text(w, 0, RS(RS_TOOL, zh));
    text(w, 1, "exitcheck");
    text(w, 2, EXITCHECK_VERSION);
    row_end(w);
    text(w, 0, RS(RS_PACK, zh));
    text(w, 1, rules_id(r->rs));
    text(w, 2, rules_version(r->rs));
    row_end(w);
    text(w, 0, RS(RS_PROBLEMS, zh));
    strbuf_reset(c);
    report_problems_count(c, r->d, diag_stored(r->d, DIAG_ERROR) + diag_stored(r->d, DIAG_WARNING), zh);
    text_cell(w, 1);
    strbuf_reset(c);
    report_not_kept_text(c, r->d, zh);
    text_cell(w, 2);
    row_end(w);
    if (f->waivers) {
        text(w, 0, RS(RS_AS_OF, zh));
        strbuf_reset(c);
        report_as_of_text(c, f->waivers, zh);
        text_cell(w, 1);
        row_end(w);
    }
    row_end(w);
}

/* A bold header row of the summary's tables. */
static void summary_header(xw *w, const report_string *ids, size_t n)
{
    for (size_t k = 0; k < n; k++)
        if (ids[k] == RS_WRONG_RATE || ids[k] == RS_WRONG_RATE_PEOPLE) {
            strbuf_reset(&w->cell);
            rs_printf(&w->cell, RS_X_PERCENT, w->zh, RS(ids[k], w->zh));
            bold(w, (lxw_col_t)k, strbuf_str(&w->cell));
        } else {
            bold(w, (lxw_col_t)k, RS(ids[k], w->zh));
        }
    row_end(w);
}

/* Per level: the units by status, this year's exits and their two
 * wrong-exit rates, the earlier exits, orphans (and units by waiver). */
static void summary_levels(xw *w)
{
    const report_facts *f = w->r->facts;
    static const report_string head[] = {
        RS_LEVEL, RS_UNITS, RS_PASS, RS_FAIL, RS_UNKNOWN, RS_WARN, RS_CLAIMED, RS_SUPPORTED, RS_WRONG_EXITS,
        RS_UNSUPPORTED, RS_WRONG_RATE, RS_WRONG_RATE_PEOPLE, RS_EARLIER_EXITS, RS_X_EARLIER_WRONG,
        RS_X_EARLIER_UNSUPPORTED, RS_ORPHANS, RS_BY_WAIVER};
    size_t n = sizeof head / sizeof head[0] - (f->waivers == NULL);
    summary_header(w, head, n);
    for (size_t i = 0; i < f->nlevels; i++) {
        const level_summary *s = f->levels[i].sum;
        const double v[] = {s->units, s->pass, s->fail, s->unknown, s->warn, s->claims.claimed, s->claims.supported,
                            s->claims.wrong, s->claims.unsupported};
        text(w, 0, report_title(&f->levels[i].level->title, w->zh));
        for (size_t k = 0; k < sizeof v / sizeof v[0]; k++)
            num(w, (lxw_col_t)(k + 1), v[k]);
        rate(w, 10, s->claims.wrong, s->claims.claimed);
        people_rate(w, 11, &s->claims);
        num(w, 12, (double)s->earlier.claimed);
        num(w, 13, (double)s->earlier.wrong);
        num(w, 14, (double)s->earlier.unsupported);
        num(w, 15, (double)s->orphans);
        if (f->waivers)
            num(w, 16, (double)s->by_waiver);
        row_end(w);
    }
    row_end(w);
}

/* Per target with a unit not meeting it: the counts, as the text report's
 * "Targets not met". */
static void summary_targets(xw *w)
{
    const report_facts *f = w->r->facts;
    static const report_string head[] = {RS_LEVEL, RS_TARGET, RS_NAME, RS_NOT_MET, RS_UNKNOWN, RS_WARN, RS_WAIVED};
    summary_header(w, head, sizeof head / sizeof head[0] - (f->waivers == NULL));
    for (size_t i = 0; i < f->nlevels; i++) {
        const rule_level *lv = f->levels[i].level;
        const level_summary *s = f->levels[i].sum;
        for (size_t t = 0; t < lv->ntargets; t++) {
            if (!s->target_fail[t] && !s->target_unknown[t] && !s->target_warn[t] && !s->target_waived[t])
                continue;
            text(w, 0, report_title(&lv->title, w->zh));
            text(w, 1, lv->targets[t].id);
            text(w, 2, report_title(&lv->targets[t].title, w->zh));
            num(w, 3, (double)s->target_fail[t]);
            num(w, 4, (double)s->target_unknown[t]);
            num(w, 5, (double)s->target_warn[t]);
            if (f->waivers)
                num(w, 6, (double)s->target_waived[t]);
            row_end(w);
        }
    }
    row_end(w);
}

/* Every parameter a target reads: its value for each data year and where
 * the value comes from (confirmed, UNVERIFIED, --param, NO VALUE). */
static void summary_params(xw *w)
{
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    static const report_string head[] = {RS_PARAM, RS_PARAM_UNIT, RS_YEAR, RS_VALUE, RS_X_ORIGIN, RS_SOURCE,
                                         RS_X_UNITS_MISSING};
    summary_header(w, head, sizeof head / sizeof head[0]);
    for (size_t i = 0; i < f->nparams; i++) {
        const rule_param *p = f->params[i].param;
        if (!p->used)
            continue;
        if (p->overridden || !f->nyears) {
            text(w, 0, p->id);
            text(w, 1, p->unit);
            if (p->overridden) {
                num(w, 3, p->override);
                text(w, 4, RS(RS_GIVEN_BY_PARAM, zh));
            } else {
                text(w, 2, RS(RS_NO_YEAR, zh));
            }
            row_end(w);
            continue;
        }
        for (size_t y = 0; y < f->nyears; y++) {
            const report_param_year *py = &f->params[i].years[y];
            static const report_string origin[] = {[PARAM_CONFIRMED] = RS_X_CONFIRMED,
                                                   [PARAM_UNVERIFIED] = RS_UNVERIFIED,
                                                   [PARAM_OVERRIDDEN] = RS_GIVEN_BY_PARAM,
                                                   [PARAM_NO_VALUE] = RS_NO_VALUE};
            text(w, 0, p->id);
            text(w, 1, p->unit);
            num(w, 2, py->year);
            if (py->origin != PARAM_NO_VALUE)
                val(w, 3, &py->v);
            text(w, 4, RS(origin[py->origin], zh));
            text(w, 5, py->entry ? py->entry->source : NULL);
            num(w, 6, (double)py->units_missing);
            row_end(w);
        }
    }
    row_end(w);
}

/* Every table read (and the waiver file): path, encoding, rows, digest;
 * then the rule files. */
static void summary_inputs(xw *w)
{
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    const char *head[] = {RS(RS_LEVEL, zh),    RS(RS_FILE, zh),     RS(RS_ENCODING, zh),
                          RS(RS_ROWS_READ, zh), RS(RS_EVALUATED, zh), RS(RS_REJECTED, zh),
                          RS(RS_X_CELL_ERRORS, zh), "SHA-256",        RS(RS_X_REJECTED_BY, zh)};
    bold(w, 0, RS(RS_INPUTS, zh));
    row_end(w);
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        bold(w, (lxw_col_t)k, head[k]);
    row_end(w);
    for (size_t i = 0; i < f->nlevels; i++) {
        const table_stats *st = f->levels[i].stats;
        if (!st)
            continue;
        text(w, 0, report_title(&f->levels[i].level->title, zh));
        text(w, 1, f->levels[i].path);
        text(w, 2, report_tr(st->encoding, zh));
        num(w, 3, (double)st->rows_read);
        num(w, 4, (double)f->levels[i].sum->units);
        num(w, 5, (double)st->rows_rejected);
        num(w, 6, (double)st->cell_errors);
        text(w, 7, st->sha256);
        strbuf_reset(&w->cell);
        for (int j = 0; j < REJECT__COUNT; j++)
            if (st->rejected[j])
                strbuf_printf(&w->cell, "%s%s: %ld", w->cell.len ? "; " : "", report_tr(reject_names[j], zh),
                              st->rejected[j]);
        text_cell(w, 8);
        row_end(w);
    }
    const table_stats *ws = f->waivers ? waivers_stats(f->waivers) : NULL;
    if (f->waivers) {
        text(w, 0, RS(RS_WAIVER_FILE, zh));
        text(w, 1, waivers_path(f->waivers));
        if (ws) {
            text(w, 2, report_tr(ws->encoding, zh));
            num(w, 3, (double)ws->rows_read);
            num(w, 5, (double)ws->rows_rejected);
            text(w, 7, ws->sha256);
        }
        row_end(w);
    }
    row_end(w);
    bold(w, 0, RS(RS_RULE_FILES, zh));
    bold(w, 1, RS(RS_FILE, zh));
    bold(w, 7, "SHA-256");
    row_end(w);
    for (size_t i = 0; i < rules_nfiles(w->r->rs); i++) {
        const rule_file *rf = rules_file(w->r->rs, i);
        text(w, 1, rf->path);
        text(w, 7, rf->sha256);
        row_end(w);
    }
}

static int summary_sheet(xw *w)
{
    if (sheet_begin(w, RS(RS_X_SUMMARY, w->zh), NULL, 0))
        return -1;
    summary_head(w);
    summary_levels(w);
    summary_targets(w);
    summary_params(w);
    summary_inputs(w);
    /* the summary's columns: labels, then numbers and paths */
    check(w, worksheet_set_column(w->sh.ws, 0, 0, 26, NULL));
    check(w, worksheet_set_column(w->sh.ws, 1, 6, 14, NULL));
    check(w, worksheet_set_column(w->sh.ws, 7, 7, 66, NULL));
    check(w, worksheet_set_column(w->sh.ws, 8, 16, 14, NULL));
    sheet_end(w);
    return w->bad ? -1 : 0;
}

/* ---- a sheet per level ---- */

typedef struct level_sheet {
    xw *w;
    const rule_level *lv;
    parents par;
    int name, parent, pname;  /* the level has these columns */
    int *obs;                 /* the slots its targets read, in order of first use */
    size_t nobs;
} level_sheet;

/* A target's status as the other reports word it. */
static const char *target_word(unit_status st, int zh)
{
    switch (st) {
    case ST_PASS: return RS(RS_X_MET, zh);
    case ST_FAIL: return RS(RS_NOT_MET, zh);
    case ST_UNKNOWN: return RS(RS_UNKNOWN, zh);
    case ST_WARN: return RS(RS_WARN, zh);
    case ST_WAIVED: return RS(RS_WAIVED, zh);
    }
    return "";
}

/* The slots lv's targets read, each once. */
static int observed_slots(level_sheet *ls)
{
    const rule_level *lv = ls->lv;
    size_t cap = 0;
    for (size_t t = 0; t < lv->ntargets; t++) {
        const int *refs;
        size_t n = expr_refs(lv->targets[t].e, &refs);
        for (size_t k = 0; k < n; k++) {
            int dup = 0;
            for (size_t j = 0; j < ls->nobs && !dup; j++)
                dup = ls->obs[j] == refs[k];
            if (dup)
                continue;
            if (mem_grow(&ls->obs, &cap, ls->nobs + 1, sizeof *ls->obs))
                return -1;
            ls->obs[ls->nobs++] = refs[k];
        }
    }
    return 0;
}

/* The identifying columns a unit row of lv begins with: id, name, parent
 * id, parent name (each where the level has it), line. */
static void id_cols(xw *w, level_sheet *ls, cols *c)
{
    const rule_level *lv = ls->lv;
    int zh = w->zh;
    col_rs(c, RS_ID, zh);
    if (ls->name)
        col_rs(c, RS_NAME, zh);
    if (ls->parent) {
        const char *pt = report_title(&rules_level(w->r->rs, (size_t)lv->parent)->title, zh);
        strbuf_reset(&w->cell);
        rs_printf(&w->cell, RS_X_PARENT_ID, zh, pt);
        col_add(c, strbuf_str(&w->cell));
        if (ls->pname) {
            strbuf_reset(&w->cell);
            rs_printf(&w->cell, RS_X_PARENT_NAME, zh, pt);
            col_add(c, strbuf_str(&w->cell));
        }
    }
    c->oom |= w->cell.oom;
    col_rs(c, RS_LINE, zh);
}

/* Writes id_cols' cells of u from column 0; returns the next column. */
static lxw_col_t id_cells(xw *w, const level_sheet *ls, const unit_rec *u)
{
    lxw_col_t col = 0;
    text(w, col++, u->id);
    if (ls->name)
        text(w, col++, u->name);
    if (ls->parent) {
        text(w, col++, u->parent);
        if (ls->pname)
            text(w, col++, parent_name(&ls->par, u->parent));
    }
    num(w, col++, (double)u->line);
    return col;
}

static int level_row(void *ctx, const unit_rec *u)
{
    level_sheet *ls = ctx;
    xw *w = ls->w;
    const rule_level *lv = ls->lv;
    if (row_begin(w))
        return -1;
    lxw_col_t col = id_cells(w, ls, u);
    text(w, col++, report_status_word(u->status, w->zh));
    text(w, col++, report_exit_word(u, w->zh));
    strbuf_reset(&w->cell);
    report_exit_when(&w->cell, u, w->zh);
    text_cell(w, col++);
    if (lv->child >= 0) {
        const claim_tally *t = &u->below.leaf_claims;
        num(w, col++, (double)u->below.children);
        num(w, col++, (double)t->claimed);
        num(w, col++, (double)t->wrong);
        rate(w, col++, t->wrong, t->claimed);
        people_rate(w, col++, t);
    }
    for (size_t i = 0; i < lv->ntargets; i++)
        text(w, col++, target_word((unit_status)u->tstatus[i], w->zh));
    for (size_t k = 0; k < ls->nobs; k++)
        val(w, col++, &u->slots[ls->obs[k]]);
    row_end(w);
    return w->bad ? -1 : 0;
}

static int level_sheet_write(xw *w, size_t i)
{
    const rule_level *lv = w->r->facts->levels[i].level;
    int zh = w->zh;
    level_sheet ls = {w, lv, {0}, lv->name >= 0, lv->parent >= 0 && lv->parent_key >= 0, 0, NULL, 0};
    int rc = parents_open(w, lv, &ls.par) || observed_slots(&ls) ? -1 : 0;
    ls.pname = ls.par.ids != NULL;
    cols c = {0};
    id_cols(w, &ls, &c);
    col_rs(&c, RS_STATUS, zh);
    col_rs(&c, RS_CLAIM, zh);
    col_rs(&c, RS_EXIT, zh);
    if (lv->child >= 0) {
        col_rs(&c, RS_X_CHILDREN, zh);
        col_rs(&c, RS_X_CLAIMS_BELOW, zh);
        col_rs(&c, RS_X_WRONG_BELOW, zh);
        col_pct(w, &c, RS_WRONG_RATE);
        col_pct(w, &c, RS_WRONG_RATE_PEOPLE);
    }
    for (size_t t = 0; t < lv->ntargets; t++)
        col_add(&c, lv->targets[t].id);
    for (size_t k = 0; k < ls.nobs; k++)
        col_add(&c, rules_slot_name(w->r->rs, lv, ls.obs[k]));
    c.oom |= rc;
    const char *title = report_title(&lv->title, zh);
    if (sheet_cols(w, *title ? title : lv->id, &c) == 0 && check_foreach(w->r->c, i, level_row, &ls))
        w->bad = 1;
    sheet_end(w);
    parents_close(&ls.par);
    mem_free(ls.obs);
    return w->bad ? -1 : 0;
}

/* ---- the exits that do not hold ---- */

typedef struct exits_ctx {
    xw *w;
    const char *level;     /* the level's title */
    parents par;
} exits_ctx;

/* The ids of u's targets of status st, space-separated, in w->cell. */
static void target_ids(xw *w, const unit_rec *u, unit_status st)
{
    strbuf_reset(&w->cell);
    for (size_t i = 0; i < u->level->ntargets; i++)
        if (u->tstatus[i] == st) {
            strbuf_puts(&w->cell, w->cell.len ? " " : "");
            strbuf_puts(&w->cell, u->level->targets[i].id);
        }
}

static int exits_row(void *ctx, const unit_rec *u)
{
    exits_ctx *ec = ctx;
    xw *w = ec->w;
    if (u->claim != CLAIM_WRONG && u->claim != CLAIM_UNSUPPORTED)
        return 0;
    if (row_begin(w))
        return -1;
    text(w, 0, ec->level);
    text(w, 1, u->id);
    text(w, 2, u->name);
    text(w, 3, u->parent);
    text(w, 4, parent_name(&ec->par, u->parent));
    num(w, 5, (double)u->line);
    text(w, 6, report_exit_word(u, w->zh));
    strbuf_reset(&w->cell);
    report_exit_when(&w->cell, u, w->zh);
    text_cell(w, 7);
    target_ids(w, u, ST_FAIL);
    text_cell(w, 8);
    target_ids(w, u, ST_UNKNOWN);
    text_cell(w, 9);
    row_end(w);
    return w->bad ? -1 : 0;
}

/* Every wrong or unsupported exit, this year's and earlier, level by
 * level in input order. */
static int exits_sheet(xw *w)
{
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    static const report_string head[] = {RS_LEVEL, RS_ID, RS_NAME, RS_X_ANY_PARENT_ID, RS_X_ANY_PARENT_NAME,
                                         RS_LINE, RS_CLAIM, RS_EXIT, RS_X_TARGETS_NOT_MET, RS_X_TARGETS_UNKNOWN};
    cols c = {0};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        col_rs(&c, head[k], zh);
    if (sheet_cols(w, RS(RS_X_EXITS, zh), &c))
        return -1;
    for (size_t i = 0; i < f->nlevels && !w->bad; i++) {
        const report_level_facts *l = &f->levels[i];
        if (!l->bad_claims && !l->earlier_bad)
            continue;
        exits_ctx ec = {w, report_title(&l->level->title, zh), {0}};
        if (parents_open(w, l->level, &ec.par) || check_foreach_ids(w->r->c, i, exits_row, &ec))
            w->bad = 1;
        parents_close(&ec.par);
    }
    sheet_end(w);
    return w->bad ? -1 : 0;
}

/* ---- figures reported and recomputed ---- */

typedef struct figures_ctx {
    xw *w;
    const char *level;
} figures_ctx;

static int figures_rows(void *ctx, const unit_rec *u)
{
    figures_ctx *fc = ctx;
    xw *w = fc->w;
    const rule_level *lv = u->level;
    for (size_t i = 0; i < lv->nrecompute; i++) {
        if (!u->applied[i])
            continue;
        const rule_recompute *rc = &lv->recompute[i];
        const value *rep = &u->reported[i], *got = &u->slots[rc->indicator];
        if (row_begin(w))
            return -1;
        text(w, 0, fc->level);
        text(w, 1, u->id);
        text(w, 2, u->name);
        text(w, 3, lv->ind[rc->indicator].id);
        val(w, 4, rep);
        val(w, 5, got);
        if (rep->kind == V_NUM && got->kind == V_NUM)
            num(w, 6, got->u.num - rep->u.num);
        num(w, 7, rc->tolerance);
        if (u->differs[i])
            text(w, 8, RS(RS_DIFFERS, w->zh));
        row_end(w);
    }
    return w->bad ? -1 : 0;
}

/* Each figure an upper-level unit reports that was recomputed from its
 * child data: as reported, as recomputed, the difference, the tolerance,
 * and whether it differs beyond it. */
static int figures_sheet(xw *w)
{
    const report_facts *f = w->r->facts;
    int zh = w->zh;
    static const report_string head[] = {RS_LEVEL,      RS_ID,           RS_NAME,      RS_X_FIGURE, RS_REPORTED,
                                         RS_RECOMPUTED, RS_X_DIFFERENCE, RS_TOLERANCE, RS_DIFFERS};
    cols c = {0};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        col_rs(&c, head[k], zh);
    if (sheet_cols(w, RS(RS_X_FIGURES, zh), &c))
        return -1;
    for (size_t i = 0; i < f->nlevels && !w->bad; i++) {
        const rule_level *lv = f->levels[i].level;
        if (lv->child < 0 || !lv->nrecompute || !f->levels[i].stats)
            continue;
        figures_ctx fc = {w, report_title(&lv->title, zh)};
        if (check_foreach(w->r->c, i, figures_rows, &fc))
            w->bad = 1;
    }
    sheet_end(w);
    return w->bad ? -1 : 0;
}

/* ---- problems ---- */

/* Every diagnostic kept, in the order kept: severity, file, line, column,
 * the sheet and cell of a workbook input, and the message. */
static int problems_sheet(xw *w)
{
    const diag_list *d = w->r->d;
    int zh = w->zh;
    static const report_string head[] = {RS_SEVERITY, RS_FILE,   RS_LINE,   RS_X_COLUMN,
                                         RS_X_SHEET,  RS_X_CELL, RS_MESSAGE};
    cols c = {0};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        col_rs(&c, head[k], zh);
    if (sheet_cols(w, RS(RS_X_PROBLEMS, zh), &c))
        return -1;
    for (size_t i = 0; i < diag_count(d) && !row_begin(w); i++) {
        const diag_entry *e = diag_get(d, i);
        char cell[24];
        text(w, 0, report_tr(diag_severity_name(e->severity), zh));
        text(w, 1, e->file);
        if (e->line > 0)
            num(w, 2, (double)e->line);
        if (e->column > 0)
            num(w, 3, (double)e->column);
        text(w, 4, e->sheet);
        if (e->sheet)
            text(w, 5, diag_cell_name(e->line, e->column, cell));
        text(w, 6, e->message);
        row_end(w);
    }
    sheet_end(w);
    return w->bad ? -1 : 0;
}

/* ---- the workbook ---- */

/* Whether the level sheets may pass 4 GB of XML (about 64 bytes a cell,
 * generously): then the zip needs ZIP64, which a smaller file need not
 * carry. */
static int needs_zip64(const report_ctx *r)
{
    double bytes = 0;
    for (size_t i = 0; i < r->facts->nlevels; i++) {
        const rule_level *lv = r->facts->levels[i].level;
        double ncols = 16.0 + (double)lv->ntargets + (double)lv->nslots;
        bytes += (double)r->facts->levels[i].sum->units * ncols * 64.0;
    }
    return bytes > 3.5e9;
}

/* Writes the workbook to path, its temporary files in dir. */
static int write_book(xw *w, const char *path, const char *dir)
{
    const report_ctx *r = w->r;
    lxw_workbook_options opt = {LXW_TRUE, (char *)dir, (uint8_t)needs_zip64(r)};
    w->wb = workbook_new_opt(path, &opt);
    if (!w->wb)
        return -1;
    text2 title = rules_title(r->rs);
    strbuf_reset(&w->cell);
    strbuf_printf(&w->cell, "exitcheck %s: %s", RS(RS_REPORT, w->zh), report_title(&title, w->zh));
    strbuf_reset(&w->safe);
    safe_text(&w->safe, strbuf_str(&w->cell), w->cell.len, 255);
    lxw_doc_properties props = {0};
    props.title = w->safe.oom ? NULL : w->safe.s;
    props.created = XL_CREATED;
    check(w, workbook_set_properties(w->wb, &props));
    w->bold = workbook_add_format(w->wb);
    w->rate = workbook_add_format(w->wb);
    if (!w->bold || !w->rate)
        w->bad = 1;
    else {
        format_set_bold(w->bold);
        format_set_num_format(w->rate, "0.00");
    }
    if (!w->bad && summary_sheet(w) == 0)
        for (size_t i = 0; i < r->facts->nlevels && !w->bad; i++)
            if (r->facts->levels[i].stats)
                level_sheet_write(w, i);
    if (!w->bad && exits_sheet(w) == 0 && figures_sheet(w) == 0)
        problems_sheet(w);
    sheet_end(w); /* after a failure: the sheet it left open */
    if (w->cell.oom || w->safe.oom || w->names.oom) /* sticky: any text cut short */
        w->bad = 1;
    /* closing also frees the workbook, so it is closed on failure too */
    if (workbook_close(w->wb) != LXW_NO_ERROR)
        w->bad = 1;
    w->wb = NULL;
    return w->bad ? -1 : 0;
}

/* Copies the workbook in the file open at fd to out: a file that does not
 * begin as a zip archive does is a failure (a workbook_close that did not
 * write, say), never an empty report. */
static int copy_out(int fd, FILE *out)
{
    char buf[65536];
    if (lseek(fd, 0, SEEK_SET) != 0)
        return -1;
    for (int first = 1;;) {
        ssize_t n = read(fd, buf, sizeof buf);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            return -1;
        if (first && (n < 4 || memcmp(buf, "PK\x03\x04", 4) != 0)) {
            errno = EIO;
            return -1;
        }
        first = 0;
        if (n == 0)
            return 0;
        if (fwrite(buf, 1, (size_t)n, out) != (size_t)n)
            return -1;
    }
}

int report_xlsx(const report_ctx *r, FILE *out)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    strbuf path = STRBUF_INIT;
    strbuf_printf(&path, "%s/exitcheck-xlsx-XXXXXX", dir);
    int fd = path.oom ? -1 : mkstemp(path.s);
    if (fd < 0) {
        if (path.oom)
            errno = ENOMEM;
        strbuf_free(&path);
        return -1;
    }
    xw w = {r, r->opts.zh, NULL, NULL, NULL, {0}, STRBUF_INIT, STRBUF_INIT, STRBUF_INIT, 0};
    int rc = write_book(&w, path.s, dir);
    int err = errno;
    unlink(path.s); /* the open descriptor keeps what was written */
    if (rc == 0)
        rc = copy_out(fd, out);
    else
        errno = err ? err : EIO;
    close(fd);
    strbuf_free(&path);
    strbuf_free(&w.cell);
    strbuf_free(&w.safe);
    strbuf_free(&w.names);
    return rc;
}
