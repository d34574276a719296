// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * kprobe.bpf.c through its light skeleton: both programs load as
 * BPF_PROG_TYPE_KPROBE. NAME__attach() does not attach kprobes, so this app does it
 * the way a user would, through perf events of the kprobe PMU (one per program, the
 * kretprobe with the PMU's retprobe bit) and PERF_EVENT_IOC_SET_BPF; then both
 * programs see getpgid() calls, and no more once the events are closed. Kernels
 * without a kprobe PMU (no CONFIG_KPROBE_EVENTS) are skipped after the load.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <linux/perf_event.h>
#include "testlib.h"
#include SKEL_HEADER

#define KPROBE_PMU "/sys/bus/event_source/devices/kprobe"
#define TARGET_FUNC "__x64_sys_getpgid"

/* Reads one line of a sysfs file; 0 when the file is not there. */
static int read_sysfs(const char *path, char *buf, int sz)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return 0;
	CHECK(fgets(buf, sz, f), "read %s", path);
	fclose(f);
	return 1;
}

/* The PMU's type number for perf_event_attr.type, or -1 without a kprobe PMU. */
static int kprobe_pmu_type(void)
{
	char buf[32];

	if (!read_sysfs(KPROBE_PMU "/type", buf, sizeof(buf)))
		return -1;
	return atoi(buf);
}

/* The config bit that makes a kprobe event a kretprobe ("config:0" in sysfs). */
static int retprobe_bit(void)
{
	char buf[32];
	int bit;

	CHECK(read_sysfs(KPROBE_PMU "/format/retprobe", buf, sizeof(buf)) &&
	      sscanf(buf, "config:%d", &bit) == 1, "parse " KPROBE_PMU "/format/retprobe");
	return bit;
}

/* A perf event probing TARGET_FUNC, running prog_fd at each hit; returns its fd. */
static int kprobe_attach(int pmu_type, int retprobe, int prog_fd)
{
	struct perf_event_attr attr;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.size = sizeof(attr);
	attr.type = pmu_type;
	attr.config = retprobe ? 1ULL << retprobe_bit() : 0;
	attr.config1 = (unsigned long)TARGET_FUNC;	/* kprobe_func */
	attr.config2 = 0;				/* probe_offset */
	attr.disabled = 1;
	fd = syscall(SYS_perf_event_open, &attr, -1, 0, -1, PERF_FLAG_FD_CLOEXEC);
	if (fd < 0)
		fail("perf_event_open(%s %s): %s", retprobe ? "kretprobe" : "kprobe",
		     TARGET_FUNC, strerror(errno));
	if (ioctl(fd, PERF_EVENT_IOC_SET_BPF, prog_fd))
		fail("PERF_EVENT_IOC_SET_BPF: %s", strerror(errno));
	if (ioctl(fd, PERF_EVENT_IOC_ENABLE, 0))
		fail("PERF_EVENT_IOC_ENABLE: %s", strerror(errno));
	return fd;
}

static void check_prog_types(struct kprobe_bpf *skel)
{
	struct bpf_prog_info info;
	size_t i;

	for (i = 0; i < SKEL_NR_PROGS(skel); i++) {
		CHECK(!prog_info(SKEL_PROG(skel, i).prog_fd, &info), "prog #%zu info: %s", i,
		      strerror(errno));
		CHECK_EQ(info.type, BPF_PROG_TYPE_KPROBE);
	}
	CHECK_EQ(SKEL_NR_PROGS(skel), 2);
}

static void check_probes(struct kprobe_bpf *skel, int pmu_type)
{
	long pgrp = getpgrp();
	int entry_fd, exit_fd;

	entry_fd = kprobe_attach(pmu_type, 0, skel->progs.getpgid_probe.prog_fd);
	exit_fd = kprobe_attach(pmu_type, 1, skel->progs.getpgid_retprobe.prog_fd);
	CHECK_EQ(syscall(SYS_getpgid, 0), pgrp);
	CHECK_EQ(syscall(SYS_getpgid, 0), pgrp);
	CHECK_EQ(skel->bss->nr_calls, 2);
	CHECK_EQ(skel->bss->nr_returns, 2);
	CHECK_EQ(skel->bss->last_ret, pgrp);
	close(entry_fd);
	close(exit_fd);
	CHECK_EQ(syscall(SYS_getpgid, 0), pgrp);
	CHECK_EQ(skel->bss->nr_calls, 2);
	CHECK_EQ(skel->bss->nr_returns, 2);
}

int main(void)
{
	struct kprobe_bpf *skel;
	struct tracked t = {};
	int err, pmu_type = kprobe_pmu_type();

	test_begin("kprobe-" SKEL_FLAVOUR);
	skel = kprobe_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	err = kprobe_bpf__load(skel);
	if (err && pmu_type < 0) {
		kprobe_bpf__destroy(skel);
		check_no_bpf_fds();
		skip("no kprobe PMU (%s absent) and the load failed: %s", KPROBE_PMU,
		     strerror(-err));
	}
	check_load(err, "kprobe");
	check_all_loaded(skel);
	tracked__add_skel(&t, skel);
	check_prog_types(skel);
	if (pmu_type >= 0)
		check_probes(skel, pmu_type);

	kprobe_bpf__destroy(skel);
	tracked__check_gone(&t);
	if (pmu_type < 0)
		skip("loaded as BPF_PROG_TYPE_KPROBE, not attached: no kprobe PMU (%s absent: "
		     "kernel built without CONFIG_KPROBE_EVENTS)", KPROBE_PMU);
	printf("kprobe: ok\n");
	return 0;
}
