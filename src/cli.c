/*
 * cli.c - option parsing into a cli_config, and finding rule packs.
 *
 * Options may come in any order after the command. Each -f starts a new
 * report; the -o after it names that report's file (an -o before any -f
 * names the file of the default text report). The report formats come
 * from report.h's one table, and a table by level (--LEVEL F) is taken
 * for any LEVEL: the pack, loaded later, says which levels there are.
 */
#include "cli.h"
#include "waiver.h"
#include "value.h"

#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* Appends to a fixed buffer, truncating (the text is far shorter). */
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void put(char *buf, size_t cap, size_t *len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf + *len, cap - *len, fmt, ap);
    va_end(ap);
    if (n > 0)
        *len = *len + (size_t)n < cap ? *len + (size_t)n : cap - 1;
}

/* "text, json, ... or units" (sep ", ", last " or ") or "text|json|...". */
static void format_list(char *buf, size_t cap, size_t *len, const char *sep, const char *last)
{
    for (int i = 0; i < FMT__COUNT; i++)
        put(buf, cap, len, "%s%s", i == 0 ? "" : i + 1 == FMT__COUNT ? last : sep, report_formats[i].name);
}

const char *cli_usage(void)
{
    static char buf[8192];
    static size_t len;
    if (len)
        return buf;
    put(buf, sizeof buf, &len,
        "usage: exitcheck check [DATADIR] [--LEVEL F]... [--table LEVEL=F] [-r RULES]\n"
        "                       [-f ");
    format_list(buf, sizeof buf, &len, "|", "|");
    put(buf, sizeof buf, &len,
        "] [-o FILE] [--bom]\n"
        "                       [--param NAME=VALUE] [--encoding auto|utf-8|gb18030]\n"
        "                       [--lang en|zh] [--partial] [--max-errors N] [--all]\n"
        "                       [--color auto|always|never] [--threads 1|2] [--quiet]\n"
        "                       [--header-row N] [--sheet NAME|N]\n"
        "                       [--waivers F] [--as-of YYYY-MM-DD]\n"
        "       exitcheck sample [DATADIR] --plan PLAN --seed SEED [--manifest F] [--form F]\n"
        "                       [--village F] [--household F] [-r RULES]\n"
        "                       [-f text|json|csv|html|md|xlsx] [-o FILE] (and --param,\n"
        "                       --encoding, --lang, --partial, --max-errors, --threads,\n"
        "                       --quiet, --header-row, --sheet as for check)\n"
        "       exitcheck verify [DATADIR] --survey F [--manifest F] [--county F] [--village F]\n"
        "                       [--household F] [-r RULES] [-f text|json|csv|html|md|xlsx]\n"
        "                       [-o FILE] [--lang en|zh] [--waivers F] [--as-of YYYY-MM-DD]\n"
        "                       register against field survey: 三率一度\n"
        "       exitcheck lint [RULES|PLAN...]   validate rule packs and sampling plans\n"
        "       exitcheck explain TARGET [-r RULES]  show a target: wording, requirement, reading\n"
        "       exitcheck explain TARGET --unit ID [DATADIR] [--LEVEL F]... [--waivers F]\n"
        "                       [--as-of YYYY-MM-DD]  the target's outcome for one unit, and\n"
        "                       the waiver behind it\n"
        "       exitcheck list [--level LEVEL] [-r RULES]  list the targets of a pack\n"
        "       exitcheck --help | --version\n"
        "\n"
        "check evaluates the CSV tables of DATADIR (county.csv, village.csv, household.csv)\n"
        "against a rule pack (default: " EXITCHECK_DEFAULT_PACK ") and reports, for every unit and target, met,\n"
        "not met or unknown, and whether each exit, this year's or an earlier one, holds.\n"
        "\n"
        "  -r RULES            a pack directory, its pack.yaml, or a pack name (" EXITCHECK_DEFAULT_PACK ")\n"
        "  --LEVEL F           the table of one level of the pack, by the level's id:\n"
        "                      --county F, --village F, --household F in gansu; a pack\n"
        "                      with a level township takes --township F\n"
        "  --table LEVEL=F     the same, as one argument\n"
        "  --level LEVEL       list: only the targets of that level of the pack\n"
        "  --plan PLAN         sample: the sampling plan (strata of villages and households)\n"
        "  --seed SEED         sample: any text; the same frame, plan and seed draw the same\n"
        "                      sample (SHA-256 of SEED, stratum and id: see exitcheck-plan(5))\n"
        "  --manifest F        sample: the units drawn, with pi, weight and u (CSV; - = stdout)\n"
        "  --form F            sample: the survey form, one row per household drawn (CSV, BOM)\n"
        "  --survey F          verify: the field survey (one row per surveyed household)\n"
        "                      verify --manifest F: the sample's manifest (weights, strata)\n"
        "  --waivers F         check, verify, explain: documented exceptions (CSV: level,\n"
        "                      unit_id, target, basis, reason, approved_by, approved_on,\n"
        "                      expires); a waived target counts as met and is shown as waived\n"
        "  --as-of DATE        the date waivers' expiry is judged on (YYYY-MM-DD; default:\n"
        "                      the 31 December of each row's year, never today)\n"
        "  --unit ID           explain: the unit (of the target's level) to show\n"
        "  -f FORMAT           report format, one of:\n");
    for (int i = 0; i < FMT__COUNT; i++)
        put(buf, sizeof buf, &len, "                        %-6s %s\n", report_formats[i].name, report_formats[i].help);
    put(buf, sizeof buf, &len,
        "                      repeat -f ... -o FILE for several reports from one run\n"
        "  -o FILE             write the preceding -f report to FILE (written atomically)\n"
        "  --bom               csv reports begin with a UTF-8 byte order mark (for Excel)\n"
        "  --param NAME=VALUE  supply or override a parameter for every year\n"
        "  --encoding E        auto (default): UTF-8, else GB18030 with a notice\n"
        "  --header-row N      the header is on line N of every table read, the lines\n"
        "                      above it skipped (default: the first of the first 10 rows\n"
        "                      with the key column and enough of the columns needed)\n"
        "  --sheet NAME|N      the sheet to read in every workbook (.xlsx) table of a\n"
        "                      level, by name or number (default: the sheet named after\n"
        "                      the level, such as household or 户, else the first)\n"
        "  --lang zh           reports, listings and messages in Chinese (headings,\n"
        "                      statuses, target titles, problems found in the data)\n"
        "  --partial           check tables that lack columns; their targets are unknown\n"
        "  --max-errors N      keep at most N diagnostics of each severity (default 100; 0 = all)\n"
        "  --all               list every unit in the text report, not only failures\n"
        "  --threads N         2 (default): parse the tables on a second thread; 1: parse\n"
        "                      on the main thread (the reports are the same either way)\n"
        "  --quiet, -q         no progress line on standard error (shown only on a\n"
        "                      terminal, for tables of 64 MiB or more)\n"
        "\n"
        "exit status: 0 every claimed exit is supported (without claims: every unit\n"
        "meets); 1 some claimed exit is wrong or unsupported (without claims: some unit\n"
        "fails or is unknown); 2 usage error, unreadable or malformed rules or data,\n"
        "or a report or listing that could not be written.\n"
        "verify: 0 every county passes every veto; 1 some county fails or is unknown;\n"
        "2 input errors.\n"
        "sample: 0 the sample was drawn; 2 a usage error, a mistake in the plan, or data\n"
        "errors (the report lists them; no manifest or form is written).\n"
        "See exitcheck(1), exitcheck-rules(5) and exitcheck-plan(5).\n");
    return buf;
}

