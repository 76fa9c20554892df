/*
 * book.c - an .xlsx worksheet -> CSV lines (see book.h).
 *
 * Parts are found the way the format says: _rels/.rels names the
 * workbook part, its relationships name the sheets, the styles and the
 * shared strings (paths resolved against the workbook's folder). Every
 * part goes through one expat walk (walk_part / struct walk) that refuses
 * DOCTYPEs and entity declarations, bounds nesting and counts the bytes
 * libzip inflates against the entry's declared size and the ratio limit.
 * The sheet's walk stays open: book_next feeds it a block at a time
 * and hands out the CSV lines its rows made.
 *
 * Invariants: out[out_pos, out.len) is CSV text not yet handed out; rows
 * are appended whole; `line` counts the line ends written, so that the
 * next row R is preceded by R - 1 - line blank lines. After a fatal
 * problem `failed` is set: what is in `out` is handed out, then -1.
 */
#include "book.h"
#include "digest.h"
#include "mem.h"
#include "strbuf.h"
#include "table.h"

#include <errno.h>
#include <expat.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <zip.h>

enum { BLOCK = 64 * 1024, OUT_FILL = 256 * 1024 };

/* A date style: how a number under it reads. */
typedef enum { NUM_PLAIN, NUM_DATE, NUM_DATETIME, NUM_TIME } num_kind;

typedef struct sheet_entry {
    char *name, *rid, *target;
    int hidden;
    int worksheet;          /* its relationship is a worksheet (not a chart sheet) */
} sheet_entry;

typedef struct rel {
    char *id, *type, *target;
} rel;

/* One part being read through expat. */
typedef struct walk {
    book *wb;
    const char *part;
    XML_Parser p;
    zip_file_t *zf;
    unsigned long long size, comp, read;
    int depth;
    int fatal;              /* a refusal or limit: stop */
    void (*start)(struct walk *w, const char *name, const char **atts);
    void (*end)(struct walk *w, const char *name);
    void (*text)(struct walk *w, const char *s, int n);
    void *ctx;
} walk;

struct book {
    const char *path;
    diag_list *d;
    zip_t *za;
    char *book_part, *book_dir;
    sheet_entry *sheets;
    size_t nsheets, sheets_cap;
    rel *rels;
    size_t nrels, rels_cap;
    int date1904;
    const sheet_entry *sheet;
    /* styles: number format per cell style */
    unsigned char *xf_kind;
    size_t nxf, xf_cap;
    struct { unsigned id; unsigned char kind; } *fmts;
    size_t nfmts, fmts_cap;
    int in_xfs;
    /* shared strings */
    strbuf sst;
    size_t *sst_off;
    size_t nsst, sst_cap;
    int in_si, in_t, in_rph;
    /* the sheet */
    walk sw;
    int sheet_open, sheet_done, failed;
    long row, col, line;    /* current row and column; line ends written */
    int in_data, in_cell, in_v, in_is, cell_type; /* in_data: inside sheetData */
    unsigned cell_style;
    strbuf text;            /* the cell's text */
    int text_over;
    strbuf rowbuf;          /* the row's CSV text */
    size_t row_keep;        /* rowbuf up to its last non-empty field */
    long row_fields;
    strbuf out;
    size_t out_pos;
};

/* ---------- small helpers ---------- */

/* A name without its namespace prefix ("x:row" -> "row"). Parts are
 * read without namespace processing (it costs a third of the time on a
 * large sheet): elements are told by their local names, which no part of
 * a workbook gives two meanings, and Strict and Transitional OOXML read
 * alike. */
static const char *local(const char *name)
{
    const char *s = strchr(name, ':');
    return s ? s + 1 : name;
}

/* The attribute whose local name is want; prefixed: only one with a
 * namespace prefix (r:id), else only one without. */
static const char *attr(const char **atts, const char *want, int prefixed)
{
    for (size_t i = 0; atts[i]; i += 2) {
        const char *colon = strchr(atts[i], ':');
        if (prefixed ? colon && !strcmp(colon + 1, want) : !colon && !strcmp(atts[i], want))
            return atts[i + 1];
    }
    return NULL;
}

static int ends_with(const char *s, const char *tail)
{
    size_t a = strlen(s), b = strlen(tail);
    return a >= b && !strcmp(s + a - b, tail);
}

/* A problem that stops reading: recorded, the walk (if any) stopped. */
__attribute__((format(printf, 3, 4))) static void wb_fail(book *wb, walk *w, const char *fmt, ...)
{
    wb->failed = 1;
    if (w) {
        w->fatal = 1;
        if (w->p)
            XML_StopParser(w->p, XML_FALSE);
    }
    va_list ap;
    va_start(ap, fmt);
    diag_vadd(wb->d, DIAG_ERROR, wb->path, 0, 0, fmt, ap);
    va_end(ap);
}

/* A part's path from a relationship's target: absolute ("/xl/x.xml") or
 * relative to dir, with "../" resolved. NULL when memory ran out. */
