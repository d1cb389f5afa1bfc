/* SPDX-License-Identifier: GPL-2.0 */
/*
 * PCI config-space control through ECAM (core/pci.c). The test machine has
 * ECAM for bus 0 at T_ECAM; the root cell keeps 00:01.0 and "tiny" gets
 * 00:02.0 with an MSI capability (writable) at 0x50 and a PM capability
 * (read-only) at 0x40. The device hook plays the physical functions.
 */
#include <check.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

#define BDF_EMPTY 0x00ff     /* 00:1f.7: nobody's */
#define NIC_BAR0 0xfebf000cU /* 64-bit prefetchable memory BAR flags */

static uint64_t cfg_addr(uint16_t bdf, unsigned int reg)
{
	return T_ECAM + ((uint64_t)bdf << 12) + reg;
}

/* The physical side: what reached it, and what it answers. */
static uint32_t nic_bar0 = NIC_BAR0;

static struct {
	unsigned int calls;
	uint64_t addr;
	unsigned int size;
	bool is_write;
	uint64_t value;
} dev;

static void device_hook(void *arg, uint64_t addr, struct mmio_access *acc)
{
	(void)arg;
	dev.calls++;
	dev.addr = addr;
	dev.size = acc->size;
	dev.is_write = acc->is_write;
	if (acc->is_write) {
		dev.value = acc->value;
		return;
	}
	if (addr == cfg_addr(T_BDF_NIC, 0x10))
		acc->value = nic_bar0;
	else if ((addr & 0xfff) == 0)
		acc->value = 0x100e8086; /* vendor and device id */
	else
		acc->value = 0;
}

static long tiny_id;

static void setup(void)
{
	ck_assert_int_eq(fx_enable(NULL), 0);
	memset(&dev, 0, sizeof(dev));
	/* Before tiny exists: its BARs are read at creation. */
	sim_set_device_hook(device_hook, NULL);
	tiny_id = fx_tiny_running();
	ck_assert_int_eq(tiny_id, 1);
}

static void teardown(void)
{
	fx_teardown();
}

static long cell_state(long id)
{
	return hc(0, WD_HC_CELL_GET_STATE, (unsigned long)id, 0);
}

static enum access_result cfg_rw(unsigned int cpu, bool write, uint16_t bdf,
				 unsigned int reg, unsigned int size,
				 uint64_t *val)
{
	return fx_mmio(cpu, write, cfg_addr(bdf, reg), size, val);
}

/* An access from @cpu that the hypervisor answers itself: device untouched. */
static uint64_t expect_emulated(unsigned int cpu, bool write, uint16_t bdf,
				unsigned int reg, unsigned int size,
				uint64_t wval)
{
	unsigned int calls = dev.calls;
	uint64_t v = wval;

	ck_assert_msg(cfg_rw(cpu, write, bdf, reg, size, &v) == ACCESS_EMULATED,
		      "bdf 0x%x reg 0x%x size %u not emulated", bdf, reg, size);
	ck_assert_uint_eq(dev.calls, calls);
	return v;
}

/* An access from @cpu performed on the device exactly as asked. */
static uint64_t expect_forwarded(unsigned int cpu, bool write, uint16_t bdf,
				 unsigned int reg, unsigned int size,
				 uint64_t wval)
{
	unsigned int calls = dev.calls;
	uint64_t v = wval;

	ck_assert_msg(
		cfg_rw(cpu, write, bdf, reg, size, &v) == ACCESS_FORWARDED,
		"bdf 0x%x reg 0x%x size %u not forwarded", bdf, reg, size);
	ck_assert_uint_eq(dev.calls, calls + 1);
	ck_assert_uint_eq(dev.addr, cfg_addr(bdf, reg));
	ck_assert_uint_eq(dev.size, size);
	ck_assert_int_eq(dev.is_write, write);
	if (write)
		ck_assert_uint_eq(dev.value, wval);
	return v;
}

/* A denied access from tiny: reason, item, FAILED; then restart tiny. */
static void expect_tiny_denied(bool write, uint16_t bdf, unsigned int reg,
			       unsigned int size, unsigned int reason,
			       uint64_t item)
{
	unsigned int calls = dev.calls;
	uint64_t v = 0xffffffff;

	ck_assert_msg(cfg_rw(2, write, bdf, reg, size, &v) == ACCESS_DENIED,
		      "bdf 0x%x reg 0x%x size %u not denied", bdf, reg, size);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id), reason);
	ck_assert_uint_eq(fx_item((unsigned int)tiny_id), item);
	ck_assert_uint_eq(dev.calls, calls);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_FAILED);
	ck_assert(sim_cpu(2)->parked);
	ck_assert(!sim_machine_stopped());
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, (unsigned long)tiny_id, 0), 0);
}

