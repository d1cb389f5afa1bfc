/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Standalone boot on ARMv7 in HYP mode: take the system config QEMU or the
 * boot loader put at BOOT_SYSTEM_CONFIG, hand the rest of hypervisor memory
 * to the core, bring the root cell's CPUs under the hypervisor and enter the
 * root-cell image at BOOT_ROOT_ENTRY. Also CPU control (park, reset,
 * suspend), the PL011 console, time and machine stop.
 *
 * CPU model: a CPU is OFF (never started), WAITING in HYP (parked, or "off"
 * from its cell's point of view) or in the GUEST. Only the boot CPU enters
 * the root cell at boot; the root's other CPUs wait in HYP until the root
 * starts them with PSCI CPU_ON or a cell takes them.
 */
#include <warden/hv_header.h>

#include "handover.h"
#include "../core/lib.h"
#include "../core/traplog.h"
#include "arm.h"

struct arm_cpu arm_cpus[ARM_MAX_CPUS];
uint32_t arm_native_cpus;
/* Late launch (linux_entry): set when Linux entered, with its stub's HVBAR
 * per CPU (arm_cpu.stub_hvbar); DISABLE gives each CPU back to the stub. */
static bool from_linux;
const uint32_t arm_cpu_size = sizeof(struct arm_cpu);
const uint32_t arm_stack_size = ARM_STACK_SIZE;

/*
 * The guard at the bottom of this CPU's HYP stack: its words hold their
 * own address XOR a pattern, painted when the CPU enters C (far above
 * them), checked after the deep paths (management hypercalls, enable) and
 * when HYP faults. A deeper stack than the build's worst case overwrites
 * them first, then the previous CPU's struct arm_cpu: the machine stops.
 */
#define GUARD_PATTERN 0x57a4c0deu

/* This CPU enters C as CPU @id: its identity, its stack's guard painted. */
static struct arm_cpu *cpu_begin(unsigned int id)
{
	struct arm_cpu *c = arm_this_cpu();
	uint32_t *g = (uint32_t *)c->stack;
	unsigned int i;

	c->id = id;
	c->mpidr = read_mpidr();
	for (i = 0; i < ARM_STACK_GUARD / 4; i++)
		g[i] = (uint32_t)(uintptr_t)&g[i] ^ GUARD_PATTERN;
	return c;
}

void arm_stack_check(void)
{
	const uint32_t *g = (const uint32_t *)arm_this_cpu()->stack;
	unsigned int i;

	for (i = 0; i < ARM_STACK_GUARD / 4; i++) /* the first stops */
		if (g[i] != ((uint32_t)(uintptr_t)&g[i] ^ GUARD_PATTERN))
			core_hypervisor_panic("HYP stack overflow",
					      hal_cpu_id());
}

/* Spin until *@v >= @n (or < 0), at most @ns; whether it got there. */
static bool await_count(const int *v, int n, uint64_t ns)
{
	uint64_t start = hal_time_ns();
	int now;

	while ((now = __atomic_load_n(v, __ATOMIC_SEQ_CST)) < n && now >= 0)
		if (hal_time_ns() - start > ns)
			return false;
		else
			asm volatile("yield" ::: "memory");
	return now >= n;
}

extern char __hv_start[], __hv_end[];
void arm_semihosting_exit(uint32_t reason);

#define PL011_DR 0x00
#define PL011_FR 0x18
#define PL011_FR_TXFF 0x20

static volatile uint32_t *uart;

static void uart_putc(char c)
{
	while (uart[PL011_FR / 4] & PL011_FR_TXFF)
		;
	uart[PL011_DR / 4] = (unsigned char)c;
}

/* Raw output: the core keeps lines whole (core/printk.c). */
void hal_console_putc(char c)
{
	if (!uart)
		return;
	if (c == '\n')
		uart_putc('\r');
	uart_putc(c);
}

uint64_t hal_time_ns(void)
{
	uint64_t ticks = read_cntpct();
	/* QEMU virt's CNTFRQ, if firmware left 0 */
	uint32_t freq = read_cntfrq() ?: 62500000;

	return ticks / freq * 1000000000ULL +
	       ticks % freq * 1000000000ULL / freq;
}

/* Hold this CPU while another one asked (hal_cpu_suspend). */
static void honour_suspend(struct arm_cpu *c)
{
	if (!c || !__atomic_load_n(&c->suspend_req, __ATOMIC_SEQ_CST))
		return;
	__atomic_store_n(&c->suspended, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&c->suspend_req, __ATOMIC_SEQ_CST) &&
	       !c->park_req)
		asm volatile("yield" ::: "memory");
	__atomic_store_n(&c->suspended, 0, __ATOMIC_SEQ_CST);
}

