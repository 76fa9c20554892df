/*
 * report_json.c - the machine-readable report, schema "exitcheck-report/1"
 * (documented in exitcheck(1), section JSON REPORT).
 *
 * Layout: pretty-printed at the top, one unit per line inside "units" so a
 * report can be grepped and diffed line by line. Numbers are written in the
 * shortest form that reads back to the same double; unknown values are
 * null. Key order is fixed, so output is byte-reproducible.
 *
 * Waivers (SPEC §8): each level's summary always counts the units and the
 * claims that hold only by waiver and, per target, the units for which it
 * is waived; "waivers" (after "inputs") is null without a waiver file.
 * Only a run with a waiver file gives each unit "by_waiver", and a waived
 * target its "waiver" (with its outcome without the waiver).
 */
#include "report.h"
#include "waiver.h"

#include <string.h>

typedef struct jw {
    FILE *out;
    strbuf sb;    /* one line at a time */
} jw;

static void jstr_n(strbuf *sb, const char *s, size_t n) { report_json_str_n(sb, s, n); }

static void jstr(strbuf *sb, const char *s)
{
    if (!s)
        strbuf_puts(sb, "null");
    else
        jstr_n(sb, s, strlen(s));
}

static void jnum(strbuf *sb, double v) { strbuf_num(sb, v); }

static void jrate(strbuf *sb, long part, long whole)
{
    if (!whole)
        strbuf_puts(sb, "null");
    else
        jnum(sb, report_rate(part, whole));
}

/* The people-weighted wrong-exit rate of t, or null. */
static void jprate(strbuf *sb, const claim_tally *t)
{
    double r;
    if (report_people_rate(t, &r))
        strbuf_puts(sb, "null");
    else
        jnum(sb, r);
}

/* An exit tally as {"claimed"|"exited": N, "supported": N, ...}; with
 * by_waiver, "supported_by_waiver" follows "supported". */
static void jtally(strbuf *sb, const char *total, const claim_tally *t, int by_waiver)
{
    strbuf_printf(sb, "{\"%s\": %ld, \"supported\": %ld", total, t->claimed, t->supported);
    if (by_waiver)
        strbuf_printf(sb, ", \"supported_by_waiver\": %ld", t->by_waiver);
    strbuf_printf(sb, ", \"wrong_exit\": %ld, \"unsupported\": %ld}", t->wrong, t->unsupported);
}

/* A date YYYYMMDD as "YYYY-MM-DD"; null for 0. */
static void jdate(strbuf *sb, int yyyymmdd)
{
    char d[11];
    if (!yyyymmdd) {
        strbuf_puts(sb, "null");
        return;
    }
    waiver_date_text(yyyymmdd, d);
    strbuf_printf(sb, "\"%s\"", d);
}

/* A text that may be empty, as null when it is. */
static void jstr_or_null(strbuf *sb, const char *s) { jstr(sb, s && *s ? s : NULL); }

/* The fields a waiver's entry and a waived target share: basis, reason,
 * approval and expiry. */
static void jwaiver_terms(strbuf *sb, const waiver *x)
{
    strbuf_puts(sb, ", \"basis\": ");
    jstr(sb, x->basis);
    strbuf_puts(sb, ", \"reason\": ");
    jstr_or_null(sb, x->reason);
    strbuf_puts(sb, ", \"approved_by\": ");
    jstr(sb, x->approved_by);
    strbuf_puts(sb, ", \"approved_on\": ");
    jdate(sb, x->approved_on);
    strbuf_puts(sb, ", \"expires\": ");
    jdate(sb, x->expires);
}

static void jvalue(strbuf *sb, const value *v)
{
    switch (v->kind) {
    case V_NUM: jnum(sb, v->u.num); break;
    case V_BOOL: strbuf_puts(sb, v->u.b ? "true" : "false"); break;
    case V_TEXT: jstr_n(sb, v->u.s, v->len); break;
    case V_UNKNOWN: strbuf_puts(sb, "null"); break;
    }
}

static int flush(jw *w) { return report_flush(&w->sb, w->out); }

typedef struct unit_ctx {
    jw *w;
    const report_ctx *r;
    int first;
} unit_ctx;

