/*
 * book.h - the first stage of reading a table that is an Excel
 * workbook (.xlsx): one worksheet -> UTF-8 CSV lines for the framer, in
 * place of decode.c.
 *
 * The workbook is opened with libzip; its parts (workbook, relationships,
 * styles, shared strings, the sheet) are read with expat. The sheet is
 * streamed: memory is bounded by the shared-strings table, not the rows.
 * Each sheet row R becomes line R of the CSV text (rows the sheet leaves
 * out become blank lines), and each cell in column C becomes field C, so
 * that the framer's line and column are Excel's row and column; a cell's
 * line break reads as a space for that reason. Trailing empty cells are
 * dropped: a row may have fewer fields than the header.
 *
 * Cells come out as Excel shows them: shared and inline strings (rich
 * text runs joined, phonetic runs left out, _xHHHH_ escapes decoded);
 * numbers as the shortest decimal that reads back to the same double,
 * integers in full (621123001, never 6.21123001E8); booleans as true and
 * false; numbers under a date format as ISO dates (YYYY-MM-DD, with the
 * time when there is one); error cells as their text (#N/A), which the
 * converter reads as missing; a formula's cached value.
 *
 * Refused with a message, never followed: a DOCTYPE or entity declaration
 * in any part (no entity is ever expanded or fetched), parts that expand
 * beyond WORKBOOK_MAX_PART or more than WORKBOOK_MAX_RATIO times their
 * compressed size, shared strings beyond WORKBOOK_MAX_STRINGS bytes,
 * nesting deeper than WORKBOOK_MAX_DEPTH, rows or columns out of order or
 * beyond Excel's limits.
 *
 * Lifecycle: book_open -> book_next ... -> book_finish (the
 * SHA-256 of the file) -> book_close. A piece lent by book_next is
 * valid until the next call. Library code: problems are diagnostics.
 */
#ifndef EXITCHECK_BOOK_H
#define EXITCHECK_BOOK_H

#include <stddef.h>

#include "diag.h"

typedef enum { BOOK_NONE, BOOK_XLSX, BOOK_XLS } book_kind;

enum {
    WORKBOOK_MAX_DEPTH = 64,        /* element nesting */
    WORKBOOK_MAX_ROWS = 1048576,    /* Excel's */
    WORKBOOK_MAX_COLUMNS = 16384,   /* Excel's (XFD) */
    WORKBOOK_MAX_RATIO = 500,       /* uncompressed / compressed, for parts over 1 MiB (real
                                       sheets stay far below; deflate tops out near 1032) */
};
#define WORKBOOK_MAX_PART (16ULL << 30)      /* uncompressed bytes of one part */
#define WORKBOOK_MAX_STRINGS (1ULL << 30)    /* bytes of shared strings held */

typedef struct book book;

/* What the file's first bytes say it is: a zip archive (an .xlsx
 * workbook, or another zip), an OLE2 compound file (a legacy .xls
 * workbook), or neither. BOOK_NONE too when it cannot be read. */
book_kind book_sniff(const char *path);

/* Opens the workbook at path (which must outlive it) and chooses its
 * sheet: `sheet` is a name or a 1-based number (--sheet), or NULL for the
 * first visible worksheet whose name is one of prefer[0..nprefer) (compared
 * without case and surrounding spaces), else the first visible worksheet.
 * Reads the shared strings and styles. NULL after a diagnostic when it
 * cannot. */
book *book_open(const char *path, const char *sheet, const char *const *prefer, size_t nprefer,
                        diag_list *d);
/* Where later diagnostics go (the sink of the thread that reads). */
void book_set_diag(book *wb, diag_list *d);
/* The chosen sheet's name. */
const char *book_sheet(const book *wb);
/* The next piece of CSV text in *s, *n. With line set, a piece ends at
 * the first line end (so the header can be read without reading past
 * it). Returns 1 with a piece, 0 at the end of the sheet, -1 when reading
 * has to stop (the reason is a diagnostic; the good rows before it are
 * handed out first). */
int book_next(book *wb, int line, const char **s, size_t *n);
/* Bytes of the sheet's XML read so far, and its uncompressed size. */
unsigned long long book_offset(const book *wb);
unsigned long long book_size(const book *wb);
/* The hex SHA-256 of the workbook file ("" when it could not be read). */
void book_finish(book *wb, char out[65]);
void book_close(book **wb);

#endif