/* ---- other cells' and absent functions ------------------------------------ */

START_TEST(foreign_function_reads_all_ones)
{
	static const uint16_t bdfs[] = { T_BDF_ROOT, BDF_EMPTY, 0x0018 };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bdfs); i++) {
		ck_assert_uint_eq(expect_emulated(2, false, bdfs[i], 0, 1, 0),
				  0xff);
		ck_assert_uint_eq(expect_emulated(2, false, bdfs[i], 2, 2, 0),
				  0xffff);
		ck_assert_uint_eq(expect_emulated(2, false, bdfs[i], 0x10, 4,
						  0),
				  0xffffffff);
	}
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
}
END_TEST

START_TEST(foreign_function_write_is_denied)
{
	expect_tiny_denied(true, T_BDF_ROOT, 0x04, 2, WD_R_pci_foreign,
			   T_BDF_ROOT);
	expect_tiny_denied(true, T_BDF_ROOT, 0x10, 4, WD_R_pci_foreign,
			   T_BDF_ROOT);
	expect_tiny_denied(true, BDF_EMPTY, 0x00, 1, WD_R_pci_foreign,
			   BDF_EMPTY);
}
END_TEST

/* ---- tiny's own function ---------------------------------------------------- */

START_TEST(own_id_read_is_forwarded)
{
	long pci = hc(0, WD_HC_CPU_GET_INFO, 2,
		      WD_CPU_INFO_STAT_BASE + WD_CPU_STAT_VMEXITS_PCI);

	ck_assert_uint_eq(expect_forwarded(2, false, T_BDF_NIC, 0, 4, 0),
			  0x100e8086);
	ck_assert_uint_eq(dev.addr, T_ECAM + (0x10 << 12));
	expect_forwarded(2, false, T_BDF_NIC, 0x08, 4, 0);
	expect_forwarded(2, false, T_BDF_NIC, 0x3d, 1, 0);
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 2,
			    WD_CPU_INFO_STAT_BASE + WD_CPU_STAT_VMEXITS_PCI),
			 pci + 3);
}
END_TEST

START_TEST(writable_header_registers_are_forwarded)
{
	expect_forwarded(2, true, T_BDF_NIC, 0x04, 2, 0x0006); /* command */
	expect_forwarded(2, true, T_BDF_NIC, 0x06, 2, 0xffff); /* status */
	expect_forwarded(2, true, T_BDF_NIC, 0x04, 4, 0xffff0006);
	expect_forwarded(2, true, T_BDF_NIC, 0x0c, 1, 0x10); /* cache line */
	expect_forwarded(2, true, T_BDF_NIC, 0x0d, 1, 0x40); /* latency */
	expect_forwarded(2, true, T_BDF_NIC, 0x0c, 2, 0x4010);
	expect_forwarded(2, true, T_BDF_NIC, 0x3c, 1, 0x0b); /* int line */
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
}
END_TEST

START_TEST(protected_header_writes_are_denied)
{
	uint64_t bdf = (uint64_t)T_BDF_NIC << 16;

	expect_tiny_denied(true, T_BDF_NIC, 0x00, 2, WD_R_pci_header_write,
			   bdf | 0x00); /* vendor id */
	expect_tiny_denied(true, T_BDF_NIC, 0x02, 2, WD_R_pci_header_write,
			   bdf | 0x02); /* device id */
	expect_tiny_denied(true, T_BDF_NIC, 0x08, 4, WD_R_pci_header_write,
			   bdf | 0x08); /* revision, class */
	expect_tiny_denied(true, T_BDF_NIC, 0x0e, 1, WD_R_pci_header_write,
			   bdf | 0x0e); /* header type */
	/* Cache line + latency are fine, header type + BIST are not. */
	expect_tiny_denied(true, T_BDF_NIC, 0x0c, 4, WD_R_pci_header_write,
			   bdf | 0x0c);
	expect_tiny_denied(true, T_BDF_NIC, 0x3d, 1, WD_R_pci_header_write,
			   bdf | 0x3d); /* interrupt pin */
	expect_tiny_denied(true, T_BDF_NIC, 0x3c, 4, WD_R_pci_header_write,
			   bdf | 0x3c);
	expect_tiny_denied(true, T_BDF_NIC, 0x34, 1, WD_R_pci_header_write,
			   bdf | 0x34); /* capability pointer */
}
END_TEST