/* An upper-level unit's roll-up: its children, figures recomputed from
 * them and as reported, those that differ, and the claims below it. */
static void unit_rollup(strbuf *sb, const unit_rec *u)
{
    const rule_level *lv = u->level;
    strbuf_printf(sb, ", \"children\": %ld", u->below.children);
    strbuf_puts(sb, ", \"recomputed\": {");
    int k = 0;
    for (size_t i = 0; i < lv->nrecompute; i++)
        if (u->applied[i]) {
            strbuf_printf(sb, "%s\"%s\": ", k++ ? ", " : "", lv->ind[lv->recompute[i].indicator].id);
            jvalue(sb, &u->slots[lv->recompute[i].indicator]);
        }
    int own = 0; /* the pack recomputes an indicator of that name itself */
    for (size_t i = 0; i < lv->nrecompute; i++)
        own |= u->applied[i] && strcmp(lv->ind[lv->recompute[i].indicator].id, "wrong_exit_rate") == 0;
    if ((u->below.leaf_claims.claimed || unit_has_children(u)) && !own) {
        strbuf_printf(sb, "%s\"wrong_exit_rate\": ", k++ ? ", " : "");
        jrate(sb, u->below.leaf_claims.wrong, u->below.leaf_claims.claimed);
    }
    if (u->below.leaf_claims.claimed || unit_has_children(u)) {
        strbuf_printf(sb, "%s\"wrong_exit_rate_people\": ", k++ ? ", " : "");
        jprate(sb, &u->below.leaf_claims);
    }
    strbuf_puts(sb, "}, \"reported\": {");
    k = 0;
    for (size_t i = 0; i < lv->nrecompute; i++)
        if (u->applied[i]) {
            strbuf_printf(sb, "%s\"%s\": ", k++ ? ", " : "", lv->ind[lv->recompute[i].indicator].id);
            jvalue(sb, &u->reported[i]);
        }
    strbuf_puts(sb, "}, \"differs\": [");
    k = 0;
    for (size_t i = 0; i < lv->nrecompute; i++)
        if (u->differs[i]) {
                strbuf_puts(sb, k++ ? ", " : "");
                jstr(sb, lv->ind[lv->recompute[i].indicator].id);
            }
    strbuf_puts(sb, "], \"claims_below\": ");
    jtally(sb, "claimed", &u->below.leaf_claims, 0);
    strbuf_puts(sb, ", \"earlier_below\": ");
    jtally(sb, "exited", &u->below.leaf_earlier, 0);
}

