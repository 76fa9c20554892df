/*
 * reader.h - reads a file ahead on a second thread and takes its SHA-256
 * there, so that the thread that parses the file never waits for the disk
 * or the hash.
 *
 * The background thread fills a small ring of fixed-size blocks (memory
 * does not grow with the file) and feeds each block to the digest in file
 * order; reader_read hands the bytes over in the same order, like fread.
 * The digest always covers the whole file: reader_finish reads and hashes
 * what the parser did not consume (a run that stopped at a bad line still
 * reports the SHA-256 that sha256sum gives for the file).
 *
 * Lifecycle: reader_open (takes the FILE) -> reader_read ... ->
 * reader_finish (the digest) -> reader_close. Errors are values: a read
 * error is returned by reader_read as -1 with the errno it had.
 */
#ifndef EXITCHECK_READER_H
#define EXITCHECK_READER_H

#include <stddef.h>
#include <stdio.h>

typedef struct reader reader;

/* Starts reading f on a thread of its own; NULL when memory or threads
 * ran out (f is not closed then). */
reader *reader_open(FILE *f);
/* Copies up to n bytes into dst. Returns the count, 0 at end of file, or
 * -1 on a read error (*err set to its errno). */
long reader_read(reader *r, void *dst, size_t n, int *err);
/* Bytes handed over by reader_read so far. */
unsigned long long reader_offset(const reader *r);
/* Reads the rest of the file and writes its hex SHA-256 ("" after a read
 * error). Returns 0, or -1 after a read error (*err set). */
int reader_finish(reader *r, char out[65], int *err);
/* Stops the thread and frees everything; closes the FILE. */
void reader_close(reader **r);

#endif
