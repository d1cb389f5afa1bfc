/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ivshmem v2 device (core/ivshmem.c), driven through ECAM and its BARs
 * like a guest would. Two cells, "peer-a" (CPU 2, id 0) and "peer-b" (CPU
 * 3, id 1), share four pages of root RAM at SHM: state table, R/W section
 * and one output section each, seen by both at SHM_VIRT.
 */
#include <check.h>
#include <stdio.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

#define BDF 0x0078 /* 00:0f.0: INTx pin D on ARM */
#define SHM 0x0e400000ULL
#define SHM_VIRT 0x00200000ULL
#define REGS 0xfe000000ULL /* BAR 0 as the tests place it */
#define MSIX 0xfe001000ULL /* BAR 1 (x86) */
#define VECTOR 0xa1
#define VPCI_BASE 100 /* ARM: INTx D becomes GIC id 32 + 100 + 3 */
#define CPU_A 2
#define CPU_B 3
#define T_GICD 0x08000000ULL

static uint64_t ecam(unsigned int reg)
{
	return T_ECAM + ((uint64_t)BDF << 12) + reg;
}

static uint32_t cfg_read(unsigned int cpu, unsigned int reg, unsigned int size)
{
	uint64_t v = 0;

	ck_assert_int_eq(fx_mmio(cpu, false, ecam(reg), size, &v),
			 ACCESS_EMULATED);
	return (uint32_t)v;
}

static void cfg_write(unsigned int cpu, unsigned int reg, unsigned int size,
		      uint32_t value)
{
	uint64_t v = value;

	ck_assert_int_eq(fx_mmio(cpu, true, ecam(reg), size, &v),
			 ACCESS_EMULATED);
}

static uint32_t reg_read(unsigned int cpu, uint64_t addr)
{
	uint64_t v = 0;

	ck_assert_int_eq(fx_mmio(cpu, false, addr, 4, &v), ACCESS_EMULATED);
	return (uint32_t)v;
}

static void reg_write(unsigned int cpu, uint64_t addr, uint32_t value)
{
	uint64_t v = value;

	ck_assert_int_eq(fx_mmio(cpu, true, addr, 4, &v), ACCESS_EMULATED);
}

static uint32_t state_table(unsigned int id)
{
	uint32_t v;

	memcpy(&v, sim_phys_ptr(SHM + 4 * id, 4), 4);
	return v;
}

static bool arm;

/* The shared regions as peer @id sees them: only its output writable. */
static void add_shmem(struct cfg *c, unsigned int id, unsigned int peers)
{
	uint64_t ro = WD_MEM_READ | WD_MEM_ROOTSHARED;
	unsigned int k;

	cfg_add_mem(c, SHM, SHM_VIRT, 0x1000, ro);
	cfg_add_mem(c, SHM + 0x1000, SHM_VIRT + 0x1000, 0x1000,
		    ro | WD_MEM_WRITE);
	for (k = 0; k < peers; k++)
		cfg_add_mem(c, SHM + 0x2000 + k * 0x1000ULL,
			    SHM_VIRT + 0x2000 + k * 0x1000ULL, 0x1000,
			    k == id ? ro | WD_MEM_WRITE : ro);
}

static void cfg_peer(struct cfg *c, unsigned int id)
{
	struct wd_pci_device *d;

	cfg_attack(c);
	snprintf(c->cell.name, sizeof(c->cell.name), "peer-%c", 'a' + id);
	c->cpus = 1ULL << (id ? CPU_B : CPU_A);
	c->mem[0].phys_start = id ? T_ATTACK_PHYS : T_TINY_PHYS;
	c->cell.architecture = arm ? WD_ARCH_ARM : WD_ARCH_X86;
	c->cell.vpci_irq_base = VPCI_BASE + id;
	add_shmem(c, id, 2);
	cfg_add_pci(c, BDF, 0, 0);
	d = &c->pci[c->npci - 1];
	d->type = WD_PCI_TYPE_IVSHMEM;
	d->bar_mask[0] = 0;
	d->shmem_regions_start = 2;
	d->shmem_dev_id = (uint8_t)id;
	d->shmem_peers = 2;
	d->shmem_protocol = WD_SHMEM_PROTO_CUSTOM + 1;
	d->num_msix_vectors = arm ? 0 : 1;
}

