// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config dump: struct cellcfg -> DTS source, such that compiling
 * the output gives back the input byte for byte, for any decodable file
 * (foreign Jailhouse files included). It walks the same property tables as
 * the compiler (tools/binding.c); whatever has no name - unknown flag bits,
 * non-zero padding, odd names - is written as a number or as raw bytes.
 * Zero fields are left out (the binding's default), except the ones that
 * say what an item is.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tools/binding.h"
#include "tools/dts.h"

struct out {
	FILE *f;
	int depth;
	bool fresh; /* nothing written in the node just opened */
};

/* Called for each table entry first; returns true if it took care of it. */
typedef bool special_fn(struct out *o, const struct prop *e, const void *base,
			const void *arg);

static void indent(struct out *o)
{
	int i;

	for (i = 0; i < o->depth; i++)
		fputc('\t', o->f);
	o->fresh = false;
}

/* A blank line between a node's properties and a child node. */
static void gap(struct out *o)
{
	if (!o->fresh)
		fputc('\n', o->f);
}

static void open_node(struct out *o, const char *name)
{
	indent(o);
	fprintf(o->f, "%s {\n", name);
	o->depth++;
	o->fresh = true;
}

static void close_node(struct out *o)
{
	o->depth--;
	indent(o);
	fprintf(o->f, "};\n");
}

static void put_num(FILE *f, uint64_t v, unsigned int width, bool hex)
{
	const char *fmt = hex ? "0x%llx" : "%llu";

	if (width == 8 && v > 0xffffffffull)
		fputs("/bits/ 64 ", f);
	fputc('<', f);
	fprintf(f, fmt, (unsigned long long)v);
	fputc('>', f);
}

static void size_comment(FILE *f, uint64_t v)
{
	static const char *const unit[] = { "KiB", "MiB", "GiB", "TiB" };
	int u = -1;

	while (v >= 1024 && !(v % 1024) && u < 3) {
		v /= 1024;
		u++;
	}
	if (u >= 0)
		fprintf(f, " /* %llu %s */", (unsigned long long)v, unit[u]);
}

/* A DTS string literal; only printable ASCII reaches here. */
static void put_string(FILE *f, const char *s, size_t n)
{
	size_t i;

	fputc('"', f);
	for (i = 0; i < n && s[i]; i++) {
		if (s[i] == '"' || s[i] == '\\')
			fputc('\\', f);
		fputc(s[i], f);
	}
	fputc('"', f);
}

/* Printable text in @p[0..n), NUL-padded, at least one character? */
static bool is_text(const uint8_t *p, size_t n)
{
	size_t i = 0;

	while (i < n && p[i] >= 0x20 && p[i] < 0x7f)
		i++;
	if (!i)
		return false;
	while (i < n && !p[i])
		i++;
	return i == n;
}

static bool all_zero(const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n--)
		if (*b++)
			return false;
	return true;
}

static uint64_t field_mask(const struct prop *e)
{
	uint64_t m = e->width >= 8 ? ~0ull : (1ull << (e->width * 8)) - 1;

	return e->mask ? m & e->mask : m;
}

static void put_flags(FILE *f, const struct prop *e, uint64_t v)
{
	const struct name_val *nv;
	uint64_t left = v;
	bool first = true;

	for (nv = e->names; nv->name; nv++) {
		if (!nv->val || (left & nv->val) != nv->val)
			continue;
		fprintf(f, "%s\"%s\"", first ? "" : ", ", nv->name);
		first = false;
		left &= ~nv->val;
	}
	if (left)
		fprintf(f, "%s\"0x%llx\"", first ? "" : ", ",
			(unsigned long long)left);
}

static void put_bytes(FILE *f, const uint8_t *p, size_t n)
{
	size_t i;

	fputc('[', f);
	for (i = 0; i < n; i++)
		fprintf(f, "%s%02x", i ? " " : "", p[i]);
	fputc(']', f);
}

static void put_widths(FILE *f, uint64_t v)
{
	unsigned int w;
	bool first = true;

	fputc('<', f);
	for (w = 8; w <= 64; w *= 2) {
		if (v & ((uint64_t)(w / 8) << IO_WIDTH_SHIFT)) {
			fprintf(f, "%s%u", first ? "" : " ", w);
			first = false;
		}
	}
	fputc('>', f);
}

