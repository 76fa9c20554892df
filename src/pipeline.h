/*
 * pipeline.h - the two stages of table_read: the parser (decoding,
 * framing) fills batches of records, the checker (converting, the row
 * callback) empties them in file order. With two threads the parser has
 * its own and the stages overlap through a ring of three batches; with one,
 * each batch is delivered when full. The results are the same either way.
 *
 * Ownership: before pipeline_run and after it, the calling thread owns
 * everything. During it, the parser owns the batch it fills and all that
 * `parse` touches (in table.c the decoder, the framer, their sink); the
 * checker (the calling thread) owns each batch from its hand-over until
 * it gives it back, and all that the consumer touches (the converter, the
 * statistics, the caller's sink). Batches change hands under the lock,
 * recorded in their owner and asserted. Lifecycle: pipeline_new ->
 * pipeline_run (once) -> pipeline_free; the pipeline owns its batches.
 */
#ifndef EXITCHECK_PIPELINE_H
#define EXITCHECK_PIPELINE_H

#include <stddef.h>

#include "frame.h"

typedef struct pipeline pipeline;

/* The checker's side, called on the calling thread. record takes each
 * record with its cells and returns non-zero to stop (nothing more is
 * delivered and the parser stops at its next hand-over); batch_done, if
 * not NULL, follows each batch delivered, with the file's bytes read when
 * the batch was handed over. */
typedef struct pipeline_consumer {
    int (*record)(void *ctx, const frame_record *r, const frame_cells *c);
    void (*batch_done)(void *ctx, unsigned long long bytes);
    void *ctx;
} pipeline_consumer;

/* Batches of records with nslots cells each; the parser gets a thread of
 * its own when threads != 1. NULL when memory ran out. */
pipeline *pipeline_new(size_t nslots, int threads);
void pipeline_free(pipeline **pl);

/* Runs parse(parse_ctx), which fills batches through the calls below and
 * ends with pipeline_hand_over(..., last = 1), and delivers every record
 * to c. Returns 1 when the consumer stopped, else 0. */
int pipeline_run(pipeline *pl, void (*parse)(void *), void *parse_ctx, const pipeline_consumer *c);

/* The parser's side. Where the next record's cells go. */
frame_cells pipeline_cells(pipeline *pl);
/* Keeps a record, its cells written, in the batch being filled. Returns 1
 * when that batch is full and must be handed over, else 0. */
int pipeline_put(pipeline *pl, const frame_record *r);
/* Hands the batch being filled to the checker (bytes: of the file read so
 * far; last: nothing follows) and takes the next free one, waiting for it.
 * Returns -1 when the checker has stopped: the parser stops too. */
int pipeline_hand_over(pipeline *pl, unsigned long long bytes, int last);

#endif