const char *cli_usage_hint(void)
{
    return "usage: exitcheck check|sample|verify|lint|explain|list ... (exitcheck --help shows every option)\n";
}

int cli_is_stdout(const char *path)
{
    return !strcmp(path, "-") || !strcmp(path, "/dev/stdout") || !strcmp(path, "/dev/fd/1") ||
           !strcmp(path, "/proc/self/fd/1");
}

static int fail(strbuf *err, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int fail(strbuf *err, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    strbuf_vprintf(err, fmt, ap);
    va_end(ap);
    return -1;
}

/* "--opt=value" or "--opt value"; returns the value or NULL. */
static const char *opt_value(int argc, char **argv, int *i, const char *name, int *matched)
{
    size_t n = strlen(name);
    const char *a = argv[*i];
    *matched = 0;
    if (strncmp(a, name, n) != 0)
        return NULL;
    if (a[n] == '=') {
        *matched = 1;
        return a + n + 1;
    }
    if (a[n] != '\0')
        return NULL;
    *matched = 1;
    if (*i + 1 >= argc)
        return NULL;
    return argv[++*i];
}

/* -f xlsx onto a terminal's standard output: a workbook is binary. */
static int xlsx_to_terminal(const cli_config *cfg)
{
    for (size_t k = 0; k < cfg->noutputs; k++)
        if (cfg->outputs[k].format == FMT_XLSX && cli_is_stdout(cfg->outputs[k].path) && isatty(STDOUT_FILENO))
            return 1;
    return 0;
}

/* -f FORMAT: starts a new report. */
static int add_format(cli_config *cfg, const char *a, const char *v, strbuf *err)
{
    char names[256];
    size_t nlen = 0;
    format_list(names, sizeof names, &nlen, ", ", " or ");
    if (!v)
        return fail(err, "%s needs a format (%s)", a, names);
    report_format f;
    if (report_format_parse(v, &f))
        return fail(err, "unknown report format '%s' (expected %s)", v, names);
    if (cfg->noutputs == CLI_MAX_OUTPUTS)
        return fail(err, "too many reports (at most 8)");
    cfg->outputs[cfg->noutputs].format = f;
    cfg->outputs[cfg->noutputs].path = NULL;
    cfg->noutputs++;
    return 0;
}

/* --param NAME=VALUE. */
static int add_param(cli_config *cfg, const char *v, strbuf *err)
{
    const char *eq = v ? strchr(v, '=') : NULL;
    if (!v || !eq || eq == v)
        return fail(err, "--param needs NAME=VALUE, found '%s'", v ? v : "");
    if (cfg->nparams == CLI_MAX_PARAMS)
        return fail(err, "too many --param (at most 64)");
    cli_param *p = &cfg->params[cfg->nparams];
    p->name = v;
    p->name_len = (size_t)(eq - v);
    const char *num = eq + 1;
    size_t nn = strlen(num);
    value_trim(&num, &nn);
    if (value_parse_number(num, nn, 1, &p->value))
        return fail(err, "--param: '%s' is not a number (write plain decimals such as 8.5)", eq + 1);
    cfg->nparams++;
    return 0;
}

/* --LEVEL F or --LEVEL=F (--county F, --township F, ...), argv[*i]: a
 * table by level, which the command checks against the pack's levels. A
 * next argument that is an option is not taken as the file. */
static int add_level_table(cli_config *cfg, int argc, char **argv, int *i, strbuf *err)
{
    const char *a = argv[*i];
    const char *name = a + 2;
    const char *eq = strchr(name, '=');
    size_t len = eq ? (size_t)(eq - name) : strlen(name);
    const char *file = eq ? eq + 1 : NULL;
    if (!eq && *i + 1 < argc && (argv[*i + 1][0] != '-' || !strcmp(argv[*i + 1], "-")))
        file = argv[++*i];
    if (cfg->ntables == CLI_MAX_TABLES)
        return fail(err, "too many tables");
    cfg->tables[cfg->ntables++] = (cli_table){name, len, file && *file ? file : NULL, a};
    return 0;
}

/* One option at argv[*i] (advancing *i past its value): 0, or -1 with a
 * message. */
static int parse_option(int argc, char **argv, int *i, cli_config *cfg, strbuf *err)
{
    const char *a = argv[*i];
    const char *v;
    int m;
    if ((v = opt_value(argc, argv, i, "-r", &m)) || m || (v = opt_value(argc, argv, i, "--rules", &m)) || m) {
        if (!v)
            return fail(err, "%s needs a rule pack", a);
        cfg->rules = v;
    } else if ((v = opt_value(argc, argv, i, "-f", &m)) || m || (v = opt_value(argc, argv, i, "--format", &m)) || m) {
        return add_format(cfg, a, v, err);
    } else if ((v = opt_value(argc, argv, i, "-o", &m)) || m || (v = opt_value(argc, argv, i, "--output", &m)) || m) {
        if (!v)
            return fail(err, "%s needs a file name", a);
        if (cfg->noutputs == 0) {
            cfg->outputs[0].format = FMT_TEXT;
            cfg->noutputs = 1;
        }
        if (cfg->outputs[cfg->noutputs - 1].path)
            return fail(err, "two -o for one report ('%s'); give -f before each -o", v);
        cfg->outputs[cfg->noutputs - 1].path = v;
    } else if ((v = opt_value(argc, argv, i, "--param", &m)) || m) {
        return add_param(cfg, v, err);
    } else if ((v = opt_value(argc, argv, i, "--encoding", &m)) || m) {
        if (!v)
            return fail(err, "--encoding needs auto, utf-8 or gb18030");
        if (!strcmp(v, "auto")) cfg->encoding = ENC_AUTO;
        else if (!strcasecmp(v, "utf-8") || !strcasecmp(v, "utf8")) cfg->encoding = ENC_UTF8;
        else if (!strcasecmp(v, "gb18030") || !strcasecmp(v, "gbk") || !strcasecmp(v, "gb2312")) cfg->encoding = ENC_GB18030;
        else
            return fail(err, "unknown encoding '%s' (expected auto, utf-8 or gb18030)", v);
    } else if ((v = opt_value(argc, argv, i, "--header-row", &m)) || m) {
        char *end;
        long n = v && *v ? strtol(v, &end, 10) : -1;
        if (!v || !*v || *end || n < 1)
            return fail(err, "--header-row needs a line number (1 or more), found '%s'", v ? v : "");
        cfg->header_row = n;
    } else if ((v = opt_value(argc, argv, i, "--sheet", &m)) || m) {
        if (!v || !*v)
            return fail(err, "--sheet needs a sheet's name or number (1 for the first)");
        cfg->sheet = v;
    } else if ((v = opt_value(argc, argv, i, "--lang", &m)) || m) {
        if (!v || (strcmp(v, "en") && strcmp(v, "zh")))
            return fail(err, "--lang needs en or zh, found '%s'", v ? v : "");
        cfg->zh = !strcmp(v, "zh");
    } else if ((v = opt_value(argc, argv, i, "--max-errors", &m)) || m) {
        char *end;
        long n = v ? strtol(v, &end, 10) : -1;
        if (!v || *end || n < 0)
            return fail(err, "--max-errors needs a whole number, found '%s'", v ? v : "");
        cfg->max_errors = n;
    } else if ((v = opt_value(argc, argv, i, "--color", &m)) || m || (v = opt_value(argc, argv, i, "--colour", &m)) || m) {
        if (!v)
            return fail(err, "--color needs auto, always or never");
        if (!strcmp(v, "auto")) cfg->color = COLOR_AUTO;
        else if (!strcmp(v, "always")) cfg->color = COLOR_ALWAYS;
        else if (!strcmp(v, "never")) cfg->color = COLOR_NEVER;
        else
            return fail(err, "--color needs auto, always or never, found '%s'", v);
    } else if ((v = opt_value(argc, argv, i, "--level", &m)) || m) {
        if (!v)
            return fail(err, "--level needs a level (county, village, household)");
        cfg->level = v;
    } else if ((v = opt_value(argc, argv, i, "--plan", &m)) || m) {
        if (!v)
            return fail(err, "--plan needs a plan file");
        cfg->plan = v;
    } else if ((v = opt_value(argc, argv, i, "--seed", &m)) || m) {
        if (!v || !*v)
            return fail(err, "--seed needs a seed (any text, such as 2018-assessment)");
        for (const unsigned char *c = (const unsigned char *)v; *c; c++)
            if (*c < 0x20 || *c == 0x7f)
                return fail(err, "--seed must be text without control characters (tabs, line breaks)");
        cfg->seed = v;
    } else if ((v = opt_value(argc, argv, i, "--manifest", &m)) || m) {
        if (!v)
            return fail(err, "--manifest needs a file name");
        cfg->manifest = v;
    } else if ((v = opt_value(argc, argv, i, "--survey", &m)) || m) {
        if (!v)
            return fail(err, "--survey needs a file name");
        cfg->survey = v;
    } else if ((v = opt_value(argc, argv, i, "--form", &m)) || m) {
        if (!v)
            return fail(err, "--form needs a file name");
        cfg->form = v;
    } else if ((v = opt_value(argc, argv, i, "--waivers", &m)) || m) {
        if (!v || !*v)
            return fail(err, "--waivers needs a file name");
        cfg->waivers = v;
    } else if ((v = opt_value(argc, argv, i, "--as-of", &m)) || m) {
        if (!v || waiver_parse_date(v, strlen(v), &cfg->as_of))
            return fail(err, "--as-of needs a date YYYY-MM-DD, found '%s'", v ? v : "");
    } else if ((v = opt_value(argc, argv, i, "--unit", &m)) || m) {
        if (!v || !*v)
            return fail(err, "--unit needs a unit id");
        cfg->unit = v;
    } else if ((v = opt_value(argc, argv, i, "--table", &m)) || m) {
        const char *eq = v ? strchr(v, '=') : NULL;
        if (!v || !eq || eq == v || !eq[1])
            return fail(err, "--table needs LEVEL=FILE, found '%s'", v ? v : "");
        if (cfg->ntables == CLI_MAX_TABLES)
            return fail(err, "too many tables");
        cfg->tables[cfg->ntables++] = (cli_table){v, (size_t)(eq - v), eq + 1, NULL};
    } else if ((v = opt_value(argc, argv, i, "--threads", &m)) || m) {
        if (!v || (strcmp(v, "1") && strcmp(v, "2")))
            return fail(err, "--threads needs 1 or 2, found '%s'", v ? v : "");
        cfg->threads = v[0] - '0';
    } else if (!strcmp(a, "--quiet") || !strcmp(a, "-q")) {
        cfg->quiet = 1;
    } else if (!strcmp(a, "--partial")) {
        cfg->partial = 1;
    } else if (!strcmp(a, "--all")) {
        cfg->all = 1;
    } else if (!strcmp(a, "--bom")) {
        cfg->bom = 1;
    } else if (!strncmp(a, "--", 2) && a[2] && a[2] != '=') {
        return add_level_table(cfg, argc, argv, i, err);
    } else {
        return fail(err, "unknown option '%s' (see exitcheck --help)", a);
    }
    return 0;
}

int cli_parse(int argc, char **argv, cli_config *cfg, strbuf *err)
{
    memset(cfg, 0, sizeof *cfg);
    cfg->max_errors = 100;
    cfg->encoding = ENC_AUTO;
    static char *no_args[1];
    cfg->args = no_args;
    if (argc < 2) {
        strbuf_puts(err, "no command given");
        return -1;
    }
    const char *cmd = argv[1];
    if (!strcmp(cmd, "--help") || !strcmp(cmd, "-h") || !strcmp(cmd, "help")) {
        cfg->cmd = CMD_HELP;
        return 0;
    }
    if (!strcmp(cmd, "--version") || !strcmp(cmd, "-V")) {
        cfg->cmd = CMD_VERSION;
        return 0;
    }
    if (!strcmp(cmd, "check")) cfg->cmd = CMD_CHECK;
    else if (!strcmp(cmd, "sample")) cfg->cmd = CMD_SAMPLE;
    else if (!strcmp(cmd, "verify")) cfg->cmd = CMD_VERIFY;
    else if (!strcmp(cmd, "lint")) cfg->cmd = CMD_LINT;
    else if (!strcmp(cmd, "explain")) cfg->cmd = CMD_EXPLAIN;
    else if (!strcmp(cmd, "list")) cfg->cmd = CMD_LIST;
    else
        return fail(err, "unknown command '%s' (expected check, sample, verify, lint, explain or list)", cmd);

    /* positional arguments are collected in place at the front of argv+2 */
    char **pos = argv + 2;
    size_t npos = 0;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!strcmp(a, "--help") || !strcmp(a, "-h")) {
            cfg->cmd = CMD_HELP;
            return 0;
        }
        if (!strcmp(a, "--version") || !strcmp(a, "-V")) {
            cfg->cmd = CMD_VERSION;
            return 0;
        }
        if (a[0] != '-' || !strcmp(a, "-")) {
            pos[npos++] = argv[i];
            continue;
        }
        if (!strcmp(a, "--")) {
            while (++i < argc)
                pos[npos++] = argv[i];
            break;
        }
        if (parse_option(argc, argv, &i, cfg, err))
            return -1;
    }
    /* the default text report on standard output; for sample, only when
     * the manifest or form does not go there */
    int stdout_taken = (cfg->manifest && !strcmp(cfg->manifest, "-")) || (cfg->form && !strcmp(cfg->form, "-"));
    if (cfg->noutputs == 0 && !(cfg->cmd == CMD_SAMPLE && stdout_taken)) {
        cfg->outputs[0].format = FMT_TEXT;
        cfg->noutputs = 1;
    }
    for (size_t k = 0; k < cfg->noutputs; k++)
        if (!cfg->outputs[k].path)
            cfg->outputs[k].path = "-";
    for (size_t k = 0; k < cfg->noutputs; k++)
        for (size_t j = 0; j < k; j++)
            if (strcmp(cfg->outputs[k].path, cfg->outputs[j].path) == 0 ||
                (cli_is_stdout(cfg->outputs[k].path) && cli_is_stdout(cfg->outputs[j].path)))
                return fail(err, "two reports would go to '%s'",
                            cli_is_stdout(cfg->outputs[k].path) ? "standard output" : cfg->outputs[k].path);
    cfg->args = pos;
    cfg->nargs = npos;
    if (cfg->cmd != CMD_SAMPLE && (cfg->plan || cfg->seed || cfg->form))
        return fail(err, "--plan, --seed and --form are options of sample");
    if (cfg->cmd != CMD_SAMPLE && cfg->cmd != CMD_VERIFY && cfg->manifest)
        return fail(err, "--manifest is an option of sample and verify");
    if (cfg->cmd != CMD_VERIFY && cfg->survey)
        return fail(err, "--survey is an option of verify");
    if (cfg->cmd != CMD_CHECK && cfg->cmd != CMD_VERIFY && cfg->cmd != CMD_EXPLAIN && cfg->waivers)
        return fail(err, "--waivers is an option of check, verify and explain");
    if (cfg->as_of && !cfg->waivers)
        return fail(err, "--as-of dates the waivers' expiry: give --waivers F too");
    if (cfg->cmd != CMD_EXPLAIN && cfg->unit)
        return fail(err, "--unit is an option of explain");
    if (cfg->cmd == CMD_EXPLAIN && cfg->waivers && !cfg->unit)
        return fail(err, "explain --waivers shows one unit's outcome: give --unit ID and the data");
    if (cfg->waivers && !strcmp(cfg->waivers, "-"))
        return fail(err, "--waivers reads a file, not standard input");
    switch (cfg->cmd) {
    case CMD_NONE:
    case CMD_HELP:
    case CMD_VERSION:
    case CMD_LINT:
        break;
    case CMD_CHECK:
        if (npos > 1)
            return fail(err, "check takes one data directory, found another: '%s'", pos[1]);
        cfg->datadir = npos ? pos[0] : NULL;
        if (!cfg->datadir && !cfg->ntables)
            return fail(err, "check needs a data directory or --county/--village/--household files");
        if (xlsx_to_terminal(cfg))
            return fail(err, "-f xlsx writes a binary workbook, not for a terminal: give -o FILE.xlsx");
        break;
    case CMD_SAMPLE:
        if (npos > 1)
            return fail(err, "sample takes one data directory, found another: '%s'", pos[1]);
        cfg->datadir = npos ? pos[0] : NULL;
        if (!cfg->datadir && !cfg->ntables)
            return fail(err, "sample needs a data directory or --village and --household files");
        if (!cfg->plan)
            return fail(err, "sample needs --plan PLAN");
        if (!cfg->seed)
            return fail(err, "sample needs --seed SEED (any text; write it down: it redraws the sample)");
        for (size_t k = 0; k < cfg->noutputs; k++)
            if (cfg->outputs[k].format == FMT_JUNIT || cfg->outputs[k].format == FMT_UNITS)
                return fail(err, "sample writes text, json, csv, html, md or xlsx reports, not %s",
                            report_formats[cfg->outputs[k].format].name);
        if (xlsx_to_terminal(cfg))
            return fail(err, "-f xlsx writes a binary workbook, not for a terminal: give -o FILE.xlsx");
        {
            const char *files[CLI_MAX_OUTPUTS + 2];
            size_t nf = 0;
            for (size_t k = 0; k < cfg->noutputs; k++)
                files[nf++] = cfg->outputs[k].path;
            if (cfg->manifest)
                files[nf++] = cfg->manifest;
            if (cfg->form)
                files[nf++] = cfg->form;
            for (size_t k = 0; k < nf; k++)
                for (size_t j = 0; j < k; j++)
                    if (!strcmp(files[k], files[j]) || (cli_is_stdout(files[k]) && cli_is_stdout(files[j])))
                        return fail(err, "two outputs would go to '%s'",
                                    cli_is_stdout(files[k]) ? "standard output" : files[k]);
        }
        break;
    case CMD_VERIFY:
        if (npos > 1)
            return fail(err, "verify takes one data directory, found another: '%s'", pos[1]);
        cfg->datadir = npos ? pos[0] : NULL;
        if (!cfg->datadir && !cfg->ntables)
            return fail(err, "verify needs the register: a data directory or --household (and --village, --county) files");
        if (!cfg->survey)
            return fail(err, "verify needs --survey F, the field survey");
        if (!strcmp(cfg->survey, "-") || (cfg->manifest && !strcmp(cfg->manifest, "-")))
            return fail(err, "verify reads --survey and --manifest from files, not from standard input");
        for (size_t k = 0; k < cfg->noutputs; k++)
            if (cfg->outputs[k].format == FMT_JUNIT || cfg->outputs[k].format == FMT_UNITS)
                return fail(err, "verify writes text, json, csv, html, md or xlsx reports, not %s",
                            report_formats[cfg->outputs[k].format].name);
        if (xlsx_to_terminal(cfg))
            return fail(err, "-f xlsx writes a binary workbook, not for a terminal: give -o FILE.xlsx");
        break;
    case CMD_EXPLAIN:
        if (!cfg->unit && npos != 1)
            return fail(err, "explain takes one target id, such as H02");
        if (cfg->unit) {
            if (npos < 1 || npos > 2)
                return fail(err, "explain --unit takes a target id and a data directory, such as H02 fixtures/demo");
            cfg->datadir = npos == 2 ? pos[1] : NULL;
            if (!cfg->datadir && !cfg->ntables)
                return fail(err, "explain --unit needs the data: a data directory or --county/--village/--household files");
        }
        break;
    case CMD_LIST:
        if (npos)
            return fail(err, "list takes no arguments (use -r for the pack), found '%s'", pos[0]);
        break;
    }
    return 0;
}

