/*
 * report_verify.h - the report of `exitcheck verify` in the formats text,
 * md, html, json (schema "exitcheck-verify/1", documented in
 * exitcheck(1)) and csv (the household list, header on row 1), English or
 * Chinese. Deterministic: the same inputs give the same bytes.
 */
#ifndef EXITCHECK_REPORT_VERIFY_H
#define EXITCHECK_REPORT_VERIFY_H

#include <stdio.h>

#include "diag.h"
#include "report.h"
#include "rules.h"
#include "verify.h"

typedef struct verify_report_ctx {
    const ruleset *rs;
    const verifier *v;
    const diag_list *d;
    int zh;
    int bom;                  /* csv: begin with a UTF-8 BOM */
    exit_status status;
    report_format format;     /* FMT_TEXT, FMT_JSON, FMT_CSV, FMT_HTML, FMT_MD or FMT_XLSX */
} verify_report_ctx;

/* A writer for report_write_atomic; ctx is a verify_report_ctx. */
int verify_report_write(const void *ctx, FILE *out);

#endif
