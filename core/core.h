/* SPDX-License-Identifier: GPL-2.0 */
/* Internal interfaces between the core's modules. */
#ifndef WARDEN_CORE_CORE_H
#define WARDEN_CORE_CORE_H

#include "../hal/core.h"
#include "../hal/hal.h"
#include "lib.h"
#include "reason_names.h"
#include "record.h"
#include "state.h"

#include <warden/hv_header.h>

/* ---- global state (setup.c) ---- */
extern struct per_cpu per_cpu_table[WD_MAX_CPUS];
extern struct cell cells[WD_MAX_CELLS];
/* Held by a management call (hypercall.c), tried by core_dma_fault(). */
extern uint32_t management_lock;
extern struct cell *root_cell;
extern bool hv_enabled;

/* Last root CPU left: release the root cell and the system config. */
void core_exit(void);
struct per_cpu *this_cpu(void);
/*
 * A trap starts: the cell of the trapping CPU, with @stat counted on it
 * (NO_STAT: nothing); NULL (machine stopped) if the CPU is not ours.
 */
struct cell *trap_enter(unsigned int stat);
#define NO_STAT WD_CPU_STATS
/* @cpu's counter @stat (the total: of the exit kinds of their own, summed
 * when read). */
uint64_t cpu_stat_of(const struct per_cpu *cpu, uint64_t stat);

/*
 * A spinlock for short critical sections that never wait for another CPU
 * inside (the management lock, which does, relaxes instead: hypercall.c).
 */
static inline void spin_lock(uint32_t *lock)
{
	while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(lock, __ATOMIC_RELAXED))
			;
}

static inline void spin_unlock(uint32_t *lock)
{
	__atomic_store_n(lock, 0, __ATOMIC_RELEASE);
}

/* Pages needed for @bytes. */
static inline unsigned int pages_for(uint64_t bytes)
{
	return (unsigned int)((bytes + WD_PAGE_SIZE - 1) / WD_PAGE_SIZE);
}

/*
 * An empty region ({ 0 }: Jailhouse's configs declare mem_regions[] larger
 * than they fill, and leave unused ivshmem sections so): it maps nothing,
 * and every loop over a cell's regions passes over it. It keeps its index:
 * ivshmem's shmem_regions_start counts it.
 */
static inline bool mem_is_empty(const struct wd_memory *m)
{
	return !(m->phys_start | m->virt_start | m->size | m->flags);
}

/* A region that is not page-granular: emulated, never mapped. */
static inline bool mem_is_subpage(const struct wd_memory *m)
{
	return (m->virt_start | m->phys_start | m->size) & ~WD_PAGE_MASK;
}

/* ---- reasons (reason.c) ---- */
/*
 * Record @reason/@item for @cell (may be NULL: global only), print it on
 * the console and return -@err, so rejections read
 *   return reject(cell, WD_R_mem_overlap, idx, WD_EINVAL);
 */
long reject(struct cell *cell, enum wd_reason reason, uint64_t item, int err);

/* ---- config validation (config.c) ---- */
/* Result of a validation: reason plus offending item (0 = fine). */
struct check_result {
	enum wd_reason reason;
	uint64_t item;
	int err;
};

/*
 * Validate the cell config at @cfg (@len bytes, a private copy): layout,
 * counts, flags and every per-cell rule. @hv is the hypervisor memory
 * region no region may overlap. Pure: no side effects, no HAL calls, so
 * host tools and fuzzers link it alone (with lib.c).
 */
struct check_result config_check_cell(const void *cfg, uint64_t len,
				      const struct wd_memory *hv);
/* Validate a system config, including its root cell. */
struct check_result config_check_system(const void *cfg, uint64_t len);

/* ---- page pool (page_alloc.c) ---- */
void page_pool_init(void *base, uint64_t pages);
/* Its size and the pages in use (the hypervisor information hypercall). */
extern uint64_t page_pool_pages, page_pool_used;

/* ---- memory (memory.c) ---- */
int memory_cell_init(struct cell *cell);
void memory_cell_exit(struct cell *cell);
/* Map/unmap @cell's LOADABLE regions into/from the root cell. */
int memory_loadable_to_root(struct cell *cell, bool map);
/* The RAM/IO region of @cell (not the comm region) that maps physical
 * [phys, phys+size) whole, or NULL. */
