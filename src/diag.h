/*
 * diag.h - the diagnostics sink: errors, warnings and notes as values.
 *
 * Library code records problems here and carries on; only main decides how
 * to show them. A diagnostic has a location (file, 1-based line and column;
 * 0 where not known), a severity, a message, and optionally the source line
 * with a caret span under the fault. The sink owns copies of every string.
 * Past the error limit further errors are counted but not stored, so a file
 * with a million bad cells cannot exhaust memory.
 *
 * Translation works as gettext does: library code writes English format
 * strings, and they are the message ids. With a translator installed on the
 * sink (--lang zh), the format of every diagnostic that is stored is looked
 * up through it before formatting, and code that passes English words as
 * %s arguments looks them up with diag_tr. A message is always a whole
 * sentence (plural forms are separate messages chosen by count), so a
 * translation never has to be assembled from English pieces. A translation
 * takes the same arguments as its id; it may take them in another order
 * with POSIX positional conversions (%2$s), all of its conversions then
 * being positional. Library code still never prints.
 */
#ifndef EXITCHECK_DIAG_H
#define EXITCHECK_DIAG_H

#include <stdarg.h>
#include <stddef.h>

typedef enum { DIAG_NOTE, DIAG_WARNING, DIAG_ERROR } diag_severity;

typedef struct diag_entry {
    const char *file;     /* NULL when the problem has no file */
    long line, column;    /* 1-based; 0 = not known */
    diag_severity severity;
    const char *message;
    const char *excerpt;  /* the source line, or NULL */
    size_t caret_col;     /* 0-based byte offset into excerpt */
    size_t caret_len;
    const char *sheet;    /* the workbook sheet of file (diag_set_sheet), or NULL:
                             then line is the sheet's row and column its column */
} diag_entry;

typedef struct diag_list diag_list;

diag_list *diag_new(void);
void diag_free(diag_list **d);

/* Stores at most max errors (warnings and notes at most max each too);
 * 0 = no limit. The default is 0. */
void diag_set_limit(diag_list *d, size_t max);

void diag_add(diag_list *d, diag_severity sev, const char *file, long line,
              long column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));
void diag_add_excerpt(diag_list *d, diag_severity sev, const char *file,
                      long line, long column, const char *excerpt,
                      size_t excerpt_len, size_t caret_col, size_t caret_len,
                      const char *fmt, ...)
    __attribute__((format(printf, 10, 11)));
/* Adds src's entries to d in their order, under d's limit; src's
 * out-of-memory record and its suppressed count carry over. */
void diag_append(diag_list *d, const diag_list *src);
void diag_vadd(diag_list *d, diag_severity sev, const char *file, long line,
               long column, const char *fmt, va_list ap)
    __attribute__((format(printf, 6, 0)));
struct strbuf;
/* file is a workbook read from sheet: its entries from now on carry the
 * sheet, and their position reads as Excel names a cell (file:sheet!C17).
 * diag_append carries the registration over. */
void diag_set_sheet(diag_list *d, const char *file, const char *sheet);
/* Excel's name of a cell: column letters and row ("C17"); buf needs 24
 * bytes. "" when line or column is not known. */
const char *diag_cell_name(long line, long column, char buf[24]);
/* Appends where e is: "file:line:column" (or less, as far as known), or
 * "file:sheet!C17" for a workbook ("file:sheet!17:17" for a whole row);
 * nothing when e has no file. */
void diag_where(const diag_entry *e, struct strbuf *out);
/* Records that memory ran out (never fails itself). */
void diag_oom(diag_list *d);

/* Orders the stored entries by file (in order of first appearance), line
 * and column; entries without a file stay first, ties keep their order. */
void diag_sort(diag_list *d);
/* Drops the stored warnings and notes for which keep returns 0 (errors
 * always stay), in order; returns how many were dropped. */
size_t diag_keep(diag_list *d, int (*keep)(const diag_entry *e, void *ctx), void *ctx);

/* A translator maps an English message id to its translation, or returns
 * the id itself when it has none; it must return strings that live as long
 * as the program. NULL (the default) keeps English. */
typedef const char *(*diag_translate_fn)(const char *msgid);
void diag_set_translate(diag_list *d, diag_translate_fn fn);
diag_translate_fn diag_translator(const diag_list *d);
/* msgid through d's translator (msgid itself without one, or when msgid
 * is NULL). The result may be used as a format with msgid's arguments. */
const char *diag_tr(const diag_list *d, const char *msgid) __attribute__((format_arg(2)));
/* Marks a string literal as a message id where it is defined (a table of
 * names translated where they are printed), so the catalog check finds it. */
#define N_(msgid) msgid

size_t diag_count(const diag_list *d);            /* stored entries */
size_t diag_stored(const diag_list *d, diag_severity sev); /* stored entries of one severity */
const diag_entry *diag_get(const diag_list *d, size_t i);
size_t diag_errors(const diag_list *d);           /* all errors, stored or not */
size_t diag_suppressed(const diag_list *d);       /* over the limit */
size_t diag_total(const diag_list *d, diag_severity sev); /* found, stored or not */
size_t diag_limit(const diag_list *d);            /* kept per severity; 0 = all */
int diag_out_of_memory(const diag_list *d);

/* Appends "file:line:column: severity: message" and, with an excerpt, the
 * source line and a caret line, each indented by four spaces. */
void diag_format(const diag_entry *e, struct strbuf *out);
/* The same with the severity word through tr (NULL: English); the message
 * was translated when it was recorded. */
void diag_format_tr(const diag_entry *e, diag_translate_fn tr, struct strbuf *out);
/* "note", "warning", "error": the machine names (JSON), also message ids. */
const char *diag_severity_name(diag_severity sev);

#endif
