// A queue with a key: queues and stacks have none.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_QUEUE); __uint(max_entries, 4); __type(key, int); __type(value, int); } q SEC(".maps");
SEC("xdp") int f(struct xdp_md *ctx) { int v = 1; return bpf_map_push_elem(&q, &v, 0) ? XDP_PASS : XDP_DROP; }
char LICENSE[] SEC("license") = "GPL";
