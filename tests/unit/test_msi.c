/* SPDX-License-Identifier: GPL-2.0 */
/*
 * MSI and MSI-X of real PCI devices (core/pci.c) under the x86 rule
 * (arch-x86/msi.c), and PCI device ownership (hal_device_assign/release),
 * on the sim HAL. The NIC 00:02.0 goes to "tiny" (CPU 2) with a 64-bit MSI
 * capability at 0x50 and MSI-X at 0x70: 8 vectors, table at NIC_TABLE in a
 * 16 KiB BAR, PBA on the next page. The root keeps 00:01.0 with a 32-bit
 * MSI at 0x60. The device hook plays both functions.
 */
#include <check.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

#define NIC_BAR 0xfeb00000ULL
#define NIC_TABLE (NIC_BAR + 0x2000)
#define NIC_PBA (NIC_BAR + 0x3000)
#define NIC_VECTORS 8
#define MSI 0x50
#define MSIX 0x70
#define ROOT_MSI 0x60
#define NIC_ITEM(index) ((uint64_t)T_BDF_NIC << 16 | (index))

/* The physical functions: config space bytes and the MSI-X table. */
static uint8_t cfg_space[2][0x100];
static uint32_t table[NIC_VECTORS][4];
static uint64_t pba_addr;

static uint8_t *function(uint64_t addr)
{
	uint64_t bdf = (addr - T_ECAM) >> 12;

	if (addr < T_ECAM || addr >= T_ECAM + 0x100000 ||
	    (addr & 0xfff) >= 0x100)
		return NULL;
	if (bdf == T_BDF_NIC)
		return cfg_space[0];
	return bdf == T_BDF_ROOT ? cfg_space[1] : NULL;
}

static void device_hook(void *arg, uint64_t addr, struct mmio_access *acc)
{
	uint8_t *f = function(addr);
	uint64_t off = addr - NIC_TABLE;
	unsigned int k;

	(void)arg;
	if (f) {
		if (!acc->is_write)
			acc->value = 0;
		for (k = 0; k < acc->size; k++) {
			if (acc->is_write)
				f[(addr & 0xff) + k] =
					(uint8_t)(acc->value >> (8 * k));
			else
				acc->value |= (uint64_t)f[(addr & 0xff) + k]
					      << (8 * k);
		}
	} else if (off < sizeof(table)) {
		ck_assert_uint_eq(acc->size, 4);
		if (acc->is_write)
			table[off / 16][off % 16 / 4] = (uint32_t)acc->value;
		else
			acc->value = table[off / 16][off % 16 / 4];
	} else {
		pba_addr = addr;
		if (!acc->is_write)
			acc->value = 0x5a5a5a5a;
	}
}

static uint32_t dev_cfg(int fn, unsigned int reg, unsigned int size)
{
	uint32_t v = 0;

	memcpy(&v, &cfg_space[fn][reg], size);
	return v;
}

static void cfg_system_msi(struct cfg *c)
{
	cfg_system(c);
	cfg_add_mem(c, NIC_BAR, NIC_BAR, 0x4000,
		    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO);
	c->caps[0].len = 14; /* MSI at 0x50, 64-bit */
	cfg_add_cap(c, 0x11, MSIX, 12, WD_PCICAPS_WRITE);
	cfg_add_cap(c, 0x05, ROOT_MSI, 10, WD_PCICAPS_WRITE);
	c->pci[0].caps_start = 3; /* 00:01.0: its 32-bit MSI */
	c->pci[0].num_caps = 1;
	c->pci[1].num_caps = 3;
	c->pci[1].msi_flags = WD_PCI_MSI_64BITS;
	c->pci[1].num_msi_vectors = 4;
	c->pci[1].num_msix_vectors = NIC_VECTORS;
	c->pci[1].msix_region_size = 0x1000;
	c->pci[1].msix_address = NIC_TABLE;
}

static void cfg_tiny_msi(struct cfg *c)
{
	cfg_tiny(c);
	cfg_add_mem(c, NIC_BAR, NIC_BAR, 0x4000,
		    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO);
	cfg_add_cap(c, 0x11, MSIX, 12, WD_PCICAPS_WRITE);
	c->pci[0].num_caps = 3;
	c->pci[0].msi_flags = WD_PCI_MSI_64BITS;
	c->pci[0].num_msi_vectors = 4;
	c->pci[0].num_msix_vectors = NIC_VECTORS;
	c->pci[0].msix_region_size = 0x1000;
	c->pci[0].msix_address = NIC_TABLE;
}

