/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warden-config check (tools/check*.c): one test per rule, each with a set
 * of configs that breaks it, asserting the exact messages. Configs come
 * from the core tests' builder (support_cfg.h: a system "root" on CPUs
 * 0-3, cells "tiny" and "attack") and are decoded as binary configs, so
 * items are named "memory region 1", "CPU 5" and so on.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../tools/check.h"
#include "../../tools/commands.h"
#include "support_cfg.h"
#include "support_run.h"

#define RW (WD_MEM_READ | WD_MEM_WRITE)
#define MAX_CELLS 17

static const char *const files[MAX_CELLS + 1] = {
	"sys.cell", "a.cell", "b.cell", "c.cell", "d.cell", "e.cell",
	"f.cell",   "g.cell", "h.cell", "i.cell", "j.cell", "k.cell",
	"l.cell",   "m.cell", "n.cell", "o.cell", "p.cell", "q.cell",
};

static struct cfg sys, cell[MAX_CELLS];
static struct cellcfg decoded[MAX_CELLS + 1];

static void decode(const struct cfg *c, struct cellcfg *out, const char *file)
{
	static uint8_t buf[65536];
	size_t len = cfg_build(c, buf, sizeof(buf));
	char err[256];

	ck_assert_msg(!cellcfg_decode(buf, len, out, err, sizeof(err)), "%s",
		      err);
	out->file = file;
}

static unsigned int lines(const char *s)
{
	unsigned int n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

/* Run check_configs on the decoded configs @cfgs; the text it printed. */
static char *run(struct cellcfg **cfgs, unsigned int n, int *problems)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	ck_assert_ptr_nonnull(f);
	*problems = check_configs(cfgs, n, f);
	fclose(f);
	return text;
}

static void expect_cfgs(struct cellcfg **cfgs, unsigned int n, const char *want)
{
	int problems;
	char *text = run(cfgs, n, &problems);

	ck_assert_str_eq(text, want);
	ck_assert_int_eq(problems, (int)lines(want));
	free(text);
}

/* Check sys plus the first @n cells: the output must be @want exactly. */
static void expect(unsigned int n, const char *want)
{
	struct cellcfg *cfgs[MAX_CELLS + 1];
	unsigned int i;

	decode(&sys, &decoded[0], files[0]);
	cfgs[0] = &decoded[0];
	for (i = 0; i < n; i++) {
		decode(&cell[i], &decoded[i + 1], files[i + 1]);
		cfgs[i + 1] = &decoded[i + 1];
	}
	expect_cfgs(cfgs, n + 1, want);
	for (i = 0; i <= n; i++)
		cellcfg_free(&decoded[i]);
}

/* Default machine: system, "tiny" (a.cell) and "attack" (b.cell). */
static void setup(void)
{
	cfg_system(&sys);
	cfg_tiny(&cell[0]);
	cfg_attack(&cell[1]);
}

#define W "warden-config: "

START_TEST(defaults_are_clean)
{
	expect(2, "");
}
END_TEST

/* ---- (a) the core's validator ------------------------------------------ */

START_TEST(name_too_long)
{
	memset(cell[0].cell.name, 'n', sizeof(cell[0].cell.name));
	expect(1,
	       W "a.cell: header: value \"nnnnnnnnnnnnnnnnnnnnnnnnnnnnnnnn\": "
		 "cell name must have 1 to 31 characters and end with a NUL "
		 "byte\n");
}
END_TEST

START_TEST(name_empty)
{
	sys.sys.root_cell.name[0] = 0;
	expect(0, W "sys.cell: header: value \"\": cell name must have 1 to 31 "
		    "characters and end with a NUL byte\n");
}
END_TEST

START_TEST(too_many_items)
{
	unsigned int i;

	for (i = 0; i < 128; i++)
		cfg_add_pio(&cell[0], 0x2f8, 1);
	expect(1, W "a.cell: header: value 0x81: 129 PIO ranges; the core "
		    "accepts at most 128\n");
}
END_TEST

START_TEST(cpu_set_too_large)
{
	cell[0].cpu_set_size = 9;
	expect(1, W "a.cell: header: value 0x9: CPU set of 9 bytes; the core "
		    "accepts at most 8 (64 CPUs)\n");
}
END_TEST

START_TEST(cpu_set_empty)
{
	cell[0].cpus = 0;
	expect(1, W "a.cell: header: value 0x0: CPU set is empty: a cell needs "
		    "at least one CPU\n");
}
END_TEST

START_TEST(region_unknown_flags)
{
	cell[0].mem[0].flags |= 0x200;
	expect(1, W "a.cell: memory region 0: value 0x200: unknown memory flag "
		    "bits (revision 14 defines 0xf81ff)\n");
}
END_TEST

START_TEST(region_size_zero)
{
	cell[0].mem[0].size = 0;
	expect(1, W "a.cell: memory region 0: value 0x0: memory region of size "
		    "zero\n");
	/* Size 0 with only the flags left: still a problem. */
	setup();
	cfg_add_mem(&cell[0], 0, 0, 0, WD_MEM_READ);
	expect(1, W "a.cell: memory region 2: value 0x0: memory region of size "
		    "zero\n");
}
END_TEST