/* Let time pass in HYP; honour suspend and remote park requests. */
static void relax(void)
{
	struct arm_cpu *c = arm_this_cpu();

	/* Not wfe: a waiting core is not always sent an event. */
	asm volatile("yield" ::: "memory");
	if (c && c->state == CPU_GUEST) {
		honour_suspend(c);
		/* Taken from its cell while waiting in the hypervisor. */
		if (c->park_req == PARK_REMOTE)
			arm_cpu_wait();
	}
}

void hal_cpu_relax(void)
{
	/* Trap log: while this CPU waits, other CPUs' traps go on. */
	bool left = traplog_leave();

	relax();
	traplog_return(left);
}

void hal_machine_stop(void)
{
	core_printk("warden: machine stopped\n");
	/* QEMU -semihosting exits with status 1; otherwise halt here. */
	arm_semihosting_exit(0x20023); /* ADP_Stopped_RunTimeErrorUnknown */
	for (;;)
		asm volatile("wfi");
}

/* Set by cpu_begin(), the first thing each way into C does. */
unsigned int hal_cpu_id(void)
{
	return arm_this_cpu()->id;
}

hpa_t hal_virt_to_phys(const void *p)
{
	return hpa((uintptr_t)p); /* HYP's map is the identity */
}

/*
 * A guest's traps. Its wfi is not trapped: with IMO set, a physical
 * interrupt (the event SGI of a park request too) wakes a CPU even when
 * its guest masked interrupts, and takes it to HYP.
 */
#define HCR_GUEST \
	(HCR_VM | HCR_SWIO | HCR_PTW | HCR_TSC | HCR_TSW | HCR_IMO | HCR_FMO)

/* HCR @hcr on this CPU, stale translations of any VMID gone (TLBIALLNSNH). */
static void set_hcr(uint32_t hcr)
{
	write_hcr(hcr);
	asm volatile("isb" ::: "memory");
	arm_write_cp32(4, c8, c7, 4, 0);
	asm volatile("dsb; isb" ::: "memory");
}

/* Stage-2 and trap settings of @cell on this CPU. */
static void load_cell(struct cell *cell)
{
	write_vttbr(arm_vttbr(cell));
	set_hcr(HCR_GUEST);
}

/* @cpu: this CPU's (core_cpu_entry). */
int hal_cpu_init(struct per_cpu *cpu)
{
	write_hstr(0);	  /* no CP15 primary-register traps */
	write_hcptr(0);	  /* VFP/NEON usable by guests */
	write_cnthctl(3); /* PL1 may read the counter and use its timer */
	write_cntvoff(0); /* virtual counter = physical counter */
	write_vpidr(read_midr());
	write_vmpidr(read_mpidr());
	write_vtcr(VTCR_VALUE);
	arm_handover_traps(true); /* debug and PMU: not the cells' */
	arm_gic_cpu_init();
	load_cell(core_cpu_cell(core_cpu_id(cpu)));
	return 0;
}

void hal_cpu_exit(struct per_cpu *cpu)
{
	struct arm_cpu *t = &arm_cpus[core_cpu_id(cpu)];

	if (core_cpu_id(cpu) == hal_cpu_id()) {
		/* Back to the root natively: no stage 2, no traps. HVBAR stays
		 * after a standalone boot (no boot stub to give HYP back to);
		 * a CPU from Linux gets its stub back on the way out of this
		 * trap (arm_linux_leave). */
		t->leave = from_linux;
		__atomic_fetch_or(&arm_native_cpus, 1u << t->id,
				  __ATOMIC_SEQ_CST);
		arm_handover_traps(false);
		set_hcr(0);
		t->state = CPU_OFF;
		return;
	}
	/* A parked CPU waits in HYP: it hands itself to the firmware. */
	if (t->state != CPU_WAITING)
		return;
	__atomic_store_n(&t->exit_req, 1, __ATOMIC_SEQ_CST);
	asm volatile("dsb; sev" ::: "memory");
	/* Not hal_cpu_relax(): DISABLE's effect is done, its record is next
	 * in the trap log (no other CPU's trap may come first). */
	while (__atomic_load_n(&t->state, __ATOMIC_SEQ_CST) != CPU_OFF)
		relax();
}

