// One program for two members: the kernel loads it for one member index only.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct lskel_ops { int (*run)(void *ctx); int (*stop)(void *ctx); };
SEC("struct_ops/any") int any(void *ctx) { return 0; }
SEC(".struct_ops") struct lskel_ops ops = { .run = (void *)any, .stop = (void *)any };
char LICENSE[] SEC("license") = "GPL";
