/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Binary compatibility with Jailhouse revision 14 configs from outside the
 * project. The fixtures are written byte by byte, little-endian, at the
 * offsets of docs/abi.md section 1 -- never through struct wd_* or
 * cellcfg_encode(), so a layout mistake shared by the headers and the
 * encoder cannot hide. The decoder must read every field back, the core's
 * validator and warden-config check must accept both, and every broken
 * variant must get its precise error.
 */
#include <check.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/core.h"
#include "../../tools/check.h"
#include "../../tools/commands.h"
#include "../../tools/dts.h"
#include "../../tools/upgrade.h"
#include "support_run.h"

struct img {
	uint8_t b[16384];
	size_t len;
};

static struct img sys_img, cell_img;

/* Write @v as @n little-endian bytes at @off. */
static void le(struct img *im, size_t off, uint64_t v, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		im->b[off + i] = (uint8_t)(v >> (8 * i));
	if (off + n > im->len)
		im->len = off + n;
}

static void text(struct img *im, size_t off, const char *s)
{
	memcpy(im->b + off, s, strlen(s));
}

#define U8(o, v) le(im, (o), (v), 1)
#define U16(o, v) le(im, (o), (v), 2)
#define U32(o, v) le(im, (o), (v), 4)
#define U64(o, v) le(im, (o), (v), 8)

/*
 * Jailhouse revision 14's layout (include/jailhouse/cell-config.h), sizes
 * as facts: a 12-byte system header (signature[5], architecture, revision,
 * flags), a 32-byte memory region, a 32-byte console, 12 bytes of PCI
 * fields, 8 IOMMU units of 28 bytes, then the platform union: x86 is
 * u16 pm_timer_address, u8 apic_mode, u8 padding, u32 vtd_interrupt_limit,
 * u32 tsc_khz, u32 apic_khz (16 bytes); ARM is u8 maintenance_irq,
 * u8 gic_version, u8 padding[2], five u64 GIC bases (44 bytes, the size of
 * the union). The 132-byte root cell header follows.
 */
#define JH_SYS_HDR 12
#define JH_MEMORY 32
#define JH_CONSOLE 32
#define JH_PCI_INFO 12
#define JH_IOMMU 28
#define JH_IOMMUS 8
#define JH_UNION 44
#define JH_CELL_HDR 132
#define HV_MEM JH_SYS_HDR
#define DBG_CON (HV_MEM + JH_MEMORY)
#define PLATFORM (DBG_CON + JH_CONSOLE)
#define IOMMU(n) (PLATFORM + JH_PCI_INFO + (n)*JH_IOMMU)
#define UNION IOMMU(JH_IOMMUS)
#define ROOT (UNION + JH_UNION)
#define SYS_ARRAYS (ROOT + JH_CELL_HDR)
/* Array offsets of the system fixture (1.2: no padding between them). */
#define S_CPUS SYS_ARRAYS
#define S_MEM (S_CPUS + 8)
#define S_IRQ (S_MEM + 3 * 32)
#define S_PIO (S_IRQ + 32)
#define S_PCI (S_PIO + 2 * 4)
#define S_CAPS (S_PCI + 2 * 56)
#define S_END (S_CAPS + 2 * 8)

/* Array offsets of the cell fixture. */
#define C_CPUS 132
#define C_MEM (C_CPUS + 1)
#define C_CACHE (C_MEM + 6 * 32)
#define C_IRQ (C_CACHE + 12)
#define C_PIO (C_IRQ + 32)
#define C_PCI (C_PIO + 4)
#define C_CAPS (C_PCI + 2 * 56)
#define C_STREAM (C_CAPS + 8)
#define C_END (C_STREAM + 4)

/* 1.6: one memory region at @o. */
static void mem(struct img *im, size_t o, uint64_t phys, uint64_t virt,
		uint64_t size, uint64_t flags)
{
	U64(o, phys);
	U64(o + 8, virt);
	U64(o + 16, size);
	U64(o + 24, flags);
}

/* 1.10: a PCI device at @o, the fields the fixtures vary. */
static void pci(struct img *im, size_t o, uint8_t type, uint16_t bdf,
		uint32_t bar0, uint16_t caps_start, uint16_t num_caps)
{
	U8(o, type);
	U8(o + 1, 1);	  /* iommu */
	U16(o + 2, 0);	  /* domain */
	U16(o + 4, bdf);  /* bdf */
	U32(o + 6, bar0); /* bar_mask[0] */
	U16(o + 30, caps_start);
	U16(o + 32, num_caps);
}

/* A Jailhouse-style x86 system config (like configs/x86/qemu-x86.c). */
static void make_system(void)
{
	struct img *im = &sys_img;

	memset(im, 0, sizeof(*im));
	text(im, 0, "JHSYS");
	U8(5, 0);		       /* architecture: x86 */
	U16(6, 14);		       /* revision */
	U32(8, 1);		       /* flags: VIRTUAL_DEBUG_CONSOLE */
	U64(12, 0x3a000000);	       /* hypervisor_memory.phys_start */
	U64(28, 0x600000);	       /* hypervisor_memory.size */
	U64(44, 0x3f8);		       /* debug_console.address */
	U32(52, 8);		       /* debug_console.size */
	U16(56, 2);		       /* type: 8250 */
	U16(58, 0);		       /* flags: PIO */
	U64(76, 0xb0000000);	       /* pci_mmconfig_base */
	U8(84, 0xff);		       /* pci_mmconfig_end_bus */
	U8(85, 1);		       /* pci_is_virtual */
	U16(PLATFORM + 10, 3);	       /* pci_domain */
	U32(IOMMU(0), 2);	       /* iommu_units[0].type: Intel */
	U64(IOMMU(0) + 4, 0xfed90000); /* iommu_units[0].base */
	U32(IOMMU(0) + 12, 0x1000);    /* iommu_units[0].size */
	U32(IOMMU(1), 1);	       /* iommu_units[1].type: AMD */
	U64(IOMMU(1) + 4, 0xfeb80000);
	U32(IOMMU(1) + 12, 0x80000);
	U16(IOMMU(1) + 16, 0x0002);	/* amd.bdf */
	U8(IOMMU(1) + 18, 0x40);	/* amd.base_cap */
	U8(IOMMU(1) + 19, 0x54);	/* amd.msi_cap */
	U32(IOMMU(1) + 20, 0x80048824); /* amd.features */
	U16(UNION, 0x608);		/* x86.pm_timer_address */
	U8(UNION + 2, 2);		/* x86.apic_mode: x2APIC */
	U8(UNION + 3, 0);		/* x86.padding */
	U32(UNION + 4, 256);		/* x86.vtd_interrupt_limit */
	U32(UNION + 8, 2000000);	/* x86.tsc_khz */
	U32(UNION + 12, 1000000);	/* x86.apic_khz */
	/* Root cell: Jailhouse leaves its signature and revision zero. */
	text(im, ROOT + 8, "RootCell");
	U32(ROOT + 48, 8); /* cpu_set_size */
	U32(ROOT + 52, 3); /* num_memory_regions */
	U32(ROOT + 60, 1); /* num_irqchips */
	U32(ROOT + 64, 2); /* num_pio_regions */
	U32(ROOT + 68, 2); /* num_pci_devices */
	U32(ROOT + 72, 2); /* num_pci_caps */
	U8(S_CPUS, 0x0f);  /* CPUs 0-3 */
	mem(im, S_MEM, 0, 0, 0x3a000000, 0x0f);
	mem(im, S_MEM + 32, 0x3a600000, 0x3a600000, 0x5a00000, 0x0f);
	mem(im, S_MEM + 64, 0xfed00000, 0xfed00000, 0x400, 0x40013);
	U64(S_IRQ, 0xfec00000); /* address */
	U32(S_IRQ + 8, 0xff00); /* id */
	U32(S_IRQ + 12, 0);	/* pin_base */
	U32(S_IRQ + 16, 0xffffff);
	U16(S_PIO, 0x3f8);
	U16(S_PIO + 2, 8);
	U16(S_PIO + 4, 0x2f8);
	U16(S_PIO + 6, 8);
	pci(im, S_PCI, 1, 0x00f8, 0, 0, 0);
	pci(im, S_PCI + 56, 1, 0x0010, 0xfffff000, 0, 2);
	U8(S_PCI + 56 + 34, 1); /* num_msi_vectors */
	U8(S_PCI + 56 + 35, 1); /* msi_flags: 64 bits */
	U16(S_CAPS, 0x05);	/* MSI */
	U16(S_CAPS + 2, 0x50);
	U16(S_CAPS + 4, 14);
	U16(S_CAPS + 6, 1);	 /* writable */
	U16(S_CAPS + 8, 0x8001); /* extended: AER */
	U16(S_CAPS + 10, 0x100);
	U16(S_CAPS + 12, 4);
	U16(S_CAPS + 14, 0); /* read-only */
	ck_assert_uint_eq(im->len, S_END);
}

