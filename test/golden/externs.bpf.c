// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Golden trace: every kind of extern. .kconfig values land in the .kconfig map at
 * libbpf's offsets (by alignment, size, name) with an all-zero initial image the
 * runtime replaces at load. ksyms and kfuncs get one look-up step each before the
 * BTF load (kallsyms for the typeless ksym, BTF_FIND of a VAR or FUNC for the rest;
 * weak ones marked), and the program load patches each use from the results: both
 * address halves, BTF id and fd of a typed ksym (src_reg when found), a kfunc call
 * (vmlinux or module form when found, poisoned otherwise) and the module's BTF fd
 * into fd_array after the maps' fds.
 */
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

#define bpf_ksym_exists(sym) ({						\
	_Static_assert(!__builtin_constant_p(!!sym), #sym " must be __weak");	\
	!!sym;								\
})

extern __u32 LINUX_KERNEL_VERSION __kconfig;
extern _Bool CONFIG_BPF_SYSCALL __kconfig;
extern enum libbpf_tristate CONFIG_BPF_JIT __kconfig __weak;
extern char CONFIG_DEFAULT_HOSTNAME[16] __kconfig __weak;
extern __u64 CONFIG_PHYSICAL_START __kconfig __weak;

extern const void bpf_prog_put __ksym;
extern const int bpf_prog_active __ksym __weak;
struct task_struct;
extern struct task_struct *bpf_task_from_pid(int pid) __ksym;
extern void bpf_task_release(struct task_struct *p) __ksym;
extern void lskel_gone(void) __ksym __weak;

__u64 out[8];

SEC("syscall")
int use_externs(void *ctx)
{
	struct task_struct *t = bpf_task_from_pid(1);

	if (t)
		bpf_task_release(t);
	out[0] = LINUX_KERNEL_VERSION + CONFIG_BPF_SYSCALL + CONFIG_BPF_JIT;
	out[1] = CONFIG_DEFAULT_HOSTNAME[0] + CONFIG_PHYSICAL_START;
	out[2] = (__u64)&bpf_prog_put;
	out[3] = bpf_ksym_exists(&bpf_prog_active);
	if (bpf_ksym_exists(lskel_gone))
		lskel_gone();
	return 0;
}

char LICENSE[] SEC("license") = "GPL";
