// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Load failures through errors.bpf.c's light skeleton: what the user gets told.
 *  - A map the kernel refuses (max_entries left 0): __load() returns -EINVAL, sets
 *    errno, and skel->errstr names the step, the map, the command and the errno.
 *  - A program the verifier rejects: -EACCES, errstr names the program and quotes
 *    the verifier's reason when skel->ctx.log_level is set; the user's log buffer
 *    (skel->ctx.log_buf, log_size) then holds the whole verifier log of that
 *    program, from its first instruction to the reason. Without log_level, errstr
 *    has no verifier part.
 * Every failed load leaves no fd behind; with the bad program left out the object
 * loads and runs.
 */
#include "testlib.h"
#include SKEL_HEADER

#define LOG_SIZE (1 << 20)

static char log_buf[LOG_SIZE];

static void check_has(const char *text, const char *part, const char *what)
{
	CHECK(strstr(text, part), "%s lacks '%s': %s", what, part, text);
}

static void unsized_map_fails(void)
{
	struct errors_bpf *skel = errors_bpf__open();
	int err;

	CHECK(skel, "open");
	errno = 0;
	err = errors_bpf__load(skel);
	CHECK_EQ(err, -EINVAL);
	CHECK_EQ(errno, EINVAL);
	printf("map failure: %s\n", skel->errstr);
	check_has(skel->errstr, "(map 'unsized': BPF_MAP_CREATE) failed: -22 (Invalid argument)", "errstr");
	CHECK(!strstr(skel->errstr, "verifier"), "errstr quotes a verifier for a map: %s", skel->errstr);
	errors_bpf__destroy(skel);
	check_no_bpf_fds();
}

static struct errors_bpf *open_with_bad_prog(int log_level)
{
	struct errors_bpf *skel = errors_bpf__open();

	CHECK(skel, "open");
	skel->maps.unsized.max_entries = 4;
	skel->progs.bad_access.autoload = 1;
	if (log_level) {
		memset(log_buf, 0, sizeof(log_buf));
		skel->ctx.log_level = log_level;
		skel->ctx.log_buf = (__u64)(unsigned long)log_buf;
		skel->ctx.log_size = sizeof(log_buf);
	}
	return skel;
}

/* The quoted line is in the log, and the log is the rejected program's, whole. */
static void check_log(const char *errstr)
{
	const char *quote = strstr(errstr, "; verifier: "), *reason = "invalid mem access";
	int lines = 0;

	CHECK(quote, "no verifier quote: %s", errstr);
	quote += strlen("; verifier: ");
	check_has(quote, reason, "the quoted line");
	check_has(log_buf, quote, "the log");
	for (const char *c = log_buf; *c; c++)
		lines += *c == '\n';
	/* level 1 traces every instruction the verifier walked */
	CHECK(!strncmp(log_buf, "0: ", 3) || strstr(log_buf, "\n0: "), "no insn 0 in the log: %.200s",
	      log_buf);
	CHECK(lines >= 4, "only %d log lines: %s", lines, log_buf);
	/* bad_access's own insns, and none of good()'s, loaded (and logged) before it */
	check_has(log_buf, "map_value_or_null", "the log");
	CHECK(!strstr(log_buf, "__sync_fetch_and_add"), "good()'s log is left: %s", log_buf);
}

static void bad_prog_fails(int log_level)
{
	struct errors_bpf *skel = open_with_bad_prog(log_level);
	int err;

	errno = 0;
	err = errors_bpf__load(skel);
	CHECK_EQ(err, -EACCES);
	CHECK_EQ(errno, EACCES);
	printf("prog failure, log_level %d: %s\n", log_level, skel->errstr);
	check_has(skel->errstr, "(prog 'bad_access': BPF_PROG_LOAD) failed: -13 (Permission denied)",
		  "errstr");
	if (log_level)
		check_log(skel->errstr);
	else
		CHECK(!strstr(skel->errstr, "verifier"), "verifier quote without a log: %s",
		      skel->errstr);
	errors_bpf__destroy(skel);
	check_no_bpf_fds();
}

static void good_loads(void)
{
	struct errors_bpf *skel = errors_bpf__open();
	struct tracked t = {};
	__u32 k = 0;
	__u64 n = 0;

	CHECK(skel, "open");
	skel->maps.unsized.max_entries = 4;
	skel->rodata->target_tgid = getpid();
	check_load(errors_bpf__load(skel), "errors");
	CHECK_EQ(skel->errstr[0], '\0');
	CHECK_EQ(skel->progs.bad_access.prog_fd, 0);
	CHECK_EQ(errors_bpf__attach(skel), 0);
	tracked__add_skel(&t, skel);
	syscall(SYS_getpid);
	errors_bpf__detach(skel);
	CHECK(!map_lookup(skel->maps.counts.map_fd, &k, &n), "counts: %s", strerror(errno));
	CHECK(n >= 1, "good() never ran");
	errors_bpf__destroy(skel);
	tracked__check_gone(&t);
}

int main(void)
{
	test_begin("errors-" SKEL_FLAVOUR);
	unsized_map_fails();
	bad_prog_fails(0);
	bad_prog_fails(1);
	bad_prog_fails(2);
	good_loads();
	printf("errors: ok\n");
	return 0;
}
