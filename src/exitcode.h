/*
 * exitcode.h - the exit statuses of exitcheck (exitcheck(1), EXIT STATUS).
 *
 * One enum for every place that decides or tests a status: the commands
 * return it, the reports print it and word their verdict from it. A base
 * header: it includes nothing, so any module may use it.
 *
 * Invariant: the numeric values are the documented statuses and never
 * change (scripts and CI test them).
 */
#ifndef EXITCHECK_EXITCODE_H
#define EXITCHECK_EXITCODE_H

typedef enum {
    EXIT_OK = 0,          /* every claimed exit is supported (without claims: every unit meets) */
    EXIT_CLAIMS_FAIL = 1, /* some claimed exit is wrong or unsupported (without claims: some unit does not meet) */
    EXIT_ERROR = 2        /* usage error, unreadable or malformed rules or data */
} exit_status;

#endif
