/*
 * report_xlsx_book.c - the Excel workbook the -f xlsx reports share
 * (report_xlsx.h): a temporary file written by libxlsxwriter in
 * constant-memory mode, text made safe, sheets with a bold frozen header
 * and an autofilter, continuations past Excel's last row, the problems
 * sheet, and the copy to the report's stream.
 *
 * Invariants: those of report_xlsx.h. Besides: the formats are created
 * when the book is opened, bold then the percentage's, and nothing else
 * is added to the workbook but what a writer asks for, so that a writer
 * making the same calls gets the same bytes; a failure is sticky (b->bad)
 * and every call after it does nothing.
 */
#include "report_xlsx.h"
#include "mem.h"
#include "report.h"
#include "report_strings.h"
#include "strbuf.h"

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
    char *title;         /* its name before a continuation's number (owned) */
    char **head;         /* the header cells (owned); none for a free-form sheet */
    double *width;       /* per column: the widest text seen */
    size_t ncols;
    lxw_row_t row;       /* the next row to write */
    int part;            /* 1; 2, 3, ... for the continuations of a long sheet */
} sheet;

struct xlsx_book {
    lxw_workbook *wb;
    lxw_format *bold, *rate;
    sheet sh;            /* the sheet being written */
    char **next;         /* the header of the next sheet, as given */
    size_t nnext, capnext;
    strbuf safe;         /* a cell's text as written: valid, XML-safe UTF-8 */
    strbuf names;        /* the sheet names used, each NUL-terminated */
    strbuf path;         /* the temporary file */
    int fd;
    int bad;             /* a write failed or memory ran out */
};

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
 * in report_xlsx.h), at most max characters (UTF-16 units, as Excel
 * counts). */
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

static void check(xlsx_book *b, lxw_error e)
{
    if (e != LXW_NO_ERROR)
        b->bad = 1;
}

void xlsx_fail(xlsx_book *b) { b->bad = 1; }
int xlsx_bad(const xlsx_book *b) { return b->bad != 0; }

/* The widest text of a column, among the first rows. */
static void fit(xlsx_book *b, lxw_col_t col, double width)
{
    if (col < b->sh.ncols && b->sh.row < XL_FIT_ROWS && width > b->sh.width[col])
        b->sh.width[col] = width;
}

static void text_fmt_n(xlsx_book *b, lxw_col_t col, const char *s, size_t n, lxw_format *f)
{
    if (!s || !n || b->bad || !b->sh.ws)
        return;
    strbuf_reset(&b->safe);
    safe_text(&b->safe, s, n, XL_CELL_MAX);
    if (b->safe.oom) {
        b->bad = 1;
        return;
    }
    if (!b->safe.len)
        return;
    fit(b, col, rs_width(b->safe.s) + 2);
    check(b, worksheet_write_string(b->sh.ws, b->sh.row, col, b->safe.s, f));
}

void xlsx_text_n(xlsx_book *b, xlsx_col col, const char *s, size_t n) { text_fmt_n(b, col, s, n, NULL); }
void xlsx_text(xlsx_book *b, xlsx_col col, const char *s) { text_fmt_n(b, col, s, s ? strlen(s) : 0, NULL); }
void xlsx_bold(xlsx_book *b, xlsx_col col, const char *s) { text_fmt_n(b, col, s, s ? strlen(s) : 0, b->bold); }

static void num_fmt(xlsx_book *b, lxw_col_t col, double v, lxw_format *f)
{
    if (!isfinite(v) || b->bad || !b->sh.ws)
        return;
    fit(b, col, 10);
    check(b, worksheet_write_number(b->sh.ws, b->sh.row, col, v, f));
}

void xlsx_num(xlsx_book *b, xlsx_col col, double v) { num_fmt(b, col, v, NULL); }
void xlsx_pct(xlsx_book *b, xlsx_col col, double v) { num_fmt(b, col, v, b->rate); }

void xlsx_bool(xlsx_book *b, xlsx_col col, int v)
{
    if (!b->bad && b->sh.ws)
        check(b, worksheet_write_boolean(b->sh.ws, b->sh.row, col, v != 0, NULL));
}

void xlsx_widths(xlsx_book *b, xlsx_col first, xlsx_col last, double width)
{
    if (!b->bad && b->sh.ws)
        check(b, worksheet_set_column(b->sh.ws, first, last, width, NULL));
}

/* ---- sheets ---- */

