// The object the binary corruptions of corrupt.py start from: one program in "xdp"
// with map and global data relocations, BTF and BTF.ext.
#include <linux/bpf.h>
#include <bpf/bpf_helpers.h>

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 4);
	__type(key, int);
	__type(value, long);
} counts SEC(".maps");

long seen = 0;

SEC("xdp") int count(struct xdp_md *ctx)
{
	int key = 0;
	long *v = bpf_map_lookup_elem(&counts, &key);

	if (v)
		*v += 1;
	seen++;
	return XDP_PASS;
}

char LICENSE[] SEC("license") = "GPL";
