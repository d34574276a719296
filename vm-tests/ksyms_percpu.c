// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * ksyms_percpu.bpf.c through its light skeleton: typed ksyms of per-CPU variables.
 * The loader finds them in the kernel's BTF; the verifier then needs their addresses
 * from kallsyms, which kernels built without data symbols in kallsyms lack (the
 * verifier says so, and the test skips with that line). Where they load, the
 * program's view of the run queues must agree with the CPU it ran on.
 */
#include "testlib.h"
#include SKEL_HEADER

static char log_buf[1 << 16];

int main(void)
{
	struct ksyms_percpu_bpf *skel;
	struct tracked t = {};
	int err;

	test_begin("ksyms_percpu-" SKEL_FLAVOUR);
	skel = ksyms_percpu_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	skel->ctx.log_level = 1;
	skel->ctx.log_size = sizeof(log_buf);
	skel->ctx.log_buf = (__u64)(unsigned long)log_buf;
	err = ksyms_percpu_bpf__load(skel);
	if (err && strstr(skel->errstr, "failed to find the address for kernel symbol")) {
		CHECK(strstr(skel->errstr, "prog 'read_percpu'"), "errstr: %s", skel->errstr);
		printf("%s\n", skel->errstr);
		ksyms_percpu_bpf__destroy(skel);
		check_no_bpf_fds();
		skip("typed per-CPU ksyms: this kernel's kallsyms has no data symbols");
	}
	CHECK(!err, "load: %d: %s", err, skel->errstr);
	check_all_loaded(skel);
	CHECK_EQ(ksyms_percpu_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	ksyms_percpu_bpf__detach(skel);
	CHECK(skel->bss->out.done >= 1, "read_percpu never ran");
	CHECK_EQ(skel->bss->out.cpu0_rq_cpu, 0);
	CHECK_EQ(skel->bss->out.this_rq_cpu, skel->bss->out.this_cpu);
	CHECK(skel->bss->out.prog_active >= 0, "bpf_prog_active %d", skel->bss->out.prog_active);
	printf("cpu %d, its run queue says %d, bpf_prog_active %d\n", skel->bss->out.this_cpu,
	       skel->bss->out.this_rq_cpu, skel->bss->out.prog_active);
	ksyms_percpu_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("ksyms_percpu: ok\n");
	return 0;
}
