// SPDX-License-Identifier: GPL-2.0
/*
 * The simulator's x86 CPUs as a VT-x/AMD-V backend handles them, with
 * small code blobs at the 64-bit entry 0x800 of a cell:
 * - MMIO: each instruction is one access of its width (arch-x86/decode.c),
 *   so an 8-byte load from a region that allows only 32-bit accesses fails
 *   with mmio_width and an unaligned one with mmio_unaligned, and an
 *   instruction the backends do not emulate fails the cell with the
 *   decoder's reason and item;
 * - every encoding of RDTSC/RDTSCP/RDMSR/WRMSR reaches the MSR policy and
 *   virtual time;
 * - CPUID answers with arch-x86/cpuid.c's leaves.
 * Run from the source tree's top.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "hal/observe.h"
#include "sim/exec.h"
#include "sim/scenario.h"
#include "sim/sim.h"
#include "support_run.h"

#define CELL_RAM 0x0e000000ULL /* width-x86.c, tiny-x86.c */
#define OUT 0x2000	       /* where blobs store results */

/* @cell on sys-x86 running @blob at 0x800 of CPU 2 for @ms. */
static void run_blob(const char *cell, const uint8_t *blob, size_t len,
		     unsigned int ms)
{
	char scn[] = "/tmp/warden-x86-scn-XXXXXX";
	char bin[] = "/tmp/warden-x86-bin-XXXXXX";
	/* The tests check the cell's state and reason themselves. */
	struct scenario_opts opts = { .keep = true, .cells_may_fail = true };
	static uint8_t image[0x800 + 512];
	char top[4096], err[512];
	int fd;
	FILE *f;

	ck_assert_ptr_nonnull(getcwd(top, sizeof(top)));
	ck_assert_uint_le(len, 512);
	memset(image, 0, sizeof(image));
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
		"run %u\n",
		top, top, cell, bin, ms);
	fclose(f);
	ck_assert_msg(!scenario_file(scn, &opts, err, sizeof(err)), "%s", err);
	unlink(scn);
	unlink(bin);
}

static struct cell *cell2(void)
{
	return core_cpu_cell(2);
}

static uint64_t out(unsigned int i)
{
	uint64_t v;

	memcpy(&v, sim_phys_ptr(CELL_RAM + OUT + 8 * i, 8), 8);
	return v;
}

/* movabs rbx, 0xfed01000 */
#define RBX_DEV 0x48, 0xbb, 0x00, 0x10, 0xd0, 0xfe, 0x00, 0x00, 0x00, 0x00
/* mov [OUT + 8 * i], rax (moffs) */
#define STORE_RAX(i)                                                          \
	0x48, 0xa3, (OUT + 8 * (i)) & 0xff, (OUT + 8 * (i)) >> 8, 0, 0, 0, 0, \
		0, 0

/* mov [OUT + 8 * i], REG (REG: 0 rax, 1 rcx, 2 rdx, 3 rbx) */
#define STORE(reg, i)                                                \
	0x48, 0x89, 0x04 | (reg) << 3, 0x25, (OUT + 8 * (i)) & 0xff, \
		(OUT + 8 * (i)) >> 8, 0, 0

START_TEST(test_width_8_byte_load)
{
	static const uint8_t blob[] = {
		RBX_DEV,      0x48, 0xc7, 0xc0,
		0x11,	      0x00, 0x00, 0x00, /* mov rax, 0x11 */
		0x8b,	      0x03,		/* mov eax, [rbx]: allowed */
		STORE_RAX(0),			/* RAM: what the device gave */
		0x48,	      0x8b, 0x03,	/* mov rax, [rbx]: 8 bytes */
		0xf4,				/* hlt */
	};
	uint64_t exits;

	run_blob("width-x86", blob, sizeof(blob), 2);
	ck_assert_uint_eq(core_cell_comm(cell2())->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(cell2()), WD_R_mmio_width);
	ck_assert_uint_eq(core_cell_fail_item(cell2()), 0xfed01000);
	/* The 4-byte load went through and zero-extended into RAX. */
	ck_assert_uint_eq(out(0) >> 32, 0);
	exits = core_cpu_stat(2, WD_CPU_STAT_VMEXITS_MMIO);
	ck_assert_uint_eq(exits, 2); /* one exit per instruction */
	scenario_release();
}
END_TEST

