// SPDX-License-Identifier: GPL-2.0
/*
 * The x86 exit layer (arch-x86/exit.c) driven with constructed exits:
 * the guest's memory and page tables in host memory behind fake ops, the
 * core and the simulator's devices real (a machine set up by a scenario
 * and kept: a cell on sys-x86 whose CPUs idle, hlt). Each refusal's
 * reason, item and trap record is checked. Also x86 cell memory
 * (arch-x86/cell.c) on host memory, compiled in here under other names
 * (the simulator has its own hal_map()).
 * Run from the source tree's top.
 */
#define _POSIX_C_SOURCE 200809L

#include <capstone/capstone.h>
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch-amd/insn_len.h"
#include "arch-x86/exit.h"
#include "arch-x86/msr.h"
#include "hal/hal.h"
#include "hal/observe.h"
#include "sim/exec_int.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "support_run.h"

/* ---- the machine ------------------------------------------------------------ */

/* Cell @cell of tests/configs on sys-x86 running @blob at its 64-bit
 * entry 0x800 for a millisecond, kept. */
static void machine_blob(const char *cell, const uint8_t *blob, size_t len)
{
	char scn[] = "/tmp/warden-x86exit-scn-XXXXXX";
	char bin[] = "/tmp/warden-x86exit-bin-XXXXXX";
	struct scenario_opts opts = { .keep = true, .cells_may_fail = true };
	static uint8_t image[0x800 + 256];
	char top[4096], err[512];
	int fd;
	FILE *f;

	ck_assert_ptr_nonnull(getcwd(top, sizeof(top)));
	ck_assert_uint_le(len, 256);
	memcpy(image + 0x800, blob, len);
	ck_assert_int_ge(fd = mkstemp(bin), 0);
	ck_assert_int_eq(write(fd, image, 0x800 + len), (ssize_t)(0x800 + len));
	close(fd);
	ck_assert_int_ge(fd = mkstemp(scn), 0);
	ck_assert_ptr_nonnull(f = fdopen(fd, "w"));
	fprintf(f,
		"machine ram=0x0 size=0x10000000 cpus=4\n"
		"system %s/build/host/tests/configs/sys-x86.cell\n"
		"load-config 0x200000 %s/build/host/tests/configs/%s.cell\n"
		"enable\n"
		"create 0x200000 expect=1\n"
		"set-loadable 1\n"
		"load 1 0x0 %s\n"
		"start 1\n"
		"run 1\n",
		top, top, cell, bin);
	fclose(f);
	ck_assert_msg(!scenario_file(scn, &opts, err, sizeof(err)), "%s", err);
	unlink(scn);
	unlink(bin);
}

/* The same with the cell's CPUs idle. */
static void machine(const char *cell)
{
	static const uint8_t idle[] = { 0xfa, 0xf4, 0xeb, 0xfd }; /* cli; hlt */

	machine_blob(cell, idle, sizeof(idle));
}

/* The trap records the core makes, the last one kept. */
static struct wd_trap last;
static unsigned int records;

static void rec_begin(const struct wd_trap *t)
{
	(void)t;
}

static void rec_end(const struct wd_trap *t)
{
	last = *t;
	records++;
}

static const struct wd_trap_sink sink = { rec_begin, rec_end };

static struct cell *cell1(void)
{
	return core_cell_by_id(1);
}

/* The cell failed with @why, @item; the last record denied it so. */
static void assert_failed(enum wd_reason why, uint64_t item)
{
	ck_assert_uint_eq(core_cell_comm(cell1())->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(cell1()), why);
	ck_assert_uint_eq(core_cell_fail_item(cell1()), item);
	ck_assert_uint_eq(last.outcome, WD_OUT_DENY);
	ck_assert_uint_eq(last.reason, why);
	ck_assert_uint_eq(last.item, item);
}

static void assert_running(void)
{
	ck_assert_uint_eq(core_cell_comm(cell1())->cell_state, WD_CELL_RUNNING);
}

/* ---- fake ops on host memory -------------------------------------------------- */

#define MEM_SIZE 0x400000 /* guest-physical 0 .. 4 MiB */

static struct fake {
	uint8_t *mem;
	uint64_t apic[0x100]; /* x2APIC registers by number */
	uint64_t apic_base;
	int apic_fail; /* apic_* return -1 */
	uint64_t msr_val, msr_written;
	uint32_t msr_index;
	unsigned int ipis, ipi_cpu, injected;
	enum ipi_kind ipi_kind;
	uint8_t ipi_vector;
	struct x86_cpuid cpuid;
} fk;

static int f_read_gpa(void *ctx, uint64_t gpa, void *dst, unsigned int len)
{
	(void)ctx;
	if (gpa >= MEM_SIZE || MEM_SIZE - gpa < len)
		return -1;
	memcpy(dst, fk.mem + gpa, len);
	return 0;
}

static void f_cpuid(void *ctx, uint32_t leaf, uint32_t subleaf,
		    struct x86_cpuid *r)
{
	(void)ctx;
	(void)leaf;
	(void)subleaf;
	*r = fk.cpuid;
}

static uint64_t f_msr_read(void *ctx, uint32_t msr)
{
	(void)ctx;
	fk.msr_index = msr;
	return fk.msr_val;
}

static void f_msr_write(void *ctx, uint32_t msr, uint64_t val)
{
	(void)ctx;
	fk.msr_index = msr;
	fk.msr_written = val;
}

static uint64_t f_tsc(void *ctx)
{
	(void)ctx;
	return 0x123456789abcULL;
}

static int f_apic_read(void *ctx, uint32_t msr, uint64_t *val)
{
	(void)ctx;
	if (msr == MSR_APIC_BASE) {
		*val = fk.apic_base;
		return 0;
	}
	if (fk.apic_fail)
		return -1;
	*val = fk.apic[msr - MSR_X2APIC_FIRST];
	return 0;
}

static int f_apic_write(void *ctx, uint32_t msr, uint64_t val)
{
	(void)ctx;
	if (fk.apic_fail)
		return -1;
	fk.apic[msr - MSR_X2APIC_FIRST] = val;
	return 0;
}

static void f_send_ipi(void *ctx, unsigned int cpu, enum ipi_kind kind,
		       uint8_t vector)
{
	(void)ctx;
	fk.ipis++;
	fk.ipi_cpu = cpu;
	fk.ipi_kind = kind;
	fk.ipi_vector = vector;
}

static void f_inject(void *ctx, unsigned int vector)
{
	(void)ctx;
	fk.injected = vector;
}

static const struct x86_exit_ops fake_ops = {
	f_read_gpa,  f_cpuid,	   f_msr_read, f_msr_write, f_tsc,
	f_apic_read, f_apic_write, f_send_ipi, f_inject,
};

/*
 * The guest's page tables (4-level, at 0x1000): linear
 * - 0x0-0x1fffff in 4 KiB pages: 0x5000 -> 0x10000, 0x6000 not present,
 *   0x8000 -> 0x11000, the rest identity (PT entries 0-4, 9-511);
 * - 0x200000 (2 MiB page) -> 0x200000;
 * - 0x40000000 (1 GiB page) -> 0x0;
 * - 0x80000000 (1 GiB page) -> 0x40000000 (0xbf000000 -> 0x7f000000);
 * - 0xc0000000 (1 GiB page) -> 0xc0000000 (the xAPIC, 0xfed01000).
 */