static long tiny_id;

static long tiny_create(void)
{
	struct cfg c;
	long id;

	cfg_tiny_msi(&c);
	id = fx_create(&c);
	if (id < 0 || hc(0, WD_HC_CELL_SET_LOADABLE, id, 0) ||
	    hc(0, WD_HC_CELL_START, id, 0))
		return -1;
	return id;
}

static void setup(void)
{
	struct cfg sys;
	unsigned int i;

	memset(cfg_space, 0, sizeof(cfg_space));
	memset(table, 0, sizeof(table));
	/* The root left MSI on, aimed at its CPU 0, and MSI-X unmasked. */
	cfg_space[0][MSI + 2] = 0x81;
	cfg_space[0][MSI + 5] = 0x00;
	cfg_space[0][MSI + 6] = 0xe0;
	cfg_space[0][MSI + 7] = 0xfe;
	cfg_space[0][MSIX + 3] = 0x80;
	for (i = 0; i < NIC_VECTORS; i++) {
		table[i][0] = 0xfee00000;
		table[i][2] = 0x30 + i;
	}
	pba_addr = 0;
	cfg_system_msi(&sys);
	ck_assert_int_eq(fx_enable(&sys), 0);
	/* After enable (a fresh machine has no hook): the root's shadows
	 * read zeros; tiny's creation meets the state above. */
	sim_set_device_hook(device_hook, NULL);
	tiny_id = tiny_create();
	ck_assert_int_eq(tiny_id, 1);
}

static void teardown(void)
{
	sim_device_fail(0, 0);
	fx_teardown();
}

static enum access_result cfg_w(unsigned int cpu, uint16_t bdf,
				unsigned int reg, unsigned int size,
				uint64_t val)
{
	return fx_mmio(cpu, true, T_ECAM + ((uint64_t)bdf << 12) + reg, size,
		       &val);
}

static uint64_t cfg_r(unsigned int cpu, uint16_t bdf, unsigned int reg,
		      unsigned int size)
{
	uint64_t v = 0;

	ck_assert_int_eq(fx_mmio(cpu, false,
				 T_ECAM + ((uint64_t)bdf << 12) + reg, size,
				 &v),
			 ACCESS_EMULATED);
	return v;
}

static enum access_result tab_w(unsigned int cpu, uint64_t addr,
				unsigned int size, uint64_t val)
{
	return fx_mmio(cpu, true, addr, size, &val);
}

static uint64_t tab_r(unsigned int cpu, uint64_t addr, unsigned int size)
{
	uint64_t v = 0;

	fx_mmio(cpu, false, addr, size, &v);
	return v;
}

/* tiny's MSI: @addr (64-bit), @data, then control @ctrl. */
static void tiny_msi(uint64_t addr, uint32_t data, uint16_t ctrl)
{
	ck_assert_int_eq(cfg_w(2, T_BDF_NIC, MSI + 4, 4, (uint32_t)addr),
			 ACCESS_EMULATED);
	ck_assert_int_eq(cfg_w(2, T_BDF_NIC, MSI + 8, 4, addr >> 32),
			 ACCESS_EMULATED);
	ck_assert_int_eq(cfg_w(2, T_BDF_NIC, MSI + 12, 2, data),
			 ACCESS_EMULATED);
	ck_assert_int_eq(cfg_w(2, T_BDF_NIC, MSI + 2, 2, ctrl),
			 ACCESS_EMULATED);
}

static void expect_tiny_reason(unsigned int reason, uint64_t item)
{
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id), reason);
	ck_assert_uint_eq(fx_item((unsigned int)tiny_id), item);
	/* A refusal, not a failure: tiny runs on. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_GET_STATE, (unsigned long)tiny_id, 0),
			 WD_CELL_RUNNING);
}

/* ---- taking the device ----------------------------------------------------- */