const struct wd_memory *mem_region_of(const struct cell *cell, uint64_t phys,
				      uint64_t size);

/* ---- MMIO dispatch (mmio.c) ---- */
int mmio_cell_init(struct cell *cell, unsigned int max_regions);
void mmio_cell_exit(struct cell *cell);
/* Is a range registered for @cell starting exactly at @start? */
bool mmio_is_registered(const struct cell *cell, uint64_t start);
/* Remove the range starting at @start (no-op if there is none). */
void mmio_unregister(struct cell *cell, uint64_t start);
/* A device access of @size bytes at physical @addr; the value read. */
uint32_t phys_rw(uint64_t addr, unsigned int size, bool write, uint32_t value);

/* ---- port I/O (pio.c) ---- */
/* Are @cfg's ports the root cell's to hand out (none held by a cell)? */
struct check_result pio_check_claim(const struct wd_cell_desc *cfg);
int pio_cell_init(struct cell *cell);
void pio_cell_exit(struct cell *cell);
/* PCI configuration mechanism #1: address port 0xcf8, data 0xcfc-0xcff. */
#define PCI_CFG_PORTS 0xcf8

/* ---- interrupt ownership (irq.c) ---- */
/*
 * The first pin of @cfg's irqchips the backend refuses (@claim false:
 * hal_irq_assignable) or the root cell cannot hand to a new cell because
 * it does not own it (@claim true).
 */
struct check_result irq_check(const struct wd_cell_desc *cfg, bool claim);
int irq_cell_claim(struct cell *cell);
void irq_cell_release(struct cell *cell);

/* ---- PCI config space (pci.c) ---- */
/* Bytes of the ECAM window (system config), 0 base means no PCI. */
uint64_t pci_ecam_size(void);
/* Are @cfg's PCI devices the root cell's to hand out? */
struct check_result pci_check_claim(const struct wd_cell_desc *cfg);
int pci_cell_init(struct cell *cell);
void pci_cell_exit(struct cell *cell);
/* The cell (re)starts: its virtual devices go back to their reset state. */
void pci_cell_reset(struct cell *cell);
/*
 * The root cell got memory back (memory.c maps whole regions back):
 * the MSI-X table pages of its devices leave its stage-2 again.
 */
void pci_root_retrap(void);
/* A config-space access at ECAM address acc->address (both mechanisms). */
enum access_result pci_cfg_access(void *arg, struct cell *cell,
				  struct mmio_access *acc);

/*
 * A config-space access @acc at byte @reg to the 32-bit register holding
 * @old: a read takes its bytes into acc->value and returns @old; a write
 * returns the register with its bytes replaced.
 */
static inline uint32_t dword_access(uint32_t old, unsigned int reg,
				    struct mmio_access *acc)
{
	unsigned int shift = (reg % 4) * 8;
	uint32_t lanes = (acc->size == 4 ? ~0U : (1U << (acc->size * 8)) - 1)
			 << shift;

	if (!acc->is_write) {
		acc->value = (old & lanes) >> shift;
		return old;
	}
	return (old & ~lanes) | (((uint32_t)acc->value << shift) & lanes);
}

/*
 * Is the message of @bdf's vector @index one @cell may send (hal_msi_route)?
 * A refused one is recorded as the cell's reason, not a failure. *@r: the
 * message the device is to send (the cell's own, or the backend's remapped
 * one), and where it goes.
 */
enum wd_reason msi_check(struct cell *cell, uint16_t bdf, unsigned int index,
			 uint64_t address, uint32_t data, struct msi_route *r);
/*
 * A cell's access at @off of a shadowed MSI-X table (a real device's or a
 * virtual one's; 4 or 8 bytes, naturally aligned, within the table: the
 * caller checked): reads from @table, writes into it, of the vector control
 * only the mask bit. True if the device must take the entry anew: it was
 * written unmasked, or its vector control was written.
 */
