// SPDX-License-Identifier: GPL-2.0
/*
 * The HAL hooks and exit-layer mechanism both x86 hardware backends share
 * (hal.h): a cell's nested tables, port bitmap and IOAPIC view, the
 * configuration commit, interrupt injection, CPU init and DISABLE, and the struct x86_exit_ops
 * members that do not depend on the VMCB or VMCS. The backend gives its
 * table format, leaf sizes and port-bitmap pages (x86_cell_create()) and
 * flushes its cells' translations when x86_tlb_generation moves.
 */
#include "hal.h"
#include "../hal/hal.h"
#include "handover.h"
#include "iommu.h"
#include "ioapic.h"
#include "x86.h"

uint64_t x86_tlb_generation;

static void cell_free(struct x86_cell *xc)
{
	x86_pt_destroy(&xc->pt);
	x86_pt_destroy(&xc->dma);
	core_page_free(xc->io, xc->io_pages); /* NULL: nothing */
	core_page_free(xc, 1);
}

int x86_cell_create(struct cell *cell, const struct x86_pt_format *fmt,
		    unsigned int sizes, unsigned int io_pages)
{
	const struct wd_platform_info *p = &core_system_config()->platform_info;
	struct wd_comm_region *comm = core_cell_comm(cell);
	struct x86_cell *xc = core_page_alloc(1);
	int err;

	if (!xc)
		return -WD_ENOMEM;
	/* The cell ids tell the live cells apart: so do their ASIDs. */
	*xc = (struct x86_cell){ .asid = core_cell_id(cell) + 1,
				 .io_pages = io_pages };
	xc->io = core_page_alloc(io_pages);
	err = xc->io ? x86_pt_init(&xc->pt, fmt, sizes) : -WD_ENOMEM;
	if (!err && x86_iommu_format())
		err = x86_pt_init(&xc->dma, x86_iommu_format(), 0);
	/* Enable: the IOMMU units, once the root cell's domain exists. */
	if (!err && !core_cell_id(cell))
		err = x86_iommu_init(cell);
	if (err) {
		cell_free(xc);
		return err;
	}
	/* Every port exits until the first commit copies the core's bits;
	 * pages past them (AMD-V's third: accesses running past port
	 * 0xffff) stay so. */
	memset(xc->io, 0xff, io_pages * 4096);
	core_cell_set_arch(cell, xc);
	x86_ioapic_cell_create(cell);
	/* The comm region is set up before (hal/core.h). */
	comm->x86.pm_timer_address = p->x86.pm_timer_address;
	comm->x86.num_cpus =
		(uint16_t)__builtin_popcountll(core_cell_cpus(cell).bits);
	comm->x86.tsc_khz = p->x86.tsc_khz ?: (uint32_t)x86_tsc_khz;
	comm->x86.apic_khz = p->x86.apic_khz ?: (uint32_t)x86_apic_khz;
	return 0;
}

void hal_cell_destroy(struct cell *cell)
{
	struct x86_cell *xc = core_cell_arch(cell);

	if (!xc)
		return;
	if (!core_cell_id(cell)) { /* DISABLE: the units stop first */
		x86_iommu_exit();
		x86_image_check(); /* vtd10: setup.c */
	}
	cell_free(xc);
	core_cell_set_arch(cell, NULL);
}

void hal_config_commit(struct cell *changed)
{
	unsigned int id;

	(void)changed;
	/* Port permissions: the core's bitmaps (one bit a port, set = exit:
	 * the layout of AMD-V's IOPM and of VT-x's I/O bitmaps A and B);
	 * the owners' CPUs are held meanwhile. */
	for (id = 0; id < WD_MAX_CELLS; id++) {
		struct cell *cell = core_cell_by_id(id);
		struct x86_cell *xc = cell ? core_cell_arch(cell) : NULL;

		if (xc && core_cell_pio_bitmap(cell))
			memcpy(xc->io, core_cell_pio_bitmap(cell), 8192);
	}
	/* IOAPIC pins that changed owner: masked, nothing of the old
	 * owner's entry left for the new one. */
	x86_ioapic_commit();
	x86_iommu_flush();
	/* Every CPU flushes its translations (AMD-V: all ASIDs; VT-x: EPT
	 * and VPID) at its next entry. The cells whose tables changed run on
	 * CPUs that are suspended or parked now, so they all pass an entry
	 * before they use the new tables. */
	__atomic_add_fetch(&x86_tlb_generation, 1, __ATOMIC_SEQ_CST);
}

bool hal_irq_assignable(const struct wd_irqchip *chip, unsigned int pin)
{
	(void)chip;
	(void)pin;
	return true; /* the hypervisor uses no IOAPIC pin */
}

void hal_inject_irq(unsigned int cpu, unsigned int irq)
{
	/* An ivshmem MSI-X vector: a fixed IPI, taken by the guest directly. */
	if (cpu < X86_MAX_CPUS && irq >= 16 && irq < 256)
		x86_lapic->send_ipi(cpu, APIC_DM_FIXED | irq);
}

int hal_cpu_init(struct per_cpu *cpu)
{
	return core_cpu_id(cpu) == hal_cpu_id() ? 0 : -WD_EINVAL;
}

/*
 * DISABLE. This CPU: it leaves SVM/VMX when its DISABLE hypercall returns
 * and the root continues natively (the backend's native_resume()). A
 * parked CPU leaves SVM/VMX and waits for INIT/SIPI (VMX root operation
 * blocks INIT): the INIT is sent once it is off.
 */
void hal_cpu_exit(struct per_cpu *cpu)
{
	unsigned int id = core_cpu_id(cpu);
	struct x86_cpu *t = x86_cpu(id);

	if (id == hal_cpu_id()) {
		t->native_exit = true;
		return;
	}
	if (t->state != CPU_WAITING)
		return;
	__atomic_store_n(&t->exit_req, 1, __ATOMIC_SEQ_CST);
	if (x86_await_answer(id, &t->state, CPU_WAITING, NULL))
		core_printk("warden: CPU %u did not leave for DISABLE\n", id);
	x86_lapic->send_ipi(id, APIC_DM_INIT); /* wait-for-SIPI, natively */
}

/* ---- exit layer mechanism (struct x86_exit_ops) ---- */

int x86_op_read_gpa(void *ctx, uint64_t addr, void *dst, unsigned int len)
{
	struct cell *cell = core_cpu_cell(hal_cpu_id());

	(void)ctx;
	return hal_copy_from_guest(cell, gpa(addr), dst, len) ? -1 : 0;
}

void x86_op_cpuid(void *ctx, uint32_t leaf, uint32_t sub, struct x86_cpuid *r)
{
	uint32_t v[4];

	(void)ctx;
	cpuid(leaf, sub, v);
	*r = (struct x86_cpuid){ v[0], v[1], v[2], v[3] };
}

uint64_t x86_op_tsc(void *ctx)
{
	(void)ctx;
	return rdtsc() + X86_HANDOVER_TSC_OFFSET;
}

void x86_op_send_ipi(void *ctx, unsigned int cpu, enum ipi_kind kind,
		     uint8_t vector)
{
	(void)ctx;
	/* INIT: the target waits for its SIPI, which core_cpu_on() turns
	 * into hal_cpu_reset(); a running target is left alone. */
	if (kind == IPI_FIXED)
		x86_lapic->send_ipi(cpu, APIC_DM_FIXED | vector);
}
