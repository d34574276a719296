// freplace of a function no program of the object holds: lskel loads extensions only
// against the object's own programs.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
__noinline int policy(struct xdp_md *ctx) { return ctx->rx_queue_index ? XDP_DROP : XDP_PASS; }
SEC("xdp") int f(struct xdp_md *ctx) { return policy(ctx); }
SEC("freplace/verdict") int g(struct xdp_md *ctx) { return XDP_DROP; }