bool msix_shadow_access(uint32_t (*table)[4], uint64_t off,
			struct mmio_access *acc);

/* ---- ivshmem v2 virtual PCI devices (ivshmem.c) ---- */
#define IVSHMEM_MAX_PEERS 16
#define IVSHMEM_MAX_VECTORS 16
struct ivshmem_dev;
/* Can @cfg's ivshmem devices join their links (ids free, same memory)? */
struct check_result ivshmem_check_claim(const struct wd_cell_desc *cfg);
/* Enable: no device survives from an earlier run (or a freed test machine). */
void ivshmem_forget_all(void);
/* Connect @cell's device @info to its link (config already checked). */
int ivshmem_init(struct cell *cell, const struct wd_pci_device *info,
		 struct ivshmem_dev **out);
/* Disconnect: state entry 0, peers told, BARs unregistered, freed. */
void ivshmem_exit(struct ivshmem_dev *dev);
void ivshmem_reset(struct ivshmem_dev *dev);
/* A config-space access (@reg: offset in the function's 4 KiB). */
enum access_result ivshmem_cfg_access(struct ivshmem_dev *dev, unsigned int reg,
				      struct mmio_access *acc);

/* ---- cells and lifecycle (cell.c) ---- */
int cell_setup(struct cell *cell, const void *cfg, uint64_t len);
void cell_teardown(struct cell *cell);
long cell_create(uint64_t config_gpa);
/* CELL_START, CELL_SET_LOADABLE or CELL_DESTROY (@code) of cell @id. */
long cell_manage(unsigned long code, uint64_t id);
long cell_get_state(uint64_t id);
extern unsigned int num_cells; /* cells in use, the root cell included */
const char *cell_name(const struct cell *cell);
/* Is the cell's comm region state RUNNING or RUNNING_LOCKED? */
bool cell_is_running(const struct cell *cell);

/* ---- CPU control (cpu.c): keeps per_cpu.parked in step ---- */
void percpu_park(unsigned int cpu);
/* Hold @cpu in the hypervisor (or let it go), keeping per_cpu.suspended. */
void percpu_suspend(unsigned int cpu, bool suspend);
/* Reset @cpu at @entry; @run: start now, else wait parked for a start. */
void percpu_reset(unsigned int cpu, uint64_t entry, bool run);

/* ---- containment (panic.c) ---- */
/*
 * @cell fails with @reason/@item (FAILED, its CPUs parked; the root cell's
 * failure stops the machine). Returns ACCESS_DENIED, the result of the
 * trap that caused it, so a handler denies with one call:
 *   return cell_fail(cell, WD_R_pio_denied, acc->port);
 */
enum access_result cell_fail(struct cell *cell, enum wd_reason reason,
			     uint64_t item);
/*
 * A refused request that has an answer: a non-root @cell fails
 * (cell_fail); the root cell's reason is recorded and ACCESS_EMULATED
 * returned: the request is dropped, the backend answers it as refused.
 */
enum access_result cell_refuse(struct cell *cell, enum wd_reason reason,
			       uint64_t item);

/* ---- console (printk.c) ---- */
/* @s as a line of its own (the trap log's), outside the console lock. */
void console_line(const char *s);
/* Debug console output of @cell: whole lines "[name] text", never mixed. */
void console_cell_putc(const struct cell *cell, char c);
/*
 * @cell fails or goes away: print what it has of an unfinished line and
 * how many of the hypervisor's lines about it were suppressed.
 */
void console_cell_flush(const struct cell *cell);
/*
 * The hypervisor's line about @cell's refusal ("warden: cell \"name\": @text
 * [@name]"): rate-limited per non-root cell (printk.c), printed as it is
 * for the root cell.
 */
void console_cell_note(const struct cell *cell, const char *text,
		       const char *name);
/* The ring every console byte also goes to (hv_header.h), and its adding. */
extern struct wd_hv_console hv_console;
void console_ring_put(struct wd_hv_console *ring, char c);
/* Map the ring read-only into the root cell at its physical address
 * (when hypervisor memory holds it: not the simulator's static copy). */
int console_root_map(void);

#endif /* !WARDEN_CORE_CORE_H */
