/*
 * report_junit.c - JUnit XML for CI servers: one test suite per level, one
 * test case per exit claimed this year, and for a level with earlier exits
 * a suite "LEVEL: earlier exits" with one test case per earlier exit. A
 * supported exit passes; a wrong exit is a failure listing the targets not
 * met with their observed and required values; an unsupported claim this
 * year is a failure of type "unsupported" naming what is unknown, an
 * unsupported earlier exit is skipped with the same text (it does not fail
 * the run's exit status, SPEC §5). When the input has errors (exit status 2) a suite
 * "input" holds one test case with an error listing them. Provenance goes
 * into <properties>; the file and line of each unit start its failure
 * text. Everything is XML-escaped; the layout follows the common JUnit
 * schema (tests/junit.xsd), which has no file or line attributes.
 *
 * Waivers (SPEC §8): the suites' properties name the waiver file and its
 * digest; a test case whose unit has waived targets (a claim that holds
 * only by waiver passes) has a property "waived" per waived target and a
 * <system-out> naming the waivers and what each target was without one.
 */
#include "diag_zh.h"
#include "report.h"
#include "report_strings.h"
#include "waiver.h"

#include <string.h>

typedef struct jw {
    FILE *out;
    strbuf sb;
    const report_ctx *r;
} jw;

static void xml(strbuf *sb, const char *s)
{
    if (!s)
        return;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '<': strbuf_puts(sb, "&lt;"); break;
        case '>': strbuf_puts(sb, "&gt;"); break;
        case '&': strbuf_puts(sb, "&amp;"); break;
        case '"': strbuf_puts(sb, "&quot;"); break;
        case '\'': strbuf_puts(sb, "&apos;"); break;
        case '\n': strbuf_puts(sb, "&#10;"); break;
        case '\t': strbuf_puts(sb, "&#9;"); break;
        default:
            if (*p < 0x20 || *p == 0x7f)
                strbuf_puts(sb, "?"); /* not representable in XML 1.0 */
            else
                strbuf_putc(sb, (char)*p);
        }
    }
}

/* Element text: escaped as xml() does, but line breaks kept as they are. */
static void xml_text(strbuf *sb, const char *s)
{
    for (const char *p = s; *p; p++) {
        if (*p == '\n') {
            strbuf_putc(sb, '\n');
        } else {
            char one[2] = {*p, 0};
            xml(sb, one);
        }
    }
}

static int flush(jw *w) { return report_flush(&w->sb, w->out); }

static void property(strbuf *sb, const char *name, const char *val)
{
    strbuf_puts(sb, "      <property name=\"");
    xml(sb, name);
    strbuf_puts(sb, "\" value=\"");
    xml(sb, val);
    strbuf_puts(sb, "\"/>\n");
}