/* Called on the way into and out of every trap and interrupt when a park
 * or suspend request is pending (arm_check_park()). */
void arm_park_requested(void)
{
	struct arm_cpu *c = arm_this_cpu();

	honour_suspend(c);
	if (c->park_req)
		arm_cpu_wait();
}

/*
 * A CPU in guest mode answers the event SGI (a cell cannot mask it: IMO
 * takes physical IRQs to HYP, and the SGI's distributor state is the
 * hypervisor's, gicd.c). One that does not within a second is left with
 * its request pending (should it ever enter HYP, it parks) and reported
 * to the core, which gives up on it; ARMv7 has no way to force another
 * core down (PSCI CPU_OFF acts only on the calling core).
 */
#define ANSWER_NS 1000000000ULL

/* The event SGI to @t's CPU, then wait for it to leave its guest (or, with
 * @suspend, to hold for its suspend request): 0, or -WD_EBUSY after
 * ANSWER_NS. */
static int ask(struct arm_cpu *t, bool suspend)
{
	uint64_t start = hal_time_ns();

	arm_gic_send_event(t->id);
	while (t->state == CPU_GUEST &&
	       !(suspend && __atomic_load_n(&t->suspended, __ATOMIC_SEQ_CST))) {
		if (hal_time_ns() - start > ANSWER_NS)
			return -WD_EBUSY;
		asm volatile("yield" ::: "memory");
	}
	return 0;
}

int hal_cpu_park(unsigned int cpu)
{
	struct arm_cpu *t;

	if (cpu >= ARM_MAX_CPUS)
		return 0;
	traplog_sync();
	t = &arm_cpus[cpu];
	if (cpu == hal_cpu_id()) {
		t->park_req = PARK_SELF; /* parked when its trap returns */
		return 0;
	}
	if (t->state != CPU_GUEST)
		return 0; /* off or waiting: it runs no guest code */
	__atomic_store_n(&t->park_req, PARK_REMOTE, __ATOMIC_SEQ_CST);
	asm volatile("dsb; sev" ::: "memory");
	return ask(t, false); /* the interrupt takes it to HYP */
}

void hal_cpu_reset(unsigned int cpu, uint64_t entry, bool run)
{
	struct arm_cpu *t;

	/* Only another CPU, one that warden started. */
	t = &arm_cpus[cpu % ARM_MAX_CPUS];
	if (cpu >= ARM_MAX_CPUS || cpu == hal_cpu_id() || t->state == CPU_OFF) {
		core_hypervisor_panic("reset of an invalid CPU", cpu);
		return;
	}
	if (hal_cpu_park(cpu))
		return; /* not reached: the core resets no lost CPU */
	if (!run)
		return; /* waits in HYP until core_cpu_on() */
	t->entry = (uint32_t)entry;
	__atomic_store_n(&t->reset_req, 1, __ATOMIC_SEQ_CST);
	asm volatile("dsb; sev" ::: "memory");
	traplog_released(cpu);
}

/*
 * A management call changes the root cell's tables: the root's other
 * running CPUs hold in HYP (event SGI; a CPU already in HYP sees the
 * request in hal_cpu_relax or on its way out). Waiting CPUs run no guest
 * code anyway.
 */
int hal_cpu_suspend(unsigned int cpu)
{
	struct arm_cpu *t;

	if (cpu >= ARM_MAX_CPUS || cpu == hal_cpu_id())
		return 0;
	traplog_sync();
	t = &arm_cpus[cpu];
	__atomic_store_n(&t->suspend_req, 1, __ATOMIC_SEQ_CST);
	return t->state == CPU_GUEST ? ask(t, true) : 0;
}

void hal_cpu_resume(unsigned int cpu)
{
	if (cpu < ARM_MAX_CPUS)
		__atomic_store_n(&arm_cpus[cpu].suspend_req, 0,
				 __ATOMIC_SEQ_CST);
}

