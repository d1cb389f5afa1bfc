/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HAL contract, part 1: what every backend (VT-x, AMD-V, ARMv7, sim)
 * implements for the core. Part 2, hal/core.h, is what the core offers the
 * backends. docs/porting.md says how each backend implements each function.
 *
 * Conventions used below:
 *  - "Caller" is the core module that calls the hook.
 *  - "CPU" is the physical CPU the call runs on. "This CPU" means the CPU
 *    that trapped; management operations run on the root-cell CPU that
 *    issued the hypercall, with the cells they touch suspended.
 *  - Functions returning int return 0 or a negative WD_E* errno. They may
 *    fail only where documented; the core unwinds on failure.
 *  - None of these may call back into a core entry point (hal/core.h
 *    entries marked "entry"), except where said.
 */
#ifndef WARDEN_HAL_H
#define WARDEN_HAL_H

#include "types.h"

/* ---- CPU identity and bring-up -------------------------------------- */

/*
 * Id of the CPU executing this code, 0 .. WD_MAX_CPUS-1, matching the bit
 * numbering of cell CPU sets.
 * Caller: everywhere. Must be cheap and callable in any state.
 */
unsigned int hal_cpu_id(void);

/*
 * Enable virtualization on this CPU and leave it in the root cell: the CPU
 * continues the root cell's code where it left off once the core returns to
 * the backend.
 * Caller: core_cpu_entry(), on each CPU listed in the root cell, once.
 * Guarantees on success: traps of this CPU reach the core's entries; stage-2
 * translation uses the root cell's tables built by hal_map() so far.
 */
int hal_cpu_init(struct per_cpu *cpu);

/*
 * Leave virtualization for good (hypervisor disable). @cpu is either this
 * CPU, which continues the root cell natively with its full register state,
 * or a parked CPU, which is left powered off natively (x86: wait-for-SIPI,
 * ARM: off for PSCI) so the root cell can start it without the hypervisor.
 * Caller: hypercall DISABLE: the first root CPU calling it releases the
 * parked CPUs, then every running root CPU calls it for itself.
 */
void hal_cpu_exit(struct per_cpu *cpu);

/* ---- CPU control (remote: called on one CPU, acting on another) ------- */

/*
 * Stop @cpu: it executes no more guest instructions until hal_cpu_reset().
 * Parked CPUs wait in the hypervisor (ARM: WFI loop in HYP, x86: HLT with
 * interrupts masked). Returns 0 once @cpu is parked. Idempotent.
 * -WD_EBUSY: @cpu did not answer within the backend's timeout (it still
 * runs guest code, or hangs); the backend keeps the request pending and
 * must never stop the machine for it: the CPU parks as soon as it next
 * enters the hypervisor, before it handles whatever took it there (its
 * cell may be gone: the trap must not be taken for the root cell's). The
 * core then treats @cpu as lost: it never calls hal_cpu_park/reset/suspend
 * for it again (core/cpu.c), and never hal_cell_destroy() for a cell it
 * belonged to.
 * Nothing of the cell reaches the CPU's next owner: before it waits, every
 * register a guest can write is reset to its documented value after
 * handover (ARMv7: arch-armv7/handover.h; the x86 backends do not yet).
 * Caller: cell management (create, for CPUs taken from the root cell;
 * set-loadable, start and destroy, for the cell's CPUs) and containment
 * (@cpu may be this CPU: the backend parks it when the trap returns, 0).
 */
int hal_cpu_park(unsigned int cpu);

/*
 * Put @cpu into its architectural reset state in its current cell, with the
 * cell's stage-2 tables. @run: start executing at @entry now; otherwise the
 * CPU waits parked (x86: wait-for-SIPI, ARM: PSCI off) until the cell starts
 * it, which reaches the core as core_cpu_on().
 * Caller: cell start (the cell's first CPU runs from cpu_reset_address, the
 * others wait) and core_cpu_on() (a cell starting one of its own CPUs).
 */
void hal_cpu_reset(unsigned int cpu, uint64_t entry, bool run);

/*
 * Hold @cpu in the hypervisor until hal_cpu_resume(); returns 0 only once
 * the CPU is known to execute no guest code (so its cell's tables may
 * change); -WD_EBUSY as hal_cpu_park() when it did not answer in time.
 * A CPU waiting in the hypervisor (spinning on the management lock, or in
 * hal_cpu_relax()) must still honour the request.
 * Caller: every management hypercall, for the root cell's other CPUs while
 * the root cell's tables change (the target cell's CPUs are parked).
 */
int hal_cpu_suspend(unsigned int cpu);

/* Release a CPU held by hal_cpu_suspend(). */
void hal_cpu_resume(unsigned int cpu);

/* ---- Cells: stage-2 memory and IOMMU ---------------------------------- */

