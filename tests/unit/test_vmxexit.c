// SPDX-License-Identifier: GPL-2.0
/*
 * The VT-x exit handling (arch-x86/vmx_exit.c, compiled in here) driven
 * with recorded exits: a fake VMCS in host memory behind the accessor
 * interface (vmcs_read/vmcs_write, arch-x86/vmcs.h) holds what the CPU
 * would have stored at the exit (reason, qualification, instruction
 * length, guest-physical address, the guest's state); the exit layer and
 * the core are real (a machine set up by a scenario and kept, as in
 * test_x86exit.c), the guest's memory is host memory behind fake ops.
 * Each test checks what vmx_exit() writes back: RIP, registers, the
 * injected event, the CR0/EFER/entry-control changes, and each refusal's
 * reason, item and trap record. Run from the source tree's top.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "arch-x86/vmx_exit.c"
#include "hal/observe.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "support_run.h"

/* ---- the fake VMCS ---------------------------------------------------------- */

static uint64_t vmcs[0x7000];

uint64_t vmcs_read(uint32_t field)
{
	ck_assert_uint_lt(field, sizeof(vmcs) / sizeof(vmcs[0]));
	return vmcs[field];
}

void vmcs_write(uint32_t field, uint64_t val)
{
	ck_assert_uint_lt(field, sizeof(vmcs) / sizeof(vmcs[0]));
	vmcs[field] = val;
}

/* ---- the machine and the trap records (as test_x86exit.c) ------------------- */

