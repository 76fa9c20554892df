/*
 * main.c - parses the command line and runs the command. Exit statuses
 * are the EXIT_* values of exitcode.h, documented in exitcheck(1).
 */
#include "cli.h"
#include "commands.h"

#include <stdio.h>
#if defined(__GLIBC__)
#include <malloc.h>
#endif

int main(int argc, char **argv)
{
#if defined(M_MMAP_THRESHOLD)
    /* Blocks of 16 KiB or more come from mmap and go back to the system
     * when freed, so the outgrown parts of the duplicate-id set do not stay
     * resident (peak RSS at a million households: 32.8 MB before, 31.0 MB
     * after). */
    mallopt(M_MMAP_THRESHOLD, 16 * 1024);
#endif
    cli_config cfg;
    strbuf err = STRBUF_INIT;
    if (cli_parse(argc, argv, &cfg, &err)) {
        fprintf(stderr, "exitcheck: %s\n%s", strbuf_str(&err), cli_usage_hint());
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
    case CMD_SAMPLE: return cmd_sample(&cfg, argv[0]);
    case CMD_VERIFY: return cmd_verify(&cfg, argv[0]);
    case CMD_LINT: return cmd_lint(&cfg, argv[0]);
    case CMD_EXPLAIN: return cmd_explain(&cfg, argv[0]);
    case CMD_LIST: return cmd_list(&cfg, argv[0]);
    case CMD_NONE: break;
    }
    return EXIT_ERROR;
}
