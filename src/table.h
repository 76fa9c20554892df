/*
 * table.h - streams one CSV table of a level through libcsv and turns each
 * record into typed values for that level's indicators.
 *
 * table_open reads the header and maps its columns to the level's
 * indicators (by id, Chinese header or alias; surrounding ASCII and
 * full-width spaces trimmed, and else inner spaces, line breaks and a
 * trailing unit suffix in brackets ignored); table_read then streams
 * every record to a callback.
 *
 * The header is the first of the first TABLE_HEADER_SEARCH records that
 * has the level's key column and enough of the columns the rules need
 * (convert_header_fits); the records above it are a title (offices put
 * one or two title rows above the header), neither data nor counted, and
 * a note says where the header was found. When none fits, line 1 is the
 * header. opts->header_row forces the line. A header line with no comma
 * but tabs or semicolons makes the file tab- or semicolon-separated (a
 * note says so).
 *
 * Only the columns the rules use are converted. Nothing is held per
 * record after the callback returns: memory does not grow with the
 * number of rows.
 *
 * A table may be an Excel workbook (.xlsx, told by its first bytes, not
 * its name): book.c then takes decode.c's place, turning one sheet
 * into CSV lines whose line and field numbers are the sheet's rows and
 * columns, and diagnostics name cells (diag_set_sheet). A row of a sheet
 * may end before the header does (Excel leaves trailing empty cells
 * out): the cells it lacks are empty. A legacy .xls workbook is refused
 * with a message.
 *
 * Locations: `line` is the physical line on which a record starts (the
 * file's first line is line 1, a title row's or the header's; a BOM does
 * not count; a newline inside a quoted field advances it); `column` is
 * the field's 1-based position in the record.
 *
 * Accounting: every record is either delivered (rows_read - rows_rejected)
 * or rejected with a reason counted in rejected[]; blank lines are not
 * records.
 */
#ifndef EXITCHECK_TABLE_H
#define EXITCHECK_TABLE_H

#include <stddef.h>

#include "diag.h"
#include "rules.h"
#include "value.h"

enum {
    TABLE_MAX_FIELD = 1024 * 1024,   /* bytes in one field */
    TABLE_MAX_COLUMNS = 10000,
};

typedef enum { ENC_AUTO, ENC_UTF8, ENC_GB18030 } table_encoding;

/* Where reading stands, for a progress display. */
typedef struct table_progress {
    const char *path;
    unsigned long long bytes;   /* of the file, read so far */
    unsigned long long total;   /* the file's size; 0 when not known */
    long rows;                  /* records delivered or rejected so far */
    int done;                   /* the last call for this table */
} table_progress;

typedef struct table_opts {
    table_encoding encoding;
    int partial;                /* let a table lacking needed columns through */
    int threads;                /* 1: parse on the calling thread; otherwise the
                                   parser gets a thread of its own (same results) */
    /* called on the calling thread every thousand records or so, and once
     * with done set; NULL for none */
    void (*progress)(void *ctx, const table_progress *p);
    void *progress_ctx;
    const char *sheet;          /* --sheet: a workbook's sheet by name or 1-based number;
                                   NULL: the one named after the level, else the first */
    long header_row;            /* --header-row: the line of the header (the lines above
                                   it skipped); 0 = found among the first TABLE_HEADER_SEARCH
                                   records (title rows above it skipped) */
} table_opts;

/* Records searched for the header when it is not on line 1. */
enum { TABLE_HEADER_SEARCH = 10 };

typedef enum {
    REJECT_RAGGED,              /* wrong number of fields */
    REJECT_NO_KEY,              /* the unit id is empty */
    REJECT_DUPLICATE,           /* the unit id was seen before (set by the caller) */
    REJECT_NUL,                 /* a NUL byte in a field */
    REJECT_UNTERMINATED,        /* a quoted field open at end of file */
    REJECT_TOTALS,              /* a totals row (合计, 小计, 总计): not a unit */
    REJECT__COUNT
} reject_reason;

extern const char *const reject_names[REJECT__COUNT];

typedef struct table_row {
    long line;
    const value *vals;          /* one per indicator of the level */
    int errors;                 /* cells in error in this row */
} table_row;

/* Returns 0 to go on, non-zero to reject the row with REJECT_DUPLICATE
 * (the callback has already reported why). */
typedef int (*table_row_fn)(void *ctx, const table_row *row);

typedef struct table_stats {
    long rows_read;
    long rows_rejected;
    long rejected[REJECT__COUNT];
    long cell_errors;
    const char *encoding;       /* "utf-8", "utf-8 (BOM)", "gb18030", "xlsx" (a workbook) or "unread" */
    int unread;                 /* the table could not be read at all */
    char sha256[65];            /* of the raw bytes; complete after table_read */
    long sample_form;           /* the header's column (1-based) named TABLE_SAMPLE_COLUMN: the
                                   table is a sample's survey form (exitcheck sample --form); 0 if none */
} table_stats;

/* The stratum column of the survey form `exitcheck sample` writes: a
 * table that has it holds a sample, not a register. */
#define TABLE_SAMPLE_COLUMN "抽样层"

typedef struct table table;

/* Opens path and reads its header. Returns NULL after recording
 * diagnostics when the file cannot be read, is empty, has a bad header or
 * lacks columns the rules need (unless opts->partial). */
table *table_open(const char *path, const rule_level *lv, const table_opts *opts, diag_list *d);
/* Streams every record to fn. Returns 0, or -1 when reading had to stop
 * (I/O error, an encoding contradiction, an overlong field); the rows
 * before the stop have been delivered and the stop is a diagnostic. */
int table_read(table *t, table_row_fn fn, void *ctx);
const table_stats *table_get_stats(const table *t);
const char *table_path(const table *t);
/* 1 when the table has a column for indicator i. */
int table_has_column(const table *t, size_t i);
/* The 1-based column of indicator i in the header, 0 when there is none. */
long table_column(const table *t, size_t i);
void table_close(table **t);

#endif