static int write_unit(void *ctx, const unit_rec *u)
{
    unit_ctx *uc = ctx;
    strbuf *sb = &uc->w->sb;
    const rule_level *lv = u->level;
    const ruleset *rs = uc->r->rs;
    const waivers *wv = uc->r->facts->waivers;
    strbuf_puts(sb, uc->first ? "\n    " : ",\n    ");
    uc->first = 0;
    strbuf_puts(sb, "{\"level\": ");
    jstr(sb, lv->id);
    strbuf_puts(sb, ", \"id\": ");
    jstr(sb, u->id);
    strbuf_puts(sb, ", \"parent\": ");
    jstr(sb, u->parent);
    if (lv->name >= 0) {
        strbuf_puts(sb, ", \"name\": ");
        jstr(sb, u->name);
    }
    strbuf_printf(sb, ", \"line\": %ld, \"status\": \"%s\", \"claim\": \"%s\", \"exit\": \"%s\"", u->line,
                  unit_status_name(u->status), claim_status_name(u->claim), unit_exit_name(u->exit));
    if (wv)
        strbuf_printf(sb, ", \"by_waiver\": %s", unit_by_waiver(u) ? "true" : "false");
    if (u->orphan)
        strbuf_puts(sb, ", \"orphan\": true");
    if (lv->child >= 0)
        unit_rollup(sb, u);
    if (lv->nderived) {
        strbuf_puts(sb, ", \"derived\": {");
        for (size_t i = 0; i < lv->nderived; i++) {
            strbuf_puts(sb, i ? ", " : "");
            jstr(sb, lv->derived[i].id);
            strbuf_puts(sb, ": ");
            jvalue(sb, &u->slots[lv->derived_base + (int)i]);
        }
        strbuf_putc(sb, '}');
    }
    strbuf_puts(sb, ", \"targets\": [");
    for (size_t i = 0; i < lv->ntargets; i++) {
        const rule_target *t = &lv->targets[i];
        strbuf_puts(sb, i ? ", {\"id\": " : "{\"id\": ");
        jstr(sb, t->id);
        strbuf_printf(sb, ", \"status\": \"%s\", \"observed\": {", unit_status_name((unit_status)u->tstatus[i]));
        const int *refs;
        size_t n = expr_refs(t->e, &refs);
        for (size_t k2 = 0; k2 < n; k2++) {
            strbuf_puts(sb, k2 ? ", " : "");
            jstr(sb, rules_slot_name(rs, lv, refs[k2]));
            strbuf_puts(sb, ": ");
            jvalue(sb, &u->slots[refs[k2]]);
        }
        strbuf_puts(sb, "}, \"required\": ");
        jstr(sb, t->require);
        /* a waived target: the waiver, and what the target was without it */
        const waiver *x = u->tstatus[i] == ST_WAIVED ? waivers_for(wv, u, i) : NULL;
        if (u->tstatus[i] == ST_UNKNOWN || (x && x->outcome == ST_UNKNOWN)) {
            strbuf sb2 = STRBUF_INIT;
            report_unknown_reason(&sb2, rs, lv, t, u->slots, uc->r->opts.zh);
            strbuf_puts(sb, ", \"reason\": ");
            jstr(sb, strbuf_str(&sb2));
            strbuf_release_into(sb, &sb2);
        }
        if (x) {
            strbuf_printf(sb, ", \"waiver\": {\"line\": %ld", x->line);
            jwaiver_terms(sb, x);
            strbuf_printf(sb, ", \"outcome\": \"%s\"}", unit_status_name(x->outcome));
        } else if (u->tstatus[i] == ST_WAIVED) {
            strbuf_puts(sb, ", \"waiver\": null");
        }
        strbuf_putc(sb, '}');
    }
    strbuf_puts(sb, "]}");
    return flush(uc->w);
}

/* The tool, the pack and its files' digests. */
static void head(strbuf *sb, const ruleset *rs, int zh)
{
    strbuf_puts(sb, "{\n  \"schema\": \"exitcheck-report/1\",\n");
    strbuf_puts(sb, "  \"tool\": {\"name\": \"exitcheck\", \"version\": ");
    jstr(sb, EXITCHECK_VERSION);
    strbuf_puts(sb, "},\n  \"ruleset\": {\"id\": ");
    jstr(sb, rules_id(rs));
    strbuf_puts(sb, ", \"version\": ");
    jstr(sb, rules_version(rs));
    text2 title = rules_title(rs);
    strbuf_puts(sb, ", \"title\": ");
    jstr(sb, report_title(&title, zh));
    strbuf_puts(sb, ", \"files\": [");
    for (size_t i = 0; i < rules_nfiles(rs); i++) {
        const rule_file *f = rules_file(rs, i);
        strbuf_puts(sb, i ? ", {\"path\": " : "{\"path\": ");
        jstr(sb, f->path);
        strbuf_puts(sb, ", \"sha256\": ");
        jstr(sb, f->sha256);
        strbuf_putc(sb, '}');
    }
    strbuf_puts(sb, "]},\n");
}

/* Each table read: its path, encoding, digest and row counts. */
static void inputs(strbuf *sb, const report_facts *f)
{
    strbuf_puts(sb, "  \"inputs\": [");
    int k = 0;
    for (size_t i = 0; i < f->nlevels; i++) {
        const table_stats *st = f->levels[i].stats;
        if (!st)
            continue;
        strbuf_puts(sb, k++ ? ",\n    {\"level\": " : "\n    {\"level\": ");
        jstr(sb, f->levels[i].level->id);
        strbuf_puts(sb, ", \"path\": ");
        jstr(sb, f->levels[i].path);
        strbuf_puts(sb, ", \"encoding\": ");
        jstr(sb, st->encoding);
        strbuf_puts(sb, ", \"sha256\": ");
        jstr(sb, st->sha256);
        strbuf_printf(sb, ", \"rows_read\": %ld, \"rows_rejected\": %ld, \"units_evaluated\": %ld, \"cell_errors\": %ld, \"rejected\": {",
                      st->rows_read, st->rows_rejected, f->levels[i].sum->units, st->cell_errors);
        int kk = 0;
        for (int j = 0; j < REJECT__COUNT; j++)
            if (st->rejected[j]) {
                strbuf_puts(sb, kk++ ? ", " : "");
                jstr(sb, reject_names[j]);
                strbuf_printf(sb, ": %ld", st->rejected[j]);
            }
        strbuf_puts(sb, "}}");
    }
    strbuf_puts(sb, k ? "\n  ],\n" : "],\n");
}