static void machine(const char *cell)
{
	static const uint8_t idle[0x800 + 4] = {
		[0x800] = 0xfa, 0xf4, 0xeb, 0xfd /* cli; hlt */
	};
	char scn[] = "/tmp/warden-vmxexit-scn-XXXXXX";
	char bin[] = "/tmp/warden-vmxexit-bin-XXXXXX";
	struct scenario_opts opts = { .keep = true, .cells_may_fail = true };
	char top[4096], err[512];
	int fd;
	FILE *f;

	ck_assert_ptr_nonnull(getcwd(top, sizeof(top)));
	ck_assert_int_ge(fd = mkstemp(bin), 0);
	ck_assert_int_eq(write(fd, idle, sizeof(idle)), (ssize_t)sizeof(idle));
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

/* ---- fake mechanism --------------------------------------------------------- */

#define MEM_SIZE 0x100000 /* guest-physical 0 .. 1 MiB */

static struct {
	uint8_t *mem;
	uint64_t apic[0x100];
	uint64_t xcr0;
	unsigned int xsetbvs, wbinvds;
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
	(void)msr;
	return 0;
}

static void f_msr_write(void *ctx, uint32_t msr, uint64_t val)
{
	(void)ctx;
	(void)msr;
	(void)val;
}

static uint64_t f_tsc(void *ctx)
{
	(void)ctx;
	return 0x123456789abcULL;
}

static int f_apic_read(void *ctx, uint32_t msr, uint64_t *val)
{
	(void)ctx;
	*val = msr == MSR_APIC_BASE ? 0xfee00000 | 3 << 10 :
				      fk.apic[msr - MSR_X2APIC_FIRST];
	return 0;
}

static int f_apic_write(void *ctx, uint32_t msr, uint64_t val)
{
	(void)ctx;
	fk.apic[msr - MSR_X2APIC_FIRST] = val;
	return 0;
}

static void f_send_ipi(void *ctx, unsigned int cpu, enum ipi_kind kind,
		       uint8_t vector)
{
	(void)ctx;
	(void)cpu;
	(void)kind;
	(void)vector;
}

/* vmx_exit.h's mechanism: the exit layer's ops (the injection through
 * the VMCS, vmx.c's own), XSETBV and WBINVD counted. */
const struct x86_exit_ops vmx_ops = {
	f_read_gpa,  f_cpuid,	   f_msr_read, f_msr_write, f_tsc,
	f_apic_read, f_apic_write, f_send_ipi, vmx_inject,
};

void vmx_xsetbv(uint64_t val)
{
	fk.xsetbvs++;
	fk.xcr0 = val;
}

void vmx_wbinvd(void)
{
	fk.wbinvds++;
}

static uint64_t gprs[16];

/* ---- guests as the VMCS holds them -------------------------------------------- */

#define RIP0 0x20000

/* A 64-bit guest at CPL @cpl (SS.DPL), paging on, as the VMCS holds it
 * after an exit: CR0.NE set, CD/NW clear in the real CR0 with the read
 * shadow's NE clear, CR4.VMXE set and hidden. */
static void guest64(unsigned int cpl)
{
	memset(vmcs, 0, sizeof(vmcs));
	memset(gprs, 0, sizeof(gprs));
	vmcs[VMCS_SEG_AR(VSEG_CS)] = cpl ? 0xa0fb : 0xa09b; /* L, G */
	vmcs[VMCS_SEG_AR(VSEG_SS)] = cpl ? 0xc0f3 : 0xc093;
	vmcs[VMCS_GUEST_EFER] = 0x500;
	vmcs[VMCS_CR0_MASK] = VMX_CR0_MASK;
	vmcs[VMCS_GUEST_CR0] = 0x80000031;
	vmcs[VMCS_CR0_SHADOW] = 0x80000011;
	vmcs[VMCS_CR4_MASK] = CR4_VMXE;
	vmcs[VMCS_GUEST_CR4] = 0x20 | CR4_VMXE;
	vmcs[VMCS_GUEST_RIP] = RIP0;
	vmcs[VMCS_GUEST_RSP] = 0x7000;
	vmcs[VMCS_GUEST_INTERRUPTIBILITY] = 1; /* blocking by STI */
	vmcs[VMCS_ENTRY_CTLS] = ENTRY_IA32E | ENTRY_LOAD_EFER;
}

/* A 32-bit protected-mode guest, paging off (unrestricted guest), @code
 * at RIP (linear = guest-physical). */
static void guest32(const uint8_t *code, size_t len)
{
	guest64(0);
	vmcs[VMCS_SEG_AR(VSEG_CS)] = 0xc09b; /* D, G */
	vmcs[VMCS_GUEST_EFER] = 0;
	vmcs[VMCS_GUEST_CR0] = 0x31;
	vmcs[VMCS_CR0_SHADOW] = 0x11;
	vmcs[VMCS_GUEST_CR4] = CR4_VMXE;
	vmcs[VMCS_ENTRY_CTLS] = ENTRY_LOAD_EFER;
	if (len)
		memcpy(fk.mem + RIP0, code, len);
}

/* The exit the CPU recorded: basic reason, qualification, length. */
static enum x86_exit_result vmexit(uint32_t reason, uint64_t qual,
				   unsigned int len)
{
	vmcs[VMCS_EXIT_REASON] = reason;
	vmcs[VMCS_EXIT_QUAL] = qual;
	vmcs[VMCS_EXIT_INSN_LEN] = len;
	return vmx_exit(gprs, reason);
}

static void setup(const char *cell, unsigned int cpu)
{
	machine(cell);
	memset(&fk, 0, sizeof(fk));
	ck_assert_ptr_nonnull(fk.mem = calloc(1, MEM_SIZE));
	core_set_trap_sink(&sink);
	records = 0;
	memset(&last, 0, sizeof(last));
	sim_set_cpu(cpu);
	guest64(0);
}

static void teardown(void)
{
	core_set_trap_sink(NULL);
	free(fk.mem);
	scenario_release();
}

/* The injected event: vector, type 3 (hardware exception), valid, with
 * or without an error code. */
#define EXC(v) ((v) | 3u << 8 | 1u << 31)
#define EXC_ERR(v) (EXC(v) | 1u << 11)

/* ---- tests ------------------------------------------------------------------ */

START_TEST(test_vmcall)
{
	setup("tiny-x86", 2);
	gprs[0] = WD_HC_CELL_GET_STATE;
	gprs[7] = 1; /* RDI: cell 1 */
	ck_assert_int_eq(vmexit(VMX_EXIT_VMCALL, 0, 3), X86_EXIT_RESUME);
	ck_assert_uint_eq(gprs[0], WD_CELL_RUNNING);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0 + 3);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RSP], 0x7000);
	/* The instruction completed: the STI shadow before it ended. */
	ck_assert_uint_eq(vmcs[VMCS_GUEST_INTERRUPTIBILITY], 0);
	ck_assert_uint_eq(last.kind, WD_TRAP_HVC);
	ck_assert_uint_eq(last.user, 0);

	/* CPL 3 (SS.DPL 3): the caller-privilege rule refuses it. */
	guest64(3);
	gprs[0] = WD_HC_CELL_GET_STATE;
	gprs[7] = 1;
	ck_assert_int_eq(vmexit(VMX_EXIT_VMCALL, 0, 3), X86_EXIT_RESUME);
	ck_assert_int_eq((long)gprs[0], -WD_EPERM);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0 + 3);
	ck_assert_uint_eq(last.user, 1);
	ck_assert_uint_eq(core_cell_last_reason(cell1())->code,
			  WD_R_hypercall_user);
	assert_running();
	teardown();
}
END_TEST