/*
 * Create the backend's state for @cell (stage-2 root table, VMID/ASID,
 * IOMMU domain) and fill the arch part of cell->comm. May register MMIO
 * handlers with core_mmio_register().
 * Caller: enable (root cell) and CELL_CREATE. -WD_ENOMEM on exhaustion.
 */
int hal_cell_create(struct cell *cell);

/*
 * Release everything hal_cell_create() and hal_map() allocated for @cell.
 * Caller: CELL_DESTROY and error unwinding; the cell's CPUs are parked.
 * Not called for a cell one of whose CPUs is lost (hal_cpu_park): that CPU
 * may still walk the cell's stage-2 tables, so the core has unmapped all
 * of the cell's memory (hal_unmap), commits (hal_config_commit flushes the
 * TLBs of every CPU) and leaves the emptied tables allocated for good.
 */
void hal_cell_destroy(struct cell *cell);

/*
 * Map [@gpa, @gpa+@size) of @cell to host-physical [@hpa, ...) with the
 * access rights of @flags (WD_MEM_READ/WRITE/EXECUTE; WD_MEM_IO for device
 * memory: uncached; WD_MEM_DMA: also map it in the cell's IOMMU domain).
 * Addresses and size are page-aligned (the core guarantees it). Replaces
 * any existing mapping in the range. -WD_ENOMEM when tables run out.
 * Caller: cell set-up, set-loadable, destroy (giving memory back to root).
 */
int hal_map(struct cell *cell, gpa_t gpa, hpa_t hpa, uint64_t size,
	    uint64_t flags);

/*
 * Remove [@gpa, @gpa+@size) from @cell's stage-2 (and IOMMU) tables. Not
 * mapped parts are ignored. Page-aligned.
 */
int hal_unmap(struct cell *cell, gpa_t gpa, uint64_t size);

/*
 * Make every table change since the last commit visible: flush stage-2 TLBs
 * and IOMMU caches of all cells, re-read interrupt ownership from the core
 * (core_irq_owner()) and re-route interrupts accordingly. @changed is the
 * non-root cell whose configuration changed, or NULL when only the root
 * cell's did or several changed (enable, destroy, disable).
 * Caller: every management operation, before resuming CPUs.
 */
void hal_config_commit(struct cell *changed);

/*
 * Copy @len bytes from guest-physical @gpa of @cell into hypervisor memory.
 * Only memory mapped into @cell as RAM (not WD_MEM_IO) may be read.
 * Returns 0, or -WD_EFAULT when any byte is not mapped readable.
 * Caller: CELL_CREATE (config intake).
 */
int hal_copy_from_guest(struct cell *cell, gpa_t gpa, void *dst, size_t len);

/*
 * Counterpart of hal_copy_from_guest(); the range must be writable RAM.
 * Caller: WD_HC_GET_REASON (the reason record into the caller's RAM).
 */
int hal_copy_to_guest(struct cell *cell, gpa_t gpa, const void *src,
		      size_t len);

/* Host-physical address of hypervisor memory at host-virtual @p. */
hpa_t hal_virt_to_phys(const void *p);

/*
 * Perform a physical device access for a cell (a sub-page MMIO region or a
 * PCI config-space access allowed by the core): the backend maps the device
 * page in the hypervisor as needed and issues a single access of exactly
 * acc->size bytes at host-physical @addr.
 */
void hal_phys_access(hpa_t addr, struct mmio_access *acc);

/*
 * Perform a port I/O access the core allowed for a cell: a single access of
 * acc->size bytes at acc->port; a read leaves the value in acc->value.
 * Caller: core_pio(), on the trapping CPU, before it returns FORWARDED.
 * x86 backends only (ARM has no port space: never called there).
 */
void hal_pio_access(struct pio_access *acc);

/* ---- Interrupts ------------------------------------------------------ */

/*
 * Policy hook: may pin @pin of irqchip @chip (a config entry) be assigned
 * to a cell? Backends refuse pins that are per-CPU (ARM SGIs/PPIs) or
 * belong to the hypervisor (maintenance interrupt, IOMMU fault interrupt).
 * Caller: config validation at enable and CELL_CREATE. Pure function.
 */
bool hal_irq_assignable(const struct wd_irqchip *chip, unsigned int pin);

/*
 * Raise interrupt @irq in the guest of @cpu (a CPU of the owning cell):
 * list register (ARM), posted/pending vector (x86), sim: pending queue.
 * Caller: the core's virtual devices (core/ivshmem.c: doorbells and state
 * changes, @irq the MSI-X vector on x86, the GIC id on ARM), on the
 * trapping CPU of another cell, with the ivshmem lock held. Safe from any
 * CPU.
 */
void hal_inject_irq(unsigned int cpu, unsigned int irq);