static char *resolve(const char *dir, const char *target)
{
    strbuf sb = STRBUF_INIT;
    if (target[0] != '/')
        strbuf_puts(&sb, dir);
    else
        target++;
    strbuf_puts(&sb, target);
    if (sb.oom)
        return NULL;
    /* drop "x/../" pairs and "./" */
    char *s = sb.s, *o = s;
    for (char *p = s; *p;) {
        if (!strncmp(p, "./", 2)) {
            p += 2;
        } else if (!strncmp(p, "../", 3)) {
            p += 3;
            if (o > s) {
                o--;
                while (o > s && o[-1] != '/')
                    o--;
            }
        } else {
            while (*p && *p != '/')
                *o++ = *p++;
            if (*p)
                *o++ = *p++;
        }
    }
    *o = '\0';
    return s;
}

/* ---------- one part through expat ---------- */

static void XMLCALL on_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    walk *w = ud;
    if (w->fatal)
        return;
    if (++w->depth > WORKBOOK_MAX_DEPTH) {
        wb_fail(w->wb, w, "refused: a workbook part (%s) nests elements deeper than any workbook does", w->part);
        return;
    }
    if (w->start)
        w->start(w, local(name), atts);
}

static void XMLCALL on_end(void *ud, const XML_Char *name)
{
    walk *w = ud;
    if (w->fatal)
        return;
    w->depth--;
    if (w->end)
        w->end(w, local(name));
}

static void XMLCALL on_text(void *ud, const XML_Char *s, int n)
{
    walk *w = ud;
    if (!w->fatal && w->text)
        w->text(w, s, n);
}

static void XMLCALL on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub, int internal)
{
    (void)name, (void)sys, (void)pub, (void)internal;
    walk *w = ud;
    wb_fail(w->wb, w, "refused: a workbook part (%s) has a DOCTYPE, which a workbook never has (entities are not read)",
         w->part);
}

static void XMLCALL on_entity(void *ud, const XML_Char *name, int param, const XML_Char *val, int len,
                              const XML_Char *base, const XML_Char *sys, const XML_Char *pub, const XML_Char *notation)
{
    (void)name, (void)param, (void)val, (void)len, (void)base, (void)sys, (void)pub, (void)notation;
    walk *w = ud;
    wb_fail(w->wb, w, "refused: a workbook part (%s) declares an entity, which a workbook never does", w->part);
}

/* Opens the part called name for a walk. Returns 1, 0 when the workbook
 * has no such part, -1 after a diagnostic. */
static int walk_open(book *wb, walk *w, const char *name)
{
    w->wb = wb;
    w->part = name;
    zip_int64_t idx = zip_name_locate(wb->za, name, ZIP_FL_NOCASE);
    if (idx < 0)
        return 0;
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(wb->za, (zip_uint64_t)idx, 0, &st) || !(st.valid & ZIP_STAT_SIZE)) {
        wb_fail(wb, NULL, "cannot read the workbook part %s", name);
        return -1;
    }
    w->size = st.size;
    w->comp = st.valid & ZIP_STAT_COMP_SIZE ? st.comp_size : st.size;
    if (w->size > WORKBOOK_MAX_PART ||
        (w->size > (1u << 20) && w->size / (w->comp ? w->comp : 1) > WORKBOOK_MAX_RATIO)) {
        wb_fail(wb, NULL, "refused: the workbook part %s expands far beyond any real sheet (a zip bomb?)", name);
        return -1;
    }
    w->zf = zip_fopen_index(wb->za, (zip_uint64_t)idx, 0);
    w->p = XML_ParserCreate(NULL);
    if (!w->zf || !w->p) {
        wb_fail(wb, NULL, w->zf ? "out of memory reading %s" : "cannot read the workbook part %s", name);
        return -1;
    }
    XML_SetUserData(w->p, w);
    XML_SetElementHandler(w->p, on_start, on_end);
    XML_SetCharacterDataHandler(w->p, on_text);
    XML_SetStartDoctypeDeclHandler(w->p, on_doctype);
    XML_SetEntityDeclHandler(w->p, on_entity);
    return 1;
}

static void walk_close(walk *w)
{
    if (w->zf)
        zip_fclose(w->zf);
    if (w->p)
        XML_ParserFree(w->p);
    w->zf = NULL;
    w->p = NULL;
}

/* Inflates and parses the next block. Returns 1 to go on, 0 at the end
 * of the part, -1 after a diagnostic. */
static int walk_step(walk *w)
{
    book *wb = w->wb;
    char buf[BLOCK];
    zip_int64_t n = zip_fread(w->zf, buf, sizeof buf);
    if (n < 0) {
        wb_fail(wb, w, "cannot read the workbook part %s: %s", w->part, zip_error_strerror(zip_file_get_error(w->zf)));
        return -1;
    }
    w->read += (unsigned long long)n;
    if (w->read > w->size) {
        wb_fail(wb, w, "refused: the workbook part %s holds more than its entry declares", w->part);
        return -1;
    }
    if (XML_Parse(w->p, buf, (int)n, n == 0) == XML_STATUS_ERROR) {
        if (!w->fatal) {
            w->fatal = 1;
            wb->failed = 1;
            diag_add(wb->d, DIAG_ERROR, wb->path, 0, 0, "the workbook part %s is not well-formed XML (its line %lu, column %lu): %s",
                     w->part, (unsigned long)XML_GetCurrentLineNumber(w->p), (unsigned long)XML_GetCurrentColumnNumber(w->p),
                     XML_ErrorString(XML_GetErrorCode(w->p)));
        }
        return -1;
    }
    if (w->fatal)
        return -1;
    return n > 0;
}

