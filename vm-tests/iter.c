// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * iter.bpf.c through its light skeleton: NAME__attach() creates the iterator's link;
 * reading an iterator made from it prints this process's line and a trailer, and a
 * fork() shows up in the tp_btf program's results with the child's pid.
 */
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include "testlib.h"
#include SKEL_HEADER

static char *read_iter(int link_fd)
{
	size_t cap = 1 << 16, len = 0;
	char *buf = malloc(cap);
	union bpf_attr attr;
	ssize_t n;
	int fd;

	memset(&attr, 0, sizeof(attr));
	attr.iter_create.link_fd = link_fd;
	fd = sys_bpf(BPF_ITER_CREATE, &attr);
	if (fd < 0)
		fail("BPF_ITER_CREATE: %s", strerror(errno));
	while (buf && (n = read(fd, buf + len, cap - len - 1)) > 0) {
		len += n;
		if (cap - len < 4096)
			buf = realloc(buf, cap *= 2);
	}
	if (!buf || n < 0)
		fail("read iterator: %s", buf ? strerror(errno) : "out of memory");
	close(fd);
	buf[len] = 0;
	return buf;
}

static void check_iter(int link_fd)
{
	char comm[32] = "", line[64], *out;
	unsigned long long walked = 0;
	FILE *f = fopen("/proc/self/comm", "r");
	char *trailer;

	CHECK(f && fgets(comm, sizeof(comm), f), "read /proc/self/comm");
	fclose(f);
	comm[strcspn(comm, "\n")] = 0;
	snprintf(line, sizeof(line), "%d %d %s\n", getpid(), getpid(), comm);

	out = read_iter(link_fd);
	CHECK(strstr(out, line), "no line '%.*s' in:\n%s", (int)strlen(line) - 1, line, out);
	trailer = strstr(out, "walked ");
	CHECK(trailer && sscanf(trailer, "walked %llu", &walked) == 1, "no trailer in:\n%s", out);
	CHECK(walked >= 2, "walked %llu tasks", walked);
	free(out);
}

/* A raw clone() with flags of our choosing: like fork(), plus CLONE_FS. */
static void check_fork(struct iter_bpf *skel)
{
	int status;
	pid_t pid = syscall(SYS_clone, CLONE_FS | SIGCHLD, 0, NULL, NULL, 0);

	if (pid < 0)
		fail("fork: %s", strerror(errno));
	if (!pid)
		_exit(0);
	CHECK(waitpid(pid, &status, 0) == pid, "waitpid");
	CHECK(skel->bss->nr_forks >= 1, "on_newtask never ran");
	CHECK_EQ(skel->bss->child_pid, pid);
	CHECK_EQ(skel->bss->child_tgid, pid);
	CHECK_EQ(skel->bss->child_flags, CLONE_FS);	/* the exit signal is kept apart */
}

int main(void)
{
	struct iter_bpf *skel;
	struct tracked t = {};

	test_begin("iter-" SKEL_FLAVOUR);
	skel = iter_bpf__open();
	CHECK(skel, "open");
	skel->rodata->target_tgid = getpid();
	check_load(iter_bpf__load(skel), "iter");
	check_all_loaded(skel);
	CHECK_EQ(iter_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	CHECK(skel->links.dump_task_fd > 0, "iterator link");

	check_iter(skel->links.dump_task_fd);
	check_iter(skel->links.dump_task_fd);	/* a second iterator from the same link */
	check_fork(skel);

	iter_bpf__destroy(skel);
	tracked__check_gone(&t);
	printf("iter: ok\n");
	return 0;
}