START_TEST(test_cpuid)
{
	setup("tiny-x86", 2);
	fk.cpuid = (struct x86_cpuid){ 0x000306c3, 0x00100800,
				       1U << 5 | 1U << 0, 0x178bfbff };
	gprs[0] = 1;
	ck_assert_int_eq(vmexit(VMX_EXIT_CPUID, 0, 2), X86_EXIT_RESUME);
	ck_assert_uint_eq(gprs[3], 0x02100800);		   /* APIC id 2 */
	ck_assert_uint_eq(gprs[1] & (1U << 5), 0);	   /* VMX hidden */
	ck_assert_uint_eq(gprs[1] & (1U << 31), 1U << 31); /* hypervisor */
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0 + 2);
	ck_assert_uint_eq(records, 0);
	teardown();
}
END_TEST

START_TEST(test_msr)
{
	setup("tiny-x86", 2);
	/* WRMSR x2APIC TPR (0x808): the CPU's own APIC, RIP + 2. */
	gprs[1] = 0x808;
	gprs[0] = 0x30;
	ck_assert_int_eq(vmexit(VMX_EXIT_WRMSR, 0, 2), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.apic[X2APIC_TPR], 0x30);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0 + 2);
	/* RDMSR of the TSC: EDX:EAX. */
	gprs[1] = MSR_TSC;
	ck_assert_int_eq(vmexit(VMX_EXIT_RDMSR, 0, 2), X86_EXIT_RESUME);
	ck_assert_uint_eq(gprs[0], 0x56789abc);
	ck_assert_uint_eq(gprs[2], 0x1234);
	/* WRMSR of an MSR the policy refuses: the cell fails. */
	gprs[1] = 0x1a0;
	ck_assert_int_eq(vmexit(VMX_EXIT_WRMSR, 0, 2), X86_EXIT_PARKED);
	assert_failed(WD_R_msr_denied, 0x1a0);
	teardown();
}
END_TEST

START_TEST(test_io)
{
	setup("tiny-x86", 2);
	/* OUT to COM2's LCR (tiny's port): qualification port 0x2fb, 1 byte,
	 * out, DX form. */
	gprs[0] = 0x83;
	ck_assert_int_eq(vmexit(VMX_EXIT_IO, 0x2fbull << 16 | 0, 1),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0 + 1);
	ck_assert_uint_eq(last.kind, WD_TRAP_PIO);
	ck_assert_uint_eq(last.addr, 0x2fb);
	ck_assert_uint_eq(last.write, 1);
	/* IN of 2 bytes (size - 1 = 1, bit 3 = in), immediate form. */
	vmcs[VMCS_GUEST_RIP] = RIP0;
	gprs[0] = 0xffffffffffffffffULL;
	ck_assert_int_eq(vmexit(VMX_EXIT_IO, 0x2fbull << 16 | 8 | 1, 2),
			 X86_EXIT_RESUME);
	ck_assert_uint_eq(last.size, 2);
	ck_assert_uint_eq(last.write, 0);
	ck_assert_uint_eq(gprs[0] & 0xffffffffffff0000ULL,
			  0xffffffffffff0000ULL); /* AX only */
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0 + 2);
	/* REP OUTSB (bits 4, 5): refused whole. */
	ck_assert_int_eq(vmexit(VMX_EXIT_IO, 0x2f8ull << 16 | 0x30, 2),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_pio_string_rep, 0x2f8);
	teardown();
}
END_TEST