static int name_used(const xlsx_book *b, const char *name)
{
    for (size_t at = 0; at < b->names.len; at += strlen(b->names.s + at) + 1)
        if (!strcasecmp(b->names.s + at, name))
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
static int sheet_name(xlsx_book *b, const char *base, int part, strbuf *out)
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
        if (!name_used(b, out->s) && workbook_validate_sheet_name(b->wb, out->s) == LXW_NO_ERROR) {
            strbuf_add(&b->names, out->s, out->len + 1);
            return b->names.oom ? -1 : 0;
        }
    }
    return -1;
}

/* Adds part b->sh.part of the sheet, with its header row (bold, frozen). */
static int sheet_open(xlsx_book *b)
{
    strbuf name = STRBUF_INIT;
    int rc = sheet_name(b, b->sh.title, b->sh.part, &name);
    b->sh.ws = rc ? NULL : workbook_add_worksheet(b->wb, name.s);
    strbuf_free(&name);
    if (!b->sh.ws)
        return b->bad = -1;
    b->sh.row = 0;
    for (size_t c = 0; c < b->sh.ncols; c++) {
        b->sh.width[c] = 8;
        xlsx_bold(b, (xlsx_col)c, b->sh.head[c]);
    }
    if (b->sh.ncols) {
        worksheet_freeze_panes(b->sh.ws, 1, 0);
        b->sh.row = 1;
    }
    return b->bad ? -1 : 0;
}

/* Ends the current part: column widths, and the autofilter over the
 * rows written. */
static void sheet_close(xlsx_book *b)
{
    sheet *s = &b->sh;
    if (!s->ws)
        return;
    for (size_t c = 0; c < s->ncols; c++)
        check(b, worksheet_set_column(s->ws, (lxw_col_t)c, (lxw_col_t)c, s->width[c] > 60 ? 60 : s->width[c], NULL));
    if (s->ncols)
        check(b, worksheet_autofilter(s->ws, 0, 0, s->row - 1, (lxw_col_t)(s->ncols - 1)));
    s->ws = NULL;
}

void xlsx_sheet_end(xlsx_book *b)
{
    sheet_close(b);
    for (size_t c = 0; b->sh.head && c < b->sh.ncols; c++)
        mem_free(b->sh.head[c]);
    mem_free(b->sh.head);
    mem_free(b->sh.width);
    mem_free(b->sh.title);
    b->sh = (sheet){0};
}

void xlsx_head(xlsx_book *b, const char *s)
{
    char *d = mem_strdup(s ? s : "");
    if (!d || mem_grow(&b->next, &b->capnext, b->nnext + 1, sizeof *b->next)) {
        mem_free(d);
        b->bad = 1;
        return;
    }
    b->next[b->nnext++] = d;
}

int xlsx_sheet(xlsx_book *b, const char *title)
{
    xlsx_sheet_end(b);
    size_t ncols = b->nnext;
    b->sh = (sheet){NULL, mem_strdup(title ? title : ""), b->next, NULL, ncols, 0, 1};
    b->next = NULL, b->nnext = b->capnext = 0; /* taken over, freed by xlsx_sheet_end */
    b->sh.width = mem_calloc(ncols ? ncols : 1, sizeof *b->sh.width);
    if (!b->sh.width || !b->sh.title || ncols > LXW_COL_MAX)
        b->bad = 1;
    if (b->bad)
        return -1;
    return sheet_open(b);
}

int xlsx_row(xlsx_book *b)
{
    if (b->bad || !b->sh.ws)
        return -1;
    if (b->sh.row < LXW_ROW_MAX)
        return 0;
    sheet_close(b);
    b->sh.part++;
    return sheet_open(b);
}

void xlsx_row_end(xlsx_book *b) { b->sh.row++; }

/* ---- problems ---- */

int xlsx_problems(xlsx_book *b, const diag_list *d, int zh)
{
    static const report_string head[] = {RS_SEVERITY, RS_FILE,   RS_LINE,   RS_X_COLUMN,
                                         RS_X_SHEET,  RS_X_CELL, RS_MESSAGE};
    for (size_t k = 0; k < sizeof head / sizeof head[0]; k++)
        xlsx_head(b, RS(head[k], zh));
    if (xlsx_sheet(b, RS(RS_X_PROBLEMS, zh)))
        return -1;
    for (size_t i = 0; i < diag_count(d) && !xlsx_row(b); i++) {
        const diag_entry *e = diag_get(d, i);
        char cell[24];
        xlsx_text(b, 0, report_tr(diag_severity_name(e->severity), zh));
        xlsx_text(b, 1, e->file);
        if (e->line > 0)
            xlsx_num(b, 2, (double)e->line);
        if (e->column > 0)
            xlsx_num(b, 3, (double)e->column);
        xlsx_text(b, 4, e->sheet);
        if (e->sheet)
            xlsx_text(b, 5, diag_cell_name(e->line, e->column, cell));
        xlsx_text(b, 6, e->message);
        xlsx_row_end(b);
    }
    xlsx_sheet_end(b);
    return b->bad ? -1 : 0;
}

