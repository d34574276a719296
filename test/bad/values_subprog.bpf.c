// A prog-array entry pointing at a subprogram, not a program.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
char LICENSE[] SEC("license") = "GPL";
__noinline int sub(struct xdp_md *ctx) { return XDP_PASS; }
struct { __uint(type, BPF_MAP_TYPE_PROG_ARRAY); __uint(max_entries, 2); __type(key, int); __array(values, int (struct xdp_md *)); } jmp SEC(".maps") = { .values = { [0] = (void *)&sub } };
SEC("xdp") int f(struct xdp_md *ctx) { bpf_tail_call(ctx, &jmp, 0); return sub(ctx); }
