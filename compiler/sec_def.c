// SPDX-License-Identifier: (LGPL-2.1 OR BSD-2-Clause)
/*
 * libbpf's SEC() naming conventions, as one table.
 *
 * A program's ELF section name says what the program is: its prog type, its
 * expected attach type, load flags (sleepable, XDP frags), whether the kernel wants
 * an attach_btf_id for it and under which BTF name, and how the skeleton's
 * NAME__attach() hooks it up. The rows and their order are libbpf 1.x's
 * (section_defs[] in libbpf.c, checked up to libbpf 1.8); the attach kinds and BTF
 * names are what the loader and the skeleton need on top of that.
 *
 * A row matches in one of two ways:
 *  - exact ("sockops", "xdp/devmap"): the section name is the row name;
 *  - slashed (libbpf's "name+"): the section name is the row name alone, or the row
 *    name, a '/', and an attach target ("kprobe/do_sys_open"). "kprobe.multi" does not
 *    match "kprobe": the character after the row name must be '/' or the end.
 * libbpf also knows "name/" rows (a target is mandatory), but none of its built-in
 * rows uses that form in any 1.x release, so the table has none.
 *
 * The first matching row wins. With libbpf's rows no two rows match the same name
 * (no exact row lies under a slashed row's name, and the '/'-or-end rule keeps
 * "kprobe" away from "kprobe.multi"), so the order is kept for fidelity rather than
 * needed; the unit test checks that every row is found by its own name.
 *
 * The leading '?' of SEC("?...") (do not load by default) is the caller's business.
 */
#include <string.h>
#include <linux/btf.h>

#include "compiler.h"

/*
 * Program and attach types newer than the 6.1 UAPI headers this builds against,
 * with the kernel's numbers (include/uapi/linux/bpf.h; up to 57 also checked in a
 * 6.18 kernel's BTF, 58-61 are from libbpf 1.8's copy of the bpf-next header). The
 * kernel declares them as enumerators, which #ifndef cannot see: the guard only
 * steps aside for a macro of the same name. Under a newer header the macro shadows
 * the enumerator with the same value, which is harmless.
 */
#ifndef BPF_PROG_TYPE_NETFILTER
#define BPF_PROG_TYPE_NETFILTER		32	/* 6.4 */
#endif
#ifndef BPF_NETFILTER
#define BPF_NETFILTER			45	/* 6.4 */
#endif
#ifndef BPF_TCX_INGRESS
#define BPF_TCX_INGRESS			46	/* 6.6 */
#endif
#ifndef BPF_TCX_EGRESS
#define BPF_TCX_EGRESS			47	/* 6.6 */
#endif
#ifndef BPF_TRACE_UPROBE_MULTI
#define BPF_TRACE_UPROBE_MULTI		48	/* 6.6 */
#endif
#ifndef BPF_CGROUP_UNIX_CONNECT
#define BPF_CGROUP_UNIX_CONNECT		49	/* 6.7 */
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
#define BPF_NETKIT_PRIMARY		54	/* 6.7 */
#endif
#ifndef BPF_NETKIT_PEER
#define BPF_NETKIT_PEER			55
#endif
#ifndef BPF_TRACE_KPROBE_SESSION
#define BPF_TRACE_KPROBE_SESSION	56	/* 6.10 */
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

/* Matching forms, for the second column. */
#define EXACT	false
#define PLUS	true

#define SLP	SEC_SLEEPABLE
#define FRAGS	SEC_XDP_FRAGS
#define EAOPT	SEC_EXP_ATTACH_OPT

