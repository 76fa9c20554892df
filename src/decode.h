/*
 * decode.h - the first stage of reading a table: the file's raw bytes ->
 * UTF-8 pieces for the framer.
 *
 * Reads the file ahead through reader.c (which hashes every raw byte),
 * decides the encoding from the first block (--encoding auto|utf-8|
 * gb18030, a UTF-8 byte order mark, UTF-16 refused) and hands out UTF-8.
 * It counts no lines: its messages take the framer's position from the
 * caller (decode_where).
 *
 * Lifecycle: decode_open -> decode_next ... -> decode_end -> decode_finish
 * (the digest) -> decode_close. The decoder owns the file, the reader and
 * its buffers; a piece lent by decode_next is valid until the next call.
 */
#ifndef EXITCHECK_DECODE_H
#define EXITCHECK_DECODE_H

#include <stddef.h>

#include "diag.h"
#include "table.h"

typedef struct decoder decoder;

/* How far decode_next goes: DECODE_LINE hands out no more than the raw
 * bytes up to the first CR or LF (or a full block), so that the header
 * can be read without reading past it; DECODE_ALL hands out whatever is
 * buffered. */
typedef enum { DECODE_LINE, DECODE_ALL } decode_mode;

/* Where the framer stands, for the decoder's messages: the physical line
 * it is on and the line the record in progress (or the next) starts on. */
typedef struct decode_where {
    long line;
    long record_line;
} decode_where;

/* Opens path (which must outlive the decoder) and starts reading it ahead.
 * Returns NULL after a diagnostic in d when it cannot be opened, is a
 * directory, or memory ran out. */
decoder *decode_open(const char *path, table_encoding want, diag_list *d);
/* Where later diagnostics go (the sink of the thread that decodes). */
void decode_set_diag(decoder *dc, diag_list *d);
/* The next piece of UTF-8 in *s, *n (n may be 0). Returns 1 with a piece,
 * 0 at end of file, or -1 when reading has to stop (the reason is a
 * diagnostic at `at`). A fault after good bytes hands those out first and
 * is reported by the next call, with the position after them. */
int decode_next(decoder *dc, decode_mode mode, decode_where at, const char **s, size_t *n);
/* At end of file: -1 with a diagnostic when the file ends inside a UTF-8
 * character, else 0. */
int decode_end(decoder *dc, decode_where at);
/* The line end the framer splits at: '\n', or '\r' in a file whose first
 * block has CRs and no LF (old spreadsheet exports). */
char decode_eol(const decoder *dc);
/* "utf-8", "utf-8 (BOM)" or "gb18030"; NULL until the first byte is read
 * (so NULL at end of file means an empty file). */
const char *decode_encoding(const decoder *dc);
/* Raw bytes handed over so far, and the file's size (0 when not known). */
unsigned long long decode_offset(const decoder *dc);
unsigned long long decode_size(const decoder *dc);
/* Reads the rest of the file and writes its hex SHA-256 ("" after a read
 * error). Returns 0, or -1 after a read error, which is a diagnostic at
 * line unless quiet (reading had already stopped for another reason). */
int decode_finish(decoder *dc, char sha256[65], long line, int quiet);
void decode_close(decoder **dc);

#endif