#define CODE64 0x5000
#define CODE64_GPA 0x10000

static void page_tables(void)
{
	uint64_t *pml4 = (uint64_t *)(fk.mem + 0x1000);
	uint64_t *pdpt = (uint64_t *)(fk.mem + 0x2000);
	uint64_t *pd = (uint64_t *)(fk.mem + 0x3000);
	uint64_t *pt = (uint64_t *)(fk.mem + 0x4000);
	unsigned int i;

	pml4[0] = 0x2000 | 3;
	pdpt[0] = 0x3000 | 3;
	pdpt[1] = 0x00000000 | 0x83;
	pdpt[2] = 0x40000000 | 0x83;
	pdpt[3] = 0xc0000000 | 0x83;
	pd[0] = 0x4000 | 3;
	pd[1] = 0x200000 | 0x83;
	for (i = 0; i < 512; i++)
		pt[i] = (uint64_t)i << 12 | 3;
	pt[5] = CODE64_GPA | 3;
	pt[6] = 0;
	pt[7] = 0;
	pt[8] = 0x11000 | 3;
}

static struct x86_guest g;

/* A 64-bit guest with paging, @code at RIP (linear CODE64). */
static void guest64(const uint8_t *code, size_t len)
{
	g = (struct x86_guest){ .cr0 = 0x80000011,
				.cr3 = 0x1000,
				.cr4 = 0x20,
				.efer = 0x500,
				.code64 = true,
				.ops = &fake_ops };
	g.regs.rip = CODE64;
	if (len)
		memcpy(fk.mem + CODE64_GPA, code, len);
}

/* A 32-bit guest, paging off, @code at 0x20000. */
static void guest32(const uint8_t *code, size_t len)
{
	g = (struct x86_guest){ .cr0 = 0x11, .code32 = true, .ops = &fake_ops };
	g.regs.rip = 0x20000;
	memcpy(fk.mem + 0x20000, code, len);
}

/* Machine with cell @cell, the layer called on CPU @cpu. */
static void setup(const char *cell, unsigned int cpu)
{
	machine(cell);
	memset(&fk, 0, sizeof(fk));
	ck_assert_ptr_nonnull(fk.mem = calloc(1, MEM_SIZE));
	fk.apic_base = 0xfee00000 | 3 << 10; /* EN, EXTD */
	page_tables();
	core_set_trap_sink(&sink);
	records = 0;
	memset(&last, 0, sizeof(last));
	sim_set_cpu(cpu);
}

static void teardown(void)
{
	core_set_trap_sink(NULL);
	free(fk.mem);
	scenario_release();
}

/* ---- hypercalls ------------------------------------------------------------- */

START_TEST(test_hypercall_cpl0_and_cpl3)
{
	setup("tiny-x86", 2);
	guest64(NULL, 0);
	g.regs.gpr[0] = WD_HC_CELL_GET_STATE;
	g.regs.gpr[7] = 1; /* RDI: cell 1 */
	g.regs.gpr[6] = 0xdead;
	ck_assert_int_eq(x86_exit_hypercall(&g), X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], WD_CELL_RUNNING);
	ck_assert_uint_eq(g.advance, 3);
	ck_assert_uint_eq(last.kind, WD_TRAP_HVC);
	ck_assert_uint_eq(last.user, 0);
	ck_assert_uint_eq(last.addr, WD_HC_CELL_GET_STATE);
	ck_assert_uint_eq(last.value, 1);

	/* The same from user mode: refused before anything else. */
	g.regs.gpr[0] = WD_HC_CELL_GET_STATE;
	g.cpl = 3;
	ck_assert_int_eq(x86_exit_hypercall(&g), X86_EXIT_RESUME);
	ck_assert_int_eq((long)g.regs.gpr[0], -WD_EPERM);
	ck_assert_uint_eq(g.advance, 3);
	ck_assert_uint_eq(last.user, 1);
	ck_assert_uint_eq(core_cell_last_reason(cell1())->code,
			  WD_R_hypercall_user);
	ck_assert_uint_eq(core_cell_last_reason(cell1())->item,
			  WD_HC_CELL_GET_STATE);
	assert_running();
	teardown();
}
END_TEST

/* ---- CPUID ------------------------------------------------------------------ */

START_TEST(test_cpuid_leaves)
{
	static const uint8_t cpuid[] = { 0x0f, 0xa2 };

	setup("tiny-x86", 2);
	guest64(cpuid, sizeof(cpuid));
	fk.cpuid = (struct x86_cpuid){ 0x000306a9, 0x01100800,
				       1U << 5 | 1U << 0, 0x178bfbff };
	g.regs.gpr[0] = 0xffffffff00000001ULL; /* leaf 1, junk above */
	g.regs.gpr[3] = 0xffffffff00000000ULL;
	g.insn_len = x86_insn_length(&g); /* as AMD-V without NRIP save */
	ck_assert_int_eq(x86_exit_cpuid(&g), X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0x000306a9);
	ck_assert_uint_eq(g.regs.gpr[3], 0x02100800); /* APIC id 2 */
	ck_assert_uint_eq(g.regs.gpr[1], 1U << 31 | 1U << 21 | 1U << 0);
	ck_assert_uint_eq(g.regs.gpr[2], 0x178bfbff);
	ck_assert_uint_eq(g.advance, 2); /* fetched and decoded */

	g.regs.gpr[0] = X86_CPUID_SIGNATURE;
	g.insn_len = 3; /* as the CPU says, with a prefix */
	ck_assert_int_eq(x86_exit_cpuid(&g), X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], X86_CPUID_FEATURES);
	ck_assert_uint_eq(g.regs.gpr[3], 0x6c69614a); /* "Jail" */
	ck_assert_uint_eq(g.regs.gpr[1], 0x73756f68); /* "hous" */
	ck_assert_uint_eq(g.regs.gpr[2], 0x65);	      /* "e" */
	ck_assert_uint_eq(g.advance, 3);

	fk.cpuid.ecx = 1U << 2 | 1U << 1;
	g.regs.gpr[0] = 0x80000001;
	x86_exit_cpuid(&g);
	ck_assert_uint_eq(g.regs.gpr[1], 1U << 1); /* SVM hidden */
	ck_assert_uint_eq(records, 0);		   /* CPUID makes no record */
	teardown();
}
END_TEST

/* ---- MSRs --------------------------------------------------------------------- */

static enum x86_exit_result msr(bool write, uint32_t index, uint64_t val)
{
	g.regs.gpr[1] = index;
	g.regs.gpr[0] = 0xaaaaaaaa00000000ULL | (uint32_t)val;
	g.regs.gpr[2] = val >> 32;
	g.insn_len = 2;
	return x86_exit_msr(&g, write);
}

