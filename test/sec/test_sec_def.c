// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * Unit test of compiler/sec_def.c, libbpf's SEC() naming conventions.
 *
 * Four parts:
 *  - cases: rows of {section name, prog type, expected attach type, flags, attach
 *    kind, target}, at least one per table row, plus names that must not match;
 *  - the table itself: every row is found by its own name (no earlier row shadows
 *    it), targets follow the exact/slashed form, flags and attach kinds agree, and
 *    the BTF names of SEC_ATTACH_BTF rows are the ones libbpf and the kernel use;
 *  - differential: the installed libbpf's libbpf_prog_type_by_name() must agree on
 *    prog type and expected attach type for every row it knows; rows newer than
 *    libbpf 1.1 are listed and, under 1.1, must be unknown to it;
 *  - kernel: the running kernel's BTF must hold the names the loader will look up
 *    (btf_trace_X typedefs, bpf_iter_X and bpf_lsm_X functions) and the enum values
 *    defined here for types newer than the 6.1 UAPI headers.
 * Needs no privileges. Exits 1 on any failure.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "compiler/compiler.h"

/* The table in sec_def.c; not part of the compiler's API, so declared here. */
extern const struct sec_def sec_defs[];
extern const size_t nr_sec_defs;

/* Kernel numbers for types newer than the 6.1 UAPI headers; checked below. */
#ifndef BPF_PROG_TYPE_NETFILTER
#define BPF_PROG_TYPE_NETFILTER		32
#endif
#ifndef BPF_NETFILTER
#define BPF_NETFILTER			45
#endif
#ifndef BPF_TCX_INGRESS
#define BPF_TCX_INGRESS			46
#endif
#ifndef BPF_TCX_EGRESS
#define BPF_TCX_EGRESS			47
#endif
#ifndef BPF_TRACE_UPROBE_MULTI
#define BPF_TRACE_UPROBE_MULTI		48
#endif
#ifndef BPF_CGROUP_UNIX_CONNECT
#define BPF_CGROUP_UNIX_CONNECT		49
#endif
#ifndef BPF_CGROUP_UNIX_SENDMSG
#define BPF_CGROUP_UNIX_SENDMSG		50
#endif
#ifndef BPF_CGROUP_UNIX_RECVMSG
#define BPF_CGROUP_UNIX_RECVMSG		51
#endif
#ifndef BPF_CGROUP_UNIX_GETPEERNAME
#define BPF_CGROUP_UNIX_GETPEERNAME	52
#endif
#ifndef BPF_CGROUP_UNIX_GETSOCKNAME
#define BPF_CGROUP_UNIX_GETSOCKNAME	53
#endif
#ifndef BPF_NETKIT_PRIMARY
#define BPF_NETKIT_PRIMARY		54
#endif
#ifndef BPF_NETKIT_PEER
#define BPF_NETKIT_PEER			55
#endif
#ifndef BPF_TRACE_KPROBE_SESSION
#define BPF_TRACE_KPROBE_SESSION	56
#endif
#ifndef BPF_TRACE_UPROBE_SESSION
#define BPF_TRACE_UPROBE_SESSION	57
#endif
#ifndef BPF_TRACE_FSESSION
#define BPF_TRACE_FSESSION		58
#endif
#ifndef BPF_TRACE_FENTRY_MULTI
#define BPF_TRACE_FENTRY_MULTI		59
#endif
#ifndef BPF_TRACE_FEXIT_MULTI
#define BPF_TRACE_FEXIT_MULTI		60
#endif
#ifndef BPF_TRACE_FSESSION_MULTI
#define BPF_TRACE_FSESSION_MULTI	61
#endif

static int nr_checks, nr_failures;

#define CHECK(cond, fmt, ...) do {					\
	nr_checks++;							\
	if (!(cond)) {							\
		nr_failures++;						\
		fprintf(stderr, "FAIL %s:%d: " fmt "\n", __FILE__, __LINE__, ##__VA_ARGS__); \
	}								\
} while (0)

static const char *str(const char *s)
{
	return s ? s : "(null)";
}

