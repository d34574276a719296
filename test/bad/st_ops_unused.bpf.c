// A struct_ops program no struct_ops map names has no member to be loaded for.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct lskel_ops { int (*run)(void *ctx); int (*stop)(void *ctx); };
SEC("struct_ops/run") int run(void *ctx) { return 0; }
SEC("struct_ops/stop") int stop(void *ctx) { return 0; }
SEC(".struct_ops.link") struct lskel_ops ops = { .run = (void *)run };
char LICENSE[] SEC("license") = "GPL";