/* ---- PCI devices: ownership and interrupt messages -------------------- */

/*
 * Attach the real PCI function @bdf to @cell: the point where an IOMMU
 * backend puts the device into the cell's DMA domain (and, later, its
 * interrupt-remapping table). Never called for ivshmem (virtual) devices.
 * Caller: core/pci.c, at enable for each device of the root cell, and at
 * CELL_CREATE for each device the new cell takes from the root (after
 * hal_device_release(root_cell, @bdf)), on the root CPU that issued the
 * hypercall, before any CPU of @cell runs (at CELL_CREATE the device's
 * MSI is disabled and every MSI-X vector masked). A failure refuses the
 * create with reason device_assign (item = BDF; -WD_ENODEV: iommu_none,
 * no unit of this machine translates the device): the core releases
 * every device it attached and hands them back to the root cell. The
 * core refuses a non-root cell's device whose config names no IOMMU unit
 * before (iommu_none); the backend refuses one whose unit it does not
 * drive. x86: the VT-d or AMD-Vi unit puts the device into the cell's DMA
 * domain (arch-x86/iommu.c; no unit: root's devices 0, others refused);
 * ARMv7 has no SMMU driver (its cells get no PCI device); the simulator
 * records the owner.
 */
int hal_device_assign(struct cell *cell, uint16_t bdf);

/*
 * Detach @bdf from @cell (attached by hal_device_assign()). Cannot fail.
 * Caller: CELL_DESTROY and create unwinding (then the core attaches the
 * device to the root cell again), CELL_CREATE (the root cell giving the
 * device up) and DISABLE (the root cell's devices), on the root CPU of the
 * hypercall, with @cell's CPUs parked; MSI disabled and MSI-X masked
 * before, for a non-root cell.
 */
void hal_device_release(struct cell *cell, uint16_t bdf);

/* Where an allowed MSI message goes (hal_msi_route()). */
struct msi_route {
	unsigned int cpu; /* the destination, one of the cell's CPUs */
	unsigned int irq; /* what hal_inject_irq() takes for it */
	/* The message the device is given: the core sets the cell's own
	 * before the call; a backend that remaps interrupts replaces it. */
	uint64_t address;
	uint32_t data;
};

/*
 * May @cell's PCI function @bdf send the message @address/@data as vector
 * @index of its MSI (index < 32) or MSI-X (index < 2048) capability? The
 * message may reach only the cell's own CPUs, as an ordinary interrupt (no
 * NMI, INIT, SMI...). Returns WD_R_none with *@route filled in, or the
 * precise reason (range msi_*; item = BDF << 16 | index, recorded by the
 * core) and *@route's cpu and irq untouched. With an IOMMU that remaps
 * interrupts (x86: arch-x86/iommu.c, for real devices), the backend
 * programs the vector's remapping entry here and gives the message that
 * selects it in route->address/data, which the core writes to the device
 * (MSI: vector 0's; the device adds the vector number to the data);
 * without, those stay the cell's message. Otherwise pure.
 * Caller: core/pci.c, when a vector of a real device becomes enabled and
 * unmasked or changes while it is (a refused one stays masked on the
 * device), on the CPU that wrote the MSI capability or MSI-X table (root
 * cell devices included: the root must not reach other cells' CPUs
 * either); core/ivshmem.c, for each message an ivshmem MSI-X vector
 * delivers (hal_inject_irq(route.cpu, route.irq)), on the peer's CPU with
 * the ivshmem lock held. x86: arch-x86/msi.c; ARMv7 (GICv2, no MSI):
 * always msi_unsupported.
 */
enum wd_reason hal_msi_route(const struct cell *cell, uint16_t bdf,
			     unsigned int index, uint64_t address,
			     uint32_t data, struct msi_route *route);

/* ---- Console, time, machine ------------------------------------------ */

/* Emit one character on the hypervisor console (polling, never fails). */
void hal_console_putc(char c);

/*
 * Monotonic time in nanoseconds since an arbitrary origin. The sim returns
 * deterministic virtual time.
 */
uint64_t hal_time_ns(void);

/*
 * Let time pass while the core waits: for a cell's comm region reply, for
 * the management lock, or for an MMIO table update to finish. Pause the CPU
 * briefly (ARM: WFE, x86: PAUSE) and honour pending suspend requests; the
 * sim runs the other CPUs (or the replayer's responders) for one slice and
 * advances virtual time.
 */
void hal_cpu_relax(void);

/*
 * Hypervisor fault or root-cell failure: stop every CPU for good, after
 * the console has printed the reason. Never returns on hardware; the sim
 * marks the machine stopped and returns so the test can inspect it.
 */
void hal_machine_stop(void);

#endif /* !WARDEN_HAL_H */
