/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Note (helper A): implemented in tools/cellcfg.c, interface unchanged.
 * node[CFG_CPUS] stays NULL from decode and from tools/dts.c; if someone
 * sets it, it has one entry per CPU id (cell.cpu_set_size * 8) and
 * cellcfg_free() frees that many. Decode leaves node[] NULL; compile fills
 * node[kind][i] with full DTS paths ("/memory/ram@0") and root_node = "/".
 *
 * warden-config's model of one config (system or cell): the header plus
 * each variable array, decoded from or encoded to the binary layout of
 * include/warden/cell_config.h (Jailhouse revision 14). Items may carry the
 * DTS node path they came from, so messages can name it.
 */
#ifndef WARDEN_TOOLS_CELLCFG_H
#define WARDEN_TOOLS_CELLCFG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <warden/cell_config.h>

enum cellcfg_kind {
	CFG_CPUS,    /* the CPU set (one item per set bit) */
	CFG_MEM,     /* struct wd_memory */
	CFG_CACHE,   /* struct wd_cache */
	CFG_IRQCHIP, /* struct wd_irqchip */
	CFG_PIO,     /* struct wd_pio */
	CFG_PCI,     /* struct wd_pci_device */
	CFG_CAP,     /* struct wd_pci_capability */
	CFG_STREAM,  /* uint32_t stream id */
	CFG_KINDS
};

struct cellcfg {
	bool is_system;
	/* System header; for systems, sys.root_cell is the cell header. */
	struct wd_system sys;
	/* Cell header: for systems a copy of sys.root_cell, kept in sync by
	 * cellcfg_encode(). Counts in it are ignored: the arrays rule. */
	struct wd_cell_desc cell;
	uint8_t *cpu_set; /* cell.cpu_set_size bytes */
	struct wd_memory *mem;
	struct wd_cache *cache;
	struct wd_irqchip *irq;
	struct wd_pio *pio;
	struct wd_pci_device *pci;
	struct wd_pci_capability *caps;
	uint32_t *stream_ids;
	unsigned int num[CFG_KINDS]; /* entries of each array (CPUS unused) */
	/* Optional DTS node path of each item (NULL entries: unknown). */
	char **node[CFG_KINDS];
	char *root_node;  /* node of the header itself, usually "/" */
	const char *file; /* where it came from, for messages */
	size_t trailing;  /* bytes after the declared size (decode only) */
};

/*
 * Decode @len bytes. Returns 0, or -1 with a precise message in @err (e.g.
 * "truncated: header says 1234 bytes, file has 1200", "wrong signature
 * 'JHSYT' (expected JHSYS or JHCLL)", "revision 13, expected 14",
 * "memory region count 100000 points past the end of the file"). Bytes
 * past the size the header declares are ignored, as Jailhouse ignores
 * them; their count is left in out->trailing (check warns about them).
 */
int cellcfg_decode(const void *buf, size_t len, struct cellcfg *out, char *err,
		   size_t errlen);

/* Encode to a malloc'd buffer (*out), returning its size; counts and
 * cpu_set_size are taken from the arrays. Returns 0 on allocation error. */
size_t cellcfg_encode(const struct cellcfg *c, uint8_t **out);

/* Human name of item @idx of @kind: its DTS node path when known, else
 * e.g. "memory region 3" / "PCI device 1". Returns @buf. */
const char *cellcfg_item_name(const struct cellcfg *c, enum cellcfg_kind kind,
			      unsigned int idx, char *buf, size_t len);

/* Is CPU @cpu in the set? */
bool cellcfg_has_cpu(const struct cellcfg *c, unsigned int cpu);

void cellcfg_free(struct cellcfg *c);

/* Print a message into @err (when given) like snprintf; returns -1, the
 * readers' error result. */
int cellcfg_fail(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* !WARDEN_TOOLS_CELLCFG_H */