/* ---- the workbook ---- */

/* The workbook in its temporary file, its properties and formats. */
static int book_start(xlsx_book *b, const char *dir, const char *title, int zip64)
{
    lxw_workbook_options opt = {LXW_TRUE, (char *)dir, (uint8_t)(zip64 != 0)};
    b->wb = workbook_new_opt(b->path.s, &opt);
    if (!b->wb)
        return -1;
    strbuf_reset(&b->safe);
    safe_text(&b->safe, title ? title : "", title ? strlen(title) : 0, 255);
    lxw_doc_properties props = {0};
    props.title = b->safe.oom ? NULL : b->safe.s;
    props.created = XL_CREATED;
    check(b, workbook_set_properties(b->wb, &props));
    b->bold = workbook_add_format(b->wb);
    b->rate = workbook_add_format(b->wb);
    if (!b->bold || !b->rate) {
        b->bad = 1;
    } else {
        format_set_bold(b->bold);
        format_set_num_format(b->rate, "0.00");
    }
    return 0;
}

static void book_free(xlsx_book *b)
{
    xlsx_sheet_end(b);
    for (size_t i = 0; i < b->nnext; i++)
        mem_free(b->next[i]);
    mem_free(b->next);
    strbuf_free(&b->safe);
    strbuf_free(&b->names);
    strbuf_free(&b->path);
    mem_free(b);
}

xlsx_book *xlsx_open(const char *title, int zip64)
{
    const char *dir = getenv("TMPDIR");
    if (!dir || !*dir)
        dir = "/tmp";
    xlsx_book *b = mem_calloc(1, sizeof *b);
    if (!b) {
        errno = ENOMEM;
        return NULL;
    }
    b->safe = b->names = b->path = (strbuf)STRBUF_INIT;
    strbuf_printf(&b->path, "%s/exitcheck-xlsx-XXXXXX", dir);
    b->fd = b->path.oom ? -1 : mkstemp(b->path.s);
    if (b->fd < 0) {
        if (b->path.oom)
            errno = ENOMEM;
        book_free(b);
        return NULL;
    }
    if (book_start(b, dir, title, zip64)) {
        int err = errno;
        unlink(b->path.s);
        close(b->fd);
        book_free(b);
        errno = err ? err : EIO;
        return NULL;
    }
    return b;
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

int xlsx_close(xlsx_book **bp, FILE *out)
{
    xlsx_book *b = *bp;
    if (!b)
        return -1;
    *bp = NULL;
    xlsx_sheet_end(b); /* after a failure: the sheet it left open */
    if (b->safe.oom || b->names.oom) /* sticky: any text cut short */
        b->bad = 1;
    /* closing also frees the workbook, so it is closed on failure too */
    if (workbook_close(b->wb) != LXW_NO_ERROR)
        b->bad = 1;
    b->wb = NULL;
    int rc = b->bad ? -1 : 0, err = errno;
    unlink(b->path.s); /* the open descriptor keeps what was written */
    if (rc == 0)
        rc = copy_out(b->fd, out);
    else
        errno = err ? err : EIO;
    close(b->fd);
    book_free(b);
    return rc;
}

void xlsx_tool_and_pack(xlsx_book *b, const ruleset *rs, int zh)
{
    xlsx_text(b, 0, RS(RS_TOOL, zh));
    xlsx_text(b, 1, "exitcheck");
    xlsx_text(b, 2, EXITCHECK_VERSION);
    xlsx_row_end(b);
    xlsx_text(b, 0, RS(RS_PACK, zh));
    xlsx_text(b, 1, rules_id(rs));
    xlsx_text(b, 2, rules_version(rs));
    xlsx_row_end(b);
}

void xlsx_rule_files(xlsx_book *b, const ruleset *rs, int zh)
{
    for (size_t i = 0; i < rules_nfiles(rs); i++) {
        xlsx_text(b, 0, RS(RS_RULE_FILES, zh));
        xlsx_text(b, 1, rules_file(rs, i)->path);
        xlsx_text(b, 9, rules_file(rs, i)->sha256);
        xlsx_row_end(b);
    }
}
