/*
 * rules_verify.h - reading a pack's `verification` section
 * (rules_verify.c), private to the rules modules.
 */
#ifndef EXITCHECK_RULES_VERIFY_H
#define EXITCHECK_RULES_VERIFY_H

#include "rules_impl.h"

/* Pass one: the vetoes of pack.yaml's `verification` (node sec). */
void rules_load_verification(loader *L, const ynode *sec);
/* After every file is read: each veto's threshold parameter. */
void rules_resolve_vetoes(loader *L);

#endif
