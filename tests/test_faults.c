/*
 * test_faults.c - out of memory at every allocation of a whole check.
 *
 * One run loads rules/gansu, checks the small data set of
 * fixtures/cases/small-json (county, village and household tables) and
 * writes the reports in every format (JSON and text first, then CSV,
 * JUnit, Markdown, units, HTML and the xlsx workbook) to a temporary file. The run is made
 * first with every allocation granted (the baseline), then once for each
 * N = 1, 2, 3, ... with mem_fail_after(N), so the Nth allocation of the
 * run fails, until a run no longer reaches its Nth allocation.
 *
 * Each run must end in one of these ways, and never crash:
 *   - a step fails cleanly: diag_new or rules_load or check_new returns
 *     NULL, check_run -1, with out of memory recorded in the diagnostics
 *     (diag_out_of_memory), or a report writer returns -1 (its caller
 *     reports that);
 *   - every step succeeds but the run recorded out of memory;
 *   - every step succeeds, nothing was recorded, and the reports are
 *     byte for byte those of the baseline (the failure was absorbed).
 * A run that fails a step with errors but no out-of-memory record is
 * "misreported" (the user would read a wrong cause); --strict fails those.
 *
 * A plain program rather than a Criterion test, so that valgrind (ctest
 * valgrind_faults) sees the one process that does the work. It prints one
 * line per failing run and a final line "N passed, M failed"; it exits 0
 * only when nothing failed. Options: --from N, --to N, --step N (a subset
 * of the runs), --strict, --verbose (a line per run), --srcdir DIR,
 * --dump N (print the reports of run N, 0 = the baseline, and stop).
 * Other arguments (such as Criterion's --verbose=0) are ignored.
 */
#include "check.h"
#include "diag.h"
#include "mem.h"
#include "report.h"
#include "rules.h"
#include "strbuf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifndef TEST_SRCDIR
#define TEST_SRCDIR "."
#endif

typedef struct outcome {
    int failed_step;        /* a step returned NULL or -1 */
    const char *step;       /* which one first */
    int oom;                /* diag_out_of_memory */
    size_t errors;          /* diag_errors */
    int report_failed;      /* a writer returned -1 */
    int status;             /* as exitcheck check would exit */
    long hits;              /* injected failures reached */
    char *out;              /* the reports, when both were written */
    size_t outlen;
    char first_diag[512];   /* the first stored diagnostic, for messages */
} outcome;

static char pack[4200], tables[3][4200];

static char *slurp(FILE *f, size_t *len)
{
    /* plain malloc: the test's own memory is outside the injection */
    if (fflush(f) != 0 || fseek(f, 0, SEEK_END) != 0)
        return NULL;
    long n = ftell(f);
    if (n < 0 || fseek(f, 0, SEEK_SET) != 0)
        return NULL;
    char *buf = malloc((size_t)n + 1);
    if (!buf)
        return NULL;
    if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
        free(buf);
        return NULL;
    }
    buf[n] = '\0';
    *len = (size_t)n;
    return buf;
}

static void fail_step(outcome *o, const char *step)
{
    if (!o->failed_step)
        o->step = step;
    o->failed_step = 1;
}

/* One whole run with the nth allocation failing (0: none). */
static void run(long n, outcome *o)
{
    memset(o, 0, sizeof *o);
    diag_list *d = NULL;
    ruleset *rs = NULL;
    checker *c = NULL;
    report_facts *facts = NULL;
    FILE *f = NULL;

    mem_fail_after(n);
    d = diag_new();
    if (!d) {
        fail_step(o, "diag_new");
        goto done;
    }
    rs = rules_load(pack, d);
    if (!rs) {
        fail_step(o, "rules_load");
        goto done;
    }
    if (rules_set_param(rs, "province_budget_revenue_growth", 8, d)) {
        fail_step(o, "rules_set_param");
        goto done;
    }
    c = check_new(rs, d);
    if (!c) {
        fail_step(o, "check_new");
        goto done;
    }
    check_input inputs[3] = {{tables[0]}, {tables[1]}, {tables[2]}};
    table_opts opts = {ENC_AUTO, 0, 1, NULL, NULL, 0}; /* one thread: allocations in a fixed order */
    if (check_run(c, inputs, &opts))
        fail_step(o, "check_run");
    o->status = diag_errors(d) || diag_out_of_memory(d) ? EXIT_ERROR : check_verdict(c) ? EXIT_CLAIMS_FAIL : EXIT_OK;
    facts = report_facts_new(rs, c, (exit_status)o->status);
    if (!facts) {
        o->report_failed = 1;
        fail_step(o, "report_facts_new");
        goto done;
    }
    report_ctx r = {rs, c, d, facts, {0, 1, 0, 0}, FMT_TEXT};
    f = tmpfile();
    if (!f) {
        perror("tmpfile");
        exit(2);
    }
    static const struct {
        const char *name;
        int (*write)(const report_ctx *, FILE *);
    } writers[] = {
        {"report_json", report_json}, {"report_text", report_text}, {"report_csv", report_csv},
        {"report_junit", report_junit}, {"report_md", report_md}, {"report_units", report_units},
        {"report_html", report_html}, {"report_xlsx", report_xlsx},
    };
    _Static_assert(sizeof writers / sizeof writers[0] == FMT__COUNT, "a new report format: add its writer here");
    for (size_t k = 0; k < sizeof writers / sizeof writers[0]; k++)
        if (writers[k].write(&r, f)) {
            o->report_failed = 1;
            fail_step(o, writers[k].name);
        }
    if (!o->report_failed) {
        o->out = slurp(f, &o->outlen);
        if (!o->out) {
            perror("reading the report back");
            exit(2);
        }
    }
done:
    if (d) {
        o->oom = diag_out_of_memory(d);
        o->errors = diag_errors(d);
        if (diag_count(d)) {
            strbuf sb = STRBUF_INIT;
            diag_format(diag_get(d, 0), &sb);
            snprintf(o->first_diag, sizeof o->first_diag, "%s", sb.oom ? "" : strbuf_str(&sb));
            strbuf_free(&sb);
            o->first_diag[strcspn(o->first_diag, "\n")] = '\0';
        }
    }
    if (f)
        fclose(f);
    report_facts_free(&facts);
    check_free(&c);
    rules_free(&rs);
    diag_free(&d);
    o->hits = mem_failures(); /* before mem_fail_after(0), which resets it */
    mem_fail_after(0);
}