START_TEST(test_msr_allowed)
{
	setup("tiny-x86", 2);
	guest64(NULL, 0);
	/* Guest state: through the backend's ops. */
	fk.msr_val = 0x1122334455667788ULL;
	ck_assert_int_eq(msr(false, 0xc0000080, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.msr_index, 0xc0000080);
	ck_assert_uint_eq(g.regs.gpr[0], 0x55667788); /* upper half cleared */
	ck_assert_uint_eq(g.regs.gpr[2], 0x11223344);
	ck_assert_uint_eq(g.advance, 2);
	ck_assert_int_eq(msr(true, 0xc0000082, 0xffff800012345678ULL),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.msr_index, 0xc0000082);
	ck_assert_uint_eq(fk.msr_written, 0xffff800012345678ULL);
	/* The TSC: the backend's virtual time. */
	ck_assert_int_eq(msr(false, MSR_TSC, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0x56789abc);
	ck_assert_uint_eq(g.regs.gpr[2], 0x1234);
	/* x2APIC TPR write and read back: the CPU's own APIC. */
	ck_assert_int_eq(msr(true, 0x808, 0x20), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.apic[X2APIC_TPR], 0x20);
	ck_assert_int_eq(msr(false, 0x808, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0x20);
	/* RDTSCP (the simulator's): ECX = TSC_AUX (guest state). */
	fk.msr_val = 7;
	g.insn_len = 3;
	ck_assert_int_eq(sim_x86_rdtsc(&g, true), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.msr_index, MSR_TSC_AUX);
	ck_assert_uint_eq(g.regs.gpr[1], 7);
	ck_assert_uint_eq(g.regs.gpr[0], 0x56789abc);
	ck_assert_uint_eq(g.advance, 3);
	ck_assert_uint_eq(fk.injected, 0);
	assert_running();
	teardown();
}
END_TEST

START_TEST(test_msr_denied)
{
	setup("tiny-x86", 2);
	guest64(NULL, 0);
	ck_assert_int_eq(msr(true, 0x1a0, 1), X86_EXIT_PARKED);
	assert_failed(WD_R_msr_denied, 0x1a0);
	ck_assert_uint_eq(last.kind, WD_TRAP_MSR);
	ck_assert_uint_eq(last.write, 1);
	ck_assert_uint_eq(last.addr, 0x1a0);
	ck_assert_uint_eq(g.advance, 0);
	teardown();
}
END_TEST

/* The root cell (CPU 0): an MSR nobody offers raises #GP, as on a CPU
 * without it (Linux probes with rdmsr_safe); the machine-check MSRs read
 * 0 and drop writes (Linux panics on a #GP there); nothing fails. */
START_TEST(test_msr_root)
{
	setup("tiny-x86", 0);
	guest64(NULL, 0);
	ck_assert_int_eq(msr(false, 0xc0010010, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.injected, X86_EXC_GP);
	ck_assert_uint_eq(g.advance, 0);
	fk.injected = 0;
	ck_assert_int_eq(msr(false, 0x17a, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0);
	ck_assert_uint_eq(g.regs.gpr[2], 0);
	ck_assert_uint_eq(g.advance, 2);
	ck_assert_int_eq(msr(true, 0x401, 0), X86_EXIT_RESUME); /* MC0_STATUS */
	ck_assert_uint_eq(fk.injected, 0);
	ck_assert_uint_eq(records, 0);
	ck_assert(!core_cell_fail_reason(core_cell_by_id(0)));
	teardown();
}
END_TEST

/* An unmasked LINT0 entry asking for an SMI: refused. */
START_TEST(test_msr_lvt_mode)
{
	setup("tiny-x86", 2);
	guest64(NULL, 0);
	ck_assert_int_eq(msr(true, 0x835, 0x10200),
			 X86_EXIT_RESUME); /* masked */
	ck_assert_uint_eq(fk.apic[0x35], 0x10200);
	ck_assert_int_eq(msr(true, 0x835, 0x200), X86_EXIT_PARKED);
	assert_failed(WD_R_msr_denied, 0x835);
	ck_assert_uint_eq(fk.apic[0x35], 0x10200);
	teardown();
}
END_TEST

START_TEST(test_msr_x2apic_gp)
{
	setup("tiny-x86", 2);
	guest64(NULL, 0);
	/* EXTD clear: the x2APIC MSRs raise #GP, nothing else happens. */
	fk.apic_base = 0xfee00000 | 1 << 11;
	ck_assert_int_eq(msr(false, 0x808, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.injected, X86_EXC_GP);
	ck_assert_uint_eq(g.advance, 0);
	/* Or the APIC refuses the access itself. */
	fk.apic_base |= 1 << 10;
	fk.injected = 0;
	fk.apic_fail = 1;
	ck_assert_int_eq(msr(true, 0x838, 5), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.injected, X86_EXC_GP);
	ck_assert_uint_eq(g.advance, 0);
	ck_assert_uint_eq(records, 0);
	assert_running();
	teardown();
}
END_TEST

/* ---- IPIs: x2APIC ICR --------------------------------------------------------- */

/* smp-x86: CPUs 1 (running), 2 and 3 (waiting for SIPI); CPU 0 root. */
START_TEST(test_icr_own_cpus)
{
	setup("smp-x86", 1);
	guest64(NULL, 0);
	ck_assert(core_cpu_flags(3) & CORE_CPU_PARKED);
	/* INIT, then SIPI (vector 0x10: entry 0x10000) to CPU 3. */
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 3ULL << 32 | 0x4500),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipis, 1);
	ck_assert_uint_eq(fk.ipi_cpu, 3);
	ck_assert_int_eq(fk.ipi_kind, IPI_INIT);
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 3ULL << 32 | 0x4610),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipis, 1); /* a SIPI is the core's, no IPI */
	ck_assert(!(core_cpu_flags(3) & CORE_CPU_PARKED));
	ck_assert_uint_eq(last.kind, WD_TRAP_CPU_ON);
	ck_assert_uint_eq(last.addr, 3);
	ck_assert_uint_eq(last.value, 0x10000);
	/* A fixed IPI to CPU 2, and to itself by shorthand. */
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 2ULL << 32 | 0x4041),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipis, 2);
	ck_assert_uint_eq(fk.ipi_cpu, 2);
	ck_assert_int_eq(fk.ipi_kind, IPI_FIXED);
	ck_assert_uint_eq(fk.ipi_vector, 0x41);
	ck_assert_uint_eq(fk.apic[X2APIC_ICR], 2ULL << 32 | 0x4041);
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 0x44042), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipi_cpu, 1);
	ck_assert_uint_eq(fk.ipi_vector, 0x42);
	assert_running();
	teardown();
}
END_TEST

/* Fixed IPIs by shorthand and to logical (xAPIC flat) destinations: to
 * the cell's own CPUs among them only (CPU 0 is the root's). */
START_TEST(test_icr_shorthand_logical)
{
	setup("smp-x86", 1);
	guest64(NULL, 0);
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 0xc0041), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipis, 2); /* all but self: 2, 3 */
	ck_assert_uint_eq(fk.ipi_cpu, 3);
	ck_assert_uint_eq(fk.ipi_vector, 0x41);
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 0x80042), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipis, 5); /* all: 1, 2, 3 */
	x86_apic_ldr(0, 0x01000000);
	x86_apic_ldr(2, 0x04000000);
	x86_apic_ldr(3, 0x08000000);
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 0x5ULL << 32 | 0x4843),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipis,
			  6); /* logical 1|4: CPU 2, not the root's 0 */
	ck_assert_uint_eq(fk.ipi_cpu, 2);
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 0x1ULL << 32 | 0x4844),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipis, 6); /* only the root's CPU 0: none */
	assert_running();
	/* A reset CPU (a new owner's) has no logical id of the last one. */
	hal_cpu_reset(2, 0, false);
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 0x4ULL << 32 | 0x4845),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipis, 6);
	x86_apic_ldr(0, 0);
	x86_apic_ldr(2, 0);
	x86_apic_ldr(3, 0);
	teardown();
}
END_TEST