static struct wd_pci_device *ivshmem_of(struct cfg *c)
{
	return &c->pci[c->npci - 1];
}

static long create_start(struct cfg *c)
{
	long id = fx_create(c);

	ck_assert_int_gt(id, 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, (unsigned long)id, 0), 0);
	fx_respond((unsigned int)id, WD_MSG_REQUEST_APPROVED);
	return id;
}

static long id_a, id_b;

static void enable(void)
{
	static const unsigned int spis[] = { 132, 133, 134 };
	struct cfg sys;

	cfg_system(&sys);
	if (arm) {
		sys.sys.architecture = WD_ARCH_ARM;
		sys.sys.root_cell.architecture = WD_ARCH_ARM;
		sys.nirq = 0;
		cfg_add_irqchip(&sys, T_GICD, 32, spis, 3);
	}
	ck_assert_int_eq(fx_enable(&sys), 0);
}

static void setup_pair(void)
{
	struct cfg c;

	enable();
	/* Stale content: the first peer must start from a clean table. */
	memset(sim_phys_ptr(SHM, 8), 0x5a, 8);
	cfg_peer(&c, 0);
	id_a = create_start(&c);
	cfg_peer(&c, 1);
	id_b = create_start(&c);
}

static void setup_x86(void)
{
	arm = false;
	setup_pair();
}

static void setup_arm(void)
{
	arm = true;
	setup_pair();
}

static void teardown(void)
{
	fx_teardown();
}

static struct cell *cell_of(long id)
{
	return core_cell_by_id((uint64_t)id);
}

/* Registers at REGS, decoding and bus mastering on, interrupts enabled. */
static void map_regs(unsigned int cpu)
{
	cfg_write(cpu, 0x10, 4, (uint32_t)REGS);
	cfg_write(cpu, 0x04, 2, 0x0006);
	reg_write(cpu, REGS + 0x08, 1);
}

/* x86: MSI-X entry 0 -> VECTOR, unmasked, MSI-X enabled. */
static void setup_msix(unsigned int cpu)
{
	cfg_write(cpu, 0x14, 4, (uint32_t)MSIX);
	reg_write(cpu, MSIX + 0x0, 0xfee00000 | cpu << 12);
	reg_write(cpu, MSIX + 0x8, VECTOR);
	reg_write(cpu, MSIX + 0xc, 0);
	cfg_write(cpu, 0x62, 2, 0x8000);
}

/* Both peers ready to receive; interrupt counters at zero. */
static void ready_both(void)
{
	map_regs(CPU_A);
	map_regs(CPU_B);
	if (!arm) {
		setup_msix(CPU_A);
		setup_msix(CPU_B);
	}
	sim_cpu(CPU_A)->pending_irqs = 0;
	sim_cpu(CPU_B)->pending_irqs = 0;
}

static void ring(unsigned int cpu, uint32_t value)
{
	reg_write(cpu, REGS + 0x0c, value);
}

static void expect_irqs(unsigned int cpu, unsigned int n, unsigned int irq)
{
	ck_assert_uint_eq(sim_cpu(cpu)->pending_irqs, n);
	if (n)
		ck_assert_uint_eq(sim_cpu(cpu)->last_irq, irq);
}

/* ---- config space ----------------------------------------------------- */

START_TEST(config_space_identifies_the_device)
{
	ck_assert_uint_eq(cfg_read(CPU_A, 0x00, 4), 0x4106110a);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x02, 2), 0x4106);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x06, 2), 0x0010); /* caps */
	/* Revision 0, protocol 0x4001 in the class code, base class ff. */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x08, 4), 0xff400100);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x0b, 1), 0xff);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x0e, 1), 0x00); /* header type */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x2c, 4), 0x4106110a);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x34, 1), 0x40);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x3d, 1), 0); /* MSI-X: no pin */
	ck_assert_uint_eq(cfg_read(CPU_B, 0x00, 4), 0x4106110a);
}
END_TEST