/*
 * This CPU waits in HYP until hal_cpu_reset() lets it run, then enters its
 * cell in the architectural reset state: SVC mode, interrupts masked, MMU
 * and caches off, r0 = the context id of a PSCI CPU_ON (else 0). Whoever
 * owned it before, nothing of theirs stays: it is scrubbed (handover.h)
 * before it waits, so also before DISABLE hands it to the firmware.
 */
void arm_cpu_wait(void)
{
	struct arm_cpu *c = arm_this_cpu();
	uint32_t context;

	traplog_parked();
	/* Nothing of the cell stays in the CPU or the interrupt controller. */
	arm_handover_scrub();
	arm_gic_reset_cpu();
	c->park_req = 0;
	__atomic_store_n(&c->state, CPU_WAITING, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&c->reset_req, __ATOMIC_SEQ_CST)) {
		if (__atomic_load_n(&c->exit_req, __ATOMIC_SEQ_CST)) {
			/* DISABLE: off for good, PSCI CPU_ON reaches firmware. */
			c->exit_req = 0;
			arm_handover_traps(false);
			set_hcr(0);
			__atomic_store_n(&c->state, CPU_OFF, __ATOMIC_SEQ_CST);
			arm_smc(PSCI_CPU_OFF, 0, 0, 0);
			core_hypervisor_panic("PSCI CPU_OFF returned", c->id);
		}
		asm volatile("wfe" ::: "memory");
	}
	c->reset_req = 0;
	context = c->context;
	c->context = 0;
	write_vmpidr(c->mpidr);
	load_cell(core_cpu_cell(c->id));
	arm_gic_reset_cpu();
	asm volatile("isb" ::: "memory");
	c->state = CPU_GUEST;
	/* r1-r12 and LR_usr 0 (ARM_HANDOVER_GPRS), r0 the context id. */
	arm_enter_guest(c->entry, ARM_HANDOVER_CPSR, context, 0, 0,
			(uint32_t)(uintptr_t)(c->stack + ARM_STACK_SIZE));
}

/* A root CPU other than the boot CPU: under the hypervisor, then wait. */
void arm_secondary_main(unsigned int idx)
{
	struct arm_cpu *c = cpu_begin(idx);
	int err = arm_hyp_mmu_on(false) ? core_cpu_entry_parked() : -WD_EINVAL;

	if (err)
		core_printk("warden: CPU %u failed to enter (%d)\n", idx, err);
	else
		c->state = CPU_WAITING;
	__atomic_store_n(&c->online_done, 1, __ATOMIC_SEQ_CST);
	asm volatile("dsb; sev" ::: "memory");
	if (err)
		for (;;)
			asm volatile("wfi");
	arm_cpu_wait();
}

/* Start the root cell's other CPUs one by one (the core is not reentrant). */
static void start_secondaries(const struct wd_system *sys)
{
	uint32_t cpus = psci_machine_cpus(sys) & ((1u << ARM_MAX_CPUS) - 2);
	unsigned int cpu;
	long ret;

	for (; cpus; cpus &= cpus - 1) {
		cpu = (unsigned int)__builtin_ctz(cpus);
		/* QEMU virt: MPIDR affinity 0 = CPU number. */
		ret = arm_smc(PSCI_CPU_ON, cpu,
			      (uint32_t)(uintptr_t)secondary_start, cpu);
		if (ret)
			core_printk("warden: CPU %u not started (PSCI %ld)\n",
				    cpu, ret);
		else if (!await_count(&arm_cpus[cpu].online_done, 1, ANSWER_NS))
			core_printk("warden: CPU %u did not come up\n", cpu);
	}
}

extern uint32_t linux_first;
static int linux_setup_done; /* 1, or -WD_E* of the set-up */
static uint32_t core_lock;   /* core_cpu_entry() one CPU at a time */
static int linux_entered;    /* CPUs through (or failed) */

/* A failed set-up's @why and @what in @reason and @item; -@err. */
static int failed(uint32_t *reason, uint64_t *item, uint32_t why, uint64_t what,
		  int err)
{
	*reason = why;
	*item = what;
	return -err;
}

/*
 * The set-up both ways in share: the system config's console, the checks
 * of where warden runs, HYP's identity map on, the core with the page pool
 * [@pool, end of hypervisor memory). Returns 0 or -WD_E* (printed; with
 * the reason kept by the core or in @reason, @item).
 */
