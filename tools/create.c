// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config create --from-dtb BOARD.dtb: a root-cell system config
 * skeleton for an ARM board with a GICv2, as DTS source. It reads the
 * board's RAM, CPUs, GIC and UART from its device tree and carves the
 * hypervisor's memory from the top of the highest RAM below 4 GiB, or puts
 * it where --hv-start says. What it cannot know (other devices the root
 * cell needs, interrupts beyond the first 128 SPIs, reserved memory) is
 * listed in the output and in docs/config.md.
 */
#include <errno.h>
#include <libfdt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/dts.h"

#define MIB (1024ull * 1024)
#define GIB (1024 * MIB)
#define PAGE 0x1000ull
/* ARMv7 HYP runs with 32-bit addresses: its memory ends below 4 GiB. */
#define HV_LIMIT (4 * GIB)
/* Hypervisor memory starts 2 MiB aligned: section-mappable. */
#define HV_ALIGN (2 * MIB)
#define MAX_BANKS 8
#define MAX_CPUS 64 /* WD_MAX_CPUS in hal/types.h */

struct bank {
	uint64_t start, size;
};

struct board {
	const void *fdt;
	const char *model;
	struct bank ram[MAX_BANKS];
	unsigned int banks;
	unsigned int cpus;
	char gic_path[256];
	const char *gic_compat;
	uint64_t gicd, gicc, gich, gicv;
	unsigned int maint_irq, maint_ppi;
	char uart_path[256];
	uint64_t uart, uart_size;
	bool uart_pl011, uart_regdist4;
};

struct opts {
	const char *dtb, *out, *name;
	uint64_t hv_size;
	uint64_t hv_start; /* 0: the top of RAM (carve_hv) */
};

static int create_err(const char *file, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int create_err(const char *file, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "warden-config: %s: ", file);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

/* Entry @idx of @node's reg, in its parent's #address/#size-cells. */
static bool get_reg(const void *fdt, int node, int idx, uint64_t *addr,
		    uint64_t *size)
{
	int parent = fdt_parent_offset(fdt, node), ac, sc, len, i, at;
	const fdt32_t *reg;

	if (parent < 0)
		return false;
	ac = fdt_address_cells(fdt, parent);
	sc = fdt_size_cells(fdt, parent);
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 ||
	    (idx + 1) * (ac + sc) * 4 > len)
		return false;
	at = idx * (ac + sc);
	*addr = 0;
	for (i = 0; i < ac; i++)
		*addr = *addr << 32 | fdt32_ld(reg + at + i);
	*size = 0;
	for (i = 0; i < sc; i++)
		*size = *size << 32 | fdt32_ld(reg + at + ac + i);
	return true;
}

static bool has_type(const void *fdt, int node, const char *type)
{
	const char *t = fdt_getprop(fdt, node, "device_type", NULL);

	return t && !strcmp(t, type);
}

static int find_ram(struct board *b, const char *file)
{
	const void *fdt = b->fdt;
	uint64_t addr, size;
	int node, i;

	fdt_for_each_subnode(node, fdt, 0)
	{
		if (!has_type(fdt, node, "memory"))
			continue;
		for (i = 0; get_reg(fdt, node, i, &addr, &size); i++) {
			if (!size)
				continue;
			if (b->banks == MAX_BANKS)
				return create_err(file,
						  "more than %d RAM banks",
						  MAX_BANKS);
			b->ram[b->banks++] = (struct bank){ addr, size };
		}
	}
	if (!b->banks)
		return create_err(file, "no RAM: no node with device_type "
					"\"memory\" and a reg property");
	return 0;
}

static int find_cpus(struct board *b, const char *file)
{
	int cpus = fdt_path_offset(b->fdt, "/cpus"), node;

	if (cpus >= 0) {
		fdt_for_each_subnode(node, b->fdt, cpus)
		{
			if (has_type(b->fdt, node, "cpu"))
				b->cpus++;
		}
	}
	if (!b->cpus)
		return create_err(file,
				  "no CPUs: /cpus has no node with device_type "
				  "\"cpu\" (QEMU: give -smp 2 or more)");
	if (b->cpus > MAX_CPUS)
		return create_err(file, "/cpus: %u CPUs, warden supports %d",
				  b->cpus, MAX_CPUS);
	if (b->cpus == 1)
		fprintf(stderr,
			"warden-config: %s: warning: one CPU: the root cell "
			"keeps it, none is left for other cells (QEMU: -smp 2 "
			"or more)\n",
			file);
	return 0;
}