START_TEST(bar_starts_at_physical_value)
{
	/* Read through the device hook when tiny was created. */
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x10, 4, 0),
			  NIC_BAR0);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x13, 1, 0),
			  0xfe);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x12, 2, 0),
			  0xfebf);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x10, 1, 0),
			  0x0c);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x14, 4, 0), 0);
}
END_TEST

START_TEST(bar_sizing_is_emulated)
{
	/* Sizing: all ones in, size mask plus the original flags out. */
	expect_emulated(2, true, T_BDF_NIC, 0x10, 4, 0xffffffff);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x10, 4, 0),
			  0xfffff000 | (NIC_BAR0 & 0xf));
	/* Restoring the address works; the physical BAR never moved. */
	expect_emulated(2, true, T_BDF_NIC, 0x10, 4, NIC_BAR0);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x10, 4, 0),
			  NIC_BAR0);
	/* Another address: only the masked bits change, flags stay. */
	expect_emulated(2, true, T_BDF_NIC, 0x10, 4, 0x12345673);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x10, 4, 0),
			  0x1234500c);
	/* Byte-wide writes touch only their lane. */
	expect_emulated(2, true, T_BDF_NIC, 0x13, 1, 0xab);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x10, 4, 0),
			  0xab34500c);
	/* BAR1 has an empty mask: nothing sticks. */
	expect_emulated(2, true, T_BDF_NIC, 0x14, 4, 0xffffffff);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x14, 4, 0), 0);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
}
END_TEST

START_TEST(bar_sizing_keeps_only_flag_bits)
{
	struct cfg c;

	/*
	 * The config says 64 KiB but the device sits at a 4 KiB boundary:
	 * address bits under the mask must not show in the sizing value.
	 */
	fx_respond((unsigned int)tiny_id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)tiny_id, 0),
			 0);
	nic_bar0 = 0xfebf100c;
	cfg_tiny(&c);
	c.pci[0].bar_mask[0] = 0xffff0000;
	ck_assert_int_eq(fx_create(&c), 1);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 1, 0), 0);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x10, 4, 0),
			  0xfebf100c);
	expect_emulated(2, true, T_BDF_NIC, 0x10, 4, 0xffffffff);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x10, 4, 0),
			  0xffff000c);
}
END_TEST

START_TEST(rom_bar_reads_zero)
{
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x30, 4, 0), 0);
	expect_emulated(2, true, T_BDF_NIC, 0x30, 4, 0xfffff801);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x30, 4, 0), 0);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x32, 2, 0), 0);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
}
END_TEST

START_TEST(capability_writes_follow_the_config)
{
	uint64_t bdf = (uint64_t)T_BDF_NIC << 16;

	uint64_t v = 0xfee02000;

	/* MSI at 0x50, 14 bytes, writable: shadowed (test_msi.c). */
	ck_assert_int_eq(cfg_rw(2, true, T_BDF_NIC, 0x54, 4, &v),
			 ACCESS_EMULATED);
	v = 0x0081;
	ck_assert_int_eq(cfg_rw(2, true, T_BDF_NIC, 0x52, 2, &v),
			 ACCESS_EMULATED);
	/* Its other bytes (here: the mask bits of a 32-bit MSI) go through. */
	expect_forwarded(2, true, T_BDF_NIC, 0x5c, 2, 0x4021); /* last 2 */
	/* Every capability reads through. */
	expect_forwarded(2, false, T_BDF_NIC, 0x44, 4, 0);
	expect_forwarded(2, false, T_BDF_NIC, 0x100, 4, 0);
	/* Past the end of MSI. */
	expect_tiny_denied(true, T_BDF_NIC, 0x5c, 4, WD_R_pci_cap_write,
			   bdf | 0x5c);
	/* PM at 0x40 is read-only. */
	expect_tiny_denied(true, T_BDF_NIC, 0x44, 2, WD_R_pci_cap_write,
			   bdf | 0x44);
	/* No capability listed there. */
	expect_tiny_denied(true, T_BDF_NIC, 0x80, 4, WD_R_pci_cap_write,
			   bdf | 0x80);
	expect_tiny_denied(true, T_BDF_NIC, 0x100, 4, WD_R_pci_cap_write,
			   bdf | 0x100);
	expect_tiny_denied(true, T_BDF_NIC, 0xffc, 4, WD_R_pci_cap_write,
			   bdf | 0xffc);
}
END_TEST

