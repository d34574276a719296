// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * signed.bpf.c through a signed light skeleton (built with -DSIGNED against
 * `lskel gen --sign`) and through an unsigned one. One mode per run (argv[1]):
 *
 *   (none)        unsigned: the user's .rodata/.data values and max_entries win;
 *                 signed, allow_unverified_signature: it loads and runs, and the
 *                 signed values win over the user's
 *   strict        signed, without allow_unverified_signature: a kernel that cannot
 *                 check signatures refuses with a message naming what it lacks
 *   tamper-blob   one byte of the blob changed: the loader's hash check refuses
 *   tamper-insns  one byte of the loader changed: the exclusive blob map refuses it
 *   no-excl, no-freeze, no-hash, no-freeze-no-hash   steps of the signed sequence
 *                 left out (through the runtime's test hook): the kernel refuses to
 *                 hash a map that is not frozen; the loader refuses the rest
 *   kernel-check CERT.der OTHER.der   a kernel that checks signatures refuses a
 *                 keyring without the signer's certificate; skipped elsewhere
 *
 * Every refusal must leave no fd open and no loader program behind.
 */
#include <sys/syscall.h>
#include "testlib.h"

#ifdef SIGNED
struct lskel_load_opts;
static void tamper(struct lskel_load_opts *opts);
#define LSKEL_SIGNED_LOAD_HOOK(opts) tamper(opts)
#endif
#include SKEL_HEADER

#define MAGIC 0x5165ed
#define USER_MAGIC 0x1234
#define USER_ENTRIES 64

static const char *mode = "";

#ifdef SIGNED
static void *tampered;

static void tamper(struct lskel_load_opts *opts)
{
	unsigned char *p;

	if (!strcmp(mode, "no-excl"))
		opts->test_skip = LSKEL_TEST_SKIP_EXCL;
	else if (!strcmp(mode, "no-freeze"))
		opts->test_skip = LSKEL_TEST_SKIP_FREEZE;
	else if (!strcmp(mode, "no-freeze-no-hash"))
		opts->test_skip = LSKEL_TEST_SKIP_FREEZE | LSKEL_TEST_SKIP_HASH;
	else if (!strcmp(mode, "no-hash"))
		opts->test_skip = LSKEL_TEST_SKIP_HASH;
	if (!strcmp(mode, "tamper-blob")) {
		tampered = p = malloc(opts->blob_sz);
		CHECK(p, "malloc");
		memcpy(p, opts->blob, opts->blob_sz);
		p[opts->blob_sz / 2] ^= 1;
		opts->blob = p;
	} else if (!strcmp(mode, "tamper-insns")) {
		tampered = p = malloc(opts->insns_sz);
		CHECK(p, "malloc");
		memcpy(p, opts->insns, opts->insns_sz);
		p[opts->insns_sz - 4] ^= 1;	/* the imm of the last insn */
		opts->insns = p;
	}
}

/* The program id after *id into *id; 0, or -1 past the last one. */
static int next_prog_id(__u32 *id)
{
	union bpf_attr attr;

	memset(&attr, 0, sizeof(attr));
	attr.start_id = *id;
	if (sys_bpf(BPF_PROG_GET_NEXT_ID, &attr))
		return -1;
	*id = attr.next_id;
	return 0;
}

/* The highest program id now, so later ones are recognisably new. */
static __u32 last_prog_id(void)
{
	__u32 id = 0;

	while (!next_prog_id(&id))
		;
	return id;
}

/* Loader programs newer than since, still in the kernel (freed after RCU: polled). */
static int nr_loaders_since(__u32 since)
{
	struct bpf_prog_info info;
	union bpf_attr attr;
	__u32 id = since;
	int fd, n = 0;

	while (!next_prog_id(&id)) {
		memset(&attr, 0, sizeof(attr));
		attr.prog_id = id;
		fd = sys_bpf(BPF_PROG_GET_FD_BY_ID, &attr);
		if (fd < 0)
			continue;
		memset(&info, 0, sizeof(info));
		n += !prog_info(fd, &info) && !strcmp(info.name, "__loader.prog");
		close(fd);
	}
	return n;
}

static void check_nothing_left(__u32 since)
{
	int tries;

	check_no_bpf_fds();
	for (tries = 0; tries < 100 && nr_loaders_since(since); tries++)
		sleep_ms(50);
	CHECK(!nr_loaders_since(since), "a loader program outlived the failed load");
}

/* A refused load: err, the message, and nothing left behind. */
static void check_refused(struct signed_bpf *skel, int err, int want_err, const char *want_msg,
			  __u32 since)
{
	if (err != want_err)
		fail("load: %d, want %d (%s)", err, want_err, skel->errstr);
	if (!strstr(skel->errstr, want_msg))
		fail("errstr '%s' does not say '%s'", skel->errstr, want_msg);
	signed_bpf__destroy(skel);
	free(tampered);
	check_nothing_left(since);
	printf("refused as expected: %s\n", want_msg);
}
#endif

static void set_user_values(struct signed_bpf *skel)
{
	skel->rodata->magic = USER_MAGIC;
	skel->data->data_val = 99;
	skel->maps.runs.max_entries = USER_ENTRIES;
}

/* Runs the program once; checks which values the kernel has. */
static void check_values(struct signed_bpf *skel, __u32 want_magic, __u64 want_data,
			 __u32 want_entries)
{
	struct bpf_map_info info;

	CHECK_EQ(xdp_test_run(skel->progs.report.prog_fd), XDP_PASS);
	CHECK_EQ(skel->bss->seen_magic, want_magic);
	CHECK_EQ(skel->bss->seen_data, want_data);
	CHECK_EQ(map_info(skel->maps.runs.map_fd, &info), 0);
	CHECK_EQ(info.max_entries, want_entries);
}

static void run_load(int allow)
{
	struct signed_bpf *skel = signed_bpf__open();
	struct tracked t = {};
	int err;

	CHECK(skel, "open");
	set_user_values(skel);
#ifdef SIGNED
	CHECK_EQ(skel->keyring_id, -3);		/* KEY_SPEC_SESSION_KEYRING */
	skel->allow_unverified_signature = allow;
#endif
	err = signed_bpf__load(skel);
	check_load(err, "signed");
	tracked__add_skel(&t, skel);
#ifdef SIGNED
	printf("loaded; the kernel %s the signature\n",
	       skel->signature_verified ? "checked" : "did not check");
	check_values(skel, MAGIC, 7, 4);	/* the signed values */
#else
	(void)allow;
	check_values(skel, USER_MAGIC, 99, USER_ENTRIES);
#endif
	signed_bpf__destroy(skel);
	tracked__check_gone(&t);
}

#ifdef SIGNED
/* A refusal expected in mode: allow_unverified_signature, so the chain is ours. */
static void run_refused(int want_err, const char *want_msg)
{
	struct signed_bpf *skel = signed_bpf__open();
	__u32 since = last_prog_id();

	CHECK(skel, "open");
	skel->allow_unverified_signature = 1;
	check_refused(skel, signed_bpf__load(skel), want_err, want_msg, since);
}

static void run_strict(void)
{
	struct signed_bpf *skel = signed_bpf__open();
	__u32 since = last_prog_id();
	int err;

	CHECK(skel, "open");
	err = signed_bpf__load(skel);
	if (err != -EOPNOTSUPP)
		skip("this kernel checks BPF signatures (load: %d, %s): kernel-check covers it",
		     err, skel->errstr);
	check_refused(skel, err, -EOPNOTSUPP, "cannot check BPF program signatures", since);
}

/* A keyring of this process (gone with it) holding the certificate at path, or 0. */
static long keyring_with(const char *path)
{
	char der[8192];
	FILE *f = fopen(path, "rb");
	size_t len;
	long kr;

	CHECK(f, "open %s", path);
	len = fread(der, 1, sizeof(der), f);
	fclose(f);
	kr = syscall(SYS_add_key, "keyring", "lskel-test", NULL, 0, -2 /* process keyring */);
	CHECK(kr > 0, "add_key keyring: %s", strerror(errno));
	if (syscall(SYS_add_key, "asymmetric", "", der, len, kr) < 0)
		fail("add_key asymmetric %s: %s", path, strerror(errno));
	return kr;
}

static int load_with_keyring(long keyring, struct signed_bpf **out)
{
	struct signed_bpf *skel = signed_bpf__open();

	CHECK(skel, "open");
	skel->keyring_id = (__s32)keyring;
	*out = skel;
	return signed_bpf__load(skel);
}

static void run_kernel_check(const char *cert, const char *other)
{
	struct signed_bpf *skel;
	__u32 since;
	int err;

	err = load_with_keyring(-3, &skel);
	signed_bpf__destroy(skel);
	if (err == -EOPNOTSUPP)
		skip("this kernel cannot check BPF program signatures (EOPNOTSUPP: built "
		     "without CONFIG_SYSTEM_DATA_VERIFICATION); the kernel-side refusals "
		     "need one that can");
	since = last_prog_id();
	err = load_with_keyring(keyring_with(other), &skel);
	CHECK(err < 0 && err != -EOPNOTSUPP, "a keyring without the signer's key: %d", err);
	check_refused(skel, err, err, "loading the loader", since);
	err = load_with_keyring(keyring_with(cert), &skel);
	check_load(err, "signed, signer's keyring");
	CHECK(skel->signature_verified, "signature_verified after a checked load");
	signed_bpf__destroy(skel);
}
#endif

int main(int argc, char **argv)
{
	test_begin("signed");
	mode = argc > 1 ? argv[1] : "";
	if (!*mode) {
		run_load(1);
		return 0;
	}
#ifdef SIGNED
	if (!strcmp(mode, "strict"))
		run_strict();
	else if (!strcmp(mode, "tamper-blob") || !strcmp(mode, "no-hash") ||
		 !strcmp(mode, "no-freeze-no-hash"))
		run_refused(-EBADMSG, "the blob's hash is not the signed one");
	else if (!strcmp(mode, "no-freeze"))
		run_refused(-EPERM, "hashing the blob map (BPF_OBJ_GET_INFO_BY_FD) failed");
	else if (!strcmp(mode, "no-excl"))
		run_refused(-EPERM, "the blob map is not exclusive to it");
	else if (!strcmp(mode, "tamper-insns"))
		run_refused(-EACCES, "loading the loader (BPF_PROG_LOAD)");
	else if (!strcmp(mode, "kernel-check") && argc == 4)
		run_kernel_check(argv[2], argv[3]);
	else
		fail("unknown mode '%s'", mode);
	return 0;
#else
	fail("mode '%s' needs the signed skeleton", mode);
#endif
}
