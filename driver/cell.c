// SPDX-License-Identifier: GPL-2.0
/*
 * warden's Linux driver: cells. A cell's CPUs leave Linux (remove_cpu:
 * PSCI CPU_OFF, the hypervisor parks them) before CELL_CREATE and come back
 * after CELL_DESTROY (add_cpu: PSCI CPU_ON). A cell's RAM is memory Linux
 * does not use (left out with mem= or memmap=, checked here): the driver
 * copies images into it through a mapping of its own.
 */
#include <linux/cpu.h>
#include <linux/cpuhotplug.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/slab.h>
#include <linux/uaccess.h>

#include "warden.h"

LIST_HEAD(warden_cells);

/*
 * The CPUs non-root cells hold. Linux must not start them (echo 1 >
 * .../online would issue PSCI CPU_ON for a CPU of another cell): a CPU
 * hotplug callback refuses them before the attempt.
 */
static cpumask_t held_cpus;
static int hotplug_state;

static int cpu_prepare(unsigned int cpu)
{
	if (!cpumask_test_cpu(cpu, &held_cpus))
		return 0;
	pr_err("warden: CPU %u belongs to a cell: destroy the cell first\n",
	       cpu);
	return -EBUSY;
}

int warden_cells_init(void)
{
	hotplug_state = cpuhp_setup_state_nocalls(
		CPUHP_BP_PREPARE_DYN, "warden:prepare", cpu_prepare, NULL);
	return hotplug_state < 0 ? hotplug_state : 0;
}

void warden_cells_exit(void)
{
	cpuhp_remove_state_nocalls(hotplug_state);
}

#define MAX_CELL_CONFIG (256 * 1024)
/* Images are copied through a window of this size at a time. */
#define LOAD_CHUNK (1024 * 1024)

static struct warden_cell *find_cell(const struct warden_cell_id __user *arg,
				     const char *what)
{
	struct warden_cell_id id;
	struct warden_cell *cell;

	if (copy_from_user(&id, arg, sizeof(id)))
		return ERR_PTR(-EFAULT);
	id.name[WARDEN_NAME_LEN - 1] = 0;
	list_for_each_entry(cell, &warden_cells, entry)
		if (id.id >= 0 ? cell->id == id.id :
				 !strcmp(cell->name, id.name))
			return cell->id == 0 ?
				       ERR_PTR(warden_refuse(
					       what, -EINVAL,
					       "\"%s\" is the root cell",
					       cell->name)) :
				       cell;
	if (id.id >= 0)
		return ERR_PTR(warden_refuse(what, -ENOENT,
					     "no cell with id %d", id.id));
	return ERR_PTR(
		warden_refuse(what, -ENOENT, "no cell named \"%s\"", id.name));
}

static struct warden_cell *new_cell(int id, const char *name)
{
	struct warden_cell *cell = kzalloc(sizeof(*cell), GFP_KERNEL);

	if (!cell)
		return NULL;
	cell->id = id;
	strscpy(cell->name, name, sizeof(cell->name));
	return cell;
}

static void free_cell(struct warden_cell *cell)
{
	list_del(&cell->entry);
	warden_sysfs_cell_del(cell); /* frees @cell with its kobject */
}

int warden_cells_add_root(const struct wd_system *sys)
{
	struct warden_cell *cell = new_cell(0, sys->root_cell.name);
	int err;

	if (!cell)
		return -ENOMEM;
	cpumask_copy(&cell->cpus, cpu_online_mask);
	list_add_tail(&cell->entry, &warden_cells);
	err = warden_sysfs_cell_add(cell);
	if (err)
		list_del(&cell->entry);
	return err;
}

void warden_cells_remove_all(void)
{
	struct warden_cell *cell, *tmp;

	list_for_each_entry_safe(cell, tmp, &warden_cells, entry)
		free_cell(cell);
}

size_t warden_cells_nonroot(void)
{
	struct warden_cell *cell;
	size_t n = 0;

	list_for_each_entry(cell, &warden_cells, entry)
		n += cell->id != 0;
	return n;
}

/* The cell's CPUs from its bitmap: each must be online in Linux now. */
static int cell_cpus(const struct wd_cell_desc *desc, cpumask_t *cpus)
{
	const u8 *set = wd_cell_cpu_set(desc);
	unsigned int cpu;

	cpumask_clear(cpus);
	for (cpu = 0; cpu < desc->cpu_set_size * 8; cpu++) {
		if (!(set[cpu / 8] & (1 << (cpu % 8))))
			continue;
		if (cpu >= nr_cpu_ids || !cpu_online(cpu))
			return warden_refuse(
				"cell create", -EBUSY,
				"CPU %u of \"%s\" is not online in Linux", cpu,
				desc->name);
		cpumask_set_cpu(cpu, cpus);
	}
	if (cpumask_empty(cpus))
		return warden_refuse("cell create", -EINVAL,
				     "\"%s\" has no CPU", desc->name);
	return 0;
}

