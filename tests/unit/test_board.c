// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated boards' device trees (sim/board.c): the shipped ones
 * (build/boards/) read as documented, every rule of the binding
 * rejects with its node and reason, and `enable` refuses a system config
 * that describes another board. Run from the source tree's top.
 */
#define _POSIX_C_SOURCE 200809L

#include <check.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/cell_config.h>

#include "sim/board.h"
#include "sim/scenario.h"
#include "support_run.h"

static char blob[4096], err[256];

static void *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	void *buf = malloc(1 << 16);

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(buf);
	*len = fread(buf, 1, 1 << 16, f);
	fclose(f);
	return buf;
}

START_TEST(test_shipped_boards)
{
	struct board b;
	size_t len;
	void *dtb = slurp("build/boards/sim-arm.dtb", &len);

	ck_assert_int_eq(board_parse(dtb, len, &b, err, sizeof(err)), 0);
	ck_assert_uint_eq(b.arch, WD_ARCH_ARM);
	ck_assert_uint_eq(b.ram_base, 0x40000000);
	ck_assert_uint_eq(b.ram_size, 0x10000000);
	ck_assert_uint_eq(b.cpus, 4);
	ck_assert_uint_eq(b.num_uarts, 1);
	ck_assert_uint_eq(b.uart[0], 0x09000000);
	ck_assert_uint_eq(b.gicd, 0x08000000);
	ck_assert_uint_eq(b.gicc, 0x08010000);
	free(dtb);
	dtb = slurp("build/boards/sim-x86.dtb", &len);
	ck_assert_int_eq(board_parse(dtb, len, &b, err, sizeof(err)), 0);
	ck_assert_uint_eq(b.arch, WD_ARCH_X86);
	ck_assert_uint_eq(b.ram_base, 0);
	ck_assert_uint_eq(b.cpus, 4);
	ck_assert_uint_eq(b.num_uarts, 2);
	ck_assert_uint_eq(b.uart[0], 0x3f8);
	ck_assert_uint_eq(b.uart[1], 0x2f8);
	ck_assert_uint_eq(b.lapic, 0xfee00000);
	/* Truncated: not a blob. */
	ck_assert_int_eq(board_parse(dtb, 20, &b, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "board: /: not a device tree blob");
	free(dtb);
}
END_TEST

/* What a test board leaves out or gets wrong. */
enum flaw {
	OK,
	NO_COMPAT,
	ONE_CELL,
	NO_CPUS,
	CPU_GAP,
	NO_MEMORY,
	X86_PL011,
	BAD_PORT,
	NO_GIC,
	GIC_ONE_REG,
	FIVE_UARTS,
};

static void prop_reg(uint64_t a, uint64_t s)
{
	fdt32_t r[4] = { cpu_to_fdt32(a >> 32), cpu_to_fdt32((uint32_t)a),
			 cpu_to_fdt32(s >> 32), cpu_to_fdt32((uint32_t)s) };

	ck_assert_int_eq(fdt_property(blob, "reg", r, sizeof(r)), 0);
}

static size_t make(bool arm, enum flaw flaw)
{
	unsigned int i;

	ck_assert_int_eq(fdt_create(blob, sizeof(blob)), 0);
	ck_assert_int_eq(fdt_finish_reservemap(blob), 0);
	ck_assert_int_eq(fdt_begin_node(blob, ""), 0);
	if (flaw != NO_COMPAT)
		fdt_property_string(blob, "compatible",
				    arm ? "warden,sim-arm" : "warden,sim-x86");
	fdt_property_u32(blob, "#address-cells", flaw == ONE_CELL ? 1 : 2);
	fdt_property_u32(blob, "#size-cells", 2);
	if (flaw != NO_CPUS) {
		fdt_begin_node(blob, "cpus");
		for (i = 0; i < 2; i++) {
			char name[16];

			snprintf(name, sizeof(name), "cpu@%u", i);
			fdt_begin_node(blob, name);
			fdt_property_u32(blob, "reg",
					 flaw == CPU_GAP ? 2 * i : i);
			fdt_end_node(blob);
		}
		fdt_end_node(blob);
	}
	if (flaw != NO_MEMORY) {
		fdt_begin_node(blob, "memory@40000000");
		prop_reg(0x40000000, 0x1000000);
		fdt_end_node(blob);
	}
	for (i = 0; i < (flaw == FIVE_UARTS ? 5U : 1U); i++) {
		fdt_begin_node(blob, "uart");
		fdt_property_string(blob, "compatible",
				    arm || flaw == X86_PL011 ? "arm,pl011" :
							       "ns16550a");
		if (arm || flaw == X86_PL011)
			prop_reg(0x09000000 + i * 0x1000, 0x1000);
		else
			prop_reg(flaw == BAD_PORT ? 0x3f8 : 1ULL << 32 | 0x3f8,
				 8);
		fdt_end_node(blob);
	}
	if (arm && flaw != NO_GIC) {
		fdt_begin_node(blob, "intc");
		fdt_property_string(blob, "compatible", "arm,cortex-a15-gic");
		if (flaw == GIC_ONE_REG)
			prop_reg(0x08000000, 0x1000);
		else {
			fdt32_t r[8] = { 0, cpu_to_fdt32(0x08000000),
					 0, cpu_to_fdt32(0x1000),
					 0, cpu_to_fdt32(0x08010000),
					 0, cpu_to_fdt32(0x2000) };

			fdt_property(blob, "reg", r, sizeof(r));
		}
		fdt_end_node(blob);
	}
	if (!arm) {
		fdt_begin_node(blob, "lapic");
		fdt_property_string(blob, "compatible", "intel,x2apic");
		prop_reg(0xfee00000, 0x1000);
		fdt_end_node(blob);
	}
	fdt_end_node(blob);
	ck_assert_int_eq(fdt_finish(blob), 0);
	return fdt_totalsize(blob);
}

static const struct {
	bool arm;
	enum flaw flaw;
	const char *msg;
} flaws[] = {
	{ true, NO_COMPAT,
	  "board: /: compatible is not \"warden,sim-x86\" or "
	  "\"warden,sim-arm\"" },
	{ true, ONE_CELL,
	  "board: /: #address-cells and #size-cells must be 2" },
	{ true, NO_CPUS, "board: /cpus: missing" },
	{ false, CPU_GAP,
	  "board: /cpus/cpu@1: reg must number the CPUs 0, 1, ... in order" },
	{ true, NO_MEMORY,
	  "board: /memory: missing, or without one reg range" },
	{ false, X86_PL011, "board: /uart: UART of the other architecture" },
	{ false, BAD_PORT, "board: /uart: reg: <1 PORT 0 8>, I/O space" },
	{ true, NO_GIC,
	  "board: /: no \"arm,cortex-a15-gic\" interrupt controller" },
	{ true, GIC_ONE_REG,
	  "board: /intc: ARM only; reg: distributor, CPU interface" },
	{ true, FIVE_UARTS, "board: /uart: more than 4 UARTs" },
};

START_TEST(test_board_flaws)
{
	struct board b;
	size_t len;

	/* The same board without the flaw is fine. */
	len = make(flaws[_i].arm, OK);
	ck_assert_msg(!board_parse(blob, len, &b, err, sizeof(err)), "%s", err);
	len = make(flaws[_i].arm, flaws[_i].flaw);
	ck_assert_int_eq(board_parse(blob, len, &b, err, sizeof(err)), -1);
	ck_assert_str_eq(err, flaws[_i].msg);
}
END_TEST

/* A system config for another board: `enable` says what differs. */
START_TEST(test_board_system_mismatch)
{
	struct board b = { .arch = WD_ARCH_ARM,
			   .gicd = 0x08000000,
			   .gicc = 0x08010000 };
	struct wd_system sys = { .architecture = WD_ARCH_ARM };

	sys.platform_info.arm.gic_version = 2;
	sys.platform_info.arm.gicd_base = 0x08000000;
	sys.platform_info.arm.gicc_base = 0x08010000;
	ck_assert_int_eq(board_check_system(&b, &sys, err, sizeof(err)), 0);
	sys.platform_info.arm.gicc_base = 0x2c002000;
	ck_assert_int_eq(board_check_system(&b, &sys, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "system config: GICv2 at 0x8000000/0x2c002000, "
			      "the board has a GICv2 at 0x8000000/0x8010000");
	sys.architecture = WD_ARCH_X86;
	ck_assert_int_eq(board_check_system(&b, &sys, err, sizeof(err)), -1);
	ck_assert_str_eq(err, "system config is for x86, the board is ARM");
}
END_TEST

/* The scenario directive: the board's machine, its errors at their line. */
START_TEST(test_board_directive)
{
	struct scenario_opts opts = { .keep = false };
	const char *path = "build/host/tests/board-bad.scn";
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	fprintf(f, "# an x86 system on the ARM board\n"
		   "board ../../boards/sim-arm.dtb\n"
		   "system configs/sys-x86.cell\n"
		   "enable\n");
	fclose(f);
	ck_assert_int_ne(scenario_file(path, &opts, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "build/host/tests/board-bad.scn:4: board: "
			      "system config is for x86, the board is ARM");
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "board configs/sys-x86.cell\n");
	fclose(f);
	ck_assert_int_ne(scenario_file(path, &opts, err, sizeof(err)), 0);
	ck_assert_str_eq(err, "build/host/tests/board-bad.scn:1: "
			      "configs/sys-x86.cell: board: /: not a device "
			      "tree blob");
}
END_TEST

static Suite *board_suite(void)
{
	Suite *s = suite_create("board");
	TCase *tc = tcase_create("board");

	tcase_add_test(tc, test_shipped_boards);
	tcase_add_loop_test(tc, test_board_flaws, 0,
			    sizeof(flaws) / sizeof(flaws[0]));
	tcase_add_test(tc, test_board_system_mismatch);
	tcase_add_test(tc, test_board_directive);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(board_suite());
}