/* A Jailhouse-style cell config with every array kind. */
static void make_cell(void)
{
	struct img *im = &cell_img;

	memset(im, 0, sizeof(*im));
	text(im, 0, "JHCLL");
	U8(5, 0);
	U16(6, 14);
	text(im, 8, "linux-demo");
	U32(44, 0x40000000); /* flags: VIRTUAL_CONSOLE_PERMITTED */
	U32(48, 1);	     /* cpu_set_size */
	U32(52, 6);	     /* memory regions */
	U32(56, 1);	     /* cache regions */
	U32(60, 1);	     /* irqchips */
	U32(64, 1);	     /* PIO */
	U32(68, 2);	     /* PCI devices */
	U32(72, 1);	     /* PCI caps */
	U32(76, 1);	     /* stream IDs */
	U32(80, 100);	     /* vpci_irq_base */
	U64(84, 0xfff0);     /* cpu_reset_address */
	U64(92, 50000000);   /* msg_reply_timeout */
	U64(100, 0x2f8);     /* console.address */
	U32(108, 8);	     /* console.size */
	U16(112, 2);	     /* console.type: 8250 */
	U32(116, 1);	     /* console.divider */
	U8(C_CPUS, 0x04);    /* CPU 2 */
	mem(im, C_MEM, 0x3b000000, 0, 0x100000, 0x47);
	mem(im, C_MEM + 32, 0, 0x100000, 0x1000, 0x23);
	/*
	 * ivshmem as JAILHOUSE_SHMEM_NET_REGIONS writes it: state table, an
	 * empty R/W section ({ 0 }), outputs of peers 0 and 1.
	 */
	mem(im, C_MEM + 64, 0x3c000000, 0x3c000000, 0x1000, 0x81);
	mem(im, C_MEM + 96, 0, 0, 0, 0);
	mem(im, C_MEM + 128, 0x3c001000, 0x3c001000, 0x1000, 0x81);
	mem(im, C_MEM + 160, 0x3c002000, 0x3c002000, 0x1000, 0x83);
	U32(C_CACHE, 0);      /* start */
	U32(C_CACHE + 4, 2);  /* size */
	U8(C_CACHE + 8, 3);   /* type: L3 */
	U16(C_CACHE + 10, 1); /* flags: ROOTSHARED */
	U64(C_IRQ, 0xfec00000);
	U32(C_IRQ + 8, 0xff00);
	U32(C_IRQ + 16, 0x18); /* pins 3 and 4 */
	U16(C_PIO, 0x2f8);
	U16(C_PIO + 2, 8);
	pci(im, C_PCI, 1, 0x0010, 0xfffff000, 0, 1);
	pci(im, C_PCI + 56, 3, 0x0068, 0xfffff000, 0, 0);
	U32(C_PCI + 56 + 10, 0xfffffe00); /* bar_mask[1] */
	U16(C_PCI + 56 + 36, 2);	  /* num_msix_vectors */
	U16(C_PCI + 56 + 38, 0x1000);	  /* msix_region_size */
	U64(C_PCI + 56 + 40, 0xfebd1000); /* msix_address */
	U32(C_PCI + 56 + 48, 2);	  /* shmem_regions_start */
	U8(C_PCI + 56 + 52, 1);		  /* shmem_dev_id */
	U8(C_PCI + 56 + 53, 2);		  /* shmem_peers */
	U16(C_PCI + 56 + 54, 0x0001);	  /* shmem_protocol: veth */
	U16(C_CAPS, 0x05);
	U16(C_CAPS + 2, 0x50);
	U16(C_CAPS + 4, 14);
	U16(C_CAPS + 6, 1);
	U32(C_STREAM, 0x1234);
	ck_assert_uint_eq(im->len, C_END);
}

static struct img arm_img;

/* Array offsets of the ARM system fixture. */
#define A_CPUS SYS_ARRAYS
#define A_MEM (A_CPUS + 8)
#define A_IRQ (A_MEM + 3 * JH_MEMORY)
#define A_END (A_IRQ + 32)

/*
 * A Jailhouse-style ARM system config (a GICv2 board, like its
 * qemu-arm.c): every platform field a distinct value, two IOMMU units of
 * the ARM kinds (an MMU-500 and a TI PVU with its TLB fields).
 */
static void make_system_arm(void)
{
	struct img *im = &arm_img;

	memset(im, 0, sizeof(*im));
	text(im, 0, "JHSYS");
	U8(5, 1);			/* architecture: ARM */
	U16(6, 14);			/* revision */
	U32(8, 1);			/* flags */
	U64(HV_MEM, 0x7fc00000);	/* hypervisor_memory.phys_start */
	U64(HV_MEM + 16, 0x00400000);	/* hypervisor_memory.size */
	U64(DBG_CON, 0x09000000);	/* debug_console.address */
	U32(DBG_CON + 8, 0x1000);	/* size */
	U16(DBG_CON + 12, 3);		/* type: PL011 */
	U16(DBG_CON + 14, 3);		/* flags: MMIO, REGDIST_4 */
	U32(DBG_CON + 16, 0x1b);	/* divider */
	U32(DBG_CON + 20, 5);		/* gate_nr */
	U64(DBG_CON + 24, 0x09100000);	/* clock_reg */
	U64(PLATFORM, 0x30000000);	/* pci_mmconfig_base */
	U8(PLATFORM + 8, 0x0f);		/* pci_mmconfig_end_bus */
	U8(PLATFORM + 9, 1);		/* pci_is_virtual */
	U16(PLATFORM + 10, 1);		/* pci_domain */
	U32(IOMMU(0), 5);		/* type: ARM MMU-500 */
	U64(IOMMU(0) + 4, 0x05000000);	/* base */
	U32(IOMMU(0) + 12, 0x40000);	/* size */
	U32(IOMMU(1), 4);		/* type: TI PVU */
	U64(IOMMU(1) + 4, 0x30f80000);	/* base */
	U32(IOMMU(1) + 12, 0x1000);	/* size */
	U64(IOMMU(1) + 16, 0x36000000); /* tipvu.tlb_base */
	U32(IOMMU(1) + 24, 0x40000);	/* tipvu.tlb_size */
	U8(UNION, 25);			/* arm.maintenance_irq */
	U8(UNION + 1, 2);		/* arm.gic_version */
	U64(UNION + 4, 0x08000000);	/* arm.gicd_base */
	U64(UNION + 12, 0x08010000);	/* arm.gicc_base */
	U64(UNION + 20, 0x08030000);	/* arm.gich_base */
	U64(UNION + 28, 0x08040000);	/* arm.gicv_base */
	U64(UNION + 36, 0x080a0000);	/* arm.gicr_base */
	text(im, ROOT + 8, "qemu-arm");
	U32(ROOT + 48, 8);   /* cpu_set_size */
	U32(ROOT + 52, 3);   /* num_memory_regions */
	U32(ROOT + 60, 1);   /* num_irqchips */
	U32(ROOT + 80, 140); /* vpci_irq_base */
	U8(A_CPUS, 0x03);
	mem(im, A_MEM, 0x40000000, 0x40000000, 0x3fc00000, 0x0f);
	mem(im, A_MEM + 32, 0x09000000, 0x09000000, 0x1000, 0x13);
	mem(im, A_MEM + 64, 0x0a000000, 0x0a000000, 0x4000, 0x13);
	U64(A_IRQ, 0x08000000); /* the GIC distributor */
	U32(A_IRQ + 12, 32);	/* pin_base */
	U32(A_IRQ + 16, 0xffffffff);
	U32(A_IRQ + 20, 0xffffffff);
	U32(A_IRQ + 24, 0xffffffff);
	U32(A_IRQ + 28, 0xffffffff);
	ck_assert_uint_eq(im->len, A_END);
}

