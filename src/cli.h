/*
 * cli.h - the command line, parsed into a configuration.
 *
 * cli_parse never prints and never exits: it fills a cli_config or returns
 * -1 with a message, so it can be unit-tested. Strings in the config point
 * into argv.
 */
#ifndef EXITCHECK_CLI_H
#define EXITCHECK_CLI_H

#include <stddef.h>

#include "exitcode.h"
#include "report.h"
#include "strbuf.h"
#include "table.h"

enum { CLI_MAX_OUTPUTS = 8, CLI_MAX_PARAMS = 64, CLI_MAX_TABLES = 8 };

typedef enum { CMD_NONE, CMD_CHECK, CMD_SAMPLE, CMD_VERIFY, CMD_LINT, CMD_EXPLAIN, CMD_LIST, CMD_HELP, CMD_VERSION } cli_command;
typedef enum { COLOR_AUTO, COLOR_ALWAYS, COLOR_NEVER } cli_color;

typedef struct cli_output {
    report_format format;
    const char *path;          /* "-" = standard output */
} cli_output;

typedef struct cli_param {
    const char *name;          /* not NUL-terminated at '=': see name_len */
    size_t name_len;
    double value;
} cli_param;

/* A table by level: --table LEVEL=F, or --LEVEL F. The second form is
 * parsed for any name, since only the pack knows its levels: the command
 * resolves it once the pack is loaded (cli_level_option_error). */
typedef struct cli_table {
    const char *level;         /* level id (not NUL-terminated: see level_len) */
    size_t level_len;
    const char *path;          /* NULL when --LEVEL was given without a file */
    const char *option;        /* the --LEVEL argument as given; NULL for --table */
} cli_table;

typedef struct cli_config {
    cli_command cmd;
    const char *datadir;
    const char *rules;         /* NULL = the default pack */
    cli_output outputs[CLI_MAX_OUTPUTS];
    size_t noutputs;
    cli_param params[CLI_MAX_PARAMS];
    size_t nparams;
    cli_table tables[CLI_MAX_TABLES];
    size_t ntables;
    table_encoding encoding;
    long header_row;           /* --header-row N: the header's line in every table; 0 = found */
    const char *sheet;         /* --sheet NAME|N: the sheet of every workbook table; NULL = found */
    int zh;
    int partial;
    int threads;               /* 0 = default (2), 1 or 2 */
    int quiet;                 /* no progress line */
    long max_errors;           /* diagnostics kept per severity; 0 = all */
    int all;
    int bom;                   /* csv reports begin with a UTF-8 BOM */
    cli_color color;
    char **args;               /* lint: packs; explain: the target */
    size_t nargs;
    const char *level;         /* list --level */
    const char *plan;          /* sample --plan */
    const char *seed;          /* sample --seed */
    const char *manifest;      /* sample --manifest ("-": standard output); verify: the manifest read */
    const char *survey;        /* verify --survey */
    const char *form;          /* sample --form */
    const char *waivers;       /* check, verify, explain --waivers: the waiver file */
    int as_of;                 /* --as-of DATE as YYYYMMDD; 0 = the 31 December of each row's year */
    const char *unit;          /* explain --unit: the unit whose outcome is shown */
} cli_config;

int cli_parse(int argc, char **argv, cli_config *cfg, strbuf *err);
/* 1 for "-" and the names of standard output (/dev/stdout, /dev/fd/1,
 * /proc/self/fd/1): two reports there would interleave. */
int cli_is_stdout(const char *path);
/* The full --help text, built from the format table (report.h). */
const char *cli_usage(void);
/* The line printed after a usage error. */
const char *cli_usage_hint(void);
/* For a --LEVEL option once the pack is known: writes the usage error and
 * returns -1 when LEVEL is not a level of the pack (is_level 0) or the
 * option has no file; 0 when it names a table. */
int cli_level_option_error(const cli_table *t, int is_level, strbuf *err);

/* Finds the default rules directory (the directory holding the packs):
 * next to the binary in a build tree, then the installed data directory.
 * Writes it to out; returns 0, or -1 when none is found. */
int cli_rules_root(const char *argv0, strbuf *out);
/* Resolves -r: an existing path as it is; a bare name (no '/') as a pack
 * in the rules root; NULL as the default pack (EXITCHECK_DEFAULT_PACK,
 * set by the build). */
int cli_resolve_pack(const char *argv0, const char *rules, strbuf *out);

#endif
