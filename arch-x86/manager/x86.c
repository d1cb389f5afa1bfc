/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The root-cell manager's x86 part (the rest is inmates/manager/manager.c):
 * the C entry after the inmate library's long-mode start-up, time (the TSC,
 * measured against the PIT), COM1 or the debug console hypercall, warden's
 * CPUID signature, the xAPIC (TPR checks, INIT/SIPI of the spare CPU with a
 * real-mode trampoline, self-IPIs of the bench), and power-off through
 * QEMU's isa-debug-exit and Bochs's shutdown port.
 */
#include "manager.h"

#define COM1 0x3f8
#define QEMU_EXIT_PORT 0xf4	   /* -device isa-debug-exit,iobase=0xf4 */
#define BOCHS_SHUTDOWN_PORT 0x8900 /* "Shutdown" */

#define PIT_CH2 0x42
#define PIT_MODE 0x43
#define PIT_PORT_B 0x61 /* bit 0: channel 2 gate, bit 5: its output */
#define PIT_HZ 1193182
#define PIT_MS 10

#define XAPIC_BASE 0xfee00000UL
#define XAPIC_TPR 0x080
#define XAPIC_IRR 0x200
#define XAPIC_ICR_LO 0x300
#define XAPIC_ICR_HI 0x310
#define ICR_INIT 0x00004500  /* INIT, level assert, physical destination */
#define ICR_SIPI 0x00004600  /* start-up */
#define ICR_FIXED 0x00004000 /* fixed, level assert */
#define BENCH_VECTOR 0xf0
#define MSR_EFER 0xc0000080

/* CPUID leaf 0x40000000 of warden (arch-x86/cpuid.c): Jailhouse's. */
#define HV_SIGNATURE "Jailhouse\0\0\0"

extern const char ap_trampoline[], ap_trampoline_end[];

static uint32_t tsc_khz = DEFAULT_CLOCK_KHZ;
static bool warden_present;
static char hv_signature[13];

static const struct manager_args *args(void)
{
	return (const void *)BOOT_MANAGER_ARGS;
}

uint64_t mgr_now_ns(void)
{
	uint64_t t = rdtsc();

	return t / tsc_khz * 1000000 + t % tsc_khz * 1000000 / tsc_khz;
}

/*
 * TSC ticks in PIT_MS ms of PIT channel 2 (mode 0, gated by port 0x61):
 * TCG's TSC follows the host's, Bochs's its instruction count; the PIT is
 * there on both, without firmware. 0 if its output never rises.
 */
static uint32_t pit_tsc_khz(void)
{
	uint32_t latch = PIT_HZ / 1000 * PIT_MS, n;
	uint8_t port_b = inb(PIT_PORT_B);
	uint64_t t0, t1;

	outb(PIT_PORT_B, (port_b & ~0x02) | 0x01); /* gate on, speaker off */
	outb(PIT_MODE, 0xb0); /* channel 2, lobyte/hibyte, mode 0 */
	outb(PIT_CH2, latch & 0xff);
	outb(PIT_CH2, latch >> 8);
	t0 = rdtsc();
	for (n = 0; !(inb(PIT_PORT_B) & 0x20); n++)
		if (n > 100000000)
			return 0;
	t1 = rdtsc();
	outb(PIT_PORT_B, port_b);
	return (t1 - t0) / PIT_MS;
}

/* A fatal exception (the library's x86_trap) ends the run. */
static void __attribute__((noreturn)) halt_loop(void)
{
	for (;;)
		asm volatile("cli; hlt" : : : "memory");
}

void inmate_halt(void)
{
	if (inmate_params.state == INMATE_STATE_FATAL && cpu_index() == 0) {
		inmate_params.state = INMATE_STATE_DONE;
		mgr_power_off(false);
	}
	halt_loop();
}

/*
 * May the manager use @port? Under warden only if the root cell's config
 * lists it (any other port would fail the root cell: QEMU's config has
 * 0xf4, Bochs's 0x8900); without warden (or after DISABLE) any port.
 */