/* Reads a whole part. Returns 1, 0 when there is no such part, -1 after
 * a diagnostic. */
static int walk_part(book *wb, walk *w, const char *name)
{
    int r = walk_open(wb, w, name);
    while (r > 0 && (r = walk_step(w)) > 0)
        ;
    int had = w->zf != NULL;
    walk_close(w);
    return r < 0 ? -1 : had;
}

/* ---------- relationships, the workbook part ---------- */

static char *dup_or_oom(book *wb, const char *s)
{
    char *c = mem_strdup(s ? s : "");
    if (!c)
        wb->failed = 1;
    return c;
}

static void rels_start(walk *w, const char *name, const char **atts)
{
    book *wb = w->wb;
    const char *id = attr(atts, "Id", 0), *type = attr(atts, "Type", 0), *target = attr(atts, "Target", 0);
    const char *mode = attr(atts, "TargetMode", 0);
    if (strcmp(name, "Relationship") || !id || !type || !target || (mode && !strcasecmp(mode, "External")))
        return;
    if (mem_grow(&wb->rels, &wb->rels_cap, wb->nrels + 1, sizeof *wb->rels)) {
        wb_fail(wb, w, "out of memory reading %s", w->part);
        return;
    }
    rel r = {dup_or_oom(wb, id), dup_or_oom(wb, type), dup_or_oom(wb, target)};
    wb->rels[wb->nrels++] = r;
}

static void book_start(walk *w, const char *name, const char **atts)
{
    book *wb = w->wb;
    if (!strcmp(name, "workbookPr")) {
        const char *v = attr(atts, "date1904", 0);
        wb->date1904 = v && (!strcmp(v, "1") || !strcasecmp(v, "true"));
    } else if (!strcmp(name, "sheet")) {
        const char *nm = attr(atts, "name", 0), *rid = attr(atts, "id", 1), *state = attr(atts, "state", 0);
        if (!nm || !rid)
            return;
        if (mem_grow(&wb->sheets, &wb->sheets_cap, wb->nsheets + 1, sizeof *wb->sheets)) {
            wb_fail(wb, w, "out of memory reading %s", w->part);
            return;
        }
        sheet_entry e = {dup_or_oom(wb, nm), dup_or_oom(wb, rid), NULL, state && strcmp(state, "visible"), 0};
        wb->sheets[wb->nsheets++] = e;
    }
}

static const rel *find_rel_type(const book *wb, const char *tail)
{
    for (size_t i = 0; i < wb->nrels; i++)
        if (ends_with(wb->rels[i].type, tail))
            return &wb->rels[i];
    return NULL;
}

static void free_rels(book *wb)
{
    for (size_t i = 0; i < wb->nrels; i++) {
        mem_free(wb->rels[i].id);
        mem_free(wb->rels[i].type);
        mem_free(wb->rels[i].target);
    }
    wb->nrels = 0;
}

/* Finds the workbook part through the package's relationships and reads
 * its sheet list and their targets. Returns 0 or -1 after a diagnostic. */
static int read_book(book *wb)
{
    walk w = {0};
    w.start = rels_start;
    if (walk_part(wb, &w, "_rels/.rels") < 0)
        return -1;
    const rel *doc = find_rel_type(wb, "/officeDocument");
    wb->book_part = resolve("", doc ? doc->target : "xl/workbook.xml");
    free_rels(wb);
    if (!wb->book_part) {
        wb_fail(wb, NULL, "out of memory reading %s", wb->path);
        return -1;
    }
    const char *slash = strrchr(wb->book_part, '/');
    wb->book_dir = mem_strndup(wb->book_part, slash ? (size_t)(slash - wb->book_part + 1) : 0);
    walk b = {0};
    b.start = book_start;
    int r = wb->book_dir ? walk_part(wb, &b, wb->book_part) : -1;
    if (r == 0)
        wb_fail(wb, NULL, "is a zip archive but not an Excel workbook: it has no %s", wb->book_part);
    if (r <= 0 || wb->failed)
        return -1;
    strbuf rp = STRBUF_INIT;
    strbuf_printf(&rp, "%s_rels/%s.rels", wb->book_dir, slash ? slash + 1 : wb->book_part);
    walk rw = {0};
    rw.start = rels_start;
    r = rp.oom ? -1 : walk_part(wb, &rw, rp.s);
    strbuf_free(&rp);
    if (r < 0 || wb->failed)
        return -1;
    for (size_t i = 0; i < wb->nsheets; i++)
        for (size_t k = 0; k < wb->nrels; k++)
            if (!strcmp(wb->rels[k].id, wb->sheets[i].rid)) {
                wb->sheets[i].target = resolve(wb->book_dir, wb->rels[k].target);
                wb->sheets[i].worksheet = ends_with(wb->rels[k].type, "/worksheet");
            }
    return 0;
}