START_TEST(bad_size_or_alignment_is_denied)
{
	expect_tiny_denied(false, T_BDF_NIC, 0x02, 4, WD_R_pci_access_size,
			   cfg_addr(T_BDF_NIC, 0x02));
	expect_tiny_denied(true, T_BDF_NIC, 0x05, 2, WD_R_pci_access_size,
			   cfg_addr(T_BDF_NIC, 0x05));
	expect_tiny_denied(false, T_BDF_NIC, 0x00, 8, WD_R_pci_access_size,
			   cfg_addr(T_BDF_NIC, 0x00));
	/* Also for functions that are not the cell's. */
	expect_tiny_denied(false, T_BDF_ROOT, 0x01, 2, WD_R_pci_access_size,
			   cfg_addr(T_BDF_ROOT, 0x01));
}
END_TEST

START_TEST(beyond_last_bus_is_not_ecam)
{
	/* Bus 1 is outside the 1 MiB window: a plain unhandled access. */
	uint64_t addr = T_ECAM + 0x100000;

	ck_assert_int_eq(fx_mmio(2, false, addr, 4, NULL), ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id),
			  WD_R_mmio_unhandled);
	ck_assert_uint_eq(fx_item((unsigned int)tiny_id), addr);
}
END_TEST

/* ---- the root cell ---------------------------------------------------------- */

START_TEST(root_own_device_fully_writable)
{
	expect_forwarded(0, true, T_BDF_ROOT, 0x10, 4, 0xffffffff);
	expect_forwarded(0, false, T_BDF_ROOT, 0x10, 4, 0);
	expect_forwarded(0, true, T_BDF_ROOT, 0x00, 2, 0x1234);
	expect_forwarded(0, true, T_BDF_ROOT, 0x30, 4, 0xfffff800);
	expect_forwarded(1, true, T_BDF_ROOT, 0x80, 4, 0x1);
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(root_sees_cell_device_as_empty)
{
	ck_assert_uint_eq(expect_emulated(0, false, T_BDF_NIC, 0, 4, 0),
			  0xffffffff);
	ck_assert_uint_eq(expect_emulated(0, false, T_BDF_NIC, 0x10, 2, 0),
			  0xffff);
	ck_assert_uint_eq(expect_emulated(0, false, BDF_EMPTY, 0, 4, 0),
			  0xffffffff);
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(root_write_to_cell_device_stops_machine)
{
	uint64_t v = 0;

	ck_assert_int_eq(cfg_rw(0, true, T_BDF_NIC, 0x04, 2, &v),
			 ACCESS_DENIED);
	ck_assert(sim_machine_stopped());
	ck_assert_uint_eq(core_last_reason()->code, WD_R_pci_foreign);
	ck_assert_uint_eq(core_last_reason()->item, T_BDF_NIC);
}
END_TEST

START_TEST(root_owns_device_again_after_destroy)
{
	struct cfg c;

	fx_respond((unsigned int)tiny_id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)tiny_id, 0),
			 0);
	ck_assert_uint_eq(expect_forwarded(0, false, T_BDF_NIC, 0, 4, 0),
			  0x100e8086);
	expect_forwarded(0, true, T_BDF_NIC, 0x10, 4, 0xfebf0000);
	/* A new tiny gets fresh BAR shadows from the device. */
	cfg_tiny(&c);
	ck_assert_int_eq(fx_create(&c), 1);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 1, 0), 0);
	ck_assert_uint_eq(expect_emulated(2, false, T_BDF_NIC, 0x10, 4, 0),
			  NIC_BAR0);
	ck_assert_uint_eq(expect_emulated(0, false, T_BDF_NIC, 0, 4, 0),
			  0xffffffff);
}
END_TEST

/* ---- IOMMU: a cell's device behind a unit; blocked requests ------------------ */

START_TEST(dma_fault_fails_the_owning_cell)
{
	uint64_t addr = 0x6d00000;

	ck_assert(core_dma_fault(T_BDF_NIC, WD_R_dma_fault, addr));
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_FAILED);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id), WD_R_dma_fault);
	ck_assert_uint_eq(fx_item((unsigned int)tiny_id),
			  (uint64_t)T_BDF_NIC << 48 | addr);
	ck_assert_ptr_nonnull(sim_text_find(
		sim_console_text(),
		"warden: IOMMU blocked device 00:02.0 at 0x6d00000 (cell "
		"\"tiny\")"));
	/* Counted on the cell's first CPU (2), not on the CPU that polled. */
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 2,
			    WD_CPU_INFO_STAT_BASE + WD_CPU_STAT_DMA_FAULTS),
			 1);
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 0,
			    WD_CPU_INFO_STAT_BASE + WD_CPU_STAT_DMA_FAULTS),
			 0);
}
END_TEST

