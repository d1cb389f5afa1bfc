// SPDX-License-Identifier: GPL-2.0
/*
 * warden's Linux driver: /sys/devices/warden/ (Jailhouse's layout):
 *   enabled                     1 while the hypervisor runs
 *   cells/<name>/id             the hypervisor's cell id
 *   cells/<name>/state          running, running/locked, shut down, failed...
 *   cells/<name>/cpus           the cell's CPUs, as a list (0-1,3)
 *   cells/<name>/statistics     one "counter value" line per counter, the
 *                               sum over the cell's CPUs
 *   cells/<name>/reason         the cell's last refusal (GET_REASON):
 *                               "CODE NAME item ITEM cpu CPU: TEXT"
 *   console                     the hypervisor's console ring (struct
 *                               wd_hv_console): the file offset is the
 *                               byte of its output since enable; what
 *                               the ring no longer holds reads as NUL
 * The show functions call the hypervisor without warden_lock: removing a
 * cell's directory waits for them, under that lock.
 */
#include <linux/device.h>
#include <linux/io.h>
#include <linux/slab.h>
#include <linux/smp.h>

#include "warden.h"

static struct device *warden_dev;
static struct kobject *cells_dir;
static DEFINE_MUTEX(console_lock);

static const char *const stat_names[WD_CPU_STATS] = {
	[WD_CPU_STAT_VMEXITS_TOTAL] = "vmexits_total",
	[WD_CPU_STAT_VMEXITS_MMIO] = "vmexits_mmio",
	[WD_CPU_STAT_VMEXITS_MANAGEMENT] = "vmexits_management",
	[WD_CPU_STAT_VMEXITS_HYPERCALL] = "vmexits_hypercall",
	[WD_CPU_STAT_VMEXITS_PIO] = "vmexits_pio",
	[WD_CPU_STAT_VMEXITS_PCI] = "vmexits_pci",
	[WD_CPU_STAT_VMEXITS_IRQCHIP] = "vmexits_irqchip",
	[WD_CPU_STAT_VMEXITS_PLATFORM] = "vmexits_platform",
	[WD_CPU_STAT_VMEXITS_DENIED] = "vmexits_denied",
	[WD_CPU_STAT_DMA_FAULTS] = "dma_faults",
};

static const char *const state_names[] = {
	[WD_CELL_RUNNING] = "running",
	[WD_CELL_RUNNING_LOCKED] = "running/locked",
	[WD_CELL_SHUT_DOWN] = "shut down",
	[WD_CELL_FAILED] = "failed",
	[WD_CELL_FAILED_COMM_REV] = "failed/comm revision",
};

#define to_cell(k) container_of(k, struct warden_cell, kobj)

static ssize_t id_show(struct kobject *kobj, struct kobj_attribute *attr,
		       char *buf)
{
	return sysfs_emit(buf, "%d\n", to_cell(kobj)->id);
}

static ssize_t state_show(struct kobject *kobj, struct kobj_attribute *attr,
			  char *buf)
{
	long s = warden_call(WD_HC_CELL_GET_STATE, to_cell(kobj)->id, 0);

	if (s >= 0 && s < ARRAY_SIZE(state_names))
		return sysfs_emit(buf, "%s\n", state_names[s]);
	return sysfs_emit(buf, "unknown (%ld)\n", s);
}

static ssize_t cpus_show(struct kobject *kobj, struct kobj_attribute *attr,
			 char *buf)
{
	return sysfs_emit(buf, "%*pbl\n",
			  cpumask_pr_args(&to_cell(kobj)->cpus));
}

static ssize_t statistics_show(struct kobject *kobj,
			       struct kobj_attribute *attr, char *buf)
{
	struct warden_cell *cell = to_cell(kobj);
	unsigned int cpu, n;
	ssize_t len = 0;

	for (n = 0; n < WD_CPU_STATS; n++) {
		unsigned long long sum = 0;

		for_each_cpu(cpu, &cell->cpus) {
			long v = warden_call(WD_HC_CPU_GET_INFO, cpu,
					     WD_CPU_INFO_STAT_BASE + n);

			if (v > 0)
				sum += v;
		}
		len += sysfs_emit_at(buf, len, "%s %llu\n", stat_names[n], sum);
	}
	return len;
}