/* ---------- styles: which cell styles are dates ---------- */

static num_kind builtin_kind(unsigned id)
{
    if ((id >= 14 && id <= 17) || (id >= 27 && id <= 31) || id == 36 || (id >= 50 && id <= 58))
        return NUM_DATE;
    if (id == 22)
        return NUM_DATETIME;
    if ((id >= 18 && id <= 21) || (id >= 32 && id <= 35) || (id >= 45 && id <= 47))
        return NUM_TIME;
    return NUM_PLAIN;
}

/* A custom format code's kind: quoted text, escapes and [colour]/[$-804]
 * sections left out, y or d make a date, h or s a time. */
static num_kind code_kind(const char *code)
{
    int date = 0, time = 0;
    for (const char *p = code; *p; p++) {
        if (*p == '"') {
            while (p[1] && p[1] != '"')
                p++;
            if (p[1])
                p++;
        } else if (*p == '\\' || *p == '_' || *p == '*') {
            if (p[1])
                p++;
        } else if (*p == '[') {
            char c = (char)(p[1] | 0x20);
            if ((c == 'h' || c == 's') && p[2] && (p[2] == ']' || (p[2] | 0x20) == c))
                time = 1; /* [h]:mm elapsed */
            while (p[1] && p[1] != ']')
                p++;
            if (p[1])
                p++;
        } else if (*p == ';') {
            break; /* the positive section decides */
        } else {
            char c = (char)(*p | 0x20);
            date |= c == 'y' || c == 'd';
            time |= c == 'h' || c == 's';
        }
    }
    return date && time ? NUM_DATETIME : date ? NUM_DATE : time ? NUM_TIME : NUM_PLAIN;
}

static void styles_start(walk *w, const char *name, const char **atts)
{
    book *wb = w->wb;
    if (!strcmp(name, "numFmt")) {
        const char *id = attr(atts, "numFmtId", 0), *code = attr(atts, "formatCode", 0);
        if (!id || !code)
            return;
        if (mem_grow(&wb->fmts, &wb->fmts_cap, wb->nfmts + 1, sizeof *wb->fmts)) {
            wb_fail(wb, w, "out of memory reading %s", w->part);
            return;
        }
        wb->fmts[wb->nfmts].id = (unsigned)strtoul(id, NULL, 10);
        wb->fmts[wb->nfmts++].kind = (unsigned char)code_kind(code);
    } else if (!strcmp(name, "cellXfs")) {
        wb->in_xfs = 1;
    } else if (wb->in_xfs && !strcmp(name, "xf")) {
        const char *id = attr(atts, "numFmtId", 0);
        unsigned fid = id ? (unsigned)strtoul(id, NULL, 10) : 0;
        num_kind k = builtin_kind(fid);
        for (size_t i = 0; i < wb->nfmts; i++)
            if (wb->fmts[i].id == fid)
                k = (num_kind)wb->fmts[i].kind;
        if (mem_grow(&wb->xf_kind, &wb->xf_cap, wb->nxf + 1, 1)) {
            wb_fail(wb, w, "out of memory reading %s", w->part);
            return;
        }
        wb->xf_kind[wb->nxf++] = (unsigned char)k;
    }
}

static void styles_end(walk *w, const char *name)
{
    if (!strcmp(name, "cellXfs"))
        w->wb->in_xfs = 0;
}

/* ---------- shared strings ---------- */

static void sst_start(walk *w, const char *name, const char **atts)
{
    (void)atts;
    book *wb = w->wb;
    if (!strcmp(name, "si")) {
        if (mem_grow(&wb->sst_off, &wb->sst_cap, wb->nsst + 2, sizeof *wb->sst_off)) {
            wb_fail(wb, w, "out of memory reading %s", w->part);
            return;
        }
        wb->sst_off[wb->nsst] = wb->sst.len;
        wb->in_si = 1;
    } else if (!strcmp(name, "rPh")) {
        wb->in_rph++;
    } else if (!strcmp(name, "t") && wb->in_si && !wb->in_rph) {
        wb->in_t = 1;
    }
}

static void sst_end(walk *w, const char *name)
{
    book *wb = w->wb;
    if (!strcmp(name, "si") && wb->in_si) {
        wb->in_si = 0;
        wb->nsst++;
        wb->sst_off[wb->nsst] = wb->sst.len;
    } else if (!strcmp(name, "rPh") && wb->in_rph > 0) {
        wb->in_rph--;
    } else if (!strcmp(name, "t")) {
        wb->in_t = 0;
    }
}

static void sst_text(walk *w, const char *s, int n)
{
    book *wb = w->wb;
    if (!wb->in_t)
        return;
    strbuf_add(&wb->sst, s, (size_t)n);
    if (wb->sst.oom)
        wb_fail(wb, w, "out of memory reading %s", w->part);
    else if (wb->sst.len > WORKBOOK_MAX_STRINGS)
        wb_fail(wb, w, "refused: the shared strings of %s exceed what this tool holds (1 GiB)", w->part);
}

/* ---------- cells -> CSV ---------- */

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : (c | 0x20) >= 'a' && (c | 0x20) <= 'f' ? (c | 0x20) - 'a' + 10 : -1;
}

