// SPDX-License-Identifier: GPL-2.0
/*
 * The simulated board's device tree. The binding, a subset of the usual
 * one (two address and two size cells at the root):
 *
 *   / compatible                "warden,sim-x86" or "warden,sim-arm"
 *   /cpus/cpu@N                 one node per CPU, reg = N (0, 1, ...)
 *   /memory@X  reg              the RAM window, one range
 *   ARM:  compatible "arm,pl011"           reg: its 4 KiB page
 *         compatible "arm,cortex-a15-gic"  reg: distributor, CPU interface
 *   x86:  compatible "ns16550a"            reg: <1 PORT 0 8> (I/O space)
 *         compatible "intel,x2apic"        reg: the APIC's base address
 */
#include <stdio.h>
#include <string.h>

#include <libfdt.h>
#include <warden/cell_config.h>

#include "board.h"

static struct board current;
static bool have_board;

void board_set(const struct board *b)
{
	have_board = b != NULL;
	if (b)
		current = *b;
}

const struct board *board_get(void)
{
	return have_board ? &current : NULL;
}

/* "board: NODE: WHAT" */
static int fail(char *err, size_t len, const char *node, const char *what)
{
	snprintf(err, len, "board: %s: %s", node, what);
	return -1;
}

/* The @i-th (address, size) pair of @node's reg, two cells each. */
static int reg(const void *fdt, int node, int i, uint64_t *addr, uint64_t *size)
{
	int len;
	const fdt32_t *p = fdt_getprop(fdt, node, "reg", &len);

	if (!p || len < (i + 1) * 16)
		return -1;
	p += i * 4;
	*addr = (uint64_t)fdt32_to_cpu(p[0]) << 32 | fdt32_to_cpu(p[1]);
	*size = (uint64_t)fdt32_to_cpu(p[2]) << 32 | fdt32_to_cpu(p[3]);
	return 0;
}

int board_parse(const void *blob, size_t size, struct board *b, char *err,
		size_t err_len)
{
	char path[80];
	const char *name;
	uint64_t a, s;
	int node, cpus;

	memset(b, 0, sizeof(*b));
	if (size < sizeof(struct fdt_header) || fdt_check_header(blob) ||
	    fdt_totalsize(blob) > size)
		return fail(err, err_len, "/", "not a device tree blob");
	if (fdt_address_cells(blob, 0) != 2 || fdt_size_cells(blob, 0) != 2)
		return fail(err, err_len, "/",
			    "#address-cells and #size-cells must be 2");
	if (!fdt_node_check_compatible(blob, 0, "warden,sim-x86"))
		b->arch = WD_ARCH_X86;
	else if (!fdt_node_check_compatible(blob, 0, "warden,sim-arm"))
		b->arch = WD_ARCH_ARM;
	else
		return fail(err, err_len, "/",
			    "compatible is not \"warden,sim-x86\" or "
			    "\"warden,sim-arm\"");

	cpus = fdt_path_offset(blob, "/cpus");
	if (cpus < 0)
		return fail(err, err_len, "/cpus", "missing");
	fdt_for_each_subnode(node, blob, cpus)
	{
		const fdt32_t *r = fdt_getprop(blob, node, "reg", NULL);

		name = fdt_get_name(blob, node, NULL);
		if (!r || fdt32_to_cpu(*r) != b->cpus) {
			snprintf(path, sizeof(path), "/cpus/%s", name);
			return fail(err, err_len, path,
				    "reg must number the CPUs 0, 1, ... in "
				    "order");
		}
		b->cpus++;
	}
	if (!b->cpus || b->cpus > 64)
		return fail(err, err_len, "/cpus", "1 to 64 CPUs");

	node = fdt_subnode_offset_namelen(blob, 0, "memory", 6);
	if (node < 0 || reg(blob, node, 0, &b->ram_base, &b->ram_size) ||
	    !b->ram_size)
		return fail(err, err_len, "/memory",
			    "missing, or without one reg range");

	fdt_for_each_subnode(node, blob, 0)
	{
		snprintf(path, sizeof(path), "/%s",
			 fdt_get_name(blob, node, NULL));
		if (!fdt_node_check_compatible(blob, node, "arm,pl011") ||
		    !fdt_node_check_compatible(blob, node, "ns16550a")) {
			bool pl011 = !fdt_node_check_compatible(blob, node,
								"arm,pl011");

			if (pl011 != (b->arch == WD_ARCH_ARM))
				return fail(err, err_len, path,
					    "UART of the other architecture");
			if (b->num_uarts == BOARD_MAX_UARTS)
				return fail(err, err_len, path,
					    "more than 4 UARTs");
			if (reg(blob, node, 0, &a, &s) ||
			    (!pl011 && (a >> 32 != 1 || (uint32_t)a > 0xfff8)))
				return fail(err, err_len, path,
					    pl011 ? "reg: one range" :
						    "reg: <1 PORT 0 8>, "
						    "I/O space");
			b->uart[b->num_uarts++] = pl011 ? a : (uint32_t)a;
		} else if (!fdt_node_check_compatible(blob, node,
						      "arm,cortex-a15-gic")) {
			if (b->arch != WD_ARCH_ARM ||
			    reg(blob, node, 0, &b->gicd, &s) ||
			    reg(blob, node, 1, &b->gicc, &s))
				return fail(err, err_len, path,
					    "ARM only; reg: distributor, CPU "
					    "interface");
		} else if (!fdt_node_check_compatible(blob, node,
						      "intel,x2apic")) {
			if (b->arch != WD_ARCH_X86 ||
			    reg(blob, node, 0, &b->lapic, &s))
				return fail(err, err_len, path,
					    "x86 only; reg: one range");
		}
	}
	if (b->arch == WD_ARCH_ARM && !b->gicd)
		return fail(err, err_len, "/",
			    "no \"arm,cortex-a15-gic\" interrupt controller");
	if (b->arch == WD_ARCH_X86 && !b->lapic)
		return fail(err, err_len, "/",
			    "no \"intel,x2apic\" interrupt controller");
	return 0;
}

int board_check_system(const struct board *b, const struct wd_system *sys,
		       char *err, size_t err_len)
{
	const struct wd_platform_arm *a = &sys->platform_info.arm;

	if (sys->architecture != b->arch) {
		snprintf(err, err_len,
			 "system config is for %s, the board is %s",
			 sys->architecture == WD_ARCH_ARM ? "ARM" : "x86",
			 b->arch == WD_ARCH_ARM ? "ARM" : "x86");
		return -1;
	}
	if (b->arch == WD_ARCH_ARM &&
	    (a->gic_version != 2 || a->gicd_base != b->gicd ||
	     a->gicc_base != b->gicc)) {
		snprintf(err, err_len,
			 "system config: GICv%u at 0x%llx/0x%llx, the board "
			 "has a GICv2 at 0x%llx/0x%llx",
			 a->gic_version, (unsigned long long)a->gicd_base,
			 (unsigned long long)a->gicc_base,
			 (unsigned long long)b->gicd,
			 (unsigned long long)b->gicc);
		return -1;
	}
	return 0;
}
