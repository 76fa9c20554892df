/*
 * test_cli.c - the command line parsed into a configuration (src/cli.h):
 * commands and their positional arguments, -f/-o pairs and the default
 * text report, --param (with percentages), --encoding, --lang, table
 * options, and every usage error, which must come back as -1 with a
 * message (cli_parse never prints or exits).
 */
#include <criterion/criterion.h>

#include <string.h>

#include "cli.h"
#include "strbuf.h"

static cli_config cfg;
static strbuf err = STRBUF_INIT;

static void teardown(void) { strbuf_free(&err); }

TestSuite(cli, .fini = teardown);

/* argv must be writable: cli_parse gathers positional arguments in place */
#define ARGV(...) ((char *[]){"exitcheck", __VA_ARGS__, NULL})
#define ARGC(...) ((int)(sizeof((char *[]){__VA_ARGS__}) / sizeof(char *)) + 1)
#define PARSE(...) parse(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__))

/* The config points into argv, so argv is copied to storage that outlives
 * the assertion the call is made in. */
static char *argv_store[64];

static int parse(int argc, char **argv)
{
    cr_assert_lt(argc, 64);
    memcpy(argv_store, argv, sizeof(char *) * (size_t)(argc + 1));
    strbuf_reset(&err);
    return cli_parse(argc, argv_store, &cfg, &err);
}

