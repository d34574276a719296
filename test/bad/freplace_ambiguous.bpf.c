// freplace of a global function two programs call: which one to extend is unknown.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
__noinline int policy(struct xdp_md *ctx) { return ctx->rx_queue_index ? XDP_DROP : XDP_PASS; }
SEC("xdp") int f(struct xdp_md *ctx) { return policy(ctx); }
SEC("xdp") int h(struct xdp_md *ctx) { return policy(ctx); }
SEC("freplace/policy") int g(struct xdp_md *ctx) { return XDP_DROP; }
