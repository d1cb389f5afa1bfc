// SPDX-License-Identifier: GPL-2.0
/*
 * x86 interrupt messages of a cell (msi.h). Without interrupt remapping a
 * device writes its message straight to the APICs: whatever the cell puts
 * into its device's MSI capability or MSI-X table is what the machine
 * delivers, so the message itself must keep to the cell's CPUs.
 *
 * Vectors below 32 are refused: 0-15 are illegal for the APIC (it drops
 * them and flags a receive error in the destination's ESR) and 16-31 are
 * the exception vectors the architecture reserves; an interrupt there
 * enters the guest's exception handler without the error code some of
 * them pop. NMI, SMI and INIT would reach past the guest: the backends
 * take NMIs and INITs for the hypervisor's own events (arch-amd/svm.c).
 */
#include "msi.h"
#include "msr.h"

enum wd_reason x86_irq_dest_check(const struct cell *cell, uint32_t dest,
				  bool logical, unsigned int delivery,
				  unsigned int vector,
				  const enum wd_reason *why)
{
	uint64_t m = x86_apic_logical(dest);

	if (logical && !m)
		return why[0];
	if (logical ? (m & ~core_cell_cpus(cell).bits) != 0 :
		      dest >= WD_MAX_CPUS ||
			      core_cpu_cell((unsigned int)dest) != cell)
		return why[1];
	if (delivery > 1)
		return why[2];
	if (vector < 32)
		return why[3];
	return WD_R_none;
}

enum wd_reason x86_msi_check(const struct cell *cell, uint64_t address,
			     uint32_t data, struct msi_route *route)
{
	static const enum wd_reason why[] = { WD_R_msi_address,
					      WD_R_msi_cpu_foreign,
					      WD_R_msi_delivery,
					      WD_R_msi_vector };
	uint32_t dest = (uint32_t)(address >> MSI_ADDR_DEST_SHIFT) & 0xff;
	enum wd_reason r;

	if ((address & ~0xff000ULL & ~(uint64_t)MSI_ADDR_DM) != MSI_ADDR_BASE)
		return WD_R_msi_address;
	if (data & ~(0x7ffU | MSI_DATA_LEVEL))
		return WD_R_msi_delivery;
	r = x86_irq_dest_check(cell, dest, address & MSI_ADDR_DM,
			       (data >> 8) & 7, data & 0xff, why);
	if (r != WD_R_none)
		return r;
	if (address & MSI_ADDR_DM) /* its first CPU */
		dest = (uint32_t)__builtin_ctzll(x86_apic_logical(dest));
	route->cpu = dest;
	route->irq = data & 0xff;
	return WD_R_none;
}