START_TEST(dma_fault_of_a_root_device_is_recorded_not_fatal)
{
	ck_assert(core_dma_fault(T_BDF_ROOT, WD_R_dma_irq_fault, 0xfee00000));
	ck_assert_uint_eq(fx_reason(0), WD_R_dma_irq_fault);
	ck_assert_uint_eq(fx_item(0), (uint64_t)T_BDF_ROOT << 48 | 0xfee00000);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
	/* The root cell runs on: its management calls work. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_GET_STATE, 0, 0), WD_CELL_RUNNING);
}
END_TEST

START_TEST(dma_fault_waits_for_a_management_call)
{
	management_lock = 1; /* a call in progress, maybe waiting for us */
	ck_assert(!core_dma_fault(T_BDF_NIC, WD_R_dma_fault, 0x1000));
	management_lock = 0;
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
	ck_assert(core_dma_fault(T_BDF_NIC, WD_R_dma_fault, 0x1000));
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_FAILED);
}
END_TEST

START_TEST(device_without_iommu_unit_is_refused)
{
	struct cfg sys, c;
	unsigned int cpu;

	/* No unit at all, then the device naming a unit that is not there. */
	cfg_system(&sys);
	memset(&sys.sys.platform_info.iommu_units, 0,
	       sizeof(sys.sys.platform_info.iommu_units));
	ck_assert_int_eq(fx_enable(&sys), 0);
	cfg_tiny(&c);
	ck_assert_int_eq(fx_create(&c), -WD_ENODEV);
	ck_assert_uint_eq(fx_reason(0), WD_R_iommu_none);
	ck_assert_uint_eq(fx_item(0), T_BDF_NIC);
	for (cpu = 0; cpu < T_CPUS; cpu++)
		ck_assert_int_eq(hc(cpu, WD_HC_DISABLE, 0, 0), 0);
	ck_assert_int_eq(fx_enable(NULL), 0);
	cfg_tiny(&c);
	c.pci[0].iommu = 3;
	ck_assert_int_eq(fx_create(&c), -WD_ENODEV);
	ck_assert_uint_eq(fx_reason(0), WD_R_iommu_none);
	/* The root cell keeps the device: a tiny behind unit 0 gets it. */
	cfg_tiny(&c);
	ck_assert_int_eq(fx_create(&c), 1);
}
END_TEST

/* ---- re-enable ---------------------------------------------------------------- */

START_TEST(reenable_forgets_previous_device_owners)
{
	struct cfg sys, c;
	unsigned int cpu;

	ck_assert_int_eq(fx_enable(NULL), 0);
	for (cpu = 0; cpu < T_CPUS; cpu++)
		ck_assert_int_eq(hc(cpu, WD_HC_DISABLE, 0, 0), 0);

	/* A new system whose root cell does not list 00:02.0. */
	cfg_system(&sys);
	sys.npci = 1;
	ck_assert_int_eq(fx_enable(&sys), 0);
	cfg_tiny(&c);
	ck_assert_int_eq(fx_create(&c), -WD_EBUSY);
	ck_assert_uint_eq(fx_reason(0), WD_R_pci_not_in_root);
	ck_assert_uint_eq(fx_item(0), T_BDF_NIC);
}
END_TEST

/* The root cell as an ivshmem peer: its RAM split around four pages. */
START_TEST(root_ivshmem_is_emulated_not_forwarded)
{
	uint64_t ro = WD_MEM_READ | WD_MEM_ROOTSHARED, shm = 0x0e400000;
	struct wd_pci_device *d;
	struct cfg sys;
	unsigned int k;

	cfg_system(&sys);
	sys.mem[0].size = shm;
	for (k = 0; k < 4; k++)
		cfg_add_mem(&sys, shm + k * 0x1000ULL, shm + k * 0x1000ULL,
			    0x1000, k == 1 || k == 2 ? ro | WD_MEM_WRITE : ro);
	cfg_add_mem(&sys, shm + 0x4000, shm + 0x4000, T_HV_BASE - shm - 0x4000,
		    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE);
	cfg_add_pci(&sys, 0x00f8, 0, 0);
	d = &sys.pci[sys.npci - 1];
	d->type = WD_PCI_TYPE_IVSHMEM;
	d->shmem_regions_start = 3;
	d->shmem_peers = 2;
	d->num_msix_vectors = 1;
	ck_assert_int_eq(fx_enable(&sys), 0);
	memset(&dev, 0, sizeof(dev));
	sim_set_device_hook(device_hook, NULL);
	/* The hypervisor answers; the bus never sees the virtual function. */
	ck_assert_uint_eq(expect_emulated(0, false, 0x00f8, 0, 4, 0),
			  0x4106110a);
	expect_emulated(0, true, 0x00f8, 0x10, 4, 0xfe000000);
	ck_assert_uint_eq(expect_emulated(0, false, 0x00f8, 0x10, 4, 0),
			  0xfe000000);
	ck_assert(!sim_machine_stopped());
}
END_TEST

