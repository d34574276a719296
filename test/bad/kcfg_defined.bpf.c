// A .kconfig variable defined instead of declared extern.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
int CONFIG_LSKEL_SET __kconfig = 1;
SEC("xdp") int f(struct xdp_md *ctx) { return CONFIG_LSKEL_SET ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