int cli_level_option_error(const cli_table *t, int is_level, strbuf *err)
{
    if (!t->option)
        return 0;
    if (!is_level)
        return fail(err, "unknown option '%s' (see exitcheck --help)", t->option);
    if (!t->path)
        return fail(err, "%s needs a CSV file", t->option);
    return 0;
}

static int is_dir(const char *p)
{
    struct stat st;
    return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_rules_root(const char *argv0, strbuf *out)
{
    char exe[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n <= 0 && argv0 && strchr(argv0, '/')) {
        size_t l = strlen(argv0);
        if (l >= sizeof exe)
            l = sizeof exe - 1;
        memcpy(exe, argv0, l);
        n = (ssize_t)l;
    }
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            const char *cands[] = {"/rules", "/../share/exitcheck/rules"};
            for (size_t i = 0; i < 2; i++) {
                strbuf_reset(out);
                strbuf_printf(out, "%s%s", exe, cands[i]);
                if (is_dir(strbuf_str(out)))
                    return 0;
            }
        }
    }
    strbuf_reset(out);
    strbuf_puts(out, EXITCHECK_DATADIR "/rules");
    return is_dir(strbuf_str(out)) ? 0 : -1;
}

int cli_resolve_pack(const char *argv0, const char *rules, strbuf *out)
{
    struct stat st;
    if (rules && (strchr(rules, '/') || stat(rules, &st) == 0)) {
        strbuf_reset(out);
        strbuf_puts(out, rules);
        return 0;
    }
    if (cli_rules_root(argv0, out))
        return -1;
    strbuf_printf(out, "/%s", rules ? rules : EXITCHECK_DEFAULT_PACK);
    return 0;
}
