// SPDX-License-Identifier: GPL-2.0
/*
 * lpar_hwtfs: a read-only pseudo filesystem per partition, the topology
 * view. "mount -t lpar_hwtfs -o part=NAME none DIR" gives
 *
 *   DIR/proc/cpuinfo
 *   DIR/sys/devices/system/cpu/{online,possible,present,kernel_max}
 *   DIR/sys/devices/system/cpu/cpuN/topology/...   (as drivers/base/topology.c)
 *   DIR/sys/devices/system/cpu/cpuN/cache/indexK/... (as drivers/base/cacheinfo.c)
 *
 * rendered at read time from the partition's published map, the one the
 * cpuid and msr nodes use, so all three agree by construction. Tools read
 * it with a root prefix (lscpu --sysroot DIR, HWLOC_FSROOT=DIR) or see it
 * in place through bind mounts in the partition's mount namespace. The
 * directory tree is made at mount time from the partition's CPUs of that
 * moment (a mount per use, as "lparctl hwt enter" does); a file of a CPU
 * that has left the partition reads ENXIO, and every file reads EIO while
 * the view is off. Built with libfs, as binfmt_misc and tracefs are.
 */
#include <linux/fs.h>
#include <linux/fs_context.h>
#include <linux/fs_parser.h>
#include <linux/module.h>
#include <linux/seq_file.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/utsname.h>
#include <asm/processor.h>
#include <asm/tsc.h>

#include "hwthread_virt/hwt.h"
#include "hwthread_virt/topo.h"

#define HWT_FS_MAGIC	0x68777466	/* "hwtf" */
#define HWT_FS_CACHES	8		/* cache leaves looked at */

/* What a file shows; with the CPU and cache index, its inode's key. */
enum hwt_fs_kind {
	HWT_FS_CPUINFO,
	HWT_FS_ONLINE,
	HWT_FS_KERNEL_MAX,
	HWT_FS_PKG_ID,
	HWT_FS_DIE_ID,
	HWT_FS_CLUSTER_ID,
	HWT_FS_CORE_ID,
	HWT_FS_MASK_THREAD,	/* a mask of CPUs at a level ... */
	HWT_FS_LIST_THREAD,	/* ... or its list; the level follows */
	HWT_FS_MASK_CORE,
	HWT_FS_LIST_CORE,
	HWT_FS_MASK_PKG,
	HWT_FS_LIST_PKG,
	HWT_FS_CACHE_ID,
	HWT_FS_CACHE_LEVEL,
	HWT_FS_CACHE_TYPE,
	HWT_FS_CACHE_SIZE,
	HWT_FS_CACHE_WAYS,
	HWT_FS_CACHE_LINE,
	HWT_FS_CACHE_SETS,
	HWT_FS_CACHE_PARTS,
	HWT_FS_CACHE_MASK,
	HWT_FS_CACHE_LIST,
};

struct hwt_fs_entry {
	const char *name;
	enum hwt_fs_kind kind;
};

/* drivers/base/topology.c's files, as x86 has them in 6.12. */
static const struct hwt_fs_entry hwt_fs_topology[] = {
	{ "physical_package_id", HWT_FS_PKG_ID },
	{ "die_id", HWT_FS_DIE_ID },
	{ "cluster_id", HWT_FS_CLUSTER_ID },
	{ "core_id", HWT_FS_CORE_ID },
	{ "core_cpus", HWT_FS_MASK_CORE },
	{ "core_cpus_list", HWT_FS_LIST_CORE },
	{ "thread_siblings", HWT_FS_MASK_CORE },
	{ "thread_siblings_list", HWT_FS_LIST_CORE },
	{ "cluster_cpus", HWT_FS_MASK_CORE },
	{ "cluster_cpus_list", HWT_FS_LIST_CORE },
	{ "core_siblings", HWT_FS_MASK_PKG },
	{ "core_siblings_list", HWT_FS_LIST_PKG },
	{ "die_cpus", HWT_FS_MASK_PKG },
	{ "die_cpus_list", HWT_FS_LIST_PKG },
	{ "package_cpus", HWT_FS_MASK_PKG },
	{ "package_cpus_list", HWT_FS_LIST_PKG },
};