static void setup(void)
{
	make_system();
	make_cell();
	make_system_arm();
}

/* Decode @len bytes of @im from a heap buffer of exactly that size. */
static int decode(const struct img *im, size_t len, struct cellcfg *out,
		  char *err, size_t errlen)
{
	void *buf = malloc(len ? len : 1);
	int ret;

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, im->b, len);
	ret = cellcfg_decode(buf, len, out, err, errlen);
	free(buf);
	return ret;
}

static void decode_ok(const struct img *im, struct cellcfg *out)
{
	char err[256];

	ck_assert_msg(!decode(im, im->len, out, err, sizeof(err)), "%s", err);
}

static void expect_mem(const struct wd_memory *m, uint64_t phys, uint64_t virt,
		       uint64_t size, uint64_t flags)
{
	ck_assert_uint_eq(m->phys_start, phys);
	ck_assert_uint_eq(m->virt_start, virt);
	ck_assert_uint_eq(m->size, size);
	ck_assert_uint_eq(m->flags, flags);
}

START_TEST(system_fields)
{
	struct cellcfg c;
	const struct wd_platform_info *pi = &c.sys.platform_info;

	decode_ok(&sys_img, &c);
	ck_assert(c.is_system);
	ck_assert_uint_eq(c.sys.architecture, WD_ARCH_X86);
	ck_assert_uint_eq(c.sys.revision, 14);
	ck_assert_uint_eq(c.sys.flags, WD_SYS_VIRTUAL_DEBUG_CONSOLE);
	expect_mem(&c.sys.hypervisor_memory, 0x3a000000, 0, 0x600000, 0);
	ck_assert_uint_eq(c.sys.debug_console.address, 0x3f8);
	ck_assert_uint_eq(c.sys.debug_console.size, 8);
	ck_assert_uint_eq(c.sys.debug_console.type, WD_CON_TYPE_8250);
	ck_assert_uint_eq(c.sys.debug_console.flags, WD_CON_ACCESS_PIO);
	ck_assert_uint_eq(pi->pci_mmconfig_base, 0xb0000000);
	ck_assert_uint_eq(pi->pci_mmconfig_end_bus, 0xff);
	ck_assert_uint_eq(pi->pci_is_virtual, 1);
	ck_assert_uint_eq(pi->iommu_units[0].type, WD_IOMMU_INTEL);
	ck_assert_uint_eq(pi->iommu_units[0].base, 0xfed90000);
	ck_assert_uint_eq(pi->iommu_units[0].size, 0x1000);
	ck_assert_uint_eq(pi->pci_domain, 3);
	ck_assert_uint_eq(pi->iommu_units[1].type, WD_IOMMU_AMD);
	ck_assert_uint_eq(pi->iommu_units[1].base, 0xfeb80000);
	ck_assert_uint_eq(pi->iommu_units[1].size, 0x80000);
	ck_assert_uint_eq(pi->iommu_units[1].amd.bdf, 0x0002);
	ck_assert_uint_eq(pi->iommu_units[1].amd.base_cap, 0x40);
	ck_assert_uint_eq(pi->iommu_units[1].amd.msi_cap, 0x54);
	ck_assert_uint_eq(pi->iommu_units[1].amd.features, 0x80048824);
	ck_assert_uint_eq(pi->iommu_units[2].type, 0);
	ck_assert_uint_eq(pi->x86.pm_timer_address, 0x608);
	ck_assert_uint_eq(pi->x86.vtd_interrupt_limit, 256);
	ck_assert_uint_eq(pi->x86.apic_mode, WD_APIC_MODE_X2APIC);
	ck_assert_uint_eq(pi->x86.padding, 0);
	ck_assert_uint_eq(pi->x86.tsc_khz, 2000000);
	ck_assert_uint_eq(pi->x86.apic_khz, 1000000);
	ck_assert_str_eq(c.cell.name, "RootCell");
	ck_assert_uint_eq(c.cell.cpu_set_size, 8);
	ck_assert(cellcfg_has_cpu(&c, 0) && cellcfg_has_cpu(&c, 3));
	ck_assert(!cellcfg_has_cpu(&c, 4));
	ck_assert_uint_eq(c.num[CFG_MEM], 3);
	expect_mem(&c.mem[0], 0, 0, 0x3a000000, 0x0f);
	expect_mem(&c.mem[1], 0x3a600000, 0x3a600000, 0x5a00000, 0x0f);
	expect_mem(&c.mem[2], 0xfed00000, 0xfed00000, 0x400,
		   WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO | WD_MEM_IO_32);
	ck_assert_uint_eq(c.num[CFG_CACHE], 0);
	ck_assert_uint_eq(c.num[CFG_IRQCHIP], 1);
	ck_assert_uint_eq(c.irq[0].address, 0xfec00000);
	ck_assert_uint_eq(c.irq[0].id, 0xff00);
	ck_assert_uint_eq(c.irq[0].pin_base, 0);
	ck_assert_uint_eq(c.irq[0].pin_bitmap[0], 0xffffff);
	ck_assert_uint_eq(c.irq[0].pin_bitmap[3], 0);
	ck_assert_uint_eq(c.num[CFG_PIO], 2);
	ck_assert_uint_eq(c.pio[0].base, 0x3f8);
	ck_assert_uint_eq(c.pio[1].base, 0x2f8);
	ck_assert_uint_eq(c.pio[1].length, 8);
	ck_assert_uint_eq(c.num[CFG_PCI], 2);
	ck_assert_uint_eq(c.pci[0].bdf, 0x00f8);
	ck_assert_uint_eq(c.pci[1].type, WD_PCI_TYPE_DEVICE);
	ck_assert_uint_eq(c.pci[1].iommu, 1);
	ck_assert_uint_eq(c.pci[1].bdf, 0x0010);
	ck_assert_uint_eq(c.pci[1].bar_mask[0], 0xfffff000);
	ck_assert_uint_eq(c.pci[1].num_caps, 2);
	ck_assert_uint_eq(c.pci[1].num_msi_vectors, 1);
	ck_assert_uint_eq(c.pci[1].msi_flags, WD_PCI_MSI_64BITS);
	ck_assert_uint_eq(c.num[CFG_CAP], 2);
	ck_assert_uint_eq(c.caps[0].id, 0x05);
	ck_assert_uint_eq(c.caps[0].flags, WD_PCICAPS_WRITE);
	ck_assert_uint_eq(c.caps[1].id, WD_PCI_EXT_CAP | 1);
	ck_assert_uint_eq(c.caps[1].start, 0x100);
	ck_assert_uint_eq(c.caps[1].len, 4);
	ck_assert_uint_eq(c.num[CFG_STREAM], 0);
	cellcfg_free(&c);
}
END_TEST