START_TEST(create_quiesces_the_device)
{
	unsigned int i;

	/* What the root left on is off before tiny runs. */
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2) & 1, 0);
	ck_assert_uint_eq(dev_cfg(0, MSIX + 2, 2), 0x4000);
	for (i = 0; i < NIC_VECTORS; i++)
		ck_assert_uint_eq(table[i][3], 1);
	/* tiny sees nothing of the root's messages. */
	ck_assert_uint_eq(cfg_r(2, T_BDF_NIC, MSI + 4, 4), 0);
	ck_assert_uint_eq(cfg_r(2, T_BDF_NIC, MSI + 2, 2), 0);
	ck_assert_uint_eq(tab_r(2, NIC_TABLE, 4), 0);
	ck_assert_uint_eq(tab_r(2, NIC_TABLE + 8, 4), 0);
	ck_assert_uint_eq(tab_r(2, NIC_TABLE + 12, 4), 1);
}
END_TEST

START_TEST(ownership_hooks_follow_the_device)
{
	struct cfg c;

	ck_assert_int_eq(sim_device_owner(T_BDF_NIC), tiny_id);
	ck_assert_int_eq(sim_device_owner(T_BDF_ROOT), 0);
	/* Enable: both to the root; create: the NIC from root to tiny. */
	ck_assert_uint_eq(sim_device_calls(true), 3);
	ck_assert_uint_eq(sim_device_calls(false), 1);
	fx_respond((unsigned int)tiny_id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)tiny_id, 0),
			 0);
	ck_assert_int_eq(sim_device_owner(T_BDF_NIC), 0);
	ck_assert_uint_eq(sim_device_calls(true), 4);
	ck_assert_uint_eq(sim_device_calls(false), 2);

	/* A refused attachment refuses the create and undoes it all. */
	sim_device_fail(T_BDF_NIC, -WD_EBUSY);
	cfg_tiny_msi(&c);
	ck_assert_int_eq(fx_create(&c), -WD_EBUSY);
	ck_assert_uint_eq(core_last_reason()->code, WD_R_device_assign);
	ck_assert_uint_eq(core_last_reason()->item, T_BDF_NIC);
	ck_assert_int_eq(sim_device_owner(T_BDF_NIC), 0);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 1);
	/* The root has the device and its memory again. */
	ck_assert_uint_eq(cfg_r(0, T_BDF_NIC, MSI + 2, 2), 0);
	ck_assert(sim_lookup(core_cell_by_id(0), NIC_BAR, NULL));
	ck_assert(!sim_lookup(core_cell_by_id(0), NIC_TABLE, NULL));
	tiny_id = tiny_create();
	ck_assert_int_eq(tiny_id, 1);
	ck_assert_int_eq(sim_device_owner(T_BDF_NIC), tiny_id);
	ck_assert(!sim_machine_stopped());
}
END_TEST

/* ---- MSI ------------------------------------------------------------------- */

START_TEST(msi_to_own_cpu_reaches_the_device)
{
	tiny_msi(0xfee02000, 0x41, 0x0001);
	ck_assert_uint_eq(dev_cfg(0, MSI + 4, 4), 0xfee02000);
	ck_assert_uint_eq(dev_cfg(0, MSI + 8, 4), 0);
	ck_assert_uint_eq(dev_cfg(0, MSI + 12, 2), 0x41);
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2), 0x0001);
	/* Reads: the shadow; lowest priority is fine too. */
	ck_assert_uint_eq(cfg_r(2, T_BDF_NIC, MSI + 4, 4), 0xfee02000);
	ck_assert_uint_eq(cfg_r(2, T_BDF_NIC, MSI + 12, 2), 0x41);
	ck_assert_int_eq(cfg_w(2, T_BDF_NIC, MSI + 12, 2, 0x0141),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(dev_cfg(0, MSI + 12, 2), 0x0141);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id), WD_R_none);
	/* Disabled again: the device's enable bit goes. */
	ck_assert_int_eq(cfg_w(2, T_BDF_NIC, MSI + 2, 2, 0), ACCESS_EMULATED);
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2), 0);
}
END_TEST

/* Mechanism #1 (ports 0xcf8/0xcfc): the same shadow, the same rule. */
static void port_w(unsigned int cpu, unsigned int reg, unsigned int size,
		   uint32_t val)
{
	uint32_t a = 0x80000000U | (uint32_t)T_BDF_NIC << 8 | (reg & 0xfc);

	ck_assert_int_eq(fx_pio(cpu, true, 0xcf8, 4, &a), ACCESS_EMULATED);
	ck_assert_int_eq(fx_pio(cpu, true, (uint16_t)(0xcfc + (reg & 3)), size,
				&val),
			 ACCESS_EMULATED);
}