/* ---- mechanism #1: ports 0xcf8 (address) and 0xcfc-0xcff (data) ----------- */

#define ADDR(bdf, reg) (0x80000000U | (uint32_t)(bdf) << 8 | (reg))

static enum access_result port_rw(unsigned int cpu, bool write, uint16_t port,
				  unsigned int size, uint32_t *val)
{
	return fx_pio(cpu, write, port, size, val);
}

/* The address register of @cpu's cell set to @a (a 32-bit OUT). */
static void set_addr(unsigned int cpu, uint32_t a)
{
	ck_assert_int_eq(port_rw(cpu, true, 0xcf8, 4, &a), ACCESS_EMULATED);
}

START_TEST(mech1_own_function_through_the_ecam_policy)
{
	long pio = hc(0, WD_HC_CPU_GET_INFO, 2,
		      WD_CPU_INFO_STAT_BASE + WD_CPU_STAT_VMEXITS_PIO);
	unsigned int calls = dev.calls;
	uint32_t v = 0;

	set_addr(2, ADDR(T_BDF_NIC, 0));
	ck_assert_int_eq(port_rw(2, false, 0xcf8, 4, &v), ACCESS_EMULATED);
	ck_assert_uint_eq(v, ADDR(T_BDF_NIC, 0));
	ck_assert_uint_eq(dev.calls, calls);
	/* Vendor and device id: the same forward as through the ECAM. */
	ck_assert_int_eq(port_rw(2, false, 0xcfc, 4, &v), ACCESS_FORWARDED);
	ck_assert_uint_eq(v, 0x100e8086);
	ck_assert_uint_eq(dev.addr, cfg_addr(T_BDF_NIC, 0));
	ck_assert_int_eq(port_rw(2, false, 0xcfe, 2, &v), ACCESS_FORWARDED);
	ck_assert_uint_eq(dev.addr, cfg_addr(T_BDF_NIC, 2));
	ck_assert_uint_eq(dev.size, 2);
	/* Command register, byte 1 of the dword at 0x04. */
	set_addr(2, ADDR(T_BDF_NIC, 0x04));
	v = 0x01;
	ck_assert_int_eq(port_rw(2, true, 0xcfd, 1, &v), ACCESS_FORWARDED);
	ck_assert_uint_eq(dev.addr, cfg_addr(T_BDF_NIC, 0x05));
	ck_assert_uint_eq(dev.value, 0x01);
	/* BARs emulated, protected header registers denied, as by ECAM. */
	set_addr(2, ADDR(T_BDF_NIC, 0x10));
	calls = dev.calls;
	ck_assert_int_eq(port_rw(2, false, 0xcfc, 4, &v), ACCESS_EMULATED);
	ck_assert_uint_eq(v, NIC_BAR0);
	ck_assert_uint_eq(dev.calls, calls);
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 2,
			    WD_CPU_INFO_STAT_BASE + WD_CPU_STAT_VMEXITS_PIO),
			 pio + 8);
	set_addr(2, ADDR(T_BDF_NIC, 0x08));
	v = 0;
	ck_assert_int_eq(port_rw(2, true, 0xcfc, 1, &v), ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id),
			  WD_R_pci_header_write);
	ck_assert_uint_eq(fx_item((unsigned int)tiny_id),
			  (uint64_t)T_BDF_NIC << 16 | 0x08);
	ck_assert_uint_eq(dev.calls, calls);
}
END_TEST