START_TEST(test_icr_foreign_cpu)
{
	setup("smp-x86", 1);
	guest64(NULL, 0);
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 0ULL << 32 | 0x4041),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_cpu_foreign, 0);
	ck_assert_uint_eq(fk.ipis, 0);
	teardown();
}
END_TEST

START_TEST(test_icr_foreign_sipi)
{
	setup("smp-x86", 1);
	guest64(NULL, 0);
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, 0ULL << 32 | 0x4610),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_cpu_foreign, 0);
	ck_assert_uint_eq(fk.ipis, 0);
	teardown();
}
END_TEST

/*
 * The root cell (CPU 0) sending a fixed IPI, INIT, SIPI, NMI or INIT by
 * shorthand that a cell would fail for: dropped, the reason recorded for the root,
 * which runs on (no machine stop), and the cell on CPU 1 is untouched.
 */
START_TEST(test_icr_root_refused_dropped)
{
	static const struct {
		uint64_t icr;
		enum wd_reason why;
		uint64_t item;
	} t[] = {
		{ 1ULL << 32 | 0x4041, WD_R_cpu_foreign, 1 }, /* fixed */
		{ 1ULL << 32 | 0x4500, WD_R_cpu_foreign, 1 }, /* INIT */
		{ 1ULL << 32 | 0x4610, WD_R_cpu_foreign, 1 }, /* SIPI */
		{ 1ULL << 32 | 0x4400, WD_R_msr_denied, MSR_X2APIC_ICR },
		{ 0xc4500, WD_R_msr_denied,
		  MSR_X2APIC_ICR }, /* INIT, all but self */
	};
	unsigned int i, resets;

	setup("smp-x86", 0);
	guest64(NULL, 0);
	resets = sim_cpu(1)->resets;
	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, t[i].icr),
				 X86_EXIT_RESUME);
		ck_assert(!sim_machine_stopped());
		ck_assert_uint_eq(core_last_reason()->code, t[i].why);
		ck_assert_uint_eq(core_last_reason()->item, t[i].item);
		ck_assert_uint_eq(core_last_reason()->cell_id, 0);
		ck_assert_uint_eq(fk.ipis, 0);
		ck_assert_uint_eq(sim_cpu(1)->resets, resets);
		assert_running();
	}
	teardown();
}
END_TEST

/* _i 0: NMI to an own CPU; 1: INIT to all but self; 2: INIT to a logical
 * destination. */
START_TEST(test_icr_nmi_broadcast)
{
	static const uint64_t icr[] = { 2ULL << 32 | 0x4400, 0xc4500,
					4ULL << 32 | 0x4d00 };

	setup("smp-x86", 1);
	guest64(NULL, 0);
	ck_assert_int_eq(msr(true, MSR_X2APIC_ICR, icr[_i]), X86_EXIT_PARKED);
	assert_failed(WD_R_msr_denied, MSR_X2APIC_ICR);
	ck_assert_uint_eq(fk.ipis, 0);
	teardown();
}
END_TEST

/* ---- port I/O ------------------------------------------------------------------ */