/* The first line where a and b differ, for the message. */
static void first_difference(const char *a, size_t alen, const char *b, size_t blen, char *msg, size_t cap)
{
    size_t i = 0, line = 1, start = 0;
    while (i < alen && i < blen && a[i] == b[i]) {
        if (a[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    const char *ae = memchr(a + start, '\n', alen - start), *be = memchr(b + start, '\n', blen - start);
    int al = (int)((ae ? (size_t)(ae - a) : alen) - start), bl = (int)((be ? (size_t)(be - b) : blen) - start);
    snprintf(msg, cap, "report line %zu is '%.*s', the baseline has '%.*s'", line, al > 120 ? 120 : al, a + start,
             bl > 120 ? 120 : bl, b + start);
}

int main(int argc, char **argv)
{
    const char *srcdir = TEST_SRCDIR;
    long from = 1, to = -1, step = 1;
    int strict = 0, verbose = 0;
    long dump = -1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--from") && i + 1 < argc)
            from = atol(argv[++i]);
        else if (!strcmp(argv[i], "--to") && i + 1 < argc)
            to = atol(argv[++i]);
        else if (!strcmp(argv[i], "--step") && i + 1 < argc)
            step = atol(argv[++i]);
        else if (!strcmp(argv[i], "--srcdir") && i + 1 < argc)
            srcdir = argv[++i];
        else if (!strcmp(argv[i], "--dump") && i + 1 < argc)
            dump = atol(argv[++i]);
        else if (!strcmp(argv[i], "--strict"))
            strict = 1;
        else if (!strcmp(argv[i], "--verbose"))
            verbose = 1;
    }
    if (from < 1)
        from = 1;
    if (step < 1)
        step = 1;
    snprintf(pack, sizeof pack, "%s/rules/gansu", srcdir);
    static const char *const names[3] = {"county.csv", "village.csv", "household.csv"};
    for (int i = 0; i < 3; i++)
        snprintf(tables[i], sizeof tables[i], "%s/fixtures/cases/small-json/data/%s", srcdir, names[i]);

    outcome base;
    if (dump >= 0) {
        run(dump, &base);
        printf("run %ld: %s%s, %zu errors, %ld injected failures reached\n", dump,
               base.step ? base.step : "completed", base.oom ? ", out of memory recorded" : "", base.errors, base.hits);
        if (base.out)
            fwrite(base.out, 1, base.outlen, stdout);
        free(base.out);
        return 0;
    }
    run(0, &base);
    if (base.failed_step || base.oom || base.hits || !base.out) {
        printf("FAIL baseline: the run without injected failures did not complete (%s; %s)\n",
               base.step ? base.step : "no report", base.first_diag);
        printf("0 passed, 1 failed\n");
        return 1;
    }

    long passed = 0, failed = 0, misreported = 0, absorbed = 0, last = 0;
    for (long n = from; to < 0 || n <= to; n += step) {
        outcome o;
        if (verbose)
            fprintf(stderr, "allocation %ld\n", n);
        run(n, &o);
        last = n;
        char why[800] = "";
        int ok;
        if (o.hits == 0) {
            /* the run ended before its nth allocation: it must be the baseline */
            ok = !o.failed_step && !o.oom && o.out && o.outlen == base.outlen && !memcmp(o.out, base.out, o.outlen);
            if (!ok)
                snprintf(why, sizeof why, "a run without an injected failure differs from the baseline");
        } else if (o.failed_step) {
            if (o.oom || o.report_failed || !strcmp(o.step, "diag_new")) {
                ok = 1;
            } else if (o.errors) {
                misreported++;
                ok = !strict;
                printf("%s allocation %ld: %s failed with errors but no out-of-memory record: %s\n",
                       strict ? "FAIL" : "note", n, o.step, o.first_diag);
            } else {
                ok = 0;
                snprintf(why, sizeof why, "%s failed without any error recorded", o.step);
            }
        } else if (o.oom) {
            ok = 1;
        } else if (o.outlen == base.outlen && !memcmp(o.out, base.out, o.outlen)) {
            ok = 1;
            absorbed++;
        } else {
            ok = 0;
            char diff[600];
            first_difference(o.out, o.outlen, base.out, base.outlen, diff, sizeof diff);
            snprintf(why, sizeof why, "the run went on silently with different results: %s", diff);
        }
        if (ok) {
            passed++;
        } else {
            failed++;
            printf("FAIL allocation %ld: %s\n", n, why);
        }
        if (verbose)
            fprintf(stderr, "allocation %ld: %s%s%s\n", n, o.hits ? (o.step ? o.step : "completed") : "not reached",
                    o.oom ? ", out of memory recorded" : "", ok ? "" : " FAILED");
        int done = o.hits == 0;
        free(o.out);
        if (done)
            break;
    }
    free(base.out);
    printf("faults: runs %ld to %ld (step %ld); %ld absorbed with the baseline's reports, %ld misreported\n", from,
           last, step, absorbed, misreported);
    printf("%ld passed, %ld failed\n", passed, failed);
    return failed ? 1 : 0;
}
