// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ksyms.bpf.c through its light skeleton: the loader resolved every typeless ksym to
 * the address /proc/kallsyms gives (root sees real addresses unless kptr_restrict
 * hides them; then they must at least be kernel addresses), one of them used in a
 * subprogram; weak ksyms the kernel lacks read 0, and bpf_ksym_exists() tells which
 * exist.
 */
#include "testlib.h"
#include SKEL_HEADER

/* The address /proc/kallsyms lists for name: 0 if hidden or absent. */
static __u64 kallsyms_addr(const char *name)
{
	char line[512], sym[256], type;
	unsigned long long addr = 0, a;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		fail("/proc/kallsyms: %s", strerror(errno));
	while (!addr && fgets(line, sizeof(line), f))
		if (sscanf(line, "%llx %c %255s", &a, &type, sym) == 3 && !strcmp(sym, name))
			addr = a;
	fclose(f);
	return addr;
}

static void check_addr(const char *name, __u64 got)
{
	__u64 want = kallsyms_addr(name);

	CHECK(got >> 48 == 0xffff, "%s: 0x%llx is no kernel address", name,
	      (unsigned long long)got);
	if (want)
		CHECK(got == want, "%s: 0x%llx, kallsyms says 0x%llx", name,
		      (unsigned long long)got, (unsigned long long)want);
	printf("%s: 0x%llx%s\n", name, (unsigned long long)got,
	       want ? " (= /proc/kallsyms)" : " (kallsyms hides addresses)");
}

int main(void)
{
	struct ksyms_bpf *skel;
	struct tracked t = {};

	test_begin("ksyms-" SKEL_FLAVOUR);
	skel = ksyms_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	check_load(ksyms_bpf__load(skel), "ksyms");
	check_all_loaded(skel);
	CHECK_EQ(ksyms_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	ksyms_bpf__detach(skel);
	CHECK(skel->bss->out.done >= 1, "read_ksyms never ran");

	check_addr("bpf_prog_put", skel->bss->out.prog_put);
	check_addr("bpf_map_put", skel->bss->out.map_put);
	check_addr("bpf_prog_inc", skel->bss->out.prog_inc);
	CHECK_EQ(skel->bss->out.prog_inc_exists, 1);
	CHECK_EQ(skel->bss->out.no_such_func, 0);
	CHECK_EQ(skel->bss->out.no_such_var, 0);
	CHECK_EQ(skel->bss->out.no_such_func_exists, 0);
	CHECK_EQ(skel->bss->out.no_such_var_exists, 0);

	ksyms_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("ksyms: ok\n");
	return 0;
}