static int hv_setup(const struct wd_system *sys, uintptr_t pool,
		    uint32_t *reason, uint64_t *item)
{
	uint64_t hv_start, hv_end, size;
	struct hv_memory mem;
	int err;

	if (wd_strncmp(sys->signature, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN) ||
	    sys->debug_console.type != WD_CON_TYPE_PL011) /* no console */
		return failed(reason, item, WD_R_cfg_signature, 0, WD_EINVAL);
	uart = (volatile uint32_t *)(uintptr_t)sys->debug_console.address;
	core_printk("\nwarden: ARMv7 HYP entry on CPU %u (MPIDR 0x%x)%s, image "
		    "0x%x..0x%x\n",
		    arm_this_cpu()->id, (unsigned int)read_mpidr(),
		    from_linux ? " from Linux" : "",
		    (unsigned int)(uintptr_t)__hv_start,
		    (unsigned int)(uintptr_t)__hv_end);
	size = wd_system_config_size(sys);
	if (size > BOOT_CONFIG_MAX) {
		core_printk("warden: system config too large (%llu)\n",
			    (unsigned long long)size);
		return failed(reason, item, WD_R_cfg_too_large, size, WD_E2BIG);
	}
	hv_start = sys->hypervisor_memory.phys_start;
	hv_end = hv_start + sys->hypervisor_memory.size;
	/* Position-independent (entry.S): it runs where it was loaded,
	 * which must be where the config says hypervisor memory starts. */
	if ((uintptr_t)__hv_start != hv_start || pool + 4 * 4096 > hv_end ||
	    hv_end > 0x100000000ULL || hv_end < hv_start) {
		core_printk("warden: loaded at 0x%x (image up to 0x%x), but "
			    "the system config's hypervisor memory is "
			    "0x%llx..0x%llx: load warden.bin at its start "
			    "(below 4 GiB, large enough for the image)\n",
			    (unsigned int)(uintptr_t)__hv_start,
			    (unsigned int)pool, (unsigned long long)hv_start,
			    (unsigned long long)hv_end);
		return failed(reason, item, WD_R_late_placement, hv_start,
			      WD_EINVAL);
	}
	size = arm_hyp_mmu_build(sys, &pool); /* its tables: the pool's start */
	mem.base = (void *)pool;
	mem.phys = hpa(pool);
	mem.size = hv_end - pool;
	if (!arm_hyp_mmu_on(true)) {
		core_printk("warden: HYP MMU did not turn on\n");
		return failed(reason, item, WD_R_cpu_init, 0, WD_EBUSY);
	}
	core_printk("warden: HYP identity map on: %u MiB normal memory, the "
		    "rest device\n",
		    (unsigned int)size);
	traplog_init(NULL); /* trap log: the core's records go to its sink */
	err = core_init(sys, wd_system_config_size(sys), &mem);
	if (err) {
		arm_hyp_mmu_off();
		failed(reason, item, core_last_reason()->code,
		       core_last_reason()->item, 0);
	}
	return err;
}

void arm_boot_main(void)
{
	const struct wd_system *sys = (const void *)BOOT_SYSTEM_CONFIG;
	struct arm_cpu *c = cpu_begin(0);
	uint32_t reason = 0;
	uint64_t item = 0;
	unsigned int cpu;
	int err = hv_setup(sys, (uintptr_t)__hv_end, &reason, &item);

	arm_stack_check();
	if (!err)
		err = core_cpu_entry();
	if (err) {
		core_printk("warden: enable failed (%d)\n", err);
		hal_machine_stop();
	}
	c->state = CPU_GUEST;
	start_secondaries(sys);
	for (cpu = 0; cpu < ARM_MAX_CPUS; cpu++)
		if (core_cpu_flags(cpu) & CORE_CPU_ONLINE)
			core_printk("warden: CPU %u online (%s)\n", cpu,
				    cpu ? "waiting for PSCI CPU_ON" :
					  "running the root cell");
	core_printk("warden: entering the root cell at 0x%x\n",
		    BOOT_ROOT_ENTRY);
	arm_enter_guest(BOOT_ROOT_ENTRY, PSR_MODE_SVC | PSR_A | PSR_I | PSR_F,
			0, ~0u, BOOT_DTB,
			(uint32_t)(uintptr_t)(c->stack + ARM_STACK_SIZE));
}