static bool port_allowed(unsigned int port)
{
	const struct wd_system *sys = (const void *)BOOT_SYSTEM_CONFIG;
	const struct wd_pio *pio;
	unsigned int i;

	if (!warden_present)
		return true;
	if (memcmp(sys->signature, "JHSYS", 5))
		return false;
	pio = wd_cell_pio(&sys->root_cell);
	for (i = 0; i < sys->root_cell.num_pio_regions; i++)
		if (port >= pio[i].base && port < pio[i].base + pio[i].length)
			return true;
	return false;
}

void mgr_power_off(bool pass)
{
	const char *s;
	unsigned int n;

	printf("[manager] power off:");
	if (port_allowed(QEMU_EXIT_PORT))
		printf(" port 0x%x (QEMU isa-debug-exit, status %u)%s",
		       QEMU_EXIT_PORT, pass ? 1 : 3,
		       port_allowed(BOCHS_SHUTDOWN_PORT) ? "," : "");
	if (port_allowed(BOCHS_SHUTDOWN_PORT))
		printf(" port 0x%x (Bochs shutdown)", BOCHS_SHUTDOWN_PORT);
	printf("\n");
	/* The last characters out of COM1 first (Bochs stops at once). */
	for (n = 0;
	     port_allowed(COM1 + 5) && n < 1000000 && !(inb(COM1 + 5) & 0x40);
	     n++)
		cpu_relax(); /* LSR.TEMT */
	/* QEMU exits with (value << 1) | 1. */
	if (port_allowed(QEMU_EXIT_PORT))
		outl(QEMU_EXIT_PORT, pass ? 0 : 1);
	if (port_allowed(BOCHS_SHUTDOWN_PORT))
		for (s = "Shutdown"; *s; s++)
			outb(BOCHS_SHUTDOWN_PORT, *s);
	printf("[manager] still running after power off\n");
	halt_loop();
}

static void console_com1(void)
{
	inmate_params.console_type = WD_CON_TYPE_8250;
	inmate_params.console_base = COM1;
	inmate_params.console_flags = 0; /* port I/O, registers 1 apart */
	inmate_params.console_hc = INMATE_HC_NEVER;
	console_init();
	/* Without warden, nobody may have set the UART up (Bochs boots no
	 * BIOS: its 16550 resets to 5-bit characters): 115200 8N1. With
	 * warden, its console did, and may be printing right now. */
	if (!warden_present)
		uart_init(WD_CON_TYPE_8250, COM1, 0, 1);
}

/* Warden answers CPUID leaf 0x40000000 with Jailhouse's signature. */
static void detect_hypervisor(void)
{
	uint32_t r[4];

	warden_present = false;
	memset(hv_signature, 0, sizeof(hv_signature));
	cpuid(1, r);
	if (!(r[2] & (1u << 31)))
		return; /* no hypervisor bit */
	cpuid(0x40000000, r);
	memcpy(hv_signature, &r[1], 4);
	memcpy(hv_signature + 4, &r[2], 4);
	memcpy(hv_signature + 8, &r[3], 4);
	warden_present = !memcmp(hv_signature, HV_SIGNATURE, 12);
}

void mgr_console_hv(void)
{
	const struct wd_system *sys = (const void *)BOOT_SYSTEM_CONFIG;

	detect_hypervisor();
	/* While warden runs: its debug console, whose lines are whole,
	 * never mixed with warden's own from other CPUs (COM1 is shared),
	 * if the root cell's config permits it. */
	if (!warden_present || (args()->flags & MANAGER_UART) ||
	    memcmp(sys->signature, "JHSYS", 5) ||
	    !(sys->root_cell.flags & WD_CELL_VIRTUAL_CONSOLE_PERMITTED)) {
		console_com1();
	} else {
		inmate_params.console_type = INMATE_CON_NONE;
		inmate_params.console_hc = INMATE_HC_ALWAYS;
		console_init();
	}
}

void mgr_console_native(void)
{
	console_com1();
}

/*
 * Without SVM (or VMX) on, VMMCALL (VMCALL) raises #UD: the hypervisor's
 * absence shows in CPUID instead, whose leaf 0x40000000 is the
 * emulator's again.
 */
void mgr_check_disabled(void)
{
	detect_hypervisor();
	printf("[manager] CPUID after DISABLE: hypervisor \"%s\"\n",
	       hv_signature[0] ? hv_signature : "(no hypervisor bit)");
	check("manager.disabled", !warden_present, "%s",
	      warden_present ? "warden still answers CPUID" : "warden gone");
}