static void put_utf8(strbuf *sb, unsigned cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) {
        b[0] = (char)cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char)(0xC0 | cp >> 6);
        b[1] = (char)(0x80 | (cp & 0x3F));
        n = 2;
    } else {
        b[0] = (char)(0xE0 | cp >> 12);
        b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        b[2] = (char)(0x80 | (cp & 0x3F));
        n = 3;
    }
    strbuf_add(sb, b, n);
}

/* Appends s[0, n) as one CSV field: _xHHHH_ escapes decoded (surrogates
 * excepted), line breaks read as spaces (one sheet row is one line),
 * quoted when it holds a separator or a quote. */
static void put_field(strbuf *row, const char *s, size_t n, int escapes)
{
    int quote = 0;
    for (size_t i = 0; i < n && !quote; i++)
        quote = s[i] == ',' || s[i] == '"' || s[i] == '\t' || s[i] == ';';
    if (quote)
        strbuf_putc(row, '"');
    for (size_t i = 0; i < n; i++) {
        unsigned cp;
        if (escapes && s[i] == '_' && i + 6 < n && s[i + 1] == 'x' && s[i + 6] == '_' && hexval(s[i + 2]) >= 0 &&
            hexval(s[i + 3]) >= 0 && hexval(s[i + 4]) >= 0 && hexval(s[i + 5]) >= 0 &&
            ((cp = (unsigned)(hexval(s[i + 2]) << 12 | hexval(s[i + 3]) << 8 | hexval(s[i + 4]) << 4 | hexval(s[i + 5]))),
             cp < 0xD800 || cp > 0xDFFF)) {
            if (cp == '\r' || cp == '\n')
                strbuf_putc(row, ' ');
            else if (cp == '"')
                strbuf_add(row, "\"\"", quote ? 2 : 1);
            else
                put_utf8(row, cp);
            i += 6;
        } else if (s[i] == '\r' || s[i] == '\n') {
            strbuf_putc(row, ' ');
        } else if (s[i] == '"') {
            strbuf_add(row, "\"\"", 2);
        } else {
            strbuf_putc(row, s[i]);
        }
    }
    if (quote)
        strbuf_putc(row, '"');
}

/* Days since 1970-01-01 -> year, month, day (the proleptic Gregorian
 * calendar, after H. Hinnant's civil_from_days). */
