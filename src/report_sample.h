/*
 * report_sample.h - the report of `exitcheck sample`, in the formats
 * text, json (schema "exitcheck-sample/1"), csv, html and md, English or
 * Chinese: the seed, the plan's, the pack's and the frame's SHA-256, rows
 * read and rejected, per stratum N, n and pi, what was not drawn and why,
 * and the diagnostics.
 *
 * Deterministic like check's reports: the same frame, plan and seed give
 * the same bytes (no time stamps; the sampler's order).
 */
#ifndef EXITCHECK_REPORT_SAMPLE_H
#define EXITCHECK_REPORT_SAMPLE_H

#include <stdio.h>

#include "diag.h"
#include "plan.h"
#include "report.h"
#include "rules.h"
#include "sample.h"

typedef struct sample_report_ctx {
    const ruleset *rs;
    const plan *p;
    const sampler *s;         /* NULL when the run stopped before drawing */
    const diag_list *d;
    int zh;
    int bom;                  /* csv: begin with a UTF-8 BOM */
    exit_status status;
    report_format format;     /* FMT_TEXT, FMT_JSON, FMT_CSV, FMT_HTML, FMT_MD or FMT_XLSX */
} sample_report_ctx;

/* A writer for report_write_atomic; ctx is a sample_report_ctx. */
int sample_report_write(const void *ctx, FILE *out);

#endif
