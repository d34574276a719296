# Runs inside the 6.1 VM as `sh /run.sh skel_preload` (kvm_run_module of
# kvm_lib.sh, from preload_kernel.sh), with busybox only: checks what the module
# skel_preload.ko adds to bpffs. Before insmod a new bpffs mount is empty; after
# it every new mount holds tasks.lskel and maps.lskel, whose reads run the module's
# iterators (the task list has pid 1 and this shell; the map list has the program's
# own map preload_marker; a .bss counter counts the reads); after rmmod a mount
# made earlier keeps working files (bpffs holds its own link references) and a new
# mount is empty again. One "lskel-kvm: PASS|FAIL <what>" line per check.

mod=$1
pass() { echo "lskel-kvm: PASS $1"; }
fail() { echo "lskel-kvm: FAIL $1: $2"; }

# fresh_mount DIR: a new bpffs superblock at DIR
fresh_mount() {
	mkdir -p "$1" && mount -t bpf bpf "$1"
}

# check_empty WHAT DIR: a new bpffs mount at DIR shows no file
check_empty() {
	fresh_mount "$2" || { fail "$1" "mount -t bpf at $2"; return; }
	files=$(ls -A "$2")
	if [ -z "$files" ]; then pass "$1"; else fail "$1" "files: $files"; fi
	umount "$2"
}

# check_tasks WHAT FILE NR: FILE lists pid 1 and this shell, its trailer counts
# the task lines and says this is read number NR
check_tasks() {
	cat "$2" > /tmp/tasks || { fail "$1" "cat $2"; return; }
	nr=$(grep -cE '^[0-9]+ [0-9]+ ' /tmp/tasks)
	want="$nr tasks, read $3"
	if [ "$(head -n 1 /tmp/tasks)" != "lskel preload: tasks" ]; then
		fail "$1" "title: $(head -n 1 /tmp/tasks)"
	elif ! grep -q '^1 1 ' /tmp/tasks || ! grep -q "^$$ $$ " /tmp/tasks; then
		fail "$1" "pid 1 or this shell ($$) missing from $nr tasks"
	elif [ "$(tail -n 1 /tmp/tasks)" != "$want" ]; then
		fail "$1" "trailer '$(tail -n 1 /tmp/tasks)', want '$want'"
	else
		pass "$1 ($want)"
	fi
}

# check_maps WHAT FILE: FILE lists the iterator's own one-entry map
check_maps() {
	cat "$2" > /tmp/maps || { fail "$1" "cat $2"; return; }
	if [ "$(head -n 1 /tmp/maps)" != "lskel preload: maps" ]; then
		fail "$1" "title: $(head -n 1 /tmp/maps)"
	elif ! grep -qE '^[0-9]+ preload_marker 1$' /tmp/maps; then
		fail "$1" "no preload_marker in: $(tr '\n' ';' < /tmp/maps)"
	else
		pass "$1 ($(grep -c '' /tmp/maps) lines)"
	fi
}

mkdir -p /tmp
check_empty "bpffs empty before insmod" /mnt/before
insmod "/$mod.ko" || { fail insmod "insmod /$mod.ko failed"; exit 0; }

fresh_mount /mnt/bpf || { fail mount "mount -t bpf at /mnt/bpf"; exit 0; }
files=$(ls /mnt/bpf | tr '\n' ' ')
if [ "$files" = "maps.lskel tasks.lskel " ]; then pass "preloaded files"; else fail "preloaded files" "'$files'"; fi
check_tasks "tasks.lskel" /mnt/bpf/tasks.lskel 1
check_tasks "tasks.lskel again" /mnt/bpf/tasks.lskel 2
check_maps "maps.lskel" /mnt/bpf/maps.lskel

fresh_mount /mnt/kept || { fail mount "mount -t bpf at /mnt/kept"; exit 0; }
check_tasks "second mount" /mnt/kept/tasks.lskel 3
umount /mnt/bpf

if rmmod "$mod"; then pass "rmmod with a mount left"; else fail rmmod "rmmod $mod failed"; fi
check_tasks "tasks.lskel kept past rmmod" /mnt/kept/tasks.lskel 4
check_maps "maps.lskel kept past rmmod" /mnt/kept/maps.lskel
umount /mnt/kept
check_empty "bpffs empty after rmmod" /mnt/after