/*
 * Empty slots ({ 0 }, Jailhouse's unused mem_regions[] tail) map nothing:
 * in the root cell and in cells, first, between or last, no problem.
 */
START_TEST(empty_slots_are_fine)
{
	cfg_add_mem(&sys, 0, 0, 0, 0);
	cfg_add_mem(&sys, 0, 0, 0, 0);
	cell[0].mem[cell[0].nmem] = cell[0].mem[0];
	cell[0].mem[0] = (struct wd_memory){ 0 };
	cell[0].nmem++;
	cfg_add_mem(&cell[1], 0, 0, 0, 0);
	expect(2, "");
}
END_TEST

START_TEST(region_wraps)
{
	cfg_add_mem(&cell[0], T_TINY_PHYS, 0xfffffffffff00000ULL, 0x200000, RW);
	expect(1,
	       W "a.cell: memory region 2: value 0xfffffffffff00000: start + "
		 "size 0x200000 wraps around the address space\n");
}
END_TEST

START_TEST(comm_region_not_one_page)
{
	cell[0].mem[1].size = 0x2000;
	expect(1,
	       W "a.cell: memory region 1: value 0x2000: comm region must be "
		 "one page (4096 bytes)\n");
}
END_TEST

START_TEST(comm_region_twice)
{
	cfg_add_mem(&cell[0], 0, 0x300000, 0x1000, RW | WD_MEM_COMM_REGION);
	expect(1, W "a.cell: memory region 2: value 0x300000: second comm "
		    "region: a cell has only one\n");
}
END_TEST

START_TEST(subpage_region_not_io)
{
	cfg_add_mem(&cell[0], T_SUBPAGE, 0x400000, 0x100, RW);
	expect(1, W "a.cell: memory region 2: value 0x100: region not "
		    "page-aligned: a sub-page region must be device memory "
		    "(flag IO), the core emulates its accesses\n");
}
END_TEST

START_TEST(subpage_region_without_width)
{
	cfg_add_mem(&cell[0], T_SUBPAGE, 0x400000, 0x100, RW | WD_MEM_IO);
	expect(1, W "a.cell: memory region 2: value 0x0: sub-page region "
		    "without an access width (flags IO_8, IO_16, IO_32 or "
		    "IO_64)\n");
}
END_TEST

START_TEST(region_overlaps_hypervisor)
{
	sys.mem[0].size = T_HV_BASE + 0x1000;
	expect(0, W "sys.cell: memory region 0: value 0x0: physical range "
		    "[0x0, 0xf000fff] overlaps the hypervisor memory "
		    "[0xf000000, 0xfffffff]\n");
}
END_TEST

START_TEST(region_guest_overlap)
{
	cfg_add_mem(&cell[0], T_TINY_PHYS, 0x80000, 0x1000, RW);
	expect(1, W "a.cell: memory region 2: value 0x80000: guest range "
		    "[0x80000, 0x80fff] overlaps that of memory region 0\n");
}
END_TEST

START_TEST(hypervisor_memory_unaligned)
{
	sys.sys.hypervisor_memory.size = 0x800;
	expect(0, W "sys.cell: header: value 0x800: hypervisor memory must be "
		    "non-empty, its start and size page-aligned\n");
}
END_TEST

START_TEST(pio_past_last_port)
{
	cfg_add_pio(&sys, 0xfff8, 0x10);
	expect(0, W "sys.cell: PIO region 2: value 0xfff8: PIO range of 16 "
		    "ports runs past port 0xffff\n");
}
END_TEST

START_TEST(pci_caps_out_of_range)
{
	sys.pci[0].caps_start = 1;
	sys.pci[0].num_caps = 2;
	expect(0, W "sys.cell: PCI device 0: value 0x1: capabilities 1..2 lie "
		    "past the 2 PCI capabilities of the config\n");
}
END_TEST

START_TEST(pci_bdf_twice_in_a_cell)
{
	cfg_add_pci(&sys, T_BDF_ROOT, 0, 0);
	expect(0, W "sys.cell: PCI device 2: value 0x8: PCI device 00:01.0 "
		    "(domain 0) listed twice, also as PCI device 0\n");
}
END_TEST

START_TEST(irqchip_pin_base_too_high)
{
	cfg_add_irqchip(&sys, 0xfec10000, 960, NULL, 0);
	expect(0, W "sys.cell: irqchip 1: value 0x3c0: pin_base + 128 pins "
		    "exceeds the 1024 pins the core handles\n");
}
END_TEST

START_TEST(wrong_signature_and_revision)
{
	struct cellcfg *cfgs[2] = { &decoded[0], &decoded[1] };

	decode(&sys, &decoded[0], "sys.cell");
	decode(&cell[0], &decoded[1], "a.cell");
	memcpy(decoded[0].sys.signature, "JHSYT", 5);
	decoded[1].cell.revision = 13;
	expect_cfgs(cfgs, 2,
		    W "sys.cell: header: value \"JHSYT\": wrong signature, "
		      "expected \"JHSYS\"\n" W "a.cell: header: value 0xd: "
		      "config revision 13, the core reads revision 14\n");
	cellcfg_free(&decoded[0]);
	cellcfg_free(&decoded[1]);
}
END_TEST