START_TEST(msi_through_config_ports_is_shadowed)
{
	uint32_t v;

	port_w(2, MSI + 4, 4, 0xfee02000);
	port_w(2, MSI + 8, 4, 0);
	port_w(2, MSI + 12, 2, 0x41);
	port_w(2, MSI + 2, 2, 0x0001);
	ck_assert_uint_eq(dev_cfg(0, MSI + 4, 4), 0xfee02000);
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2) & 1, 1);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id), WD_R_none);
	/* Aimed at the root's CPU 0: refused, disabled on the device. */
	port_w(2, MSI + 4, 4, 0xfee00000);
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2) & 1, 0);
	ck_assert_uint_eq(dev_cfg(0, MSI + 4, 4), 0xfee02000);
	expect_tiny_reason(WD_R_msi_cpu_foreign, NIC_ITEM(0));
	/* Read back through the data port: the shadow. */
	ck_assert_int_eq(fx_pio(2, false, 0xcfc, 4, &v), ACCESS_EMULATED);
	ck_assert_uint_eq(v, 0xfee00000);
}
END_TEST

START_TEST(msi_capability_reads_mix_device_and_shadow)
{
	uint32_t head = dev_cfg(0, MSI, 4);

	tiny_msi(0xfee02000, 0x41, 0x0401); /* enable, extended data */
	/* The device's own control bits (its read-only 64-bit capable bit, in
	 * this model of plain bytes set after the write) show through. */
	cfg_space[0][MSI + 2] |= 0x80;
	/* ID and next pointer from the device; of the control the shadowed
	 * enable, the device's other bits, never extended message data. */
	ck_assert_uint_eq(cfg_r(2, T_BDF_NIC, MSI, 4),
			  (head & 0xffff) | (uint32_t)(0x80 | 0x0001) << 16);
	ck_assert_uint_eq(cfg_r(2, T_BDF_NIC, MSI + 3, 1), 0);
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2) & 0x0400, 0);
	/* The rest as tiny wrote it, whatever the device holds. */
	cfg_space[0][MSI + 12] = 0x99;
	ck_assert_uint_eq(cfg_r(2, T_BDF_NIC, MSI + 12, 2), 0x41);
	ck_assert_uint_eq(cfg_r(2, T_BDF_NIC, MSI + 4, 4), 0xfee02000);
}
END_TEST

START_TEST(msi_refusals_keep_it_disabled)
{
	static const struct {
		uint64_t addr;
		uint32_t data;
		unsigned int reason;
	} bad[] = {
		{ 0xfee00000, 0x41, WD_R_msi_cpu_foreign }, /* root CPU 0 */
		{ 0xfee03000, 0x41, WD_R_msi_cpu_foreign }, /* CPU 3 */
		{ 0xfee40000, 0x41, WD_R_msi_cpu_foreign }, /* no CPU 64 */
		{ 0xfee02000, 0x0441, WD_R_msi_delivery },  /* NMI */
		{ 0xfee02000, 0x0541, WD_R_msi_delivery },  /* INIT */
		{ 0xfee02000, 0x0241, WD_R_msi_delivery },  /* SMI */
		{ 0xfee02000, 0x8041, WD_R_msi_delivery },  /* level */
		{ 0xfee02000, 0x1f, WD_R_msi_vector },	    /* exception */
		{ 0xfee02004, 0x41, WD_R_msi_address },	    /* logical */
		{ 0xfee02008, 0x41, WD_R_msi_address },	    /* RH */
		{ 0xfee02010, 0x41, WD_R_msi_address },	    /* remappable */
		{ 0x1fee02000ULL, 0x41, WD_R_msi_address }, /* upper half */
		{ 0xfe002000, 0x41, WD_R_msi_address },	    /* not 0xFEE */
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		tiny_msi(0xfee02000, 0x41, 0x0001);
		tiny_msi(bad[i].addr, bad[i].data, 0x0001);
		ck_assert_msg(!(dev_cfg(0, MSI + 2, 2) & 1), "case %u", i);
		expect_tiny_reason(bad[i].reason, NIC_ITEM(0));
		/* The shadow keeps what tiny wrote. */
		ck_assert_uint_eq(cfg_r(2, T_BDF_NIC, MSI + 2, 2) & 1, 1);
		/* The device never saw the refused message. */
		ck_assert_uint_eq(dev_cfg(0, MSI + 4, 4), 0xfee02000);
		ck_assert_uint_eq(dev_cfg(0, MSI + 8, 4), 0);
		ck_assert_uint_eq(dev_cfg(0, MSI + 12, 2), 0x41);
	}
	/* A refused message changed while enabled: disabled on the device. */
	tiny_msi(0xfee02000, 0x41, 0x0001);
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2) & 1, 1);
	ck_assert_int_eq(cfg_w(2, T_BDF_NIC, MSI + 4, 4, 0xfee00000),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2) & 1, 0);
	ck_assert_uint_eq(dev_cfg(0, MSI + 4, 4), 0xfee02000);
	expect_tiny_reason(WD_R_msi_cpu_foreign, NIC_ITEM(0));
}
END_TEST