static const struct hwt_fs_entry hwt_fs_cache[] = {
	{ "id", HWT_FS_CACHE_ID },
	{ "level", HWT_FS_CACHE_LEVEL },
	{ "type", HWT_FS_CACHE_TYPE },
	{ "size", HWT_FS_CACHE_SIZE },
	{ "ways_of_associativity", HWT_FS_CACHE_WAYS },
	{ "coherency_line_size", HWT_FS_CACHE_LINE },
	{ "number_of_sets", HWT_FS_CACHE_SETS },
	{ "physical_line_partition", HWT_FS_CACHE_PARTS },
	{ "shared_cpu_map", HWT_FS_CACHE_MASK },
	{ "shared_cpu_list", HWT_FS_CACHE_LIST },
};

/* kind | cache index << 8 | Linux CPU << 16, in the inode's i_private. */
static void *hwt_fs_key(enum hwt_fs_kind kind, u32 index, u32 cpu)
{
	return (void *)((unsigned long)kind | index << 8 | (unsigned long)cpu << 16);
}

/* The leaf that describes caches on this host, or 0 if none does. */
static u32 hwt_fs_cache_leaf(const struct hwt_map *map)
{
	if (map->vendor == HWT_VENDOR_AMD)
		return map->max_ext_leaf >= HWT_CPUID_AMD_CACHE ? HWT_CPUID_AMD_CACHE : 0;
	return map->max_basic_leaf >= HWT_CPUID_CACHE ? HWT_CPUID_CACHE : 0;
}

/* Cache @index of @cpu as the partition's CPUID shows it; 0 or -errno. */
static int hwt_fs_cache_regs(const struct hwt_map *map, u32 cpu, u32 index,
			     u32 host[4], u32 virt[4])
{
	u32 leaf = hwt_fs_cache_leaf(map);
	int ret;

	if (!leaf)
		return -ENOENT;
	ret = hwt_host_cpuid(cpu, leaf, index, host);
	if (ret)
		return ret;
	return hwt_xlate_cpuid(map, cpu, leaf, index, host, virt);
}

static void hwt_fs_cpuinfo_one(struct seq_file *m, const struct hwt_map *map,
			       u32 cpu)
{
	const struct hwt_vcpu *v = hwt_map_vcpu(map, cpu);
	struct cpuinfo_x86 *c = &cpu_data(cpu);
	unsigned long lpj = c->loops_per_jiffy;

	seq_printf(m, "processor\t: %u\n", hwt_topo_number(map, cpu));
	seq_printf(m, "vendor_id\t: %s\n", c->x86_vendor_id[0] ? c->x86_vendor_id : "unknown");
	seq_printf(m, "cpu family\t: %d\n", c->x86);
	seq_printf(m, "model\t\t: %u\n", c->x86_model);
	seq_printf(m, "model name\t: %s\n", c->x86_model_id[0] ? c->x86_model_id : "unknown");
	seq_printf(m, "stepping\t: %d\n", c->x86_stepping);
	seq_printf(m, "microcode\t: 0x%x\n", c->microcode);
	if (cpu_khz)
		seq_printf(m, "cpu MHz\t\t: %u.%03u\n", cpu_khz / 1000, cpu_khz % 1000);
	if (c->x86_cache_size)
		seq_printf(m, "cache size\t: %u KB\n", c->x86_cache_size);
	/* The exclusive-core view: package, its cores and threads, ids. */
	seq_printf(m, "physical id\t: %u\n", v->pkg);
	seq_printf(m, "siblings\t: %u\n", v->pkg_cores * map->threads);
	seq_printf(m, "core id\t\t: %u\n", v->core);
	seq_printf(m, "cpu cores\t: %u\n", v->pkg_cores);
	seq_printf(m, "apicid\t\t: %u\n", v->apicid);
	seq_printf(m, "initial apicid\t: %u\n", v->apicid);
	seq_puts(m, "fpu\t\t: yes\nfpu_exception\t: yes\n");
	seq_printf(m, "cpuid level\t: %d\n", c->cpuid_level);
	seq_puts(m, "wp\t\t: yes\n");
	seq_printf(m, "bogomips\t: %lu.%02lu\n", lpj / (500000 / HZ), (lpj / (5000 / HZ)) % 100);
	seq_printf(m, "clflush size\t: %u\n", c->x86_clflush_size);
	seq_printf(m, "cache_alignment\t: %d\n", c->x86_cache_alignment);
	seq_printf(m, "address sizes\t: %u bits physical, %u bits virtual\n",
		   c->x86_phys_bits, c->x86_virt_bits);
	seq_puts(m, "power management:\n\n");
}

