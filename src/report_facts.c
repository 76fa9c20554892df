/*
 * report_facts.c - the facts of a run that the report formats share (see
 * report_facts.h). Everything here is counted or looked up once per run;
 * no unit is read (the summaries already hold the per-level counts).
 *
 * Invariant: levels[i] is level i of the pack, params[i] parameter i, and
 * params[i].years[y] the value for years[y], whatever the format.
 */
#include "report_facts.h"
#include "mem.h"

#include <assert.h>
#include <string.h>

/* As check_verdict decides the exit status: on the exits when there are
 * any (this year's claims and earlier exits), else on the units. */
static report_verdict verdict_of(exit_status status, const report_facts *f)
{
    switch (status) {
    case EXIT_ERROR: return VERDICT_ERRORS;
    case EXIT_OK:
    case EXIT_CLAIMS_FAIL: break;
    }
    if (f->claimed || f->earlier)
        return f->bad || f->earlier_wrong ? VERDICT_SOME_FAIL : VERDICT_ALL_SUPPORTED;
    return status == EXIT_OK ? VERDICT_NOCLAIM_PASS : VERDICT_NOCLAIM_FAIL;
}

/* The nearest ancestor of level i whose table was read, -1 when none. */
static long read_ancestor(const report_facts *f, size_t i)
{
    for (int p = f->levels[i].level->parent; p >= 0; p = f->levels[p].level->parent) {
        const table_stats *st = f->levels[p].stats;
        if (st && !st->unread)
            return p;
    }
    return -1;
}

static void level_facts(report_facts *f, const ruleset *rs, const checker *c)
{
    f->nlevels = rules_nlevels(rs);
    assert(f->nlevels <= RULES_MAX_LEVELS);
    f->leaf = -1;
    for (size_t i = 0; i < f->nlevels; i++) {
        report_level_facts *l = &f->levels[i];
        l->level = rules_level(rs, i);
        l->sum = check_summary(c, i);
        l->stats = check_stats(c, i);
        l->path = check_input_path(c, i);
        l->not_ok = l->sum->fail + l->sum->unknown + l->sum->warn;
        l->bad_claims = l->sum->claims.wrong + l->sum->claims.unsupported;
        l->earlier = l->sum->earlier.claimed;
        l->earlier_wrong = l->sum->earlier.wrong;
        l->earlier_bad = l->sum->earlier.wrong + l->sum->earlier.unsupported;
        f->claimed += l->sum->claims.claimed;
        f->bad += l->bad_claims;
        f->earlier += l->earlier;
        f->earlier_wrong += l->earlier_wrong;
        f->earlier_unsupported += l->sum->earlier.unsupported;
        f->by_waiver += l->sum->claims.by_waiver;
        f->earlier_by_waiver += l->sum->earlier.by_waiver;
        f->units_by_waiver += l->sum->by_waiver;
        f->differs += l->sum->differs;
        if (l->level->child < 0)
            f->leaf = (long)i;
    }
    /* the same test as rollup_mismatch's: more than half */
    f->mismatch_level = f->mismatch_ancestor = -1;
    for (size_t i = 0; i < f->nlevels && f->mismatch_level < 0; i++) {
        const level_summary *s = f->levels[i].sum;
        long anc = read_ancestor(f, i);
        if (anc >= 0 && s->unmatched * 2 > s->units) {
            f->mismatch_level = (long)i;
            f->mismatch_ancestor = anc;
            f->mismatch_unmatched = s->unmatched;
            f->mismatch_units = s->units;
        }
    }
}

/* One parameter's value for each data year, and the years it was missing. */
static int param_facts(report_facts *f, report_param_facts *pf, const missing_param *mp, size_t nmp)
{
    const rule_param *p = pf->param;
    if (f->nyears && !(pf->years = mem_calloc(f->nyears, sizeof *pf->years)))
        return -1;
    for (size_t y = 0; y < f->nyears; y++) {
        report_param_year *py = &pf->years[y];
        py->year = f->years[y];
        py->v = rules_param_value(p, 1, py->year, &py->entry);
        if (p->overridden)
            py->origin = PARAM_OVERRIDDEN;
        else if (py->entry)
            py->origin = py->entry->confirmed ? PARAM_CONFIRMED : PARAM_UNVERIFIED;
        else
            py->origin = PARAM_NO_VALUE;
        for (size_t m = 0; m < nmp; m++)
            if (mp[m].param == p && mp[m].year == py->year)
                py->units_missing = mp[m].units;
    }
    for (size_t m = 0; m < nmp; m++)
        pf->nmissing += mp[m].param == p;
    if (pf->nmissing && !(pf->missing_years = mem_calloc(pf->nmissing, sizeof *pf->missing_years)))
        return -1;
    size_t k = 0;
    for (size_t m = 0; m < nmp; m++)
        if (mp[m].param == p)
            pf->missing_years[k++] = mp[m].year;
    return 0;
}

report_facts *report_facts_new(const ruleset *rs, const checker *c, exit_status status)
{
    report_facts *f = mem_calloc(1, sizeof *f);
    if (!f)
        return NULL;
    f->status = status;
    level_facts(f, rs, c);
    f->waivers = check_waivers(c);
    f->verdict = verdict_of(status, f);
    f->nyears = check_years(c, &f->years);
    const missing_param *mp;
    size_t nmp = check_missing_params(c, &mp);
    f->nparams = rules_nparams(rs);
    if (f->nparams && !(f->params = mem_calloc(f->nparams, sizeof *f->params))) {
        report_facts_free(&f);
        return NULL;
    }
    for (size_t i = 0; i < f->nparams; i++) {
        f->params[i].param = rules_param(rs, i);
        if (param_facts(f, &f->params[i], mp, nmp)) {
            report_facts_free(&f);
            return NULL;
        }
    }
    return f;
}

void report_facts_free(report_facts **fp)
{
    report_facts *f = *fp;
    if (!f)
        return;
    for (size_t i = 0; f->params && i < f->nparams; i++) {
        mem_free(f->params[i].years);
        mem_free(f->params[i].missing_years);
    }
    mem_free(f->params);
    mem_free(f);
    *fp = NULL;
}