START_TEST(cell_fields)
{
	struct cellcfg c;

	decode_ok(&cell_img, &c);
	ck_assert(!c.is_system);
	ck_assert_uint_eq(c.cell.architecture, WD_ARCH_X86);
	ck_assert_str_eq(c.cell.name, "linux-demo");
	ck_assert_uint_eq(c.cell.flags, WD_CELL_VIRTUAL_CONSOLE_PERMITTED);
	ck_assert_uint_eq(c.cell.vpci_irq_base, 100);
	ck_assert_uint_eq(c.cell.cpu_reset_address, 0xfff0);
	ck_assert_uint_eq(c.cell.msg_reply_timeout, 50000000);
	ck_assert_uint_eq(c.cell.console.address, 0x2f8);
	ck_assert_uint_eq(c.cell.console.size, 8);
	ck_assert_uint_eq(c.cell.console.type, WD_CON_TYPE_8250);
	ck_assert_uint_eq(c.cell.console.divider, 1);
	ck_assert(cellcfg_has_cpu(&c, 2) && !cellcfg_has_cpu(&c, 1));
	expect_mem(&c.mem[0], 0x3b000000, 0, 0x100000,
		   WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE |
			   WD_MEM_LOADABLE);
	expect_mem(&c.mem[1], 0, 0x100000, 0x1000,
		   WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION);
	expect_mem(&c.mem[2], 0x3c000000, 0x3c000000, 0x1000,
		   WD_MEM_READ | WD_MEM_ROOTSHARED);
	expect_mem(&c.mem[3], 0, 0, 0, 0);
	expect_mem(&c.mem[5], 0x3c002000, 0x3c002000, 0x1000,
		   WD_MEM_READ | WD_MEM_WRITE | WD_MEM_ROOTSHARED);
	ck_assert_uint_eq(c.num[CFG_CACHE], 1);
	ck_assert_uint_eq(c.cache[0].size, 2);
	ck_assert_uint_eq(c.cache[0].type, WD_CACHE_L3);
	ck_assert_uint_eq(c.cache[0].flags, WD_CACHE_ROOTSHARED);
	ck_assert_uint_eq(c.irq[0].pin_bitmap[0], 0x18);
	ck_assert_uint_eq(c.pio[0].base, 0x2f8);
	ck_assert_uint_eq(c.pio[0].length, 8);
	ck_assert_uint_eq(c.pci[0].bdf, 0x0010);
	ck_assert_uint_eq(c.pci[0].num_caps, 1);
	ck_assert_uint_eq(c.pci[1].type, WD_PCI_TYPE_IVSHMEM);
	ck_assert_uint_eq(c.pci[1].bdf, 0x0068);
	ck_assert_uint_eq(c.pci[1].bar_mask[1], 0xfffffe00);
	ck_assert_uint_eq(c.pci[1].num_msix_vectors, 2);
	ck_assert_uint_eq(c.pci[1].msix_region_size, 0x1000);
	ck_assert_uint_eq(c.pci[1].msix_address, 0xfebd1000);
	ck_assert_uint_eq(c.pci[1].shmem_regions_start, 2);
	ck_assert_uint_eq(c.pci[1].shmem_dev_id, 1);
	ck_assert_uint_eq(c.pci[1].shmem_peers, 2);
	ck_assert_uint_eq(c.pci[1].shmem_protocol, WD_SHMEM_PROTO_VETH);
	ck_assert_uint_eq(c.caps[0].start, 0x50);
	ck_assert_uint_eq(c.caps[0].len, 14);
	ck_assert_uint_eq(c.num[CFG_STREAM], 1);
	ck_assert_uint_eq(c.stream_ids[0], 0x1234);
	cellcfg_free(&c);
}
END_TEST

START_TEST(arm_system_fields)
{
	struct cellcfg c;
	const struct wd_platform_info *pi = &c.sys.platform_info;

	decode_ok(&arm_img, &c);
	ck_assert(c.is_system);
	ck_assert_uint_eq(c.sys.architecture, WD_ARCH_ARM);
	expect_mem(&c.sys.hypervisor_memory, 0x7fc00000, 0, 0x400000, 0);
	ck_assert_uint_eq(c.sys.debug_console.address, 0x09000000);
	ck_assert_uint_eq(c.sys.debug_console.size, 0x1000);
	ck_assert_uint_eq(c.sys.debug_console.type, WD_CON_TYPE_PL011);
	ck_assert_uint_eq(c.sys.debug_console.flags,
			  WD_CON_ACCESS_MMIO | WD_CON_REGDIST_4);
	ck_assert_uint_eq(c.sys.debug_console.divider, 0x1b);
	ck_assert_uint_eq(c.sys.debug_console.gate_nr, 5);
	ck_assert_uint_eq(c.sys.debug_console.clock_reg, 0x09100000);
	ck_assert_uint_eq(pi->pci_mmconfig_base, 0x30000000);
	ck_assert_uint_eq(pi->pci_mmconfig_end_bus, 0x0f);
	ck_assert_uint_eq(pi->pci_is_virtual, 1);
	ck_assert_uint_eq(pi->pci_domain, 1);
	ck_assert_uint_eq(pi->iommu_units[0].type, WD_IOMMU_ARM_MMU500);
	ck_assert_uint_eq(pi->iommu_units[0].base, 0x05000000);
	ck_assert_uint_eq(pi->iommu_units[0].size, 0x40000);
	ck_assert_uint_eq(pi->iommu_units[1].type, WD_IOMMU_PVU);
	ck_assert_uint_eq(pi->iommu_units[1].base, 0x30f80000);
	ck_assert_uint_eq(pi->iommu_units[1].size, 0x1000);
	ck_assert_uint_eq(pi->iommu_units[1].tipvu.tlb_base, 0x36000000);
	ck_assert_uint_eq(pi->iommu_units[1].tipvu.tlb_size, 0x40000);
	ck_assert_uint_eq(pi->arm.maintenance_irq, 25);
	ck_assert_uint_eq(pi->arm.gic_version, 2);
	ck_assert_uint_eq(pi->arm.padding[0] | pi->arm.padding[1], 0);
	ck_assert_uint_eq(pi->arm.gicd_base, 0x08000000);
	ck_assert_uint_eq(pi->arm.gicc_base, 0x08010000);
	ck_assert_uint_eq(pi->arm.gich_base, 0x08030000);
	ck_assert_uint_eq(pi->arm.gicv_base, 0x08040000);
	ck_assert_uint_eq(pi->arm.gicr_base, 0x080a0000);
	ck_assert_str_eq(c.cell.name, "qemu-arm");
	ck_assert_uint_eq(c.cell.vpci_irq_base, 140);
	ck_assert_uint_eq(c.num[CFG_MEM], 3);
	expect_mem(&c.mem[1], 0x09000000, 0x09000000, 0x1000, 0x13);
	ck_assert_uint_eq(c.num[CFG_IRQCHIP], 1);
	ck_assert_uint_eq(c.irq[0].address, 0x08000000);
	ck_assert_uint_eq(c.irq[0].pin_base, 32);
	ck_assert_uint_eq(c.irq[0].pin_bitmap[3], 0xffffffff);
	cellcfg_free(&c);
}
END_TEST