/* The core stops at the first problem; the tool reports them all. */
START_TEST(every_problem_is_reported)
{
	cell[0].mem[0].flags |= 0x200;
	cell[0].mem[1].size = 0x2000;
	cfg_add_mem(&cell[0], T_TINY_PHYS, 0x80000, 0x1000, RW);
	cfg_add_pio(&cell[0], 0xffff, 2);
	cell[0].cpus = 0;
	expect(1,
	       W "a.cell: header: value 0x0: CPU set is empty: a cell "
		 "needs at least one CPU\n" W
		 "a.cell: memory region 0: value 0x200: unknown memory flag "
		 "bits (revision 14 defines 0xf81ff)\n" W
		 "a.cell: memory region 1: value 0x2000: comm region must be "
		 "one page (4096 bytes)\n" W
		 "a.cell: memory region 2: value 0x80000: guest range "
		 "[0x80000, 0x80fff] overlaps that of memory region 0\n" W
		 "a.cell: PIO region 1: value 0xffff: PIO range of 2 ports "
		 "runs past port 0xffff\n" W
		 "a.cell: PIO region 1: value 0xffff: port not owned by the "
		 "root cell\n");
}
END_TEST

/* ---- (b) across cells: what CELL_CREATE and enable check ---------------- */

START_TEST(architecture_differs)
{
	cell[0].cell.architecture = WD_ARCH_ARM;
	expect(1, W "a.cell: header: value 0x1: architecture differs from the "
		    "system config's (0x0)\n");
}
END_TEST

START_TEST(name_used_twice)
{
	strcpy(cell[1].cell.name, "tiny");
	expect(2, W "b.cell: header: value \"tiny\": cell name already used by "
		    "a.cell\n");
}
END_TEST

START_TEST(name_of_the_root_cell)
{
	strcpy(cell[0].cell.name, "root");
	expect(1, W "a.cell: header: value \"root\": cell name already used by "
		    "sys.cell\n");
}
END_TEST

START_TEST(cpu_not_in_root)
{
	cell[0].cpus = 1 << 5;
	expect(1, W "a.cell: CPU 5: value 0x5: CPU not in the root cell's CPU "
		    "set\n");
}
END_TEST

START_TEST(cpu_in_two_cells)
{
	cell[1].cpus |= 1 << 2;
	expect(2, W "b.cell: CPU 2: value 0x2: CPU already given to cell "
		    "\"tiny\"\n");
}
END_TEST

START_TEST(root_keeps_a_cpu)
{
	cell[1].cpus = 0xb; /* 0, 1, 3; tiny has 2 */
	expect(2, W "b.cell: CPU 3: value 0x3: last CPU of the root cell: it "
		    "must keep one to create cells from\n");
}
END_TEST

START_TEST(region_not_in_root)
{
	cell[0].mem[0].phys_start = 0x20000000;
	expect(1, W "a.cell: memory region 0: value 0x20000000: physical range "
		    "[0x20000000, 0x200fffff] not covered by the root "
		    "cell's memory regions\n");
}
END_TEST

START_TEST(region_straddles_root_regions)
{
	/* Covered by root regions 1 and 2 together: adjacent, accepted. */
	cfg_add_mem(&cell[0], T_DEV_PAGE + 0x800, 0x400000, 0x900,
		    RW | WD_MEM_IO | WD_MEM_IO_32);
	expect(1, "");
	/* One byte more reaches past region 2: refused, whole range named. */
	cell[0].mem[2].size = 0x901;
	expect(1, W "a.cell: memory region 2: value 0xfed00800: physical range "
		    "[0xfed00800, 0xfed01100] not covered by the root cell's "
		    "memory regions\n");
}
END_TEST

START_TEST(memory_of_two_cells_overlaps)
{
	cell[1].mem[0].phys_start = T_TINY_PHYS + 0x80000;
	expect(2, W "b.cell: memory region 0: value 0xe080000: physical range "
		    "overlaps memory region 0 of cell \"tiny\" (shared memory "
		    "needs ROOTSHARED on both)\n");
}
END_TEST

START_TEST(shared_memory_needs_rootshared_on_both)
{
	cfg_add_mem(&cell[0], 0x0d000000, 0x400000, 0x1000,
		    RW | WD_MEM_ROOTSHARED);
	cfg_add_mem(&cell[1], 0x0d000000, 0x400000, 0x1000,
		    RW | WD_MEM_ROOTSHARED);
	expect(2, "");
	cell[1].mem[2].flags = RW;
	expect(2, W "b.cell: memory region 2: value 0xd000000: physical range "
		    "overlaps memory region 2 of cell \"tiny\" (shared memory "
		    "needs ROOTSHARED on both)\n");
}
END_TEST