unsigned int mgr_self_cpu(void)
{
	uint32_t r[4];

	cpuid(1, r);
	return r[1] >> 24; /* initial APIC id: the config's CPU number */
}

static uint32_t xapic_read(unsigned int reg)
{
	return mmio_read32(XAPIC_BASE + reg);
}

static void xapic_write(unsigned int reg, uint32_t v)
{
	mmio_write32(XAPIC_BASE + reg, v);
}

/*
 * MANAGER_EDU: the root's side of the edu DMA runs (inmates/demos/x86/
 * edu.c selects 4-9). QEMU's edu at 00:02.0 (its engine: source 0x80,
 * destination 0x88, count 0x90, command 0x98, buffer 0x40000) through
 * ports 0xcf8/0xcfc; the root's device addresses are physical ones.
 */
#define PCI_ADDR(bdf, reg) (0x80000000U | (bdf) << 8 | (reg))
#define EDU_BDF 0x10
#define EDU_CANARY 0x00a00000UL /* the cell aims select 6 here */
#define EDU_BUF 0x40000U
#define EDU_LEN 2048 /* edu (QEMU 7.2) stops QEMU for 4096 (edu.c) */

static bool edu_dma(uint32_t ram, bool to_ram)
{
	uintptr_t bar;
	uint64_t end = mgr_now_ns() + 1000000000ULL;

	outl(0xcf8, PCI_ADDR(EDU_BDF, 0x10));
	bar = inl(0xcfc) & ~0xfU;
	outl(0xcf8, PCI_ADDR(EDU_BDF, 0x04));
	outl(0xcfc, 6); /* memory decoding, bus mastering */
	mmio_write32(bar + (to_ram ? 0x80 : 0x88), EDU_BUF);
	mmio_write32(bar + (to_ram ? 0x88 : 0x80), ram);
	mmio_write32(bar + 0x90, EDU_LEN);
	mmio_write32(bar + 0x98, to_ram ? 3 : 1);
	while ((mmio_read32(bar + 0x98) & 1) && mgr_now_ns() < end)
		;
	return !(mmio_read32(bar + 0x98) & 1);
}

static void edu_check(unsigned int run)
{
	uint8_t *c = (uint8_t *)EDU_CANARY;
	unsigned int i;
	char name[40];
	bool ok;

	if (!run) {
		memset(c, 0x5a, 4096);
		return;
	}
	/* What the cell's engine left in its buffer. */
	ok = edu_dma(EDU_CANARY + 0x3000, true);
	printf("[manager] run %u: edu's buffer begins %02x %02x %02x %02x "
	       "%02x %02x %02x %02x\n",
	       run, c[0x3000], c[0x3001], c[0x3002], c[0x3003], c[0x3004],
	       c[0x3005], c[0x3006], c[0x3007]);
	snprintf(name, sizeof(name), "manager.edu-no-leak-%u", run);
	check(name, ok && memcmp(c + 0x3000, "WARDENHV", 8), "%s",
	      ok ? "no hypervisor header" : "transfer not done");
	memset(c + 0x1000, (int)run, 4096);
	memset(c + 0x2000, 0, 4096);
	ok = edu_dma(EDU_CANARY + 0x1000, false) &&
	     edu_dma(EDU_CANARY + 0x2000, true);
	snprintf(name, sizeof(name), "manager.edu-root-dma-%u", run);
	check(name, ok && !memcmp(c + 0x1000, c + 0x2000, EDU_LEN), "%s",
	      ok ? "data checked" : "transfer not done");
	for (i = 0; i < 4096 && c[i] == 0x5a; i++)
		;
	snprintf(name, sizeof(name), "manager.edu-canary-%u", run);
	check(name, i == 4096, "%u of 4096 bytes", i);
}