START_TEST(vendor_capability_describes_the_shared_memory)
{
	ck_assert_uint_eq(cfg_read(CPU_A, 0x40, 1), 0x09);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x41, 1), 0x60);   /* -> MSI-X */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x42, 1), 0x20);   /* with address */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x44, 4), 0x1000); /* state */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x48, 4), 0x1000); /* R/W */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x4c, 4), 0);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x50, 4), 0x1000); /* output */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x58, 4), SHM_VIRT);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x5c, 4), 0);
	/* MSI-X: 1 vector, table and PBA in BAR 1. */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x60, 4), 0x00000011);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x64, 4), 0x1);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x68, 4), 0x801);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x6c, 4), 0);
	/* Past the capabilities, and PCIe extended space: zero. */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x100, 4), 0);
	ck_assert_uint_eq(cfg_read(CPU_A, 0xffc, 4), 0);
}
END_TEST

START_TEST(bars_size_like_4k_memory_bars)
{
	cfg_write(CPU_A, 0x10, 4, 0xffffffff);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x10, 4), 0xfffff000);
	cfg_write(CPU_A, 0x14, 4, 0xffffffff);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x14, 4), 0xfffff000);
	/* No BAR 2..5, no ROM. */
	cfg_write(CPU_A, 0x18, 4, 0xffffffff);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x18, 4), 0);
	cfg_write(CPU_A, 0x30, 4, 0xffffffff);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x30, 4), 0);
	/* Byte writes merge into the BAR. */
	cfg_write(CPU_A, 0x10, 4, 0);
	cfg_write(CPU_A, 0x13, 1, 0xfe);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x10, 4), 0xfe000000);
}
END_TEST

START_TEST(read_only_config_writes_are_ignored)
{
	cfg_write(CPU_A, 0x00, 4, 0x12345678);
	cfg_write(CPU_A, 0x08, 4, 0);
	cfg_write(CPU_A, 0x44, 4, 0x10);
	cfg_write(CPU_A, 0x58, 4, 0);
	cfg_write(CPU_A, 0x04, 2, 0xffff); /* only MEM, MASTER, INTX_OFF */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x00, 4), 0x4106110a);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x08, 4), 0xff400100);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x44, 4), 0x1000);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x58, 4), SHM_VIRT);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x04, 4), 0x00100406);
	/* One-shot is the only writable bit of the vendor capability. */
	cfg_write(CPU_A, 0x43, 1, 0xff);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x40, 4), 0x01206009);
	ck_assert_int_eq(hc(0, WD_HC_CELL_GET_STATE, id_a, 0), WD_CELL_RUNNING);
}
END_TEST

START_TEST(root_and_strangers_see_an_empty_slot)
{
	uint64_t v = 0;

	/* The root cell lists no ivshmem device at that BDF. */
	ck_assert_uint_eq(cfg_read(0, 0x00, 4), 0xffffffff);
	/* The next function: not the cell's, an empty slot too. */
	ck_assert_int_eq(fx_mmio(CPU_A, false, ecam(0x1000), 4, &v),
			 ACCESS_EMULATED);
	ck_assert_uint_eq(v, 0xffffffff);
}
END_TEST

/* ---- BARs and registers ------------------------------------------------ */

START_TEST(bar0_moves_the_register_handler)
{
	struct cell *a = cell_of(id_a);

	cfg_write(CPU_A, 0x10, 4, (uint32_t)REGS);
	ck_assert(!mmio_is_registered(a, REGS)); /* decoding off */
	cfg_write(CPU_A, 0x04, 2, 0x0002);
	ck_assert(mmio_is_registered(a, REGS));
	ck_assert_uint_eq(reg_read(CPU_A, REGS), 0);
	/* Moved while decoding: the old place is gone. */
	cfg_write(CPU_A, 0x10, 4, 0xfd000000);
	ck_assert(!mmio_is_registered(a, REGS));
	ck_assert(mmio_is_registered(a, 0xfd000000));
	ck_assert_uint_eq(reg_read(CPU_A, 0xfd000004), 2);
	/* Decoding off: nothing registered; B was never touched. */
	cfg_write(CPU_A, 0x04, 2, 0);
	ck_assert(!mmio_is_registered(a, 0xfd000000));
	ck_assert(!mmio_is_registered(cell_of(id_b), REGS));
}
END_TEST