/* The waiver file: null without one; else its path, encoding, digest, row
 * counts, as-of date and every valid waiver with what became of it. */
static void waivers_json(strbuf *sb, const report_facts *f, const ruleset *rs)
{
    const waivers *wv = f->waivers;
    strbuf_puts(sb, "  \"waivers\": ");
    if (!wv) {
        strbuf_puts(sb, "null,\n");
        return;
    }
    const table_stats *st = waivers_stats(wv);
    strbuf_puts(sb, "{\"path\": ");
    jstr(sb, waivers_path(wv));
    strbuf_puts(sb, ", \"encoding\": ");
    jstr(sb, st ? st->encoding : NULL);
    strbuf_puts(sb, ", \"sha256\": ");
    jstr(sb, st ? st->sha256 : NULL);
    strbuf_printf(sb, ", \"rows_read\": %ld, \"rows_rejected\": %ld, \"as_of\": ", st ? st->rows_read : 0,
                  st ? st->rows_rejected : 0);
    jdate(sb, waivers_as_of(wv));
    strbuf_puts(sb, ", \"entries\": [");
    size_t n = waivers_count(wv);
    for (size_t i = 0; i < n; i++) {
        const waiver *x = waivers_get(wv, i);
        const rule_level *lv = rules_level(rs, (size_t)x->level);
        strbuf_printf(sb, "%s{\"line\": %ld, \"level\": ", i ? ",\n    " : "\n    ", x->line);
        jstr(sb, lv->id);
        strbuf_puts(sb, ", \"unit_id\": ");
        jstr(sb, x->unit_id);
        strbuf_puts(sb, ", \"target\": ");
        jstr(sb, lv->targets[x->target].id);
        jwaiver_terms(sb, x);
        strbuf_printf(sb, ", \"use\": \"%s\", \"units_applied\": %ld}", waiver_use_name(x), x->applied);
    }
    strbuf_puts(sb, n ? "\n  ]},\n" : "]},\n");
}

/* Every parameter: its value for each of the data's years, flagged. */
static void params(strbuf *sb, const report_facts *f)
{
    strbuf_puts(sb, "  \"params\": {");
    for (size_t i = 0; i < f->nparams; i++) {
        const report_param_facts *pf = &f->params[i];
        const rule_param *p = pf->param;
        strbuf_puts(sb, i ? ",\n    " : "\n    ");
        jstr(sb, p->id);
        strbuf_puts(sb, ": {\"unit\": ");
        jstr(sb, p->unit);
        strbuf_printf(sb, ", \"used\": %s", p->used ? "true" : "false");
        if (p->overridden) {
            strbuf_puts(sb, ", \"override\": ");
            jnum(sb, p->override);
        }
        strbuf_puts(sb, ", \"values\": [");
        for (size_t y = 0; y < f->nyears; y++) {
            const report_param_year *py = &pf->years[y];
            strbuf_printf(sb, "%s{\"year\": %d, \"value\": ", y ? ", " : "", py->year);
            jvalue(sb, &py->v);
            switch (py->origin) {
            case PARAM_OVERRIDDEN: strbuf_puts(sb, ", \"confirmed\": null, \"source\": \"--param\""); break;
            case PARAM_CONFIRMED:
            case PARAM_UNVERIFIED:
                strbuf_printf(sb, ", \"confirmed\": %s, \"source\": ", py->origin == PARAM_CONFIRMED ? "true" : "false");
                jstr(sb, py->entry->source);
                break;
            case PARAM_NO_VALUE: strbuf_puts(sb, ", \"confirmed\": null, \"source\": null"); break;
            }
            strbuf_putc(sb, '}');
        }
        strbuf_puts(sb, "], \"missing_years\": [");
        for (size_t m = 0; m < pf->nmissing; m++)
            strbuf_printf(sb, "%s%d", m ? ", " : "", pf->missing_years[m]);
        strbuf_puts(sb, "]}");
    }
    strbuf_puts(sb, "\n  },\n");
}