static ssize_t reason_show(struct kobject *kobj, struct kobj_attribute *attr,
			   char *buf)
{
	struct wd_reason_record *rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	ssize_t len;
	long r;

	if (!rec)
		return -ENOMEM;
	/* The record is written to Linux's RAM by its physical address. */
	r = warden_call(WD_HC_GET_REASON, to_cell(kobj)->id, virt_to_phys(rec));
	rec->text[WD_REASON_TEXT_LEN - 1] = 0;
	if (r < 0)
		len = sysfs_emit(buf, "unavailable (%ld)\n", r);
	else
		len = sysfs_emit(buf, "%u %s item %#llx cpu %d: %s\n",
				 rec->code, warden_reason_name(rec->code),
				 (unsigned long long)rec->item, (int)rec->cpu,
				 rec->text);
	kfree(rec);
	return len;
}

static struct kobj_attribute id_attr = __ATTR_RO(id);
static struct kobj_attribute reason_attr = __ATTR_RO(reason);
static struct kobj_attribute state_attr = __ATTR_RO(state);
static struct kobj_attribute cpus_attr = __ATTR_RO(cpus);
static struct kobj_attribute statistics_attr = __ATTR_RO(statistics);

static struct attribute *cell_attrs[] = {
	&id_attr.attr,	       &state_attr.attr,  &cpus_attr.attr,
	&statistics_attr.attr, &reason_attr.attr, NULL,
};
ATTRIBUTE_GROUPS(cell);

static void cell_release(struct kobject *kobj)
{
	kfree(to_cell(kobj));
}

static struct kobj_type cell_type = {
	.release = cell_release,
	.sysfs_ops = &kobj_sysfs_ops,
	.default_groups = cell_groups,
};

int warden_sysfs_cell_add(struct warden_cell *cell)
{
	int err = kobject_init_and_add(&cell->kobj, &cell_type, cells_dir, "%s",
				       cell->name);

	if (err)
		kobject_put(&cell->kobj);
	return err;
}

void warden_sysfs_cell_del(struct warden_cell *cell)
{
	kobject_put(&cell->kobj);
}

/*
 * The ring, mapped from the enable that found one in its image's header
 * until the next enable or the module's end: after DISABLE it still holds
 * the hypervisor's last lines. Its pages stay outside Linux's RAM (mem=,
 * memmap=), read-only for the root cell while warden runs.
 */
static struct wd_hv_console *console;

void warden_console_map(phys_addr_t hv_start, u64 hv_size,
			const struct wd_hv_header *hdr)
{
	mutex_lock(&console_lock);
	if (console)
		memunmap(console);
	console = NULL;
	if (hdr->console_size == sizeof(*console) &&
	    !(hdr->console_offset % PAGE_SIZE) &&
	    (u64)hdr->console_offset + hdr->console_size <= hv_size)
		console = memremap(hv_start + hdr->console_offset,
				   sizeof(*console), MEMREMAP_WB);
	mutex_unlock(&console_lock);
}

static ssize_t console_read(struct file *file, struct kobject *kobj,
			    struct bin_attribute *attr, char *buf, loff_t pos,
			    size_t count)
{
	ssize_t n = 0;

	mutex_lock(&console_lock);
	if (console && pos >= 0 && pos <= U32_MAX)
		n = wd_hv_console_read(console, (u32)pos, buf,
				       min_t(size_t, count, U32_MAX));
	mutex_unlock(&console_lock);
	return n;
}
static BIN_ATTR_RO(console, 0);

static ssize_t enabled_show(struct device *dev, struct device_attribute *attr,
			    char *buf)
{
	return sysfs_emit(buf, "%d\n", warden_enabled);
}
static DEVICE_ATTR_RO(enabled);

int warden_sysfs_init(void)
{
	int err;

	warden_dev = root_device_register("warden");
	if (IS_ERR(warden_dev))
		return PTR_ERR(warden_dev);
	err = device_create_file(warden_dev, &dev_attr_enabled);
	if (err)
		goto out_dev;
	err = device_create_bin_file(warden_dev, &bin_attr_console);
	if (err)
		goto out_file;
	cells_dir = kobject_create_and_add("cells", &warden_dev->kobj);
	if (!cells_dir) {
		err = -ENOMEM;
		goto out_console;
	}
	return 0;
out_console:
	device_remove_bin_file(warden_dev, &bin_attr_console);
out_file:
	device_remove_file(warden_dev, &dev_attr_enabled);
out_dev:
	root_device_unregister(warden_dev);
	return err;
}

void warden_sysfs_exit(void)
{
	kobject_put(cells_dir);
	device_remove_bin_file(warden_dev, &bin_attr_console);
	if (console)
		memunmap(console);
	device_remove_file(warden_dev, &dev_attr_enabled);
	root_device_unregister(warden_dev);
}