START_TEST(msi_multiple_messages_are_each_checked)
{
	/* 4 messages (MME 2) from 0x40: 0x40..0x43, fine. */
	tiny_msi(0xfee02000, 0x40, 0x0021);
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2), 0x0021);
	/* From 0x1c: 0x1c..0x1f are all exception vectors: index 0. */
	tiny_msi(0xfee02000, 0x1e, 0x0021);
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2) & 1, 0);
	expect_tiny_reason(WD_R_msi_vector, NIC_ITEM(0));
}
END_TEST

START_TEST(root_msi_is_checked_too)
{
	/* 00:01.0's 32-bit MSI: data at +8. The root's CPU 1: fine. */
	ck_assert_int_eq(cfg_w(0, T_BDF_ROOT, ROOT_MSI + 4, 4, 0xfee01000),
			 ACCESS_EMULATED);
	ck_assert_int_eq(cfg_w(0, T_BDF_ROOT, ROOT_MSI + 8, 2, 0x51),
			 ACCESS_EMULATED);
	ck_assert_int_eq(cfg_w(0, T_BDF_ROOT, ROOT_MSI + 2, 2, 1),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(dev_cfg(1, ROOT_MSI + 4, 4), 0xfee01000);
	ck_assert_uint_eq(dev_cfg(1, ROOT_MSI + 8, 2), 0x51);
	ck_assert_uint_eq(dev_cfg(1, ROOT_MSI + 2, 2), 1);
	/* tiny's CPU 2: refused, the root runs on. */
	ck_assert_int_eq(cfg_w(0, T_BDF_ROOT, ROOT_MSI + 4, 4, 0xfee02000),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(dev_cfg(1, ROOT_MSI + 2, 2), 0);
	ck_assert_uint_eq(dev_cfg(1, ROOT_MSI + 4, 4), 0xfee01000);
	ck_assert_uint_eq(core_cell_last_reason(core_cell_by_id(0))->code,
			  WD_R_msi_cpu_foreign);
	ck_assert_uint_eq(core_cell_last_reason(core_cell_by_id(0))->item,
			  (uint64_t)T_BDF_ROOT << 16);
	ck_assert(!sim_machine_stopped());
}
END_TEST

/* ---- MSI-X ----------------------------------------------------------------- */

START_TEST(msix_table_pages_are_trapped)
{
	struct cell *tiny = core_cell_by_id((uint64_t)tiny_id);

	ck_assert(sim_lookup(tiny, NIC_BAR, NULL));
	ck_assert(sim_lookup(tiny, NIC_BAR + 0x1000, NULL));
	ck_assert(!sim_lookup(tiny, NIC_TABLE, NULL));
	ck_assert(sim_lookup(tiny, NIC_PBA, NULL));
	/* The rest of the table's page is the device's. */
	ck_assert_uint_eq(tab_r(2, NIC_TABLE + 0x800, 4), 0x5a5a5a5a);
	ck_assert_uint_eq(pba_addr, NIC_TABLE + 0x800);
	ck_assert_int_eq(tab_w(2, NIC_TABLE + 0x802, 2, 7), ACCESS_FORWARDED);
	ck_assert_uint_eq(pba_addr, NIC_TABLE + 0x802);
}
END_TEST

START_TEST(msix_vector_goes_out_when_unmasked)
{
	/* Written while masked: the device keeps its masked entry. */
	ck_assert_int_eq(tab_w(2, NIC_TABLE + 16, 8, 0xfee02000),
			 ACCESS_EMULATED);
	ck_assert_int_eq(tab_w(2, NIC_TABLE + 24, 4, 0x42), ACCESS_EMULATED);
	ck_assert_uint_eq(table[1][0], 0xfee00000);
	ck_assert_uint_eq(table[1][3], 1);
	ck_assert_uint_eq(tab_r(2, NIC_TABLE + 16, 8), 0xfee02000);
	/* Unmasked: message, then the mask bit. */
	ck_assert_int_eq(tab_w(2, NIC_TABLE + 28, 4, 0), ACCESS_EMULATED);
	ck_assert_uint_eq(table[1][0], 0xfee02000);
	ck_assert_uint_eq(table[1][1], 0);
	ck_assert_uint_eq(table[1][2], 0x42);
	ck_assert_uint_eq(table[1][3], 0);
	/* Data and control in one 8-byte write. */
	ck_assert_int_eq(tab_w(2, NIC_TABLE + 24, 8, 0x43), ACCESS_EMULATED);
	ck_assert_uint_eq(table[1][2], 0x43);
	ck_assert_uint_eq(table[1][3], 0);
	ck_assert_uint_eq(tab_r(2, NIC_TABLE + 24, 8), 0x43);
	/* Masked again. */
	ck_assert_int_eq(tab_w(2, NIC_TABLE + 28, 4, 0xffffffff),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(table[1][3], 1);
	ck_assert_uint_eq(tab_r(2, NIC_TABLE + 28, 4), 1);
	ck_assert_uint_eq(fx_reason((unsigned int)tiny_id), WD_R_none);
}
END_TEST

START_TEST(msix_refused_vector_stays_masked)
{
	ck_assert_int_eq(tab_w(2, NIC_TABLE + 7 * 16, 4, 0xfee00000),
			 ACCESS_EMULATED);
	ck_assert_int_eq(tab_w(2, NIC_TABLE + 7 * 16 + 8, 8, 0x42),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(table[7][3], 1);
	ck_assert_uint_eq(table[7][2], 0x37); /* untouched */
	expect_tiny_reason(WD_R_msi_cpu_foreign, NIC_ITEM(7));
	/* Fixed while unmasked: it goes out. */
	ck_assert_int_eq(tab_w(2, NIC_TABLE + 7 * 16, 4, 0xfee02000),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(table[7][0], 0xfee02000);
	ck_assert_uint_eq(table[7][3], 0);
	/* Changed to NMI while unmasked: masked on the device. */
	ck_assert_int_eq(tab_w(2, NIC_TABLE + 7 * 16 + 8, 4, 0x442),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(table[7][3], 1);
	ck_assert_uint_eq(table[7][2], 0x42);
	expect_tiny_reason(WD_R_msi_delivery, NIC_ITEM(7));
}
END_TEST

START_TEST(msix_bad_width_fails_the_cell)
{
	static const struct {
		uint64_t off;
		unsigned int size;
	} bad[] = { { 0, 2 }, { 1, 1 }, { 4, 8 }, { 2, 4 } };
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		ck_assert_int_eq(tab_w(2, NIC_TABLE + bad[i].off, bad[i].size,
				       0),
				 ACCESS_DENIED);
		ck_assert_uint_eq(fx_reason((unsigned int)tiny_id),
				  WD_R_msix_access);
		ck_assert_uint_eq(fx_item((unsigned int)tiny_id),
				  NIC_TABLE + bad[i].off);
		ck_assert_int_eq(hc(0, WD_HC_CELL_GET_STATE,
				    (unsigned long)tiny_id, 0),
				 WD_CELL_FAILED);
		ck_assert_int_eq(
			hc(0, WD_HC_CELL_START, (unsigned long)tiny_id, 0), 0);
	}
}
END_TEST

/* ---- giving the device back ------------------------------------------------ */

START_TEST(destroy_quiesces_and_root_traps_again)
{
	struct cell *root = core_cell_by_id(0);
	unsigned int i;

	tiny_msi(0xfee02000, 0x41, 0x0001);
	ck_assert_int_eq(cfg_w(2, T_BDF_NIC, MSIX + 2, 2, 0x8000),
			 ACCESS_FORWARDED);
	for (i = 0; i < NIC_VECTORS; i++) {
		tab_w(2, NIC_TABLE + 16 * i, 4, 0xfee02000);
		tab_w(2, NIC_TABLE + 16 * i + 8, 8, 0x50 + i);
		ck_assert_uint_eq(table[i][3], 0);
	}
	fx_respond((unsigned int)tiny_id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)tiny_id, 0),
			 0);
	/* Nothing of tiny's is left on. */
	ck_assert_uint_eq(dev_cfg(0, MSI + 2, 2) & 1, 0);
	ck_assert_uint_eq(dev_cfg(0, MSIX + 2, 2), 0x4000);
	for (i = 0; i < NIC_VECTORS; i++)
		ck_assert_uint_eq(table[i][3], 1);
	/* The root's view: the device as it is now, its table trapped. */
	ck_assert_uint_eq(cfg_r(0, T_BDF_NIC, MSI + 2, 2) & 1, 0);
	ck_assert(sim_lookup(root, NIC_BAR, NULL));
	ck_assert(!sim_lookup(root, NIC_TABLE, NULL));
	ck_assert_uint_eq(tab_r(0, NIC_TABLE + 12, 4), 1);
	ck_assert_uint_eq(tab_r(0, NIC_TABLE + 8, 4), 0x50);
	/* The root aiming a vector at a CPU it has: fine. */
	ck_assert_int_eq(tab_w(0, NIC_TABLE, 4, 0xfee03000), ACCESS_EMULATED);
	ck_assert_int_eq(tab_w(0, NIC_TABLE + 12, 4, 0), ACCESS_EMULATED);
	ck_assert_uint_eq(table[0][0], 0xfee03000);
	ck_assert_uint_eq(table[0][3], 0);
	ck_assert(!sim_machine_stopped());
}
END_TEST

START_TEST(root_cannot_reach_a_cells_cpu)
{
	struct cell *root = core_cell_by_id(0);

	/* While tiny has the NIC the root's table trap refuses it all. */
	ck_assert(!sim_lookup(root, NIC_TABLE, NULL));
	fx_respond((unsigned int)tiny_id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (unsigned long)tiny_id, 0),
			 0);
	/* A new tiny on CPU 2: the root may not aim there. */
	tiny_id = tiny_create();
	ck_assert_int_eq(cfg_w(0, T_BDF_ROOT, ROOT_MSI + 4, 4, 0xfee02000),
			 ACCESS_EMULATED);
	ck_assert_int_eq(cfg_w(0, T_BDF_ROOT, ROOT_MSI + 8, 2, 0x51),
			 ACCESS_EMULATED);
	ck_assert_int_eq(cfg_w(0, T_BDF_ROOT, ROOT_MSI + 2, 2, 1),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(dev_cfg(1, ROOT_MSI + 2, 2), 0);
	ck_assert_uint_eq(core_cell_last_reason(root)->code,
			  WD_R_msi_cpu_foreign);
	ck_assert(!sim_machine_stopped());
}
END_TEST

static Suite *msi_suite(void)
{
	Suite *s = suite_create("msi");
	TCase *t = tcase_create("x86");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, create_quiesces_the_device);
	tcase_add_test(t, ownership_hooks_follow_the_device);
	tcase_add_test(t, msi_to_own_cpu_reaches_the_device);
	tcase_add_test(t, msi_refusals_keep_it_disabled);
	tcase_add_test(t, msi_multiple_messages_are_each_checked);
	tcase_add_test(t, root_msi_is_checked_too);
	tcase_add_test(t, msix_table_pages_are_trapped);
	tcase_add_test(t, msix_vector_goes_out_when_unmasked);
	tcase_add_test(t, msix_refused_vector_stays_masked);
	tcase_add_test(t, msix_bad_width_fails_the_cell);
	tcase_add_test(t, destroy_quiesces_and_root_traps_again);
	tcase_add_test(t, root_cannot_reach_a_cells_cpu);
	tcase_add_test(t, msi_through_config_ports_is_shadowed);
	tcase_add_test(t, msi_capability_reads_mix_device_and_shadow);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(msi_suite());
}