/* Prints a CPU set of @map in the view's numbers, as a mask or a list. */
static int hwt_fs_put_set(struct seq_file *m, const struct hwt_map *map,
			  const unsigned long *mask, bool list)
{
	u32 nbits = hwt_topo_nbits(map);
	size_t len = list ? hwt_fmt_list(mask, nbits, NULL, 0) :
			    hwt_fmt_mask(mask, nbits, NULL, 0);
	char *buf = kmalloc(len + 1, GFP_KERNEL);

	if (!buf)
		return -ENOMEM;
	if (list)
		hwt_fmt_list(mask, nbits, buf, len + 1);
	else
		hwt_fmt_mask(mask, nbits, buf, len + 1);
	seq_printf(m, "%s\n", buf);
	kfree(buf);
	return 0;
}

static int hwt_fs_show_cache(struct seq_file *m, const struct hwt_map *map,
			     enum hwt_fs_kind kind, u32 cpu, u32 index,
			     unsigned long *mask)
{
	static const char * const types[] = { "Null", "Data", "Instruction", "Unified" };
	const struct hwt_vcpu *v = hwt_map_vcpu(map, cpu);
	u32 host[4], r[4], ways, parts, line, sets, sharing;
	enum hwt_level level;
	int ret;

	ret = hwt_fs_cache_regs(map, cpu, index, host, r);
	if (ret)
		return ret;
	ways = (r[HWT_EBX] >> 22) + 1;
	parts = ((r[HWT_EBX] >> 12) & 0x3ff) + 1;
	line = (r[HWT_EBX] & 0xfff) + 1;
	sets = r[HWT_ECX] + 1;
	level = hwt_cache_level(map, ((host[HWT_EAX] >> 14) & 0xfff) + 1);
	sharing = ((r[HWT_EAX] >> 14) & 0xfff) + 1;
	switch (kind) {
	case HWT_FS_CACHE_ID:
		/* cacheinfo's id: the x2APIC id without its sharing bits. */
		seq_printf(m, "%u\n", v->apicid >> hwt_order(sharing));
		return 0;
	case HWT_FS_CACHE_LEVEL:
		seq_printf(m, "%u\n", (r[HWT_EAX] >> 5) & 7);
		return 0;
	case HWT_FS_CACHE_TYPE:
		seq_printf(m, "%s\n", types[min(r[HWT_EAX] & 0x1f, 3U)]);
		return 0;
	case HWT_FS_CACHE_SIZE:
		seq_printf(m, "%lluK\n", (u64)ways * parts * line * sets >> 10);
		return 0;
	case HWT_FS_CACHE_WAYS:
		seq_printf(m, "%u\n", ways);
		return 0;
	case HWT_FS_CACHE_LINE:
		seq_printf(m, "%u\n", line);
		return 0;
	case HWT_FS_CACHE_SETS:
		seq_printf(m, "%u\n", sets);
		return 0;
	case HWT_FS_CACHE_PARTS:
		seq_printf(m, "%u\n", parts);
		return 0;
	default:
		hwt_topo_group(map, cpu, level, mask);
		return hwt_fs_put_set(m, map, mask, kind == HWT_FS_CACHE_LIST);
	}
}