START_TEST(registers_read_as_the_spec_says)
{
	map_regs(CPU_A);
	map_regs(CPU_B);
	ck_assert_uint_eq(reg_read(CPU_A, REGS + 0x00), 0);
	ck_assert_uint_eq(reg_read(CPU_B, REGS + 0x00), 1);
	ck_assert_uint_eq(reg_read(CPU_A, REGS + 0x04), 2);
	ck_assert_uint_eq(reg_read(CPU_A, REGS + 0x08), 1);
	reg_write(CPU_A, REGS + 0x08, 0xfffffffe);
	ck_assert_uint_eq(reg_read(CPU_A, REGS + 0x08), 0);
	ck_assert_uint_eq(reg_read(CPU_A, REGS + 0x0c), 0);
	/* Writes to ID and unbacked offsets are ignored, reads give 0. */
	reg_write(CPU_A, REGS + 0x00, 7);
	reg_write(CPU_A, REGS + 0x800, 7);
	ck_assert_uint_eq(reg_read(CPU_A, REGS + 0x00), 0);
	ck_assert_uint_eq(reg_read(CPU_A, REGS + 0x800), 0);
	ck_assert_uint_eq(reg_read(CPU_A, REGS + 0xffc), 0);
}
END_TEST

START_TEST(register_access_must_be_aligned_32_bit)
{
	uint64_t v = 0;

	map_regs(CPU_A);
	ck_assert_int_eq(fx_mmio(CPU_A, false, REGS + 0x10, 2, &v),
			 ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason((unsigned int)id_a), WD_R_ivshmem_access);
	ck_assert_uint_eq(fx_item((unsigned int)id_a), REGS + 0x10);
	ck_assert_int_eq(hc(0, WD_HC_CELL_GET_STATE, id_a, 0), WD_CELL_FAILED);
	/* Restarting resets the device: BAR 0 unassigned, handler gone. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, id_a, 0), 0);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x10, 4), 0);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x04, 2), 0);
	ck_assert(!mmio_is_registered(cell_of(id_a), REGS));
	map_regs(CPU_B);
	ck_assert_int_eq(fx_mmio(CPU_B, true, REGS + 0x0e, 4, &v),
			 ACCESS_DENIED);
	ck_assert_uint_eq(fx_item((unsigned int)id_b), REGS + 0x0e);
}
END_TEST

START_TEST(bar_over_another_handler_fails_the_cell)
{
	uint64_t v = T_ECAM;

	cfg_write(CPU_A, 0x04, 2, 0x0002);
	ck_assert_int_eq(fx_mmio(CPU_A, true, ecam(0x10), 4, &v),
			 ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason((unsigned int)id_a), WD_R_mmio_overlap);
	ck_assert_uint_eq(fx_item((unsigned int)id_a), T_ECAM);
	ck_assert_int_eq(hc(0, WD_HC_CELL_GET_STATE, id_a, 0), WD_CELL_FAILED);
}
END_TEST

/* ---- shared memory and state -------------------------------------------- */

START_TEST(both_peers_map_the_shared_memory)
{
	struct sim_mapping m;
	unsigned int k;

	for (k = 0; k < 4; k++) {
		ck_assert(sim_lookup(cell_of(id_a), SHM_VIRT + k * 0x1000, &m));
		ck_assert_uint_eq(m.hpa + (SHM_VIRT + k * 0x1000 - m.gpa),
				  SHM + k * 0x1000);
		ck_assert(sim_lookup(cell_of(id_b), SHM_VIRT + k * 0x1000, &m));
		ck_assert_uint_eq(!!(m.flags & WD_MEM_WRITE), k == 1 || k == 3);
	}
	/* The root cell keeps it too (ROOTSHARED). */
	ck_assert(sim_lookup(root_cell, SHM, &m));
}
END_TEST

START_TEST(first_peer_clears_the_state_table)
{
	ck_assert_uint_eq(state_table(0), 0);
	ck_assert_uint_eq(state_table(1), 0);
}
END_TEST

START_TEST(state_writes_reach_the_state_table)
{
	map_regs(CPU_A);
	map_regs(CPU_B);
	reg_write(CPU_A, REGS + 0x10, 0x11);
	reg_write(CPU_B, REGS + 0x10, 0x22);
	ck_assert_uint_eq(state_table(0), 0x11);
	ck_assert_uint_eq(state_table(1), 0x22);
	ck_assert_uint_eq(reg_read(CPU_A, REGS + 0x10), 0x11);
	ck_assert_uint_eq(reg_read(CPU_B, REGS + 0x10), 0x22);
}
END_TEST

/* ---- interrupts ------------------------------------------------------- */

START_TEST(doorbell_interrupts_the_peer_once)
{
	ready_both();
	ring(CPU_A, 1 << 16 | 0);
	expect_irqs(CPU_B, 1, VECTOR);
	expect_irqs(CPU_A, 0, 0);
	ring(CPU_B, 0 << 16 | 0);
	expect_irqs(CPU_A, 1, VECTOR);
	expect_irqs(CPU_B, 1, VECTOR);
}
END_TEST

/* B's message may reach only B's own CPU, as an ordinary interrupt. */
START_TEST(msix_message_outside_the_cell_is_refused)
{
	static const struct {
		uint32_t addr, data;
		unsigned int reason;
	} bad[] = {
		{ 0xfee00000 | CPU_A << 12, VECTOR, WD_R_msi_cpu_foreign },
		{ 0xfee00000, VECTOR, WD_R_msi_cpu_foreign }, /* the root's */
		{ 0xfee00000 | CPU_B << 12, 0x400 | VECTOR, WD_R_msi_delivery },
		{ 0xfee00000 | CPU_B << 12, 0x10, WD_R_msi_vector },
	};
	unsigned int i, cpu;

	ready_both();
	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		reg_write(CPU_B, MSIX + 0x0, bad[i].addr);
		reg_write(CPU_B, MSIX + 0x8, bad[i].data);
		ck_assert_uint_eq(fx_reason((unsigned int)id_b), bad[i].reason);
		ck_assert_uint_eq(fx_item((unsigned int)id_b),
				  (uint64_t)BDF << 16);
		ck_assert_int_eq(hc(0, WD_HC_CELL_GET_STATE, id_b, 0),
				 WD_CELL_RUNNING);
		ring(CPU_A, 1 << 16);
		for (cpu = 0; cpu < T_CPUS; cpu++)
			expect_irqs(cpu, 0, 0);
	}
	/* Aimed at B's CPU again: delivered there. */
	reg_write(CPU_B, MSIX + 0x0, 0xfee00000 | CPU_B << 12);
	reg_write(CPU_B, MSIX + 0x8, VECTOR);
	ring(CPU_A, 1 << 16);
	expect_irqs(CPU_B, 1, VECTOR);
}
END_TEST

