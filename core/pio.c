/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Port I/O access control (x86 backends). Each cell has an 8 KiB bitmap in
 * the VT-x/SVM convention: a set bit makes the port trap, i.e. denies it.
 * Ports a non-root cell owns are taken away from the root cell while the
 * cell exists.
 */
#include "core.h"

#define PIO_BITMAP_PAGES 2 /* 65536 ports, one bit each */

/* Apply @cfg's PIO ranges to @bm: allow them (or deny them). */
static void apply_ranges(uint8_t *bm, const struct wd_cell_desc *cfg, bool deny)
{
	const struct wd_pio *pio = wd_cell_pio(cfg);
	unsigned int i, port;

	for (i = 0; i < cfg->num_pio_regions; i++)
		for (port = pio[i].base;
		     port < (unsigned int)pio[i].base + pio[i].length; port++)
			if (deny)
				bm[port / 8] |= (uint8_t)(1U << (port % 8));
			else
				bm[port / 8] &= (uint8_t) ~(1U << (port % 8));
}

/* The first port of [@port, @port+@size) @cell may not use, or -1. */
static long pio_denied(const struct cell *cell, unsigned int port,
		       unsigned int size)
{
	unsigned int p;

	for (p = port; p < port + size; p++)
		if (p > 0xffff || (cell->pio_bitmap[p / 8] >> (p % 8)) & 1)
			return p;
	return -1;
}

struct check_result pio_check_claim(const struct wd_cell_desc *cfg)
{
	const struct wd_pio *pio = wd_cell_pio(cfg);
	unsigned int i;
	long port;

	/* Root's bitmap allows exactly what it owns and no other cell has. */
	for (i = 0; i < cfg->num_pio_regions; i++) {
		port = pio_denied(root_cell, pio[i].base, pio[i].length);
		if (port >= 0)
			return (struct check_result){ WD_R_pio_not_in_root,
						      (uint64_t)port,
						      WD_EBUSY };
	}
	return (struct check_result){ WD_R_none, 0, 0 };
}

int pio_cell_init(struct cell *cell)
{
	cell->pio_bitmap = core_page_alloc(PIO_BITMAP_PAGES);
	if (!cell->pio_bitmap)
		return reject(cell, WD_R_no_memory, PIO_BITMAP_PAGES,
			      WD_ENOMEM);
	wd_memset(cell->pio_bitmap, 0xff, PIO_BITMAP_PAGES * WD_PAGE_SIZE);
	apply_ranges(cell->pio_bitmap, cell->config, false);
	if (cell != root_cell)
		apply_ranges(root_cell->pio_bitmap, cell->config, true);
	return 0;
}

void pio_cell_exit(struct cell *cell)
{
	if (!cell->pio_bitmap)
		return;
	/* Its ports back to the root cell: they were the root's own, and no
	 * other cell's (pio_check_claim), and no other cell took them since. */
	if (cell != root_cell)
		apply_ranges(root_cell->pio_bitmap, cell->config, false);
	core_page_free(cell->pio_bitmap, PIO_BITMAP_PAGES);
	cell->pio_bitmap = NULL;
}

/*
 * PCI configuration mechanism #1 (x86), the same policy as the ECAM's:
 * no config grants ports 0xcf8-0xcff (config.c), so they always trap. A
 * 32-bit access at 0xcf8 is the address register, one per cell as the
 * host bridge has one per machine (the cell's OS serialises its CPUs'
 * uses of it; no other cell, and no next owner of a CPU, sees it). Data
 * accesses within 0xcfc-0xcff go to pci_cfg_access() at the function's
 * ECAM address. Other accesses touching 0xcf8 or 0xcfc-0xcff are refused;
 * 0xcf9-0xcfb alone (reset control) stay ordinary ports, never granted.
 */
static enum access_result cfg_port_access(struct cell *cell,
					  struct pio_access *acc)
{
	const struct wd_platform_info *p = &core_system_config()->platform_info;
	uint64_t item = (uint64_t)acc->size << 16 | acc->port;
	uint32_t a = cell->pci_addr;
	struct mmio_access m = { .address = p->pci_mmconfig_base +
					    ((a >> 8 & 0xffff) << 12) +
					    (a & 0xfc) + (acc->port & 3),
				 .size = acc->size,
				 .is_write = acc->is_write,
				 .value = acc->value };
	enum access_result res;

	if (acc->port == PCI_CFG_PORTS && acc->size == 4) {
		if (acc->is_write)
			cell->pci_addr = acc->value;
		else
			acc->value = a;
		return ACCESS_EMULATED;
	}
	/* Touching 0xcf8 otherwise, or beyond 0xcfc-0xcff. */
	if (acc->port < PCI_CFG_PORTS + 4 || acc->port + acc->size > 0xd00)
		return cell_fail(cell,
				 acc->port <= PCI_CFG_PORTS ?
					 WD_R_pci_addr_port :
					 WD_R_pci_data_port,
				 item);
	/* Disabled (bit 31 clear) or a bus the ECAM has not: no function. */
	if (!(a >> 31) || (a >> 16 & 0xff) > p->pci_mmconfig_end_bus) {
		if (acc->is_write)
			return cell_fail(cell, WD_R_pci_no_function, a);
		acc->value = 0xffffffffU >> (32 - 8 * acc->size);
		return ACCESS_EMULATED;
	}
	res = pci_cfg_access(NULL, cell, &m);
	acc->value = (uint32_t)m.value;
	return res;
}

enum access_result CORE_ENTRY(core_pio)(struct pio_access *acc)
{
	struct cell *cell = trap_enter(WD_CPU_STAT_VMEXITS_PIO);

	if (!cell)
		return ACCESS_DENIED;
	if (ranges_overlap(acc->port, acc->size, PCI_CFG_PORTS, 1) ||
	    ranges_overlap(acc->port, acc->size, PCI_CFG_PORTS + 4, 4))
		return cfg_port_access(cell, acc);
	if ((acc->size == 1 || acc->size == 2 || acc->size == 4) &&
	    pio_denied(cell, acc->port, acc->size) < 0) {
		hal_pio_access(acc);
		return ACCESS_FORWARDED;
	}
	return cell_fail(cell, WD_R_pio_denied, acc->port);
}
