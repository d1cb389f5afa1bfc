/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's state of a cell and of a CPU. Private to core/: only the core
 * (through core.h) and the core's own unit tests include this; backends
 * and the simulator use the accessors of hal/core.h (the layering check
 * of the build refuses an include from anywhere else).
 */
#ifndef WARDEN_CORE_STATE_H
#define WARDEN_CORE_STATE_H

#include "../hal/core.h"

/* A cell's emulated MMIO ranges, sorted by start (mmio.c). */
struct mmio_region {
	uint64_t start;
	uint64_t size;
	mmio_handler_t handler;
	void *arg;
};

struct mmio_table {
	unsigned int max;
	unsigned int num;
	uint32_t seq;
	unsigned int pages;
	struct mmio_region region[];
};

/*
 * A cell. The core owns every field but 'arch', which belongs to the
 * backend (core_cell_set_arch() in hal_cell_create/hal_cell_destroy).
 */
struct cell {
	unsigned int id;
	bool in_use;
	/* The hypervisor's own copy of the config: never the root cell's. */
	struct wd_cell_desc *config;
	uint64_t config_size;
	struct cpu_set cpus;
	/* Comm region page (hypervisor memory), mapped into the cell. */
	struct wd_comm_region *comm;
	bool loadable; /* LOADABLE regions currently mapped to root */
	unsigned int mapped_regions; /* memory regions set up so far */
	uint32_t fail_reason;	     /* why the cell went FAILED, if it did */
	uint64_t fail_item;
	struct wd_reason_record last_reason; /* last rejected hypercall */
	struct mmio_table *mmio;
	uint8_t *pio_bitmap; /* 8 KiB, a set bit denies the port */
	uint32_t pci_addr;   /* PCI address port 0xcf8 as the cell wrote it */
	struct pci_dev_state *pci;
	unsigned int num_pci;
	void *arch;
};

/* Per-CPU state, indexed by CPU id. */
struct per_cpu {
	unsigned int id;
	bool online;	/* brought up at enable */
	bool parked;	/* stopped by the hypervisor */
	bool failed;	/* parked because its cell faulted */
	bool suspended; /* held by hal_cpu_suspend() during management */
	bool lost;	/* did not answer a park or suspend request: never
			 * reset, started, waited for or given to a cell again */
	struct cell *cell;
	uint64_t stats[WD_CPU_STATS];
};

#endif /* !WARDEN_CORE_STATE_H */