/* The maintenance interrupt: a PPI (type 1) in the GIC's own binding. */
static int gic_maint_irq(struct board *b, int node, const char *file)
{
	const fdt32_t *irq;
	int len;

	irq = fdt_getprop(b->fdt, node, "interrupts", &len);
	if (!irq || len < 12)
		return create_err(file,
				  "%s: no 'interrupts' (the maintenance "
				  "interrupt)",
				  b->gic_path);
	b->maint_ppi = fdt32_ld(irq + 1);
	b->maint_irq = fdt32_ld(irq) == 1 ? 16 + b->maint_ppi :
					    32 + b->maint_ppi;
	if (b->maint_irq > 255)
		return create_err(file, "%s: maintenance interrupt %u too big",
				  b->gic_path, b->maint_irq);
	return 0;
}

static int find_gic(struct board *b, const char *file)
{
	static const char *const compat[] = { "arm,cortex-a15-gic",
					      "arm,gic-400", NULL };
	const char *const *c;
	uint64_t size;
	int node = -1;

	for (c = compat; *c && node < 0; c++) {
		node = fdt_node_offset_by_compatible(b->fdt, -1, *c);
		b->gic_compat = *c;
	}
	if (node < 0)
		return create_err(file,
				  "no GIC: no GICv2 with virtualization "
				  "extensions (arm,cortex-a15-gic or "
				  "arm,gic-400; QEMU: -M virt,gic-version=2)");
	fdt_get_path(b->fdt, node, b->gic_path, sizeof(b->gic_path));
	/* reg: distributor, CPU interface, hyp interface, virtual CPU i/f */
	if (!get_reg(b->fdt, node, 0, &b->gicd, &size) ||
	    !get_reg(b->fdt, node, 1, &b->gicc, &size) ||
	    !get_reg(b->fdt, node, 2, &b->gich, &size) ||
	    !get_reg(b->fdt, node, 3, &b->gicv, &size))
		return create_err(file,
				  "%s: 'reg' lacks the hypervisor and virtual "
				  "CPU interfaces (is virtualization on? QEMU: "
				  "-M virt,virtualization=on)",
				  b->gic_path);
	return gic_maint_irq(b, node, file);
}

static bool uart_kind(struct board *b, int node)
{
	const fdt32_t *shift;

	if (!fdt_node_check_compatible(b->fdt, node, "arm,pl011")) {
		b->uart_pl011 = true;
		b->uart_regdist4 = true; /* PL011 registers are 32 bits apart */
		return true;
	}
	if (!fdt_node_check_compatible(b->fdt, node, "ns16550a") ||
	    !fdt_node_check_compatible(b->fdt, node, "ns16550")) {
		shift = fdt_getprop(b->fdt, node, "reg-shift", NULL);
		b->uart_regdist4 = shift && fdt32_ld(shift) == 2;
		return true;
	}
	return false;
}

/* The UART: /chosen stdout-path if it is one we know, else the first PL011. */
static void find_uart(struct board *b)
{
	const char *path = fdt_getprop(b->fdt,
				       fdt_path_offset(b->fdt, "/chosen"),
				       "stdout-path", NULL);
	int node = -FDT_ERR_NOTFOUND, n;

	if (path)
		node = fdt_path_offset_namelen(b->fdt, path,
					       (int)strcspn(path, ":"));
	if (node < 0 || !uart_kind(b, node)) {
		node = fdt_node_offset_by_compatible(b->fdt, -1, "arm,pl011");
		if (node < 0 || !uart_kind(b, node))
			return;
	}
	if (!get_reg(b->fdt, node, 0, &b->uart, &b->uart_size))
		return;
	n = fdt_get_path(b->fdt, node, b->uart_path, sizeof(b->uart_path));
	if (n < 0)
		snprintf(b->uart_path, sizeof(b->uart_path), "?");
}

