/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HAL contract, part 2: what the core offers the backends. "Entry"
 * functions are where a backend hands a trap or a bring-up step to the
 * core; the others are services a backend may use from its hooks.
 *
 * Backends decode their traps (VM exit reason, HSR syndrome, instruction
 * bytes) into the generic descriptions of hal/types.h and call one entry;
 * they act on the result: complete the instruction (write the destination
 * register, advance the PC) for EMULATED/FORWARDED, and do nothing more for
 * DENIED (the core has parked the CPU: the backend must not resume it).
 */
#ifndef WARDEN_HAL_CORE_H
#define WARDEN_HAL_CORE_H

#include "types.h"

/* Hypervisor memory handed to the core at enable. */
struct hv_memory {
	void *base;    /* host-virtual start of the free part */
	hpa_t phys;    /* its host-physical address */
	uint64_t size; /* bytes, page multiple */
};

/*
 * Entry. Take the system config and the hypervisor memory, validate the
 * config (the core never trusts it), and set up the root cell: its memory
 * mapped, its CPUs, PIO/IRQ/PCI permissions. @config is copied.
 * On: the first CPU, before any core_cpu_entry(). Returns 0 or -WD_E*,
 * with the reason printed and kept (core_last_reason()).
 */
int core_init(const void *config, uint64_t config_size,
	      const struct hv_memory *mem);

/* Entry. Bring this CPU under the hypervisor (calls hal_cpu_init()). */
int core_cpu_entry(void);

/*
 * Entry. As core_cpu_entry(), for a CPU that has no root-cell code to
 * continue (a standalone boot, where only the boot CPU runs the root
 * cell): it joins the root cell parked, i.e. off for the root cell, which
 * starts it with PSCI CPU_ON or INIT/SIPI (core_cpu_on()), and DISABLE
 * releases it like any parked root CPU. The backend keeps the CPU waiting
 * in the hypervisor after a successful return.
 */
int core_cpu_entry_parked(void);

/*
 * Entry. A hypercall from the cell running on this CPU; returns the value
 * for the guest's result register (>= 0 or -WD_E*). @user: the caller ran
 * in guest user mode (x86 CPL != 0; ARM USR mode, from SPSR_hyp, which is
 * never the case on ARMv7 hardware: an HVC at PL0 is UNDEFINED and does
 * not trap). Such a call is refused with -WD_EPERM and reason
 * hypercall_user before anything else (Jailhouse's rule); the backend
 * passes the privilege and never decides itself. On: the trapping CPU, in
 * its trap handler.
 */
long core_hypercall(unsigned long code, unsigned long arg1, unsigned long arg2,
		    bool user);

/* Entry. An MMIO access outside the cell's RAM (stage-2 fault). */
enum access_result core_mmio(struct mmio_access *acc);

/* Entry. A port I/O access that hit the cell's intercept bitmap (x86). */
enum access_result core_pio(struct pio_access *acc);

/*
 * Entry. The cell on this CPU touched the configuration of interrupt @pin
 * of the irqchip at @chip (its config address: the IOAPIC, the GIC
 * distributor): allowed only for pins the cell owns on that chip.
 */
enum access_result core_irqchip_access(uint64_t chip, unsigned int pin);

/*
 * Entry. The cell on this CPU tried to reset (@off = false) or power off the
 * machine by @method (WD_METHOD_*). Root cell: allowed, the backend carries
 * it out (returns FORWARDED). Other cells: denied, the cell fails.
 */
enum access_result core_machine_control(bool off, unsigned int method);

/*
 * Entry. The cell on this CPU asks to start CPU @target at @entry (ARM PSCI
 * CPU_ON, x86 INIT/SIPI). Allowed for parked CPUs of the same cell: the core
 * resets the target (hal_cpu_reset) and returns EMULATED; a target that
 * already runs is left alone (EMULATED, the backend reports "already on").
 * A CPU of another cell: denied, the cell fails; for the root cell the
 * reason is recorded and EMULATED returned, the start not done (the
 * backend answers "denied": PSCI DENIED, the SIPI dropped).
 */
enum access_result core_cpu_on(unsigned int target, uint64_t entry);

/*
 * Entry. The CPU this runs on stops itself (ARM PSCI CPU_OFF): it is
 * parked (the core calls hal_cpu_park() for it; the backend parks it when
 * the trap returns and must not resume it) and off for its cell, which may
 * start it again with core_cpu_on(). Returns EMULATED.
 */
enum access_result core_cpu_off(void);

/*
 * Entry. The backend refused a trap of the cell on this CPU by its own
 * policy (an unhandled exception, an instruction its decoder refuses, a
 * distributor or MSR write its rules deny): park the cell's CPUs, mark it
 * FAILED with @reason/@item (a root-cell fault stops the machine). The
 * trap's record is @req (kind and request filled in by the backend) with
 * outcome "deny @reason @item".
 */
void core_trap_denied(const struct wd_trap *req, enum wd_reason reason,
		      uint64_t item);

/*
 * Entry. As core_trap_denied(), for a refusal the root cell can be
 * answered (an IPI to a CPU it does not own): a non-root cell fails
 * (ACCESS_DENIED); the root cell's reason is recorded (GET_REASON) and
 * ACCESS_EMULATED returned: the backend drops the request, the root runs.
 */
enum access_result core_trap_refused(const struct wd_trap *req,
				     enum wd_reason reason, uint64_t item);