START_TEST(test_pio_allowed)
{
	setup("tiny-x86", 2);
	guest64(NULL, 0);
	/* COM2 (tiny's): LCR written, read back into AL only. */
	g.regs.gpr[0] = 0x1234567800000083ULL;
	g.insn_len = 1;
	ck_assert_int_eq(x86_exit_io(&g, 0x2fb, 1, false, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(g.advance, 1);
	g.regs.gpr[0] = 0xffffffffffffff00ULL;
	g.insn_len = 2;
	ck_assert_int_eq(x86_exit_io(&g, 0x2fb, 1, true, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0xffffffffffffff83ULL);
	ck_assert_uint_eq(g.advance, 2);
	ck_assert_uint_eq(last.kind, WD_TRAP_PIO);
	ck_assert_uint_eq(last.addr, 0x2fb);
	/* 32-bit IN (LCR and 0s): EAX zero-extends into RAX. */
	g.insn_len = 1;
	ck_assert_int_eq(x86_exit_io(&g, 0x2fb, 4, true, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0x83);
	/* The length is the exit's (EXITINFO2 - RIP, the VM-exit
	 * instruction length): the bytes at RIP are not read. */
	memcpy(fk.mem + CODE64_GPA, (uint8_t[]){ 0x90, 0x90 }, 2);
	g.insn_len = 3;
	ck_assert_int_eq(x86_exit_io(&g, 0x2fd, 1, true, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(g.advance, 3);
	assert_running();
	teardown();
}
END_TEST

START_TEST(test_pio_denied)
{
	setup("tiny-x86", 2);
	guest64(NULL, 0);
	g.insn_len = 1;
	ck_assert_int_eq(x86_exit_io(&g, 0x3f8, 1, false, false),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_pio_denied, 0x3f8);
	ck_assert_uint_eq(g.advance, 0);
	teardown();
}
END_TEST

START_TEST(test_pio_string)
{
	setup("tiny-x86", 2);
	guest64(NULL, 0);
	/* rep outsb to an allowed port: refused whole. */
	g.insn_len = 3;
	ck_assert_int_eq(x86_exit_io(&g, 0x2f8, 1, false, true),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_pio_string_rep, 0x2f8);
	ck_assert_uint_eq(last.kind, WD_TRAP_PIO);
	ck_assert_uint_eq(last.write, 1);
	ck_assert_uint_eq(last.addr, 0x2f8);
	teardown();
}
END_TEST

/* ---- nested page faults: MMIO ------------------------------------------------- */

/* width-x86: 0x7f000000 RW (root RAM 0x0e800000), 0x7f000800 read-only,
 * 0xfed01000 32-bit only. Linear 0xbf000000 is 0x7f000000 (1 GiB page). */
#define DEV_LA 0xbf000010ULL
#define DEV_GPA 0x7f000010ULL
#define DEV_HPA 0x0e800010ULL

static uint8_t *dev(void)
{
	return sim_phys_ptr(DEV_HPA, 16);
}

static enum x86_exit_result npf(const uint8_t *code, size_t len, uint64_t gpa,
				bool write)
{
	guest64(code, len);
	g.regs.gpr[3] = DEV_LA; /* RBX */
	return x86_exit_npf(&g, gpa, write, false);
}

START_TEST(test_mmio_forms)
{
	setup("width-x86", 2);
	/* mov [rbx], eax: one 4-byte store, the record names EAX. */
	guest64((uint8_t[]){ 0x89, 0x03 }, 2);
	g.regs.gpr[3] = DEV_LA;
	g.regs.gpr[0] = 0x11223344cafebabeULL;
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA, true, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(dev()[0] | (uint32_t)dev()[3] << 24, 0xca0000beU);
	ck_assert_uint_eq(dev()[4], 0);
	ck_assert_uint_eq(g.regs.gpr[0], 0x11223344cafebabeULL);
	ck_assert_uint_eq(g.advance, 2);
	ck_assert_uint_eq(last.kind, WD_TRAP_MMIO);
	ck_assert_uint_eq(last.addr, DEV_GPA); /* guest-physical */
	ck_assert_uint_eq(last.size, 4);
	ck_assert_uint_eq(last.reg, X86_REG_EAX);
	ck_assert_uint_eq(last.insn_len, 2);

	/* mov byte [rbx + 1], 0x80 (immediate: no register) */
	ck_assert_int_eq(npf((uint8_t[]){ 0xc6, 0x43, 0x01, 0x80 }, 4,
			     DEV_GPA + 1, true),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(dev()[1], 0x80);
	ck_assert_uint_eq(g.advance, 4);
	ck_assert_uint_eq(last.reg, WD_TRAP_NO_REG);

	/* movsx rax, byte [rbx + 1]: sign-extended */
	ck_assert_int_eq(npf((uint8_t[]){ 0x48, 0x0f, 0xbe, 0x43, 0x01 }, 5,
			     DEV_GPA + 1, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0xffffffffffffff80ULL);
	ck_assert_uint_eq(g.advance, 5);
	ck_assert_uint_eq(last.sext, 1);
	ck_assert_uint_eq(last.reg, X86_REG_RAX);

	/* movzx ecx, byte [rbx + 1]: zero-extended, upper half cleared */
	guest64((uint8_t[]){ 0x0f, 0xb6, 0x4b, 0x01 }, 4);
	g.regs.gpr[3] = DEV_LA;
	g.regs.gpr[1] = 0xffffffffffffffffULL;
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA + 1, false, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[1], 0x80);

	/* mov ah, [rbx + 1]: bits 15:8 only */
	guest64((uint8_t[]){ 0x8a, 0x63, 0x01 }, 3);
	g.regs.gpr[3] = DEV_LA;
	g.regs.gpr[0] = 0x1111111111111111ULL;
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA + 1, false, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0x1111111111118011ULL);
	ck_assert_uint_eq(last.reg, X86_REG_AH);

	/* mov [rbx + 8], r9w (66 REX.R): 2 bytes */
	guest64((uint8_t[]){ 0x66, 0x44, 0x89, 0x4b, 0x08 }, 5);
	g.regs.gpr[3] = DEV_LA;
	g.regs.gpr[9] = 0xabcdef;
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA + 8, true, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(dev()[8] | dev()[9] << 8, 0xcdef);
	ck_assert_uint_eq(dev()[10], 0);
	ck_assert_uint_eq(last.size, 2);
	ck_assert_uint_eq(last.reg, X86_REG_R9W);

	/* mov rdx, [rip + 0x7eff0009] at linear 0x40010000 (1 GiB page onto
	 * the code's page): DEV_LA */
	guest64((uint8_t[]){ 0x48, 0x8b, 0x15, 0x09, 0x00, 0xff, 0x7e }, 7);
	g.regs.rip = 0x40000000 + CODE64_GPA;
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA, false, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[2], 0xcafe80beULL);
	ck_assert_uint_eq(g.advance, 7);
	ck_assert_uint_eq(last.size, 8);
	assert_running();
	teardown();
}
END_TEST

START_TEST(test_mmio_readonly)
{
	setup("width-x86", 2);
	ck_assert_int_eq(npf((uint8_t[]){ 0x89, 0x83, 0xf0, 0x07, 0, 0 }, 6,
			     DEV_GPA + 0x7f0, true),
			 X86_EXIT_PARKED); /* mov [rbx + 0x7f0], eax */
	assert_failed(WD_R_mmio_readonly, DEV_GPA + 0x7f0);
	teardown();
}
END_TEST

START_TEST(test_mmio_not_emulated)
{
	setup("width-x86", 2);
	ck_assert_int_eq(npf((uint8_t[]){ 0xf0, 0x01, 0x03, 0xf4 }, 4, DEV_GPA,
			     true),
			 X86_EXIT_PARKED); /* lock add [rbx], eax */
	assert_failed(WD_R_insn_x86_not_emulated, 0xf40301f0ULL);
	ck_assert_uint_eq(last.kind, WD_TRAP_EXCEPTION);
	ck_assert_uint_eq(last.addr, X86_EXIT_EPT_VIOLATION);
	teardown();
}
END_TEST

START_TEST(test_mmio_wrong_address)
{
	setup("width-x86", 2);
	/* The decoded address translates to 0x7f000010, the fault says 0x20. */
	ck_assert_int_eq(npf((uint8_t[]){ 0x8b, 0x03 }, 2, DEV_GPA + 0x10,
			     false),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_insn_x86_address, 0x038b);
	teardown();
}
END_TEST

/* The CPU faulted on a store, the bytes say load (changed meanwhile). */
START_TEST(test_mmio_wrong_direction)
{
	setup("width-x86", 2);
	ck_assert_int_eq(npf((uint8_t[]){ 0x8b, 0x03 }, 2, DEV_GPA, true),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_insn_x86_address, 0x038b);
	teardown();
}
END_TEST

START_TEST(test_mmio_fetch)
{
	setup("width-x86", 2);
	guest64(NULL, 0);
	ck_assert_int_eq(x86_exit_npf(&g, 0x7f000000, false, true),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_x86_exec_mmio, 0x7f000000);
	teardown();
}
END_TEST

/* ---- the guest's page walk ---------------------------------------------------- */

START_TEST(test_walk_pages)
{
	uint64_t pa;

	setup("width-x86", 2);
	guest64(NULL, 0);
	ck_assert_int_eq(x86_guest_translate(&g, 0x5123, &pa), 0);
	ck_assert_uint_eq(pa, 0x10123);
	ck_assert_int_eq(x86_guest_translate(&g, 0x2abcde, &pa), 0);
	ck_assert_uint_eq(pa, 0x2abcde); /* 2 MiB */
	ck_assert_int_eq(x86_guest_translate(&g, 0x40012345, &pa), 0);
	ck_assert_uint_eq(pa, 0x12345); /* 1 GiB */
	ck_assert_int_eq(x86_guest_translate(&g, 0xbf000010, &pa), 0);
	ck_assert_uint_eq(pa, 0x7f000010);
	ck_assert_int_eq(x86_guest_translate(&g, 0x6000, &pa), -1);
	ck_assert_int_eq(x86_guest_translate(&g, 0x100000000ULL, &pa), -1);
	ck_assert_int_eq(x86_guest_translate(&g, 0x800000000000ULL, &pa), -1);
	/* A table outside the guest's RAM: the walk faults. */
	g.cr3 = 0x7f000000;
	ck_assert_int_eq(x86_guest_translate(&g, 0x5000, &pa), -1);
	/* Paging off: linear is physical (32-bit code: 32 bits of it). */
	g.cr0 = 0x11;
	g.code64 = false;
	ck_assert_int_eq(x86_guest_translate(&g, 0x100005000ULL, &pa), 0);
	ck_assert_uint_eq(pa, 0x5000);
	teardown();
}
END_TEST

START_TEST(test_walk_fault_rip)
{
	setup("width-x86", 2);
	guest64(NULL, 0);
	g.regs.rip = 0x7000; /* not present */
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA, false, false),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_x86_walk_fault, 0x7000);
	ck_assert_uint_eq(last.kind, WD_TRAP_EXCEPTION);
	teardown();
}
END_TEST

START_TEST(test_walk_fault_second_page)
{
	setup("width-x86", 2);
	guest64(NULL, 0);
	/* mov rax, [rbx] with its last byte on the next, absent page. */
	memcpy(fk.mem + CODE64_GPA + 0xffe, (uint8_t[]){ 0x48, 0x8b }, 2);
	g.regs.rip = CODE64 + 0xffe;
	g.regs.gpr[3] = DEV_LA;
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA, false, false),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_x86_walk_fault, 0x6000);
	teardown();
}
END_TEST

START_TEST(test_walk_fault_data)
{
	setup("width-x86", 2);
	/* mov eax, [rbx] with RBX on an absent page. */
	guest64((uint8_t[]){ 0x8b, 0x03 }, 2);
	g.regs.gpr[3] = 0x6010;
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA, false, false),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_x86_walk_fault, 0x6010);
	teardown();
}
END_TEST