static void put_region(FILE *f, const char *comment, const char *name,
		       uint64_t start, uint64_t size, const char *flags)
{
	fprintf(f,
		"\t\t\t/* %s */\n"
		"\t\t\t%s@%llx {\n"
		"\t\t\t\tphys-start = <0x%llx>;\n"
		"\t\t\t\tvirt-start = <0x%llx>;\n"
		"\t\t\t\tsize = <0x%llx>; /* %llu %s */\n"
		"\t\t\t\tflags = %s;\n"
		"\t\t\t};\n",
		comment, name, (unsigned long long)start,
		(unsigned long long)start, (unsigned long long)start,
		(unsigned long long)size,
		(unsigned long long)(size % MIB ? size / 1024 : size / MIB),
		size % MIB ? "KiB" : "MiB", flags);
}

#define RAM_FLAGS "\"read\", \"write\", \"execute\", \"dma\""

static void put_header(FILE *f, const struct board *b, const struct opts *o)
{
	fprintf(f,
		"/dts-v1/;\n\n"
		"/*\n"
		" * Root-cell system config skeleton for \"%s\",\n"
		" * written by: warden-config create --from-dtb %s\n"
		" *\n"
		" * Left to you (see docs/config.md, \"create\"):\n"
		" * - devices other than the UART (virtio, PCI host, "
		"flash, RTC...):\n"
		" *   add a memory region per device page the root cell "
		"uses;\n"
		" * - interrupts beyond SPI 159: add a second irqchip "
		"(pin-base 160);\n"
		" * - keeping the root cell's kernel out of the hypervisor "
		"memory\n"
		" *   (mem= or a reserved-memory node), and RAM for the "
		"other cells,\n"
		" *   which they take from the root cell's RAM;\n"
		" * - the IOMMU (none described), cache partitioning, "
		"ivshmem devices.\n"
		" */\n\n",
		b->model ? b->model : "board", o->dtb);
}

static void put_platform(FILE *f, const struct board *b)
{
	fprintf(f,
		"\t/* The GIC: %s at %s. */\n"
		"\tplatform {\n"
		"\t\tarm {\n"
		"\t\t\t/* PPI %u: list registers need attention. */\n"
		"\t\t\tmaintenance-irq = <%u>;\n"
		"\t\t\tgic-version = <2>;\n"
		"\t\t\tgicd-base = <0x%llx>; /* distributor */\n"
		"\t\t\tgicc-base = <0x%llx>; /* CPU interface */\n"
		"\t\t\tgich-base = <0x%llx>; /* hypervisor interface */\n"
		"\t\t\tgicv-base = <0x%llx>; /* virtual CPU interface */\n"
		"\t\t};\n"
		"\t};\n\n",
		b->gic_compat, b->gic_path, b->maint_ppi, b->maint_irq,
		(unsigned long long)b->gicd, (unsigned long long)b->gicc,
		(unsigned long long)b->gich, (unsigned long long)b->gicv);
}

static void put_console(FILE *f, const struct board *b)
{
	if (!b->uart_size) {
		fprintf(f, "\t/* No PL011/16550 UART found: add a "
			   "debug-console node. */\n\n");
		return;
	}
	fprintf(f,
		"\t/* The hypervisor's console: the board's UART %s. */\n"
		"\tdebug-console {\n"
		"\t\taddress = <0x%llx>;\n"
		"\t\tsize = <0x%llx>;\n"
		"\t\ttype = \"%s\";\n"
		"\t\tflags = \"mmio\"%s;\n"
		"\t};\n\n",
		b->uart_path, (unsigned long long)b->uart,
		(unsigned long long)b->uart_size,
		b->uart_pl011 ? "pl011" : "8250",
		b->uart_regdist4 ? ", \"regdist-4\"" : "");
}

/* Root cell RAM: every bank, minus the hypervisor's slice of the last. */
static void put_ram(FILE *f, const struct board *b, uint64_t hv,
		    uint64_t hv_size)
{
	unsigned int i;
	uint64_t s, e;

	for (i = 0; i < b->banks; i++) {
		s = b->ram[i].start;
		e = s + b->ram[i].size;
		if (hv >= s && hv < e) {
			if (hv > s)
				put_region(f,
					   "RAM below the hypervisor, 1:1. "
					   "Other cells\n\t\t\t * take "
					   "theirs from it.",
					   "ram", s, hv - s, RAM_FLAGS);
			if (hv + hv_size < e)
				put_region(f,
					   "RAM above the hypervisor (the "
					   "rest up to its alignment).",
					   "ram", hv + hv_size,
					   e - hv - hv_size, RAM_FLAGS);
		} else {
			put_region(f, "RAM bank, 1:1.", "ram", s, e - s,
				   RAM_FLAGS);
		}
	}
}