START_TEST(region_maps_ecam)
{
	cfg_add_mem(&cell[0], T_TINY_PHYS, T_ECAM + 0xff000, 0x1000, RW);
	sys.mem[1].virt_start = T_ECAM;
	expect(1, W "sys.cell: memory region 1: value 0xe0000000: region "
		    "overlaps the PCI config space window [0xe0000000, "
		    "0xe00fffff]\n" W "a.cell: memory region 2: value "
		    "0xe00ff000: region overlaps the PCI config space window "
		    "[0xe0000000, 0xe00fffff]\n");
}
END_TEST

START_TEST(pin_not_in_root)
{
	unsigned int pin = 30;

	cfg_add_irqchip(&cell[0], T_IOAPIC, 0, &pin, 1);
	expect(1, W "a.cell: irqchip 1: value 0x1e: pin not owned by the root "
		    "cell (on the irqchip at 0xfec00000)\n");
}
END_TEST

START_TEST(pin_on_a_chip_root_lacks)
{
	cell[0].irq[0].address = 0xfec10000;
	expect(1, W "a.cell: irqchip 0: value 0x5: pin not owned by the root "
		    "cell (on the irqchip at 0xfec10000)\n");
}
END_TEST

START_TEST(pin_in_two_cells)
{
	unsigned int pin = 5;

	cfg_add_irqchip(&cell[1], T_IOAPIC, 0, &pin, 1);
	expect(2, W "b.cell: irqchip 0: value 0x5: pin already given to cell "
		    "\"tiny\"\n");
}
END_TEST

/* ARM: the root cell owns SPIs 32..39; maintenance interrupt 40. */
static void arm_machine(void)
{
	unsigned int pins[8], i;

	for (i = 0; i < 8; i++)
		pins[i] = 32 + i;
	sys.sys.architecture = WD_ARCH_ARM;
	sys.sys.platform_info.arm.maintenance_irq = 40;
	sys.nirq = 0;
	cfg_add_irqchip(&sys, 0x08000000, 32, pins, 8);
	cell[0].cell.architecture = WD_ARCH_ARM;
	cell[0].nirq = 0;
}

START_TEST(arm_sgi_ppi_not_assignable)
{
	unsigned int pin = 27;

	arm_machine();
	cfg_add_irqchip(&cell[0], 0x08000000, 0, &pin, 1);
	expect(1, W "a.cell: irqchip 0: value 0x1b: ARM SGIs and PPIs (pins "
		    "0-31) are per CPU, not assignable\n");
}
END_TEST

START_TEST(arm_maintenance_irq_not_assignable)
{
	unsigned int pin = 40;

	arm_machine();
	cfg_add_irqchip(&cell[0], 0x08000000, 32, &pin, 1);
	expect(1, W "a.cell: irqchip 0: value 0x28: the GIC maintenance "
		    "interrupt belongs to the hypervisor\n");
}
END_TEST

START_TEST(arm_root_cell_pins)
{
	unsigned int pin = 16;

	arm_machine();
	cfg_add_irqchip(&sys, 0x08000000, 0, &pin, 1);
	expect(0, W "sys.cell: irqchip 1: value 0x10: ARM SGIs and PPIs (pins "
		    "0-31) are per CPU, not assignable\n");
}
END_TEST

START_TEST(port_not_in_root)
{
	cfg_add_pio(&cell[0], 0x3fe, 4);
	expect(1, W "a.cell: PIO region 1: value 0x400: port not owned by the "
		    "root cell\n");
}
END_TEST

START_TEST(port_in_two_cells)
{
	cfg_add_pio(&cell[1], 0x2fc, 4);
	expect(2, W "b.cell: PIO region 0: value 0x2fc: port already given to "
		    "cell \"tiny\"\n");
}
END_TEST

START_TEST(pci_device_not_in_root)
{
	cell[0].pci[0].bdf = 0x0018;
	expect(1, W "a.cell: PCI device 0: value 0x18: PCI device 00:03.0 not "
		    "owned by the root cell\n");
}
END_TEST

START_TEST(pci_device_in_two_cells)
{
	cfg_add_pci(&cell[1], T_BDF_NIC, 0, 0);
	expect(2, W "b.cell: PCI device 0: value 0x10: PCI device 00:02.0 "
		    "already given to cell \"tiny\"\n");
}
END_TEST

/* Peer @id of a two-peer ivshmem link at 00:1f.0 on four shared pages. */
static struct wd_pci_device *add_ivshmem(struct cfg *c, unsigned int id)
{
	uint64_t ro = WD_MEM_READ | WD_MEM_ROOTSHARED;
	struct wd_pci_device *d;
	unsigned int k, first = c->nmem;

	for (k = 0; k < 4; k++)
		cfg_add_mem(c, 0x0e400000 + k * 0x1000ULL,
			    0x200000 + k * 0x1000ULL, 0x1000,
			    k == 1 || k == 2 + id ? ro | WD_MEM_WRITE : ro);
	cfg_add_pci(c, 0x00f8, 0, 0);
	d = &c->pci[c->npci - 1];
	d->type = WD_PCI_TYPE_IVSHMEM;
	d->shmem_regions_start = first;
	d->shmem_dev_id = (uint8_t)id;
	d->shmem_peers = 2;
	d->num_msix_vectors = 1;
	return d;
}

