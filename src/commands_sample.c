/*
 * commands_sample.c - `exitcheck sample` (SPEC §7.1): reads the plan, the
 * pack it is written for and the frame's village and household tables,
 * draws, and writes the report(s), the manifest and the survey form.
 *
 * A mistake in the plan, the pack or the command line (a missing table, an
 * output that is an input) stops the run before anything is drawn: the
 * messages go to stderr and no file is written. With errors in the data
 * the report is still written, listing them, but no manifest or form is:
 * a sample drawn from a frame with errors is not one to send to the
 * field (a manifest or form left from an earlier run stays as it was).
 * No output is ever written over a file the run reads.
 */
#include "commands.h"
#include "commands_impl.h"
#include "diag_zh.h"
#include "mem.h"
#include "plan.h"
#include "report.h"
#include "report_sample.h"
#include "sample.h"
#include "sample_write.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* The pack: -r when given, else the one the plan names, else the default. */
static ruleset *plan_pack_load(const cli_config *cfg, const char *argv0, const plan *p, diag_list *d)
{
    cli_config one = *cfg;
    if (!one.rules)
        one.rules = plan_pack(p, NULL);
    return cmd_load_pack(&one, argv0, d);
}

int cmd_sample(const cli_config *cfg, const char *argv0)
{
    diag_list *d = diag_new();
    if (!d) {
        cmd_print_oom(cfg->zh ? diag_zh : NULL);
        return EXIT_ERROR;
    }
    diag_set_limit(d, (size_t)cfg->max_errors);
    if (cfg->zh)
        diag_set_translate(d, diag_zh);
    exit_status status = EXIT_ERROR;
    ruleset *rs = NULL;
    sampler *s = NULL;
    strbuf paths[CLI_MAX_TABLES];
    for (size_t i = 0; i < CLI_MAX_TABLES; i++)
        paths[i] = (strbuf)STRBUF_INIT;
    plan *p = plan_load(cfg->plan, d);
    if (!p)
        goto done;
    rs = plan_pack_load(cfg, argv0, p, d);
    if (!rs)
        goto done;
    if (!cmd_pack_takes_options(cfg, &rs, &d)) {
        plan_free(&p);
        return EXIT_ERROR;
    }
    int bad = 0;
    bad |= cmd_set_params(cfg, rs, d);
    if (plan_bind(p, rs, d))
        bad = 1;
    check_input inputs[RULES_MAX_LEVELS] = {{0}};
    if (bad)
        goto done; /* a plan with mistakes: its strata cannot be drawn */
    bad |= cmd_find_inputs(cfg, rs, d, inputs, paths);
    const char *tables[PLAN__STAGES];
    for (int st = 0; st < PLAN__STAGES; st++) {
        const rule_level *lv = rules_level(rs, (size_t)plan_get_stage(p, (plan_stage_id)st)->level);
        tables[st] = inputs[lv->index].path;
        if (!tables[st] && !bad) {
            diag_add(d, DIAG_ERROR, cfg->datadir, 0, 0, "sample needs the %s table (%s, or --%s F)", lv->id,
                     lv->file ? lv->file : lv->id, lv->id);
            bad = 1;
        }
    }
    const char *outs[2] = {cfg->manifest, cfg->form}, *ins[PLAN__STAGES + 1] = {tables[0], tables[1], plan_path(p)};
    if (bad || cmd_outputs_clobber(cfg, outs, 2, rs, ins, PLAN__STAGES + 1, d))
        goto done;
    s = sample_new(rs, p, cfg->seed, d);
    if (!s)
        goto done;
    progress_line pl = {0};
    table_opts topts = cmd_table_opts(cfg);
    if (!cfg->quiet && isatty(STDERR_FILENO)) {
        topts.progress = cmd_show_progress;
        topts.progress_ctx = &pl;
    }
    sample_run(s, tables[PLAN_VILLAGES], tables[PLAN_HOUSEHOLDS], &topts);
    diag_sort(d);
    status = diag_errors(d) || diag_out_of_memory(d) ? EXIT_ERROR : EXIT_OK;
    if (status != EXIT_OK && (cfg->manifest || cfg->form))
        diag_add(d, DIAG_NOTE, NULL, 0, 0,
                 "no manifest or form was written: a sample drawn from input with errors is not one to survey");
    sample_report_ctx r = {rs, p, s, d, cfg->zh, cfg->bom, status, FMT_TEXT};
    for (size_t i = 0; i < cfg->noutputs; i++) {
        r.format = cfg->outputs[i].format;
        if (report_write_atomic(cfg->outputs[i].path, sample_report_write, &r, d))
            status = EXIT_ERROR;
    }
    if (status == EXIT_OK && cfg->manifest && report_write_atomic(cfg->manifest, sample_write_manifest, s, d))
        status = EXIT_ERROR;
    if (status == EXIT_OK && cfg->form && report_write_atomic(cfg->form, sample_write_form, s, d))
        status = EXIT_ERROR;
done:
    diag_sort(d);
    cmd_print_diags(d);
    sample_free(&s);
    plan_free(&p);
    rules_free(&rs);
    diag_free(&d);
    for (size_t i = 0; i < CLI_MAX_TABLES; i++)
        strbuf_free(&paths[i]);
    return status;
}

exit_status cmd_lint_plan(const cli_config *cfg, const char *argv0, const char *path)
{
    diag_list *d = diag_new();
    if (!d)
        return EXIT_ERROR;
    plan *p = plan_load(path, d);
    ruleset *rs = p ? plan_pack_load(cfg, argv0, p, d) : NULL;
    int ok = p && rs && plan_bind(p, rs, d) == 0;
    diag_sort(d);
    cmd_print_diags(d);
    if (ok) {
        const plan_stage *v = plan_get_stage(p, PLAN_VILLAGES), *h = plan_get_stage(p, PLAN_HOUSEHOLDS);
        printf("%s: ok: plan %s for pack %s %s, %zu village strat%s, %zu household strat%s\n", path, plan_id(p),
               rules_id(rs), rules_version(rs), v->nstrata, v->nstrata == 1 ? "um" : "a", h->nstrata,
               h->nstrata == 1 ? "um" : "a");
    } else {
        fprintf(stderr, "%s: %zu error%s\n", path, diag_errors(d), diag_errors(d) == 1 ? "" : "s");
    }
    plan_free(&p);
    rules_free(&rs);
    diag_free(&d);
    return ok ? EXIT_OK : EXIT_ERROR;
}