static void put_root_cell(FILE *f, const struct board *b, const struct opts *o,
			  uint64_t hv)
{
	unsigned int i;

	fprintf(f,
		"\troot-cell {\n"
		"\t\tcell-name = \"%s\";\n"
		"\t\t/* Its kernel or manager prints through the hypervisor "
		"too. */\n"
		"\t\tflags = \"virtual-console-permitted\";\n"
		"\t\t/* All %u CPUs of /cpus (ids are positions there). */\n"
		"\t\tcpus = <",
		o->name, b->cpus);
	for (i = 0; i < b->cpus; i++)
		fprintf(f, "%s%u", i ? " " : "", i);
	fprintf(f, ">;\n\n\t\tmemory-regions {\n");
	put_ram(f, b, hv, o->hv_size);
	if (b->uart_size)
		put_region(f,
			   "The UART: the root cell's console too,\n"
			   "\t\t\t * shared with the hypervisor.",
			   "uart", b->uart,
			   (b->uart_size + PAGE - 1) & ~(PAGE - 1),
			   "\"read\", \"write\", \"io\"");
	fprintf(f,
		"\t\t\t/*\n"
		"\t\t\t * No GIC regions: the hypervisor traps the "
		"distributor\n"
		"\t\t\t * and maps the virtual CPU interface where the "
		"CPU\n"
		"\t\t\t * interface is (0x%llx).\n"
		"\t\t\t */\n"
		"\t\t};\n\n"
		"\t\tirqchips {\n"
		"\t\t\t/*\n"
		"\t\t\t * The distributor: SPIs 32..159 start in the root "
		"cell.\n"
		"\t\t\t * SGIs and PPIs (0..31) are per CPU, never "
		"assigned.\n"
		"\t\t\t */\n"
		"\t\t\tgicd@%llx {\n"
		"\t\t\t\taddress = <0x%llx>;\n"
		"\t\t\t\tpin-base = <32>;\n"
		"\t\t\t\tpin-ranges = <32 159>;\n"
		"\t\t\t};\n"
		"\t\t};\n"
		"\t};\n",
		(unsigned long long)b->gicc, (unsigned long long)b->gicd,
		(unsigned long long)b->gicd);
}

/*
 * The RAM rule: the bank that holds hypervisor memory has at least twice
 * its size plus HV_ALIGN (2 MiB), so that the root cell keeps at least as
 * much RAM there as the hypervisor takes, and the alignment slack.
 */
static int check_room(const struct opts *o, const struct bank *bank,
		      uint64_t end)
{
	uint64_t size = end - bank->start, need = 2 * o->hv_size + HV_ALIGN;

	if (size >= need && need > o->hv_size)
		return 0;
	return create_err(o->dtb,
			  "too little RAM: bank 0x%llx..0x%llx (%llu MiB%s) "
			  "is smaller than twice the hypervisor memory plus "
			  "2 MiB (%llu MiB for --hv-size %llu MiB)",
			  (unsigned long long)bank->start,
			  (unsigned long long)end,
			  (unsigned long long)(size / MIB),
			  end < bank->start + bank->size ? " below 4 GiB" : "",
			  (unsigned long long)(need / MIB),
			  (unsigned long long)(o->hv_size / MIB));
}

/* --hv-start: inside one RAM bank, below 4 GiB. */
static int place_hv(const struct board *b, const struct opts *o, uint64_t *hv)
{
	uint64_t s = o->hv_start, e = s + o->hv_size;
	unsigned int i;

	if (e < s || e > HV_LIMIT)
		return create_err(o->dtb,
				  "--hv-start 0x%llx: hypervisor memory "
				  "0x%llx..0x%llx ends above 4 GiB (ARMv7 "
				  "HYP addresses are 32 bits)",
				  (unsigned long long)s, (unsigned long long)s,
				  (unsigned long long)e);
	for (i = 0; i < b->banks; i++) {
		const struct bank *r = &b->ram[i];

		if (s < r->start || e > r->start + r->size)
			continue;
		*hv = s;
		return check_room(o, r, r->start + r->size);
	}
	return create_err(o->dtb,
			  "--hv-start 0x%llx: hypervisor memory 0x%llx..0x%llx "
			  "is not inside one RAM bank",
			  (unsigned long long)s, (unsigned long long)s,
			  (unsigned long long)e);
}

