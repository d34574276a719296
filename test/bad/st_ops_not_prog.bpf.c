// A struct_ops function pointer may only name a SEC("struct_ops/...") program.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct lskel_ops { int (*run)(void *ctx); char name[8]; };
SEC("xdp") int f(struct xdp_md *ctx) { return XDP_PASS; }
SEC(".struct_ops") struct lskel_ops ops = { .run = (void *)f, .name = "x" };
char LICENSE[] SEC("license") = "GPL";
