// freplace of a static function: the kernel replaces global functions only.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
static __noinline int policy(struct xdp_md *ctx) { return ctx->rx_queue_index ? XDP_DROP : XDP_PASS; }
SEC("xdp") int f(struct xdp_md *ctx) { return policy(ctx); }
SEC("freplace/policy") int g(struct xdp_md *ctx) { return XDP_DROP; }