START_TEST(test_unaligned_store_no_side_effect)
{
	static const uint8_t blob[] = {
		RBX_DEV, 0x48, 0xc7, 0xc0,
		0x44,	 0x33, 0x22, 0x11, /* mov rax, ... */
		0x89,	 0x43, 0x02,	   /* mov [rbx + 2], eax: unaligned */
		0xf4,
	};

	run_blob("width-x86", blob, sizeof(blob), 2);
	ck_assert_uint_eq(core_cell_comm(cell2())->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(cell2()), WD_R_mmio_unaligned);
	ck_assert_uint_eq(core_cell_fail_item(cell2()), 0xfed01002);
	/* One access reached the core, not four single bytes. */
	ck_assert_uint_eq(core_cpu_stat(2, WD_CPU_STAT_VMEXITS_MMIO), 1);
	scenario_release();
}
END_TEST

/*
 * An 8-byte store straddling the writable and the read-only region: one
 * access, denied whole; not a byte of it reaches the device (root RAM
 * behind the regions here), while a 4-byte store before it did.
 */
START_TEST(test_straddling_store_no_side_effect)
{
	static const uint8_t blob[] = {
		0x48, 0xbb, 0xfc, 0x07, 0x00, 0x7f, 0,
		0,    0,    0,			    /* rbx */
		0xc7, 0x03, 0x11, 0x11, 0x11, 0x11, /* mov dword [rbx], .. */
		0x48, 0xb8, 0x22, 0x22, 0x22, 0x22, 0x33,
		0x33, 0x33, 0x33, 0x48, 0x89, 0x03, /* mov [rbx], rax: 4 + 4 bytes */
		0xf4,
	};
	uint32_t dev[2];

	run_blob("width-x86", blob, sizeof(blob), 2);
	ck_assert_uint_eq(core_cell_comm(cell2())->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(cell2()), WD_R_mmio_unhandled);
	ck_assert_uint_eq(core_cell_fail_item(cell2()), 0x7f0007fc);
	memcpy(dev, sim_phys_ptr(0x0e8007fc, 8), 8);
	ck_assert_uint_eq(dev[0], 0x11111111);
	ck_assert_uint_eq(dev[1], 0); /* machine RAM starts zeroed */
	ck_assert_uint_eq(core_cpu_stat(2, WD_CPU_STAT_VMEXITS_MMIO), 2);
	scenario_release();
}
END_TEST

START_TEST(test_not_emulated)
{
	static const uint8_t blob[] = {
		RBX_DEV, 0xf0, 0x01, 0x03, /* lock add [rbx], eax */
		0xf4,
	};

	run_blob("width-x86", blob, sizeof(blob), 2);
	ck_assert_uint_eq(core_cell_comm(cell2())->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(cell2()),
			  WD_R_insn_x86_not_emulated);
	ck_assert_uint_eq(core_cell_fail_item(cell2()), 0xf40301f0ULL);
	ck_assert_uint_eq(core_cpu_stat(2, WD_CPU_STAT_VMEXITS_MMIO), 0);
	scenario_release();
}
END_TEST