/* One generic property, if it is not zero (or must always be there). */
static void emit_prop(struct out *o, const struct prop *e, const void *base,
		      bool always)
{
	const uint8_t *p = (const uint8_t *)base + e->off;
	uint64_t v = 0;
	const char *name;
	unsigned int i;

	if (e->type != PT_BYTES && e->type != PT_U32S)
		v = field_get(base, e->off, e->width) & field_mask(e);
	if (e->type == PT_BYTES || e->type == PT_U32S) {
		if (all_zero(p, e->width) && !always)
			return;
	} else if (!v && !always) {
		return;
	}
	indent(o);
	if (e->type == PT_BOOL) {
		fprintf(o->f, "%s;\n", e->name);
		return;
	}
	fprintf(o->f, "%s = ", e->name);
	switch (e->type) {
	case PT_NUM:
		put_num(o->f, v, e->width, e->flags & P_HEX);
		break;
	case PT_FLAGS:
		put_flags(o->f, e, v);
		fprintf(o->f, "; /* 0x%llx */\n", (unsigned long long)v);
		return;
	case PT_ENUM:
		name = name_of(e->names, v);
		/* A string either way: a cell could look like text. */
		if (name)
			fprintf(o->f, "\"%s\"", name);
		else
			fprintf(o->f, "\"0x%llx\"", (unsigned long long)v);
		break;
	case PT_BDF:
		fprintf(o->f, "\"%02llx:%02llx.%llx\"",
			(unsigned long long)(v >> 8),
			(unsigned long long)((v >> 3) & 0x1f),
			(unsigned long long)(v & 7));
		break;
	case PT_BYTES:
		if (!strcmp(e->name, "signature") && is_text(p, e->width))
			put_string(o->f, (const char *)p, e->width);
		else
			put_bytes(o->f, p, e->width);
		break;
	case PT_WIDTHS:
		put_widths(o->f, v);
		break;
	case PT_U32S:
		fputc('<', o->f);
		for (i = 0; i < e->width / 4; i++)
			fprintf(o->f, "%s0x%llx", i ? " " : "",
				(unsigned long long)field_get(p, 4 * i, 4));
		fputc('>', o->f);
		break;
	default:
		break;
	}
	fputc(';', o->f);
	if (e->flags & P_SIZE)
		size_comment(o->f, v);
	fputc('\n', o->f);
}

/*
 * Emit the properties of @tab for @base in table order. @where selects
 * cell-config-only or root-cell-only entries, @skip leaves out entries
 * with those flags, @special handles the node's own properties.
 */
static void emit_props(struct out *o, const struct prop *tab, const void *base,
		       unsigned int where, unsigned int skip,
		       special_fn *special, const void *arg)
{
	const struct prop *e;
	unsigned int only;

	for (e = tab; e->name; e++) {
		only = e->flags & (P_CELLCFG | P_ROOTCELL);
		if ((only && !(only & where)) || e->flags & skip)
			continue;
		if (special && special(o, e, base, arg))
			continue;
		if (e->type == PT_SPECIAL)
			continue;
		emit_prop(o, e, base,
			  e->flags & P_ALWAYS || (e->flags & P_ALWAYS_CFG &&
						  where == P_CELLCFG));
	}
}

/* Is the 32-byte name field a plain string (then cell-name, else bytes)? */
static bool clean_name(const struct wd_cell_desc *cell)
{
	return is_text((const uint8_t *)cell->name, sizeof(cell->name)) &&
	       !cell->name[sizeof(cell->name) - 1];
}

