/*
 * diag.c - the diagnostics sink (see diag.h).
 *
 * Invariant: adding a diagnostic never fails visibly; if memory runs out the
 * sink sets its out-of-memory flag, which main reports as an error. A
 * format is translated only for an entry that is stored: past the limit
 * nothing is looked up or formatted.
 */
#include "diag.h"
#include "mem.h"
#include "strbuf.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct diag_list {
    diag_entry *items;
    size_t n, cap;
    size_t limit;
    size_t stored[3];
    size_t total[3];
    size_t suppressed;
    int oom;
    diag_translate_fn tr;
    struct sheet_reg {
        char *file, *sheet;
    } *sheets;                /* diag_set_sheet */
    size_t nsheets, sheets_cap;
};

diag_list *diag_new(void) { return mem_calloc(1, sizeof(diag_list)); }

static void entry_free(diag_entry *e)
{
    mem_free((char *)e->file);
    mem_free((char *)e->message);
    mem_free((char *)e->excerpt);
}

void diag_free(diag_list **dp)
{
    if (!dp || !*dp)
        return;
    diag_list *d = *dp;
    for (size_t i = 0; i < d->n; i++)
        entry_free(&d->items[i]);
    mem_free(d->items);
    for (size_t i = 0; i < d->nsheets; i++) {
        mem_free(d->sheets[i].file);
        mem_free(d->sheets[i].sheet);
    }
    mem_free(d->sheets);
    mem_free(d);
    *dp = NULL;
}

void diag_set_limit(diag_list *d, size_t max) { d->limit = max; }

static const char *sheet_of(const diag_list *d, const char *file)
{
    for (size_t i = 0; file && i < d->nsheets; i++)
        if (!strcmp(d->sheets[i].file, file))
            return d->sheets[i].sheet;
    return NULL;
}

void diag_set_sheet(diag_list *d, const char *file, const char *sheet)
{
    if (!d || !file || !sheet || sheet_of(d, file))
        return;
    if (mem_grow(&d->sheets, &d->sheets_cap, d->nsheets + 1, sizeof *d->sheets)) {
        d->oom = 1;
        return;
    }
    struct sheet_reg r = {mem_strdup(file), mem_strdup(sheet)};
    if (!r.file || !r.sheet) {
        mem_free(r.file);
        mem_free(r.sheet);
        d->oom = 1;
        return;
    }
    d->sheets[d->nsheets++] = r;
}

const char *diag_cell_name(long line, long column, char buf[24])
{
    buf[0] = '\0';
    if (line <= 0 || column <= 0)
        return buf;
    char letters[16];
    int n = 0;
    for (long c = column; c > 0 && n < 15; c = (c - 1) / 26)
        letters[n++] = (char)('A' + (c - 1) % 26);
    int k = 0;
    while (n > 0)
        buf[k++] = letters[--n];
    snprintf(buf + k, (size_t)(24 - k), "%ld", line);
    return buf;
}

void diag_where(const diag_entry *e, strbuf *out)
{
    if (!e->file)
        return;
    strbuf_puts(out, e->file);
    if (e->sheet && e->line > 0) {
        char cell[24];
        strbuf_printf(out, ":%s!", e->sheet);
        if (e->column > 0)
            strbuf_puts(out, diag_cell_name(e->line, e->column, cell));
        else
            strbuf_printf(out, "%ld:%ld", e->line, e->line);
        return;
    }
    if (e->line > 0) {
        strbuf_printf(out, ":%ld", e->line);
        if (e->column > 0)
            strbuf_printf(out, ":%ld", e->column);
    }
}

void diag_set_translate(diag_list *d, diag_translate_fn fn) { d->tr = fn; }
diag_translate_fn diag_translator(const diag_list *d) { return d ? d->tr : NULL; }

const char *diag_tr(const diag_list *d, const char *msgid)
{
    if (!d || !d->tr || !msgid)
        return msgid;
    const char *s = d->tr(msgid);
    return s ? s : msgid;
}