START_TEST(test_msr_every_encoding)
{
	/* clang-format off */
	static const uint8_t blob[] = {
		0x0f, 0x31,			/* rdtsc */
		STORE_RAX(0),
		0x48, 0x0f, 0x31,		/* rex.w rdtsc */
		STORE_RAX(1),
		0x2e, 0x66, 0x0f, 0x31,		/* cs o16 rdtsc */
		STORE_RAX(2),
		/* TSC_AUX = 0x42 (guest state, native), then rdtscp */
		0xb9, 0x03, 0x01, 0x00, 0xc0,	/* mov ecx, 0xc0000103 */
		0xb8, 0x42, 0x00, 0x00, 0x00,	/* mov eax, 0x42 */
		0x31, 0xd2,			/* xor edx, edx */
		0x0f, 0x30,			/* wrmsr */
		0x0f, 0x01, 0xf9,		/* rdtscp */
		STORE_RAX(3),
		STORE(1, 5),
		0xb9, 0x1b, 0x00, 0x00, 0x00,	/* mov ecx, APIC_BASE */
		0x48, 0x0f, 0x32,		/* rex.w rdmsr */
		STORE_RAX(4),
		0xb9, 0xa0, 0x01, 0x00, 0x00,	/* mov ecx, MISC_ENABLE */
		0x65, 0x41, 0x0f, 0x30,		/* gs rex.b wrmsr: denied */
		0xf4,
	};
	/* clang-format on */
	unsigned int i;

	run_blob("tiny-x86", blob, sizeof(blob), 2);
	/* Virtual time: a few instructions' worth, rising; never the
	 * host's TSC. */
	for (i = 0; i < 4; i++) {
		ck_assert_uint_lt(out(i), 10000000);
		if (i)
			ck_assert_uint_gt(out(i), out(i - 1));
	}
	ck_assert_uint_eq(out(5), 0x42); /* RDTSCP's ECX: TSC_AUX */
	/* APIC_BASE through the x2APIC model: default base, enabled. */
	ck_assert_uint_eq(out(4) & 0xfffff800ULL, 0xfee00800ULL);
	ck_assert_uint_eq(core_cell_comm(cell2())->cell_state, WD_CELL_FAILED);
	ck_assert_uint_eq(core_cell_fail_reason(cell2()), WD_R_msr_denied);
	ck_assert_uint_eq(core_cell_fail_item(cell2()), 0x1a0);
	scenario_release();
}
END_TEST

START_TEST(test_cpuid)
{
	static const uint8_t
		blob[] = {
			0xb8,	     0x00,	  0x00,
			0x00,	     0x40, /* mov eax, 0x40000000 */
			0x0f,	     0xa2, /* cpuid */
			STORE(0, 0), STORE(3, 1), STORE(1, 2),
			STORE(2, 3), 0xb8,	  0x01,
			0x00,	     0x00,	  0x00, /* mov eax, 1 */
			0x31,	     0xc9,		/* xor ecx, ecx */
			0x66,	     0x0f,	  0xa2, /* o16 cpuid */
			STORE(3, 4), STORE(1, 5), 0xf4,
		};

	run_blob("tiny-x86", blob, sizeof(blob), 2);
	/* "Jailhouse\0\0\0" in EBX ECX EDX, the highest leaf in EAX. */
	ck_assert_uint_eq(out(0), 0x40000001);
	ck_assert_uint_eq(out(1), 0x6c69614a);
	ck_assert_uint_eq(out(2), 0x73756f68);
	ck_assert_uint_eq(out(3), 0x65);
	/* Leaf 1: APIC id 2, hypervisor and x2APIC bits, no VMX. */
	ck_assert_uint_eq((out(4) >> 24) & 0xff, 2);
	ck_assert(out(5) & (1U << 31));
	ck_assert(out(5) & (1U << 21));
	ck_assert(!(out(5) & (1U << 5)));
	scenario_release();
}
END_TEST

static Suite *exec_x86_suite(void)
{
	Suite *s = suite_create("exec_x86");
	TCase *tc = tcase_create("x86");

	tcase_add_test(tc, test_width_8_byte_load);
	tcase_add_test(tc, test_unaligned_store_no_side_effect);
	tcase_add_test(tc, test_straddling_store_no_side_effect);
	tcase_add_test(tc, test_not_emulated);
	tcase_add_test(tc, test_msr_every_encoding);
	tcase_add_test(tc, test_cpuid);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(exec_x86_suite());
}