static bool str_eq(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

//
// cases
//

struct sec_case {
	const char *name;
	uint32_t prog_type, eat;
	unsigned int flags;
	enum sec_attach attach;
	const char *target;	/* NULL: the name has no "/target" part */
};

#define C(name, type, eat, flags, attach, target) \
	{ name, BPF_PROG_TYPE_##type, eat, flags, ATTACH_##attach, target }
#define SLP	SEC_SLEEPABLE
#define ABTF	SEC_ATTACH_BTF
#define FRAGS	SEC_XDP_FRAGS
#define EAOPT	SEC_EXP_ATTACH_OPT

static const struct sec_case cases[] = {
	C("socket", SOCKET_FILTER, 0, 0, NONE, NULL),
	C("sk_reuseport/migrate", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, 0, NONE, NULL),
	C("sk_reuseport", SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, 0, NONE, NULL),
	C("kprobe", KPROBE, 0, 0, NONE, NULL),
	C("kprobe/foo", KPROBE, 0, 0, NONE, "foo"),
	C("kprobe/", KPROBE, 0, 0, NONE, ""),
	C("uprobe//usr/lib/libc.so.6:malloc", KPROBE, 0, 0, NONE, "/usr/lib/libc.so.6:malloc"),
	C("uprobe.s", KPROBE, 0, SLP, NONE, NULL),
	C("kretprobe/do_unlinkat", KPROBE, 0, 0, NONE, "do_unlinkat"),
	C("uretprobe", KPROBE, 0, 0, NONE, NULL),
	C("uretprobe.s/bin:f", KPROBE, 0, SLP, NONE, "bin:f"),
	C("kprobe.multi/vfs_*", KPROBE, BPF_TRACE_KPROBE_MULTI, 0, NONE, "vfs_*"),
	C("kretprobe.multi", KPROBE, BPF_TRACE_KPROBE_MULTI, 0, NONE, NULL),
	C("kprobe.session/x", KPROBE, BPF_TRACE_KPROBE_SESSION, 0, NONE, "x"),
	C("uprobe.multi", KPROBE, BPF_TRACE_UPROBE_MULTI, 0, NONE, NULL),
	C("uretprobe.multi/p:f*", KPROBE, BPF_TRACE_UPROBE_MULTI, 0, NONE, "p:f*"),
	C("uprobe.session", KPROBE, BPF_TRACE_UPROBE_SESSION, 0, NONE, NULL),
	C("uprobe.multi.s/p:f", KPROBE, BPF_TRACE_UPROBE_MULTI, SLP, NONE, "p:f"),
	C("uretprobe.multi.s", KPROBE, BPF_TRACE_UPROBE_MULTI, SLP, NONE, NULL),
	C("uprobe.session.s/x", KPROBE, BPF_TRACE_UPROBE_SESSION, SLP, NONE, "x"),
	C("ksyscall/openat", KPROBE, 0, 0, NONE, "openat"),
	C("kretsyscall", KPROBE, 0, 0, NONE, NULL),
	C("usdt/p:prov:probe", KPROBE, 0, SEC_USDT, NONE, "p:prov:probe"),
	C("usdt.s", KPROBE, 0, SEC_USDT | SLP, NONE, NULL),
	C("tc/ingress", SCHED_CLS, BPF_TCX_INGRESS, 0, NONE, NULL),
	C("tc/egress", SCHED_CLS, BPF_TCX_EGRESS, 0, NONE, NULL),
	C("tcx/ingress", SCHED_CLS, BPF_TCX_INGRESS, 0, NONE, NULL),
	C("tcx/egress", SCHED_CLS, BPF_TCX_EGRESS, 0, NONE, NULL),
	C("tc", SCHED_CLS, 0, 0, NONE, NULL),
	C("classifier", SCHED_CLS, 0, 0, NONE, NULL),
	C("action", SCHED_ACT, 0, 0, NONE, NULL),
	C("netkit/primary", SCHED_CLS, BPF_NETKIT_PRIMARY, 0, NONE, NULL),
	C("netkit/peer", SCHED_CLS, BPF_NETKIT_PEER, 0, NONE, NULL),
	C("tracepoint/sched/sched_switch", TRACEPOINT, 0, 0, NONE, "sched/sched_switch"),
	C("tp/syscalls/sys_enter_write", TRACEPOINT, 0, 0, NONE, "syscalls/sys_enter_write"),
	C("tp", TRACEPOINT, 0, 0, NONE, NULL),
	C("tracepoint.s/syscalls/sys_enter_read", TRACEPOINT, 0, SLP, NONE, "syscalls/sys_enter_read"),
	C("tp.s", TRACEPOINT, 0, SLP, NONE, NULL),
	C("raw_tracepoint/sched_switch", RAW_TRACEPOINT, 0, 0, RAW_TP, "sched_switch"),
	C("raw_tp/sys_enter", RAW_TRACEPOINT, 0, 0, RAW_TP, "sys_enter"),
	C("raw_tp", RAW_TRACEPOINT, 0, 0, RAW_TP, NULL),
	C("raw_tracepoint.s/x", RAW_TRACEPOINT, 0, SLP, RAW_TP, "x"),
	C("raw_tp.s", RAW_TRACEPOINT, 0, SLP, RAW_TP, NULL),
	C("raw_tracepoint.w/x", RAW_TRACEPOINT_WRITABLE, 0, 0, RAW_TP, "x"),
	C("raw_tp.w/bpf_test_finish", RAW_TRACEPOINT_WRITABLE, 0, 0, RAW_TP, "bpf_test_finish"),
	C("tp_btf/sched_switch", TRACING, BPF_TRACE_RAW_TP, ABTF, TRACING, "sched_switch"),
	C("tp_btf.s/x", TRACING, BPF_TRACE_RAW_TP, ABTF | SLP, TRACING, "x"),
	C("fentry/vfs_read", TRACING, BPF_TRACE_FENTRY, ABTF, TRACING, "vfs_read"),
	C("fentry", TRACING, BPF_TRACE_FENTRY, ABTF, TRACING, NULL),
	C("fmod_ret/x", TRACING, BPF_MODIFY_RETURN, ABTF, TRACING, "x"),
	C("fexit/x", TRACING, BPF_TRACE_FEXIT, ABTF, TRACING, "x"),
	C("fentry.s/x", TRACING, BPF_TRACE_FENTRY, ABTF | SLP, TRACING, "x"),
	C("fmod_ret.s/x", TRACING, BPF_MODIFY_RETURN, ABTF | SLP, TRACING, "x"),
	C("fexit.s/x", TRACING, BPF_TRACE_FEXIT, ABTF | SLP, TRACING, "x"),
	C("fentry/vmlinux:vfs_read", TRACING, BPF_TRACE_FENTRY, ABTF, TRACING, "vmlinux:vfs_read"),
	C("fsession/x", TRACING, BPF_TRACE_FSESSION, ABTF, TRACING, "x"),
	C("fsession.s/x", TRACING, BPF_TRACE_FSESSION, ABTF | SLP, TRACING, "x"),
	C("fsession.multi/vfs_*", TRACING, BPF_TRACE_FSESSION_MULTI, 0, NONE, "vfs_*"),
	C("fsession.multi.s", TRACING, BPF_TRACE_FSESSION_MULTI, SLP, NONE, NULL),
	C("fentry.multi/a*", TRACING, BPF_TRACE_FENTRY_MULTI, 0, NONE, "a*"),
	C("fexit.multi", TRACING, BPF_TRACE_FEXIT_MULTI, 0, NONE, NULL),
	C("fentry.multi.s/x", TRACING, BPF_TRACE_FENTRY_MULTI, SLP, NONE, "x"),
	C("fexit.multi.s/x", TRACING, BPF_TRACE_FEXIT_MULTI, SLP, NONE, "x"),
	C("freplace/handler", EXT, 0, ABTF, EXT, "handler"),
	C("lsm/file_open", LSM, BPF_LSM_MAC, ABTF, LSM, "file_open"),
	C("lsm.s/bprm", LSM, BPF_LSM_MAC, ABTF | SLP, LSM, "bprm"),
	C("lsm_cgroup/socket_bind", LSM, BPF_LSM_CGROUP, ABTF, NONE, "socket_bind"),
	C("iter/task", TRACING, BPF_TRACE_ITER, ABTF, ITER, "task"),
	C("iter.s/task_file", TRACING, BPF_TRACE_ITER, ABTF | SLP, ITER, "task_file"),
	C("syscall", SYSCALL, 0, SLP, NONE, NULL),
	C("xdp.frags/devmap", XDP, BPF_XDP_DEVMAP, FRAGS, NONE, NULL),
	C("xdp/devmap", XDP, BPF_XDP_DEVMAP, 0, NONE, NULL),
	C("xdp.frags/cpumap", XDP, BPF_XDP_CPUMAP, FRAGS, NONE, NULL),
	C("xdp/cpumap", XDP, BPF_XDP_CPUMAP, 0, NONE, NULL),
	C("xdp.frags", XDP, BPF_XDP, FRAGS, NONE, NULL),
	C("xdp", XDP, BPF_XDP, EAOPT, NONE, NULL),
	C("perf_event", PERF_EVENT, 0, 0, NONE, NULL),
	C("lwt_in", LWT_IN, 0, 0, NONE, NULL),
	C("lwt_out", LWT_OUT, 0, 0, NONE, NULL),
	C("lwt_xmit", LWT_XMIT, 0, 0, NONE, NULL),
	C("lwt_seg6local", LWT_SEG6LOCAL, 0, 0, NONE, NULL),
	C("sockops", SOCK_OPS, BPF_CGROUP_SOCK_OPS, EAOPT, NONE, NULL),
	C("sk_skb/stream_parser", SK_SKB, BPF_SK_SKB_STREAM_PARSER, EAOPT, NONE, NULL),
	C("sk_skb/stream_verdict", SK_SKB, BPF_SK_SKB_STREAM_VERDICT, EAOPT, NONE, NULL),
	C("sk_skb/verdict", SK_SKB, BPF_SK_SKB_VERDICT, EAOPT, NONE, NULL),
	C("sk_skb", SK_SKB, 0, 0, NONE, NULL),
	C("sk_msg", SK_MSG, BPF_SK_MSG_VERDICT, EAOPT, NONE, NULL),
	C("lirc_mode2", LIRC_MODE2, BPF_LIRC_MODE2, EAOPT, NONE, NULL),
	C("flow_dissector", FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, EAOPT, NONE, NULL),
	C("cgroup_skb/ingress", CGROUP_SKB, BPF_CGROUP_INET_INGRESS, EAOPT, NONE, NULL),
	C("cgroup_skb/egress", CGROUP_SKB, BPF_CGROUP_INET_EGRESS, EAOPT, NONE, NULL),
	C("cgroup/skb", CGROUP_SKB, 0, 0, NONE, NULL),
	C("cgroup/sock_create", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, 0, NONE, NULL),
	C("cgroup/sock_release", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, 0, NONE, NULL),
	C("cgroup/sock", CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, EAOPT, NONE, NULL),
	C("cgroup/post_bind4", CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, 0, NONE, NULL),
	C("cgroup/post_bind6", CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, 0, NONE, NULL),
	C("cgroup/bind4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, 0, NONE, NULL),
	C("cgroup/bind6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, 0, NONE, NULL),
	C("cgroup/connect4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, 0, NONE, NULL),
	C("cgroup/connect6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, 0, NONE, NULL),
	C("cgroup/connect_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_CONNECT, 0, NONE, NULL),
	C("cgroup/sendmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, 0, NONE, NULL),
	C("cgroup/sendmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, 0, NONE, NULL),
	C("cgroup/sendmsg_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_SENDMSG, 0, NONE, NULL),
	C("cgroup/recvmsg4", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, 0, NONE, NULL),
	C("cgroup/recvmsg6", CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, 0, NONE, NULL),
	C("cgroup/recvmsg_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_RECVMSG, 0, NONE, NULL),
	C("cgroup/getpeername4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, 0, NONE, NULL),
	C("cgroup/getpeername6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, 0, NONE, NULL),
	C("cgroup/getpeername_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETPEERNAME, 0, NONE, NULL),
	C("cgroup/getsockname4", CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, 0, NONE, NULL),
	C("cgroup/getsockname6", CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, 0, NONE, NULL),
	C("cgroup/getsockname_unix", CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETSOCKNAME, 0, NONE, NULL),
	C("cgroup/sysctl", CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, 0, NONE, NULL),
	C("cgroup/getsockopt", CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, 0, NONE, NULL),
	C("cgroup/setsockopt", CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, 0, NONE, NULL),
	C("cgroup/dev", CGROUP_DEVICE, BPF_CGROUP_DEVICE, EAOPT, NONE, NULL),
	C("struct_ops/x", STRUCT_OPS, 0, 0, NONE, "x"),
	C("struct_ops", STRUCT_OPS, 0, 0, NONE, NULL),
	C("struct_ops.s/init", STRUCT_OPS, 0, SLP, NONE, "init"),
	C("sk_lookup", SK_LOOKUP, BPF_SK_LOOKUP, 0, NONE, NULL),
	C("netfilter", NETFILTER, BPF_NETFILTER, 0, NONE, NULL),
};

/* Names no row may match: near misses of exact and slashed rows. */
static const char *const unknown_names[] = {
	"", "/", "?xdp", "?kprobe/foo", ".text", "license", ".maps", "KPROBE", " kprobe",
	"kprobex", "kprobe.foo", "kprobe.multix", "kprobe.", "fentry.", "fentry.sx/y",
	"raw_tp.x", "raw_tp.ws", "lsm.s.x", "iter.", "struct_opsx", "usdt.s.x",
	"xdp/", "xdp/foo", "xdpx", "xdp.frags/", "xdp.frags/foo", "xdp.frags.x",
	"tc/", "tc/ingress/x", "tc/foo", "tcx", "tcx/", "netkit", "sockops/x",
	"socket/x", "syscall/x", "cgroup", "cgroup/", "cgroup/foo", "cgroup_skb",
	"cgroup_skb/", "sk_skb/", "sk_skb/parser", "sk_reuseport/", "sk_reuseport/x",
	"netfilter/x", "sk_lookup/x",
};

static void check_case(const struct sec_case *c, bool *covered)
{
	const struct sec_def *def = sec_def__find(c->name);
	const char *target;

	CHECK(def, "'%s': no row matches", c->name);
	if (!def)
		return;
	covered[def - sec_defs] = true;
	target = sec_def__target(def, c->name);
	CHECK(def->prog_type == c->prog_type, "'%s': prog_type %u, want %u",
	      c->name, def->prog_type, c->prog_type);
	CHECK(def->expected_attach_type == c->eat, "'%s': expected_attach_type %u, want %u",
	      c->name, def->expected_attach_type, c->eat);
	CHECK(def->flags == c->flags, "'%s': flags %#x, want %#x", c->name, def->flags, c->flags);
	CHECK(def->attach == c->attach, "'%s': attach %d, want %d", c->name, def->attach, c->attach);
	CHECK(str_eq(target, c->target), "'%s': target '%s', want '%s'",
	      c->name, str(target), str(c->target));
}

static void check_cases(void)
{
	bool covered[nr_sec_defs];

	memset(covered, 0, sizeof(covered));
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		check_case(&cases[i], covered);
	for (size_t i = 0; i < nr_sec_defs; i++)
		CHECK(covered[i], "row '%s' has no case", sec_defs[i].prefix);
	for (size_t i = 0; i < sizeof(unknown_names) / sizeof(unknown_names[0]); i++) {
		const struct sec_def *def = sec_def__find(unknown_names[i]);

		CHECK(!def, "'%s': matches row '%s', want none", unknown_names[i],
		      def ? def->prefix : "");
	}
	CHECK(!sec_def__find(NULL), "NULL name matches a row");
	CHECK(!sec_def__target(NULL, "kprobe/x"), "target without a row");
	CHECK(!sec_def__target(sec_def__find("kprobe"), "uprobe/x"), "target of another row's name");
	CHECK(!sec_def__target(sec_def__find("kprobe"), NULL), "target of a NULL name");
}

//
// the table
//

/* Every SEC_ATTACH_BTF row and the kernel BTF name it resolves: prefix + target. */
static const struct btf_case {
	const char *row;
	const char *btf_prefix;
	int btf_kind;
} btf_cases[] = {
	{ "tp_btf", "btf_trace_", BTF_KIND_TYPEDEF },
	{ "tp_btf.s", "btf_trace_", BTF_KIND_TYPEDEF },
	{ "fentry", "", BTF_KIND_FUNC },
	{ "fmod_ret", "", BTF_KIND_FUNC },
	{ "fexit", "", BTF_KIND_FUNC },
	{ "fentry.s", "", BTF_KIND_FUNC },
	{ "fmod_ret.s", "", BTF_KIND_FUNC },
	{ "fexit.s", "", BTF_KIND_FUNC },
	{ "fsession", "", BTF_KIND_FUNC },
	{ "fsession.s", "", BTF_KIND_FUNC },
	{ "freplace", "", BTF_KIND_FUNC },	/* in the target program's BTF */
	{ "lsm", "bpf_lsm_", BTF_KIND_FUNC },
	{ "lsm.s", "bpf_lsm_", BTF_KIND_FUNC },
	{ "lsm_cgroup", "bpf_lsm_", BTF_KIND_FUNC },
	{ "iter", "bpf_iter_", BTF_KIND_FUNC },
	{ "iter.s", "bpf_iter_", BTF_KIND_FUNC },
};

static const struct btf_case *btf_case_of(const char *row)
{
	for (size_t i = 0; i < sizeof(btf_cases) / sizeof(btf_cases[0]); i++)
		if (strcmp(btf_cases[i].row, row) == 0)
			return &btf_cases[i];
	return NULL;
}

/* Found by its own name; a target only in the slashed form. */
static void check_row_names(const struct sec_def *def)
{
	char name[128];
	const struct sec_def *got;

	CHECK(sec_def__find(def->prefix) == def, "row '%s' is shadowed", def->prefix);
	CHECK(!sec_def__target(def, def->prefix), "row '%s': target of its bare name", def->prefix);
	snprintf(name, sizeof(name), "%s/tgt", def->prefix);
	got = sec_def__find(name);
	if (def->slashed) {
		CHECK(got == def, "'%s': matches '%s', want '%s'", name,
		      got ? got->prefix : "(none)", def->prefix);
		CHECK(str_eq(sec_def__target(def, name), "tgt"), "'%s': target '%s'",
		      name, str(sec_def__target(def, name)));
	} else {
		CHECK(!got, "exact row '%s' takes '%s'", def->prefix, name);
	}
	snprintf(name, sizeof(name), "%s~", def->prefix);
	CHECK(!sec_def__find(name), "'%s' matches a row", name);
}

static void check_row_btf(const struct sec_def *def)
{
	const struct btf_case *bc = btf_case_of(def->prefix);

	if (!(def->flags & SEC_ATTACH_BTF)) {
		CHECK(!bc, "row '%s': listed for BTF but lacks SEC_ATTACH_BTF", def->prefix);
		CHECK(!def->btf_prefix && !def->btf_kind, "row '%s': BTF name without SEC_ATTACH_BTF",
		      def->prefix);
		return;
	}
	CHECK(bc, "row '%s': SEC_ATTACH_BTF row missing from btf_cases", def->prefix);
	CHECK(def->slashed, "row '%s': SEC_ATTACH_BTF needs a target", def->prefix);
	if (!bc)
		return;
	CHECK(str_eq(def->btf_prefix, bc->btf_prefix), "row '%s': btf_prefix '%s', want '%s'",
	      def->prefix, str(def->btf_prefix), bc->btf_prefix);
	CHECK(def->btf_kind == bc->btf_kind, "row '%s': btf_kind %d, want %d",
	      def->prefix, def->btf_kind, bc->btf_kind);
}

/* Attach kinds and flags must fit the prog and attach types they go with. */
static void check_row_kinds(const struct sec_def *def)
{
	const char *p = def->prefix;

	switch (def->attach) {
	case ATTACH_RAW_TP:
		CHECK(def->prog_type == BPF_PROG_TYPE_RAW_TRACEPOINT ||
		      def->prog_type == BPF_PROG_TYPE_RAW_TRACEPOINT_WRITABLE, "row '%s'", p);
		CHECK(def->slashed, "row '%s': raw_tp needs a target form", p);
		break;
	case ATTACH_TRACING:
		CHECK(def->prog_type == BPF_PROG_TYPE_TRACING && (def->flags & SEC_ATTACH_BTF) &&
		      def->expected_attach_type != BPF_TRACE_ITER, "row '%s'", p);
		break;
	case ATTACH_LSM:
		CHECK(def->prog_type == BPF_PROG_TYPE_LSM &&
		      def->expected_attach_type == BPF_LSM_MAC, "row '%s'", p);
		break;
	case ATTACH_ITER:
		CHECK(def->expected_attach_type == BPF_TRACE_ITER, "row '%s'", p);
		break;
	case ATTACH_EXT:
		CHECK(def->prog_type == BPF_PROG_TYPE_EXT && (def->flags & SEC_ATTACH_BTF) &&
		      !def->expected_attach_type, "row '%s'", p);
		break;
	case ATTACH_NONE:
		break;
	}
	if (def->flags & SEC_XDP_FRAGS)
		CHECK(def->prog_type == BPF_PROG_TYPE_XDP, "row '%s': frags on non-XDP", p);
	if (def->flags & SEC_USDT)
		CHECK(def->prog_type == BPF_PROG_TYPE_KPROBE, "row '%s': USDT on non-kprobe", p);
	CHECK(strchr(p, '+') == NULL && p[0] && p[strlen(p) - 1] != '/', "row '%s': bad name", p);
}

static size_t first_row_named(const char *prefix)
{
	size_t i = 0;

	while (strcmp(sec_defs[i].prefix, prefix) != 0)
		i++;
	return i;
}

static void check_table(void)
{
	CHECK(nr_sec_defs == 116, "%zu rows, libbpf 1.8 has 116", nr_sec_defs);
	for (size_t i = 0; i < nr_sec_defs; i++) {
		check_row_names(&sec_defs[i]);
		check_row_btf(&sec_defs[i]);
		check_row_kinds(&sec_defs[i]);
		CHECK(first_row_named(sec_defs[i].prefix) == i, "row '%s' twice", sec_defs[i].prefix);
	}
}

//
// differential: libbpf_prog_type_by_name()
//

/* Rows libbpf 1.1 does not know: added in libbpf 1.2 to 1.8. */
static const char *const newer_than_libbpf_1_1[] = {
	"kprobe.session", "uprobe.multi", "uretprobe.multi", "uprobe.session",
	"uprobe.multi.s", "uretprobe.multi.s", "uprobe.session.s", "usdt.s",
	"tc/ingress", "tc/egress", "tcx/ingress", "tcx/egress",
	"netkit/primary", "netkit/peer",
	"tracepoint.s", "tp.s", "raw_tracepoint.s", "raw_tp.s", "tp_btf.s",
	"fsession", "fsession.s", "fsession.multi", "fsession.multi.s",
	"fentry.multi", "fexit.multi", "fentry.multi.s", "fexit.multi.s",
	"sk_skb/verdict",
	"cgroup/connect_unix", "cgroup/sendmsg_unix", "cgroup/recvmsg_unix",
	"cgroup/getpeername_unix", "cgroup/getsockname_unix",
	"struct_ops.s", "netfilter",
};

static bool newer_than_1_1(const struct sec_def *def)
{
	size_t n = sizeof(newer_than_libbpf_1_1) / sizeof(newer_than_libbpf_1_1[0]);

	for (size_t i = 0; i < n; i++)
		if (strcmp(newer_than_libbpf_1_1[i], def->prefix) == 0)
			return true;
	return false;
}

/* libbpf agrees on a name, or, for rows newer than 1.1, may (under 1.1: must) not know it. */
static void diff_name(const char *name, const struct sec_def *def, bool is_1_1)
{
	enum bpf_prog_type type = 0;
	enum bpf_attach_type eat = 0;
	int err = libbpf_prog_type_by_name(name, &type, &eat);

	if (def && newer_than_1_1(def)) {
		CHECK(!is_1_1 || err, "'%s': listed as newer, but libbpf 1.1 knows it", name);
		if (err)
			return;
	}
	if (!def) {
		CHECK(err, "'%s': libbpf knows it (type %d), we do not", name, type);
		return;
	}
	CHECK(!err, "'%s': libbpf does not know it: %d", name, err);
	if (err)
		return;
	CHECK(def->prog_type == (uint32_t)type, "'%s': prog_type %u, libbpf %d",
	      name, def->prog_type, type);
	CHECK(def->expected_attach_type == (uint32_t)eat, "'%s': expected_attach_type %u, libbpf %d",
	      name, def->expected_attach_type, eat);
}

static void check_libbpf(void)
{
	bool is_1_1 = libbpf_major_version() == 1 && libbpf_minor_version() == 1;
	char name[128];

	printf("differential against libbpf %u.%u%s\n", libbpf_major_version(),
	       libbpf_minor_version(), is_1_1 ? "" : " (not 1.1: newer rows compared if known)");
	libbpf_set_print(NULL);
	for (size_t i = 0; i < nr_sec_defs; i++) {
		const struct sec_def *def = &sec_defs[i];

		diff_name(def->prefix, def, is_1_1);
		if (def->slashed) {
			snprintf(name, sizeof(name), "%s/tgt", def->prefix);
			diff_name(name, def, is_1_1);
		}
	}
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		diff_name(cases[i].name, sec_def__find(cases[i].name), is_1_1);
	for (size_t i = 0; i < sizeof(unknown_names) / sizeof(unknown_names[0]); i++)
		diff_name(unknown_names[i], NULL, is_1_1);
}

//
// kernel BTF: the names the loader looks up, and the enum values defined above
//

static const struct kernel_name {
	const char *sec_name;
	const char *btf_name;	/* spelled out, not derived from the table */
	bool optional;		/* depends on CONFIG_BPF_LSM */
} kernel_names[] = {
	{ "tp_btf/sys_enter", "btf_trace_sys_enter", false },
	{ "tp_btf.s/sys_exit", "btf_trace_sys_exit", false },
	{ "fentry/vfs_read", "vfs_read", false },
	{ "fexit.s/vfs_write", "vfs_write", false },
	{ "iter/task", "bpf_iter_task", false },
	{ "iter.s/task_file", "bpf_iter_task_file", false },
	{ "lsm/file_open", "bpf_lsm_file_open", true },
	{ "lsm.s/bprm_check_security", "bpf_lsm_bprm_check_security", true },
	{ "lsm_cgroup/socket_bind", "bpf_lsm_socket_bind", true },
};

static bool btf_has_name(const struct btf *btf, const char *name)
{
	return btf__find_by_name(btf, name) > 0;
}

static void check_kernel_name(const struct btf *btf, const struct kernel_name *k)
{
	const struct sec_def *def = sec_def__find(k->sec_name);
	const char *target = sec_def__target(def, k->sec_name);
	char name[256];

	CHECK(def && target && def->btf_prefix, "'%s': no BTF name", k->sec_name);
	if (!def || !target || !def->btf_prefix)
		return;
	snprintf(name, sizeof(name), "%s%s", def->btf_prefix, target);
	CHECK(strcmp(name, k->btf_name) == 0, "'%s': BTF name '%s', want '%s'",
	      k->sec_name, name, k->btf_name);
	if (btf__find_by_name_kind(btf, name, def->btf_kind) > 0)
		return;
	CHECK(k->optional && !btf_has_name(btf, name),
	      "'%s': kernel BTF has no '%s' of kind %d%s", k->sec_name, name, def->btf_kind,
	      btf_has_name(btf, name) ? " (only of another kind)" : "");
	if (k->optional && !btf_has_name(btf, name))
		printf("note: kernel BTF has no '%s' (no CONFIG_BPF_LSM?)\n", name);
}

#define KCONST(enum_name, c) { enum_name, #c, c }

static const struct kernel_const {
	const char *enum_name;
	const char *name;
	long long value;
} kernel_consts[] = {
	KCONST("bpf_prog_type", BPF_PROG_TYPE_NETFILTER),
	KCONST("bpf_attach_type", BPF_NETFILTER),
	KCONST("bpf_attach_type", BPF_TCX_INGRESS),
	KCONST("bpf_attach_type", BPF_TCX_EGRESS),
	KCONST("bpf_attach_type", BPF_TRACE_UPROBE_MULTI),
	KCONST("bpf_attach_type", BPF_CGROUP_UNIX_CONNECT),
	KCONST("bpf_attach_type", BPF_CGROUP_UNIX_SENDMSG),
	KCONST("bpf_attach_type", BPF_CGROUP_UNIX_RECVMSG),
	KCONST("bpf_attach_type", BPF_CGROUP_UNIX_GETPEERNAME),
	KCONST("bpf_attach_type", BPF_CGROUP_UNIX_GETSOCKNAME),
	KCONST("bpf_attach_type", BPF_NETKIT_PRIMARY),
	KCONST("bpf_attach_type", BPF_NETKIT_PEER),
	KCONST("bpf_attach_type", BPF_TRACE_KPROBE_SESSION),
	KCONST("bpf_attach_type", BPF_TRACE_UPROBE_SESSION),
	KCONST("bpf_attach_type", BPF_TRACE_FSESSION),
	KCONST("bpf_attach_type", BPF_TRACE_FENTRY_MULTI),
	KCONST("bpf_attach_type", BPF_TRACE_FEXIT_MULTI),
	KCONST("bpf_attach_type", BPF_TRACE_FSESSION_MULTI),
};

/* The enumerator's value in kernel BTF; false if the kernel predates it. */
static bool kernel_enum_value(const struct btf *btf, const char *enum_name, const char *name,
			      long long *value)
{
	int id = btf__find_by_name_kind(btf, enum_name, BTF_KIND_ENUM);
	const struct btf_type *t;
	const struct btf_enum *e;

	if (id <= 0)
		return false;
	t = btf__type_by_id(btf, id);
	e = btf_enum(t);
	for (int i = 0; i < btf_vlen(t); i++, e++) {
		if (strcmp(btf__name_by_offset(btf, e->name_off), name) == 0) {
			*value = e->val;
			return true;
		}
	}
	return false;
}

static void check_kernel(void)
{
	struct btf *btf = btf__load_vmlinux_btf();
	int unknown = 0;

	if (libbpf_get_error(btf)) {
		printf("note: no vmlinux BTF, kernel checks not run\n");
		return;
	}
	for (size_t i = 0; i < sizeof(kernel_names) / sizeof(kernel_names[0]); i++)
		check_kernel_name(btf, &kernel_names[i]);
	CHECK(btf__find_by_name_kind(btf, "bpf_attach_type", BTF_KIND_ENUM) > 0,
	      "kernel BTF has no enum bpf_attach_type");
	for (size_t i = 0; i < sizeof(kernel_consts) / sizeof(kernel_consts[0]); i++) {
		const struct kernel_const *k = &kernel_consts[i];
		long long value;

		if (!kernel_enum_value(btf, k->enum_name, k->name, &value)) {
			unknown++;
			continue;
		}
		CHECK(value == k->value, "%s: kernel %lld, ours %lld", k->name, value, k->value);
	}
	if (unknown)
		printf("note: %d enum values newer than this kernel, not checked\n", unknown);
	btf__free(btf);
}

int main(void)
{
	check_cases();
	check_table();
	check_libbpf();
	check_kernel();
	printf("%d checks, %d failures\n", nr_checks, nr_failures);
	return nr_failures ? 1 : 0;
}