static void civil(long z, long *y, int *m, int *d)
{
    z += 719468;
    long era = (z >= 0 ? z : z - 146096) / 146097;
    long doe = z - era * 146097;
    long yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    long doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    long mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* A serial day number under a date style, as ISO text. 0 when it is not
 * a date Excel can show (negative, past 9999). */
static int put_date(strbuf *sb, double v, num_kind kind, int date1904)
{
    if (!(v >= 0) || v > 2958465.0)
        return 0;
    double whole = floor(v);
    long secs = lround((v - whole) * 86400.0);
    long day = (long)whole;
    if (secs >= 86400) {
        day++;
        secs -= 86400;
    }
    char buf[48];
    if (kind != NUM_TIME || day > 0) {
        if (!date1904 && day == 60) {
            strbuf_puts(sb, "1900-02-29"); /* Excel's day that never was */
        } else {
            /* 1900 system: day 1 is 1900-01-01 and day 61 is 1900-03-01
             * (day 60 is the false 29 February) */
            long z = date1904 ? day - 24107 : day < 60 ? day - 25568 : day - 25569;
            long y;
            int m, d;
            civil(z, &y, &m, &d);
            snprintf(buf, sizeof buf, "%04ld-%02d-%02d", y, m, d);
            strbuf_puts(sb, buf);
        }
        if (kind == NUM_DATE && secs == 0)
            return 1;
        strbuf_putc(sb, ' ');
    }
    snprintf(buf, sizeof buf, "%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
    strbuf_puts(sb, buf);
    return 1;
}

/* 1 when s[0, n) is a decimal that is its own shortest round-trip form:
 * no exponent, no leading zeros, no trailing zeros after a point, not
 * "-0", at most 15 significant digits (a double tells any two such
 * decimals apart, so no shorter text reads back to the same value). */
static int plain_decimal(const char *s, size_t n)
{
    size_t i = s[0] == '-', digits = 0, lead = 1;
    if (i == n || s[i] == '.' || (s[i] == '0' && i + 1 < n && s[i + 1] != '.') || (i == 1 && n == 2 && s[1] == '0'))
        return 0;
    int point = 0;
    for (; i < n; i++) {
        if (s[i] == '.') {
            if (point || i + 1 == n)
                return 0;
            point = 1;
        } else if (s[i] >= '0' && s[i] <= '9') {
            if (s[i] != '0' || !lead) { /* zeros before the first other digit lead */
                lead = 0;
                digits++;
            }
        } else {
            return 0;
        }
    }
    return digits <= 15 && !(point && s[n - 1] == '0');
}

/* A number cell's text as Excel shows it (see book.h). Text that is
 * not a number passes through for the converter to judge. */
static void put_number(book *wb, strbuf *row, const char *s, size_t n)
{
    char buf[64];
    char *end;
    if (n == 0 || n >= sizeof buf) {
        put_field(row, s, n, 0);
        return;
    }
    memcpy(buf, s, n);
    buf[n] = '\0';
    errno = 0;
    double v = strtod(buf, &end);
    if (end == buf || *end || !isfinite(v)) {
        put_field(row, s, n, 0);
        return;
    }
    num_kind kind = wb->cell_style < wb->nxf ? (num_kind)wb->xf_kind[wb->cell_style] : NUM_PLAIN;
    if (kind != NUM_PLAIN && put_date(row, v, kind, wb->date1904))
        return;
    if (plain_decimal(s, n)) {
        strbuf_add(row, s, n); /* already the shortest form */
        return;
    }
    if (v == floor(v) && fabs(v) < 9.2e18) {
        snprintf(buf, sizeof buf, "%.0f", v == 0 ? 0.0 : v);
        strbuf_puts(row, buf);
    } else {
        strbuf_num(row, v);
    }
}

/* Column letters of a cell reference ("C17" -> 3); 0 when there are none. */
static long ref_column(const char *r)
{
    long c = 0;
    for (; (*r >= 'A' && *r <= 'Z') || (*r >= 'a' && *r <= 'z'); r++) {
        c = c * 26 + ((*r | 0x20) - 'a' + 1);
        if (c > WORKBOOK_MAX_COLUMNS)
            return WORKBOOK_MAX_COLUMNS + 1;
    }
    return c;
}

static void cell_start(walk *w, const char **atts)
{
    book *wb = w->wb;
    const char *r = attr(atts, "r", 0), *t = attr(atts, "t", 0), *s = attr(atts, "s", 0);
    long c = r ? ref_column(r) : wb->col + 1;
    if (c <= wb->col || c > WORKBOOK_MAX_COLUMNS) {
        char at[24];
        diag_add(wb->d, DIAG_ERROR, wb->path, wb->row, 0,
                 c > WORKBOOK_MAX_COLUMNS ? "refused: cell %s is beyond Excel's last column (XFD)"
                                          : "refused: cell %s comes after a cell to its right; the sheet is out of order",
                 r ? r : diag_cell_name(wb->row, c, at));
        wb->failed = w->fatal = 1;
        XML_StopParser(w->p, XML_FALSE);
        return;
    }
    wb->col = c;
    wb->in_cell = 1;
    wb->in_v = wb->in_is = wb->in_rph = 0;
    wb->cell_type = !t || !strcmp(t, "n") ? 'n' : !strcmp(t, "s") ? 's' : !strcmp(t, "inlineStr") ? 'i'
                  : !strcmp(t, "b") ? 'b' : !strcmp(t, "e") ? 'e' : 'x'; /* str, d */
    wb->cell_style = s ? (unsigned)strtoul(s, NULL, 10) : 0;
    strbuf_reset(&wb->text);
    wb->text_over = 0;
}

static void cell_end(book *wb)
{
    wb->in_cell = 0;
    const char *s = wb->text.s ? wb->text.s : "";
    size_t n = wb->text.len;
    if (n == 0 && wb->cell_type != 'i')
        return; /* an empty or styled cell */
    /* field col follows the row_fields written: a comma before each field
     * after the first */
    for (long k = wb->row_fields ? wb->row_fields : 1; k < wb->col; k++)
        strbuf_putc(&wb->rowbuf, ',');
    wb->row_fields = wb->col;
    size_t before = wb->rowbuf.len;
    if (wb->text_over) {
        diag_add(wb->d, DIAG_ERROR, wb->path, wb->row, wb->col, "cell too long (the limit is %d bytes); read as empty",
                 TABLE_MAX_FIELD);
    } else if (wb->cell_type == 's') {
        char *end;
        unsigned long k = strtoul(s, &end, 10);
        if (end == s || *end || k >= wb->nsst)
            diag_add(wb->d, DIAG_ERROR, wb->path, wb->row, wb->col,
                     "the cell refers to shared string %s, which the workbook does not have; read as empty", s);
        else
            put_field(&wb->rowbuf, wb->sst.s + wb->sst_off[k], wb->sst_off[k + 1] - wb->sst_off[k], 1);
    } else if (wb->cell_type == 'b') {
        put_field(&wb->rowbuf, !strcmp(s, "1") ? "true" : !strcmp(s, "0") ? "false" : s,
                  !strcmp(s, "1") ? 4 : !strcmp(s, "0") ? 5 : n, 0);
    } else if (wb->cell_type == 'n') {
        put_number(wb, &wb->rowbuf, s, n);
    } else {
        put_field(&wb->rowbuf, s, n, wb->cell_type != 'e');
    }
    if (wb->rowbuf.len > before)
        wb->row_keep = wb->rowbuf.len;
}

static void row_start(walk *w, const char **atts)
{
    book *wb = w->wb;
    const char *r = attr(atts, "r", 0);
    long row = r ? strtol(r, NULL, 10) : wb->row + 1;
    if (row <= wb->row || row > WORKBOOK_MAX_ROWS) {
        diag_add(wb->d, DIAG_ERROR, wb->path, 0, 0,
                 row > WORKBOOK_MAX_ROWS ? "refused: sheet %s has a row beyond Excel's last (1048576)"
                                         : "refused: the rows of sheet %s are out of order",
                 wb->sheet->name);
        wb->failed = w->fatal = 1;
        XML_StopParser(w->p, XML_FALSE);
        return;
    }
    wb->row = row;
    wb->col = 0;
    wb->row_fields = 0;
    wb->row_keep = 0;
    strbuf_reset(&wb->rowbuf);
}

static void row_end(book *wb)
{
    while (wb->line < wb->row - 1) {
        strbuf_putc(&wb->out, '\n');
        wb->line++;
    }
    strbuf_add(&wb->out, wb->rowbuf.s ? wb->rowbuf.s : "", wb->row_keep);
    strbuf_putc(&wb->out, '\n');
    wb->line++;
}

static void sheet_start(walk *w, const char *name, const char **atts)
{
    book *wb = w->wb;
    if (!wb->in_data) {
        wb->in_data = !strcmp(name, "sheetData");
    } else if (!strcmp(name, "row")) {
        row_start(w, atts);
    } else if (!strcmp(name, "c")) {
        cell_start(w, atts);
    } else if (wb->in_cell) {
        if (!strcmp(name, "v") && !wb->in_is)
            wb->in_v = 1;
        else if (!strcmp(name, "is"))
            wb->in_is = 1;
        else if (!strcmp(name, "rPh"))
            wb->in_rph++;
        else if (!strcmp(name, "t") && wb->in_is && !wb->in_rph)
            wb->in_v = 1;
    }
}

static void sheet_end(walk *w, const char *name)
{
    book *wb = w->wb;
    if (!wb->in_data)
        return;
    if (!strcmp(name, "c") && wb->in_cell)
        cell_end(wb);
    else if (!strcmp(name, "row"))
        row_end(wb);
    else if (!strcmp(name, "sheetData"))
        wb->in_data = 0;
    else if (!strcmp(name, "v") || !strcmp(name, "t"))
        wb->in_v = 0;
    else if (!strcmp(name, "is"))
        wb->in_is = 0;
    else if (!strcmp(name, "rPh") && wb->in_rph > 0)
        wb->in_rph--;
    if (wb->out.oom || wb->rowbuf.oom)
        wb_fail(wb, w, "out of memory reading %s", w->part);
}

static void sheet_text(walk *w, const char *s, int n)
{
    book *wb = w->wb;
    if (!wb->in_v)
        return;
    if (wb->text.len + (size_t)n > TABLE_MAX_FIELD)
        wb->text_over = 1;
    else
        strbuf_add(&wb->text, s, (size_t)n);
}

/* ---------- the public side ---------- */

book_kind book_sniff(const char *path)
{
    unsigned char m[8] = {0};
    struct stat st;
    if (stat(path, &st) || !S_ISREG(st.st_mode))
        return BOOK_NONE; /* a pipe's first bytes are the CSV reader's */
    FILE *f = fopen(path, "rb");
    if (!f)
        return BOOK_NONE;
    size_t n = fread(m, 1, sizeof m, f);
    fclose(f);
    if (n >= 4 && !memcmp(m, "PK\x03\x04", 4))
        return BOOK_XLSX;
    if (n == 8 && !memcmp(m, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        return BOOK_XLS;
    return BOOK_NONE;
}

/* name without case and surrounding ASCII spaces equal to want */
static int same_name(const char *name, const char *want)
{
    while (*name == ' ')
        name++;
    size_t n = strlen(name);
    while (n && name[n - 1] == ' ')
        n--;
    return strlen(want) == n && !strncasecmp(name, want, n);
}

static int choose_sheet(book *wb, const char *want, const char *const *prefer, size_t nprefer)
{
    const sheet_entry *pick = NULL;
    if (want) {
        char *end;
        long k = strtol(want, &end, 10);
        if (*want && !*end && k >= 1 && (size_t)k <= wb->nsheets)
            pick = &wb->sheets[k - 1];
        for (size_t i = 0; !pick && i < wb->nsheets; i++)
            if (!strcmp(wb->sheets[i].name, want))
                pick = &wb->sheets[i];
        for (size_t i = 0; !pick && i < wb->nsheets; i++)
            if (same_name(wb->sheets[i].name, want))
                pick = &wb->sheets[i];
    } else {
        for (size_t k = 0; !pick && k < nprefer; k++)
            for (size_t i = 0; !pick && i < wb->nsheets; i++)
                if (prefer[k] && !wb->sheets[i].hidden && wb->sheets[i].worksheet && same_name(wb->sheets[i].name, prefer[k]))
                    pick = &wb->sheets[i];
        for (size_t i = 0; !pick && i < wb->nsheets; i++)
            if (!wb->sheets[i].hidden && wb->sheets[i].worksheet)
                pick = &wb->sheets[i];
    }
    strbuf names = STRBUF_INIT;
    for (size_t i = 0; i < wb->nsheets; i++)
        strbuf_printf(&names, "%s%s", i ? ", " : "", wb->sheets[i].name);
    if (!pick && want)
        diag_add(wb->d, DIAG_ERROR, wb->path, 0, 0, "the workbook has no sheet '%s' (--sheet); its sheets are: %s", want,
                 wb->nsheets ? strbuf_str(&names) : "none");
    else if (!pick)
        diag_add(wb->d, DIAG_ERROR, wb->path, 0, 0, "the workbook has no worksheet to read; its sheets are: %s",
                 wb->nsheets ? strbuf_str(&names) : "none");
    else if (!pick->worksheet || !pick->target)
        diag_add(wb->d, DIAG_ERROR, wb->path, 0, 0, "sheet '%s' is not a worksheet (a chart or dialog sheet): it holds no table",
                 pick->name);
    strbuf_free(&names);
    if (!pick || !pick->worksheet || !pick->target)
        return -1;
    wb->sheet = pick;
    return 0;
}

book *book_open(const char *path, const char *sheet, const char *const *prefer, size_t nprefer, diag_list *d)
{
    book *wb = mem_calloc(1, sizeof *wb);
    if (!wb) {
        diag_oom(d);
        return NULL;
    }
    wb->path = path;
    wb->d = d;
    struct stat st;
    if (stat(path, &st) == 0 && !S_ISREG(st.st_mode)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "is not a regular file: a workbook is read from a file on disk");
        book_close(&wb);
        return NULL;
    }
    int zerr = 0;
    wb->za = zip_open(path, ZIP_RDONLY | ZIP_CHECKCONS, &zerr);
    if (!wb->za) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, zerr);
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot be read as an Excel workbook (.xlsx): %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        book_close(&wb);
        return NULL;
    }
    if (read_book(wb) || choose_sheet(wb, sheet, prefer, nprefer)) {
        book_close(&wb);
        return NULL;
    }
    const rel *styles = find_rel_type(wb, "/styles"), *strings = find_rel_type(wb, "/sharedStrings");
    char *sp = styles ? resolve(wb->book_dir, styles->target) : NULL;
    char *tp = strings ? resolve(wb->book_dir, strings->target) : NULL;
    walk sw = {0}, tw = {0};
    sw.start = styles_start;
    sw.end = styles_end;
    tw.start = sst_start;
    tw.end = sst_end;
    tw.text = sst_text;
    int bad = (styles && (!sp || walk_part(wb, &sw, sp) < 0)) || (strings && (!tp || walk_part(wb, &tw, tp) < 0));
    mem_free(sp);
    mem_free(tp);
    if (!bad && walk_open(wb, &wb->sw, wb->sheet->target) <= 0) {
        if (!wb->failed)
            diag_add(d, DIAG_ERROR, path, 0, 0, "sheet '%s' has no part %s in the workbook", wb->sheet->name, wb->sheet->target);
        bad = 1;
    }
    if (bad || wb->failed) {
        if (!diag_errors(d))
            diag_oom(d);
        book_close(&wb);
        return NULL;
    }
    wb->sw.start = sheet_start;
    wb->sw.end = sheet_end;
    wb->sw.text = sheet_text;
    wb->sheet_open = 1;
    return wb;
}

void book_set_diag(book *wb, diag_list *d) { wb->d = d; }
const char *book_sheet(const book *wb) { return wb->sheet->name; }
unsigned long long book_offset(const book *wb) { return wb->sw.read; }
unsigned long long book_size(const book *wb) { return wb->sw.size; }

int book_next(book *wb, int line, const char **s, size_t *n)
{
    if (wb->out_pos == wb->out.len) {
        strbuf_reset(&wb->out);
        wb->out_pos = 0;
        /* fill: at least one line end, or OUT_FILL bytes of whole rows */
        while (!wb->failed && !wb->sheet_done && wb->out.len < (line ? 1 : OUT_FILL)) {
            int r = walk_step(&wb->sw);
            if (r <= 0)
                wb->sheet_done = 1;
        }
        if (wb->out.len == 0)
            return wb->failed ? -1 : 0;
    }
    const char *p = wb->out.s + wb->out_pos;
    size_t len = wb->out.len - wb->out_pos;
    if (line) {
        const char *nl = memchr(p, '\n', len);
        if (nl)
            len = (size_t)(nl - p) + 1;
    }
    *s = p;
    *n = len;
    wb->out_pos += len;
    return 1;
}

void book_finish(book *wb, char out[65]) { digest_file_hex(wb->path, out); }

void book_close(book **wbp)
{
    if (!wbp || !*wbp)
        return;
    book *wb = *wbp;
    walk_close(&wb->sw);
    if (wb->za)
        zip_discard(wb->za);
    free_rels(wb);
    mem_free(wb->rels);
    for (size_t i = 0; i < wb->nsheets; i++) {
        mem_free(wb->sheets[i].name);
        mem_free(wb->sheets[i].rid);
        mem_free(wb->sheets[i].target);
    }
    mem_free(wb->sheets);
    mem_free(wb->book_part);
    mem_free(wb->book_dir);
    mem_free(wb->xf_kind);
    mem_free(wb->fmts);
    strbuf_free(&wb->sst);
    mem_free(wb->sst_off);
    strbuf_free(&wb->text);
    strbuf_free(&wb->rowbuf);
    strbuf_free(&wb->out);
    mem_free(wb);
    *wbp = NULL;
}