void mgr_irr_check(unsigned int run, unsigned int vector)
{
	uint32_t irr = xapic_read(XAPIC_IRR + 0x10 * (vector / 32 % 8));
	char name[40];

	printf("[manager] run %u: vector 0x%x %s in CPU %u's IRR\n", run,
	       vector, irr >> (vector % 32) & 1 ? "pending" : "not pending",
	       mgr_self_cpu());
	snprintf(name, sizeof(name), "manager.irr-%u", run);
	check(name, !(irr >> (vector % 32) & 1), "IRR%u 0x%x", vector / 32 % 8,
	      (unsigned int)irr);
	if (args()->flags & MANAGER_EDU)
		edu_check(run);
}

static void xapic_ipi(unsigned int apic_id, uint32_t icr)
{
	xapic_write(XAPIC_ICR_HI, apic_id << 24);
	xapic_write(XAPIC_ICR_LO, icr);
}

/*
 * The interrupt controller the root cell sees: the xAPIC page, which
 * warden does not map (trapped, decoded, the task priority forwarded to
 * the CPU's own LAPIC). The IOAPIC's pins go through the core's irqchip
 * rule, but the manager programs none of them (it takes no interrupts),
 * so it leaves the IOAPIC alone.
 */
/*
 * PCI configuration mechanism #1: the root cell's host bridge 00:00.0 read
 * through ports 0xcf8/0xcfc (under warden: emulated, core/pio.c, through
 * the ECAM's policy; natively: the chipset).
 */

static void pci_ports_check(void)
{
	uint32_t id;

	outl(0xcf8, PCI_ADDR(0, 0));
	id = inl(0xcfc);
	printf("[manager] PCI 00:00.0 through ports 0xcf8/0xcfc: %04x:%04x "
	       "(address register 0x%x)\n",
	       (unsigned int)(id & 0xffff), (unsigned int)(id >> 16),
	       (unsigned int)inl(0xcf8));
	check("manager.pci-ports", (id & 0xffff) != 0xffff, "vendor 0x%x",
	      (unsigned int)(id & 0xffff));
}

void mgr_irqchip_checks(void)
{
	uint32_t tpr;

	xapic_write(XAPIC_TPR, 0x20);
	tpr = xapic_read(XAPIC_TPR);
	printf("[manager] xAPIC TPR = 0x%x after writing 0x20\n",
	       (unsigned int)tpr);
	check_eq("manager.xapic-tpr", tpr & 0xff, 0x20);
	xapic_write(XAPIC_TPR, 0);
	pci_ports_check();
	if (args()->flags & MANAGER_EDU)
		edu_check(0);
}

/* A spare CPU without the hypervisor: counts, then halts. */
static void native_secondary(unsigned int idx)
{
	spare_context = idx;
	while (!spare_stop)
		spare_count++;
	spare_disable = 0;
	halt_loop();
}

static void spare_entry(unsigned int idx)
{
	manager_secondary(idx);
}

/*
 * INIT, then one SIPI (a second one could restart a CPU that already
 * runs: under warden, a SIPI is a CPU_ON request), a second only if the
 * CPU has not arrived after 100 ms. The library's start-up gives it
 * index 1 and a stack; it then runs @entry.
 */
static void start_cpu(unsigned int cpu, void (*entry)(unsigned int))
{
	unsigned int vector = TRAMPOLINE_BASE >> 12, sipis = 1;

	memcpy((void *)TRAMPOLINE_BASE, ap_trampoline,
	       ap_trampoline_end - ap_trampoline);
	cpu_set_entry(entry);
	xapic_ipi(cpu, ICR_INIT);
	wait_ms(10);
	xapic_ipi(cpu, ICR_SIPI | vector);
	wait_for(&spare_count, 0, 100);
	if (!spare_count) {
		xapic_ipi(cpu, ICR_SIPI | vector);
		sipis++;
		wait_for(&spare_count, 0, 1000);
	}
	printf("[manager] INIT/SIPI(%u) through the xAPIC ICR, trampoline at "
	       "0x%x, %u SIPI(s): counting: %s, CPU index %u\n",
	       cpu, TRAMPOLINE_BASE, sipis, spare_count ? "yes" : "no",
	       (unsigned int)spare_context);
	check("manager.init-sipi", spare_count && spare_context == 1,
	      "CPU index %u", (unsigned int)spare_context);
}

void mgr_start_spare(unsigned int cpu)
{
	start_cpu(cpu, spare_entry);
}

