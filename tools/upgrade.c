// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config upgrade OLD.cell -o NEW.cell [--arch x86|arm|arm64]:
 * Jailhouse revision 12 and 13 configs (v0.12 and its successors) to
 * revision 14, for users who have only the binary. The layouts of the
 * three revisions are in tools/upgrade.h.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include <warden/cell_config.h>

#include "tools/cellcfg.h"
#include "tools/commands.h"
#include "tools/dts.h"
#include "tools/upgrade.h"

/* Offsets shared by revisions 12 to 14 (before the platform union). */
#define OLD_SIG_LEN 6
#define REV_OFF 6
#define PCI_INFO_OFF 76
#define OLD_UNION_OFF 88 /* revision 12: union right after pci_domain */
#define IOMMUS_LEN (WD_MAX_IOMMU_UNITS * sizeof(struct wd_iommu))
#define R12_UNION_LEN (2 + 40 + IOMMUS_LEN) /* the ARM part, the larger */
#define R12_ROOT (OLD_UNION_OFF + R12_UNION_LEN)
#define R13_UNION_OFF (OLD_UNION_OFF + IOMMUS_LEN)
#define R13_ROOT (R13_UNION_OFF + sizeof(struct wd_platform_arm))
#define NEW_ROOT offsetof(struct wd_system, root_cell)

_Static_assert(R12_ROOT == 354, "revision 12 root cell offset");
_Static_assert(R13_ROOT == 356 && NEW_ROOT == 356, "root cell offset");

static uint64_t rd(const uint8_t *p, unsigned int n)
{
	uint64_t v = 0;

	while (n--)
		v = v << 8 | p[n];
	return v;
}

static const char *arch_name(unsigned int arch)
{
	return arch == WD_ARCH_X86 ? "x86" :
	       arch == WD_ARCH_ARM ? "arm" :
				     "arm64";
}

/*
 * The architecture of an old system config, from its platform fields: an
 * IOMMU of one family's kinds decides; else a GIC version 2 or 3 with a
 * page-aligned distributor base means ARM (an x86 union never looks so
 * at those bytes in practice), anything else x86.
 */
static unsigned int infer_system_arch(const uint8_t *in, unsigned int rev)
{
	/* Where the IOMMU units are, read as x86 and as ARM. */
	size_t x86_iommus = rev == 12 ? OLD_UNION_OFF + 18 : OLD_UNION_OFF;
	size_t arm_iommus = rev == 12 ? OLD_UNION_OFF + 42 : OLD_UNION_OFF;
	size_t un = rev == 12 ? OLD_UNION_OFF : R13_UNION_OFF;
	uint64_t gicd = rd(in + un + (rev == 12 ? 2 : 4), 8);
	uint32_t type;
	unsigned int i;

	for (i = 0; i < WD_MAX_IOMMU_UNITS; i++) {
		type = (uint32_t)rd(
			in + x86_iommus + i * sizeof(struct wd_iommu), 4);
		if (type == WD_IOMMU_AMD || type == WD_IOMMU_INTEL)
			return WD_ARCH_X86;
		type = (uint32_t)rd(
			in + arm_iommus + i * sizeof(struct wd_iommu), 4);
		if (type >= WD_IOMMU_SMMUV3 && type <= WD_IOMMU_ARM_MMU500)
			return WD_ARCH_ARM;
	}
	if ((in[un + 1] == 2 || in[un + 1] == 3) && gicd && !(gicd & 0xfff))
		return WD_ARCH_ARM;
	return WD_ARCH_X86;
}

/* A cell says little of its architecture: ports or an IOAPIC mean x86. */
static bool cell_looks_x86(const struct wd_cell_desc *c, const uint8_t *cfg)
{
	size_t off = sizeof(*c) + c->cpu_set_size +
		     (size_t)c->num_memory_regions * sizeof(struct wd_memory) +
		     (size_t)c->num_cache_regions * sizeof(struct wd_cache);
	struct wd_irqchip chip;
	unsigned int i;

	if (c->num_pio_regions)
		return true;
	for (i = 0; i < c->num_irqchips; i++) {
		memcpy(&chip, cfg + off + i * sizeof(chip), sizeof(chip));
		if (chip.address == 0xfec00000)
			return true;
	}
	return false;
}

/* Revision 12 x86/ARM union at @u into the revision 14 one at @n. */
static void convert_r12_union(const uint8_t *u, uint8_t *n, unsigned int arch)
{
	if (arch == WD_ARCH_X86) {
		memcpy(n, u, 2);	  /* pm_timer_address */
		n[2] = u[6];		  /* apic_mode */
		memcpy(n + 4, u + 2, 4);  /* vtd_interrupt_limit */
		memcpy(n + 8, u + 10, 8); /* tsc_khz, apic_khz */
	} else {
		n[0] = u[0];		  /* maintenance_irq */
		n[1] = u[1];		  /* gic_version */
		memcpy(n + 4, u + 2, 40); /* the five GIC bases */
	}
}