START_TEST(test_io_denied)
{
	setup("tiny-x86", 2);
	ck_assert_int_eq(vmexit(VMX_EXIT_IO, 0x3f8ull << 16, 1),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_pio_denied, 0x3f8);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0); /* not advanced */
	teardown();
}
END_TEST

/* width-x86: 0x7f000000 RW (root RAM 0x0e800000). */
#define DEV_GPA 0x7f000010ULL
#define DEV_HPA 0x0e800010ULL

START_TEST(test_ept_violation)
{
	uint32_t word;

	setup("width-x86", 2);
	/* mov [ebx], eax in 32-bit code, paging off: a write of 4 bytes. */
	guest32((uint8_t[]){ 0x89, 0x03 }, 2);
	gprs[3] = DEV_GPA;
	gprs[0] = 0xcafe80be;
	vmcs[VMCS_GUEST_PHYS_ADDR] = DEV_GPA;
	/* Qualification: write (bit 1), linear address valid (bit 7). */
	ck_assert_int_eq(vmexit(X86_EXIT_EPT_VIOLATION, 0x82, 0),
			 X86_EXIT_RESUME);
	memcpy(&word, sim_phys_ptr(DEV_HPA, 4), 4);
	ck_assert_uint_eq(word, 0xcafe80be);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0 + 2); /* decoded */
	ck_assert_uint_eq(last.kind, WD_TRAP_MMIO);
	ck_assert_uint_eq(last.size, 4);
	/* The same access reported as a read: not what the code does. */
	vmcs[VMCS_GUEST_RIP] = RIP0;
	ck_assert_int_eq(vmexit(X86_EXIT_EPT_VIOLATION, 0x81, 0),
			 X86_EXIT_PARKED);
	ck_assert_uint_eq(core_cell_fail_reason(cell1()),
			  WD_R_insn_x86_address);
	teardown();
}
END_TEST

START_TEST(test_ept_fetch)
{
	setup("width-x86", 2);
	vmcs[VMCS_GUEST_PHYS_ADDR] = 0x7f000000;
	vmcs[VMCS_GUEST_RIP] = 0x7f000000;
	/* Qualification: instruction fetch (bit 2). */
	ck_assert_int_eq(vmexit(X86_EXIT_EPT_VIOLATION, 0x84, 0),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_x86_exec_mmio, 0x7f000000);
	teardown();
}
END_TEST

START_TEST(test_cr0_write)
{
	setup("tiny-x86", 2);
	/* Real mode, from reset: the cell sets NE (the mask's bit) with
	 * PE: mov cr0, eax (qualification: CR0, type 0, register 0). */
	guest32(NULL, 0);
	vmcs[VMCS_GUEST_CR0] = 0x30;
	vmcs[VMCS_CR0_SHADOW] = 0x60000010;
	gprs[0] = 0xffffffff60000031ULL; /* upper half: not 64-bit code */
	ck_assert_int_eq(vmexit(VMX_EXIT_CR, 0, 3), X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_CR0_SHADOW], 0x60000031);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_CR0], 0x31); /* CD, NW: not real */
	ck_assert_uint_eq(vmx_guest_cr(false), 0x60000031);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0 + 3);
	ck_assert_uint_eq(vmcs[VMCS_ENTRY_CTLS] & ENTRY_IA32E, 0);

	/* Paging on with EFER.LME: long mode (LMA, IA-32e entry control),
	 * as a native write would; mov cr0, rcx (register 1). */
	vmcs[VMCS_GUEST_EFER] = EFER_LME;
	vmcs[VMCS_CR0_SHADOW] = 0x11;
	vmcs[VMCS_GUEST_CR0] = 0x31;
	vmcs[VMCS_GUEST_CR4] = 0x20 | CR4_VMXE;
	gprs[1] = 0x80000031;
	ck_assert_int_eq(vmexit(VMX_EXIT_CR, 1 << 8, 3), X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_EFER], EFER_LME | EFER_LMA);
	ck_assert_uint_eq(vmcs[VMCS_ENTRY_CTLS] & ENTRY_IA32E, ENTRY_IA32E);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_CR0], 0x80000031);

	/* Paging off again: LMA and the control clear. */
	vmcs[VMCS_SEG_AR(VSEG_CS)] = 0xc09b;
	gprs[1] = 0x11;
	ck_assert_int_eq(vmexit(VMX_EXIT_CR, 1 << 8, 3), X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_EFER], EFER_LME);
	ck_assert_uint_eq(vmcs[VMCS_ENTRY_CTLS] & ENTRY_IA32E, 0);

	/* PG without PE: #GP (error code: protected mode), RIP kept. */
	vmcs[VMCS_GUEST_RIP] = RIP0;
	gprs[1] = 0x80000020;
	ck_assert_int_eq(vmexit(VMX_EXIT_CR, 1 << 8, 3), X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_ENTRY_INTR_INFO], EXC_ERR(X86_EXC_GP));
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0);
	ck_assert_uint_eq(vmcs[VMCS_CR0_SHADOW], 0x11);
	assert_running();
	teardown();
}
END_TEST