/* A Jailhouse-style pair: the same BDF, the same ROOTSHARED memory. */
START_TEST(ivshmem_pair_is_accepted)
{
	add_ivshmem(&cell[0], 0);
	add_ivshmem(&cell[1], 1);
	expect(2, "");
}
END_TEST

/*
 * After a dropped item no follow-on message appears: each kind is dropped
 * in front of an ivshmem device (whose region numbers must follow) and
 * exactly the one real problem is reported.
 */
START_TEST(dropped_items_cause_no_follow_on)
{
	/* A memory region in front of the device's sections. */
	cfg_add_mem(&cell[0], 0x0e0f0000, 0x300000, 0, WD_MEM_READ);
	add_ivshmem(&cell[0], 0);
	add_ivshmem(&cell[1], 1);
	expect(2, W "a.cell: memory region 2: value 0x0: memory region of "
		    "size zero\n");
	/* Two of them. */
	setup();
	cfg_add_mem(&cell[0], 0x0e0f0000, 0x300000, 0, WD_MEM_READ);
	cfg_add_mem(&cell[0], 0x0e0f1000, 0x301000, 0, WD_MEM_READ);
	add_ivshmem(&cell[0], 0);
	add_ivshmem(&cell[1], 1);
	expect(2, W "a.cell: memory region 2: value 0x0: memory region of "
		    "size zero\n" W "a.cell: memory region 3: value 0x0: "
		    "memory region of size zero\n");
	/* A section of the device itself: the device goes with it. */
	setup();
	add_ivshmem(&cell[0], 0);
	cell[0].mem[4].flags |= WD_MEM_COMM_REGION;
	expect(1, W "a.cell: memory region 4: value 0x202000: second comm "
		    "region: a cell has only one\n");
	/*
	 * An ivshmem device with an empty section (Jailhouse's
	 * JAILHOUSE_SHMEM_NET_REGIONS has an empty R/W section, { 0 }):
	 * dropped for its own problem, it leaves the empty section, which
	 * is no problem of its own.
	 */
	setup();
	add_ivshmem(&cell[0], 0)->shmem_peers = 1;
	cell[0].mem[cell[0].nmem - 3] = (struct wd_memory){ 0 };
	add_ivshmem(&cell[1], 1);
	expect(2, W "a.cell: PCI device 1: value 0x1: ivshmem with 1 peers: "
		    "2 to 16 are supported\n");
	/* A PCI device. */
	setup();
	cell[0].pci[0].num_caps = 9;
	add_ivshmem(&cell[0], 0);
	add_ivshmem(&cell[1], 1);
	expect(2, W "a.cell: PCI device 0: value 0x0: capabilities 0..8 lie "
		    "past the 2 PCI capabilities of the config\n");
	/* A PIO range (ports up to 0xffff are the root cell's). */
	setup();
	cfg_add_pio(&sys, 0xfff0, 0x10);
	cfg_add_pio(&cell[0], 0xfffe, 4);
	add_ivshmem(&cell[0], 0);
	add_ivshmem(&cell[1], 1);
	expect(2, W "a.cell: PIO region 1: value 0xfffe: PIO range of 4 ports "
		    "runs past port 0xffff\n");
	/* An irqchip. */
	setup();
	cell[0].irq[0].pin_base = 0x1000;
	add_ivshmem(&cell[0], 0);
	add_ivshmem(&cell[1], 1);
	expect(2, W "a.cell: irqchip 0: value 0x1000: pin_base + 128 pins "
		    "exceeds the 1024 pins the core handles\n");
}
END_TEST

START_TEST(ivshmem_rules_of_the_core)
{
	add_ivshmem(&cell[0], 0)->shmem_peers = 1;
	add_ivshmem(&cell[1], 1);
	cell[1].mem[2].flags |= WD_MEM_WRITE;
	expect(2, W "a.cell: PCI device 1: value 0x1: ivshmem with 1 peers: "
		    "2 to 16 are supported\n" W
		    "b.cell: memory region 2: value 0x83: ivshmem 00:1f.0 "
		    "state table is writable: it must be read-only for this "
		    "peer\n");
}
END_TEST

START_TEST(ivshmem_link_rules)
{
	add_ivshmem(&cell[0], 0);
	add_ivshmem(&cell[1], 0);
	cfg_attack(&cell[2]);
	snprintf(cell[2].cell.name, sizeof(cell[2].cell.name), "third");
	cell[2].cpus = 1ULL << 1;
	cell[2].mem[0].phys_start = 0x0e200000;
	add_ivshmem(&cell[2], 1)->num_msix_vectors = 2;
	expect(3, W "b.cell: PCI device 0: value 0x0: ivshmem 00:1f.0: id 0 "
		    "already used by cell \"tiny\"\n" W
		    "c.cell: PCI device 0: value 0xf8: ivshmem 00:1f.0: its "
		    "peer in cell \"tiny\" has other shared memory, peer "
		    "count or vectors\n");
}
END_TEST