#define ROW(name, slashed, type, eat, flags, attach) \
	{ name, slashed, BPF_PROG_TYPE_##type, eat, flags, ATTACH_##attach, NULL, 0 }

/*
 * A row whose target the loader resolves to an attach_btf_id at load time: always
 * slashed, always SEC_ATTACH_BTF. The BTF name is the prefix followed by the target:
 * tracepoints are found through the typedef the kernel declares for each one
 * (btf_trace_<tp>), LSM hooks and iterators through the kernel's stub functions
 * (bpf_lsm_<hook>, bpf_iter_<target>), fentry & co. through the traced function.
 */
#define FUNC(prefix)	prefix, BTF_KIND_FUNC
#define TYPEDEF(prefix)	prefix, BTF_KIND_TYPEDEF
#define BTF_ROW(name, type, eat, flags, attach, btf) \
	{ name, true, BPF_PROG_TYPE_##type, eat, SEC_ATTACH_BTF | (flags), ATTACH_##attach, btf }

/*
 * Not static: the unit test walks it to prove every row is reachable and covered.
 * Only sec_def__find() is the API.
 */
const struct sec_def sec_defs[] = {
	ROW("socket",		EXACT, SOCKET_FILTER, 0, 0, NONE),
	ROW("sk_reuseport/migrate", EXACT, SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT_OR_MIGRATE, 0, NONE),
	ROW("sk_reuseport",	EXACT, SK_REUSEPORT, BPF_SK_REUSEPORT_SELECT, 0, NONE),
	/* kprobes, uprobes, USDT: attached later, by function or binary path */
	ROW("kprobe",		PLUS, KPROBE, 0, 0, NONE),
	ROW("uprobe",		PLUS, KPROBE, 0, 0, NONE),
	ROW("uprobe.s",		PLUS, KPROBE, 0, SLP, NONE),
	ROW("kretprobe",	PLUS, KPROBE, 0, 0, NONE),
	ROW("uretprobe",	PLUS, KPROBE, 0, 0, NONE),
	ROW("uretprobe.s",	PLUS, KPROBE, 0, SLP, NONE),
	ROW("kprobe.multi",	PLUS, KPROBE, BPF_TRACE_KPROBE_MULTI, 0, NONE),
	ROW("kretprobe.multi",	PLUS, KPROBE, BPF_TRACE_KPROBE_MULTI, 0, NONE),
	ROW("kprobe.session",	PLUS, KPROBE, BPF_TRACE_KPROBE_SESSION, 0, NONE),
	ROW("uprobe.multi",	PLUS, KPROBE, BPF_TRACE_UPROBE_MULTI, 0, NONE),
	ROW("uretprobe.multi",	PLUS, KPROBE, BPF_TRACE_UPROBE_MULTI, 0, NONE),
	ROW("uprobe.session",	PLUS, KPROBE, BPF_TRACE_UPROBE_SESSION, 0, NONE),
	ROW("uprobe.multi.s",	PLUS, KPROBE, BPF_TRACE_UPROBE_MULTI, SLP, NONE),
	ROW("uretprobe.multi.s", PLUS, KPROBE, BPF_TRACE_UPROBE_MULTI, SLP, NONE),
	ROW("uprobe.session.s",	PLUS, KPROBE, BPF_TRACE_UPROBE_SESSION, SLP, NONE),
	ROW("ksyscall",		PLUS, KPROBE, 0, 0, NONE),
	ROW("kretsyscall",	PLUS, KPROBE, 0, 0, NONE),
	ROW("usdt",		PLUS, KPROBE, 0, SEC_USDT, NONE),
	ROW("usdt.s",		PLUS, KPROBE, 0, SEC_USDT | SLP, NONE),
	/* tc: "tc/ingress" and "tc/egress" are aliases of tcx; bare "tc" is legacy */
	ROW("tc/ingress",	EXACT, SCHED_CLS, BPF_TCX_INGRESS, 0, NONE),
	ROW("tc/egress",	EXACT, SCHED_CLS, BPF_TCX_EGRESS, 0, NONE),
	ROW("tcx/ingress",	EXACT, SCHED_CLS, BPF_TCX_INGRESS, 0, NONE),
	ROW("tcx/egress",	EXACT, SCHED_CLS, BPF_TCX_EGRESS, 0, NONE),
	ROW("tc",		EXACT, SCHED_CLS, 0, 0, NONE),
	ROW("classifier",	EXACT, SCHED_CLS, 0, 0, NONE),
	ROW("action",		EXACT, SCHED_ACT, 0, 0, NONE),
	ROW("netkit/primary",	EXACT, SCHED_CLS, BPF_NETKIT_PRIMARY, 0, NONE),
	ROW("netkit/peer",	EXACT, SCHED_CLS, BPF_NETKIT_PEER, 0, NONE),
	/* tracepoints: "tp/<category>/<name>", attached later through perf */
	ROW("tracepoint",	PLUS, TRACEPOINT, 0, 0, NONE),
	ROW("tp",		PLUS, TRACEPOINT, 0, 0, NONE),
	ROW("tracepoint.s",	PLUS, TRACEPOINT, 0, SLP, NONE),
	ROW("tp.s",		PLUS, TRACEPOINT, 0, SLP, NONE),
	/* raw tracepoints: BPF_RAW_TRACEPOINT_OPEN with the target as the name */
	ROW("raw_tracepoint",	PLUS, RAW_TRACEPOINT, 0, 0, RAW_TP),
	ROW("raw_tp",		PLUS, RAW_TRACEPOINT, 0, 0, RAW_TP),
	ROW("raw_tracepoint.s",	PLUS, RAW_TRACEPOINT, 0, SLP, RAW_TP),
	ROW("raw_tp.s",		PLUS, RAW_TRACEPOINT, 0, SLP, RAW_TP),
	ROW("raw_tracepoint.w",	PLUS, RAW_TRACEPOINT_WRITABLE, 0, 0, RAW_TP),
	ROW("raw_tp.w",		PLUS, RAW_TRACEPOINT_WRITABLE, 0, 0, RAW_TP),
	/* BTF-typed tracing: the target is resolved to a BTF id at load time */
	BTF_ROW("tp_btf",	TRACING, BPF_TRACE_RAW_TP, 0, TRACING, TYPEDEF("btf_trace_")),
	BTF_ROW("tp_btf.s",	TRACING, BPF_TRACE_RAW_TP, SLP, TRACING, TYPEDEF("btf_trace_")),
	BTF_ROW("fentry",	TRACING, BPF_TRACE_FENTRY, 0, TRACING, FUNC("")),
	BTF_ROW("fmod_ret",	TRACING, BPF_MODIFY_RETURN, 0, TRACING, FUNC("")),
	BTF_ROW("fexit",	TRACING, BPF_TRACE_FEXIT, 0, TRACING, FUNC("")),
	BTF_ROW("fentry.s",	TRACING, BPF_TRACE_FENTRY, SLP, TRACING, FUNC("")),
	BTF_ROW("fmod_ret.s",	TRACING, BPF_MODIFY_RETURN, SLP, TRACING, FUNC("")),
	BTF_ROW("fexit.s",	TRACING, BPF_TRACE_FEXIT, SLP, TRACING, FUNC("")),
	BTF_ROW("fsession",	TRACING, BPF_TRACE_FSESSION, 0, TRACING, FUNC("")),
	BTF_ROW("fsession.s",	TRACING, BPF_TRACE_FSESSION, SLP, TRACING, FUNC("")),
	/* multi-function tracing: the functions are named at attach time, not load time */
	ROW("fsession.multi",	PLUS, TRACING, BPF_TRACE_FSESSION_MULTI, 0, NONE),
	ROW("fsession.multi.s",	PLUS, TRACING, BPF_TRACE_FSESSION_MULTI, SLP, NONE),
	ROW("fentry.multi",	PLUS, TRACING, BPF_TRACE_FENTRY_MULTI, 0, NONE),
	ROW("fexit.multi",	PLUS, TRACING, BPF_TRACE_FEXIT_MULTI, 0, NONE),
	ROW("fentry.multi.s",	PLUS, TRACING, BPF_TRACE_FENTRY_MULTI, SLP, NONE),
	ROW("fexit.multi.s",	PLUS, TRACING, BPF_TRACE_FEXIT_MULTI, SLP, NONE),
	/* freplace: the target is a function of another program of the object (freplace.c) */
	BTF_ROW("freplace",	EXT, 0, 0, EXT, FUNC("")),
	BTF_ROW("lsm",		LSM, BPF_LSM_MAC, 0, LSM, FUNC("bpf_lsm_")),
	BTF_ROW("lsm.s",	LSM, BPF_LSM_MAC, SLP, LSM, FUNC("bpf_lsm_")),
	/* lsm_cgroup attaches to a cgroup, which only the user knows */
	BTF_ROW("lsm_cgroup",	LSM, BPF_LSM_CGROUP, 0, NONE, FUNC("bpf_lsm_")),
	BTF_ROW("iter",		TRACING, BPF_TRACE_ITER, 0, ITER, FUNC("bpf_iter_")),
	BTF_ROW("iter.s",	TRACING, BPF_TRACE_ITER, SLP, ITER, FUNC("bpf_iter_")),
	ROW("syscall",		EXACT, SYSCALL, 0, SLP, NONE),
	/* XDP: the frags variants may see multi-buffer packets */
	ROW("xdp.frags/devmap",	EXACT, XDP, BPF_XDP_DEVMAP, FRAGS, NONE),
	ROW("xdp/devmap",	EXACT, XDP, BPF_XDP_DEVMAP, 0, NONE),
	ROW("xdp.frags/cpumap",	EXACT, XDP, BPF_XDP_CPUMAP, FRAGS, NONE),
	ROW("xdp/cpumap",	EXACT, XDP, BPF_XDP_CPUMAP, 0, NONE),
	ROW("xdp.frags",	EXACT, XDP, BPF_XDP, FRAGS, NONE),
	ROW("xdp",		EXACT, XDP, BPF_XDP, EAOPT, NONE),
	ROW("perf_event",	EXACT, PERF_EVENT, 0, 0, NONE),
	ROW("lwt_in",		EXACT, LWT_IN, 0, 0, NONE),
	ROW("lwt_out",		EXACT, LWT_OUT, 0, 0, NONE),
	ROW("lwt_xmit",		EXACT, LWT_XMIT, 0, 0, NONE),
	ROW("lwt_seg6local",	EXACT, LWT_SEG6LOCAL, 0, 0, NONE),
	ROW("sockops",		EXACT, SOCK_OPS, BPF_CGROUP_SOCK_OPS, EAOPT, NONE),
	ROW("sk_skb/stream_parser", EXACT, SK_SKB, BPF_SK_SKB_STREAM_PARSER, EAOPT, NONE),
	ROW("sk_skb/stream_verdict", EXACT, SK_SKB, BPF_SK_SKB_STREAM_VERDICT, EAOPT, NONE),
	ROW("sk_skb/verdict",	EXACT, SK_SKB, BPF_SK_SKB_VERDICT, EAOPT, NONE),
	ROW("sk_skb",		EXACT, SK_SKB, 0, 0, NONE),
	ROW("sk_msg",		EXACT, SK_MSG, BPF_SK_MSG_VERDICT, EAOPT, NONE),
	ROW("lirc_mode2",	EXACT, LIRC_MODE2, BPF_LIRC_MODE2, EAOPT, NONE),
	ROW("flow_dissector",	EXACT, FLOW_DISSECTOR, BPF_FLOW_DISSECTOR, EAOPT, NONE),
	/* cgroup programs: the cgroup fd comes from the user */
	ROW("cgroup_skb/ingress", EXACT, CGROUP_SKB, BPF_CGROUP_INET_INGRESS, EAOPT, NONE),
	ROW("cgroup_skb/egress", EXACT, CGROUP_SKB, BPF_CGROUP_INET_EGRESS, EAOPT, NONE),
	ROW("cgroup/skb",	EXACT, CGROUP_SKB, 0, 0, NONE),
	ROW("cgroup/sock_create", EXACT, CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, 0, NONE),
	ROW("cgroup/sock_release", EXACT, CGROUP_SOCK, BPF_CGROUP_INET_SOCK_RELEASE, 0, NONE),
	ROW("cgroup/sock",	EXACT, CGROUP_SOCK, BPF_CGROUP_INET_SOCK_CREATE, EAOPT, NONE),
	ROW("cgroup/post_bind4", EXACT, CGROUP_SOCK, BPF_CGROUP_INET4_POST_BIND, 0, NONE),
	ROW("cgroup/post_bind6", EXACT, CGROUP_SOCK, BPF_CGROUP_INET6_POST_BIND, 0, NONE),
	ROW("cgroup/bind4",	EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_BIND, 0, NONE),
	ROW("cgroup/bind6",	EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_BIND, 0, NONE),
	ROW("cgroup/connect4",	EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_CONNECT, 0, NONE),
	ROW("cgroup/connect6",	EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_CONNECT, 0, NONE),
	ROW("cgroup/connect_unix", EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_CONNECT, 0, NONE),
	ROW("cgroup/sendmsg4",	EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_SENDMSG, 0, NONE),
	ROW("cgroup/sendmsg6",	EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_SENDMSG, 0, NONE),
	ROW("cgroup/sendmsg_unix", EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_SENDMSG, 0, NONE),
	ROW("cgroup/recvmsg4",	EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_UDP4_RECVMSG, 0, NONE),
	ROW("cgroup/recvmsg6",	EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_UDP6_RECVMSG, 0, NONE),
	ROW("cgroup/recvmsg_unix", EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_RECVMSG, 0, NONE),
	ROW("cgroup/getpeername4", EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETPEERNAME, 0, NONE),
	ROW("cgroup/getpeername6", EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETPEERNAME, 0, NONE),
	ROW("cgroup/getpeername_unix", EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETPEERNAME, 0, NONE),
	ROW("cgroup/getsockname4", EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_INET4_GETSOCKNAME, 0, NONE),
	ROW("cgroup/getsockname6", EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_INET6_GETSOCKNAME, 0, NONE),
	ROW("cgroup/getsockname_unix", EXACT, CGROUP_SOCK_ADDR, BPF_CGROUP_UNIX_GETSOCKNAME, 0, NONE),
	ROW("cgroup/sysctl",	EXACT, CGROUP_SYSCTL, BPF_CGROUP_SYSCTL, 0, NONE),
	ROW("cgroup/getsockopt", EXACT, CGROUP_SOCKOPT, BPF_CGROUP_GETSOCKOPT, 0, NONE),
	ROW("cgroup/setsockopt", EXACT, CGROUP_SOCKOPT, BPF_CGROUP_SETSOCKOPT, 0, NONE),
	ROW("cgroup/dev",	EXACT, CGROUP_DEVICE, BPF_CGROUP_DEVICE, EAOPT, NONE),
	/* struct_ops: bound through a struct_ops map's members; a target is only a label */
	ROW("struct_ops",	PLUS, STRUCT_OPS, 0, 0, NONE),
	ROW("struct_ops.s",	PLUS, STRUCT_OPS, 0, SLP, NONE),
	ROW("sk_lookup",	EXACT, SK_LOOKUP, BPF_SK_LOOKUP, 0, NONE),
	ROW("netfilter",	EXACT, NETFILTER, BPF_NETFILTER, 0, NONE),
};
const size_t nr_sec_defs = sizeof(sec_defs) / sizeof(sec_defs[0]);

static bool sec_def_matches(const struct sec_def *def, const char *sec_name)
{
	size_t len = strlen(def->prefix);

	if (!def->slashed)
		return strcmp(sec_name, def->prefix) == 0;
	if (strncmp(sec_name, def->prefix, len) != 0)
		return false;
	return sec_name[len] == '\0' || sec_name[len] == '/';
}

const struct sec_def *sec_def__find(const char *sec_name)
{
	if (!sec_name)
		return NULL;
	for (size_t i = 0; i < nr_sec_defs; i++)
		if (sec_def_matches(&sec_defs[i], sec_name))
			return &sec_defs[i];
	return NULL;
}

/*
 * "kprobe/" yields "", not NULL: the name asked for a target and gave an empty one,
 * which callers needing a target reject, as libbpf does when it attaches.
 */
const char *sec_def__target(const struct sec_def *def, const char *sec_name)
{
	size_t len;

	if (!def || !sec_name || !def->slashed)
		return NULL;
	len = strlen(def->prefix);
	if (strncmp(sec_name, def->prefix, len) != 0 || sec_name[len] != '/')
		return NULL;
	return sec_name + len + 1;
}