/* ---- 32-bit and 16-bit code ------------------------------------------------- */

START_TEST(test_mmio_32bit)
{
	setup("width-x86", 2);
	/* mov eax, [ebx + 4] with junk above EBX: 32-bit addressing. */
	guest32((uint8_t[]){ 0x8b, 0x43, 0x04 }, 3);
	memcpy(dev() + 4, (uint8_t[]){ 0x78, 0x56, 0x34, 0x12 }, 4);
	g.regs.gpr[3] = 0xdead00007f000010ULL;
	g.regs.gpr[0] = 0xffffffffffffffffULL;
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA + 4, false, false),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0x12345678);
	ck_assert_uint_eq(g.advance, 3);
	ck_assert_uint_eq(last.addr, DEV_GPA + 4);
	/* mov [0x7f000010], eax (moffs, 4-byte offset in 32-bit code) */
	guest32((uint8_t[]){ 0xa3, 0x10, 0x00, 0x00, 0x7f }, 5);
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA, true, false),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_insn_x86_mode, 0x20000);
	teardown();
}
END_TEST

/* _i 0-2: forms decode.c would read as 64-bit ones; 3: 16-bit code. */
START_TEST(test_mmio_32bit_forms_refused)
{
	static const uint8_t forms[][6] = {
		{ 0x89, 0x05, 0x10, 0x00, 0x00, 0x7f }, /* disp32, no base */
		{ 0x67, 0x89, 0x07 },			/* 16-bit addressing */
		{ 0x48, 0x89, 0x03 },			/* dec eax; ... */
		{ 0x89, 0x07 },				/* in 16-bit code */
	};

	setup("width-x86", 2);
	guest32(forms[_i], sizeof(forms[_i]));
	g.regs.gpr[3] = DEV_GPA;
	g.regs.gpr[7] = DEV_GPA;
	g.code32 = _i != 3;
	ck_assert_int_eq(x86_exit_npf(&g, DEV_GPA, true, false),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_insn_x86_mode, 0x20000);
	teardown();
}
END_TEST

/* ---- the xAPIC page ------------------------------------------------------------ */

/* mov [rbx], eax / mov eax, [rbx] at xAPIC offset @off (identity 1 GiB). */
static enum x86_exit_result xapic(unsigned int off, bool write, uint32_t val)
{
	static const uint8_t st[] = { 0x89, 0x03 }, ld[] = { 0x8b, 0x03 };

	guest64(write ? st : ld, 2);
	g.regs.gpr[3] = 0xfee00000 + off;
	g.regs.gpr[0] = write ? val : 0xffffffffffffffffULL;
	fk.apic_base = 0xfee00000 | 1 << 11; /* EN: xAPIC mode */
	return x86_exit_npf(&g, 0xfee00000 + off, write, false);
}