START_TEST(cell_table_full)
{
	unsigned int i;

	sys.cpus = ~0ULL;
	for (i = 0; i < 16; i++) {
		cfg_attack(&cell[i]);
		snprintf(cell[i].cell.name, sizeof(cell[i].cell.name), "c%u",
			 i);
		cell[i].cpus = 1ULL << (i + 1);
		cell[i].mem[0].phys_start = 0x08000000 + i * 0x100000ULL;
	}
	expect(16, W "p.cell: header: value 0x11: cell number 17: the "
		     "hypervisor holds 16 cells, the root cell included\n");
}
END_TEST

/* ---- (c) the tool's own rules -------------------------------------------- */

START_TEST(comm_region_missing)
{
	cell[0].nmem = 1;
	expect(1,
	       W "a.cell: header: value 0x40000000: no comm region: the cell "
		 "cannot answer shutdown requests (add one, or set the "
		 "passive-commreg flag)\n");
	cell[0].cell.flags |= WD_CELL_PASSIVE_COMMREG;
	expect(1, "");
}
END_TEST

START_TEST(debug_console_outside_root)
{
	struct wd_console *con = &sys.sys.debug_console;

	con->type = WD_CON_TYPE_8250;
	con->flags = WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4;
	con->address = T_DEV_PAGE + 0x800;
	con->size = 0x100;
	expect(0, "");
	con->address = 0xfee00000;
	expect(0, W "sys.cell: header: value 0xfee00000: hypervisor debug "
		    "console (MMIO) not inside a memory region of cell "
		    "\"root\"\n");
	/*
	 * Its register base in a root region is enough: the shape of
	 * Jailhouse's pine64-plus (a 0x400-byte console, a 0x20-byte region).
	 */
	con->address = T_DEV_PAGE + 0xff0;
	con->size = 0x400;
	expect(0, "");
}
END_TEST

/*
 * A port I/O debug console outside the root cell's PIO ranges is fine: the
 * shape of Jailhouse's qemu-x86 (8250 at port 0x3f8, which the root cell
 * does not get, so only the hypervisor writes there).
 */
START_TEST(pio_debug_console_need_not_be_root_s)
{
	struct wd_console *con = &sys.sys.debug_console;

	/* The root cell keeps 0x2f8 only, as qemu-x86's keeps serial 2. */
	ck_assert_int_eq(sys.pio[0].base, 0x3f8);
	sys.pio[0] = sys.pio[--sys.npio];
	con->type = WD_CON_TYPE_8250;
	con->flags = WD_CON_ACCESS_PIO;
	con->address = 0x3f8;
	con->size = 0;
	expect(0, "");
	con->flags = WD_CON_ACCESS_MMIO;
	con->address = 0xfee00000;
	expect(0, W "sys.cell: header: value 0xfee00000: hypervisor debug "
		    "console (MMIO) not inside a memory region of cell "
		    "\"root\"\n");
}
END_TEST

START_TEST(pio_console_ports)
{
	struct wd_console *con = &cell[0].cell.console;

	con->type = WD_CON_TYPE_8250;
	con->address = 0x2f8;
	con->size = 8;
	expect(1, "");
	con->address = 0x3f8;
	expect(1, W "a.cell: header: value 0x3f8: cell console (port I/O, 8 "
		    "ports) not in a PIO range of cell \"tiny\"\n");
}
END_TEST

START_TEST(cell_console_uses_guest_addresses)
{
	struct wd_console *con = &cell[0].cell.console;

	con->type = WD_CON_TYPE_PL011;
	con->flags = WD_CON_ACCESS_MMIO;
	con->address = 0x1000;
	con->size = 0x1000;
	expect(1, "");
	con->address = T_TINY_PHYS;
	expect(1, W "a.cell: header: value 0xe000000: cell console (MMIO, "
		    "0x1000 bytes) not inside a memory region of cell "
		    "\"tiny\"\n");
}
END_TEST

START_TEST(exactly_one_system)
{
	struct cellcfg *cfgs[2] = { &decoded[0], &decoded[1] };

	decode(&cell[0], &decoded[0], "a.cell");
	expect_cfgs(cfgs, 1,
		    W "a.cell: header: value 0x0: no system config given: "
		      "exactly one expected, with the cells meant to run on "
		      "it\n");
	decode(&sys, &decoded[1], "sys2.cell");
	cellcfg_free(&decoded[0]);
	decode(&sys, &decoded[0], "sys.cell");
	expect_cfgs(cfgs, 2,
		    W "sys2.cell: header: value 0x2: 2 system configs given, "
		      "exactly one expected (the first is sys.cell)\n");
	cellcfg_free(&decoded[0]);
	cellcfg_free(&decoded[1]);
}
END_TEST

/* ---- inputs: DTS, shipped configs, files, the command ------------------- */

/* Load @path (from the top directory, where the tests run). */
static void load(const char *path, struct cellcfg *out)
{
	ck_assert_msg(!check_load(path, out, stderr), "%s", path);
}