static void properties(jw *w)
{
    strbuf *sb = &w->sb;
    const ruleset *rs = w->r->rs;
    const report_facts *f = w->r->facts;
    strbuf v = STRBUF_INIT;
    strbuf_puts(sb, "    <properties>\n");
    property(sb, "exitcheck.version", EXITCHECK_VERSION);
    strbuf_printf(&v, "%s %s", rules_id(rs), rules_version(rs));
    property(sb, "exitcheck.pack", strbuf_str(&v));
    for (size_t i = 0; i < f->nparams; i++) {
        const rule_param *p = f->params[i].param;
        if (!p->used)
            continue;
        strbuf_reset(&v);
        for (size_t y = 0; y < f->nyears; y++) {
            const report_param_year *py = &f->params[i].years[y];
            strbuf_printf(&v, "%s%d=", y ? " " : "", py->year);
            report_value(&v, &py->v, 0);
            switch (py->origin) {
            case PARAM_UNVERIFIED: strbuf_puts(&v, " (unverified)"); break;
            case PARAM_OVERRIDDEN: strbuf_puts(&v, " (--param)"); break;
            case PARAM_CONFIRMED:
            case PARAM_NO_VALUE: break;
            }
        }
        strbuf r2 = STRBUF_INIT;
        strbuf_printf(&r2, "exitcheck.param.%s", p->id);
        property(sb, strbuf_str(&r2), strbuf_str(&v));
        strbuf_release_into(sb, &r2);
    }
    for (size_t i = 0; i < f->nlevels; i++) {
        const table_stats *st = f->levels[i].stats;
        if (!st)
            continue;
        strbuf_reset(&v);
        strbuf_printf(&v, "%s sha256=%s rows_read=%ld rows_rejected=%ld", f->levels[i].path, st->sha256,
                      st->rows_read, st->rows_rejected);
        strbuf r2 = STRBUF_INIT;
        strbuf_printf(&r2, "exitcheck.input.%s", f->levels[i].level->id);
        property(sb, strbuf_str(&r2), strbuf_str(&v));
        strbuf_release_into(sb, &r2);
    }
    if (f->waivers) {
        const table_stats *st = waivers_stats(f->waivers);
        int as_of = waivers_as_of(f->waivers);
        char d[11] = "default";
        if (as_of)
            waiver_date_text(as_of, d);
        strbuf_reset(&v);
        strbuf_puts(&v, waivers_path(f->waivers));
        if (st)
            strbuf_printf(&v, " sha256=%s rows_read=%ld rows_rejected=%ld", st->sha256, st->rows_read,
                          st->rows_rejected);
        strbuf_printf(&v, " as_of=%s", d);
        property(sb, "exitcheck.waivers", strbuf_str(&v));
    }
    for (size_t i = 0; i < rules_nfiles(rs); i++) {
        strbuf_reset(&v);
        strbuf_printf(&v, "%s sha256=%s", rules_file(rs, i)->path, rules_file(rs, i)->sha256);
        property(sb, "exitcheck.rules", strbuf_str(&v));
    }
    strbuf_puts(sb, "    </properties>\n");
    strbuf_release_into(sb, &v);
}

/* The word for what a waived target was without its waiver. */
static const char *outcome_word(unit_status st, int zh)
{
    return RS(st == ST_FAIL ? RS_NOT_MET : st == ST_WARN ? RS_WARN : RS_UNKNOWN, zh);
}

/* A test case's waived targets: a property "waived" each ("H02: basis B;
 * approved by A; approved on D", in English like the other properties),
 * in <properties>. Nothing when none is waived. */
static void waived_properties(jw *w, const unit_rec *u)
{
    strbuf *sb = &w->sb;
    const waivers *wv = w->r->facts->waivers;
    const rule_level *lv = u->level;
    strbuf v = STRBUF_INIT;
    int any = 0;
    for (size_t i = 0; i < lv->ntargets; i++) {
        const waiver *x = waivers_for(wv, u, i);
        if (!x)
            continue;
        strbuf_puts(sb, any++ ? "" : "      <properties>\n");
        strbuf_reset(&v);
        strbuf_printf(&v, "%s: ", lv->targets[i].id);
        report_waiver_text(&v, x, 0);
        strbuf_puts(sb, "  ");
        property(sb, "waived", strbuf_str(&v));
    }
    if (any)
        strbuf_puts(sb, "      </properties>\n");
    strbuf_release_into(sb, &v);
}

/* The same waivers as <system-out> text, in the report's language: per
 * waived target its title, the waiver (with its line in the waiver file)
 * and what the target was without it. */
static void waived_out(jw *w, const unit_rec *u)
{
    strbuf *sb = &w->sb;
    const waivers *wv = w->r->facts->waivers;
    const rule_level *lv = u->level;
    int zh = w->r->opts.zh;
    strbuf body = STRBUF_INIT;
    for (size_t i = 0; i < lv->ntargets; i++) {
        const waiver *x = waivers_for(wv, u, i);
        if (!x)
            continue;
        const rule_target *t = &lv->targets[i];
        strbuf_printf(&body, "%s %s: %s\n  ", t->id, RS(RS_WAIVED, zh), report_title(&t->title, zh));
        report_waiver_text(&body, x, zh);
        strbuf_printf(&body, " (%s:%ld)\n  %s: %s", waivers_path(wv), x->line, RS(RS_WITHOUT_WAIVER, zh),
                      outcome_word(x->outcome, zh));
        if (x->outcome == ST_UNKNOWN) {
            strbuf_puts(&body, zh ? "（" : " (");
            report_unknown_reason(&body, w->r->rs, lv, t, u->slots, zh);
            strbuf_puts(&body, zh ? "）" : ")");
        } else {
            strbuf_printf(&body, "; %s ", RS(RS_OBSERVED, zh));
            report_observed(&body, w->r->rs, lv, t, u->slots, zh);
            strbuf_printf(&body, "; %s ", RS(RS_REQUIRED, zh));
            report_require(&body, t->require, zh);
        }
        strbuf_putc(&body, '\n');
    }
    strbuf_puts(sb, "      <system-out>");
    xml_text(sb, strbuf_str(&body));
    strbuf_puts(sb, "</system-out>\n");
    strbuf_release_into(sb, &body);
}