START_TEST(test_cr4_vmxe)
{
	setup("tiny-x86", 2);
	/* CR4 as the cell reads it: no VMXE. */
	ck_assert_uint_eq(vmx_guest_cr(true), 0x20);
	/* Setting it (mov cr4, rax): #GP, nothing written. */
	gprs[0] = 0x20 | CR4_VMXE;
	ck_assert_int_eq(vmexit(VMX_EXIT_CR, 4, 3), X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_ENTRY_INTR_INFO], EXC_ERR(X86_EXC_GP));
	ck_assert_uint_eq(vmcs[VMCS_GUEST_CR4], 0x20 | CR4_VMXE);
	ck_assert_uint_eq(vmcs[VMCS_CR4_SHADOW], 0);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0);
	/* In real mode the #GP has no error code (VM entry checks it). */
	guest32(NULL, 0);
	vmcs[VMCS_GUEST_CR0] = 0x30;
	vmcs[VMCS_CR0_SHADOW] = 0x60000010;
	ck_assert_int_eq(vmexit(VMX_EXIT_CR, 4, 3), X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_ENTRY_INTR_INFO], EXC(X86_EXC_GP));
	/* MOV from CR3 never exits (no CR3 exiting): refused if seen. */
	ck_assert_int_eq(vmexit(VMX_EXIT_CR, 3 | 1 << 4, 3), X86_EXIT_PARKED);
	assert_failed(WD_R_vmx_exit_unhandled, 3 | 1 << 4);
	teardown();
}
END_TEST

START_TEST(test_xsetbv)
{
	setup("tiny-x86", 2);
	fk.cpuid = (struct x86_cpuid){ 0x7, 0, 0, 0 }; /* x87, SSE, AVX */
	gprs[0] = 0x7;
	ck_assert_int_eq(vmexit(VMX_EXIT_XSETBV, 0, 3), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.xsetbvs, 1);
	ck_assert_uint_eq(fk.xcr0, 0x7);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0 + 3);
	/* Refused: x87 off; AVX without SSE; a component the CPU lacks;
	 * XCR1; CPL 3. Each #GP, RIP kept, nothing set. */
	static const uint64_t bad[][3] = {
		/* EDX:EAX, ECX, cpl */
		{ 0x6, 0, 0 },	   { 0x5, 0, 0 }, { 0x1ull << 32 | 1, 0, 0 },
		{ 0x8 | 1, 0, 0 }, { 0x1, 1, 0 }, { 0x1, 0, 3 },
	};
	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		guest64((unsigned int)bad[i][2]);
		gprs[0] = (uint32_t)bad[i][0];
		gprs[2] = bad[i][0] >> 32;
		gprs[1] = bad[i][1];
		ck_assert_int_eq(vmexit(VMX_EXIT_XSETBV, 0, 3),
				 X86_EXIT_RESUME);
		ck_assert_uint_eq(vmcs[VMCS_ENTRY_INTR_INFO],
				  EXC_ERR(X86_EXC_GP));
		ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0);
	}
	ck_assert_uint_eq(fk.xsetbvs, 1);
	teardown();
}
END_TEST