START_TEST(dts_messages_name_nodes)
{
	struct cellcfg *cfgs[2] = { &decoded[0], &decoded[1] };

	load("configs/sim-x86/system.dts", &decoded[0]);
	load("configs/sim-x86/tiny.dts", &decoded[1]);
	decoded[1].mem[0].phys_start = 0x20000000;
	expect_cfgs(cfgs, 2,
		    W "configs/sim-x86/tiny.dts: /memory-regions/ram@e000000: "
		      "value 0x20000000: physical range [0x20000000, "
		      "0x200fffff] not covered by the root cell's memory "
		      "regions\n");
	cellcfg_free(&decoded[0]);
	cellcfg_free(&decoded[1]);
}
END_TEST

static int is_target(const struct dirent *e)
{
	return e->d_name[0] != '.' && e->d_type == DT_DIR;
}

static int is_dts(const struct dirent *e)
{
	size_t n = strlen(e->d_name);

	return n > 4 && !strcmp(e->d_name + n - 4, ".dts");
}

/* The set a cell file belongs to: "GROUP" of GROUP-x.dts, else "". */
static size_t group_len(const char *name)
{
	const char *dash = strrchr(name, '-');

	return dash ? (size_t)(dash - name) : 0;
}

static bool same_group(const char *a, const char *b)
{
	return group_len(a) == group_len(b) && !strncmp(a, b, group_len(a));
}

/*
 * configs/<target>/: system.dts first, then the cells of one set, as the
 * build checks them (SConstruct, configs/README.md).
 */
static void check_set(const char *dir, struct dirent **names, int count,
		      const char *group)
{
	struct cellcfg *cfgs[MAX_CELLS + 1];
	char path[512];
	unsigned int n = 1, i;
	int k;

	snprintf(path, sizeof(path), "%s/system.dts", dir);
	load(path, &decoded[0]);
	cfgs[0] = &decoded[0];
	for (k = 0; k < count; k++) {
		if (strcmp(names[k]->d_name, "system.dts") &&
		    same_group(names[k]->d_name, group) && n <= MAX_CELLS) {
			snprintf(path, sizeof(path), "%s/%s", dir,
				 names[k]->d_name);
			load(path, &decoded[n]);
			cfgs[n] = &decoded[n];
			n++;
		}
	}
	expect_cfgs(cfgs, n, "");
	for (i = 0; i < n; i++)
		cellcfg_free(&decoded[i]);
}

static void check_target(const char *target)
{
	struct dirent **names;
	char dir[256];
	int k, j, count;

	snprintf(dir, sizeof(dir), "configs/%s", target);
	count = scandir(dir, &names, is_dts, alphasort);
	ck_assert_int_gt(count, 1);
	/* Each set once: at its first member. */
	for (k = 0; k < count; k++) {
		for (j = 0; j < k; j++)
			if (same_group(names[j]->d_name, names[k]->d_name))
				break;
		if (j == k)
			check_set(dir, names, count, names[k]->d_name);
	}
	for (k = 0; k < count; k++)
		free(names[k]);
	free(names);
}

START_TEST(shipped_configs_are_clean)
{
	struct dirent **targets;
	int k, count = scandir("configs", &targets, is_target, alphasort);

	ck_assert_int_gt(count, 0);
	for (k = 0; k < count; k++) {
		check_target(targets[k]->d_name);
		free(targets[k]);
	}
	free(targets);
}
END_TEST

/* What check_load() prints for @path. */
static char *load_error(const char *path)
{
	struct cellcfg c;
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(check_load(path, &c, f), -1);
	fclose(f);
	return text;
}

START_TEST(unreadable_inputs)
{
	char path[] = "/tmp/test_check_XXXXXX", *text;
	int fd = mkstemp(path);
	char want[256];

	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(write(fd, "JHCLL\0\x0e\0\0\0", 10), 10);
	close(fd);
	text = load_error(path);
	snprintf(want, sizeof(want),
		 W "%s: truncated: 10 bytes, shorter than the 132-byte cell "
		   "header\n",
		 path);
	ck_assert_str_eq(text, want);
	free(text);
	unlink(path);
	text = load_error(path);
	snprintf(want, sizeof(want),
		 W "%s: cannot read: No such file or directory\n", path);
	ck_assert_str_eq(text, want);
	free(text);
}
END_TEST

static int run_cmd(int argc, const char **argv)
{
	/* Usage and messages go to the test log otherwise. */
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout));
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
	return cmd_check(argc, (char **)argv);
}

START_TEST(exit_status)
{
	const char *help[] = { "check", "--help" };
	const char *bad[] = { "check", "--frob", "x.cell" };
	const char *ok[] = { "check", "configs/sim-x86/system.dts",
			     "configs/sim-x86/tiny.dts",
			     "configs/sim-x86/attack.dts" };
	const char *cell_only[] = { "check", "configs/sim-x86/tiny.dts" };
	const char *missing[] = { "check", "configs/sim-x86/system.dts",
				  "no-such-file.cell" };

	ck_assert_int_eq(run_cmd(2, help), 0);
	ck_assert_int_eq(run_cmd(1, help), 2);
	ck_assert_int_eq(run_cmd(3, bad), 2);
	ck_assert_int_eq(run_cmd(4, ok), 0);
	ck_assert_int_eq(run_cmd(2, cell_only), 1);
	ck_assert_int_eq(run_cmd(3, missing), 1);
}
END_TEST

