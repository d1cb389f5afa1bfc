/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The root-cell manager's ARMv7 part (the rest is inmates/manager/
 * manager.c): the generic timer, PSCI (CPU_ON for the spare CPU, SYSTEM_OFF,
 * natively through the firmware), the GIC distributor checks, the
 * interrupts and trap loops of the bench, the PL011 after DISABLE.
 */
#include "manager.h"

#define UART_BASE 0x09000000
#define GICD_BASE 0x08000000
#define GICD_TYPER 0x004
#define GICD_ISENABLER 0x100
#define GICD_SGIR 0xf00
/* The virtual CPU interface (GICV), where the root sees the CPU interface. */
#define GICC_BASE 0x08010000
#define BENCH_SGI 1	   /* a guest SGI to itself: virtual only */
#define BENCH_TIMER_IRQ 27 /* the virtual timer's PPI: a physical interrupt */

/* Nothing here idles or halts through the library; required by comm.c. */
void inmate_halt(void)
{
	for (;;)
		asm volatile("cpsid if; dsb; wfi" : : : "memory");
}

uint64_t mgr_now_ns(void)
{
	uint64_t t = arm_read_cp64(0, c14); /* CNTPCT */
	uint32_t f = arm_read_cp32(0, c14, c0, 0);

	if (!f)
		f = DEFAULT_CLOCK_KHZ * 1000;
	return t / f * NS_PER_SEC + t % f * NS_PER_SEC / f;
}

static long psci_smc(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
	register uint32_t r0 asm("r0") = fn;
	register uint32_t r1 asm("r1") = a1;
	register uint32_t r2 asm("r2") = a2;
	register uint32_t r3 asm("r3") = a3;

	asm volatile(".arch_extension sec\n\tsmc #0"
		     : "+r"(r0)
		     : "r"(r1), "r"(r2), "r"(r3)
		     : "memory");
	return (int32_t)r0;
}

static void __attribute__((noreturn)) power_off(void)
{
	long ret;

	printf("[manager] PSCI SYSTEM_OFF\n");
	ret = psci_smc(PSCI_SYSTEM_OFF, 0, 0, 0);
	printf("[manager] still running after SYSTEM_OFF (%ld)\n", ret);
	inmate_halt();
}

void mgr_power_off(bool pass)
{
	(void)pass; /* SYSTEM_OFF has no status; the verdict line says it */
	power_off();
}

void manager_exception(unsigned int kind, uint32_t lr);
void manager_irq(uint32_t lr);

extern const char secondary_start[];

void mgr_start_spare(unsigned int cpu)
{
	long ret;

	ret = psci_smc(PSCI_CPU_ON, cpu, (uintptr_t)secondary_start, 0x5a);
	wait_for(&spare_count, 0, 1000);
	printf("[manager] PSCI CPU_ON(%u) = %ld, counting: %s, context 0x%x\n",
	       cpu, ret, spare_count ? "yes" : "no",
	       (unsigned int)spare_context);
	check("manager.cpu-on", !ret && spare_count && spare_context == 0x5a,
	      "result %ld", ret);
	ret = psci_smc(PSCI_CPU_ON, cpu, (uintptr_t)secondary_start, 0);
	printf("[manager] PSCI CPU_ON(%u) again = %ld\n", cpu, ret);
	check_eq("manager.cpu-on-already-on", ret,
		 (uint64_t)-4 /* ALREADY_ON */);
}

void manager_exception(unsigned int kind, uint32_t lr)
{
	printf("[fatal] manager: exception %u, lr 0x%x\n", kind,
	       (unsigned int)lr);
	power_off();
}

/* The trapped distributor: reads filtered, writes checked per pin. */
/* MANAGER_IRR is x86's (the GIC's pending state is not read here). */
void mgr_irr_check(unsigned int run, unsigned int vector)
{
	(void)run;
	(void)vector;
	check_skip("manager.irr", "x86 only");
}

void mgr_irqchip_checks(void)
{
	uint32_t typer = mmio_read32(GICD_BASE + GICD_TYPER);
	uint32_t en;

	printf("[manager] GICD_TYPER = 0x%x (trapped, emulated)\n",
	       (unsigned int)typer);
	check("manager.gicd-typer", (typer & 0x1f) >= 1, "lines field %u",
	      (unsigned int)(typer & 0x1f));
	/* SPI 33 (the UART) is the root cell's: enabling it is allowed. */
	mmio_write32(GICD_BASE + GICD_ISENABLER + 4, 1u << 1);
	en = mmio_read32(GICD_BASE + GICD_ISENABLER + 4);
	printf("[manager] GICD_ISENABLER1 = 0x%x after enabling SPI 33\n",
	       (unsigned int)en);
	check("manager.gicd-enable-own-spi", en & (1u << 1), "0x%x",
	      (unsigned int)en);
	mmio_write32(GICD_BASE + GICD_ISENABLER + 0x80 + 4, 1u << 1);
}

/*
 * Figures (tests/qemu/arm_figures.py): a QEMU plugin counts the
 * hypervisor's instructions between calls of this marker.
 */