START_TEST(test_vmx_insns_ud)
{
	static const uint32_t reasons[] = { 11, 19, 20, 21, 22, 23, 24,
					    25, 26, 27, 50, 53, 59 };

	setup("tiny-x86", 2);
	for (unsigned int i = 0; i < sizeof(reasons) / sizeof(reasons[0]);
	     i++) {
		vmcs[VMCS_ENTRY_INTR_INFO] = 0;
		ck_assert_int_eq(vmexit(reasons[i], 0, 3), X86_EXIT_RESUME);
		ck_assert_uint_eq(vmcs[VMCS_ENTRY_INTR_INFO], EXC(X86_EXC_UD));
		ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0);
	}
	/* INVD: written back instead, resumed after it. */
	ck_assert_int_eq(vmexit(VMX_EXIT_INVD, 0, 2), X86_EXIT_RESUME);
	ck_assert_uint_eq(fk.wbinvds, 1);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0 + 2);
	ck_assert_uint_eq(records, 0);
	assert_running();
	teardown();
}
END_TEST

START_TEST(test_requests)
{
	setup("tiny-x86", 2);
	/* NMI (interruption type 2), INIT, SIPI: the hypervisor's or the
	 * core's business, the guest untouched but for the NMI's "blocking
	 * by NMI" (bit 3), which stays clear (the STI shadow stays). */
	vmcs[VMCS_EXIT_INTR_INFO] = 2 | 2u << 8 | 1u << 31;
	vmcs[VMCS_GUEST_INTERRUPTIBILITY] = 8 | 1;
	ck_assert_int_eq(vmexit(VMX_EXIT_EXC_NMI, 0, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_INTERRUPTIBILITY], 1);
	ck_assert_int_eq(vmexit(VMX_EXIT_INIT, 0, 0), X86_EXIT_RESUME);
	ck_assert_int_eq(vmexit(VMX_EXIT_SIPI, 0x20, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0);
	ck_assert_uint_eq(vmcs[VMCS_ENTRY_INTR_INFO], 0);
	ck_assert_uint_eq(records, 0);
	assert_running();
	teardown();
}
END_TEST

START_TEST(test_event_reinjected)
{
	setup("tiny-x86", 2);
	/* An NMI exit in the middle of the timer interrupt's delivery
	 * (IDT-vectoring: external interrupt 0x20): delivered again. */
	vmcs[VMCS_EXIT_INTR_INFO] = 2 | 2u << 8 | 1u << 31;
	vmcs[VMCS_IDT_VECTORING_INFO] = 0x20 | 1u << 31;
	ck_assert_int_eq(vmexit(VMX_EXIT_EXC_NMI, 0, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_ENTRY_INTR_INFO], 0x20 | 1u << 31);
	/* A #PF with its error code. */
	vmcs[VMCS_IDT_VECTORING_INFO] = 14 | 3u << 8 | 1u << 11 | 1u << 31;
	vmcs[VMCS_IDT_VECTORING_ERROR] = 6;
	ck_assert_int_eq(vmexit(VMX_EXIT_EXC_NMI, 0, 0), X86_EXIT_RESUME);
	ck_assert_uint_eq(vmcs[VMCS_ENTRY_INTR_INFO], EXC_ERR(14));
	ck_assert_uint_eq(vmcs[VMCS_ENTRY_EXC_ERROR], 6);
	/* Not again: an NMI (type 2), INT3 (type 6), INT n (type 4), none
	 * valid. */
	static const uint32_t not_again[] = { 2 | 2u << 8 | 1u << 31,
					      3 | 6u << 8 | 1u << 31,
					      0x80 | 4u << 8 | 1u << 31, 0x20 };
	for (unsigned int i = 0; i < 4; i++) {
		vmcs[VMCS_ENTRY_INTR_INFO] = 0x55;
		vmcs[VMCS_IDT_VECTORING_INFO] = not_again[i];
		ck_assert_int_eq(vmexit(VMX_EXIT_EXC_NMI, 0, 0),
				 X86_EXIT_RESUME);
		ck_assert_uint_eq(vmcs[VMCS_ENTRY_INTR_INFO], 0);
	}
	assert_running();
	/* An EPT violation while delivering (the cell's IDT in MMIO): no
	 * instruction to emulate, the cell fails. */
	vmcs[VMCS_IDT_VECTORING_INFO] = 0x20 | 1u << 31;
	vmcs[VMCS_GUEST_PHYS_ADDR] = 0x7f000100;
	ck_assert_int_eq(vmexit(X86_EXIT_EPT_VIOLATION, 0x81, 0),
			 X86_EXIT_PARKED);
	assert_failed(WD_R_x86_event_npf, 0x7f000100);
	teardown();
}
END_TEST

/* Exit reasons vmx_exit() has no case for (Intel SDM vol. 3, appendix C). */
#define VMX_EXIT_TASK_SWITCH 9
#define VMX_EXIT_MSR_LOADING 34
#define VMX_EXIT_EPT_MISCONFIG 49
/* The VM-instruction error of the VMfail case: invalid control fields. */
#define INSN_ERROR 7

/* Fatal exits: the cell fails with a precise reason, never the machine.
 * VMX_EXIT_ENTRY_FAILED alone: VMLAUNCH/VMRESUME failed (VMfail), its
 * record names the whole reason. */
static const struct {
	uint32_t reason;
	uint64_t intr_info;
	enum wd_reason why;
	uint64_t item;
} fatal[] = {
	{ VMX_EXIT_TRIPLE_FAULT, 0, WD_R_cpu_exception, 8 },
	{ VMX_EXIT_EXC_NMI, 8 | 3u << 8 | 1u << 11 | 1u << 31,
	  WD_R_cpu_exception, 8 }, /* #DF */
	{ VMX_EXIT_ENTRY_FAILED | VMX_EXIT_INVALID_STATE, 0,
	  WD_R_vmx_state_invalid, RIP0 },
	{ VMX_EXIT_ENTRY_FAILED | VMX_EXIT_MSR_LOADING, 0,
	  WD_R_vmx_entry_failed, VMX_EXIT_ENTRY_FAILED | VMX_EXIT_MSR_LOADING },
	{ VMX_EXIT_TASK_SWITCH, 0, WD_R_vmx_exit_unhandled, 9 },
	{ VMX_EXIT_EPT_MISCONFIG, 0, WD_R_vmx_exit_unhandled, 49 },
	{ VMX_EXIT_ENTRY_FAILED, 0, WD_R_vmx_entry_failed, INSN_ERROR },
};

START_TEST(test_fatal)
{
	setup("tiny-x86", 2);
	vmcs[VMCS_EXIT_INTR_INFO] = fatal[_i].intr_info;
	vmcs[VMCS_INSN_ERROR] = INSN_ERROR;
	ck_assert_int_eq(vmexit(fatal[_i].reason, 0, 0), X86_EXIT_PARKED);
	assert_failed(fatal[_i].why, fatal[_i].item);
	ck_assert_uint_eq(last.kind, WD_TRAP_EXCEPTION);
	ck_assert_uint_eq(last.addr, fatal[_i].reason == VMX_EXIT_ENTRY_FAILED ?
					     VMX_EXIT_ENTRY_FAILED :
					     fatal[_i].reason & 0xffff);
	ck_assert_uint_eq(vmcs[VMCS_GUEST_RIP], RIP0);
	teardown();
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("vmxexit");
	TCase *tc = tcase_create("exit");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_vmcall);
	tcase_add_test(tc, test_cpuid);
	tcase_add_test(tc, test_msr);
	tcase_add_test(tc, test_io);
	tcase_add_test(tc, test_io_denied);
	tcase_add_test(tc, test_ept_violation);
	tcase_add_test(tc, test_ept_fetch);
	tcase_add_test(tc, test_cr0_write);
	tcase_add_test(tc, test_cr4_vmxe);
	tcase_add_test(tc, test_xsetbv);
	tcase_add_test(tc, test_vmx_insns_ud);
	tcase_add_test(tc, test_requests);
	tcase_add_test(tc, test_event_reinjected);
	tcase_add_loop_test(tc, test_fatal, 0,
			    sizeof(fatal) / sizeof(fatal[0]));
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite()) ? EXIT_FAILURE : EXIT_SUCCESS;
}