/* Flag 0x0100 meant IO_UNALIGNED in early revision 12 files. */
static void note_flag_0100(const struct wd_cell_desc *c, const uint8_t *mem,
			   FILE *notes)
{
	struct wd_memory m;
	unsigned int i;

	for (i = 0; i < c->num_memory_regions; i++) {
		memcpy(&m, mem + i * sizeof(m), sizeof(m));
		if (m.flags & WD_MEM_NO_HUGEPAGES && notes)
			fprintf(notes,
				"memory region %u has flag 0x0100: kept as "
				"NO_HUGEPAGES; Jailhouse revision 12 files "
				"written before that flag existed meant "
				"IO_UNALIGNED (now 0x8000) by it\n",
				i);
	}
}

int upgrade_config(const uint8_t *in, size_t len, unsigned int arch,
		   uint8_t **out, size_t *outlen, FILE *notes, char *err,
		   size_t errlen)
{
	bool sys = len >= OLD_SIG_LEN && !memcmp(in, "JHSYST", OLD_SIG_LEN);
	size_t old_root, new_root, hdr;
	struct wd_cell_desc cell;
	unsigned int rev;
	uint64_t body;
	uint8_t *n;

	if (!sys && (len < OLD_SIG_LEN || memcmp(in, "JHCELL", OLD_SIG_LEN)))
		return cellcfg_fail(
			err, errlen,
			"not a Jailhouse config of revision 12 or 13 "
			"(signature 'JHSYST' or 'JHCELL' expected)");
	if (len < 8)
		return cellcfg_fail(err, errlen, "truncated: %zu bytes", len);
	rev = (unsigned int)rd(in + REV_OFF, 2);
	if (rev != 12 && rev != 13)
		return cellcfg_fail(
			err, errlen,
			"revision %u: upgrade converts revisions 12 and "
			"13",
			rev);
	old_root = sys ? (rev == 12 ? R12_ROOT : R13_ROOT) : 0;
	new_root = sys ? NEW_ROOT : 0;
	hdr = old_root + sizeof(struct wd_cell_desc);
	if (len < hdr)
		return cellcfg_fail(
			err, errlen,
			"truncated: %zu bytes, shorter than the %zu-byte "
			"revision %u %s header",
			len, hdr, rev, sys ? "system" : "cell");
	memcpy(&cell, in + old_root, sizeof(cell));
	body = wd_cell_config_size(&cell);
	if (len - old_root < body)
		return cellcfg_fail(
			err, errlen,
			"truncated: the header says %llu bytes, the file "
			"has %zu",
			(unsigned long long)(old_root + body), len);
	if (arch == UPGRADE_ARCH_INFER) {
		if (sys)
			arch = infer_system_arch(in, rev);
		else if (cell_looks_x86(&cell, in))
			arch = WD_ARCH_X86;
		else
			return cellcfg_fail(
				err, errlen,
				"a revision %u cell config does not say "
				"its architecture: give --arch x86, arm "
				"or arm64",
				rev);
		if (notes)
			fprintf(notes, "architecture %s (inferred%s)\n",
				arch_name(arch),
				arch == WD_ARCH_ARM ? "; --arch arm64 for a "
						      "64-bit board" :
						      "");
	}
	*outlen = new_root + (size_t)body;
	n = calloc(1, *outlen);
	if (!n)
		return cellcfg_fail(err, errlen, "out of memory");
	memcpy(n, sys ? WD_SYSTEM_SIGNATURE : WD_CELL_SIGNATURE,
	       WD_SIGNATURE_LEN);
	n[WD_SIGNATURE_LEN] = (uint8_t)arch;
	n[REV_OFF] = WD_CONFIG_REVISION;
	if (sys) {
		/* flags, hypervisor memory, console, PCI fields: in place. */
		memcpy(n + 8, in + 8, PCI_INFO_OFF + 12 - 8);
		if (rev == 13) {
			memcpy(n + OLD_UNION_OFF, in + OLD_UNION_OFF,
			       IOMMUS_LEN + sizeof(struct wd_platform_arm));
		} else {
			memcpy(n + OLD_UNION_OFF,
			       in + OLD_UNION_OFF +
				       (arch == WD_ARCH_X86 ? 18 : 42),
			       IOMMUS_LEN);
			convert_r12_union(in + OLD_UNION_OFF, n + R13_UNION_OFF,
					  arch);
		}
		memcpy(n + new_root, in + old_root, (size_t)body);
	} else {
		/* The cell header after the signature and revision. */
		memcpy(n + 8, in + 8, (size_t)body - 8);
	}
	if (rev == 12)
		note_flag_0100(&cell,
			       in + old_root + sizeof(cell) + cell.cpu_set_size,
			       notes);
	*out = n;
	return 0;
}