static void emit_cpus(struct out *o, const struct cellcfg *c)
{
	uint64_t cpu, max = 0, n = 0, def;

	for (cpu = 0; cpu < (uint64_t)c->cell.cpu_set_size * 8; cpu++) {
		if (!(c->cpu_set[cpu / 8] & (1u << (cpu % 8))))
			continue;
		if (!n++) {
			indent(o);
			fprintf(o->f, "cpus = <");
		}
		fprintf(o->f, "%s%llu", n > 1 ? " " : "",
			(unsigned long long)cpu);
		max = cpu;
	}
	if (n)
		fprintf(o->f, ">;\n");
	/* The compiler's default: whole 64-bit words, as Jailhouse has. */
	def = n ? (max / 64 + 1) * 8 : 0;
	if (c->cell.cpu_set_size != def) {
		indent(o);
		fprintf(o->f, "cpu-set-size = <%u>; /* bytes */\n",
			c->cell.cpu_set_size);
	}
}

/*
 * Stream ids with bits above 15: for an ARM MMU-500 they are the union's
 * mmu500 view, an SMR id and the id bits masked out. Name both halves.
 */
static void emit_mmu500_view(struct out *o, const struct cellcfg *c)
{
	unsigned int i;
	bool wide = false;

	for (i = 0; i < c->num[CFG_STREAM]; i++)
		wide |= c->stream_ids[i] > 0xffff;
	if (!wide)
		return;
	indent(o);
	fprintf(o->f, "/* as ARM MMU-500 entries (mmu500-stream-ids = <id "
		      "mask-out>):");
	for (i = 0; i < c->num[CFG_STREAM]; i++)
		fprintf(o->f, " <0x%x 0x%x>", c->stream_ids[i] & 0xffff,
			c->stream_ids[i] >> 16);
	fprintf(o->f, " */\n");
}

static bool cell_special(struct out *o, const struct prop *e, const void *base,
			 const void *arg)
{
	const struct cellcfg *c = arg;
	const struct wd_cell_desc *cell = base;
	unsigned int i;

	if (!strcmp(e->name, "compatible")) {
		indent(o);
		fprintf(o->f, "compatible = \"warden,cell\";\n");
	} else if (!strcmp(e->name, "cell-name")) {
		if (!clean_name(cell))
			return true;
		indent(o);
		fprintf(o->f, "cell-name = ");
		put_string(o->f, cell->name, sizeof(cell->name));
		fprintf(o->f, ";\n");
	} else if (!strcmp(e->name, "cell-name-bytes")) {
		if (!clean_name(cell))
			emit_prop(o, e, base, true);
	} else if (!strcmp(e->name, "cpus")) {
		emit_cpus(o, c);
	} else if (!strcmp(e->name, "stream-ids")) {
		if (!c->num[CFG_STREAM])
			return true;
		indent(o);
		fprintf(o->f, "stream-ids = <");
		for (i = 0; i < c->num[CFG_STREAM]; i++)
			fprintf(o->f, "%s0x%x", i ? " " : "", c->stream_ids[i]);
		fprintf(o->f, ">;\n");
		emit_mmu500_view(o, c);
	} else {
		return false;
	}
	return true;
}

/* Emit the runs of set bits of an irqchip as pins and pin-ranges. */
static void emit_pins(struct out *o, const struct wd_irqchip *chip)
{
	unsigned int bit, end, singles = 0, ranges = 0, pass;

	/* A pin_base this high has no pin numbers that fit in a cell. */
	if (chip->pin_base > 0xffffffffu - WD_IRQCHIP_PINS) {
		emit_prop(
			o,
			&(struct prop){ "pin-bitmap", PT_U32S,
					offsetof(struct wd_irqchip, pin_bitmap),
					16, 0, NULL, 0 },
			chip, false);
		return;
	}
	/* Pass 0: single pins; pass 1: runs of two or more. */
	for (pass = 0; pass < 2; pass++) {
		for (bit = 0; bit < WD_IRQCHIP_PINS; bit = end) {
			end = bit + 1;
			if (!(chip->pin_bitmap[bit / 32] & (1u << (bit % 32))))
				continue;
			while (end < WD_IRQCHIP_PINS &&
			       chip->pin_bitmap[end / 32] & (1u << (end % 32)))
				end++;
			if ((end - bit > 1) != pass)
				continue;
			if (!(pass ? ranges++ : singles++)) {
				indent(o);
				fprintf(o->f,
					"%s = ", pass ? "pin-ranges" : "pins");
			} else {
				fputs(pass ? ", " : "", o->f);
			}
			if (pass)
				fprintf(o->f, "<%u %u>", chip->pin_base + bit,
					chip->pin_base + end - 1);
			else
				fprintf(o->f, "%s%u", singles > 1 ? " " : "<",
					chip->pin_base + bit);
		}
		if (pass ? ranges : singles)
			fprintf(o->f, "%s;\n", pass ? "" : ">");
	}
}