START_TEST(test_xapic_registers)
{
	setup("smp-x86", 1);
	/* TPR: the CPU's own APIC, x2APIC numbering. */
	ck_assert_int_eq(xapic(0x80, true, 0x30), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.apic[X2APIC_TPR], 0x30);
	ck_assert_uint_eq(g.advance, 2);
	ck_assert_int_eq(xapic(0x80, false, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0x30);
	/* EOI, timer */
	ck_assert_int_eq(xapic(0xb0, true, 0), X86_EXIT_RESUME);
	ck_assert_int_eq(xapic(0x380, true, 1000), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.apic[X2APIC_TMICT], 1000);
	/* ID in the xAPIC format (bits 31:24) */
	fk.apic[X2APIC_ID] = 1;
	ck_assert_int_eq(xapic(0x20, false, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0x01000000);
	/* ICR: high half kept, the IPI sent on the low write */
	ck_assert_int_eq(xapic(0x310, true, 2U << 24), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipis, 0);
	ck_assert_int_eq(xapic(0x300, true, 0x4051), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.ipis, 1);
	ck_assert_uint_eq(fk.ipi_cpu, 2);
	ck_assert_int_eq(fk.ipi_kind, IPI_FIXED);
	ck_assert_uint_eq(fk.ipi_vector, 0x51);
	ck_assert_int_eq(xapic(0x310, false, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 2U << 24);
	ck_assert_int_eq(xapic(0x300, false, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(g.regs.gpr[0], 0x4051);
	/* SIPI to CPU 3 (parked, own): the core starts it. */
	ck_assert_int_eq(xapic(0x310, true, 3U << 24), X86_EXIT_RESUME);
	ck_assert_int_eq(xapic(0x300, true, 0x4620), X86_EXIT_RESUME);
	ck_assert(!(core_cpu_flags(3) & CORE_CPU_PARKED));
	ck_assert_uint_eq(last.kind, WD_TRAP_CPU_ON);
	ck_assert_uint_eq(last.value, 0x20000);
	ck_assert_uint_eq(fk.ipis, 1);
	assert_running();
	teardown();
}
END_TEST

static const struct {
	unsigned int off;
	bool write;
	uint32_t val;
	enum wd_reason why;
	uint64_t item;
} xapic_refused[] = {
	{ 0x84, false, 0, WD_R_xapic_denied, 0xfee00084 },	 /* unaligned */
	{ 0x40, false, 0, WD_R_xapic_denied, 0xfee00040 },	 /* reserved */
	{ 0x30, true, 0, WD_R_xapic_denied, 0xfee00030 },	 /* version */
	{ 0xb0, false, 0, WD_R_xapic_denied, 0xfee000b0 },	 /* EOI read */
	{ 0x3f0, true, 0x41, WD_R_xapic_denied, 0xfee003f0 },	 /* SELF IPI:
								 x2APIC only */
	{ 0x300, true, 0x4400, WD_R_xapic_denied, 0xfee00300 },	 /* NMI */
	{ 0x300, true, 0xc4500, WD_R_xapic_denied, 0xfee00300 }, /* INIT to
								    all */
	{ 0xd0, true, 0x01000001, WD_R_xapic_denied, 0xfee000d0 }, /* LDR
								      low */
	{ 0xe0, true, 0x0fffffff, WD_R_xapic_denied, 0xfee000e0 }, /* DFR
								      cluster */
	{ 0x300, true, 0x4041, WD_R_cpu_foreign, 0 },	       /* to CPU 0 */
	{ 0x360, true, 0x400, WD_R_xapic_denied, 0xfee00360 }, /* LINT1 NMI */
};

START_TEST(test_xapic_denied)
{
	setup("smp-x86", 1);
	ck_assert_int_eq(xapic(xapic_refused[_i].off, xapic_refused[_i].write,
			       xapic_refused[_i].val),
			 X86_EXIT_PARKED);
	assert_failed(xapic_refused[_i].why, xapic_refused[_i].item);
	ck_assert_uint_eq(last.kind, WD_TRAP_MMIO);
	ck_assert_uint_eq(last.addr, 0xfee00000 + xapic_refused[_i].off);
	ck_assert_uint_eq(fk.ipis, 0);
	teardown();
}
END_TEST

/* _i 0: x2APIC mode, 1: APIC disabled: the page is not the APIC's. */
START_TEST(test_xapic_mode)
{
	setup("smp-x86", 1);
	guest64((uint8_t[]){ 0x8b, 0x03 }, 2);
	g.regs.gpr[3] = 0xfee00080;
	fk.apic_base = 0xfee00000 | (_i ? 0 : 3 << 10);
	ck_assert_int_eq(x86_exit_npf(&g, 0xfee00080, false, false),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_xapic_denied, 0xfee00080);
	teardown();
}
END_TEST

START_TEST(test_xapic_byte)
{
	setup("smp-x86", 1);
	guest64((uint8_t[]){ 0x8a, 0x03 }, 2);
	g.regs.gpr[3] = 0xfee00080;
	fk.apic_base = 0xfee00000 | 1 << 11;
	ck_assert_int_eq(x86_exit_npf(&g, 0xfee00080, false, false),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_xapic_denied, 0xfee00080);
	ck_assert_uint_eq(last.size, 1);
	teardown();
}
END_TEST

/* ---- lengths, register ids ------------------------------------------------------ */

START_TEST(test_insn_length)
{
	static const struct {
		uint8_t code[8];
		unsigned int len;
	} cases[] = {
		{ { 0x0f, 0x32 }, 2 },	     /* rdmsr */
		{ { 0x48, 0x0f, 0x30 }, 3 }, /* rex.w wrmsr */
		{ { 0x0f, 0xa2 }, 2 },	     /* cpuid */
		{ { 0x3e, 0x0f, 0xa2 }, 3 }, /* ds cpuid */
		{ { 0x0f, 0x01, 0xf9 }, 3 }, /* rdtscp */
		{ { 0xf3, 0x6e }, 2 },	     /* rep outsb (refused) */
		/* None of them: the layer needs no decoded length there. */
		{ { 0x0f, 0x01, 0xd9 }, 0 }, /* vmmcall: 3 */
		{ { 0xe4, 0x60 }, 0 },	     /* in al, 0x60: given */
		{ { 0xf4 }, 0 },	     /* hlt: not intercepted */
		{ { 0x89, 0x03 }, 0 },	     /* mov [rbx], eax: decoded */
		{ { 0x0f, 0x01, 0xf8 }, 0 }, /* swapgs */
		{ { 0x90 }, 0 },	     /* nop */
	};
	unsigned int i;

	setup("tiny-x86", 2);
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		guest64(cases[i].code, sizeof(cases[i].code));
		ck_assert_msg(x86_insn_length(&g) == cases[i].len,
			      "case %u: %u", i, x86_insn_length(&g));
	}
	g.regs.rip = 0x7000; /* not present */
	ck_assert_uint_eq(x86_insn_length(&g), 0);
	teardown();
}
END_TEST

START_TEST(test_record_reg_is_capstone)
{
	static const int ids[4][16] = {
		{ X86_REG_AL, X86_REG_CL, X86_REG_DL, X86_REG_BL, X86_REG_SPL,
		  X86_REG_BPL, X86_REG_SIL, X86_REG_DIL, X86_REG_R8B,
		  X86_REG_R9B, X86_REG_R10B, X86_REG_R11B, X86_REG_R12B,
		  X86_REG_R13B, X86_REG_R14B, X86_REG_R15B },
		{ X86_REG_AX, X86_REG_CX, X86_REG_DX, X86_REG_BX, X86_REG_SP,
		  X86_REG_BP, X86_REG_SI, X86_REG_DI, X86_REG_R8W, X86_REG_R9W,
		  X86_REG_R10W, X86_REG_R11W, X86_REG_R12W, X86_REG_R13W,
		  X86_REG_R14W, X86_REG_R15W },
		{ X86_REG_EAX, X86_REG_ECX, X86_REG_EDX, X86_REG_EBX,
		  X86_REG_ESP, X86_REG_EBP, X86_REG_ESI, X86_REG_EDI,
		  X86_REG_R8D, X86_REG_R9D, X86_REG_R10D, X86_REG_R11D,
		  X86_REG_R12D, X86_REG_R13D, X86_REG_R14D, X86_REG_R15D },
		{ X86_REG_RAX, X86_REG_RCX, X86_REG_RDX, X86_REG_RBX,
		  X86_REG_RSP, X86_REG_RBP, X86_REG_RSI, X86_REG_RDI,
		  X86_REG_R8, X86_REG_R9, X86_REG_R10, X86_REG_R11, X86_REG_R12,
		  X86_REG_R13, X86_REG_R14, X86_REG_R15 },
	};
	static const int high[4] = { X86_REG_AH, X86_REG_CH, X86_REG_DH,
				     X86_REG_BH };
	unsigned int s, r;

	for (s = 0; s < 4; s++)
		for (r = 0; r < 16; r++)
			ck_assert_int_eq(x86_record_reg(r, 1U << s, false),
					 ids[s][r]);
	for (r = 0; r < 4; r++)
		ck_assert_int_eq(x86_record_reg(r, 1, true), high[r]);
}
END_TEST

/* ---- cell memory (arch-x86/cell.c) -------------------------------------------- */

/* hal/hal.h and hal/core.h are in already: the renamed ones declared. */
void *xt_cell_arch(const struct cell *cell);
int xt_hal_map(struct cell *cell, gpa_t gpa, hpa_t hpa, uint64_t size,
	       uint64_t flags);
int xt_hal_unmap(struct cell *cell, gpa_t gpa, uint64_t size);
int xt_copy_from_guest(struct cell *cell, gpa_t gpa, void *dst, size_t len);
int xt_copy_to_guest(struct cell *cell, gpa_t gpa, const void *src, size_t len);
#define hal_map xt_hal_map
#define hal_unmap xt_hal_unmap
#define hal_copy_from_guest xt_copy_from_guest
#define hal_copy_to_guest xt_copy_to_guest
#define core_cell_arch xt_cell_arch
#include "../../arch-x86/cell.c"

static struct x86_cell xcell;

void *xt_cell_arch(const struct cell *cell)
{
	(void)cell;
	return &xcell;
}

START_TEST(test_cell_memory)
{
	uint8_t *ram = aligned_alloc(4096, 3 * 4096), buf[8192];
	uint64_t base = (uintptr_t)ram;
	struct x86_pt_xlate x;

	machine("tiny-x86"); /* the core's page pool */
	ck_assert_ptr_nonnull(ram);
	memset(ram, 0x11, 3 * 4096);
	ck_assert_int_eq(x86_pt_init(&xcell.pt, &x86_pt_npt, X86_PT_2M), 0);
	/* RAM RW at 0x100000 (2 pages), RO at 0x102000, a device page. */
	ck_assert_int_eq(xt_hal_map(NULL, gpa(0x100000), hpa(base), 8192,
				    WD_MEM_READ | WD_MEM_WRITE |
					    WD_MEM_EXECUTE),
			 0);
	ck_assert_int_eq(xt_hal_map(NULL, gpa(0x102000), hpa(base + 8192), 4096,
				    WD_MEM_READ),
			 0);
	ck_assert_int_eq(xt_hal_map(NULL, gpa(0xfed00000), hpa(0xfed00000),
				    4096,
				    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO),
			 0);
	ck_assert_int_eq(x86_pt_translate(&xcell.pt, 0xfed00000, &x), 0);
	ck_assert_int_eq(x.mt, X86_MT_UC);
	ck_assert_int_eq(x86_pt_translate(&xcell.pt, 0x100000, &x), 0);
	ck_assert_uint_eq(x.perm, X86_PT_R | X86_PT_W | X86_PT_X);

	/* Across the two RW pages, both ways. */
	memset(buf, 0x5a, 100);
	ck_assert_int_eq(xt_copy_to_guest(NULL, gpa(0x100ff0), buf, 100), 0);
	ck_assert_uint_eq(ram[0xff0], 0x5a);
	ck_assert_uint_eq(ram[0x1000 + 83], 0x5a);
	ck_assert_uint_eq(ram[0x1000 + 84], 0x11);
	ck_assert_int_eq(xt_copy_from_guest(NULL, gpa(0x100fe0), buf, 200), 0);
	ck_assert_uint_eq(buf[0], 0x11);
	ck_assert_uint_eq(buf[0x10], 0x5a);
	/* Read-only RAM reads, is not written: nothing of the copy happens. */
	ck_assert_int_eq(xt_copy_from_guest(NULL, gpa(0x101ff0), buf, 32), 0);
	ck_assert_int_eq(xt_copy_to_guest(NULL, gpa(0x101ff0), buf, 32),
			 -WD_EFAULT);
	ck_assert_uint_eq(ram[0x1ff0], 0x11);
	/* Device memory and unmapped space are never touched. */
	ck_assert_int_eq(xt_copy_from_guest(NULL, gpa(0xfed00000), buf, 4),
			 -WD_EFAULT);
	ck_assert_int_eq(xt_copy_from_guest(NULL, gpa(0x102ff0), buf, 32),
			 -WD_EFAULT);
	ck_assert_int_eq(xt_copy_from_guest(NULL, gpa(~0ULL - 4), buf, 32),
			 -WD_EFAULT);
	/* Unmap the first page: the copy across it fails. */
	ck_assert_int_eq(xt_hal_unmap(NULL, gpa(0x100000), 4096), 0);
	ck_assert_int_eq(xt_copy_from_guest(NULL, gpa(0x100ff0), buf, 32),
			 -WD_EFAULT);
	ck_assert_int_eq(xt_copy_from_guest(NULL, gpa(0x101000), buf, 32), 0);

	x86_pt_destroy(&xcell.pt);
	free(ram);
	scenario_release();
}
END_TEST

/* ---- the simulator on the layer ------------------------------------------------ */

START_TEST(test_sim_string_io)
{
	static const uint8_t blob[] = {
		0x66, 0xba, 0xf8, 0x02,			  /* mov dx, 0x2f8 */
		0x48, 0xc7, 0xc6, 0x00, 0x20, 0x00, 0x00, /* mov rsi, 0x2000 */
		0xb9, 0x04, 0x00, 0x00, 0x00,		  /* mov ecx, 4 */
		0xf3, 0x6e,				  /* rep outsb */
		0xf4,
	};

	machine_blob("tiny-x86", blob, sizeof(blob));
	ck_assert_uint_eq(core_cell_comm(cell1())->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(cell1()), WD_R_pio_string_rep);
	ck_assert_uint_eq(core_cell_fail_item(cell1()), 0x2f8);
	scenario_release();
}
END_TEST

/* The simulated APIC (xAPIC mode after reset) through its page. */
START_TEST(test_sim_xapic)
{
	/* clang-format off */
	static const uint8_t blob[] = {
		0xbb, 0x00, 0x00, 0xe0, 0xfe,		/* mov ebx, 0xfee00000 */
		0x8b, 0x43, 0x30,			/* mov eax, [rbx+0x30] */
		0x89, 0x04, 0x25, 0x00, 0x20, 0, 0,	/* mov [0x2000], eax */
		0xc7, 0x83, 0x80, 0, 0, 0, 0x20, 0, 0, 0, /* TPR = 0x20 */
		0x8b, 0x83, 0x80, 0, 0, 0,		/* mov eax, [rbx+0x80] */
		0x89, 0x04, 0x25, 0x08, 0x20, 0, 0,	/* mov [0x2008], eax */
		0x8b, 0x43, 0x20,			/* mov eax, [rbx+0x20] */
		0x89, 0x04, 0x25, 0x10, 0x20, 0, 0,	/* mov [0x2010], eax */
		0x8a, 0x03,				/* mov al, [rbx] */
		0xf4,
	};
	/* clang-format on */
	uint32_t out[6];

	machine_blob("tiny-x86", blob, sizeof(blob));
	memcpy(out, sim_phys_ptr(0x0e002000, sizeof(out)), sizeof(out));
	ck_assert_uint_eq(out[0], 0x00050014); /* version */
	ck_assert_uint_eq(out[2], 0x20);       /* TPR */
	ck_assert_uint_eq(out[4], 2U << 24);   /* ID: CPU 2 */
	ck_assert_uint_eq(core_cell_comm(cell1())->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(cell1()), WD_R_xapic_denied);
	ck_assert_uint_eq(core_cell_fail_item(cell1()), 0xfee00000);
	scenario_release();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("x86exit");
	TCase *tc = tcase_create("exit");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hypercall_cpl0_and_cpl3);
	tcase_add_test(tc, test_cpuid_leaves);
	tcase_add_test(tc, test_msr_allowed);
	tcase_add_test(tc, test_msr_denied);
	tcase_add_test(tc, test_msr_root);
	tcase_add_test(tc, test_msr_lvt_mode);
	tcase_add_test(tc, test_msr_x2apic_gp);
	tcase_add_test(tc, test_icr_own_cpus);
	tcase_add_test(tc, test_icr_foreign_cpu);
	tcase_add_test(tc, test_icr_foreign_sipi);
	tcase_add_test(tc, test_icr_root_refused_dropped);
	tcase_add_loop_test(tc, test_icr_nmi_broadcast, 0, 3);
	tcase_add_test(tc, test_icr_shorthand_logical);
	tcase_add_test(tc, test_pio_allowed);
	tcase_add_test(tc, test_pio_denied);
	tcase_add_test(tc, test_pio_string);
	tcase_add_test(tc, test_mmio_forms);
	tcase_add_test(tc, test_mmio_readonly);
	tcase_add_test(tc, test_mmio_not_emulated);
	tcase_add_test(tc, test_mmio_wrong_address);
	tcase_add_test(tc, test_mmio_wrong_direction);
	tcase_add_test(tc, test_mmio_fetch);
	tcase_add_test(tc, test_walk_pages);
	tcase_add_test(tc, test_walk_fault_rip);
	tcase_add_test(tc, test_walk_fault_second_page);
	tcase_add_test(tc, test_walk_fault_data);
	tcase_add_test(tc, test_mmio_32bit);
	tcase_add_loop_test(tc, test_mmio_32bit_forms_refused, 0, 4);
	tcase_add_test(tc, test_xapic_registers);
	tcase_add_loop_test(tc, test_xapic_denied, 0,
			    sizeof(xapic_refused) / sizeof(xapic_refused[0]));
	tcase_add_test(tc, test_xapic_byte);
	tcase_add_loop_test(tc, test_xapic_mode, 0, 2);
	tcase_add_test(tc, test_insn_length);
	tcase_add_test(tc, test_record_reg_is_capstone);
	tcase_add_test(tc, test_cell_memory);
	tcase_add_test(tc, test_sim_string_io);
	tcase_add_test(tc, test_sim_xapic);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