#define OK(...)                                                                                    \
    cr_assert_eq(PARSE(__VA_ARGS__), 0, "should parse: %s; error: %s", #__VA_ARGS__, strbuf_str(&err))

/* Expects a usage error whose message contains fragment. */
#define FAILS(fragment, ...)                                                                           \
    do {                                                                                               \
        cr_assert_eq(PARSE(__VA_ARGS__), -1, "should be refused: %s", #__VA_ARGS__);                   \
        cr_assert_not_null(strstr(strbuf_str(&err), fragment), "%s: the message '%s' should contain '%s'", \
                           #__VA_ARGS__, strbuf_str(&err), fragment);                                  \
    } while (0)

Test(cli, check_with_a_data_directory)
{
    OK("check", "data");
    cr_assert_eq(cfg.cmd, CMD_CHECK);
    cr_assert_str_eq(cfg.datadir, "data");
    cr_assert_null(cfg.rules);
    cr_assert_eq(cfg.noutputs, 1, "one default report");
    cr_assert_eq(cfg.outputs[0].format, FMT_TEXT);
    cr_assert_str_eq(cfg.outputs[0].path, "-");
    cr_assert_eq(cfg.encoding, ENC_AUTO);
    cr_assert_eq(cfg.zh, 0);
    cr_assert_eq(cfg.nparams, 0);
    cr_assert_eq(cfg.ntables, 0);
    cr_assert_eq(cfg.partial, 0);
}

Test(cli, options_in_any_order)
{
    OK("check", "-r", "rules/weining", "--lang", "zh", "fixtures/demo", "--partial", "--all");
    cr_assert_str_eq(cfg.datadir, "fixtures/demo");
    cr_assert_str_eq(cfg.rules, "rules/weining");
    cr_assert_eq(cfg.zh, 1);
    cr_assert_eq(cfg.partial, 1);
    cr_assert_eq(cfg.all, 1);
    OK("check", "--rules=gansu", "d");
    cr_assert_str_eq(cfg.rules, "gansu");
}

Test(cli, format_and_output_pairs)
{
    OK("check", "data", "-f", "json", "-o", "out.json");
    cr_assert_eq(cfg.noutputs, 1, "-f replaces the default text report");
    cr_assert_eq(cfg.outputs[0].format, FMT_JSON);
    cr_assert_str_eq(cfg.outputs[0].path, "out.json");

    OK("check", "-f", "json", "-o", "a.json", "--format", "csv", "--output=b.csv", "-f", "junit", "data");
    cr_assert_eq(cfg.noutputs, 3);
    cr_assert_eq(cfg.outputs[0].format, FMT_JSON);
    cr_assert_str_eq(cfg.outputs[0].path, "a.json");
    cr_assert_eq(cfg.outputs[1].format, FMT_CSV);
    cr_assert_str_eq(cfg.outputs[1].path, "b.csv");
    cr_assert_eq(cfg.outputs[2].format, FMT_JUNIT);
    cr_assert_str_eq(cfg.outputs[2].path, "-", "a report without -o goes to standard output");
    cr_assert_str_eq(cfg.datadir, "data");

    OK("check", "data", "-f", "md");
    cr_assert_eq(cfg.outputs[0].format, FMT_MD);
    cr_assert_str_eq(cfg.outputs[0].path, "-");
}

Test(cli, output_before_format_names_the_text_report)
{
    OK("check", "data", "-o", "report.txt", "-f", "json", "-o", "r.json");
    cr_assert_eq(cfg.noutputs, 2);
    cr_assert_eq(cfg.outputs[0].format, FMT_TEXT);
    cr_assert_str_eq(cfg.outputs[0].path, "report.txt");
    cr_assert_eq(cfg.outputs[1].format, FMT_JSON);
    cr_assert_str_eq(cfg.outputs[1].path, "r.json");

    OK("check", "data", "-o", "report.txt");
    cr_assert_eq(cfg.noutputs, 1);
    cr_assert_eq(cfg.outputs[0].format, FMT_TEXT);
    cr_assert_str_eq(cfg.outputs[0].path, "report.txt");
}

Test(cli, two_reports_to_one_place)
{
    FAILS("two reports would go to 'x'", "check", "data", "-f", "json", "-o", "x", "-f", "csv", "-o", "x");
    FAILS("standard output", "check", "data", "-f", "json", "-f", "csv");
    FAILS("two -o for one report", "check", "data", "-f", "json", "-o", "a", "-o", "b");
    FAILS("two -o for one report", "check", "data", "-o", "a", "-o", "b");
}

Test(cli, bad_formats_and_outputs)
{
    FAILS("unknown report format 'pdf'", "check", "data", "-f", "pdf");
    FAILS("needs a format", "check", "data", "-f");
    FAILS("needs a file name", "check", "data", "-o");
    FAILS("too many reports", "check", "data", "-f", "json", "-o", "1", "-f", "json", "-o", "2", "-f", "json", "-o",
          "3", "-f", "json", "-o", "4", "-f", "json", "-o", "5", "-f", "json", "-o", "6", "-f", "json", "-o", "7",
          "-f", "json", "-o", "8", "-f", "json", "-o", "9");
}

Test(cli, params)
{
    OK("check", "data", "--param", "poverty_line=3000", "--param=province_budget_revenue_growth=8.5%");
    cr_assert_eq(cfg.nparams, 2);
    cr_assert_eq(cfg.params[0].name_len, strlen("poverty_line"));
    cr_assert(!strncmp(cfg.params[0].name, "poverty_line", cfg.params[0].name_len));
    cr_assert(cfg.params[0].value == 3000);
    cr_assert_eq(cfg.params[1].name_len, strlen("province_budget_revenue_growth"));
    cr_assert(!strncmp(cfg.params[1].name, "province_budget_revenue_growth", cfg.params[1].name_len));
    cr_assert(cfg.params[1].value == 8.5, "8.5%% is 8.5, got %g", cfg.params[1].value);

    OK("check", "data", "--param", "x=-1.95", "--param", "y=7.4％");
    cr_assert(cfg.params[0].value == -1.95);
    cr_assert(cfg.params[1].value == 7.4);
}

Test(cli, bad_params)
{
    FAILS("NAME=VALUE", "check", "data", "--param", "poverty_line");
    FAILS("NAME=VALUE", "check", "data", "--param", "=3000");
    FAILS("NAME=VALUE", "check", "data", "--param");
    FAILS("not a number", "check", "data", "--param", "poverty_line=");
    FAILS("not a number", "check", "data", "--param", "poverty_line=abc");
    FAILS("not a number", "check", "data", "--param", "poverty_line=1e3");
    FAILS("not a number", "check", "data", "--param", "poverty_line=3,000");
    FAILS("not a number", "check", "data", "--param", "poverty_line=nan");
}

Test(cli, encodings)
{
    OK("check", "data", "--encoding", "auto");
    cr_assert_eq(cfg.encoding, ENC_AUTO);
    OK("check", "data", "--encoding", "utf-8");
    cr_assert_eq(cfg.encoding, ENC_UTF8);
    OK("check", "data", "--encoding=UTF8");
    cr_assert_eq(cfg.encoding, ENC_UTF8);
    OK("check", "data", "--encoding", "gb18030");
    cr_assert_eq(cfg.encoding, ENC_GB18030);
    OK("check", "data", "--encoding", "GBK");
    cr_assert_eq(cfg.encoding, ENC_GB18030);
    FAILS("unknown encoding 'latin1'", "check", "data", "--encoding", "latin1");
    FAILS("--encoding needs", "check", "data", "--encoding");
}

Test(cli, languages)
{
    OK("check", "data", "--lang", "zh");
    cr_assert_eq(cfg.zh, 1);
    OK("check", "data", "--lang=en");
    cr_assert_eq(cfg.zh, 0);
    FAILS("--lang needs en or zh, found 'fr'", "check", "data", "--lang", "fr");
    FAILS("--lang needs en or zh", "check", "data", "--lang");
}

Test(cli, tables_by_level)
{
    OK("check", "--household", "h.csv", "--village=v.csv");
    cr_assert_null(cfg.datadir);
    cr_assert_eq(cfg.ntables, 2);
    cr_assert_eq(cfg.tables[0].level_len, strlen("household"));
    cr_assert(!strncmp(cfg.tables[0].level, "household", cfg.tables[0].level_len));
    cr_assert_str_eq(cfg.tables[0].path, "h.csv");
    cr_assert(!strncmp(cfg.tables[1].level, "village", cfg.tables[1].level_len));
    cr_assert_str_eq(cfg.tables[1].path, "v.csv");
    OK("check", "--table", "hh=x.csv");
    cr_assert_eq(cfg.ntables, 1);
    cr_assert_eq(cfg.tables[0].level_len, 2);
    cr_assert_str_eq(cfg.tables[0].path, "x.csv");
    /* --LEVEL F for any LEVEL: the pack, loaded later, says which exist */
    OK("check", "--township", "t.csv");
    cr_assert_eq(cfg.ntables, 1);
    cr_assert(!strncmp(cfg.tables[0].level, "township", cfg.tables[0].level_len));
    cr_assert_str_eq(cfg.tables[0].path, "t.csv");
    cr_assert_str_eq(cfg.tables[0].option, "--township");
    OK("check", "--county");
    cr_assert_null(cfg.tables[0].path);
    strbuf e = STRBUF_INIT;
    cr_assert_eq(cli_level_option_error(&cfg.tables[0], 1, &e), -1);
    cr_assert_str_eq(strbuf_str(&e), "--county needs a CSV file");
    strbuf_reset(&e);
    cr_assert_eq(cli_level_option_error(&cfg.tables[0], 0, &e), -1);
    cr_assert_str_eq(strbuf_str(&e), "unknown option '--county' (see exitcheck --help)");
    strbuf_free(&e);
    FAILS("LEVEL=FILE", "check", "--table", "hh=");
}

Test(cli, other_options)
{
    OK("check", "data", "--max-errors", "5", "--color", "never", "--bom");
    cr_assert_eq(cfg.max_errors, 5);
    cr_assert_eq(cfg.color, COLOR_NEVER);
    cr_assert_eq(cfg.bom, 1);
    OK("check", "data", "--max-errors=0", "--colour=always");
    cr_assert_eq(cfg.max_errors, 0);
    cr_assert_eq(cfg.color, COLOR_ALWAYS);
    FAILS("whole number", "check", "data", "--max-errors", "-1");
    FAILS("whole number", "check", "data", "--max-errors", "ten");
    FAILS("--color", "check", "data", "--color", "sometimes");
    FAILS("needs a rule pack", "check", "data", "-r");
}

Test(cli, unknown_option)
{
    FAILS("unknown option '-x'", "check", "data", "-x");
    /* a long option the parser does not know may be a level of the pack:
     * the command refuses it once the pack is loaded (fixtures/cases/
     * usage-unknown-option), with this message */
    OK("check", "--villages", "v.csv");
    cr_assert_str_eq(cfg.tables[0].option, "--villages");
    strbuf e = STRBUF_INIT;
    cr_assert_eq(cli_level_option_error(&cfg.tables[0], 0, &e), -1);
    cr_assert_str_eq(strbuf_str(&e), "unknown option '--villages' (see exitcheck --help)");
    strbuf_free(&e);
}

Test(cli, unknown_or_missing_command)
{
    FAILS("unknown command 'chekc'", "chekc", "data");
    char *argv[] = {"exitcheck", NULL};
    strbuf_reset(&err);
    cr_assert_eq(cli_parse(1, argv, &cfg, &err), -1);
    cr_assert_gt(err.len, 0, "no command: a message");
}

Test(cli, check_needs_data)
{
    FAILS("check needs a data directory", "check");
    FAILS("check needs a data directory", "check", "-f", "json");
    FAILS("one data directory", "check", "a", "b");
}

Test(cli, double_dash_ends_options)
{
    OK("check", "--", "-odd-dir");
    cr_assert_str_eq(cfg.datadir, "-odd-dir");
}

Test(cli, explain)
{
    OK("explain", "H02");
    cr_assert_eq(cfg.cmd, CMD_EXPLAIN);
    cr_assert_eq(cfg.nargs, 1);
    cr_assert_str_eq(cfg.args[0], "H02");
    OK("explain", "-r", "weining", "W01");
    cr_assert_str_eq(cfg.args[0], "W01");
    cr_assert_str_eq(cfg.rules, "weining");
    FAILS("explain takes one target", "explain");
    FAILS("explain takes one target", "explain", "H01", "H02");
}

Test(cli, list)
{
    OK("list");
    cr_assert_eq(cfg.cmd, CMD_LIST);
    cr_assert_null(cfg.level);
    OK("list", "--level", "village");
    cr_assert_str_eq(cfg.level, "village");
    OK("list", "--level=household", "-r", "gansu");
    cr_assert_str_eq(cfg.level, "household");
    FAILS("--level needs a level", "list", "--level");
    FAILS("list takes no arguments", "list", "village");
}

Test(cli, lint)
{
    OK("lint");
    cr_assert_eq(cfg.cmd, CMD_LINT);
    cr_assert_eq(cfg.nargs, 0);
    OK("lint", "rules/gansu", "--lang", "zh", "rules/weining");
    cr_assert_eq(cfg.nargs, 2);
    cr_assert_str_eq(cfg.args[0], "rules/gansu");
    cr_assert_str_eq(cfg.args[1], "rules/weining");
}

Test(cli, help_anywhere)
{
    OK("--help");
    cr_assert_eq(cfg.cmd, CMD_HELP);
    OK("-h");
    cr_assert_eq(cfg.cmd, CMD_HELP);
    OK("help");
    cr_assert_eq(cfg.cmd, CMD_HELP);
    OK("check", "data", "--help");
    cr_assert_eq(cfg.cmd, CMD_HELP);
    OK("list", "-h");
    cr_assert_eq(cfg.cmd, CMD_HELP);
    /* --help wins over a usage error elsewhere on the line */
    OK("check", "--help", "--frobnicate");
    cr_assert_eq(cfg.cmd, CMD_HELP);
    cr_assert_not_null(strstr(cli_usage(), "exitcheck check"));
}

Test(cli, version)
{
    OK("--version");
    cr_assert_eq(cfg.cmd, CMD_VERSION);
    OK("-V");
    cr_assert_eq(cfg.cmd, CMD_VERSION);
}

/* --version, like --help, is honoured after the command too. */
Test(cli, version_anywhere)
{
    OK("check", "data", "--version");
    cr_assert_eq(cfg.cmd, CMD_VERSION);
    OK("list", "--version");
    cr_assert_eq(cfg.cmd, CMD_VERSION);
}

/* ---------- waivers (SPEC §8) ---------- */

Test(cli, waivers_and_as_of)
{
    OK("check", "data", "--waivers", "w.csv");
    cr_assert_str_eq(cfg.waivers, "w.csv");
    cr_assert_eq(cfg.as_of, 0, "no --as-of: the 31 December of each row's year");
    OK("check", "data", "--waivers=w.csv", "--as-of", "2017-06-30");
    cr_assert_eq(cfg.as_of, 20170630);
    OK("verify", "data", "--survey", "s.csv", "--waivers", "w.csv", "--as-of=2016-02-29");
    cr_assert_eq(cfg.as_of, 20160229, "2016 is a leap year");
    OK("explain", "H02", "--unit", "6211230530010", "--waivers", "w.csv", "fixtures/demo");
    cr_assert_str_eq(cfg.unit, "6211230530010");
    cr_assert_str_eq(cfg.datadir, "fixtures/demo");
    OK("explain", "H02", "--unit", "h1", "--household", "h.csv");
    cr_assert(cfg.datadir == NULL && cfg.ntables == 1);
}

Test(cli, bad_waiver_options)
{
    FAILS("--as-of needs a date YYYY-MM-DD, found '2017-02-29'", "check", "data", "--waivers", "w", "--as-of", "2017-02-29");
    FAILS("--as-of needs a date YYYY-MM-DD, found '2017/06/30'", "check", "data", "--waivers", "w", "--as-of", "2017/06/30");
    FAILS("--as-of needs a date", "check", "data", "--waivers", "w", "--as-of");
    FAILS("give --waivers F too", "check", "data", "--as-of", "2017-06-30");
    FAILS("--waivers needs a file name", "check", "data", "--waivers");
    FAILS("--waivers reads a file, not standard input", "check", "data", "--waivers", "-");
    FAILS("--waivers is an option of check, verify and explain", "lint", "--waivers", "w");
    FAILS("--waivers is an option of check, verify and explain", "sample", "d", "--plan", "p", "--seed", "s", "--waivers", "w");
    FAILS("--unit is an option of explain", "check", "data", "--unit", "h1");
    FAILS("give --unit ID and the data", "explain", "H02", "--waivers", "w");
    FAILS("explain --unit needs the data", "explain", "H02", "--unit", "h1");
    FAILS("explain --unit takes a target id and a data directory", "explain", "H02", "--unit", "h1", "a", "b");
}
