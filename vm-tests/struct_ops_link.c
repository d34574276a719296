// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/* struct_ops_link.bpf.c, the SEC(".struct_ops.link") form: the test is struct_ops.c's. */
#define ST_LINK 1
#include "struct_ops.c"
