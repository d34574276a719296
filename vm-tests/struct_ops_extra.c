// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* struct_ops_extra.bpf.c: a member the running kernel's type lacks fails the load. */
#define SKEL struct_ops_extra_bpf
#define FORM "extra-member"
#define CC_NAME "lskel_cc_extra"
#define EXPECTED "lskel: struct_ops map 'cc': member 'lskel_knob' is set, but the running " \
	"kernel's struct tcp_congestion_ops has no such member: -95 (Operation not supported)"
#include "struct_ops_mismatch.h"
