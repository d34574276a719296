/* SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause) */
/*
 * What the extern test programs (ksyms, ksyms_percpu, kfuncs) share: libbpf 1.2's
 * bpf_ksym_exists() for the older bpf_helpers.h of Debian's libbpf 1.1, and the
 * kfuncs they call, which bpftool's vmlinux.h does not declare.
 */
#ifndef TEST_EXTERNS_H
#define TEST_EXTERNS_H

#ifndef bpf_ksym_exists
/* 1 if the weak extern sym resolved at load, 0 if the kernel lacks it */
#define bpf_ksym_exists(sym) ({						\
	_Static_assert(!__builtin_constant_p(!!sym), #sym " must be __weak");	\
	!!sym;								\
})
#endif

#endif /* TEST_EXTERNS_H */