/* The platform padding bytes are read as padding, not as a neighbour. */
START_TEST(platform_padding_is_its_own)
{
	struct cellcfg c;
	struct img *im = &arm_img;

	U8(UNION + 2, 0xa5);
	U8(UNION + 3, 0x5a);
	decode_ok(im, &c);
	ck_assert_uint_eq(c.sys.platform_info.arm.gic_version, 2);
	ck_assert_uint_eq(c.sys.platform_info.arm.padding[0], 0xa5);
	ck_assert_uint_eq(c.sys.platform_info.arm.padding[1], 0x5a);
	ck_assert_uint_eq(c.sys.platform_info.arm.gicd_base, 0x08000000);
	cellcfg_free(&c);
	im = &sys_img;
	U8(UNION + 3, 0x77);
	decode_ok(im, &c);
	ck_assert_uint_eq(c.sys.platform_info.x86.apic_mode, 2);
	ck_assert_uint_eq(c.sys.platform_info.x86.padding, 0x77);
	ck_assert_uint_eq(c.sys.platform_info.x86.vtd_interrupt_limit, 256);
	cellcfg_free(&c);
}
END_TEST

/* What the tool writes back is what Jailhouse wrote, byte for byte. */
START_TEST(encode_gives_the_same_bytes)
{
	const struct img *ims[3] = { &sys_img, &cell_img, &arm_img };
	struct cellcfg c;
	uint8_t *out;
	unsigned int i;

	for (i = 0; i < 3; i++) {
		decode_ok(ims[i], &c);
		ck_assert_uint_eq(cellcfg_encode(&c, &out), ims[i]->len);
		ck_assert_mem_eq(out, ims[i]->b, ims[i]->len);
		free(out);
		cellcfg_free(&c);
	}
}
END_TEST

START_TEST(core_and_check_accept_them)
{
	struct cellcfg sys, cell, *cfgs[2] = { &sys, &cell };
	struct check_result r;
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	r = config_check_system(sys_img.b, sys_img.len);
	ck_assert_uint_eq(r.reason, WD_R_none);
	decode_ok(&sys_img, &sys);
	r = config_check_cell(cell_img.b, cell_img.len,
			      &sys.sys.hypervisor_memory);
	ck_assert_uint_eq(r.reason, WD_R_none);
	decode_ok(&cell_img, &cell);
	f = open_memstream(&text, &size);
	ck_assert_int_eq(check_configs(cfgs, 2, f), 0);
	fclose(f);
	ck_assert_str_eq(text, "");
	free(text);
	cellcfg_free(&sys);
	cellcfg_free(&cell);
}
END_TEST

START_TEST(core_and_check_accept_arm)
{
	struct cellcfg sys, *cfgs[1] = { &sys };
	struct check_result r;
	char *text = NULL;
	size_t size = 0;
	FILE *f;

	r = config_check_system(arm_img.b, arm_img.len);
	ck_assert_uint_eq(r.reason, WD_R_none);
	decode_ok(&arm_img, &sys);
	f = open_memstream(&text, &size);
	ck_assert_int_eq(check_configs(cfgs, 1, f), 0);
	fclose(f);
	ck_assert_str_eq(text, "");
	free(text);
	cellcfg_free(&sys);
}
END_TEST

/* The error of decoding the first @len bytes of @im. */
static const char *decode_error(const struct img *im, size_t len)
{
	static char err[256];
	struct cellcfg c;

	err[0] = 0;
	ck_assert_int_eq(decode(im, len, &c, err, sizeof(err)), -1);
	return err;
}

/* The first array (by the documented layout) that ends past @len. */
static const char *short_array(const size_t *ends, const char *const *names,
			       const unsigned int *counts, size_t len,
			       char *buf, size_t size)
{
	unsigned int i;

	for (i = 0; len >= ends[i]; i++)
		;
	snprintf(buf, size, "%s %u points past the end of the file", names[i],
		 counts[i]);
	return buf;
}

static void every_truncation(const struct img *im, size_t hdr, const char *what,
			     const size_t *ends, const char *const *names,
			     const unsigned int *counts)
{
	char want[256], arr[128];
	size_t len;

	for (len = 0; len < im->len; len++) {
		if (len < 5)
			snprintf(
				want, sizeof(want),
				"truncated: %zu bytes, shorter than the 5-byte "
				"signature",
				len);
		else if (len < hdr)
			snprintf(want, sizeof(want),
				 "truncated: %zu bytes, shorter than the "
				 "%zu-byte %s header",
				 len, hdr, what);
		else
			snprintf(want, sizeof(want),
				 "%s (header says %zu bytes, file has %zu)",
				 short_array(ends, names, counts, len, arr,
					     sizeof(arr)),
				 im->len, len);
		ck_assert_str_eq(decode_error(im, len), want);
	}
}

START_TEST(truncated_system_every_length)
{
	static const size_t ends[] = {
		S_MEM, S_IRQ, S_PIO, S_PCI, S_CAPS, S_END
	};
	static const char *const names[] = {
		"CPU set size",	    "memory region count",
		"irqchip count",    "PIO region count",
		"PCI device count", "PCI capability count",
	};
	static const unsigned int counts[] = { 8, 3, 1, 2, 2, 2 };

	every_truncation(&sys_img, SYS_ARRAYS, "system", ends, names, counts);
}
END_TEST

START_TEST(truncated_cell_every_length)
{
	static const size_t ends[] = { C_MEM, C_CACHE, C_IRQ,	 C_PIO,
				       C_PCI, C_CAPS,  C_STREAM, C_END };
	static const char *const names[] = {
		"CPU set size",		"memory region count",
		"cache region count",	"irqchip count",
		"PIO region count",	"PCI device count",
		"PCI capability count", "stream ID count",
	};
	static const unsigned int counts[] = { 1, 6, 1, 1, 1, 2, 1, 1 };

	every_truncation(&cell_img, C_CPUS, "cell", ends, names, counts);
}
END_TEST

/* Jailhouse up to revision 12 wrote "JHSYST"/"JHCELL", revision at 6. */
START_TEST(old_jailhouse_signatures)
{
	struct img *im = &sys_img;

	memcpy(im->b, "JHSYST", 6);
	U16(6, 12);
	ck_assert_str_eq(
		decode_error(im, im->len),
		"Jailhouse config of revision 12 (signature 'JHSYST'): "
		"warden reads revision 14 ('JHSYS'/'JHCLL'); convert "
		"it with 'warden-config upgrade FILE -o NEW.cell'");
	im = &cell_img;
	memcpy(im->b, "JHCELL", 6);
	U16(6, 12);
	ck_assert_str_eq(
		decode_error(im, im->len),
		"Jailhouse config of revision 12 (signature 'JHCELL'): "
		"warden reads revision 14 ('JHSYS'/'JHCLL'); convert "
		"it with 'warden-config upgrade FILE -o NEW.cell'");
}
END_TEST

START_TEST(wrong_signature)
{
	struct img *im = &cell_img;

	memcpy(im->b, "JHCL\x01", 5);
	ck_assert_str_eq(decode_error(im, im->len),
			 "wrong signature 'JHCL\\x01' (expected JHSYS or "
			 "JHCLL)");
	memcpy(im->b, "\0\0\0\0\0", 5);
	ck_assert_str_eq(
		decode_error(im, im->len),
		"wrong signature '\\x00\\x00\\x00\\x00\\x00' (expected "
		"JHSYS or JHCLL)");
}
END_TEST