/* Each level's counts, claims and per-target tallies. */
static void summary(strbuf *sb, const report_facts *f)
{
    strbuf_puts(sb, "  \"summary\": {");
    for (size_t i = 0; i < f->nlevels; i++) {
        const level_summary *s = f->levels[i].sum;
        const rule_level *lv = f->levels[i].level;
        strbuf_puts(sb, i ? ",\n    " : "\n    ");
        jstr(sb, lv->id);
        strbuf_printf(sb, ": {\"units\": %ld, \"pass\": %ld, \"fail\": %ld, \"unknown\": %ld, \"warn\": %ld, "
                          "\"by_waiver\": %ld, \"claimed\": %ld, \"supported\": %ld, \"supported_by_waiver\": %ld, "
                          "\"wrong_exit\": %ld, \"unsupported\": %ld, \"wrong_exit_rate\": ",
                      s->units, s->pass, s->fail, s->unknown, s->warn, s->by_waiver, s->claims.claimed,
                      s->claims.supported, s->claims.by_waiver, s->claims.wrong, s->claims.unsupported);
        jrate(sb, s->claims.wrong, s->claims.claimed);
        strbuf_puts(sb, ", \"wrong_exit_rate_people\": ");
        jprate(sb, &s->claims);
        strbuf_puts(sb, ", \"earlier\": ");
        jtally(sb, "exited", &s->earlier, 1);
        strbuf_printf(sb, ", \"orphans\": %ld, \"unmatched\": %ld, \"differs\": %ld, \"targets\": {", s->orphans, s->unmatched, s->differs);
        for (size_t t = 0; t < lv->ntargets; t++) {
            strbuf_puts(sb, t ? ", " : "");
            jstr(sb, lv->targets[t].id);
            strbuf_printf(sb, ": {\"fail\": %ld, \"unknown\": %ld, \"warn\": %ld, \"waived\": %ld}", s->target_fail[t],
                          s->target_unknown[t], s->target_warn[t], s->target_waived[t]);
        }
        strbuf_puts(sb, "}}");
    }
    strbuf_puts(sb, "\n  },\n");
}

static void diagnostics(strbuf *sb, const diag_list *d, exit_status status)
{
    strbuf_puts(sb, "  \"diagnostics\": [");
    for (size_t i = 0; i < diag_count(d); i++) {
        const diag_entry *e = diag_get(d, i);
        strbuf_puts(sb, i ? ",\n    " : "\n    ");
        report_json_diag(sb, e);
    }
    strbuf_puts(sb, diag_count(d) ? "\n  ],\n" : "],\n");
    strbuf_printf(sb, "  \"diagnostics_suppressed\": %zu,\n  \"diagnostics_total\": {\"error\": %zu, \"warning\": %zu, \"note\": %zu},\n  \"exit_status\": %d\n}\n",
                  diag_suppressed(d), diag_total(d, DIAG_ERROR), diag_total(d, DIAG_WARNING), diag_total(d, DIAG_NOTE),
                  (int)status);
}

int report_json(const report_ctx *r, FILE *out)
{
    jw w = {out, STRBUF_INIT};
    strbuf *sb = &w.sb;
    const report_facts *f = r->facts;
    int rc = 0;
    head(sb, r->rs, r->opts.zh);
    inputs(sb, f);
    waivers_json(sb, f, r->rs);
    params(sb, f);
    summary(sb, f);
    strbuf_puts(sb, "  \"units\": [");
    if (flush(&w))
        rc = -1;
    unit_ctx uc = {&w, r, 1};
    for (size_t i = 0; i < f->nlevels && rc == 0; i++)
        if (check_foreach(r->c, i, write_unit, &uc))
            rc = -1;
    strbuf_puts(sb, uc.first ? "],\n" : "\n  ],\n");
    diagnostics(sb, r->d, f->status);
    if (flush(&w))
        rc = -1;
    strbuf_free(&w.sb);
    return rc;
}
