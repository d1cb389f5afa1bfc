// SPDX-License-Identifier: GPL-2.0
/*
 * warden's Linux driver: /dev/warden, ENABLE (late launch: the running
 * Linux becomes the root cell), DISABLE, and the reasons of refusals.
 * See docs/linux.md.
 */
#include <linux/cpu.h>
#include <linux/firmware.h>
#include <linux/fs.h>
#include <linux/io.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/miscdevice.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/uaccess.h>
#include <linux/vmalloc.h>
#include <asm/unaligned.h>

#include <warden/reason.h>

#include "warden.h"

DEFINE_MUTEX(warden_lock);
static struct miscdevice warden_misc;
bool warden_enabled;

/* The largest system config accepted (the hypervisor checks it again). */
#define MAX_SYSTEM_CONFIG (64 * 1024)

static struct wd_reason_record last_reason;
static int entry_result[NR_CPUS];
static long disable_result[NR_CPUS];

int warden_refuse(const char *what, int err, const char *fmt, ...)
{
	va_list ap;

	memset(&last_reason, 0, sizeof(last_reason));
	last_reason.cpu = ~0u;
	va_start(ap, fmt);
	vsnprintf(last_reason.text, sizeof(last_reason.text), fmt, ap);
	va_end(ap);
	pr_err("warden: %s: %s (%d)\n", what, last_reason.text, err);
	return err;
}

long warden_call(unsigned long code, unsigned long arg1, unsigned long arg2)
{
	long r;

	preempt_disable();
	r = warden_arch_call(code, arg1, arg2);
	preempt_enable();
	return r;
}

int warden_report(const char *what, int err)
{
	long r;

	memset(&last_reason, 0, sizeof(last_reason));
	/* The record is the root cell's: any of its CPUs may ask. The
	 * record is in Linux's RAM, identity-mapped for the root cell. */
	r = warden_call(WD_HC_GET_REASON, 0, virt_to_phys(&last_reason));
	if (r < 0)
		return warden_refuse(
			what, err, "hypervisor gave no reason (GET_REASON %ld)",
			r);
	last_reason.text[WD_REASON_TEXT_LEN - 1] = 0;
	pr_err("warden: %s: reason %u, item %#llx, cpu %d: %s (%d)\n", what,
	       last_reason.code, (unsigned long long)last_reason.item,
	       (int)last_reason.cpu, last_reason.text, err);
	return err;
}

/* The first online CPU that entered the hypervisor, or nr_cpu_ids. */
static unsigned int cpumask_first_zero_result(void)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) if (!entry_result[cpu]) return cpu;
	return nr_cpu_ids;
}

#define REASON_NAME(code, name, text) [code] = #name,
static const char *const reason_names[] = { WD_REASONS(REASON_NAME) };

const char *warden_reason_name(u32 code)
{
	return code < ARRAY_SIZE(reason_names) && reason_names[code] ?
		       reason_names[code] :
		       "unknown";
}

/* A launch that failed leaves its reason in the header (reserved bytes
 * 0-3: code, 4-7: item), since no hypervisor remains to be asked. */
static int launch_reason(const struct wd_hv_header *hdr, int err)
{
	u32 code = get_unaligned_le32(hdr->reserved);
	u32 item = get_unaligned_le32(hdr->reserved + 4);
	const char *name = warden_reason_name(code);

	warden_refuse("enable", err, "launch refused: %s", name);
	last_reason.code = code;
	last_reason.item = item;
	return err;
}

static void enter_cpu(void *info)
{
	entry_result[smp_processor_id()] =
		warden_arch_enter(*(phys_addr_t *)info);
}

static void disable_cpu(void *info)
{
	unsigned int cpu = smp_processor_id();

	/* Only the CPUs that entered leave. */
	if (entry_result[cpu] == 0)
		disable_result[cpu] = warden_arch_call(WD_HC_DISABLE, 0, 0);
	else
		disable_result[cpu] = 0;
}

static struct wd_system *fetch_system(const struct warden_config __user *arg,
				      struct warden_config *req)
{
	struct wd_system *sys;

	if (copy_from_user(req, arg, sizeof(*req)))
		return ERR_PTR(-EFAULT);
	if (req->size < sizeof(*sys) || req->size > MAX_SYSTEM_CONFIG)
		return ERR_PTR(warden_refuse(
			"enable", -EINVAL,
			"system config size %u out of %zu..%u", req->size,
			sizeof(*sys), MAX_SYSTEM_CONFIG));
	sys = vmemdup_user(u64_to_user_ptr(req->address), req->size);
	if (IS_ERR(sys))
		return sys;
	if (memcmp(sys->signature, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN) ||
	    sys->revision != WD_CONFIG_REVISION) {
		kvfree(sys);
		return ERR_PTR(warden_refuse(
			"enable", -EINVAL, "not a system config of revision %d",
			WD_CONFIG_REVISION));
	}
	return sys;
}

