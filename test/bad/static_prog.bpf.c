// A program entry with static linkage: the kernel could not be told its name.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
SEC("xdp") static int hidden(struct xdp_md *ctx) { return XDP_PASS; }
int keep(struct xdp_md *ctx) { return hidden(ctx); }
char LICENSE[] SEC("license") = "GPL";