/* The first CPU from Linux: the header's fields the driver wrote, then the
 * standalone boot's set-up with the config the driver placed. */
static int linux_setup(struct wd_hv_header *hdr, uint32_t *reason,
		       uint64_t *item)
{
	uint32_t off = hdr->config_offset, end = off + hdr->config_size;
	const struct wd_system *sys = (const void *)(__hv_start + off);

	if (hdr->online_cpus > ARM_MAX_CPUS || off % 4096 ||
	    off < hdr->memory_size || end < off ||
	    hdr->config_size < sizeof(*sys))
		return failed(reason, item, WD_R_late_header,
			      offsetof(struct wd_hv_header, config_offset),
			      WD_EINVAL);
	if (wd_system_config_size(sys) > hdr->config_size ||
	    end > sys->hypervisor_memory.size)
		return failed(reason, item, WD_R_late_header,
			      offsetof(struct wd_hv_header, config_size),
			      WD_EINVAL);
	return hv_setup(sys, (uintptr_t)__hv_start + ((end + 4095) & ~4095u),
			reason, item);
}

/*
 * linux_entry, on each CPU Linux had online, once the image is relocated:
 * the first sets up, then one by one each joins the root cell as it runs
 * (Linux's state in the PL1 registers is the guest's) and returns 0 to
 * Linux with warden's vectors, or fails with the stub's HVBAR and HYP's
 * MMU off, the reason in the header (reserved[0], [1]) for the driver.
 */
int arm_linux_main(void)
{
	struct wd_hv_header *hdr = (struct wd_hv_header *)__hv_start;
	struct arm_cpu *c = cpu_begin(MPIDR_AFF0(read_mpidr()));
	uint32_t reason = 0;
	uint64_t item = 0;
	int err = 0;

	c->stub_hvbar = arm_read_cp32(4, c12, c0, 0);
	from_linux = true;
	if (c->id == linux_first) {
		err = linux_setup(hdr, &reason, &item);
		arm_stack_check();
		__atomic_store_n(&linux_setup_done, err ? err : 1,
				 __ATOMIC_SEQ_CST);
		asm volatile("dsb; sev" ::: "memory");
	} else {
		if (!await_count(&linux_setup_done, 1, 5 * ANSWER_NS))
			/* The first CPU's reason is in the header. */
			return linux_setup_done < 0 ? linux_setup_done :
						      -WD_EBUSY;
		if (!arm_hyp_mmu_on(false))
			err = failed(&reason, &item, WD_R_cpu_init, c->id,
				     WD_EBUSY);
	}
	if (!err) {
		arm_gic_linux_save();
		while (__atomic_exchange_n(&core_lock, 1, __ATOMIC_ACQUIRE))
			asm volatile("yield" ::: "memory");
		err = core_cpu_entry();
		__atomic_store_n(&core_lock, 0, __ATOMIC_RELEASE);
		if (err) {
			reason = core_last_reason()->code;
			item = core_last_reason()->item;
			arm_hyp_mmu_off();
		}
	}
	if (err) {
		__atomic_fetch_add(&linux_entered, 1, __ATOMIC_SEQ_CST);
		/* The reason and the item's low half, for the driver (entry.S
		 * writes them there too: header offsets 48 and 52). */
		memcpy(&hdr->reserved[0], &reason, 4);
		memcpy(&hdr->reserved[4], &item, 4);
		return err;
	}
	arm_gic_linux_enter();
	write_hvbar((uintptr_t)hyp_vectors);
	asm volatile("isb" ::: "memory");
	c->state = CPU_GUEST;
	/* Back to Linux together: no CPU traps while another still enters. */
	__atomic_fetch_add(&linux_entered, 1, __ATOMIC_SEQ_CST);
	await_count(&linux_entered, (int)hdr->online_cpus, 5 * ANSWER_NS);
	return 0;
}

/* After DISABLE on a CPU Linux gave: back to the stub, MMU off. */
void arm_linux_leave(void)
{
	struct arm_cpu *c = arm_this_cpu();

	c->leave = 0;
	arm_gic_linux_leave();
	write_hvbar(c->stub_hvbar);
	arm_hyp_mmu_off();
}