START_TEST(wrong_revision)
{
	struct img *im = &sys_img;

	U16(6, 13);
	ck_assert_str_eq(decode_error(im, im->len), "revision 13, expected 14");
	im = &cell_img;
	U16(6, 15);
	ck_assert_str_eq(decode_error(im, im->len), "revision 15, expected 14");
}
END_TEST

START_TEST(count_past_the_end)
{
	struct img *im = &cell_img;
	char want[256];

	U32(52, 100000); /* num_memory_regions */
	snprintf(want, sizeof(want),
		 "memory region count 100000 points past the end of the file "
		 "(header says %zu bytes, file has %zu)",
		 (size_t)C_END - 6 * 32 + 100000 * 32, (size_t)C_END);
	ck_assert_str_eq(decode_error(im, im->len), want);
	U32(52, 6);
	U32(76, 0xffffffff); /* num_stream_ids */
	snprintf(want, sizeof(want),
		 "stream ID count 4294967295 points past the end of the file "
		 "(header says %zu bytes, file has %zu)",
		 (size_t)(C_END - 4 + 0xffffffffULL * 4), (size_t)C_END);
	ck_assert_str_eq(decode_error(im, im->len), want);
}
END_TEST

/* Bytes past the declared size are ignored, like Jailhouse does. */
START_TEST(trailing_bytes)
{
	struct img *im = &sys_img;
	struct cellcfg c;
	char err[256];
	uint8_t *out;

	im->b[S_END] = 0xee;
	im->b[S_END + 2] = 0x11;
	ck_assert_int_eq(decode(im, S_END + 3, &c, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.trailing, 3);
	ck_assert_uint_eq(c.num[CFG_CAP], 2);
	ck_assert_uint_eq(cellcfg_encode(&c, &out), S_END);
	ck_assert_mem_eq(out, im->b, S_END);
	free(out);
	cellcfg_free(&c);
	ck_assert_uint_eq(config_check_system(im->b, S_END + 3).reason,
			  WD_R_none);
}
END_TEST

/* ---- shapes of Jailhouse's published board configs ----------------------- */

/*
 * What Jailhouse's configs/ directory builds, reproduced in shape (not
 * copied): the counts of regions, irqchips, PIO ranges, PCI devices,
 * capabilities, stream ids and IOMMU units of real boards, RAM as several
 * adjacent root regions, a virtio-over-ivshmem device with empty output
 * sections, the platform fields. Written byte by byte at revision 14's
 * offsets like the fixtures above.
 */
struct shape {
	const char *board;
	uint8_t arch;
	unsigned int ram, mmio, irqchips, pio, pci, caps, sids;
	uint32_t iommu;
};

static const struct shape shapes[] = {
	/* x86: QEMU/KVM machine, Intel IOMMU, many ports and devices */
	{ "qemu-x86", WD_ARCH_X86, 6, 14, 1, 12, 14, 20, 0, WD_IOMMU_INTEL },
	/* x86 server: two IOAPICs, AMD IOMMU, devices on several buses */
	{ "amd-server", WD_ARCH_X86, 8, 24, 2, 16, 64, 80, 0, WD_IOMMU_AMD },
	/* NXP LS1028A-RDB: 76 memory regions, MMU-500 with stream ids */
	{ "ls1028a-rdb", WD_ARCH_ARM, 40, 32, 2, 0, 0, 0, 4,
	  WD_IOMMU_ARM_MMU500 },
	/* TI J721E: 6 irqchips over one GIC, PVU, stream ids */
	{ "k3-j721e-evm", WD_ARCH_ARM, 4, 28, 6, 0, 0, 0, 2, WD_IOMMU_PVU },
	/* TI AM625: 5 irqchips, no IOMMU */
	{ "k3-am625-sk", WD_ARCH_ARM, 2, 20, 5, 0, 0, 0, 0, 0 },
};

#define SHAPE_HV 0x7fc00000ULL
#define SHAPE_RAM 0x80000000ULL
#define SHAPE_CHUNK 0x1000000ULL
#define SHAPE_MMIO 0x10000000ULL
#define SHAPE_SHMEM 0x7f000000ULL
#define SHAPE_GICD 0x08000000ULL
#define SHAPE_IVSHMEM_BDF 0x00f8

/* The four regions of a virtio-over-ivshmem peer (state, R/W, {0}, {0}). */
static size_t shape_shmem(struct img *im, size_t o)
{
	mem(im, o, SHAPE_SHMEM, SHAPE_SHMEM, 0x1000, 0x81);
	mem(im, o + 32, SHAPE_SHMEM + 0x1000, SHAPE_SHMEM + 0x1000, 0xdf000,
	    0x83);
	mem(im, o + 64, 0, 0, 0, 0);
	mem(im, o + 96, 0, 0, 0, 0);
	return o + 128;
}

/* A virtio ivshmem device at @o: peer @id, region @first. */
static void shape_ivshmem(struct img *im, size_t o, bool x86, unsigned int id,
			  unsigned int first)
{
	pci(im, o, 3, SHAPE_IVSHMEM_BDF, 0xfffff000, 0, 0);
	if (x86) {
		U32(o + 10, 0xfffffe00); /* bar_mask[1]: MSI-X */
		U16(o + 36, 2);		 /* num_msix_vectors */
	}
	U32(o + 48, first);			 /* shmem_regions_start */
	U8(o + 52, id);				 /* shmem_dev_id */
	U8(o + 53, 2);				 /* shmem_peers */
	U16(o + 54, (id ? 0x8000 : 0xc000) + 3); /* virtio console */
}

static void make_shape(struct img *im, const struct shape *sh)
{
	bool x86 = sh->arch == WD_ARCH_X86;
	unsigned int i, nmem = sh->ram + sh->mmio + 4;
	size_t o;

	memset(im, 0, sizeof(*im));
	text(im, 0, "JHSYS");
	U8(5, sh->arch);
	U16(6, 14);
	U32(8, 1);
	U64(HV_MEM, SHAPE_HV);
	U64(HV_MEM + 16, 0x400000);
	U64(DBG_CON, x86 ? 0x3f8 : 0x02800000);
	U32(DBG_CON + 8, x86 ? 8 : 0x1000);
	U16(DBG_CON + 12, x86 ? 2 : 3);
	U16(DBG_CON + 14, x86 ? 0 : 3);
	U64(PLATFORM, x86 ? 0xb0000000 : 0x08e00000);
	U8(PLATFORM + 8, x86 ? 0xff : 0);
	U8(PLATFORM + 9, !x86);
	if (sh->iommu) {
		U32(IOMMU(0), sh->iommu);
		U64(IOMMU(0) + 4, x86 ? 0xfed90000 : 0x05000000);
		U32(IOMMU(0) + 12, x86 ? 0x1000 : 0x40000);
	}
	if (sh->iommu == WD_IOMMU_AMD) {
		U16(IOMMU(0) + 16, 0x0002);
		U8(IOMMU(0) + 18, 0x40);
	}
	if (sh->iommu == WD_IOMMU_PVU) {
		U64(IOMMU(0) + 16, 0x36000000);
		U32(IOMMU(0) + 24, 0x40000);
	}
	if (x86) {
		U16(UNION, 0x608);
		U8(UNION + 2, 1);
		U32(UNION + 4, 256);
		U32(UNION + 8, 2000000);
		U32(UNION + 12, 1000000);
	} else {
		U8(UNION, 25);
		U8(UNION + 1, 3);
		U64(UNION + 4, SHAPE_GICD);
		U64(UNION + 20, 0x08030000);
		U64(UNION + 28, 0x08040000);
		U64(UNION + 36, 0x080a0000);
	}
	text(im, ROOT + 8, sh->board);
	U32(ROOT + 48, 8);
	U32(ROOT + 52, nmem);
	U32(ROOT + 60, sh->irqchips);
	U32(ROOT + 64, sh->pio);
	U32(ROOT + 68, sh->pci + 1);
	U32(ROOT + 72, sh->caps);
	U32(ROOT + 76, sh->sids);
	U32(ROOT + 80, x86 ? 0 : 140);
	o = SYS_ARRAYS;
	U8(o, 0x0f);
	o += 8;
	/* RAM as adjacent regions, as boards list their banks. */
	for (i = 0; i < sh->ram; i++, o += 32)
		mem(im, o, SHAPE_RAM + i * SHAPE_CHUNK,
		    SHAPE_RAM + i * SHAPE_CHUNK, SHAPE_CHUNK, 0x0f);
	/* Device pages; on ARM the first is the console's UART. */
	for (i = 0; i < sh->mmio; i++, o += 32)
		mem(im, o, i || x86 ? SHAPE_MMIO + i * 0x10000ULL : 0x02800000,
		    i || x86 ? SHAPE_MMIO + i * 0x10000ULL : 0x02800000, 0x1000,
		    0x13);
	o = shape_shmem(im, o);
	for (i = 0; i < sh->irqchips; i++, o += 32) {
		U64(o, x86 ? 0xfec00000 + i * 0x1000ULL : SHAPE_GICD);
		U32(o + 8, x86 ? 0xff00 + i : 0);
		U32(o + 12, x86 ? 0 : 32 + 128 * i);
		U32(o + 16, x86 ? 0xffffff : 0xffffffff);
		if (!x86) {
			U32(o + 20, 0xffffffff);
			U32(o + 24, 0xffffffff);
			U32(o + 28, 0xffffffff);
		}
	}
	for (i = 0; i < sh->pio; i++, o += 4) {
		U16(o, i ? 0x100 + i * 0x10 : 0x3f8); /* the console first */
		U16(o + 2, 8);
	}
	for (i = 0; i < sh->pci; i++, o += 56)
		pci(im, o, 1, (uint16_t)((i / 30) << 8 | (i % 30 + 1) << 3), 0,
		    (uint16_t)(2 * i % sh->caps), 2);
	shape_ivshmem(im, o, x86, 0, sh->ram + sh->mmio);
	o += 56;
	for (i = 0; i < sh->caps; i++, o += 8) {
		U16(o, i % 2 ? 0x01 : 0x05);
		U16(o + 2, i % 2 ? 0x40 : 0x50);
		U16(o + 4, i % 2 ? 8 : 14);
		U16(o + 6, i % 2 ? 0 : 1);
	}
	for (i = 0; i < sh->sids; i++, o += 4)
		U32(o, 0x07f80010 + i);
	ck_assert_uint_eq(im->len, o);
}

/*
 * The Linux guest of a board (like Jailhouse's linux-x86-demo and the
 * arm64 *-linux-demo cells): RAM in two adjacent root banks, a comm
 * region, the other end of the virtio device, the board's console pins.
 */
static void make_shape_cell(struct img *im, const struct shape *sh)
{
	bool x86 = sh->arch == WD_ARCH_X86;
	size_t o = 132;

	memset(im, 0, sizeof(*im));
	text(im, 0, "JHCLL");
	U8(5, sh->arch);
	U16(6, 14);
	text(im, 8, "linux-demo");
	U32(44, 0x40000000);
	U32(48, 1);
	U32(52, 6);
	U32(60, 1);
	U32(68, 1);
	U32(80, x86 ? 0 : 150);
	U64(92, 100000000);
	U8(o, 0x04);
	o += 1;
	/* Across the first two RAM banks of the root cell. */
	mem(im, o, SHAPE_RAM + SHAPE_CHUNK / 2, 0, SHAPE_CHUNK, 0x4f);
	mem(im, o + 32, 0, 0x2000000, 0x1000, 0x23);
	o = shape_shmem(im, o + 64);
	U8(o - 128 + 32 + 24, 0x83); /* R/W: writable for both peers */
	/* x86: one IOAPIC pin; ARM: the virtio device's INTx (GIC 185). */
	U64(o, x86 ? 0xfec00000 : SHAPE_GICD);
	U32(o + 12, x86 ? 0 : 160);
	U32(o + 16, x86 ? 0x10 : 1u << 25);
	o += 32;
	shape_ivshmem(im, o, x86, 1, 2);
	ck_assert_uint_eq(im->len, o + 56);
}

/* dump, then compile the DTS: the same bytes as @im (warden-config's path
 * from a Jailhouse binary to a DTS source and back). */
static void expect_dump_compiles_back(const struct img *im, const char *what)
{
	char path[] = "/tmp/test_compat.XXXXXX.dts", err[512], *text = NULL;
	struct cellcfg c, back;
	size_t size = 0;
	uint8_t *out;
	FILE *f;
	int fd;

	decode_ok(im, &c);
	f = open_memstream(&text, &size);
	ck_assert_int_eq(dts_dump(&c, what, f), 0);
	fclose(f);
	cellcfg_free(&c);
	fd = mkstemps(path, 4);
	ck_assert_int_ge(fd, 0);
	close(fd);
	ck_assert_int_eq(write_file(path, text, strlen(text)), 0);
	ck_assert_msg(!dts_compile_file(path, &back, err, sizeof(err)),
		      "%s: %s", what, err);
	unlink(path);
	ck_assert_uint_eq(cellcfg_encode(&back, &out), im->len);
	ck_assert_msg(!memcmp(out, im->b, im->len), "%s: dump differs\n%s",
		      what, text);
	free(out);
	free(text);
	cellcfg_free(&back);
}

START_TEST(fixtures_dump_and_compile_back)
{
	expect_dump_compiles_back(&sys_img, "x86 system");
	expect_dump_compiles_back(&arm_img, "ARM system");
	expect_dump_compiles_back(&cell_img, "cell");
}
END_TEST

START_TEST(board_shapes_load_round_trip_and_pass_check)
{
	const struct shape *sh = &shapes[_i];
	struct cellcfg sys, cell, *cfgs[2] = { &sys, &cell };
	static struct img im, cim;
	struct check_result r;
	int problems;
	char *text = NULL;
	size_t size = 0;
	uint8_t *out;
	FILE *f;

	make_shape(&im, sh);
	make_shape_cell(&cim, sh);
	decode_ok(&im, &sys);
	ck_assert_uint_eq(sys.num[CFG_MEM], sh->ram + sh->mmio + 4);
	ck_assert_uint_eq(sys.num[CFG_IRQCHIP], sh->irqchips);
	ck_assert_uint_eq(cellcfg_encode(&sys, &out), im.len);
	ck_assert_mem_eq(out, im.b, im.len);
	free(out);
	r = config_check_system(im.b, im.len);
	ck_assert_msg(!r.reason, "%s: reason %u item %llu", sh->board, r.reason,
		      (unsigned long long)r.item);
	r = config_check_cell(cim.b, cim.len, &sys.sys.hypervisor_memory);
	ck_assert_msg(!r.reason, "%s cell: reason %u item %llu", sh->board,
		      r.reason, (unsigned long long)r.item);
	decode_ok(&cim, &cell);
	f = open_memstream(&text, &size);
	problems = check_configs(cfgs, 2, f);
	fclose(f);
	ck_assert_msg(!strcmp(text, ""), "%s: %s", sh->board, text);
	ck_assert_int_eq(problems, 0);
	free(text);
	cellcfg_free(&sys);
	cellcfg_free(&cell);
	expect_dump_compiles_back(&im, sh->board);
	expect_dump_compiles_back(&cim, sh->board);
}
END_TEST

/* ---- revisions 12 and 13 ----------------------------------------------- */

/*
 * Jailhouse revision 13 (cell-config.h before the architecture byte): the
 * same layout as 14 behind 6-byte signatures "JHSYST"/"JHCELL".
 */
static void to_r13(const struct img *r14, struct img *old)
{
	*old = *r14;
	memcpy(old->b,
	       old->b[0] == 'J' && old->b[2] == 'S' ? "JHSYST" : "JHCELL", 6);
	old->b[6] = 13;
}

/*
 * Jailhouse revision 12: the IOMMU units inside the platform union, x86
 * as u16 pm_timer_address, u32 vtd_interrupt_limit, u8 apic_mode,
 * u8 padding[3], u32 tsc_khz, u32 apic_khz, iommu_units; ARM as
 * u8 maintenance_irq, u8 gic_version, five u64 GIC bases, iommu_units.
 * The union is the ARM part's 266 bytes: the root cell starts at 354.
 */
#define R12_UNION (PLATFORM + JH_PCI_INFO)
#define R12_ROOT (R12_UNION + 2 + 5 * 8 + JH_IOMMUS * JH_IOMMU)

static void to_r12(const struct img *r14, struct img *old, bool arm)
{
	const uint8_t *n = r14->b;
	uint8_t *o = old->b;

	to_r13(r14, old);
	old->b[6] = 12;
	memset(o + R12_UNION, 0, sizeof(old->b) - R12_UNION);
	if (arm) {
		o[R12_UNION] = n[UNION];
		o[R12_UNION + 1] = n[UNION + 1];
		memcpy(o + R12_UNION + 2, n + UNION + 4, 40);
		memcpy(o + R12_UNION + 42, n + IOMMU(0), JH_IOMMUS * JH_IOMMU);
	} else {
		memcpy(o + R12_UNION, n + UNION, 2);	      /* pm timer */
		memcpy(o + R12_UNION + 2, n + UNION + 4, 4);  /* vtd */
		o[R12_UNION + 6] = n[UNION + 2];	      /* apic_mode */
		memcpy(o + R12_UNION + 10, n + UNION + 8, 8); /* tsc, apic */
		memcpy(o + R12_UNION + 18, n + IOMMU(0), JH_IOMMUS * JH_IOMMU);
	}
	memcpy(o + R12_ROOT, n + ROOT, r14->len - ROOT);
	old->len = r14->len - (ROOT - R12_ROOT);
}

/* upgrade(@old) must give @want byte for byte. */
static void expect_upgrade(const struct img *old, unsigned int arch,
			   const struct img *want)
{
	uint8_t *out = NULL;
	size_t len = 0;
	char err[256] = "";

	ck_assert_msg(!upgrade_config(old->b, old->len, arch, &out, &len, NULL,
				      err, sizeof(err)),
		      "%s", err);
	ck_assert_uint_eq(len, want->len);
	ck_assert_mem_eq(out, want->b, want->len);
	free(out);
}

START_TEST(upgrade_revision_13_and_12)
{
	struct img old;

	ck_assert_uint_eq(R12_ROOT, 354);
	to_r13(&sys_img, &old);
	expect_upgrade(&old, UPGRADE_ARCH_INFER, &sys_img);
	to_r13(&arm_img, &old);
	expect_upgrade(&old, UPGRADE_ARCH_INFER, &arm_img);
	to_r13(&cell_img, &old);
	expect_upgrade(&old, UPGRADE_ARCH_INFER, &cell_img);
	to_r12(&sys_img, &old, false);
	expect_upgrade(&old, UPGRADE_ARCH_INFER, &sys_img);
	to_r12(&arm_img, &old, true);
	expect_upgrade(&old, UPGRADE_ARCH_INFER, &arm_img);
	/* Bytes past the declared size are not carried over. */
	old.len += 5;
	expect_upgrade(&old, UPGRADE_ARCH_INFER, &arm_img);
}
END_TEST

/* Without IOMMU units the GIC fields tell ARM from x86. */
START_TEST(upgrade_infers_the_architecture)
{
	struct img old, want;

	want = arm_img;
	memset(want.b + IOMMU(0), 0, JH_IOMMUS * JH_IOMMU);
	to_r12(&want, &old, true);
	expect_upgrade(&old, UPGRADE_ARCH_INFER, &want);
	to_r13(&want, &old);
	expect_upgrade(&old, UPGRADE_ARCH_INFER, &want);
	want = sys_img;
	memset(want.b + IOMMU(0), 0, JH_IOMMUS * JH_IOMMU);
	to_r12(&want, &old, false);
	expect_upgrade(&old, UPGRADE_ARCH_INFER, &want);
	to_r13(&want, &old);
	expect_upgrade(&old, UPGRADE_ARCH_INFER, &want);
	/* --arch arm64 is written as given. */
	want = arm_img;
	want.b[5] = 2;
	to_r13(&arm_img, &old);
	expect_upgrade(&old, 2, &want);
}
END_TEST

START_TEST(upgrade_errors)
{
	struct img old, want;
	uint8_t *out = NULL;
	size_t len;
	char err[256];

	/* A cell without ports or IOAPIC: the architecture must be given. */
	want = cell_img;
	le(&want, 64, 0, 4); /* num_pio_regions */
	memmove(want.b + C_PCI - 4, want.b + C_PCI, C_END - C_PCI);
	want.len -= 4;
	le(&want, C_IRQ, 0x08000000, 8); /* a GIC, not the IOAPIC */
	want.b[5] = 1;
	to_r13(&want, &old);
	ck_assert_int_eq(upgrade_config(old.b, old.len, UPGRADE_ARCH_INFER,
					&out, &len, NULL, err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "a revision 13 cell config does not say its "
			      "architecture: give --arch x86, arm or arm64");
	expect_upgrade(&old, 1, &want);
	old.b[6] = 14;
	ck_assert_int_eq(upgrade_config(old.b, old.len, 1, &out, &len, NULL,
					err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "revision 14: upgrade converts revisions 12 "
			      "and 13");
	old.b[6] = 13;
	ck_assert_int_eq(upgrade_config(old.b, old.len - 1, 1, &out, &len, NULL,
					err, sizeof(err)),
			 -1);
	ck_assert_ptr_nonnull(strstr(err, "truncated"));
	ck_assert_int_eq(upgrade_config(sys_img.b, sys_img.len, 1, &out, &len,
					NULL, err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "not a Jailhouse config of revision 12 or 13 "
			      "(signature 'JHSYST' or 'JHCELL' expected)");
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("compat");
	TCase *t = tcase_create("jailhouse-r14");

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_test(t, system_fields);
	tcase_add_test(t, cell_fields);
	tcase_add_test(t, arm_system_fields);
	tcase_add_test(t, platform_padding_is_its_own);
	tcase_add_test(t, core_and_check_accept_arm);
	tcase_add_test(t, encode_gives_the_same_bytes);
	tcase_add_test(t, core_and_check_accept_them);
	tcase_add_test(t, truncated_system_every_length);
	tcase_add_test(t, truncated_cell_every_length);
	tcase_add_test(t, old_jailhouse_signatures);
	tcase_add_test(t, wrong_signature);
	tcase_add_test(t, wrong_revision);
	tcase_add_test(t, count_past_the_end);
	tcase_add_test(t, trailing_bytes);
	tcase_add_test(t, upgrade_revision_13_and_12);
	tcase_add_test(t, upgrade_infers_the_architecture);
	tcase_add_test(t, upgrade_errors);
	tcase_add_test(t, fixtures_dump_and_compile_back);
	tcase_add_loop_test(t, board_shapes_load_round_trip_and_pass_check, 0,
			    sizeof(shapes) / sizeof(shapes[0]));
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