/* A cell's RAM must not be Linux's: Linux would go on using it. */
static int cell_memory(const struct wd_cell_desc *desc)
{
	const struct wd_memory *mem = wd_cell_mem_regions(desc);
	u32 n;

	for (n = 0; n < desc->num_memory_regions; n++) {
		if (mem[n].flags &
		    (WD_MEM_IO | WD_MEM_COMM_REGION | WD_MEM_ROOTSHARED))
			continue;
		if (region_intersects(mem[n].phys_start, mem[n].size,
				      IORESOURCE_SYSTEM_RAM,
				      IORES_DESC_NONE) != REGION_DISJOINT)
			return warden_refuse(
				"cell create", -EBUSY,
				"cell region %u %#llx+%#llx is Linux's RAM (mem=, memmap=)",
				n, mem[n].phys_start, mem[n].size);
	}
	return 0;
}

static struct wd_cell_desc *fetch_cell(const struct warden_config __user *arg,
				       size_t *size)
{
	struct warden_config req;
	struct wd_cell_desc *desc;

	if (copy_from_user(&req, arg, sizeof(req)))
		return ERR_PTR(-EFAULT);
	if (req.size < sizeof(*desc) || req.size > MAX_CELL_CONFIG)
		return ERR_PTR(warden_refuse(
			"cell create", -EINVAL,
			"cell config size %u out of %zu..%u", req.size,
			sizeof(*desc), MAX_CELL_CONFIG));
	/* kmalloc: physically contiguous, as CELL_CREATE reads it by its
	 * physical address. */
	desc = kmalloc(req.size, GFP_KERNEL);
	if (!desc)
		return ERR_PTR(-ENOMEM);
	if (copy_from_user(desc, u64_to_user_ptr(req.address), req.size)) {
		kfree(desc);
		return ERR_PTR(-EFAULT);
	}
	*size = req.size;
	if (memcmp(desc->signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN) ||
	    desc->revision != WD_CONFIG_REVISION ||
	    wd_cell_config_size(desc) > req.size ||
	    strnlen(desc->name, sizeof(desc->name)) == sizeof(desc->name)) {
		kfree(desc);
		return ERR_PTR(warden_refuse("cell create", -EINVAL,
					     "not a cell config of revision %d",
					     WD_CONFIG_REVISION));
	}
	return desc;
}

/* The root cell's entry: its CPUs follow the cells'. */
static struct warden_cell *root_cell(void)
{
	struct warden_cell *cell;

	list_for_each_entry(cell, &warden_cells, entry)
		if (cell->id == 0)
			return cell;
	return NULL;
}

static void return_cpus(const cpumask_t *cpus)
{
	unsigned int cpu;
	int err;

	cpumask_andnot(&held_cpus, &held_cpus, cpus);
	for_each_cpu(cpu, cpus) {
		err = add_cpu(cpu);
		if (err)
			pr_err("warden: CPU %u did not come back online (%d)\n",
			       cpu, err);
	}
}

int warden_cell_create(const struct warden_config __user *arg)
{
	struct warden_cell *cell, *other;
	struct wd_cell_desc *desc;
	cpumask_t taken;
	unsigned int cpu;
	size_t size;
	long id;
	int err;

	desc = fetch_cell(arg, &size);
	if (IS_ERR(desc))
		return PTR_ERR(desc);
	list_for_each_entry(other, &warden_cells, entry)
		if (!strcmp(other->name, desc->name)) {
			err = warden_refuse("cell create", -EEXIST,
					    "a cell named \"%s\" exists",
					    desc->name);
			goto out_free;
		}
	err = cell_cpus(desc, &taken);
	if (!err)
		err = cell_memory(desc);
	if (err)
		goto out_free;
	cell = new_cell(-1, desc->name);
	if (!cell) {
		err = -ENOMEM;
		goto out_free;
	}
	cpumask_clear(&cell->cpus);
	for_each_cpu(cpu, &taken) {
		err = remove_cpu(cpu);
		if (err) {
			warden_refuse("cell create", err,
				      "Linux did not give up CPU %u", cpu);
			goto out_cpus;
		}
		cpumask_set_cpu(cpu, &cell->cpus);
		cpumask_set_cpu(cpu, &held_cpus);
	}
	id = warden_call(WD_HC_CELL_CREATE, virt_to_phys(desc), 0);
	if (id < 0) {
		err = warden_report("cell create", id);
		goto out_cpus;
	}
	cell->id = id;
	cell->config = desc;
	if (root_cell())
		cpumask_andnot(&root_cell()->cpus, &root_cell()->cpus,
			       &cell->cpus);
	cell->config_size = size;
	list_add_tail(&cell->entry, &warden_cells);
	err = warden_sysfs_cell_add(cell);
	if (err)
		list_del(&cell->entry);
	pr_info("warden: cell \"%s\" created, id %ld, CPUs %*pbl\n", cell->name,
		id, cpumask_pr_args(&cell->cpus));
	return err ?: (int)id;

out_cpus:
	return_cpus(&cell->cpus);
	kfree(cell);
out_free:
	kfree(desc);
	return err;
}