/*
 * Hypervisor memory: with --hv-start there; else at the top of the
 * highest RAM bank that starts below 4 GiB (its part below 4 GiB),
 * HV_ALIGN aligned.
 */
static int carve_hv(const struct board *b, const struct opts *o, uint64_t *hv)
{
	const struct bank *top = NULL;
	uint64_t end;
	unsigned int i;

	if (o->hv_start)
		return place_hv(b, o, hv);
	for (i = 0; i < b->banks; i++)
		if (b->ram[i].start < HV_LIMIT &&
		    (!top || b->ram[i].start > top->start))
			top = &b->ram[i];
	if (!top)
		return create_err(o->dtb, "no RAM below 4 GiB for the "
					  "hypervisor (ARMv7 HYP addresses "
					  "are 32 bits)");
	end = top->start + top->size;
	if (end > HV_LIMIT || end < top->start)
		end = HV_LIMIT;
	if (check_room(o, top, end))
		return 1;
	*hv = (end - o->hv_size) & ~(HV_ALIGN - 1);
	return 0;
}

static int write_skeleton(const struct board *b, const struct opts *o, FILE *f)
{
	uint64_t hv = 0; /* -O2: set by carve_hv() when it returns 0 */

	if (carve_hv(b, o, &hv))
		return 1;
	put_header(f, b, o);
	fprintf(f,
		"/ {\n"
		"\tcompatible = \"warden,system\";\n"
		"\tarchitecture = \"arm\";\n\n"
		"\t/*\n"
		"\t * %s: hypervisor code, data and page pool.\n"
		"\t * Load warden.bin at its start and start it there.\n"
		"\t */\n"
		"\thypervisor-memory {\n"
		"\t\tphys-start = <0x%llx>;\n"
		"\t\tsize = <0x%llx>; /* %llu KiB */\n"
		"\t};\n\n",
		o->hv_start ? "Where --hv-start put it" : "At the top of RAM",
		(unsigned long long)hv, (unsigned long long)o->hv_size,
		(unsigned long long)(o->hv_size / 1024));
	put_console(f, b);
	put_platform(f, b);
	put_root_cell(f, b, o, hv);
	fprintf(f, "};\n");
	return ferror(f) ?
		       create_err(o->out ? o->out : "stdout", "write error") :
		       0;
}

static int read_board(struct board *b, const char *file, void **blob)
{
	size_t len;
	int rc;

	*blob = read_file(file, &len);
	if (!*blob)
		return create_err(file, "cannot read: %s", strerror(errno));
	rc = len >= 4 ? fdt_check_full(*blob, len) : -FDT_ERR_TRUNCATED;
	if (rc)
		return create_err(file, "not a device tree blob: %s",
				  fdt_strerror(rc));
	b->fdt = *blob;
	b->model = fdt_getprop(*blob, 0, "model", NULL);
	if (find_ram(b, file) || find_cpus(b, file) || find_gic(b, file))
		return 1;
	find_uart(b);
	return 0;
}

static int create_usage(FILE *f, int status)
{
	fprintf(f,
		"usage: warden-config create --from-dtb BOARD.dtb [-o OUT.dts]"
		" [--name NAME]\n"
		"                            [--hv-size SIZE] [--hv-start "
		"ADDRESS]\n"
		"Write a root-cell system config skeleton (DTS) for an ARM "
		"board with a\nGICv2 from its device tree blob: RAM, CPUs, "
		"GIC, UART. Hypervisor memory:\n"
		"  --hv-size SIZE      bytes, or with a K, M or G suffix; a "
		"multiple of 4 KiB\n"
		"                      (default 16M)\n"
		"  --hv-start ADDRESS  where it starts (default: the top of "
		"the highest RAM\n"
		"                      below 4 GiB, 2 MiB aligned); a multiple "
		"of 4 KiB\n"
		"The RAM bank that holds it must be at least twice its size "
		"plus 2 MiB.\nQEMU's virt machine with 4 CPUs and 512 MiB:\n"
		"  qemu-system-arm -M virt,virtualization=on,gic-version=2 "
		"-cpu cortex-a15 \\\n"
		"      -smp 4 -m 512 -machine dumpdtb=virt.dtb\n"
		"  warden-config create --from-dtb virt.dtb -o system.dts\n");
	return status;
}