static int hwt_fs_render(struct seq_file *m, const struct hwt_map *map,
			 enum hwt_fs_kind kind, u32 cpu, u32 index,
			 unsigned long *mask)
{
	const struct hwt_vcpu *v;
	u32 i;
	int c;

	switch (kind) {
	case HWT_FS_CPUINFO:
		for (i = 0; i < hwt_topo_nbits(map); i++) {
			c = hwt_topo_cpu_at(map, i);
			if (c >= 0)
				hwt_fs_cpuinfo_one(m, map, c);
		}
		return 0;
	case HWT_FS_ONLINE:
		for (i = 0; i < map->nr_vcpus; i++)
			lpar_set_bit(mask, hwt_topo_number(map, map->cpu[i].order));
		return hwt_fs_put_set(m, map, mask, true);
	case HWT_FS_KERNEL_MAX:
		seq_printf(m, "%u\n", hwt_topo_nbits(map) - 1);
		return 0;
	default:
		break;
	}
	v = hwt_map_vcpu(map, cpu);
	if (!v)
		return -ENXIO;	/* the CPU left the partition since the mount */
	switch (kind) {
	case HWT_FS_PKG_ID:
		seq_printf(m, "%u\n", v->pkg);
		return 0;
	case HWT_FS_DIE_ID:
		seq_puts(m, "0\n");
		return 0;
	case HWT_FS_CLUSTER_ID:
	case HWT_FS_CORE_ID:
		seq_printf(m, "%u\n", v->core);
		return 0;
	case HWT_FS_MASK_THREAD:
	case HWT_FS_LIST_THREAD:
	case HWT_FS_MASK_CORE:
	case HWT_FS_LIST_CORE:
	case HWT_FS_MASK_PKG:
	case HWT_FS_LIST_PKG:
		i = kind - HWT_FS_MASK_THREAD;
		hwt_topo_group(map, cpu, HWT_LEVEL_THREAD + i / 2, mask);
		return hwt_fs_put_set(m, map, mask, i % 2);
	default:
		return hwt_fs_show_cache(m, map, kind, cpu, index, mask);
	}
}

static int hwt_fs_show(struct seq_file *m, void *unused)
{
	struct hwt_part *hp = file_inode(m->file)->i_sb->s_fs_info;
	unsigned long key = (unsigned long)m->private;
	struct hwt_view *view;
	unsigned long *mask;
	int ret;

	if (READ_ONCE(hp->dead))
		return -ENXIO;
	view = hwt_view_get(hp);
	if (!view)
		return -EIO;	/* as the nodes answer while there is no map */
	mask = bitmap_zalloc(view->map.nr_cpus, GFP_KERNEL);
	ret = mask ? hwt_fs_render(m, &view->map, key & 0xff, key >> 16,
				   (key >> 8) & 0xff, mask) : -ENOMEM;
	bitmap_free(mask);
	hwt_view_put(view);
	return ret;
}

static int hwt_fs_open(struct inode *inode, struct file *file)
{
	return single_open(file, hwt_fs_show, inode->i_private);
}

static const struct file_operations hwt_fs_fops = {
	.owner = THIS_MODULE,
	.open = hwt_fs_open,
	.read = seq_read,
	.llseek = seq_lseek,
	.release = single_release,
};

static struct inode *hwt_fs_inode(struct super_block *sb, umode_t mode)
{
	struct inode *inode = new_inode(sb);

	if (!inode)
		return NULL;
	inode->i_ino = get_next_ino();
	inode->i_mode = mode;
	simple_inode_init_ts(inode);
	if (S_ISDIR(mode)) {
		inode->i_op = &simple_dir_inode_operations;
		inode->i_fop = &simple_dir_operations;
		set_nlink(inode, 2);
	} else {
		inode->i_fop = &hwt_fs_fops;
	}
	return inode;
}

