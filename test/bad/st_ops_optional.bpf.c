// SEC("?.struct_ops"): maps not created by default are not supported yet.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct lskel_ops { int (*run)(void *ctx); };
SEC("struct_ops/run") int run(void *ctx) { return 0; }
SEC("?.struct_ops") struct lskel_ops ops = { .run = (void *)run };
char LICENSE[] SEC("license") = "GPL";