START_TEST(doorbell_without_reception_does_nothing)
{
	ready_both();
	ring(CPU_A, 1 << 16 | 1);	  /* vector 1: B has only vector 0 */
	ring(CPU_A, 5 << 16 | 0);	  /* no peer 5 */
	reg_write(CPU_B, REGS + 0x08, 0); /* B: interrupts off */
	ring(CPU_A, 1 << 16);
	reg_write(CPU_B, REGS + 0x08, 1);
	reg_write(CPU_B, MSIX + 0xc, 1); /* B: vector masked */
	ring(CPU_A, 1 << 16);
	reg_write(CPU_B, MSIX + 0xc, 0);
	cfg_write(CPU_B, 0x62, 2, 0xc000); /* B: function masked */
	ring(CPU_A, 1 << 16);
	cfg_write(CPU_B, 0x62, 2, 0x0000); /* B: MSI-X off */
	ring(CPU_A, 1 << 16);
	cfg_write(CPU_B, 0x62, 2, 0x8000);
	cfg_write(CPU_B, 0x04, 2, 0x0002); /* B: no bus mastering */
	ring(CPU_A, 1 << 16);
	expect_irqs(CPU_B, 0, 0);
	cfg_write(CPU_B, 0x04, 2, 0x0006); /* all back: delivered */
	ring(CPU_A, 1 << 16);
	expect_irqs(CPU_B, 1, VECTOR);
}
END_TEST

START_TEST(state_change_interrupts_the_peer)
{
	ready_both();
	reg_write(CPU_A, REGS + 0x10, 1);
	expect_irqs(CPU_B, 1, VECTOR);
	reg_write(CPU_A, REGS + 0x10, 1); /* unchanged: no interrupt */
	expect_irqs(CPU_B, 1, VECTOR);
	expect_irqs(CPU_A, 0, 0);
}
END_TEST

START_TEST(one_shot_mode_clears_int_ctrl)
{
	ready_both();
	cfg_write(CPU_B, 0x43, 1, 1);
	ring(CPU_A, 1 << 16);
	ring(CPU_A, 1 << 16);
	expect_irqs(CPU_B, 1, VECTOR);
	ck_assert_uint_eq(reg_read(CPU_B, REGS + 0x08), 0);
}
END_TEST