/*
 * Without warden (a run on the bare emulator): the start-up, console,
 * time, xAPIC, INIT/SIPI of a spare CPU (if the system config at
 * BOOT_SYSTEM_CONFIG names one) and power-off work natively too. With
 * MANAGER_NATIVE this is the expected outcome; otherwise it is a failure.
 */
static void __attribute__((noreturn)) native_run(void)
{
	const struct wd_system *sys = (const void *)BOOT_SYSTEM_CONFIG;
	bool native = args()->flags & MANAGER_NATIVE;
	unsigned int cpu;

	printf("[manager] no warden: CPUID leaf 0x40000000 says \"%s\"\n",
	       hv_signature[0] ? hv_signature : "(no hypervisor bit)");
	if (!check("manager.no-hypervisor", native, "%s",
		   native ? "expected" : "warden expected"))
		mgr_power_off(test_verdict());
	mgr_irqchip_checks();
	if (!memcmp(sys->signature, "JHSYS", 5)) {
		for (cpu = 0; cpu < sys->root_cell.cpu_set_size * 8u; cpu++)
			if (cpu != mgr_self_cpu() &&
			    (wd_cell_cpu_set(&sys->root_cell)[cpu / 8] >>
				     (cpu % 8) &
			     1))
				break;
		if (cpu < sys->root_cell.cpu_set_size * 8u) {
			start_cpu(cpu, native_secondary);
			spare_stop = 1;
		}
	}
	mgr_power_off(test_verdict());
}

void mgr_banner(void)
{
	uint32_t r[4];
	char vendor[13] = "";

	cpuid(0, r);
	memcpy(vendor, &r[1], 4);
	memcpy(vendor + 4, &r[3], 4);
	memcpy(vendor + 8, &r[2], 4);
	printf("[manager] root-cell manager on %s, APIC id %u, %s, %s, TSC "
	       "%u kHz\n",
	       ARCH_NAME, mgr_self_cpu(), vendor,
	       hypercall_use_vmmcall() ? "vmmcall" : "vmcall",
	       (unsigned int)tsc_khz);
	if (!warden_present)
		native_run();
}

/*
 * Figures (item 7 of issue #14, like tests/qemu/arm_figures.py): a QEMU
 * plugin counts the hypervisor's instructions between calls of this
 * marker.
 */
void __attribute__((noinline)) bench_mark(void);
void __attribute__((noinline)) bench_mark(void)
{
	asm volatile("" ::: "memory");
}

/*
 * MANAGER_BENCH_LOOPS exits of each kind, between markers: hypercall,
 * MMIO read and write (the xAPIC TPR: nested page fault, decode,
 * forward), MSR write (EFER, its own value: the MSR intercepts every
 * EFER write to keep SVME set and hidden), ICR write (a fixed self-IPI,
 * interrupts off: it stays pending, nothing to acknowledge), port I/O
 * (0xcfc read of the host bridge's id, PCI config mechanism #1; the
 * address written before the first marker). Not here:
 * x2APIC MSR writes (TCG has no x2APIC).
 */
void mgr_bench(void)
{
	unsigned int i, self = mgr_self_cpu();
	uint64_t efer = rdmsr(MSR_EFER);

	printf("[manager] bench: %u exits of each kind\n", MANAGER_BENCH_LOOPS);
	outl(0xcf8, PCI_ADDR(0, 0));
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++)
		hypercall(WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0);
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++)
		xapic_read(XAPIC_TPR);
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++)
		xapic_write(XAPIC_TPR, 0);
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++)
		wrmsr(MSR_EFER, efer);
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++)
		xapic_ipi(self, ICR_FIXED | BENCH_VECTOR);
	bench_mark();
	for (i = 0; i < MANAGER_BENCH_LOOPS; i++)
		inl(0xcfc);
	bench_mark();
	printf("[manager] bench: done\n");
	mgr_power_off(true);
}

/* The boot CPU, from the library's x86_entry() after arch_init(). */
void inmate_start(void)
{
	uint32_t khz;

	inmate_params.cpus_up = 1;
	inmate_params.state = INMATE_STATE_RUNNING;
	khz = pit_tsc_khz();
	if (khz)
		tsc_khz = khz;
	manager_main();
}
