/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warden's Linux driver: what its parts share. main.c (device, ENABLE,
 * DISABLE, reasons), cell.c (cells and their CPUs and memory), sysfs.c
 * (/sys/devices/warden), and one arch file (arm.c; x86 adds its own)
 * behind the few hooks below.
 */
#ifndef WARDEN_DRV_H
#define WARDEN_DRV_H

#include <linux/cpumask.h>
#include <linux/kobject.h>
#include <linux/list.h>
#include <linux/mutex.h>
#include <linux/types.h>

#include <warden/cell_config.h>
#include <warden/driver.h>
#include <warden/hv_header.h>
#include <warden/hypercall.h>

struct warden_cell {
	struct list_head entry;
	struct kobject kobj;
	int id;
	char name[WD_CELL_NAME_MAXLEN + 1];
	cpumask_t cpus;
	struct wd_cell_desc *config; /* the copy given to CELL_CREATE */
	size_t config_size;
};

/* Serializes every request and the cell list. */
extern struct mutex warden_lock;
extern bool warden_enabled;
extern struct list_head warden_cells;

/* --- arch hooks (arm.c) --- */
/* The firmware file and the header's arch value of this architecture. */
extern const char *const warden_arch_firmware;
extern const u32 warden_arch_hv;
/* Map hypervisor memory for the copy; NULL on failure. */
void *warden_arch_map(phys_addr_t start, size_t size);
/* On this CPU (IRQs off, called through on_each_cpu): enter the
 * hypervisor at physical @entry; 0 or a negative errno. */
int warden_arch_enter(phys_addr_t entry);
/* A hypercall on this CPU; the hypervisor's result. */
long warden_arch_call(unsigned long code, unsigned long arg1,
		      unsigned long arg2);

/* --- main.c --- */
/* A hypercall of the root cell on whichever of its CPUs this task runs,
 * kept on that CPU for the call; the hypervisor's result. */
long warden_call(unsigned long code, unsigned long arg1, unsigned long arg2);
/* Fetch the reason of the last refused hypercall of the root cell, print
 * it ("warden: @what: <reason>") and keep it for WARDEN_LAST_REASON;
 * returns @err. */
int warden_report(const char *what, int err);
/* The token of a reason code (include/warden/reason.h), or "unknown". */
const char *warden_reason_name(u32 code);
/* Record a refusal of the driver itself (no hypervisor reason). */
__printf(3, 4) int warden_refuse(const char *what, int err, const char *fmt,
				 ...);

/* --- cell.c --- */
int warden_cell_create(const struct warden_config __user *arg);
int warden_cell_load(struct warden_cell_load __user *arg);
int warden_cell_start(const struct warden_cell_id __user *arg);
int warden_cell_shutdown(const struct warden_cell_id __user *arg);
int warden_cell_destroy(const struct warden_cell_id __user *arg);
int warden_cells_init(void);
void warden_cells_exit(void);
int warden_cells_add_root(const struct wd_system *sys);
void warden_cells_remove_all(void);
size_t warden_cells_nonroot(void);

/* --- sysfs.c --- */
int warden_sysfs_init(void);
void warden_sysfs_exit(void);
int warden_sysfs_cell_add(struct warden_cell *cell);
void warden_sysfs_cell_del(struct warden_cell *cell);
/* Map the console ring @hdr names in hypervisor memory (none: no file
 * content), after an enable; unmaps the previous one. */
void warden_console_map(phys_addr_t hv_start, u64 hv_size,
			const struct wd_hv_header *hdr);

#endif /* !WARDEN_DRV_H */
