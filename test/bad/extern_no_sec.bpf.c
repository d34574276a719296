// An extern variable that is neither __kconfig nor __ksym: only a linker could resolve it.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
extern int lskel_elsewhere;
SEC("xdp") int f(struct xdp_md *ctx) { return lskel_elsewhere ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
