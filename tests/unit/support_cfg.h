/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test support: build binary configs field by field (so each test can break
 * exactly one rule) and run the core on the simulator backend.
 */
#ifndef WARDEN_TEST_SUPPORT_CFG_H
#define WARDEN_TEST_SUPPORT_CFG_H

#include <stddef.h>
#include <stdint.h>

#include "../../hal/observe.h"
#include "../../sim/sim.h"

#define CFG_MAX_MEM 300
#define CFG_MAX_IRQ 20
#define CFG_MAX_PIO 160
#define CFG_MAX_PCI 300
#define CFG_MAX_CAPS 1100

struct cfg {
	bool system;
	struct wd_system sys;	  /* system header; sys.root_cell for root */
	struct wd_cell_desc cell; /* cell header (non-root configs) */
	uint64_t cpus;
	uint32_t cpu_set_size;
	struct wd_memory mem[CFG_MAX_MEM];
	unsigned int nmem;
	struct wd_irqchip irq[CFG_MAX_IRQ];
	unsigned int nirq;
	struct wd_pio pio[CFG_MAX_PIO];
	unsigned int npio;
	struct wd_pci_device pci[CFG_MAX_PCI];
	unsigned int npci;
	struct wd_pci_capability caps[CFG_MAX_CAPS];
	unsigned int ncaps;
};

/* The test machine (x86 flavour): RAM 0..256 MiB, hypervisor at 240 MiB. */
#define T_RAM_SIZE 0x10000000ULL
#define T_HV_BASE 0x0f000000ULL
#define T_HV_SIZE 0x01000000ULL
#define T_CPUS 4
#define T_DEV_PAGE 0xfed00000ULL /* root device page */
#define T_SUBPAGE 0xfed01000ULL	 /* root sub-page device, 8/32-bit */
#define T_ECAM 0xe0000000ULL
#define T_IOAPIC 0xfec00000ULL
#define T_BDF_ROOT 0x0008 /* 00:01.0 stays with root */
#define T_BDF_NIC 0x0010  /* 00:02.0 goes to "tiny" */
#define T_TINY_PHYS 0x0e000000ULL
#define T_ATTACK_PHYS 0x0e100000ULL
#define T_COMM_VIRT 0x00100000ULL
#define T_CFG_GPA 0x00200000ULL /* where tests put cell configs */

/* Default system: root "root" on CPUs 0-3 with RAM, devices, ports, pins. */
void cfg_system(struct cfg *c);
/* Default cell "tiny": CPU 2, 1 MiB RAM, comm region, port 0x2f8, pin 5,
 * PCI 00:02.0 with an MSI capability (writable) and PM (read-only). */
void cfg_tiny(struct cfg *c);
/* Default cell "attack": CPU 3, 1 MiB RAM, comm region, nothing else. */
void cfg_attack(struct cfg *c);

void cfg_add_mem(struct cfg *c, uint64_t phys, uint64_t virt, uint64_t size,
		 uint64_t flags);
void cfg_add_pio(struct cfg *c, uint16_t base, uint16_t len);
void cfg_add_irqchip(struct cfg *c, uint64_t addr, uint32_t base,
		     const unsigned int *pins, unsigned int npins);
void cfg_add_pci(struct cfg *c, uint16_t bdf, unsigned int first_cap,
		 unsigned int ncaps);
void cfg_add_cap(struct cfg *c, uint16_t id, uint16_t start, uint16_t len,
		 uint16_t flags);

/* Serialize to @out; returns the size. Aborts if @max is too small. */
size_t cfg_build(const struct cfg *c, void *out, size_t max);

/* ---- running the core on the sim ---- */

/* Fresh machine + enable with @sys (NULL: default). Returns core's result. */
int fx_enable(const struct cfg *sys);
/* Fresh machine, enable with a raw buffer. */
int fx_enable_raw(const void *buf, size_t len);
void fx_teardown(void);
/* Write @c serialized into physical memory at @gpa (root RAM is 1:1). */
size_t fx_put(const struct cfg *c, uint64_t gpa);
/* Hypercall on @cpu, from the guest's kernel; hc_user: its user mode. */
long hc(unsigned int cpu, unsigned long code, unsigned long a1,
	unsigned long a2);
long hc_user(unsigned int cpu, unsigned long code, unsigned long a1,
	     unsigned long a2);
/* Create a cell from @c placed at T_CFG_GPA (from CPU 0). */
long fx_create(const struct cfg *c);
/* Create, set loadable and start "tiny"; returns its id. */
long fx_tiny_running(void);
/* Comm region of cell @id. */
struct wd_comm_region *fx_comm(unsigned int id);
/* Reason code/item last recorded for cell @id. */
unsigned int fx_reason(unsigned int id);
uint64_t fx_item(unsigned int id);
/* Accesses from @cpu. */
enum access_result fx_mmio(unsigned int cpu, bool write, uint64_t addr,
			   unsigned int size, uint64_t *val);
enum access_result fx_pio(unsigned int cpu, bool write, uint16_t port,
			  unsigned int size, uint32_t *val);
/* Automatic reply of a cell to comm region messages (0 = silent). */
void fx_respond(unsigned int cell_id, uint32_t reply);

#endif