START_TEST(ivshmem_must_be_reachable)
{
	static const unsigned int spis[] = { 140 };

	add_ivshmem(&cell[0], 0);
	add_ivshmem(&cell[1], 1);
	sys.sys.platform_info.pci_mmconfig_base = 0;
	expect(2,
	       W "a.cell: PCI device 1: value 0xf8: ivshmem 00:1f.0: outside "
		 "the PCI config space window (pci-mmconfig-base, "
		 "-end-bus): the cell cannot reach it\n" W
		 "b.cell: PCI device 0: value 0xf8: ivshmem 00:1f.0: outside "
		 "the PCI config space window (pci-mmconfig-base, "
		 "-end-bus): the cell cannot reach it\n");
	/* ARM: INTx D of slot 0x1f is 32 + 105 + 3 = 140. */
	cfg_system(&sys);
	sys.sys.architecture = WD_ARCH_ARM;
	sys.nirq = 0;
	cfg_add_irqchip(&sys, 0x08000000, 32, spis, 1);
	sys.sys.platform_info.arm.gicd_base = 0x08000000;
	cfg_attack(&cell[0]);
	cell[0].cell.architecture = WD_ARCH_ARM;
	cell[0].cell.vpci_irq_base = 105;
	add_ivshmem(&cell[0], 0)->num_msix_vectors = 0;
	expect(1, W "a.cell: PCI device 0: value 0x8c: ivshmem 00:1f.0: its "
		    "INTx is GIC interrupt 140 (32 + vpci-irq-base + pin - 1), "
		    "which the cell's irqchips do not list\n");
	cfg_add_irqchip(&cell[0], 0x08000000, 32, spis, 1);
	expect(1, "");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("check");
	TCase *t = tcase_create("rules");

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, defaults_are_clean);
	tcase_add_test(t, name_too_long);
	tcase_add_test(t, name_empty);
	tcase_add_test(t, too_many_items);
	tcase_add_test(t, cpu_set_too_large);
	tcase_add_test(t, cpu_set_empty);
	tcase_add_test(t, region_unknown_flags);
	tcase_add_test(t, region_size_zero);
	tcase_add_test(t, empty_slots_are_fine);
	tcase_add_test(t, region_wraps);
	tcase_add_test(t, comm_region_not_one_page);
	tcase_add_test(t, comm_region_twice);
	tcase_add_test(t, subpage_region_not_io);
	tcase_add_test(t, subpage_region_without_width);
	tcase_add_test(t, region_overlaps_hypervisor);
	tcase_add_test(t, region_guest_overlap);
	tcase_add_test(t, hypervisor_memory_unaligned);
	tcase_add_test(t, pio_past_last_port);
	tcase_add_test(t, pci_caps_out_of_range);
	tcase_add_test(t, pci_bdf_twice_in_a_cell);
	tcase_add_test(t, irqchip_pin_base_too_high);
	tcase_add_test(t, wrong_signature_and_revision);
	tcase_add_test(t, every_problem_is_reported);
	tcase_add_test(t, architecture_differs);
	tcase_add_test(t, name_used_twice);
	tcase_add_test(t, name_of_the_root_cell);
	tcase_add_test(t, cpu_not_in_root);
	tcase_add_test(t, cpu_in_two_cells);
	tcase_add_test(t, root_keeps_a_cpu);
	tcase_add_test(t, region_not_in_root);
	tcase_add_test(t, region_straddles_root_regions);
	tcase_add_test(t, memory_of_two_cells_overlaps);
	tcase_add_test(t, shared_memory_needs_rootshared_on_both);
	tcase_add_test(t, region_maps_ecam);
	tcase_add_test(t, pin_not_in_root);
	tcase_add_test(t, pin_on_a_chip_root_lacks);
	tcase_add_test(t, pin_in_two_cells);
	tcase_add_test(t, arm_sgi_ppi_not_assignable);
	tcase_add_test(t, arm_maintenance_irq_not_assignable);
	tcase_add_test(t, arm_root_cell_pins);
	tcase_add_test(t, port_not_in_root);
	tcase_add_test(t, port_in_two_cells);
	tcase_add_test(t, pci_device_not_in_root);
	tcase_add_test(t, pci_device_in_two_cells);
	tcase_add_test(t, ivshmem_pair_is_accepted);
	tcase_add_test(t, dropped_items_cause_no_follow_on);
	tcase_add_test(t, ivshmem_rules_of_the_core);
	tcase_add_test(t, ivshmem_link_rules);
	tcase_add_test(t, ivshmem_must_be_reachable);
	tcase_add_test(t, cell_table_full);
	tcase_add_test(t, comm_region_missing);
	tcase_add_test(t, debug_console_outside_root);
	tcase_add_test(t, pio_debug_console_need_not_be_root_s);
	tcase_add_test(t, pio_console_ports);
	tcase_add_test(t, cell_console_uses_guest_addresses);
	tcase_add_test(t, exactly_one_system);
	tcase_add_test(t, dts_messages_name_nodes);
	tcase_add_test(t, shipped_configs_are_clean);
	tcase_add_test(t, unreadable_inputs);
	tcase_add_test(t, exit_status);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