static unsigned long long suffix_shift(char c)
{
	switch (c) {
	case 'K':
	case 'k':
		return 10;
	case 'M':
	case 'm':
		return 20;
	case 'G':
	case 'g':
		return 30;
	}
	return 0;
}

/*
 * @arg of option @opt: a number (C syntax: decimal, 0x hex) with an
 * optional K, M or G suffix, a positive multiple of 4 KiB. 0 or a message
 * on stderr and 2.
 */
static int parse_bytes(const char *opt, const char *arg, uint64_t *v)
{
	unsigned long long n, shift = 0;
	char *end;

	errno = 0;
	n = strtoull(arg, &end, 0);
	if (*arg == '-' || *arg == '+' || (*arg >= '\t' && *arg <= ' '))
		goto bad;
	if (end != arg && *end && !end[1] && suffix_shift(*end))
		shift = suffix_shift(*end++);
	if (errno || end == arg || *end)
		goto bad;
	if (n > (~0ull >> shift)) {
		fprintf(stderr,
			"warden-config: create: %s %s: too large for 64 bits\n",
			opt, arg);
		return 2;
	}
	n <<= shift;
	if (!n) {
		fprintf(stderr,
			"warden-config: create: %s %s: must not be 0%s\n", opt,
			arg,
			!strcmp(opt, "--hv-size") ?
				" (the hypervisor needs memory for its "
				"image and page pool)" :
				" (leave --hv-start out to put it at the top "
				"of RAM)");
		return 2;
	}
	if (n % PAGE) {
		fprintf(stderr,
			"warden-config: create: %s %s: 0x%llx is not a "
			"multiple of 4 KiB (4096 bytes)\n",
			opt, arg, n);
		return 2;
	}
	*v = n;
	return 0;
bad:
	fprintf(stderr,
		"warden-config: create: %s %s: not a size (a positive number, "
		"decimal or 0x hex, optionally with K, M or G)\n",
		opt, arg);
	return 2;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return create_usage(stdout, 0) - 1;
		if (i + 1 >= argc)
			return create_usage(stderr, 2);
		if (!strcmp(argv[i], "--from-dtb")) {
			o->dtb = argv[++i];
		} else if (!strcmp(argv[i], "-o")) {
			o->out = argv[++i];
		} else if (!strcmp(argv[i], "--name")) {
			o->name = argv[++i];
		} else if (!strcmp(argv[i], "--hv-size")) {
			if (parse_bytes(argv[i], argv[i + 1], &o->hv_size))
				return 2;
			i++;
		} else if (!strcmp(argv[i], "--hv-start")) {
			if (parse_bytes(argv[i], argv[i + 1], &o->hv_start))
				return 2;
			i++;
		} else {
			return create_usage(stderr, 2);
		}
	}
	if (!o->dtb)
		return create_usage(stderr, 2);
	if (strlen(o->name) > WD_CELL_NAME_MAXLEN || !*o->name ||
	    strchr(o->name, '"') || strchr(o->name, '\\')) {
		fprintf(stderr,
			"warden-config: create: --name: 1..%d characters, no "
			"quotes or backslashes\n",
			WD_CELL_NAME_MAXLEN);
		return 2;
	}
	return 0;
}

int cmd_create(int argc, char **argv)
{
	struct opts o = { NULL, NULL, "root", 16 * MIB, 0 };
	struct board b;
	void *blob = NULL;
	FILE *f = stdout;
	int rc;

	rc = parse_opts(argc, argv, &o);
	if (rc)
		return rc < 0 ? 0 : rc;
	memset(&b, 0, sizeof(b));
	rc = read_board(&b, o.dtb, &blob);
	if (!rc && o.out && !(f = fopen(o.out, "w")))
		rc = create_err(o.out, "cannot write: %s", strerror(errno));
	if (!rc)
		rc = write_skeleton(&b, &o, f);
	if (f && f != stdout && fclose(f) && !rc)
		rc = create_err(o.out, "cannot write: %s", strerror(errno));
	if (rc && o.out && f != stdout)
		remove(o.out);
	free(blob);
	return rc;
}