void __attribute__((noinline)) bench_mark(void);
void __attribute__((noinline)) bench_mark(void)
{
	asm volatile("" ::: "memory");
}

/* The bench's interrupts: the last one taken; others are fatal. */
static volatile uint32_t bench_irq;
static bool bench_irqs_on;

void manager_irq(uint32_t lr)
{
	uint32_t iar = mmio_read32(GICC_BASE + GICC_IAR);
	uint32_t id = iar & 0x3ff;

	if (!bench_irqs_on || (id != BENCH_SGI && id != BENCH_TIMER_IRQ)) {
		printf("[manager] unexpected IRQ %u\n", (unsigned int)id);
		manager_exception(6, lr);
	}
	/* The timer's line is level: lower it before the end of the
	 * interrupt, or the hypervisor's deactivation re-raises it. */
	if (id == BENCH_TIMER_IRQ)
		arm_write_cp32(0, c14, c3, 1, 0); /* CNTV_CTL: off */
	mmio_write32(GICC_BASE + GICC_EOIR, iar);
	bench_irq = id + 1;
}

/* Unmask IRQs until the bench interrupt @id arrived, then mask them. */
static void bench_wait_irq(uint32_t id)
{
	asm volatile("cpsie i" ::: "memory");
	while (bench_irq != id + 1)
		cpu_relax();
	asm volatile("cpsid i" ::: "memory");
	bench_irq = 0;
}

/*
 * MANAGER_BENCH_LOOPS traps of each kind, between markers, then as many
 * injected interrupts of two kinds: a virtual SGI to itself (GICD_SGIR
 * trapped, the SGI put in a list register on the way back; ended at the
 * virtual CPU interface without a trap) and the virtual timer's physical
 * PPI (taken in HYP, put in a list register, ended by the guest at the
 * virtual CPU interface, which raises the EOI maintenance interrupt in
 * which the hypervisor deactivates the physical one).
 */
void mgr_bench(void)
{
	unsigned int i;

	printf("[manager] bench: %u traps of each kind\n", MANAGER_BENCH_LOOPS);
	/* The virtual CPU interface on, the timer's PPI enabled. */
	mmio_write32(GICC_BASE + GICC_PMR, 0xf0);
	mmio_write32(GICC_BASE + GICC_CTLR, 1);
	mmio_write32(GICD_BASE + GICD_ISENABLER, 1u << BENCH_TIMER_IRQ);
	bench_irqs_on = true;
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++)
		hypercall(WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0);
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++)
		mmio_read32(GICD_BASE + GICD_TYPER);
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++)
		mmio_write32(GICD_BASE + GICD_ISENABLER + 4, 1u << 1);
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++) {
		/* Target filter 2: this CPU only. */
		mmio_write32(GICD_BASE + GICD_SGIR, 2u << 24 | BENCH_SGI);
		bench_wait_irq(BENCH_SGI);
	}
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++) {
		arm_write_cp32(0, c14, c3, 0, 0); /* CNTV_TVAL: due now */
		arm_write_cp32(0, c14, c3, 1, 1); /* CNTV_CTL: on */
		bench_wait_irq(BENCH_TIMER_IRQ);
	}
	bench_mark();
	printf("[manager] bench: %u SGIs and %u timer interrupts taken\n",
	       MANAGER_BENCH_LOOPS, MANAGER_BENCH_LOOPS);
	power_off();
}

void mgr_console_native(void)
{
	inmate_params.console_type = WD_CON_TYPE_PL011;
	inmate_params.console_base = UART_BASE;
	inmate_params.console_flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4;
	inmate_params.console_hc = INMATE_HC_NEVER;
	console_init();
}

/* A hypercall now reaches the firmware's HYP stub, which refuses it. */
/* Set by the late-launch test's start-up (late.c); in .data, which the
 * start-up does not clear. */
uint32_t mgr_late __attribute__((section(".data")));
/* late.c: a second launch after DISABLE (only in manager-late.elf). */
void late_relaunch(void) __attribute__((weak));

/* After a standalone boot warden's vectors stay and refuse; after a late
 * launch the HYP stub is back and answers HVC_STUB_ERR. */
void mgr_check_disabled(void)
{
	long ret = hypercall(WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0);

	printf("[manager] HYPERVISOR_GET_INFO after DISABLE = %ld\n", ret);
	check_eq("manager.disabled", ret, mgr_late ? 0xbadca11 : -WD_EPERM);
	if (mgr_late && late_relaunch)
		late_relaunch();
}

void mgr_console_hv(void)
{
	/* The hypervisor's debug console, not the UART it shares with us:
	 * its lines are whole, never mixed with warden's from other CPUs. */
	inmate_params.console_type = INMATE_CON_NONE;
	inmate_params.console_hc = INMATE_HC_ALWAYS;
	console_init();
}

void mgr_banner(void)
{
	printf("[manager] root-cell manager on %s, MPIDR 0x%x\n", ARCH_NAME,
	       (unsigned int)arm_read_cp32(0, c0, c0, 5));
}

/* The boot CPU's Aff0 is its id on QEMU virt. */
unsigned int mgr_self_cpu(void)
{
	return arm_read_cp32(0, c0, c0, 5) & 0xff;
}