static bool irqchip_special(struct out *o, const struct prop *e,
			    const void *base, const void *arg)
{
	(void)arg;
	if (!strcmp(e->name, "pins"))
		emit_pins(o, base);
	return e->type == PT_SPECIAL;
}

static const char *cap_name(uint16_t id)
{
	static const struct name_val std[] = {
		{ "power management", 0x01 },
		{ "MSI", 0x05 },
		{ "vendor specific", 0x09 },
		{ "PCI Express", 0x10 },
		{ "MSI-X", 0x11 },
		{ "SATA", 0x12 },
		{ "advanced features", 0x13 },
		{ NULL, 0 },
	};
	static const struct name_val ext[] = {
		{ "AER", 0x01 },
		{ "virtual channel", 0x02 },
		{ "serial number", 0x03 },
		{ "vendor specific", 0x0b },
		{ "ACS", 0x0d },
		{ "ARI", 0x0e },
		{ "SR-IOV", 0x10 },
		{ "LTR", 0x18 },
		{ "L1 PM substates", 0x1e },
		{ NULL, 0 },
	};

	return name_of(id & WD_PCI_EXT_CAP ? ext : std, id & 0x7fff);
}

/* Node name of item @i: what it is, at its address; unique in @used. */
static void item_name(const struct cellcfg *c, enum cellcfg_kind k,
		      unsigned int i, char *buf, size_t len)
{
	const struct wd_pci_device *d;
	const char *what = "item";
	unsigned long long unit = i;

	switch (k) {
	case CFG_MEM:
		what = c->mem[i].flags & WD_MEM_COMM_REGION ? "comm-region" :
		       c->mem[i].flags & WD_MEM_IO	    ? "mmio" :
							      "ram";
		unit = c->mem[i].phys_start;
		break;
	case CFG_CACHE:
		what = "cache";
		unit = c->cache[i].start;
		break;
	case CFG_IRQCHIP:
		what = "irqchip";
		unit = c->irq[i].address;
		break;
	case CFG_PIO:
		what = "pio";
		unit = c->pio[i].base;
		break;
	case CFG_PCI:
		d = &c->pci[i];
		what = name_of(pci_props[0].names, d->type);
		snprintf(buf, len, "%s@%x,%x,%x", what ? what : "pci",
			 d->bdf >> 8, (d->bdf >> 3) & 0x1f, d->bdf & 7);
		return;
	case CFG_CAP:
		what = "cap";
		break;
	default:
		break;
	}
	if (k == CFG_MEM && c->mem[i].flags & WD_MEM_COMM_REGION)
		snprintf(buf, len, "%s", what);
	else
		snprintf(buf, len, "%s@%llx", what, unit);
}

/* Make @name unique among @names[0..n) by a "-N" suffix on its base. */
static void uniquify(char *name, size_t len, char **names, unsigned int n)
{
	char base[96], *at;
	unsigned int i, try = 0;
	bool clash = true;

	snprintf(base, sizeof(base), "%s", name);
	at = strchr(base, '@');
	while (clash) {
		clash = false;
		for (i = 0; i < n && !clash; i++)
			clash = !strcmp(names[i], name);
		if (clash) {
			try++;
			if (at)
				snprintf(name, len, "%.*s-%u%s",
					 (int)(at - base), base, try, at);
			else
				snprintf(name, len, "%s-%u", base, try);
		}
	}
}

static const void *item_ptr(const struct cellcfg *c, enum cellcfg_kind k,
			    unsigned int i)
{
	switch (k) {
	case CFG_MEM:
		return &c->mem[i];
	case CFG_CACHE:
		return &c->cache[i];
	case CFG_IRQCHIP:
		return &c->irq[i];
	case CFG_PIO:
		return &c->pio[i];
	case CFG_PCI:
		return &c->pci[i];
	case CFG_CAP:
		return &c->caps[i];
	default:
		return NULL;
	}
}

