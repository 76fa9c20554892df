/*
 * commands_verify.c - `exitcheck verify` (SPEC §7.2): the register
 * (DATADIR's tables) against a field survey, with the sample's manifest
 * for the weights; writes the report(s).
 *
 * A mistake in the pack or the command line (no household table, an
 * output that is an input) stops the run before anything is read. With
 * errors in the inputs the report is still written, listing them, and the
 * exit status is 2: no county verdict is trustworthy then. No output is
 * ever written over a file the run reads.
 */
#include "commands.h"
#include "commands_impl.h"
#include "diag_zh.h"
#include "report.h"
#include "report_verify.h"
#include "verify.h"
#include "waiver.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

int cmd_verify(const cli_config *cfg, const char *argv0)
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
    verifier *v = NULL;
    waivers *wv = NULL;
    strbuf paths[CLI_MAX_TABLES];
    for (size_t i = 0; i < CLI_MAX_TABLES; i++)
        paths[i] = (strbuf)STRBUF_INIT;
    ruleset *rs = cmd_load_pack(cfg, argv0, d);
    if (!rs)
        goto done;
    if (!cmd_pack_takes_options(cfg, &rs, &d))
        return EXIT_ERROR;
    int bad = 0;
    bad |= cmd_set_params(cfg, rs, d);
    check_input inputs[RULES_MAX_LEVELS] = {{0}};
    bad |= cmd_find_inputs(cfg, rs, d, inputs, paths);
    size_t nl = rules_nlevels(rs);
    const rule_level *leaf = rules_level(rs, nl - 1);
    if (!bad && !inputs[nl - 1].path) {
        diag_add(d, DIAG_ERROR, cfg->datadir, 0, 0, "verify needs the register's %s table (%s, or --%s F)", leaf->id,
                 leaf->file ? leaf->file : leaf->id, leaf->id);
        bad = 1;
    }
    if (!bad && !rules_nvetoes(rs))
        diag_add(d, DIAG_WARNING, NULL, 0, 0,
                 "the pack '%s' has no 'verification' vetoes: the four figures are reported, no county is judged",
                 rules_id(rs));
    const char *ins[RULES_MAX_LEVELS + 3];
    size_t nin = 0;
    for (size_t i = 0; i < nl; i++)
        if (inputs[i].path)
            ins[nin++] = inputs[i].path;
    ins[nin++] = cfg->survey;
    if (cfg->manifest)
        ins[nin++] = cfg->manifest;
    if (cfg->waivers)
        ins[nin++] = cfg->waivers;
    if (!bad && cmd_outputs_clobber(cfg, NULL, 0, rs, ins, nin, d))
        bad = 1;
    if (bad)
        goto done;
    v = verify_new(rs, d);
    if (!v)
        goto done;
    const char *tables[RULES_MAX_LEVELS];
    for (size_t i = 0; i < nl; i++)
        tables[i] = inputs[i].path;
    /* only the key columns are required of each table (views in verify.c):
     * a survey has the columns it has */
    table_opts topts = cmd_table_opts(cfg);
    progress_line pl = {0};
    if (!cfg->quiet && isatty(STDERR_FILENO)) {
        topts.progress = cmd_show_progress;
        topts.progress_ctx = &pl;
    }
    int wfailed;
    wv = cmd_read_waivers(cfg, rs, d, &topts, &wfailed);
    if (wfailed)
        goto done;
    verify_set_waivers(v, wv);
    verify_run(v, tables, cfg->survey, cfg->manifest, &topts);
    if (wv)
        waivers_finish(wv);
    diag_sort(d);
    status = diag_errors(d) || diag_out_of_memory(d) ? EXIT_ERROR : verify_verdict(v) ? EXIT_CLAIMS_FAIL : EXIT_OK;
    verify_report_ctx r = {rs, v, d, cfg->zh, cfg->bom, status, FMT_TEXT};
    for (size_t i = 0; i < cfg->noutputs; i++) {
        r.format = cfg->outputs[i].format;
        if (report_write_atomic(cfg->outputs[i].path, verify_report_write, &r, d))
            status = EXIT_ERROR;
    }
done:
    diag_sort(d);
    cmd_print_diags(d);
    verify_free(&v);
    waivers_free(&wv);
    rules_free(&rs);
    diag_free(&d);
    for (size_t i = 0; i < CLI_MAX_TABLES; i++)
        strbuf_free(&paths[i]);
    return status;
}