START_TEST(mech1_foreign_function_reads_all_ones)
{
	static const uint16_t bdfs[] = { T_BDF_ROOT, BDF_EMPTY };
	unsigned int i, calls = dev.calls;
	uint32_t v;

	for (i = 0; i < ARRAY_SIZE(bdfs); i++) {
		set_addr(2, ADDR(bdfs[i], 0));
		ck_assert_int_eq(port_rw(2, false, 0xcfc, 4, &v),
				 ACCESS_EMULATED);
		ck_assert_uint_eq(v, 0xffffffff);
		ck_assert_int_eq(port_rw(2, false, 0xcfe, 1, &v),
				 ACCESS_EMULATED);
		ck_assert_uint_eq(v, 0xff);
	}
	ck_assert_uint_eq(dev.calls, calls);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_RUNNING);
	/* A write: denied like the ECAM's, with the same reason. */
	set_addr(2, ADDR(T_BDF_ROOT, 0x04));
	v = 0x6;
	ck_assert_int_eq(port_rw(2, true, 0xcfc, 2, &v), ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id), WD_R_pci_foreign);
	ck_assert_uint_eq(fx_item((unsigned int)tiny_id), T_BDF_ROOT);
	ck_assert_uint_eq(dev.calls, calls);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_FAILED);
	ck_assert(!sim_machine_stopped());
}
END_TEST

/* @cpu's access is refused: tiny fails with @reason and @item. */
static void expect_port_denied(bool write, uint16_t port, unsigned int size,
			       unsigned int reason, uint64_t item)
{
	unsigned int calls = dev.calls;
	uint32_t v = 0x12345678;

	ck_assert_msg(port_rw(2, write, port, size, &v) == ACCESS_DENIED,
		      "port 0x%x size %u not denied", port, size);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id), reason);
	ck_assert_uint_eq(fx_item((unsigned int)tiny_id), item);
	ck_assert_uint_eq(dev.calls, calls);
	ck_assert_int_eq(cell_state(tiny_id), WD_CELL_FAILED);
	ck_assert(!sim_machine_stopped());
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, (unsigned long)tiny_id, 0), 0);
}

START_TEST(mech1_odd_accesses_have_their_reasons)
{
	uint32_t v;

	/* The address register: 32 bits at 0xcf8 only. */
	expect_port_denied(true, 0xcf8, 1, WD_R_pci_addr_port, 1 << 16 | 0xcf8);
	expect_port_denied(false, 0xcf8, 2, WD_R_pci_addr_port,
			   2 << 16 | 0xcf8);
	expect_port_denied(false, 0xcf6, 4, WD_R_pci_addr_port,
			   4 << 16 | 0xcf6);
	/* Data: within 0xcfc-0xcff. */
	expect_port_denied(false, 0xcfd, 4, WD_R_pci_data_port,
			   4 << 16 | 0xcfd);
	expect_port_denied(true, 0xcff, 2, WD_R_pci_data_port, 2 << 16 | 0xcff);
	expect_port_denied(false, 0xcf9, 4, WD_R_pci_data_port,
			   4 << 16 | 0xcf9);
	/* 0xcf9 alone (reset control): an ordinary port nobody is given. */
	expect_port_denied(true, 0xcf9, 1, WD_R_pio_denied, 0xcf9);
	/* Unaligned within the dword: the ECAM policy's size rule. */
	set_addr(2, ADDR(T_BDF_NIC, 0));
	expect_port_denied(false, 0xcfd, 2, WD_R_pci_access_size,
			   T_ECAM + ((uint64_t)T_BDF_NIC << 12) + 1);
	/* Disabled (bit 31 clear), or a bus beyond the ECAM: no function. */
	set_addr(2, ADDR(T_BDF_NIC, 0) & 0x7fffffff);
	ck_assert_int_eq(port_rw(2, false, 0xcfc, 4, &v), ACCESS_EMULATED);
	ck_assert_uint_eq(v, 0xffffffff);
	expect_port_denied(true, 0xcfc, 4, WD_R_pci_no_function,
			   ADDR(T_BDF_NIC, 0) & 0x7fffffff);
	set_addr(2, ADDR(0x100 | T_BDF_NIC, 0)); /* bus 1 */
	ck_assert_int_eq(port_rw(2, false, 0xcfe, 2, &v), ACCESS_EMULATED);
	ck_assert_uint_eq(v, 0xffff);
	expect_port_denied(true, 0xcfc, 1, WD_R_pci_no_function,
			   ADDR(0x100 | T_BDF_NIC, 0));
}
END_TEST

