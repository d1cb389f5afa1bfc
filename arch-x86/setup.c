/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Standalone boot on x86 (common to the AMD-V and VT-x backends): the
 * multiboot entry (entry.S) lands in x86_boot_main() in long mode with the
 * hypervisor's 1:1 page tables; this takes the system config at
 * BOOT_SYSTEM_CONFIG, hands the rest of hypervisor memory to the core,
 * brings up the root cell's other CPUs by INIT/SIPI and enters the root
 * cell at BOOT_ROOT_ENTRY through the vendor backend. Also the per-CPU
 * GDT/TSS/IDT, exception reports, the 8250 console, the TSC, the LAPIC,
 * CPU control (park, reset, suspend) and machine stop.
 *
 * CPU model as on ARMv7 (arch-armv7/setup.c): a CPU is OFF, WAITING in
 * the hypervisor (parked, or waiting for its cell's INIT/SIPI) or in the
 * GUEST. Requests from other CPUs are flags in the per-CPU block plus an
 * NMI, which the vendor backend intercepts in the guest.
 */
#include "boot.h"
#include "hal.h"
#include "handover.h"
#include "iommu.h"
#include "msr.h"
#include "../core/lib.h"
#include "../core/traplog.h"
#include "x2apic.h"
#include "x86.h"

union x86_cpu_block x86_cpus[X86_MAX_CPUS];
uint64_t x86_tsc_khz, x86_apic_khz;
extern uint32_t x86_mbinfo;
extern char __hv_start[], __hv_end[];
extern char x86_trampoline[], x86_trampoline_end[];
extern const uint64_t x86_boot_gdt[];
extern const char x86_exception_stubs[];

#define XAPIC ((volatile uint32_t *)0xfee00000UL)
#define ICR_PENDING (1U << 12)

static uint16_t uart_port;

static uint32_t inl(uint16_t port)
{
	uint32_t v;

	asm volatile("inl %w1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

/* The boot command line: exit=qemu and exit=bochs say how to leave the
 * emulator (hal_machine_stop); traplog=e9: the trap-log image's lines go
 * to port 0xe9 (traplog.c). */
static bool exit_qemu, exit_bochs, log_e9;

/* ---- console: raw output; the core keeps lines whole (core/printk.c) ---- */

void hal_console_putc(char c)
{
	unsigned int spins = 0;

	if (!uart_port)
		return;
	if (c == '\n')
		hal_console_putc('\r');
	/* LSR.THRE; bounded, so a missing UART cannot hang the machine. */
	while (!(inb(uart_port + 5) & 0x20) && ++spins < 100000)
		cpu_pause();
	outb(uart_port, (uint8_t)c);
}

/* ---- time ---- */

uint64_t hal_time_ns(void)
{
	uint64_t t = rdtsc(), khz = x86_tsc_khz ? x86_tsc_khz : 1000000;

	return t / khz * 1000000ULL + t % khz * 1000000ULL / khz;
}

#define PM_TIMER_HZ 3579545ULL

/*
 * TSC rate against the ACPI PM timer of the config (24 bits at least,
 * 3.579545 MHz) over ~10 ms; when it does not count (no firmware set up
 * the PM block: Bochs without a BIOS), against PIT channel 2 instead.
 */
static uint64_t calibrate_tsc(uint16_t pm_port)
{
	uint32_t p0, p1 = 0, d;
	uint64_t t0;
	int i;

	if (pm_port) {
		p0 = inl(pm_port);
		for (i = 0; i < 1000 && (p1 = inl(pm_port)) == p0; i++)
			;
		if (i < 1000) { /* it counts: from the tick it made */
			t0 = rdtsc();
			while ((d = (inl(pm_port) - p1) & 0xffffff) <
			       PM_TIMER_HZ / 100)
				;
			return (rdtsc() - t0) * PM_TIMER_HZ / d / 1000;
		}
	}
	/* PIT channel 2, mode 0, 11932 ticks of 1.193182 MHz = 10 ms. */
	outb(0x61, (inb(0x61) & ~0x02) | 0x01);
	outb(0x43, 0xb0);
	outb(0x42, 11932 & 0xff);
	outb(0x42, 11932 >> 8);
	t0 = rdtsc();
	for (i = 0; i < 100000000 && !(inb(0x61) & 0x20); i++)
		;
	return (rdtsc() - t0) / 10;
}

/* ---- LAPIC ---- */

/* The xAPIC page: register @reg (x2APIC numbering) at @reg * 16. */
static uint32_t xapic_read(unsigned int reg)
{
	return XAPIC[reg * 4];
}

static int xapic_write(unsigned int reg, uint32_t val)
{
	XAPIC[reg * 4] = val;
	return 0;
}

static void xapic_send_ipi(unsigned int cpu, uint32_t mode_vector)
{
	unsigned int spins = 0;

	xapic_write(XAPIC_ICR_HI, cpu << 24);
	xapic_write(X2APIC_ICR, mode_vector | (1U << 14)); /* assert */
	while (xapic_read(X2APIC_ICR) & ICR_PENDING && ++spins < 1000000)
		cpu_pause();
}

static const struct x86_lapic xapic = { xapic_read, xapic_write,
					xapic_send_ipi };
const struct x86_lapic *x86_lapic = &xapic;

/* A LAPIC with fewer than 7 LVT entries (QEMU's) has no CMCI LVT: it is
 * kept per CPU, so that touching it latches no error in the ESR. */
static bool apic_has_cmci(void)
{
	return (x86_lapic->read(X2APIC_VER) >> 16 & 0xff) >= 6;
}

int x86_op_apic_read(void *ctx, uint32_t msr, uint64_t *val)
{
	unsigned int reg = msr - MSR_X2APIC_FIRST;

	(void)ctx;
	if (reg == X2APIC_LVT_CMCI && !apic_has_cmci())
		*val = x86_this_cpu()->lvt_cmci;
	else if (msr == MSR_APIC_BASE)
		*val = x86_this_cpu()->apic_base;
	else if (reg == X2APIC_ID) /* CPU ids are APIC ids (entry.S) */
		*val = hal_cpu_id();
	else if (reg == X2APIC_ICR)
		*val = x86_this_cpu()->icr;
	else /* a register the policy lets a cell read (exit.h) */
		*val = x86_lapic->read(reg);
	return 0;
}

int x86_op_apic_write(void *ctx, uint32_t msr, uint64_t val)
{
	struct x86_cpu *c = x86_this_cpu();
	unsigned int reg = msr - MSR_X2APIC_FIRST;

	(void)ctx;
	/* IA32_APIC_BASE: EN and EXTD the cell's, address and BSP flag kept */
	if (msr == MSR_APIC_BASE)
		c->apic_base = (c->apic_base & ~0xc00ull) | (val & 0xc00);
	else if (reg == X2APIC_LVT_CMCI && !apic_has_cmci())
		c->lvt_cmci = (uint32_t)val & 0x107ff;
	else if (reg == X2APIC_ICR)
		c->icr = val;
	else if (reg == X2APIC_SELF_IPI)
		x86_lapic->send_ipi(hal_cpu_id(), APIC_DM_FIXED | (val & 0xff));
	else if (reg < 0x40)
		return x86_lapic->write(reg, (uint32_t)val);
	return 0;
}

/* The LAPIC registers of the handover list (but ICR and ESR). */
static void apic_list(void)
{
#define APIC(name, reg, val)                        \
	if (reg != X2APIC_ICR && reg != X2APIC_ESR) \
		x86_op_apic_write(NULL, MSR_X2APIC_FIRST + (reg), val);
	X86_HANDOVER_APIC(APIC)
#undef APIC
}

/*
 * XCR0 (where the CPU has XSAVE), x87 and SSE are not switched by VMRUN or
 * VM entries: the CPU's own state, set for the cell from reset. FXRSTOR of
 * an image with FCW 0x37f, MXCSR 0x1f80 and the rest zero: the x87 stack
 * empty with ST0-7 zero (FNINIT alone would keep their contents), XMM0-15
 * zero. Then the LAPIC; IA32_APIC_BASE with the BSP flag on the cell's
 * first CPU.
 */
void x86_handover(bool xsave)
{
	static const uint32_t image[128] __attribute__((aligned(16))) = {
		[0] = 0x037f,
		[6] = 0x1f80,
	};
	uint64_t cpus = core_cell_cpus(core_cpu_cell(hal_cpu_id())).bits;
	bool bsp = (cpus & -cpus) == 1ull << hal_cpu_id(); /* the lowest */
	unsigned int i, r, pending;

	if (xsave)
		asm volatile("xsetbv" ::"c"(0),
			     "a"((uint32_t)X86_HANDOVER_XCR0), "d"(0));
	asm volatile("fxrstor %0" ::"m"(image));
	/*
	 * What the last owner left in service (ISR: each EOI ends the
	 * highest) or requested (IRR: taken here and ended by
	 * irq_drain), with every LVT masked (no ExtINT or timer during
	 * the drain), the APIC enabled and TPR 0; bounded.
	 */
	apic_list();
	x86_lapic->write(X2APIC_SIVR, 0x1ff);
	for (i = 0; i < 64; i++) {
		for (pending = 0, r = 0; r < 8; r++)
			pending |= x86_lapic->read(X2APIC_IRR + r) |
				   x86_lapic->read(X2APIC_ISR + r);
		if (!pending)
			break;
		x86_lapic->write(X2APIC_EOI, 0);
		x86_irq_window();
	}
	apic_list();
	/* ESR: a write latches, a second clears */
	x86_lapic->write(X2APIC_ESR, 0);
	x86_lapic->write(X2APIC_ESR, 0);
	x86_this_cpu()->icr = 0;
	x86_this_cpu()->apic_base = X86_HANDOVER_APIC_BASE |
				    (bsp ? X86_HANDOVER_APIC_BASE_BSP : 0);
}

static void delay_us(uint64_t us)
{
	uint64_t end = hal_time_ns() + us * 1000;

	while (hal_time_ns() < end)
		cpu_pause();
}

/* The LAPIC timer's rate (divide by 1) against the TSC, over 10 ms; the
 * timer stopped after (a late launch sets Linux's again, linux.c). */
static uint64_t calibrate_apic(void)
{
	uint32_t left;

	x86_lapic->write(X2APIC_LVT_TIMER, 0x10000); /* masked, one-shot */
	x86_lapic->write(X2APIC_TDCR, 0xb);
	x86_lapic->write(X2APIC_TMICT, 0xffffffff);
	delay_us(10000);
	left = x86_lapic->read(X2APIC_TMCCT);
	x86_lapic->write(X2APIC_TMICT, 0);
	return (0xffffffffull - left) / 10;
}

/* ---- per-CPU tables, exceptions ---- */

/* 16-byte gates, built as the GDT's TSS descriptor is (x86_cpu_tables). */
static uint64_t idt[256][2] __attribute__((aligned(16)));

/* Vectors 32-255: end the interrupt (x86_handover's drain of what a
 * cell left requested; the hypervisor takes no interrupt otherwise). */
struct irq_frame;
__attribute__((interrupt)) static void irq_drain(struct irq_frame *frame)
{
	(void)frame;
	x86_lapic->write(X2APIC_EOI, 0);
}

void x86_cpu_tables(struct x86_cpu *c)
{
	uint64_t tss = (uintptr_t)&c->tss;
	struct x86_dtr gdtr = { sizeof(c->gdt) - 1, (uintptr_t)c->gdt },
		       idtr = { sizeof(idt) - 1, (uintptr_t)idt };
	unsigned int v;

	/* The IDT: exceptions 0-31 (entry.S), interrupts 32-255. */
	for (v = 0; v < 256; v++) {
		uint64_t a = v < 32 ? (uintptr_t)x86_exception_stubs +
					      v * X86_EXC_STUB_SIZE :
				      (uintptr_t)irq_drain;
		/* NMI, #DF, #MC on their own stacks (IST 1-3). */
		uint64_t ist = v == 2 ? 1 : v == 8 ? 2 : v == 18 ? 3 : 0;

		/* An interrupt gate (type 0x8e): offset, selector, IST. */
		idt[v][0] = (a & 0xffff) | GDT_CS64 << 16 | ist << 32 |
			    0x8eULL << 40 | (a >> 16 & 0xffff) << 48;
		idt[v][1] = a >> 32;
	}
	memcpy(c->gdt, x86_boot_gdt, 4 * sizeof(c->gdt[0])); /* its 4 entries */
	c->gdt[GDT_TSS / 8] = (sizeof(c->tss) - 1) | (tss & 0xffffff) << 16 |
			      0x89ULL << 40 | (tss >> 24 & 0xff) << 56;
	c->gdt[GDT_TSS / 8 + 1] = tss >> 32;
	for (v = 0; v < 3; v++)
		c->tss.ist[v + 1] = (uintptr_t)c->ist[v] + X86_IST_SIZE;
	c->tss.iomap = sizeof(c->tss);
	/* CS and SS hold GDT_CS64 and GDT_DS already (entry.S; the late
	 * launch reloads them, linux.c). */
	asm volatile("lgdt %0; lidt %1; ltr %w2" ::"m"(gdtr), "m"(idtr),
		     "r"(GDT_TSS)
		     : "memory");
}

/* An exception in the hypervisor (entry.S's stubs: not an NMI). */
void x86_exception(uint64_t vector, uint64_t error, uint64_t rip, uint64_t rsp)
{
	uint64_t cr2;

	asm volatile("mov %%cr2, %0" : "=r"(cr2));
	/* uint64_t is unsigned long here (LP64): %lx, no casts. */
	core_printk("warden: exception vector %lu on CPU %u, error code 0x%lx, "
		    "RIP 0x%lx, RSP 0x%lx, CR2 0x%lx\n",
		    vector, hal_cpu_id(), error, rip, rsp, cr2);
	core_hypervisor_panic("exception in the hypervisor", rip);
}

/* ---- machine ---- */

static int machine_stopped;

/* Every CPU checks this on each trap and wakeup (x86_check_requests). */
static void stop_if_stopped(void)
{
	if (__atomic_load_n(&machine_stopped, __ATOMIC_SEQ_CST))
		for (;;)
			asm volatile("cli; hlt"); /* an NMI returns here */
}

void hal_machine_stop(void)
{
	const char *s;
	unsigned int cpu;

	core_printk("warden: machine stopped\n");
	__atomic_store_n(&machine_stopped, 1, __ATOMIC_SEQ_CST);
	/* The NMI takes each other CPU out of its guest, or wakes it. */
	for (cpu = 0; cpu < X86_MAX_CPUS; cpu++)
		if (cpu != hal_cpu_id() && x86_cpu(cpu)->state != CPU_OFF)
			x86_lapic->send_ipi(cpu, APIC_DM_NMI);
	if (exit_qemu) /* isa-debug-exit: QEMU exits with status 3 */
		asm volatile("outl %0, %1" ::"a"(1U), "Nd"(0xf4));
	if (exit_bochs)
		for (s = "Shutdown"; *s; s++)
			outb(0x8900, (uint8_t)*s);
	stop_if_stopped(); /* it is */
}

unsigned int hal_cpu_id(void)
{
	return x86_this_cpu()->id;
}

hpa_t hal_virt_to_phys(const void *p)
{
	return hpa((uintptr_t)p); /* the hypervisor's map is 1:1 */
}

void hal_pio_access(struct pio_access *acc)
{
	uint16_t port = acc->port;

	if (acc->is_write && acc->size == 1)
		outb(port, (uint8_t)acc->value);
	else if (acc->is_write && acc->size == 2)
		asm volatile("outw %w0, %w1" ::"a"(acc->value), "Nd"(port));
	else if (acc->is_write)
		asm volatile("outl %0, %w1" ::"a"(acc->value), "Nd"(port));
	else if (acc->size == 1)
		acc->value = inb(port);
	else if (acc->size == 2) /* into AX of an EAX that holds 0 */
		asm volatile("inw %w1, %w0"
			     : "=a"(acc->value)
			     : "Nd"(port), "0"(0));
	else
		acc->value = inl(port);
}

/*
 * A function's config space below 0x100 in the ECAM window: reached by
 * mechanism #1 (ports 0xcf8/0xcfc, one CPU at a time; no cell reaches
 * them, core/pio.c), which every PC has: Bochs' i440FX has no ECAM.
 */
static bool cfg_ports(uint64_t a, struct mmio_access *acc)
{
	static uint32_t lock;
	const struct wd_platform_info *p = &core_system_config()->platform_info;
	uint64_t off = a - p->pci_mmconfig_base;
	struct pio_access io = { (uint16_t)(0xcfc + (off & 3)), acc->size,
				 acc->is_write, (uint32_t)acc->value };

	if (a < p->pci_mmconfig_base ||
	    off >= (uint64_t)(p->pci_mmconfig_end_bus + 1) << 20 ||
	    (off & 0xfff) >= 0x100 || acc->size > 4)
		return false;
	while (__atomic_exchange_n(&lock, 1, __ATOMIC_ACQUIRE))
		cpu_pause();
	asm volatile("outl %0, %w1" ::"a"((uint32_t)(0x80000000U |
						     (off >> 4 & 0xffff00) |
						     (off & 0xfc))),
		     "Nd"(0xcf8));
	hal_pio_access(&io);
	__atomic_store_n(&lock, 0, __ATOMIC_RELEASE);
	acc->value = io.value;
	return true;
}

/* The hypervisor maps 0..4 GiB 1:1 (the top GiB uncached): devices live
 * there on the machines warden boots on. */
void hal_phys_access(hpa_t addr, struct mmio_access *acc)
{
	volatile void *p = (volatile void *)(uintptr_t)addr.v;

	if (cfg_ports(addr.v, acc))
		return;

	if (addr.v + acc->size > 0x100000000ULL) {
		core_hypervisor_panic("device access above 4 GiB", addr.v);
		return;
	}
	if (acc->is_write && acc->size == 1)
		*(volatile uint8_t *)p = (uint8_t)acc->value;
	else if (acc->is_write && acc->size == 2)
		*(volatile uint16_t *)p = (uint16_t)acc->value;
	else if (acc->is_write && acc->size == 4)
		*(volatile uint32_t *)p = (uint32_t)acc->value;
	else if (acc->is_write)
		*(volatile uint64_t *)p = acc->value;
	else if (acc->size == 1)
		acc->value = *(volatile uint8_t *)p;
	else if (acc->size == 2)
		acc->value = *(volatile uint16_t *)p;
	else if (acc->size == 4)
		acc->value = *(volatile uint32_t *)p;
	else
		acc->value = *(volatile uint64_t *)p;
}

/* ---- CPU control ---- */

#define ANSWER_NS 1000000000ULL

static void honour_suspend(struct x86_cpu *c)
{
	if (!__atomic_load_n(&c->suspend_req, __ATOMIC_SEQ_CST))
		return;
	__atomic_store_n(&c->suspended, 1, __ATOMIC_SEQ_CST);
	while (__atomic_load_n(&c->suspend_req, __ATOMIC_SEQ_CST) &&
	       !__atomic_load_n(&c->park_req, __ATOMIC_SEQ_CST))
		cpu_pause();
	__atomic_store_n(&c->suspended, 0, __ATOMIC_SEQ_CST);
}

/* Let the CPUs this one started run (hal_cpu_reset). */
static void release_started(struct x86_cpu *c)
{
	unsigned int cpu;

	while (c->release) {
		cpu = (unsigned int)__builtin_ctzll(c->release);
		c->release &= c->release - 1;
		__atomic_store_n(&x86_cpu(cpu)->reset_req, 1, __ATOMIC_SEQ_CST);
		/* The NMI wakes its HLT; until it runs (at most ANSWER_NS). */
		x86_await_answer(cpu, &x86_cpu(cpu)->state, CPU_WAITING, NULL);
	}
}

void x86_check_requests(void)
{
	struct x86_cpu *c = x86_this_cpu();

	stop_if_stopped();
	release_started(c);
	honour_suspend(c);
	if (__atomic_load_n(&c->park_req, __ATOMIC_SEQ_CST))
		x86_cpu_wait();
	x86_iommu_poll();
}

void hal_cpu_relax(void)
{
	struct x86_cpu *c = x86_this_cpu();
	/* Trap log: while this CPU waits, other CPUs' traps go on. */
	bool left = traplog_leave();

	cpu_pause();
	if (c->state == CPU_GUEST) {
		honour_suspend(c);
		if (__atomic_load_n(&c->park_req, __ATOMIC_SEQ_CST) ==
		    PARK_REMOTE)
			x86_cpu_wait();
	}
	traplog_return(left);
}

/*
 * NMI @cpu until it leaves @state @busy (or sets *@done), re-sent every
 * 10 ms in case one is not taken; -WD_EBUSY after ANSWER_NS.
 */
int x86_await_answer(unsigned int cpu, const int *state, int busy,
		     const int *done)
{
	uint64_t start = hal_time_ns(), sent = 0, now;

	while (__atomic_load_n(state, __ATOMIC_SEQ_CST) == busy &&
	       !(done && __atomic_load_n(done, __ATOMIC_SEQ_CST))) {
		now = hal_time_ns();
		if (now - start > ANSWER_NS)
			return -WD_EBUSY;
		if (!sent || now - sent > 10000000ULL) {
			x86_lapic->send_ipi(cpu, APIC_DM_NMI);
			sent = now;
		}
		cpu_pause();
	}
	return 0;
}

int hal_cpu_park(unsigned int cpu)
{
	struct x86_cpu *t;

	if (cpu >= X86_MAX_CPUS)
		return 0;
	traplog_sync();
	t = x86_cpu(cpu);
	if (cpu == hal_cpu_id()) {
		t->park_req = PARK_SELF; /* parked when its trap returns */
		return 0;
	}
	if (t->state != CPU_GUEST)
		return 0;
	__atomic_store_n(&t->park_req, PARK_REMOTE, __ATOMIC_SEQ_CST);
	return x86_await_answer(cpu, &t->state, CPU_GUEST, NULL);
}

void hal_cpu_reset(unsigned int cpu, uint64_t entry, bool run)
{
	if (cpu >= X86_MAX_CPUS || cpu == hal_cpu_id() ||
	    x86_cpu(cpu)->state == CPU_OFF) {
		core_hypervisor_panic("reset of an invalid CPU", cpu);
		return;
	}
	if (hal_cpu_park(cpu))
		return; /* not reached: the core resets no lost CPU */
	/* As INIT: no logical id of the CPU's last owner. */
	x86_apic_ldr(cpu, 0);
	if (!run)
		return; /* waits until core_cpu_on() */
	x86_cpu(cpu)->entry = entry;
	x86_cpu(cpu)->entry_root = false;
	/*
	 * It runs when this CPU's trap ends (x86_check_requests): the
	 * management call or SIPI that starts it completes first, its
	 * console lines included, before the started CPU can trap.
	 */
	x86_this_cpu()->release |= 1ull << cpu;
}

int hal_cpu_suspend(unsigned int cpu)
{
	struct x86_cpu *t;

	if (cpu >= X86_MAX_CPUS || cpu == hal_cpu_id())
		return 0;
	traplog_sync();
	t = x86_cpu(cpu);
	__atomic_store_n(&t->suspend_req, 1, __ATOMIC_SEQ_CST);
	if (t->state != CPU_GUEST)
		return 0;
	return x86_await_answer(cpu, &t->state, CPU_GUEST, &t->suspended);
}

void hal_cpu_resume(unsigned int cpu)
{
	if (cpu < X86_MAX_CPUS)
		__atomic_store_n(&x86_cpu(cpu)->suspend_req, 0,
				 __ATOMIC_SEQ_CST);
}

/*
 * This CPU waits in the hypervisor until hal_cpu_reset() lets it run (or
 * DISABLE hands it back), then enters its cell through the backend, which
 * applies the handover reset list. Interrupts stay masked; an NMI wakes
 * the HLT (the handler returns at once), the flags say why.
 */
void x86_cpu_wait(void)
{
	struct x86_cpu *c = x86_this_cpu();

	traplog_parked();
	release_started(c);
	c->park_req = 0;
	__atomic_store_n(&c->state, CPU_WAITING, __ATOMIC_SEQ_CST);
	while (!__atomic_load_n(&c->reset_req, __ATOMIC_SEQ_CST)) {
		if (__atomic_load_n(&c->exit_req, __ATOMIC_SEQ_CST)) {
			c->exit_req = 0;
			__atomic_store_n(&c->state, CPU_OFF, __ATOMIC_SEQ_CST);
			x86_vendor_exit(c);
		}
		x86_wait_nmi();
		stop_if_stopped();
	}
	c->reset_req = 0;
	c->state = CPU_GUEST;
	x86_vendor_run(c);
}

/* ---- bring-up ---- */

void x86_ap_main(unsigned int id)
{
	struct x86_cpu *c = x86_this_cpu();
	const char *err;
	int ret;

	c->id = id;
	x86_cpu_tables(c);
	err = x86_vendor_cpu_init(c);
	ret = err ? -WD_EINVAL : core_cpu_entry_parked();
	if (err || ret)
		core_printk("warden: CPU %u failed to enter (%s, %d)\n", id,
			    err ? err : "core", ret);
	else
		c->state = CPU_WAITING;
	__atomic_store_n(&c->online, 1, __ATOMIC_SEQ_CST);
	if (!err && !ret) /* else back to entry.S, which stops the CPU */
		x86_cpu_wait();
}

/* The root cell's other CPUs: INIT, then SIPI (twice if needed), one at
 * a time; each said to be online (in the core) or not. */
static void start_secondaries(void)
{
	struct cpu_set root = core_cell_cpus(core_cpu_cell(0));
	unsigned int cpu, sipi;
	uint64_t start;

	core_printk("warden: CPU 0 online (running the root cell)\n");
	for_each_cpu(cpu, &root) {
		if (cpu == 0 || cpu >= X86_MAX_CPUS)
			continue;
		x86_lapic->send_ipi(cpu, APIC_DM_INIT);
		delay_us(10000);
		for (sipi = 0; sipi < 2 && !x86_cpu(cpu)->online; sipi++) {
			x86_lapic->send_ipi(cpu, APIC_DM_SIPI |
							 X86_TRAMPOLINE >> 12);
			start = hal_time_ns();
			while (!__atomic_load_n(&x86_cpu(cpu)->online,
						__ATOMIC_SEQ_CST) &&
			       hal_time_ns() - start < 200000000ULL)
				cpu_pause();
		}
		core_printk("warden: CPU %u %s\n", cpu,
			    core_cpu_flags(cpu) & CORE_CPU_ONLINE ?
				    "online (waiting for INIT/SIPI)" :
				    "did not come up");
	}
}

static bool word_at(const char *s, const char *w)
{
	while (*w)
		if (*s++ != *w++)
			return false;
	return *s == 0 || *s == ' ';
}

static void parse_cmdline(void)
{
	const uint32_t *mb = (const uint32_t *)(uintptr_t)x86_mbinfo;
	const char *s;

	if (!mb || !(mb[0] & 0x4) || !mb[4])
		return;
	for (s = (const char *)(uintptr_t)mb[4]; *s; s++) {
		if (s != (const char *)(uintptr_t)mb[4] && s[-1] != ' ')
			continue;
		exit_qemu |= word_at(s, "exit=qemu");
		exit_bochs |= word_at(s, "exit=bochs");
		log_e9 |= word_at(s, "traplog=e9"); /* trap-log image only */
	}
}

/*
 * The image's integrity: a checksum of its code and read-only data (from
 * _start: the header before it carries the driver's fields), taken at
 * enable and compared at DISABLE (x86_image_check(), from the root cell's
 * hal_cell_destroy()): no device DMA, no cell reached them.
 */
extern char _start[], __rodata_end[];
static uint64_t image_sum;

static uint64_t image_checksum(void)
{
	const uint64_t *p = (const uint64_t *)(uintptr_t)_start;
	uint64_t sum = 0;

	while (p < (const uint64_t *)(uintptr_t)__rodata_end)
		sum = (sum << 7 | sum >> 57) ^ *p++;
	return sum;
}

void x86_image_check(void)
{
	uint64_t sum = image_checksum();

	core_printk("warden: image code and read-only data: checksum 0x%lx, %s "
		    "since enable\n",
		    sum, sum == image_sum ? "unchanged" : "CHANGED");
}

/*
 * The set-up both ways in share: the system config's console, the tables,
 * TSC and LAPIC rates, the checks of where warden runs, the core with the
 * page pool [@pool, end of hypervisor memory). Returns 0 or -WD_E* with
 * the reason in @reason, @item.
 */
int x86_hv_setup(const struct wd_system *sys, uintptr_t pool, uint32_t *reason,
		 uint64_t *item)
{
	uint64_t hv_start = sys->hypervisor_memory.phys_start,
		 hv_end = hv_start + sys->hypervisor_memory.size, size;
	int ret;

	if (wd_strncmp(sys->signature, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN) ||
	    sys->debug_console.type != WD_CON_TYPE_8250 ||
	    sys->debug_console.flags & WD_CON_ACCESS_MMIO) {
		*reason = WD_R_cfg_signature;
		return -WD_EINVAL; /* no console to say it on */
	}
	uart_port = (uint16_t)sys->debug_console.address;
	/* 115200 8N1 (without a BIOS, Bochs' 8250 starts with 5 data bits). */
	outb(uart_port + 3, 0x80);
	outb(uart_port, 1);
	outb(uart_port + 1, 0);
	outb(uart_port + 3, 0x03);
	if (!x86_tsc_khz) /* Linux's, for a late launch */
		x86_tsc_khz =
			calibrate_tsc(sys->platform_info.x86.pm_timer_address);
	/* software-enabled, spurious 0xff at reset (Linux's stays) */
	x86_lapic->write(X2APIC_SIVR, x86_lapic->read(X2APIC_SIVR) | 0x100);
	x86_apic_khz = calibrate_apic();
	core_printk("\nwarden: x86-64 entry on CPU %u (APIC id %u)%s, image "
		    "0x%lx..0x%lx, TSC %lu kHz, APIC timer %lu kHz\n",
		    hal_cpu_id(), xapic_read(X2APIC_ID) >> 24,
		    pool != (uintptr_t)__hv_end ? " from Linux" : "",
		    (uintptr_t)__hv_start, (uintptr_t)__hv_end, x86_tsc_khz,
		    x86_apic_khz);

	size = wd_system_config_size(sys);
	if (size > BOOT_CONFIG_MAX) {
		*reason = WD_R_cfg_too_large;
		*item = size;
		return -WD_E2BIG;
	}
	/* Where it is linked, with room for the image (and the config
	 * after it), below the uncached top GiB. */
	if ((uintptr_t)__hv_start != hv_start || pool > hv_end ||
	    hv_end > 0xc0000000ULL) {
		*reason = WD_R_late_placement;
		*item = hv_start;
		return -WD_EINVAL;
	}
	/* trap log: the core's records go to its sink */
	traplog_init(log_e9 ? x86_log_e9_line : NULL);
	image_sum = image_checksum();
	ret = core_init(sys, size,
			&(struct hv_memory){ (void *)pool, hpa(pool),
					     hv_end - pool });
	*reason = core_last_reason()->code; /* read on a failure */
	*item = core_last_reason()->item;
	return ret;
}

void x86_boot_main(void)
{
	const struct wd_system *sys = (const void *)BOOT_SYSTEM_CONFIG;
	struct x86_cpu *c = x86_this_cpu();
	uint32_t reason = 0;
	uint64_t item = 0;
	const char *err;
	int ret;

	c->id = 0;
	parse_cmdline();
	x86_cpu_tables(c);
	ret = x86_hv_setup(sys, (uintptr_t)__hv_end, &reason, &item);
	if (ret) { /* without a console (no valid config) it stops unsaid */
		core_printk(
			"warden: enable failed (%d): reason %u, item 0x%lx\n",
			ret, reason, item);
		hal_machine_stop();
	}
	err = x86_vendor_cpu_init(c);
	ret = err ? 0 : core_cpu_entry();
	if (err || ret) {
		core_printk("warden: %s (%d)\n",
			    err ? err : "CPU 0 failed to enter", ret);
		hal_machine_stop();
	}
	c->state = CPU_GUEST;
	/* The trampoline page is the root's RAM, used only until here. */
	memcpy((void *)X86_TRAMPOLINE, x86_trampoline,
	       (size_t)(x86_trampoline_end - x86_trampoline));
	start_secondaries();
	core_printk("warden: entering the root cell at 0x%x\n",
		    BOOT_ROOT_ENTRY);
	c->entry = BOOT_ROOT_ENTRY;
	c->entry_root = true;
	x86_vendor_run(c);
}
