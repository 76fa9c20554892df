/*
 * spool.h - the spool: a temporary file holding every evaluated
 * bottom-level unit (household), so that memory does not grow with their
 * number. Units are appended as they are evaluated and read back, in
 * input order, for the reports and for duplicate settling.
 *
 * What is stored of a unit: its line, status, claim, orphan flag, the
 * slots below its level's aggregates (indicators, parameters, derived
 * values: what the reports show) and its target statuses. Aggregates and
 * verdicts are not stored (a bottom-level unit has no children; verdicts
 * follow from status and claim). A unit can be marked rejected in place
 * afterwards (a duplicate id); reading skips it unless asked not to.
 *
 * Ownership: the spool owns its file and buffers. A unit read back points
 * into the spool's read buffer (its text, id, parent and name) and into
 * the slots array the caller gives: both are valid until the next read.
 */
#ifndef EXITCHECK_SPOOL_H
#define EXITCHECK_SPOOL_H

#include <stdint.h>

#include "diag.h"
#include "rules.h"
#include "unit.h"

typedef struct spool spool;

/* A new, empty spool in TMPDIR (or /tmp). NULL after a diagnostic when the
 * file cannot be made. */
spool *spool_new(diag_list *d);
void spool_free(spool **sp);

/* Appends an evaluated unit; *off receives the offset of its record.
 * Returns 0, or -1 after a diagnostic (out of memory, a write error). */
int spool_put(spool *sp, const unit_rec *u, uint64_t *off);
/* Writes out what is buffered. 0, or -1 after a diagnostic. */
int spool_flush(spool *sp);
/* Marks the record at off rejected (after spool_flush). 0 or -1. */
int spool_reject(spool *sp, uint64_t off);
/* Units put so far. */
long spool_count(const spool *sp);

/* Reading back, in the order the units were put: only what has been
 * written out (spool_flush first). */
typedef struct spool_reader spool_reader;
/* A reader of lv's units that decodes slots [0, upto) of each into the
 * caller's slots array (upto is cut to the stored slots; the rest are not
 * touched). NULL when out of memory or the file cannot be rewound. */
spool_reader *spool_read(spool *sp, const rule_level *lv, int upto, value *slots);
/* 1 with the next unit in *u (and its record's offset), 0 at the end, -1
 * when the file cannot be read or a record is malformed. Rejected units
 * are skipped unless with_rejected is set. u->reported, u->applied and
 * u->differs are left as the caller set them. */
int spool_next(spool_reader *r, unit_rec *u, uint64_t *off, int with_rejected);
void spool_read_end(spool_reader **r);

#endif