static void vadd(diag_list *d, diag_severity sev, const char *file, long line,
                 long column, const char *excerpt, size_t excerpt_len,
                 size_t caret_col, size_t caret_len, const char *fmt, va_list ap)
{
    if (!d)
        return;
    d->total[sev]++;
    if (d->limit && d->stored[sev] >= d->limit) {
        d->suppressed++;
        return;
    }
    if (mem_grow(&d->items, &d->cap, d->n + 1, sizeof *d->items)) {
        d->oom = 1;
        return;
    }
    strbuf msg = STRBUF_INIT;
    /* the translation takes fmt's arguments (checked for every catalog
     * entry by the catalog's test) */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    strbuf_vprintf(&msg, diag_tr(d, fmt), ap);
#pragma GCC diagnostic pop
    diag_entry e = {0};
    e.severity = sev;
    e.line = line;
    e.column = column;
    e.file = file ? mem_strdup(file) : NULL;
    e.sheet = sheet_of(d, file);
    e.message = msg.oom ? NULL : mem_strdup(strbuf_str(&msg));
    strbuf_free(&msg);
    if (excerpt) {
        /* keep one line only, without its line end */
        size_t n = 0;
        while (n < excerpt_len && excerpt[n] != '\n' && excerpt[n] != '\r')
            n++;
        e.excerpt = mem_strndup(excerpt, n);
        e.caret_col = caret_col;
        e.caret_len = caret_len ? caret_len : 1;
        if (e.caret_col > n)
            e.caret_col = n;
    }
    if ((file && !e.file) || !e.message || (excerpt && !e.excerpt)) {
        entry_free(&e);
        d->oom = 1;
        return;
    }
    d->items[d->n++] = e;
    d->stored[sev]++;
}

void diag_vadd(diag_list *d, diag_severity sev, const char *file, long line,
               long column, const char *fmt, va_list ap)
{
    vadd(d, sev, file, line, column, NULL, 0, 0, 0, fmt, ap);
}

void diag_add(diag_list *d, diag_severity sev, const char *file, long line,
              long column, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, sev, file, line, column, NULL, 0, 0, 0, fmt, ap);
    va_end(ap);
}

void diag_add_excerpt(diag_list *d, diag_severity sev, const char *file,
                      long line, long column, const char *excerpt,
                      size_t excerpt_len, size_t caret_col, size_t caret_len,
                      const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, sev, file, line, column, excerpt, excerpt_len, caret_col,
         caret_len, fmt, ap);
    va_end(ap);
}

/* Stores a copy of e (its message is final: "%s" is in no catalog, so it
 * is not translated twice). */
static void copy_entry(diag_list *d, const diag_entry *e, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vadd(d, e->severity, e->file, e->line, e->column, e->excerpt, e->excerpt ? strlen(e->excerpt) : 0, e->caret_col,
         e->caret_len, fmt, ap);
    va_end(ap);
}

void diag_append(diag_list *d, const diag_list *src)
{
    if (!d || !src)
        return;
    for (size_t i = 0; i < src->nsheets; i++)
        diag_set_sheet(d, src->sheets[i].file, src->sheets[i].sheet);
    for (size_t i = 0; i < src->n; i++)
        copy_entry(d, &src->items[i], "%s", src->items[i].message);
    for (int sev = 0; sev < 3; sev++)
        d->total[sev] += src->total[sev] - src->stored[sev];
    d->suppressed += src->suppressed;
    if (src->oom)
        d->oom = 1;
}

void diag_oom(diag_list *d)
{
    if (d) {
        d->oom = 1;
        d->total[DIAG_ERROR]++;
    }
}

typedef struct sort_key {
    size_t file_rank, index;
    const diag_entry *e;
} sort_key;

static int cmp_key(const void *a, const void *b)
{
    const sort_key *x = a, *y = b;
    if (x->file_rank != y->file_rank)
        return x->file_rank < y->file_rank ? -1 : 1;
    if (x->e->line != y->e->line)
        return x->e->line < y->e->line ? -1 : 1;
    if (x->e->column != y->e->column)
        return x->e->column < y->e->column ? -1 : 1;
    return x->index < y->index ? -1 : x->index > y->index;
}