START_TEST(msix_table_reads_back_and_pba_is_zero)
{
	ready_both();
	ck_assert_uint_eq(reg_read(CPU_A, MSIX + 0x0),
			  0xfee00000 | CPU_A << 12);
	ck_assert_uint_eq(reg_read(CPU_A, MSIX + 0x8), VECTOR);
	reg_write(CPU_A, MSIX + 0xc, 0xffffffff);
	ck_assert_uint_eq(reg_read(CPU_A, MSIX + 0xc), 1);
	reg_write(CPU_A, MSIX + 0x800, 0xffffffff);
	ck_assert_uint_eq(reg_read(CPU_A, MSIX + 0x800), 0);
	/* Entries past the vector count do not exist. */
	reg_write(CPU_A, MSIX + 0x10, 0x1234);
	ck_assert_uint_eq(reg_read(CPU_A, MSIX + 0x10), 0);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x62, 2), 0x8000);
}
END_TEST

START_TEST(arm_doorbell_raises_the_cells_vpci_spi)
{
	ck_assert_uint_eq(cfg_read(CPU_A, 0x3d, 1), 4); /* slot 15: INTD */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x41, 1), 0); /* no MSI-X cap */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x60, 4), 0);
	/* No BAR 1 without MSI-X. */
	cfg_write(CPU_A, 0x14, 4, 0xffffffff);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x14, 4), 0);
	ready_both();
	ring(CPU_A, 1 << 16);
	expect_irqs(CPU_B, 1, 32 + VPCI_BASE + 1 + 4 - 1);
	ring(CPU_B, 0);
	expect_irqs(CPU_A, 1, 32 + VPCI_BASE + 4 - 1);
	cfg_write(CPU_B, 0x04, 2, 0x0402); /* INTx disabled */
	ring(CPU_A, 1 << 16);
	expect_irqs(CPU_B, 1, 32 + VPCI_BASE + 1 + 4 - 1);
}
END_TEST

/* ---- links ------------------------------------------------------------ */

START_TEST(destroy_unlinks_the_peer)
{
	struct cfg c;

	ready_both();
	reg_write(CPU_B, REGS + 0x10, 7);
	ck_assert_uint_eq(state_table(1), 7);
	expect_irqs(CPU_A, 1, VECTOR);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_b, 0), 0);
	/* B's entry back to 0, and A told so. */
	ck_assert_uint_eq(state_table(1), 0);
	expect_irqs(CPU_A, 2, VECTOR);
	/* Nobody to ring now. */
	sim_cpu(CPU_B)->pending_irqs = 0;
	ring(CPU_A, 1 << 16);
	expect_irqs(CPU_B, 0, 0);
	/* The id is free again. */
	cfg_peer(&c, 1);
	ck_assert_int_eq(fx_create(&c), id_b);
}
END_TEST

START_TEST(destroying_both_ends_the_link)
{
	struct cfg c;
	unsigned int k;

	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_a, 0), 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_b, 0), 0);
	/* A new link on other memory is fine now. */
	cfg_peer(&c, 0);
	for (k = 2; k < c.nmem; k++)
		c.mem[k].phys_start += 0x10000;
	ck_assert_int_gt(fx_create(&c), 0);
}
END_TEST

/* A cell config rejected at CELL_CREATE with @reason, item @item. */
static void create_fails(struct cfg *c, long err, unsigned int reason,
			 uint64_t item)
{
	ck_assert_int_eq(fx_create(c), err);
	ck_assert_uint_eq(fx_reason(0), reason);
	ck_assert_uint_eq(fx_item(0), item);
}

START_TEST(live_peer_id_is_taken)
{
	struct cfg c;

	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_b, 0), 0);
	cfg_peer(&c, 1);
	ivshmem_of(&c)->shmem_dev_id = 0; /* A's id */
	c.mem[4].flags |= WD_MEM_WRITE;
	c.mem[5].flags &= ~(uint64_t)WD_MEM_WRITE;
	create_fails(&c, -WD_EBUSY, WD_R_ivshmem_id_taken, BDF);
}
END_TEST