/* Hypervisor memory must be outside Linux's RAM: mem=/memmap= leave it. */
static int check_hv_memory(const struct wd_system *sys,
			   const struct wd_hv_header *hdr, size_t cfg_size)
{
	u64 start = sys->hypervisor_memory.phys_start;
	u64 size = sys->hypervisor_memory.size;
	u64 need = PAGE_ALIGN(hdr->memory_size) + cfg_size;

	if (hdr->entry_offset < sizeof(*hdr) ||
	    hdr->entry_offset >= hdr->image_size ||
	    hdr->image_size > hdr->memory_size)
		return warden_refuse(
			"enable", -ENOEXEC,
			"%s: header inconsistent (entry %#x, image %#x, memory %#x)",
			warden_arch_firmware, hdr->entry_offset,
			hdr->image_size, hdr->memory_size);
	if (need > size)
		return warden_refuse(
			"enable", -ENOMEM,
			"hypervisor memory %#llx bytes, image and config need %#llx",
			size, need);
	if (start & ~PAGE_MASK ||
	    region_intersects(start, size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT)
		return warden_refuse(
			"enable", -EBUSY,
			"hypervisor memory %#llx+%#llx is Linux's RAM (mem=, memmap=)",
			start, size);
	if (num_online_cpus() > hdr->max_cpus)
		return warden_refuse("enable", -E2BIG,
				     "%u CPUs online, the image supports %u",
				     num_online_cpus(), hdr->max_cpus);
	return 0;
}

static int enable(const struct warden_config __user *arg)
{
	const struct firmware *fw;
	struct warden_config req;
	struct wd_hv_header *hdr, head;
	struct wd_system *sys;
	phys_addr_t entry;
	unsigned int cpu;
	void *hv;
	unsigned int online;
	int err, failed = 0;

	if (warden_enabled)
		return warden_refuse("enable", -EBUSY, "already enabled");
	sys = fetch_system(arg, &req);
	if (IS_ERR(sys))
		return PTR_ERR(sys);
	err = request_firmware(&fw, warden_arch_firmware,
			       warden_misc.this_device);
	if (err) {
		warden_refuse("enable", err, "firmware %s not found",
			      warden_arch_firmware);
		goto out_sys;
	}
	hdr = (struct wd_hv_header *)fw->data;
	if (fw->size < sizeof(*hdr) ||
	    memcmp(hdr->signature, WD_HV_SIGNATURE, WD_HV_SIGNATURE_LEN) ||
	    hdr->revision != WD_HV_REVISION || hdr->arch != warden_arch_hv) {
		err = warden_refuse(
			"enable", -ENOEXEC,
			"%s is not a warden image of revision %d for this architecture",
			warden_arch_firmware, WD_HV_REVISION);
		goto out_fw;
	}
	if (fw->size != hdr->image_size) {
		err = warden_refuse("enable", -ENOEXEC,
				    "%s: %zu bytes, its header says %u",
				    warden_arch_firmware, fw->size,
				    hdr->image_size);
		goto out_fw;
	}
	err = check_hv_memory(sys, hdr, req.size);
	if (err)
		goto out_fw;

	hv = warden_arch_map(sys->hypervisor_memory.phys_start,
			     sys->hypervisor_memory.size);
	if (!hv) {
		err = warden_refuse("enable", -ENOMEM,
				    "cannot map hypervisor memory");
		goto out_fw;
	}
	memcpy(hv, fw->data, fw->size);
	memset(hv + fw->size, 0, sys->hypervisor_memory.size - fw->size);
	hdr = hv;
	hdr->config_offset = PAGE_ALIGN(hdr->memory_size);
	hdr->config_size = req.size;
	memcpy(hv + hdr->config_offset, sys, req.size);
	entry = sys->hypervisor_memory.phys_start + hdr->entry_offset;

	/* The header as written: once the CPUs entered, the hypervisor
	 * memory is not Linux's to read (but for the console ring). */
	head = *hdr;
	cpus_read_lock();
	online = num_online_cpus();
	hdr->online_cpus = online;
	wmb();
	/* From here on the hypervisor memory is not Linux's to touch, unless
	 * no CPU entered. */
	on_each_cpu(enter_cpu, &entry, 1);
	for_each_online_cpu(cpu) if (entry_result[cpu]) failed++;
	if (failed) {
		err = -EIO;
		for_each_online_cpu(cpu) if (entry_result[cpu] < 0)
			err = entry_result[cpu];
		pr_err("warden: enable: %d of %u CPUs failed to enter\n",
		       failed, online);
		/* The CPUs that entered leave again; then the hypervisor
		 * memory is Linux's to read and holds the failing CPU's
		 * reason. */
		if (cpumask_first_zero_result() < nr_cpu_ids)
			on_each_cpu(disable_cpu, NULL, 1);
		launch_reason(hdr, err);
		memset(entry_result, 0, sizeof(entry_result));
		cpus_read_unlock();
		goto out_unmap;
	}
	cpus_read_unlock();
	warden_console_map(sys->hypervisor_memory.phys_start,
			   sys->hypervisor_memory.size, &head);
	warden_enabled = true;
	__module_get(THIS_MODULE); /* no unload while the hypervisor runs */
	err = warden_cells_add_root(sys);
	pr_info("warden: enabled on %u CPUs, root cell \"%s\"\n", online,
		sys->root_cell.name);
out_unmap:
	memunmap(hv);
out_fw:
	release_firmware(fw);
out_sys:
	kvfree(sys);
	return err;
}

static int disable(void)
{
	unsigned int cpu;
	int err = 0;

	if (!warden_enabled)
		return warden_refuse("disable", -EINVAL, "not enabled");
	if (warden_cells_nonroot())
		return warden_refuse("disable", -EBUSY,
				     "%zu cells exist: destroy them first",
				     warden_cells_nonroot());
	cpus_read_lock();
	on_each_cpu(disable_cpu, NULL, 1);
	for_each_online_cpu(cpu) if (disable_result[cpu] < 0 && !err)
	{
		err = warden_report("disable", disable_result[cpu]);
	}
	if (!err) {
		memset(entry_result, 0, sizeof(entry_result));
		warden_enabled = false;
		warden_cells_remove_all();
		module_put(THIS_MODULE);
		pr_info("warden: disabled\n");
	}
	cpus_read_unlock();
	return err;
}

static long warden_ioctl(struct file *file, unsigned int ioctl,
			 unsigned long arg)
{
	void __user *uarg = (void __user *)arg;
	long err;

	mutex_lock(&warden_lock);
	if (ioctl != WARDEN_ENABLE && ioctl != WARDEN_LAST_REASON &&
	    !warden_enabled) {
		err = warden_refuse("ioctl", -ENODEV, "warden is not enabled");
		goto out;
	}
	switch (ioctl) {
	case WARDEN_ENABLE:
		err = enable(uarg);
		break;
	case WARDEN_DISABLE:
		err = disable();
		break;
	case WARDEN_CELL_CREATE:
		err = warden_cell_create(uarg);
		break;
	case WARDEN_CELL_LOAD:
		err = warden_cell_load(uarg);
		break;
	case WARDEN_CELL_START:
		err = warden_cell_start(uarg);
		break;
	case WARDEN_CELL_SHUTDOWN:
		err = warden_cell_shutdown(uarg);
		break;
	case WARDEN_CELL_DESTROY:
		err = warden_cell_destroy(uarg);
		break;
	case WARDEN_LAST_REASON:
		err = copy_to_user(uarg, &last_reason, sizeof(last_reason)) ?
			      -EFAULT :
			      0;
		break;
	default:
		err = -ENOTTY;
	}
out:
	mutex_unlock(&warden_lock);
	return err;
}

static const struct file_operations warden_fops = {
	.owner = THIS_MODULE,
	.unlocked_ioctl = warden_ioctl,
	.compat_ioctl = warden_ioctl,
	.llseek = noop_llseek,
};

static struct miscdevice warden_misc = {
	.minor = MISC_DYNAMIC_MINOR,
	.name = "warden",
	.fops = &warden_fops,
};

static int __init warden_init(void)
{
	int err;

	BUILD_BUG_ON(sizeof(struct wd_reason_record) != WARDEN_REASON_SIZE);
	err = warden_cells_init();
	if (err)
		return err;
	err = warden_sysfs_init();
	if (err)
		goto out_cells;
	err = misc_register(&warden_misc);
	if (err)
		goto out_sysfs;
	return 0;
out_sysfs:
	warden_sysfs_exit();
out_cells:
	warden_cells_exit();
	return err;
}

static void __exit warden_exit(void)
{
	misc_deregister(&warden_misc);
	warden_sysfs_exit();
	warden_cells_exit();
}

module_init(warden_init);
module_exit(warden_exit);
MODULE_DESCRIPTION("warden partitioning hypervisor: root-cell driver");
MODULE_LICENSE("GPL");