size_t diag_keep(diag_list *d, int (*keep)(const diag_entry *e, void *ctx), void *ctx)
{
    size_t out = 0, removed = 0;
    for (size_t i = 0; i < d->n; i++) {
        if (d->items[i].severity == DIAG_ERROR || keep(&d->items[i], ctx)) {
            d->items[out++] = d->items[i];
            continue;
        }
        d->stored[d->items[i].severity]--;
        d->total[d->items[i].severity]--;
        entry_free(&d->items[i]);
        removed++;
    }
    d->n = out;
    return removed;
}

void diag_sort(diag_list *d)
{
    if (!d || d->n < 2)
        return;
    sort_key *k = mem_alloc(d->n * sizeof *k);
    diag_entry *out = mem_alloc(d->n * sizeof *out);
    if (!k || !out) {
        mem_free(k);
        mem_free(out);
        return; /* unsorted is still correct */
    }
    /* files are few: a list of the distinct ones, in order of appearance,
     * keeps this linear in the entries (a data file can bring millions) */
    const char *files[64];
    size_t nfiles = 0;
    for (size_t i = 0; i < d->n; i++) {
        k[i].index = i;
        k[i].e = &d->items[i];
        k[i].file_rank = 0;
        const char *f = d->items[i].file;
        if (f) {
            size_t r = 0;
            while (r < nfiles && strcmp(files[r], f) != 0)
                r++;
            if (r == nfiles && nfiles < sizeof files / sizeof *files)
                files[nfiles++] = f;
            k[i].file_rank = r + 1; /* past 64 files, the rest share a rank */
        }
    }
    qsort(k, d->n, sizeof *k, cmp_key);
    for (size_t i = 0; i < d->n; i++)
        out[i] = *k[i].e;
    memcpy(d->items, out, d->n * sizeof *out);
    mem_free(k);
    mem_free(out);
}

size_t diag_count(const diag_list *d) { return d->n; }
size_t diag_stored(const diag_list *d, diag_severity sev) { return d->stored[sev]; }
const diag_entry *diag_get(const diag_list *d, size_t i) { return i < d->n ? &d->items[i] : NULL; }
size_t diag_errors(const diag_list *d) { return d->total[DIAG_ERROR]; }
size_t diag_suppressed(const diag_list *d) { return d->suppressed; }
size_t diag_total(const diag_list *d, diag_severity sev) { return d->total[sev]; }
size_t diag_limit(const diag_list *d) { return d->limit; }
int diag_out_of_memory(const diag_list *d) { return d->oom; }

const char *diag_severity_name(diag_severity sev)
{
    static const char *const names[] = {N_("note"), N_("warning"), N_("error")};
    return names[sev];
}

/* Width in terminal columns of the bytes s[0..n): one per UTF-8 code point,
 * two for CJK wide characters, so carets line up under Chinese text. */
static size_t display_width(const char *s, size_t n)
{
    size_t w = 0;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            w++;
            i++;
        } else {
            size_t len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 1;
            w += len >= 3 ? 2 : 1;
            i += len;
        }
    }
    return w;
}

void diag_format(const diag_entry *e, strbuf *out) { diag_format_tr(e, NULL, out); }

void diag_format_tr(const diag_entry *e, diag_translate_fn tr, strbuf *out)
{
    const char *sev = diag_severity_name(e->severity);
    const char *tsev = tr ? tr(sev) : NULL;
    if (tsev)
        sev = tsev;
    if (e->file) {
        diag_where(e, out);
        strbuf_puts(out, ": ");
    }
    strbuf_printf(out, "%s: %s\n", sev, e->message);
    if (e->excerpt) {
        strbuf_puts(out, "    ");
        for (const char *p = e->excerpt; *p; p++)
            strbuf_putc(out, *p == '\t' ? ' ' : *p);
        strbuf_puts(out, "\n    ");
        size_t pad = display_width(e->excerpt, e->caret_col);
        size_t rest = strlen(e->excerpt) - e->caret_col;
        size_t len = e->caret_len < rest ? e->caret_len : rest;
        size_t width = display_width(e->excerpt + e->caret_col, len);
        for (size_t i = 0; i < pad; i++)
            strbuf_putc(out, ' ');
        for (size_t i = 0; i < (width ? width : 1); i++)
            strbuf_putc(out, '^');
        strbuf_putc(out, '\n');
    }
}
