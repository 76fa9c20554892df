/*
 * main.c - parses the command line and runs the command. Exit statuses
 * are the EXIT_* values of cli.h, documented in exitcheck(1).
 */
#include "cli.h"
#include "commands.h"

#include <stdio.h>

int main(int argc, char **argv)
{
    cli_config cfg;
    strbuf err = STRBUF_INIT;
    if (cli_parse(argc, argv, &cfg, &err)) {
        fprintf(stderr, "exitcheck: %s\nusage: exitcheck check|lint|explain|list ... (exitcheck --help shows every option)\n",
                strbuf_str(&err));
        strbuf_free(&err);
        return EXIT_ERROR;
    }
    strbuf_free(&err);
    switch (cfg.cmd) {
    case CMD_HELP:
        fputs(cli_usage(), stdout);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERROR;
    case CMD_VERSION:
        printf("exitcheck %s\n", EXITCHECK_VERSION);
        return fflush(stdout) == 0 ? EXIT_OK : EXIT_ERROR;
    case CMD_CHECK: return cmd_check(&cfg, argv[0]);
    case CMD_LINT: return cmd_lint(&cfg, argv[0]);
    case CMD_EXPLAIN: return cmd_explain(&cfg, argv[0]);
    case CMD_LIST: return cmd_list(&cfg, argv[0]);
    default: return EXIT_ERROR;
    }
}
