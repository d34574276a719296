// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * minimal.c against a header generated with --target-kernel 6.1: the same header
 * loads on this host and, as vm61-minimal_t61, inside the 6.1 VM.
 */
#include "minimal.c"
