/*
 * sample_write.h - a sample's manifest and survey form (SPEC §7.1), each a
 * writer for report_write_atomic (ctx: the sampler after sample_run).
 *
 * Manifest: `level,unit_id,parent_id,county_id,stratum,pi,weight,u`, one
 * row per unit drawn, the villages first, in the sampler's order; pi and
 * weight with 17 significant digits, u as the 16 hex digits of its 8
 * bytes.
 *
 * Form: a UTF-8 CSV with a BOM and Chinese headers, one row per household
 * drawn: its id, village id, village name, county id and stratum filled
 * in, then an empty column for every column the household targets and the
 * level's identify rule read (through derived values too;
 * sample_form_columns), then the registered
 * and people columns and 认可 (recognition). Filled in, it is a survey
 * table of the household level.
 */
#ifndef EXITCHECK_SAMPLE_WRITE_H
#define EXITCHECK_SAMPLE_WRITE_H

#include <stdio.h>

#include "sample.h"

int sample_write_manifest(const void *ctx, FILE *out);
int sample_write_form(const void *ctx, FILE *out);

/* Sets want[i] (lv->nind entries) for each column of lv the form leaves
 * empty for the survey: those the targets and identify read, less the id,
 * year, claim and status columns; returns how many. */
size_t sample_form_columns(const rule_level *lv, unsigned char *want);

#endif