typedef struct suite_ctx {
    jw *w;
    unit_exit exit;    /* the exits of the suite: this year's or earlier ones */
} suite_ctx;

static int testcase(void *ctx, const unit_rec *u)
{
    suite_ctx *sc = ctx;
    jw *w = sc->w;
    if (u->claim == CLAIM_NONE || u->exit != sc->exit)
        return 0;
    int skip = u->exit == UEXIT_EARLIER && u->claim == CLAIM_UNSUPPORTED;
    strbuf *sb = &w->sb;
    const rule_level *lv = u->level;
    int zh = w->r->opts.zh;
    strbuf_puts(sb, "    <testcase classname=\"exitcheck.");
    xml(sb, lv->id);
    if (u->exit == UEXIT_EARLIER)
        strbuf_puts(sb, ".earlier");
    strbuf_puts(sb, "\" name=\"");
    xml(sb, u->id);
    if (u->name) {
        strbuf_putc(sb, ' ');
        xml(sb, u->name);
    }
    strbuf_puts(sb, "\" time=\"0\"");
    int waived = w->r->facts->waivers && unit_waived(u);
    if (u->claim == CLAIM_SUPPORTED && !waived) {
        strbuf_puts(sb, "/>\n");
        return flush(w);
    }
    strbuf_puts(sb, ">\n");
    if (waived)
        waived_properties(w, u);
    if (u->claim == CLAIM_SUPPORTED) {
        waived_out(w, u);
        strbuf_puts(sb, "    </testcase>\n");
        return flush(w);
    }
    strbuf_puts(sb, skip ? "      <skipped type=\"" : "      <failure type=\"");
    strbuf_puts(sb, claim_status_name(u->claim));
    strbuf_puts(sb, "\" message=\"");
    strbuf msg = STRBUF_INIT, body = STRBUF_INIT;
    report_exit_text(&msg, u, zh);
    strbuf_putc(&msg, ':');
    strbuf_printf(&body, "%s:%ld\n", w->r->facts->levels[lv->index].path, u->line);
    for (size_t i = 0; i < lv->ntargets; i++) {
        unit_status st = (unit_status)u->tstatus[i];
        if (st == ST_PASS || st == ST_WARN || st == ST_WAIVED)
            continue;
        const rule_target *t = &lv->targets[i];
        strbuf_printf(&msg, " %s %s", t->id, RS(st == ST_FAIL ? RS_NOT_MET : RS_UNKNOWN, zh));
        strbuf_printf(&body, "%s %s: %s\n  ", t->id, RS(st == ST_FAIL ? RS_NOT_MET : RS_UNKNOWN, zh),
                      report_title(&t->title, zh));
        if (st == ST_FAIL) {
            strbuf_printf(&body, "%s ", RS(RS_OBSERVED, zh));
            report_observed(&body, w->r->rs, lv, t, u->slots, zh);
            strbuf_printf(&body, "; %s ", RS(RS_REQUIRED, zh));
            report_require(&body, t->require, zh);
            strbuf_putc(&body, '\n');
        } else {
            report_unknown_reason(&body, w->r->rs, lv, t, u->slots, zh);
            strbuf_putc(&body, '\n');
        }
    }
    xml(sb, strbuf_str(&msg));
    strbuf_puts(sb, "\">");
    xml_text(sb, strbuf_str(&body));
    strbuf_puts(sb, skip ? "</skipped>\n" : "</failure>\n");
    if (waived)
        waived_out(w, u);
    strbuf_puts(sb, "    </testcase>\n");
    strbuf_release_into(sb, &msg);
    strbuf_release_into(sb, &body);
    return flush(w);
}