START_TEST(peers_must_share_the_same_memory)
{
	struct cfg c;

	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_b, 0), 0);
	cfg_peer(&c, 1);
	c.mem[5].phys_start += 0x1000; /* another output section */
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_mismatch, BDF);
	/* Three peers where A says two. */
	cfg_peer(&c, 1);
	ivshmem_of(&c)->shmem_peers = 3;
	cfg_add_mem(&c, SHM + 0x4000, SHM_VIRT + 0x4000, 0x1000,
		    WD_MEM_READ | WD_MEM_ROOTSHARED);
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_mismatch, BDF);
}
END_TEST

START_TEST(bad_ivshmem_configs_are_rejected)
{
	struct cfg c;

	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_b, 0), 0);
	cfg_peer(&c, 1);
	ivshmem_of(&c)->shmem_peers = 1;
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_peers, BDF);
	ivshmem_of(&c)->shmem_peers = 17;
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_peers, BDF);
	cfg_peer(&c, 1);
	ivshmem_of(&c)->shmem_dev_id = 2;
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_id, BDF);
	cfg_peer(&c, 1);
	ivshmem_of(&c)->shmem_regions_start = 3; /* one output missing */
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_regions, BDF);
	cfg_peer(&c, 1);
	ivshmem_of(&c)->num_msix_vectors = 0; /* x86 needs MSI-X */
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_vectors, BDF);
	ivshmem_of(&c)->num_msix_vectors = 17;
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_vectors, BDF);
}
END_TEST

START_TEST(bad_ivshmem_layouts_are_rejected)
{
	struct cfg c;

	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_b, 0), 0);
	cfg_peer(&c, 1);
	c.mem[3].virt_start += 0x10000; /* R/W not right after the table */
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_layout, 3);
	cfg_peer(&c, 1);
	c.mem[5].size = 0x2000; /* outputs of different sizes */
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_layout, 5);
	cfg_peer(&c, 1);
	c.mem[4].flags |= WD_MEM_IO; /* device memory */
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_layout, 4);
	cfg_peer(&c, 1);
	c.mem[2].flags |= WD_MEM_WRITE; /* state table writable */
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_writable, 2);
	cfg_peer(&c, 1);
	c.mem[4].flags |= WD_MEM_WRITE; /* A's output writable for B */
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_writable, 4);
}
END_TEST

/* Jailhouse's configs give an empty R/W section as a { 0 } region. */
START_TEST(empty_rw_section_is_accepted)
{
	struct sim_mapping m;
	struct cfg c;
	long id[2];
	unsigned int k;

	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_a, 0), 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_b, 0), 0);
	for (k = 0; k < 2; k++) {
		cfg_peer(&c, k);
		c.mem[3] = (struct wd_memory){ 0 };
		c.mem[4].virt_start -= 0x1000; /* right after the table */
		c.mem[5].virt_start -= 0x1000;
		id[k] = create_start(&c);
	}
	ck_assert_uint_eq(cfg_read(CPU_A, 0x48, 4), 0);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x50, 4), 0x1000);
	ck_assert(sim_lookup(cell_of(id[1]), SHM_VIRT + 0x1000, &m));
	ck_assert_uint_eq(m.hpa + (SHM_VIRT + 0x1000 - m.gpa), SHM + 0x2000);
	/* Only all zero (an empty slot, anywhere). */
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id[1], 0), 0);
	cfg_peer(&c, 1);
	c.mem[3] = (struct wd_memory){ .virt_start = 0x400000 };
	create_fails(&c, -WD_EINVAL, WD_R_mem_size_zero, 3);
	/* Output sections: all empty or none (they have one size). */
	cfg_peer(&c, 1);
	c.mem[4] = (struct wd_memory){ 0 };
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_layout, 5);
	cfg_peer(&c, 1);
	c.mem[5] = (struct wd_memory){ 0 };
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_layout, 5);
}
END_TEST

/*
 * Virtio over ivshmem as Jailhouse configures it: a state table, one R/W
 * section both peers write (the virtqueues), and no output sections
 * ({ 0 }, { 0 }). Both peers load, see output size 0, share the R/W
 * section, and the doorbells work.
 */