static const struct prop *const item_tabs[CFG_KINDS] = {
	[CFG_MEM] = mem_props,	       [CFG_CACHE] = cache_props,
	[CFG_IRQCHIP] = irqchip_props, [CFG_PIO] = pio_props,
	[CFG_PCI] = pci_props,	       [CFG_CAP] = cap_props,
};

static int emit_items(struct out *o, const struct cellcfg *c,
		      enum cellcfg_kind k)
{
	unsigned int i, n = c->num[k];
	char **names;
	const char *cn;

	if (!n)
		return 0;
	names = calloc(n, sizeof(*names));
	if (!names)
		return -1;
	gap(o);
	open_node(o, container_names[k]);
	for (i = 0; i < n; i++) {
		names[i] = malloc(128);
		if (!names[i])
			break;
		item_name(c, k, i, names[i], 128);
		uniquify(names[i], 128, names, i);
		if (k == CFG_CAP && (cn = cap_name(c->caps[i].id))) {
			indent(o);
			fprintf(o->f, "/* capability %u: %s */\n", i, cn);
		}
		open_node(o, names[i]);
		emit_props(o, item_tabs[k], item_ptr(c, k, i), 0, 0,
			   k == CFG_IRQCHIP ? irqchip_special : NULL, NULL);
		close_node(o);
	}
	close_node(o);
	for (n = i, i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return 0;
}

/* An optional child struct: written only when some byte is set. */
static void emit_struct(struct out *o, const char *name, const struct prop *tab,
			const void *base, size_t size, unsigned int skip)
{
	if (all_zero(base, size))
		return;
	gap(o);
	open_node(o, name);
	emit_props(o, tab, base, 0, skip, NULL, NULL);
	close_node(o);
}

static int emit_cell(struct out *o, const struct cellcfg *c, unsigned int where)
{
	enum cellcfg_kind k;

	emit_props(o, cell_props, &c->cell, where, 0, cell_special, c);
	emit_struct(o, "console", console_props, &c->cell.console,
		    sizeof(c->cell.console), 0);
	for (k = CFG_MEM; k < CFG_KINDS; k++)
		if (container_names[k] && emit_items(o, c, k))
			return -1;
	return 0;
}

static void emit_platform(struct out *o, const struct wd_system *sys)
{
	const struct wd_platform_info *pi = &sys->platform_info;
	const uint8_t *un =
		(const uint8_t *)pi + offsetof(struct wd_platform_info, x86);
	const struct wd_iommu *u;
	unsigned int i;
	char name[16];

	if (all_zero(pi, sizeof(*pi)))
		return;
	gap(o);
	open_node(o, "platform");
	emit_props(o, platform_props, pi, 0, 0, NULL, NULL);
	for (i = 0; i < WD_MAX_IOMMU_UNITS; i++) {
		u = (const struct wd_iommu *)((const uint8_t *)pi +
					      offsetof(struct wd_platform_info,
						       iommu_units) +
					      i * sizeof(*u));
		snprintf(name, sizeof(name), "iommu@%u", i);
		emit_struct(o, name, iommu_props, u, sizeof(*u),
			    field_get(u, 0, 4) == WD_IOMMU_PVU ? P_AMD : P_PVU);
	}
	if (sys->architecture == WD_ARCH_X86)
		emit_struct(o, "x86", x86_props, un,
			    sizeof(struct wd_platform_arm), 0);
	else
		emit_struct(o, "arm", arm_props, un,
			    sizeof(struct wd_platform_arm), 0);
	close_node(o);
}

static bool sys_special(struct out *o, const struct prop *e, const void *base,
			const void *arg)
{
	(void)base;
	(void)arg;
	if (strcmp(e->name, "compatible"))
		return false;
	indent(o);
	fprintf(o->f, "compatible = \"warden,system\";\n");
	return true;
}

static void emit_header(FILE *f, const struct cellcfg *c, const char *source)
{
	const char *arch = name_of(arch_names, c->cell.architecture);

	if (c->is_system)
		arch = name_of(arch_names, c->sys.architecture);
	fprintf(f, "/dts-v1/;\n\n/*\n * %s config",
		c->is_system ? "System" : "Cell");
	if (clean_name(&c->cell))
		fprintf(f, " \"%.31s\"", c->cell.name);
	if (arch)
		fprintf(f, " (%s)", arch);
	if (source)
		fprintf(f, ", dumped from %s", source);
	fprintf(f, ".\n * Compile with: warden-config compile THIS.dts "
		   "-o OUT.cell\n * The binding is documented in "
		   "docs/config.md.\n */\n\n");
}

int dts_dump(const struct cellcfg *c, const char *source, FILE *f)
{
	struct out o = { f, 0, true };
	int rc = 0;

	emit_header(f, c, source);
	open_node(&o, "/");
	if (c->is_system) {
		emit_props(&o, sys_props, &c->sys, 0, 0, sys_special, NULL);
		emit_struct(&o, "hypervisor-memory", hv_mem_props,
			    &c->sys.hypervisor_memory,
			    sizeof(c->sys.hypervisor_memory), 0);
		emit_struct(&o, "debug-console", console_props,
			    &c->sys.debug_console, sizeof(c->sys.debug_console),
			    0);
		emit_platform(&o, &c->sys);
		gap(&o);
		open_node(&o, "root-cell");
		rc = emit_cell(&o, c, P_ROOTCELL);
		close_node(&o);
	} else {
		rc = emit_cell(&o, c, P_CELLCFG);
	}
	close_node(&o);
	return rc || ferror(f) ? -1 : 0;
}

static int dump_usage(FILE *f, int status)
{
	fprintf(f,
		"usage: warden-config dump FILE.cell [-o OUT.dts]\n"
		"\n"
		"Write a binary system or cell config (warden or Jailhouse\n"
		"revision 14) as DTS source in the binding of docs/config.md.\n"
		"Compiling the result gives back FILE.cell byte for byte.\n"
		"\n"
		"  -o OUT.dts    write to OUT.dts (default: stdout)\n"
		"  -h, --help    this text\n"
		"\n"
		"Exit status: 0 written, 1 error (the file does not read as a\n"
		"config, or cannot be written), 2 usage.\n"
		"\n"
		"Example:\n"
		"  build/release/warden-config dump "
		"build/configs/sim-x86/tiny.cell\n");
	return status;
}

int cmd_dump(int argc, char **argv)
{
	const char *in = NULL, *outpath = NULL;
	struct cellcfg c;
	char err[512];
	FILE *f = stdout;
	uint8_t *buf;
	size_t len;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return dump_usage(stdout, 0);
		if (!strcmp(argv[i], "-o")) {
			if (i + 1 == argc)
				return usage_error("dump",
						   "-o needs a file name");
			outpath = argv[++i];
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("dump", "unknown option '%s'",
					   argv[i]);
		} else if (in) {
			return usage_error("dump",
					   "one input only (also got '%s')",
					   argv[i]);
		} else {
			in = argv[i];
		}
	}
	if (!in)
		return usage_error("dump", "missing the input, FILE.cell");
	buf = read_file(in, &len);
	if (!buf) {
		fprintf(stderr, "warden-config: %s: cannot read: %s\n", in,
			strerror(errno));
		return 1;
	}
	rc = cellcfg_decode(buf, len, &c, err, sizeof(err));
	free(buf);
	if (rc) {
		fprintf(stderr, "warden-config: %s: %s\n", in, err);
		return 1;
	}
	if (c.trailing)
		fprintf(stderr,
			"warden-config: %s: warning: %zu bytes past the "
			"declared size ignored\n",
			in, c.trailing);
	if (outpath && !(f = fopen(outpath, "w"))) {
		fprintf(stderr, "warden-config: %s: cannot write: %s\n",
			outpath, strerror(errno));
		cellcfg_free(&c);
		return 1;
	}
	rc = dts_dump(&c, in, f);
	cellcfg_free(&c);
	if (f != stdout && fclose(f))
		rc = -1;
	if (rc) {
		fprintf(stderr, "warden-config: %s: cannot write\n",
			outpath ? outpath : "stdout");
		return 1;
	}
	return 0;
}