/* The physical address of @size bytes at cell address @target in a
 * loadable region, or 0. */
static phys_addr_t load_target(const struct warden_cell *cell, u64 target,
			       u64 size)
{
	const struct wd_memory *mem = wd_cell_mem_regions(cell->config);
	u32 n;

	for (n = 0; n < cell->config->num_memory_regions; n++)
		if (mem[n].flags & WD_MEM_LOADABLE &&
		    target >= mem[n].virt_start && size <= mem[n].size &&
		    target - mem[n].virt_start <= mem[n].size - size)
			return mem[n].phys_start + (target - mem[n].virt_start);
	return 0;
}

static int load_image(const struct warden_cell *cell,
		      const struct warden_image *img)
{
	const char __user *src = u64_to_user_ptr(img->source);
	phys_addr_t dst = load_target(cell, img->target, img->size);
	u64 done;
	int err = 0;

	if (!dst || !img->size)
		return warden_refuse(
			"cell load", -EINVAL,
			"%#llx+%#llx is not in a loadable region of \"%s\"",
			img->target, img->size, cell->name);
	for (done = 0; done < img->size && !err; done += LOAD_CHUNK) {
		size_t n = min_t(u64, LOAD_CHUNK, img->size - done);
		void *map = memremap(dst + done, n, MEMREMAP_WC);

		if (!map)
			return warden_refuse("cell load", -ENOMEM,
					     "cannot map %#llx",
					     (u64)(dst + done));
		if (copy_from_user(map, src + done, n))
			err = -EFAULT;
		memunmap(map);
	}
	return err;
}

int warden_cell_load(struct warden_cell_load __user *arg)
{
	struct warden_image img;
	struct warden_cell *cell;
	u32 num, n;
	long r;
	int err;

	cell = find_cell(&arg->cell, "cell load");
	if (IS_ERR(cell))
		return PTR_ERR(cell);
	if (get_user(num, &arg->num_images))
		return -EFAULT;
	if (num > WARDEN_MAX_IMAGES)
		return warden_refuse("cell load", -E2BIG,
				     "%u images, at most %d", num,
				     WARDEN_MAX_IMAGES);
	r = warden_call(WD_HC_CELL_SET_LOADABLE, cell->id, 0);
	if (r < 0)
		return warden_report("cell load", r);
	for (n = 0; n < num; n++) {
		if (copy_from_user(&img, &arg->image[n], sizeof(img)))
			return -EFAULT;
		err = load_image(cell, &img);
		if (err)
			return err;
	}
	pr_info("warden: cell \"%s\": %u images loaded\n", cell->name, num);
	return 0;
}

static int cell_call(const struct warden_cell_id __user *arg,
		     unsigned long code, const char *what)
{
	struct warden_cell *cell = find_cell(arg, what);
	long r;

	if (IS_ERR(cell))
		return PTR_ERR(cell);
	r = warden_call(code, cell->id, 0);
	if (r < 0)
		return warden_report(what, r);
	pr_info("warden: %s \"%s\"\n", what, cell->name);
	return 0;
}

int warden_cell_start(const struct warden_cell_id __user *arg)
{
	return cell_call(arg, WD_HC_CELL_START, "cell start");
}

/* Jailhouse's shutdown: the cell stops and its memory is the root's to
 * load again. */
int warden_cell_shutdown(const struct warden_cell_id __user *arg)
{
	return cell_call(arg, WD_HC_CELL_SET_LOADABLE, "cell shutdown");
}

int warden_cell_destroy(const struct warden_cell_id __user *arg)
{
	struct warden_cell *cell = find_cell(arg, "cell destroy");
	cpumask_t cpus;
	long r;

	if (IS_ERR(cell))
		return PTR_ERR(cell);
	r = warden_call(WD_HC_CELL_DESTROY, cell->id, 0);
	if (r < 0)
		return warden_report("cell destroy", r);
	pr_info("warden: cell \"%s\" destroyed\n", cell->name);
	cpumask_copy(&cpus, &cell->cpus);
	kfree(cell->config);
	free_cell(cell);
	if (root_cell())
		cpumask_or(&root_cell()->cpus, &root_cell()->cpus, &cpus);
	return_cpus(&cpus);
	return 0;
}
