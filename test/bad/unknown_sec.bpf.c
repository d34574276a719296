// A program in a section no loader knows.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
SEC("no_such_kind/x") int f(void *ctx) { return 0; }
char LICENSE[] SEC("license") = "GPL";
