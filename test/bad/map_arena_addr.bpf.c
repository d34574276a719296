// An arena without map_extra: a light skeleton cannot mmap() it before programs load.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>
struct { __uint(type, 33 /* BPF_MAP_TYPE_ARENA */); __uint(map_flags, BPF_F_MMAPABLE); __uint(max_entries, 4); } arena SEC(".maps");
SEC("xdp") int f(struct xdp_md *ctx) { void *m = &arena; asm volatile("" : : "r"(m)); return XDP_PASS; }
char LICENSE[] SEC("license") = "GPL";
