// The kernel's struct_ops types have no bitfields; an object's type may not either.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct lskel_ops { int (*run)(void *ctx); unsigned int fast : 1, slow : 1; };
SEC("struct_ops/run") int run(void *ctx) { return 0; }
SEC(".struct_ops") struct lskel_ops ops = { .run = (void *)run, .fast = 1 };
char LICENSE[] SEC("license") = "GPL";