static int usage(FILE *f, int status)
{
	fprintf(f,
		"usage: warden-config upgrade OLD.cell -o NEW.cell "
		"[--arch x86|arm|arm64]\n"
		"\n"
		"Convert a Jailhouse config of revision 12 or 13 (signature\n"
		"JHSYST/JHCELL, Jailhouse v0.12 and its successors) to\n"
		"revision 14, the one warden reads. A system config's\n"
		"architecture is inferred from its platform fields; a cell\n"
		"config's needs --arch unless it has ports or an IOAPIC.\n"
		"What the conversion changes is printed on stderr.\n"
		"\n"
		"  -o NEW.cell    the output file (required)\n"
		"  --arch A       the architecture of a cell config: x86, arm\n"
		"                 or arm64\n"
		"  -h, --help     this text\n"
		"\n"
		"Exit status: 0 converted (the result reads back as revision\n"
		"14), 1 error, 2 usage.\n"
		"\n"
		"Example:\n"
		"  build/release/warden-config upgrade linux-x86.cell -o "
		"linux-x86-r14.cell\n");
	return status;
}

static int parse_arch(const char *s, unsigned int *arch)
{
	if (!strcmp(s, "x86"))
		*arch = WD_ARCH_X86;
	else if (!strcmp(s, "arm"))
		*arch = WD_ARCH_ARM;
	else if (!strcmp(s, "arm64"))
		*arch = WD_ARCH_ARM64;
	else
		return -1;
	return 0;
}

/* The result must read back as a revision 14 config. */
static int verify(const uint8_t *buf, size_t len, char *err, size_t errlen)
{
	struct cellcfg c;
	char why[256];

	if (cellcfg_decode(buf, len, &c, why, sizeof(why)))
		return cellcfg_fail(err, errlen,
				    "converted config does not read: %s", why);
	cellcfg_free(&c);
	return 0;
}

int cmd_upgrade(int argc, char **argv)
{
	const char *in = NULL, *outpath = NULL;
	unsigned int arch = UPGRADE_ARCH_INFER;
	uint8_t *buf, *conv = NULL;
	size_t len, convlen = 0, size = 0;
	char err[256], *text = NULL, *line;
	FILE *f, *notes;
	int i, rc;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h"))
			return usage(stdout, 0);
		if (!strcmp(argv[i], "-o") || !strcmp(argv[i], "--arch")) {
			if (i + 1 == argc)
				return usage_error("upgrade",
						   "%s needs a value", argv[i]);
			if (argv[i][1] == 'o')
				outpath = argv[++i];
			else if (parse_arch(argv[++i], &arch))
				return usage_error("upgrade",
						   "--arch %s: unknown "
						   "architecture (x86, arm or "
						   "arm64)",
						   argv[i]);
		} else if (argv[i][0] == '-' && argv[i][1]) {
			return usage_error("upgrade", "unknown option '%s'",
					   argv[i]);
		} else if (in) {
			return usage_error("upgrade",
					   "one input only (also got '%s')",
					   argv[i]);
		} else {
			in = argv[i];
		}
	}
	if (!in)
		return usage_error("upgrade", "missing the input, OLD.cell");
	if (!outpath)
		return usage_error("upgrade", "missing -o NEW.cell");
	buf = read_file(in, &len);
	if (!buf) {
		fprintf(stderr, "warden-config: %s: cannot read: %s\n", in,
			strerror(errno));
		return 1;
	}
	notes = open_memstream(&text, &size);
	if (!notes) {
		free(buf);
		return 1;
	}
	rc = upgrade_config(buf, len, arch, &conv, &convlen, notes, err,
			    sizeof(err));
	free(buf);
	fclose(notes);
	for (line = strtok(text, "\n"); line; line = strtok(NULL, "\n"))
		fprintf(stderr, "warden-config: %s: %s\n", in, line);
	free(text);
	if (!rc)
		rc = verify(conv, convlen, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "warden-config: %s: %s\n", in, err);
		free(conv);
		return 1;
	}
	f = fopen(outpath, "wb");
	if (!f || fwrite(conv, 1, convlen, f) != convlen || fclose(f)) {
		fprintf(stderr, "warden-config: %s: cannot write: %s\n",
			outpath, strerror(errno));
		free(conv);
		return 1;
	}
	fprintf(stderr,
		"warden-config: %s: revision 14 config written to %s (%zu "
		"bytes)\n",
		in, outpath, convlen);
	free(conv);
	return 0;
}
