// A ring buffer given a value type: ring buffers have neither key nor value.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, BPF_MAP_TYPE_RINGBUF); __uint(max_entries, 4096); __type(value, int); } rb SEC(".maps");
SEC("xdp") int f(struct xdp_md *ctx) { int v = 1; bpf_ringbuf_output(&rb, &v, sizeof(v), 0); return XDP_PASS; }
char LICENSE[] SEC("license") = "GPL";