/* A directory (@key NULL) or file under @parent; the tree pins it. */
static struct dentry *hwt_fs_add(struct dentry *parent, const char *name,
				 bool dir, void *key)
{
	struct dentry *dentry = d_alloc_name(parent, name);
	struct inode *inode;

	if (!dentry)
		return NULL;
	inode = hwt_fs_inode(parent->d_sb, dir ? S_IFDIR | 0555 : S_IFREG | 0444);
	if (!inode) {
		dput(dentry);
		return NULL;
	}
	inode->i_private = key;
	d_add(dentry, inode);
	if (dir)
		inc_nlink(d_inode(parent));
	return dentry;
}

/* Makes "a/b/c" under @root; returns the last directory. */
static struct dentry *hwt_fs_mkpath(struct dentry *root, const char *path)
{
	char name[32];
	const char *p = path, *slash;
	struct dentry *d = root;

	while (d && *p) {
		slash = strchrnul(p, '/');
		if (slash - p >= sizeof(name))
			return NULL;
		memcpy(name, p, slash - p);
		name[slash - p] = 0;
		d = hwt_fs_add(d, name, true, NULL);
		p = *slash ? slash + 1 : slash;
	}
	return d;
}

static int hwt_fs_add_cpu(struct dentry *sysc, const struct hwt_map *map,
			  u32 cpu, u32 ncaches)
{
	struct dentry *dir, *sub, *idx;
	char name[24];
	u32 i, k;

	snprintf(name, sizeof(name), "cpu%u", hwt_topo_number(map, cpu));
	dir = hwt_fs_add(sysc, name, true, NULL);
	sub = dir ? hwt_fs_add(dir, "topology", true, NULL) : NULL;
	if (!sub)
		return -ENOMEM;
	for (i = 0; i < ARRAY_SIZE(hwt_fs_topology); i++)
		if (!hwt_fs_add(sub, hwt_fs_topology[i].name, false,
				hwt_fs_key(hwt_fs_topology[i].kind, 0, cpu)))
			return -ENOMEM;
	if (!ncaches)
		return 0;
	sub = hwt_fs_add(dir, "cache", true, NULL);
	if (!sub)
		return -ENOMEM;
	for (k = 0; k < ncaches; k++) {
		snprintf(name, sizeof(name), "index%u", k);
		idx = hwt_fs_add(sub, name, true, NULL);
		if (!idx)
			return -ENOMEM;
		for (i = 0; i < ARRAY_SIZE(hwt_fs_cache); i++)
			if (!hwt_fs_add(idx, hwt_fs_cache[i].name, false,
					hwt_fs_key(hwt_fs_cache[i].kind, k, cpu)))
				return -ENOMEM;
	}
	return 0;
}

/* How many cache leaves the first CPU of @map describes. */
static u32 hwt_fs_ncaches(const struct hwt_map *map)
{
	u32 host[4], r[4], n;

	for (n = 0; n < HWT_FS_CACHES; n++)
		if (hwt_fs_cache_regs(map, map->cpu[0].order, n, host, r) ||
		    !(r[HWT_EAX] & 0x1f))
			break;
	return n;
}

static const struct super_operations hwt_fs_sops = {
	.statfs = simple_statfs,
	.drop_inode = generic_delete_inode,
};

