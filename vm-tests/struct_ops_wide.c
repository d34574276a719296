// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* struct_ops_wide.bpf.c: a member wider than the running kernel's fails the load. */
#define SKEL struct_ops_wide_bpf
#define FORM "wide-member"
#define CC_NAME "lskel_cc_wide"
#define EXPECTED "lskel: struct_ops map 'cc': member 'flags': 8 bytes in the object, 4 in " \
	"the running kernel: -95 (Operation not supported)"
#include "struct_ops_mismatch.h"