/*
 * Entry. An IOMMU blocked a request of the PCI device @bdf: DMA to or from
 * the cell's guest-physical @address (@reason dma_fault), or an interrupt
 * message (dma_irq_fault, @address the remapping index or the message
 * address). The core names the device, the address and the owning cell
 * (the root cell when no cell lists the device) on the console and in
 * its reason record, counts it (WD_CPU_STAT_DMA_FAULTS of the cell's
 * first CPU) and contains the cell: a non-root cell fails, the root cell
 * runs on (its device's request was blocked). Any CPU, any time the
 * backend is not inside another core call. Returns false, having done
 * nothing, while a management call is in progress (it may be waiting for
 * this CPU): the backend keeps the fault and reports it at a later poll.
 */
bool core_dma_fault(uint16_t bdf, enum wd_reason reason, uint64_t address);

/*
 * Service. A hook refuses the management call in progress (enable,
 * CELL_CREATE) for a reason more precise than its error code: recorded
 * for @cell like the core's own refusals (GET_REASON, the console line);
 * returns -@err for the hook to return. The core keeps it instead of the
 * generic reason it gives a failed hook.
 */
int core_refuse(struct cell *cell, enum wd_reason reason, uint64_t item,
		int err);

/* Entry. The hypervisor itself faulted: print and stop the machine. */
void core_hypervisor_panic(const char *what, uint64_t item);

/*
 * Service. Cell currently owning @pin of the irqchip at address @chip (as
 * the root cell's config lists it), or NULL if nobody or no such chip.
 */
struct cell *core_irq_owner(uint64_t chip, unsigned int pin);

/* Service. The validated system config (hypervisor's copy). */
const struct wd_system *core_system_config(void);

/*
 * Services: reading core state. struct cell and struct per_cpu are the
 * core's (their fields are private to core/); a backend or the simulator
 * reads them only through these. Callable on any CPU, from hooks and trap
 * handlers alike; they take no lock, so a value read while another CPU
 * manages cells is a snapshot (the same as reading the field was).
 * @cell must be a cell the core handed out (hooks' arguments,
 * core_cpu_cell(), core_cell_by_id(), core_irq_owner()). What only the
 * simulator, the tests and the trap log read is in hal/observe.h.
 */

/* Cell of CPU @cpu (the one it runs or is parked for), NULL if none. */
struct cell *core_cpu_cell(unsigned int cpu);

/* The existing cell with id @id, or NULL (root cell: 0). */
struct cell *core_cell_by_id(uint64_t id);

unsigned int core_cell_id(const struct cell *cell);

/* CPUs the cell's config gives it. */
struct cpu_set core_cell_cpus(const struct cell *cell);

/* The hypervisor's validated copy of the cell's config (read only). */
const struct wd_cell_desc *core_cell_config(const struct cell *cell);

/*
 * The cell's comm region (hypervisor memory mapped into the cell; NULL
 * before it is set up). Its cell_state is the state the cell reports;
 * hal_cell_create() fills in the arch part (comm->arm, comm->x86).
 */
struct wd_comm_region *core_cell_comm(struct cell *cell);

/*
 * The backend's per-cell pointer: set in hal_cell_create(), cleared in
 * hal_cell_destroy(), read from any hook or trap of the cell.
 */
void *core_cell_arch(const struct cell *cell);
void core_cell_set_arch(struct cell *cell, void *arch);

/*
 * The cell's port permissions (x86): 65536 bits, one per port, set = the
 * access traps to core_pio(), clear = the cell owns the port. An x86
 * backend copies it into its I/O intercept bitmap (IOPM, VT-x I/O
 * bitmaps) in hal_config_commit(): it changes with cells taking ports
 * from the root cell and giving them back. NULL before the cell is set up.
 */
const uint8_t *core_cell_pio_bitmap(const struct cell *cell);

/* Id of the CPU whose state hal_cpu_init()/hal_cpu_exit() were given. */
unsigned int core_cpu_id(const struct per_cpu *cpu);

/* State of CPU @cpu as the core keeps it (0 for an unknown CPU). */
#define CORE_CPU_ONLINE 0x1U	/* brought up at enable */
#define CORE_CPU_PARKED 0x2U	/* stopped by the hypervisor */
#define CORE_CPU_FAILED 0x4U	/* parked because its cell faulted */
#define CORE_CPU_SUSPENDED 0x8U /* held during management (hal_cpu_suspend) */
#define CORE_CPU_LOST 0x10U	/* did not answer a park or suspend request */
unsigned int core_cpu_flags(unsigned int cpu);

/* Service. Count an event in this CPU's statistics (WD_CPU_STAT_*). */
void core_stat_inc(unsigned int stat);

/*
 * Service. Register an emulated MMIO range for @cell; @handler runs for
 * every access in [@start, @start+@size) and returns the access result.
 * To deny an access the handler fails the cell first (the core's own
 * handlers: cell_fail(); no backend registers one yet) and returns
 * ACCESS_DENIED. Returns 0, -WD_EBUSY if the range overlaps
 * a registered one, -WD_ENOMEM when the cell's table is full.
 */
typedef enum access_result (*mmio_handler_t)(void *arg, struct cell *cell,
					     struct mmio_access *acc);
int core_mmio_register(struct cell *cell, uint64_t start, uint64_t size,
		       mmio_handler_t handler, void *arg);

/* Service. Page allocator over hypervisor memory (zeroed pages). */
void *core_page_alloc(unsigned int pages);
void core_page_free(void *p, unsigned int pages);

/* Service. printf-like output on the hypervisor console. */
void core_printk(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Service. Last recorded failure reason (any cell). */
const struct wd_reason_record *core_last_reason(void);

#endif /* !WARDEN_HAL_CORE_H */