static int hwt_fs_fill_super(struct super_block *sb, struct fs_context *fc)
{
	static const char * const cpu_files[] = { "online", "possible", "present" };
	struct hwt_part *hp = sb->s_fs_info;
	struct dentry *root, *d;
	struct hwt_view *view;
	struct inode *inode;
	u32 i, ncaches;
	int ret = -ENOMEM;

	sb->s_blocksize = PAGE_SIZE;
	sb->s_blocksize_bits = PAGE_SHIFT;
	sb->s_magic = HWT_FS_MAGIC;
	sb->s_op = &hwt_fs_sops;
	sb->s_time_gran = 1;
	inode = hwt_fs_inode(sb, S_IFDIR | 0555);
	root = inode ? d_make_root(inode) : NULL;
	if (!root)
		return -ENOMEM;
	sb->s_root = root;

	view = hwt_view_get(hp);
	if (!view)
		return invalfc(fc, "partition %s has no exclusive-core view now", hp->name);
	d = hwt_fs_mkpath(root, "proc");
	if (!d || !hwt_fs_add(d, "cpuinfo", false, hwt_fs_key(HWT_FS_CPUINFO, 0, 0)))
		goto out;
	d = hwt_fs_mkpath(root, "sys/devices/system/cpu");
	if (!d)
		goto out;
	for (i = 0; i < ARRAY_SIZE(cpu_files); i++)
		if (!hwt_fs_add(d, cpu_files[i], false, hwt_fs_key(HWT_FS_ONLINE, 0, 0)))
			goto out;
	if (!hwt_fs_add(d, "kernel_max", false, hwt_fs_key(HWT_FS_KERNEL_MAX, 0, 0)))
		goto out;
	ncaches = hwt_fs_ncaches(&view->map);
	for (i = 0; i < view->map.nr_vcpus; i++) {
		ret = hwt_fs_add_cpu(d, &view->map, view->map.cpu[i].order, ncaches);
		if (ret)
			goto out;
	}
	ret = 0;
out:
	hwt_view_put(view);
	return ret;
}

enum { HWT_OPT_PART };

static const struct fs_parameter_spec hwt_fs_params[] = {
	fsparam_string("part", HWT_OPT_PART),
	{}
};

static int hwt_fs_parse_param(struct fs_context *fc, struct fs_parameter *param)
{
	struct fs_parse_result result;
	int opt = fs_parse(fc, hwt_fs_params, param, &result);

	if (opt < 0)
		return opt;
	kfree(fc->fs_private);
	fc->fs_private = param->string;	/* the partition's name */
	param->string = NULL;
	return 0;
}

static int hwt_fs_get_tree(struct fs_context *fc)
{
	const char *name = fc->fs_private;
	struct hwt_part *hp;

	/* -o part=NAME, or NAME as the source ("mount -t lpar_hwtfs web DIR"). */
	if (!name && fc->source && strcmp(fc->source, "none"))
		name = fc->source;
	if (!name)
		return invalfc(fc, "name the partition: -o part=NAME");
	hp = hwt_part_lookup(0, name);
	if (!hp)
		return invalfc(fc, "no partition named %s", name);
	fc->s_fs_info = hp;
	return get_tree_nodev(fc, hwt_fs_fill_super);
}

static void hwt_fs_free_fc(struct fs_context *fc)
{
	if (fc->s_fs_info)
		hwt_part_put(fc->s_fs_info);
	kfree(fc->fs_private);
}

static const struct fs_context_operations hwt_fs_context_ops = {
	.free = hwt_fs_free_fc,
	.parse_param = hwt_fs_parse_param,
	.get_tree = hwt_fs_get_tree,
};

static int hwt_fs_init_fs_context(struct fs_context *fc)
{
	fc->ops = &hwt_fs_context_ops;
	return 0;
}

static void hwt_fs_kill_sb(struct super_block *sb)
{
	struct hwt_part *hp = sb->s_fs_info;

	kill_litter_super(sb);
	if (hp)
		hwt_part_put(hp);
}

static struct file_system_type hwt_fs_type = {
	.owner = THIS_MODULE,
	.name = "lpar_hwtfs",
	.init_fs_context = hwt_fs_init_fs_context,
	.parameters = hwt_fs_params,
	.kill_sb = hwt_fs_kill_sb,
};
MODULE_ALIAS_FS("lpar_hwtfs");

/**
 * hwt_fs_init() - register the lpar_hwtfs filesystem type
 *
 * Return: 0 or a negative errno.
 */
int hwt_fs_init(void)
{
	return register_filesystem(&hwt_fs_type);
}

/**
 * hwt_fs_exit() - unregister it; no mount is left (they pin the module)
 */
void hwt_fs_exit(void)
{
	unregister_filesystem(&hwt_fs_type);
}
