// Only function pointers to programs reach the kernel: a pointer to data cannot.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct lskel_ops { int (*run)(void *ctx); int *limit; };
int lskel_limit = 3;
SEC("struct_ops/run") int run(void *ctx) { return 0; }
SEC(".struct_ops") struct lskel_ops ops = { .run = (void *)run, .limit = &lskel_limit };
char LICENSE[] SEC("license") = "GPL";
