/*
 * commands_impl.h - what the commands share (commands.c), private to
 * commands.c and commands_sample.c: printing diagnostics, the progress
 * line, loading the pack and finding the input tables.
 */
#ifndef EXITCHECK_COMMANDS_IMPL_H
#define EXITCHECK_COMMANDS_IMPL_H

#include "check.h"
#include "cli.h"
#include "diag.h"
#include "rules.h"
#include "strbuf.h"

/* The progress line: on a terminal only, for tables of PROGRESS_MIN bytes
 * or more, redrawn at most twice a second and erased when the table is
 * done, so that it never mixes with the diagnostics printed after it. */
enum { PROGRESS_MIN = 64 * 1024 * 1024 };

typedef struct progress_line {
    double start, last;
    const char *path;
    int shown;
} progress_line;

void cmd_show_progress(void *ctx, const table_progress *p);
/* How the command line says tables are read (--encoding, --partial,
 * --threads, --sheet, --header-row); no progress display. */
table_opts cmd_table_opts(const cli_config *cfg);

/* "exitcheck: error: out of memory" in the language of tr, without
 * allocating. */
void cmd_print_oom(diag_translate_fn tr);
/* Every diagnostic of d on stderr, file:line:column first, with the
 * source line and caret; then how many were not kept. */
void cmd_print_diags(const diag_list *d);
/* Standard output, flushed: EXIT_ERROR with a diagnostic when a listing
 * could not be written (a full disk, a closed pipe), else status. */
exit_status cmd_stdout_written(diag_list *d, exit_status status);
/* Loads the pack -r names (or the default one). */
ruleset *cmd_load_pack(const cli_config *cfg, const char *argv0, diag_list *d);
/* The --LEVEL options against the levels of a loaded *rs (or one that
 * failed to load): on a usage error frees the pack and the diagnostics,
 * printing none of them (as for any usage error), and returns 0. */
int cmd_pack_takes_options(const cli_config *cfg, ruleset **rs, diag_list **d);
/* Applies every --param NAME=VALUE to rs: 1 after a diagnostic when the
 * pack has no such parameter, else 0. */
int cmd_set_params(const cli_config *cfg, ruleset *rs, diag_list *d);
/* Fills inputs (one per level of rs) from the tables named on the command
 * line and those found in the data directory; paths holds the joined
 * names. Returns 1 after a diagnostic when something named is not there. */
int cmd_find_inputs(const cli_config *cfg, const ruleset *rs, diag_list *d, check_input *inputs, strbuf *paths);

/* An error for each output (the -o reports and extra, NULL entries
 * skipped) that is one of the inputs ins or a file of rs; returns 1 when
 * there is one. "-" is never an input's name. */
int cmd_outputs_clobber(const cli_config *cfg, const char *const *extra, size_t nextra, const ruleset *rs,
                        const char *const *ins, size_t nin, diag_list *d);
struct waivers;
/* With --waivers: the waiver set, its file read (its errors in d) and its
 * as-of date set; NULL without --waivers, or with *failed set when out of
 * memory. */
struct waivers *cmd_read_waivers(const cli_config *cfg, const ruleset *rs, diag_list *d, const table_opts *opts,
                                 int *failed);

/* lint of a sampling plan (commands_sample.c): checked against -r, else
 * the pack it names, else the default pack; "PATH: ok: ..." on stdout. */
exit_status cmd_lint_plan(const cli_config *cfg, const char *argv0, const char *path);

#endif