START_TEST(mech1_address_register_is_per_cell)
{
	uint32_t v;

	set_addr(0, ADDR(T_BDF_ROOT, 0x10));
	set_addr(2, ADDR(T_BDF_NIC, 0));
	/* Root's other CPU shares the root's register, not tiny's. */
	ck_assert_int_eq(port_rw(1, false, 0xcf8, 4, &v), ACCESS_EMULATED);
	ck_assert_uint_eq(v, ADDR(T_BDF_ROOT, 0x10));
	ck_assert_int_eq(port_rw(0, false, 0xcfc, 4, &v), ACCESS_FORWARDED);
	ck_assert_uint_eq(dev.addr, cfg_addr(T_BDF_ROOT, 0x10));
	ck_assert_int_eq(port_rw(2, false, 0xcfc, 4, &v), ACCESS_FORWARDED);
	ck_assert_uint_eq(dev.addr, cfg_addr(T_BDF_NIC, 0));
	/* A restarted cell starts with the register clear. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, (unsigned long)tiny_id, 0), 0);
	ck_assert_int_eq(port_rw(2, false, 0xcf8, 4, &v), ACCESS_EMULATED);
	ck_assert_uint_eq(v, 0);
	/* The root cell's own device, and tiny's seen from the root. */
	set_addr(0, ADDR(T_BDF_NIC, 0));
	ck_assert_int_eq(port_rw(0, false, 0xcfc, 4, &v), ACCESS_EMULATED);
	ck_assert_uint_eq(v, 0xffffffff);
}
END_TEST

START_TEST(mech1_ports_cannot_be_granted)
{
	static const struct {
		uint16_t base, len, item;
	} grants[] = { { 0xcf8, 8, 0xcf8 },
		       { 0xcfc, 1, 0xcfc },
		       { 0xcf0, 9, 0xcf8 },
		       { 0xcff, 2, 0xcff } };
	unsigned int i;
	struct cfg c;

	for (i = 0; i < ARRAY_SIZE(grants); i++) {
		cfg_attack(&c);
		cfg_add_pio(&c, grants[i].base, grants[i].len);
		ck_assert_int_eq(fx_create(&c), -WD_EINVAL);
		ck_assert_uint_eq(fx_reason(0), WD_R_pio_pci_config);
		ck_assert_uint_eq(fx_item(0), grants[i].item);
	}
	/* Next to them: fine as far as this rule goes. */
	cfg_attack(&c);
	cfg_add_pio(&c, 0xcf0, 8);
	ck_assert_int_eq(fx_create(&c), -WD_EBUSY); /* not the root's */
	ck_assert_uint_eq(fx_reason(0), WD_R_pio_not_in_root);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("pci");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, foreign_function_reads_all_ones);
	tcase_add_test(t, foreign_function_write_is_denied);
	tcase_add_test(t, own_id_read_is_forwarded);
	tcase_add_test(t, writable_header_registers_are_forwarded);
	tcase_add_test(t, protected_header_writes_are_denied);
	tcase_add_test(t, bar_starts_at_physical_value);
	tcase_add_test(t, bar_sizing_is_emulated);
	tcase_add_test(t, bar_sizing_keeps_only_flag_bits);
	tcase_add_test(t, rom_bar_reads_zero);
	tcase_add_test(t, capability_writes_follow_the_config);
	tcase_add_test(t, bad_size_or_alignment_is_denied);
	tcase_add_test(t, beyond_last_bus_is_not_ecam);
	tcase_add_test(t, root_own_device_fully_writable);
	tcase_add_test(t, root_sees_cell_device_as_empty);
	tcase_add_test(t, root_write_to_cell_device_stops_machine);
	tcase_add_test(t, root_owns_device_again_after_destroy);
	tcase_add_test(t, mech1_own_function_through_the_ecam_policy);
	tcase_add_test(t, mech1_foreign_function_reads_all_ones);
	tcase_add_test(t, mech1_odd_accesses_have_their_reasons);
	tcase_add_test(t, mech1_address_register_is_per_cell);
	tcase_add_test(t, mech1_ports_cannot_be_granted);
	tcase_add_test(t, dma_fault_fails_the_owning_cell);
	tcase_add_test(t, dma_fault_of_a_root_device_is_recorded_not_fatal);
	tcase_add_test(t, dma_fault_waits_for_a_management_call);
	suite_add_tcase(s, t);
	/* Tests that enable with their own system config. */
	t = tcase_create("own_system");
	tcase_add_checked_fixture(t, NULL, teardown);
	tcase_add_test(t, reenable_forgets_previous_device_owners);
	tcase_add_test(t, device_without_iommu_unit_is_refused);
	tcase_add_test(t, root_ivshmem_is_emulated_not_forwarded);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