/* The suite "input" when the input has errors: one test case whose error
 * lists them. */
static void input_errors(jw *w)
{
    strbuf *sb = &w->sb;
    const report_ctx *r = w->r;
    strbuf_printf(sb, "  <testsuite name=\"input\" tests=\"1\" failures=\"0\" errors=\"1\" skipped=\"0\" time=\"0\">\n");
    properties(w);
    strbuf_puts(sb, "    <testcase classname=\"exitcheck.input\" name=\"input\" time=\"0\">\n      <error type=\"input\" message=\"");
    strbuf v = STRBUF_INIT;
    report_verdict_text(&v, r->facts, r->opts.zh);
    xml(sb, strbuf_str(&v));
    strbuf_release_into(sb, &v);
    strbuf_puts(sb, "\">");
    for (size_t i = 0; i < diag_count(r->d); i++) {
        const diag_entry *e = diag_get(r->d, i);
        if (e->severity != DIAG_ERROR)
            continue;
        strbuf line = STRBUF_INIT;
        diag_entry brief = *e;
        brief.excerpt = NULL;
        diag_format_tr(&brief, r->opts.zh ? diag_zh : NULL, &line);
        xml_text(sb, strbuf_str(&line));
        strbuf_release_into(sb, &line);
    }
    strbuf_puts(sb, "</error>\n    </testcase>\n  </testsuite>\n");
}

int report_junit(const report_ctx *r, FILE *out)
{
    jw w = {out, STRBUF_INIT, r};
    strbuf *sb = &w.sb;
    const report_facts *f = r->facts;
    int errors = f->verdict == VERDICT_ERRORS;
    strbuf_printf(sb, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"exitcheck\" tests=\"%ld\" "
                      "failures=\"%ld\" errors=\"%d\" time=\"0\">\n",
                  f->claimed + f->earlier + errors, f->bad + f->earlier_wrong, errors);
    int rc = 0;
    if (errors)
        input_errors(&w);
    for (size_t i = 0; i < f->nlevels && rc == 0; i++) {
        const level_summary *s = f->levels[i].sum;
        strbuf_puts(sb, "  <testsuite name=\"");
        xml(sb, f->levels[i].level->id);
        strbuf_printf(sb, "\" tests=\"%ld\" failures=\"%ld\" errors=\"0\" skipped=\"0\" time=\"0\">\n",
                      s->claims.claimed, f->levels[i].bad_claims);
        properties(&w);
        suite_ctx sc = {&w, UEXIT_THIS_YEAR};
        if (flush(&w) || check_foreach(r->c, i, testcase, &sc))
            rc = -1;
        strbuf_puts(sb, "  </testsuite>\n");
        if (!f->levels[i].earlier || rc)
            continue;
        /* the level's earlier exits: an earlier wrong exit fails the run
         * too (the assessment counted 错退 over every exited person) */
        strbuf_puts(sb, "  <testsuite name=\"");
        strbuf name = STRBUF_INIT;
        rs_printf(&name, RS_EARLIER_SUITE, 0, f->levels[i].level->id);
        xml(sb, strbuf_str(&name));
        strbuf_release_into(sb, &name);
        strbuf_printf(sb, "\" tests=\"%ld\" failures=\"%ld\" errors=\"0\" skipped=\"%ld\" time=\"0\">\n",
                      s->earlier.claimed, s->earlier.wrong, s->earlier.unsupported);
        sc.exit = UEXIT_EARLIER;
        if (flush(&w) || check_foreach(r->c, i, testcase, &sc))
            rc = -1;
        strbuf_puts(sb, "  </testsuite>\n");
    }
    strbuf_puts(sb, "</testsuites>\n");
    if (flush(&w))
        rc = -1;
    strbuf_free(&w.sb);
    return rc;
}
