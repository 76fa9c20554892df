/*
 * commands.h - the commands, each taking a parsed configuration and
 * returning an exit status. This layer, with main, is the only code that
 * writes to the terminal: it prints diagnostics to stderr and reports or
 * listings to stdout or files.
 */
#ifndef EXITCHECK_COMMANDS_H
#define EXITCHECK_COMMANDS_H

#include "cli.h"

int cmd_check(const cli_config *cfg, const char *argv0);
int cmd_sample(const cli_config *cfg, const char *argv0);
int cmd_verify(const cli_config *cfg, const char *argv0);
int cmd_lint(const cli_config *cfg, const char *argv0);
int cmd_explain(const cli_config *cfg, const char *argv0);
int cmd_list(const cli_config *cfg, const char *argv0);

#endif