START_TEST(virtio_style_empty_outputs_work)
{
	struct sim_mapping m;
	struct cfg c;
	long id[2];
	unsigned int k;

	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_a, 0), 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_b, 0), 0);
	for (k = 0; k < 2; k++) {
		cfg_peer(&c, k);
		c.mem[3].size = 0x4000;
		c.mem[3].flags |= WD_MEM_WRITE;
		c.mem[4] = (struct wd_memory){ 0 };
		c.mem[5] = (struct wd_memory){ 0 };
		ivshmem_of(&c)->shmem_protocol =
			(k ? WD_SHMEM_PROTO_VIRTIO_BACK :
			     WD_SHMEM_PROTO_VIRTIO_FRONT) +
			3; /* console */
		id[k] = create_start(&c);
	}
	ck_assert_uint_eq(cfg_read(CPU_A, 0x44, 4), 0x1000); /* state */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x48, 4), 0x4000); /* R/W */
	ck_assert_uint_eq(cfg_read(CPU_A, 0x50, 4), 0);	     /* output */
	ck_assert_uint_eq(cfg_read(CPU_B, 0x50, 4), 0);
	ck_assert_uint_eq(cfg_read(CPU_A, 0x0a, 2), 0xff80);
	ck_assert_uint_eq(cfg_read(CPU_B, 0x0a, 2), 0xffc0);
	for (k = 0; k < 2; k++) {
		ck_assert(sim_lookup(cell_of(id[k]), SHM_VIRT + 0x4fff, &m));
		ck_assert(m.flags & WD_MEM_WRITE);
		ck_assert_uint_eq(m.hpa + (SHM_VIRT + 0x4fff - m.gpa),
				  SHM + 0x4fff);
		ck_assert(!sim_lookup(cell_of(id[k]), SHM_VIRT + 0x5000, &m));
	}
	ready_both();
	ring(CPU_A, 1 << 16 | 0);
	expect_irqs(CPU_B, 1, arm ? 0 : VECTOR);
}
END_TEST

START_TEST(arm_ivshmem_has_no_msix)
{
	struct cfg c;

	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id_b, 0), 0);
	cfg_peer(&c, 1);
	ivshmem_of(&c)->num_msix_vectors = 1;
	create_fails(&c, -WD_EINVAL, WD_R_ivshmem_vectors, BDF);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("ivshmem");
	TCase *t = tcase_create("x86");

	tcase_add_checked_fixture(t, setup_x86, teardown);
	tcase_add_test(t, config_space_identifies_the_device);
	tcase_add_test(t, vendor_capability_describes_the_shared_memory);
	tcase_add_test(t, bars_size_like_4k_memory_bars);
	tcase_add_test(t, read_only_config_writes_are_ignored);
	tcase_add_test(t, root_and_strangers_see_an_empty_slot);
	tcase_add_test(t, bar0_moves_the_register_handler);
	tcase_add_test(t, registers_read_as_the_spec_says);
	tcase_add_test(t, register_access_must_be_aligned_32_bit);
	tcase_add_test(t, bar_over_another_handler_fails_the_cell);
	tcase_add_test(t, both_peers_map_the_shared_memory);
	tcase_add_test(t, first_peer_clears_the_state_table);
	tcase_add_test(t, state_writes_reach_the_state_table);
	tcase_add_test(t, doorbell_interrupts_the_peer_once);
	tcase_add_test(t, msix_message_outside_the_cell_is_refused);
	tcase_add_test(t, doorbell_without_reception_does_nothing);
	tcase_add_test(t, state_change_interrupts_the_peer);
	tcase_add_test(t, one_shot_mode_clears_int_ctrl);
	tcase_add_test(t, msix_table_reads_back_and_pba_is_zero);
	tcase_add_test(t, destroy_unlinks_the_peer);
	tcase_add_test(t, destroying_both_ends_the_link);
	tcase_add_test(t, live_peer_id_is_taken);
	tcase_add_test(t, peers_must_share_the_same_memory);
	tcase_add_test(t, bad_ivshmem_configs_are_rejected);
	tcase_add_test(t, bad_ivshmem_layouts_are_rejected);
	tcase_add_test(t, empty_rw_section_is_accepted);
	tcase_add_test(t, virtio_style_empty_outputs_work);
	suite_add_tcase(s, t);
	t = tcase_create("arm");
	tcase_add_checked_fixture(t, setup_arm, teardown);
	tcase_add_test(t, arm_doorbell_raises_the_cells_vpci_spi);
	tcase_add_test(t, arm_ivshmem_has_no_msix);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
