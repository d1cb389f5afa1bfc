/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The core's config validators (core/config.c), called directly: they are
 * pure, so each test hands them one config that breaks exactly one rule and
 * checks the precise reason, item and errno. Every config is checked from a
 * heap buffer of exactly its length, so ASan reports any read past the end.
 */
#include <check.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "../../core/core.h"
#include "support_cfg.h"
#include "support_run.h"

#define RW (WD_MEM_READ | WD_MEM_WRITE)
#define CELL_HDR sizeof(struct wd_cell_desc)
#define SYS_HDR sizeof(struct wd_system)
/* Offset of the root cell header inside a system config. */
#define ROOT_OFF offsetof(struct wd_system, root_cell)

static const struct wd_memory hv = { T_HV_BASE, T_HV_BASE, T_HV_SIZE, 0 };

static uint8_t scratch[65536];

/* Serialize @c into scratch; returns its length. */
static size_t build(const struct cfg *c)
{
	return cfg_build(c, scratch, sizeof(scratch));
}

/* Validate @len bytes of @src from a heap copy of exactly @len bytes. */
static struct check_result check_raw(const void *src, size_t len, bool system)
{
	struct check_result r;
	void *buf = malloc(len ? len : 1);

	ck_assert_ptr_nonnull(buf);
	memcpy(buf, src, len);
	r = system ? config_check_system(buf, len) :
		     config_check_cell(buf, len, &hv);
	free(buf);
	return r;
}

static struct check_result check(const struct cfg *c)
{
	size_t len = build(c);

	return check_raw(scratch, len, c->system);
}

#define EXPECT_OK(res)                                   \
	do {                                             \
		struct check_result r_ = (res);          \
		ck_assert_uint_eq(r_.reason, WD_R_none); \
		ck_assert_uint_eq(r_.item, 0);           \
		ck_assert_int_eq(r_.err, 0);             \
	} while (0)

#define EXPECT_FAIL(res, why, what)                           \
	do {                                                  \
		struct check_result r_ = (res);               \
		ck_assert_uint_eq(r_.reason, (why));          \
		ck_assert_uint_eq(r_.item, (uint64_t)(what)); \
		ck_assert_int_eq(r_.err, WD_EINVAL);          \
	} while (0)

/* Patch a 32-bit field at @off in scratch. */
static void poke32(size_t off, uint32_t v)
{
	memcpy(scratch + off, &v, sizeof(v));
}

/* ---- valid configs ----------------------------------------------------- */

START_TEST(default_configs_are_valid)
{
	struct cfg c;
	size_t len;

	cfg_system(&c);
	EXPECT_OK(check(&c));
	cfg_tiny(&c);
	EXPECT_OK(check(&c));
	cfg_attack(&c);
	EXPECT_OK(check(&c));
	/* Without a hypervisor region nothing can overlap it. */
	cfg_tiny(&c);
	cfg_add_mem(&c, T_HV_BASE, 0x400000, 0x1000, WD_MEM_READ);
	len = build(&c);
	EXPECT_OK(config_check_cell(scratch, len, NULL));
}
END_TEST

/* ---- layout ------------------------------------------------------------ */

START_TEST(every_truncation_of_a_cell_is_rejected)
{
	struct cfg c;
	size_t full, len;

	cfg_tiny(&c);
	full = build(&c);
	ck_assert_uint_gt(full, CELL_HDR + 100);
	for (len = 0; len < full; len++)
		/* Short of the header: the header size is needed; past it,
		 * the size the header announces. */
		EXPECT_FAIL(check_raw(scratch, len, false), WD_R_cfg_truncated,
			    len < CELL_HDR ? CELL_HDR : full);
	EXPECT_OK(check_raw(scratch, full, false));
}
END_TEST

START_TEST(every_truncation_of_a_system_is_rejected)
{
	struct cfg c;
	size_t full, len;

	cfg_system(&c);
	full = build(&c);
	for (len = 0; len < full; len++)
		EXPECT_FAIL(check_raw(scratch, len, true), WD_R_cfg_truncated,
			    len < SYS_HDR ? SYS_HDR : full);
	EXPECT_OK(check_raw(scratch, full, true));
}
END_TEST

START_TEST(trailing_bytes_are_tolerated)
{
	struct cfg c;
	size_t full;

	cfg_tiny(&c);
	full = build(&c);
	EXPECT_OK(check_raw(scratch, full + 64, false));
}
END_TEST

START_TEST(wrong_signature)
{
	struct cfg c;

	cfg_tiny(&c);
	memcpy(c.cell.signature, WD_SYSTEM_SIGNATURE, WD_SIGNATURE_LEN);
	EXPECT_FAIL(check(&c), WD_R_cfg_signature, 0);
	cfg_tiny(&c);
	c.cell.signature[4] = 'X'; /* only the last byte differs */
	EXPECT_FAIL(check(&c), WD_R_cfg_signature, 0);
	cfg_system(&c);
	memcpy(c.sys.signature, WD_CELL_SIGNATURE, WD_SIGNATURE_LEN);
	EXPECT_FAIL(check(&c), WD_R_cfg_signature, 0);
}
END_TEST

START_TEST(wrong_revision)
{
	struct cfg c;

	cfg_tiny(&c);
	c.cell.revision = 13;
	EXPECT_FAIL(check(&c), WD_R_cfg_revision, 13);
	c.cell.revision = 15;
	EXPECT_FAIL(check(&c), WD_R_cfg_revision, 15);
	cfg_system(&c);
	c.sys.revision = 0xffff;
	EXPECT_FAIL(check(&c), WD_R_cfg_revision, 0xffff);
}
END_TEST

/*
 * Each count field at its limit is accepted (the config is then merely
 * truncated), one more is too many, and an absurd count does not overflow
 * the size computation.
 */
static void count_limit(size_t field, uint32_t max, bool system)
{
	struct cfg c;
	size_t len, off = (system ? ROOT_OFF : 0) + field;
	struct check_result r;

	if (system)
		cfg_system(&c);
	else
		cfg_attack(&c);
	len = build(&c);
	poke32(off, max);
	r = check_raw(scratch, len, system);
	ck_assert_uint_eq(r.reason, WD_R_cfg_truncated);
	poke32(off, max + 1);
	EXPECT_FAIL(check_raw(scratch, len, system), WD_R_cfg_too_many,
		    max + 1);
	poke32(off, 0xffffffff);
	EXPECT_FAIL(check_raw(scratch, len, system), WD_R_cfg_too_many,
		    0xffffffff);
}

START_TEST(count_fields_are_bounded)
{
	static const struct {
		size_t field;
		uint32_t max;
	} limits[] = {
		{ offsetof(struct wd_cell_desc, num_memory_regions), 256 },
		{ offsetof(struct wd_cell_desc, num_cache_regions), 8 },
		{ offsetof(struct wd_cell_desc, num_irqchips), 16 },
		{ offsetof(struct wd_cell_desc, num_pio_regions), 128 },
		{ offsetof(struct wd_cell_desc, num_pci_devices), 256 },
		{ offsetof(struct wd_cell_desc, num_pci_caps), 1024 },
		{ offsetof(struct wd_cell_desc, num_stream_ids), 256 },
	};
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(limits); i++) {
		count_limit(limits[i].field, limits[i].max, false);
		count_limit(limits[i].field, limits[i].max, true);
	}
}
END_TEST

START_TEST(cpu_set_size_too_large)
{
	struct cfg c;

	cfg_attack(&c);
	c.cpu_set_size = 9; /* 72 bits for 64 CPUs */
	EXPECT_FAIL(check(&c), WD_R_cfg_cpu_set_size, 9);
	c.cpu_set_size = 8;
	EXPECT_OK(check(&c));
	cfg_system(&c);
	c.cpu_set_size = 64;
	EXPECT_FAIL(check(&c), WD_R_cfg_cpu_set_size, 64);
}
END_TEST

START_TEST(empty_cpu_set)
{
	struct cfg c;

	cfg_attack(&c);
	c.cpus = 0;
	EXPECT_FAIL(check(&c), WD_R_cfg_cpu_set_empty, 0);
	cfg_attack(&c);
	c.cpu_set_size = 0;
	EXPECT_FAIL(check(&c), WD_R_cfg_cpu_set_empty, 0);
	/* A CPU in the last byte of the set counts. */
	cfg_attack(&c);
	c.cpus = 1ULL << 63;
	EXPECT_OK(check(&c));
	cfg_system(&c);
	c.cpus = 0;
	EXPECT_FAIL(check(&c), WD_R_cfg_cpu_set_empty, 0);
}
END_TEST

START_TEST(name_empty_or_unterminated)
{
	struct cfg c;

	cfg_attack(&c);
	memset(c.cell.name, 0, sizeof(c.cell.name));
	EXPECT_FAIL(check(&c), WD_R_cfg_name, 0);
	/* 32 characters, no room for the NUL. */
	memset(c.cell.name, 'n', sizeof(c.cell.name));
	EXPECT_FAIL(check(&c), WD_R_cfg_name, 0);
	/* 31 characters and the NUL are fine. */
	c.cell.name[WD_CELL_NAME_MAXLEN] = '\0';
	EXPECT_OK(check(&c));
	cfg_system(&c);
	c.sys.root_cell.name[0] = '\0';
	EXPECT_FAIL(check(&c), WD_R_cfg_name, 0);
	memset(c.sys.root_cell.name, 'r', sizeof(c.sys.root_cell.name));
	EXPECT_FAIL(check(&c), WD_R_cfg_name, 0);
}
END_TEST

/* ---- memory regions --------------------------------------------------- */

START_TEST(region_flags_unknown)
{
	static const uint64_t bad[] = { 0x0200,	    0x4000,	1ULL << 20,
					1ULL << 31, 1ULL << 40, 1ULL << 63 };
	struct cfg c;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(bad); i++) {
		cfg_attack(&c);
		cfg_add_mem(&c, 0x0e200000, 0x400000, 0x1000,
			    WD_MEM_READ | bad[i]);
		EXPECT_FAIL(check(&c), WD_R_cfg_flags, 2);
	}
	/* Every defined flag together is accepted on an IO region. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0x400000, 0x1000,
		    WD_MEM_VALID_FLAGS & ~(uint64_t)WD_MEM_COMM_REGION);
	EXPECT_OK(check(&c));
}
END_TEST

START_TEST(region_size_zero)
{
	struct cfg c;

	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0x400000, 0, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_size_zero, 2);
	/* The first region too: the index is exact. */
	cfg_attack(&c);
	c.mem[0].size = 0;
	EXPECT_FAIL(check(&c), WD_R_mem_size_zero, 0);
	/* Size 0 and any one other field set: refused. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0, 0, 0, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_size_zero, 2);
	c.mem[2] = (struct wd_memory){ .phys_start = 0x1000 };
	EXPECT_FAIL(check(&c), WD_R_mem_size_zero, 2);
	c.mem[2] = (struct wd_memory){ .virt_start = 0x1000 };
	EXPECT_FAIL(check(&c), WD_R_mem_size_zero, 2);
}
END_TEST

/*
 * An empty slot ({ 0 }: Jailhouse's configs leave the unused tail of
 * mem_regions[] so) is accepted anywhere, several of them too: it claims
 * no addresses, so neither overlaps another region nor the hypervisor.
 */
START_TEST(region_empty_slot)
{
	struct cfg c;

	cfg_attack(&c);
	cfg_add_mem(&c, 0, 0, 0, 0);
	cfg_add_mem(&c, 0, 0, 0, 0);
	EXPECT_OK(check(&c));
	c.mem[3] = c.mem[0];
	c.mem[0] = (struct wd_memory){ 0 };
	EXPECT_OK(check(&c));
	/* A system config's root cell too. */
	cfg_system(&c);
	cfg_add_mem(&c, 0, 0, 0, 0);
	EXPECT_OK(check(&c));
	/* The regions around it are checked as before. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0, 0, 0, 0);
	cfg_add_mem(&c, 0x0e200000, 0x80000, 0x1000, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_overlap, 3);
}
END_TEST

START_TEST(region_wraps)
{
	struct cfg c;

	cfg_attack(&c);
	cfg_add_mem(&c, 0xfffffffffffff000ULL, 0x400000, 0x2000, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_wrap, 2);
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0xfffffffffffff000ULL, 0x2000, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_wrap, 2);
	/* Huge size from address 0x1000. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0x1000, 0x400000, 0xfffffffffffff000ULL, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_wrap, 2);
}
END_TEST

START_TEST(region_overlap)
{
	struct cfg c;

	/* Guest range of region 2 overlaps region 0 (RAM at 0..1 MiB). */
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0xff000, 0x2000, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_overlap, 2);
	/* ...or the comm region (at 1 MiB). */
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, T_COMM_VIRT, 0x1000, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_overlap, 2);
	/* A region inside another. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0x80000, 0x1000, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_overlap, 2);
	/* Adjacent regions are fine. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, T_COMM_VIRT + 0x1000, 0x1000, WD_MEM_READ);
	EXPECT_OK(check(&c));
	/* Overlap in phys only (aliasing) is not a rule of the validator. */
	cfg_attack(&c);
	cfg_add_mem(&c, T_ATTACK_PHYS, 0x400000, 0x1000, WD_MEM_READ);
	EXPECT_OK(check(&c));
}
END_TEST

START_TEST(region_overlaps_hypervisor)
{
	struct cfg c;

	cfg_attack(&c);
	cfg_add_mem(&c, T_HV_BASE, 0x400000, 0x1000, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_hypervisor, 2);
	/* Touching its last page from below... */
	cfg_attack(&c);
	cfg_add_mem(&c, T_HV_BASE - 0x1000, 0x400000, 0x2000, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_hypervisor, 2);
	/* ...its last page... */
	cfg_attack(&c);
	cfg_add_mem(&c, T_HV_BASE + T_HV_SIZE - 0x1000, 0x400000, 0x1000,
		    WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_hypervisor, 2);
	/* ...or covering it whole. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0, 0x400000, 0x20000000, WD_MEM_READ);
	EXPECT_FAIL(check(&c), WD_R_mem_hypervisor, 2);
	/* Right before and right after: fine. */
	cfg_attack(&c);
	cfg_add_mem(&c, T_HV_BASE - 0x1000, 0x400000, 0x1000, WD_MEM_READ);
	cfg_add_mem(&c, T_HV_BASE + T_HV_SIZE, 0x500000, 0x1000, WD_MEM_READ);
	EXPECT_OK(check(&c));
	/* Sub-page regions too. */
	cfg_attack(&c);
	cfg_add_mem(&c, T_HV_BASE + 0x80, 0x400080, 0x10,
		    WD_MEM_READ | WD_MEM_IO | WD_MEM_IO_32);
	EXPECT_FAIL(check(&c), WD_R_mem_hypervisor, 2);
}
END_TEST

START_TEST(unaligned_non_io_region)
{
	struct cfg c;

	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200800, 0x400000, 0x1000, RW);
	EXPECT_FAIL(check(&c), WD_R_mem_unaligned, 2);
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0x400800, 0x1000, RW);
	EXPECT_FAIL(check(&c), WD_R_mem_unaligned, 2);
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0x400000, 0x1800, RW);
	EXPECT_FAIL(check(&c), WD_R_mem_unaligned, 2);
	/* Widths do not make RAM emulatable: IO is what counts. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0x400000, 0x800, RW | WD_MEM_IO_32);
	EXPECT_FAIL(check(&c), WD_R_mem_unaligned, 2);
}
END_TEST

START_TEST(subpage_without_width)
{
	struct cfg c;

	cfg_attack(&c);
	cfg_add_mem(&c, T_DEV_PAGE + 0x80, 0x400080, 0x10, RW | WD_MEM_IO);
	EXPECT_FAIL(check(&c), WD_R_mem_subpage_width, 2);
	/* Unaligned IO is not a width. */
	cfg_attack(&c);
	cfg_add_mem(&c, T_DEV_PAGE + 0x80, 0x400080, 0x10,
		    RW | WD_MEM_IO | WD_MEM_IO_UNALIGNED);
	EXPECT_FAIL(check(&c), WD_R_mem_subpage_width, 2);
	/* Any one width is enough. */
	cfg_attack(&c);
	cfg_add_mem(&c, T_DEV_PAGE + 0x80, 0x400080, 0x10,
		    RW | WD_MEM_IO | WD_MEM_IO_16);
	EXPECT_OK(check(&c));
	/* Page-aligned IO needs no width. */
	cfg_attack(&c);
	cfg_add_mem(&c, T_DEV_PAGE, 0x400000, 0x1000, RW | WD_MEM_IO);
	EXPECT_OK(check(&c));
}
END_TEST

START_TEST(comm_region_rules)
{
	struct cfg c;

	cfg_attack(&c);
	c.mem[1].size = 0x2000;
	EXPECT_FAIL(check(&c), WD_R_mem_comm_region, 1);
	cfg_attack(&c);
	c.mem[1].size = 0x800;
	EXPECT_FAIL(check(&c), WD_R_mem_comm_region, 1);
	cfg_attack(&c);
	c.mem[1].virt_start = T_COMM_VIRT + 0x10;
	EXPECT_FAIL(check(&c), WD_R_mem_comm_region, 1);
	/* Two comm regions: the second one is named. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0, 0x400000, 0x1000, RW | WD_MEM_COMM_REGION);
	EXPECT_FAIL(check(&c), WD_R_mem_comm_region, 2);
	/* Its phys is unused: even "in" hypervisor memory it passes. */
	cfg_attack(&c);
	c.mem[1].phys_start = T_HV_BASE;
	EXPECT_OK(check(&c));
}
END_TEST

/* ---- PIO, PCI, irqchips ------------------------------------------------ */

START_TEST(pio_past_last_port)
{
	struct cfg c;

	cfg_attack(&c);
	cfg_add_pio(&c, 0x60, 1);
	cfg_add_pio(&c, 0xfff0, 0x11);
	EXPECT_FAIL(check(&c), WD_R_pio_range, 1);
	cfg_attack(&c);
	cfg_add_pio(&c, 0xffff, 0xffff);
	EXPECT_FAIL(check(&c), WD_R_pio_range, 0);
	/* Ending exactly at 0xffff is fine. */
	cfg_attack(&c);
	cfg_add_pio(&c, 0xfff0, 0x10);
	EXPECT_OK(check(&c));
}
END_TEST

START_TEST(pci_caps_out_of_range)
{
	struct cfg c;

	cfg_tiny(&c); /* two caps, device 0 uses both */
	c.pci[0].num_caps = 3;
	EXPECT_FAIL(check(&c), WD_R_pci_caps, 0);
	cfg_tiny(&c);
	c.pci[0].caps_start = 1;
	EXPECT_FAIL(check(&c), WD_R_pci_caps, 0);
	/* 16-bit fields at their maximum do not wrap around. */
	cfg_tiny(&c);
	c.pci[0].caps_start = 0xffff;
	c.pci[0].num_caps = 0xffff;
	EXPECT_FAIL(check(&c), WD_R_pci_caps, 0);
	/* The second device is named by its index. */
	cfg_tiny(&c);
	cfg_add_pci(&c, 0x18, 2, 1);
	EXPECT_FAIL(check(&c), WD_R_pci_caps, 1);
	cfg_tiny(&c);
	cfg_add_pci(&c, 0x18, 1, 1);
	EXPECT_OK(check(&c));
}
END_TEST

START_TEST(pci_duplicate_bdf)
{
	struct cfg c;

	cfg_tiny(&c);
	cfg_add_pci(&c, 0x18, 0, 0);
	cfg_add_pci(&c, T_BDF_NIC, 0, 0);
	EXPECT_FAIL(check(&c), WD_R_pci_bdf_dup, T_BDF_NIC);
	/* Same BDF in another PCI domain is another device. */
	cfg_tiny(&c);
	cfg_add_pci(&c, T_BDF_NIC, 0, 0);
	c.pci[1].domain = 1;
	EXPECT_OK(check(&c));
}
END_TEST

START_TEST(irqchip_pin_base_too_large)
{
	struct cfg c;
	unsigned int pin = 900;

	cfg_attack(&c);
	cfg_add_irqchip(&c, T_IOAPIC, 897, &pin, 1);
	EXPECT_FAIL(check(&c), WD_R_irqchip_pins, 897);
	/* 896 + 128 = 1024 pins: the last possible chip. */
	cfg_attack(&c);
	cfg_add_irqchip(&c, T_IOAPIC, 896, &pin, 1);
	EXPECT_OK(check(&c));
	/* A 32-bit base does not wrap the limit check. */
	cfg_attack(&c);
	cfg_add_irqchip(&c, T_IOAPIC, 0, &pin, 0);
	c.irq[0].pin_base = 0xffffff90;
	EXPECT_FAIL(check(&c), WD_R_irqchip_pins, 0xffffff90);
}
END_TEST

/* ---- system configs ------------------------------------------------------ */

START_TEST(hypervisor_memory_unaligned_or_empty)
{
	struct cfg c;

	cfg_system(&c);
	c.sys.hypervisor_memory.phys_start = T_HV_BASE + 0x800;
	EXPECT_FAIL(check(&c), WD_R_mem_unaligned, ~0ULL);
	cfg_system(&c);
	c.sys.hypervisor_memory.size = T_HV_SIZE - 0x10;
	EXPECT_FAIL(check(&c), WD_R_mem_unaligned, ~0ULL);
	cfg_system(&c);
	c.sys.hypervisor_memory.size = 0;
	EXPECT_FAIL(check(&c), WD_R_mem_unaligned, ~0ULL);
	/* Past the end of the address space. */
	cfg_system(&c);
	c.sys.hypervisor_memory.phys_start = 0xfffffffffff00000ULL;
	c.sys.hypervisor_memory.size = 0x200000;
	EXPECT_FAIL(check(&c), WD_R_mem_wrap, ~0ULL);
}
END_TEST

START_TEST(root_cell_rules)
{
	struct cfg c;

	/* Root RAM may not reach into hypervisor memory. */
	cfg_system(&c);
	c.mem[0].size = T_HV_BASE + 0x1000;
	EXPECT_FAIL(check(&c), WD_R_mem_hypervisor, 0);
	/* Per-region rules apply to the root cell as well. */
	cfg_system(&c);
	c.mem[1].flags |= 0x200;
	EXPECT_FAIL(check(&c), WD_R_cfg_flags, 1);
	cfg_system(&c);
	c.mem[2].flags &= ~(uint64_t)WD_MEM_IO_WIDTH_MASK;
	EXPECT_FAIL(check(&c), WD_R_mem_subpage_width, 2);
	cfg_system(&c);
	cfg_add_mem(&c, T_DEV_PAGE, T_DEV_PAGE, 0x1000, RW | WD_MEM_IO);
	EXPECT_FAIL(check(&c), WD_R_mem_overlap, 3);
	cfg_system(&c);
	cfg_add_pio(&c, 0xfffe, 4);
	EXPECT_FAIL(check(&c), WD_R_pio_range, 2);
	cfg_system(&c);
	c.pci[1].bdf = T_BDF_ROOT;
	EXPECT_FAIL(check(&c), WD_R_pci_bdf_dup, T_BDF_ROOT);
	cfg_system(&c);
	c.pci[1].num_caps = 3;
	EXPECT_FAIL(check(&c), WD_R_pci_caps, 1);
	cfg_system(&c);
	c.irq[0].pin_base = 1000;
	EXPECT_FAIL(check(&c), WD_R_irqchip_pins, 1000);
	/* The root header carries no signature of its own. */
	cfg_system(&c);
	memset(c.sys.root_cell.signature, 0, WD_SIGNATURE_LEN);
	EXPECT_OK(check(&c));
}
END_TEST

START_TEST(cell_validator_refuses_system_and_vice_versa)
{
	struct cfg c;
	size_t len;

	cfg_system(&c);
	len = build(&c);
	EXPECT_FAIL(check_raw(scratch, len, false), WD_R_cfg_signature, 0);
	cfg_tiny(&c);
	len = build(&c);
	/* Shorter than a system header. */
	EXPECT_FAIL(check_raw(scratch, len, true), WD_R_cfg_truncated, SYS_HDR);
	memset(scratch + len, 0, SYS_HDR);
	EXPECT_FAIL(check_raw(scratch, SYS_HDR, true), WD_R_cfg_signature, 0);
}
END_TEST

/* ---- random mutations ------------------------------------------------------ */

static uint64_t rng = 0x9e3779b97f4a7c15ULL;

static uint64_t next_rand(void)
{
	/* xorshift64*: fixed seed, same sequence everywhere. */
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static bool config_reason(unsigned int reason)
{
	switch (reason) {
	case WD_R_cfg_truncated:
	case WD_R_cfg_signature:
	case WD_R_cfg_revision:
	case WD_R_cfg_too_large:
	case WD_R_cfg_name:
	case WD_R_cfg_too_many:
	case WD_R_cfg_flags:
	case WD_R_cfg_cpu_set_empty:
	case WD_R_cfg_cpu_set_size:
	case WD_R_mem_unaligned:
	case WD_R_mem_size_zero:
	case WD_R_mem_wrap:
	case WD_R_mem_overlap:
	case WD_R_mem_hypervisor:
	case WD_R_mem_subpage_width:
	case WD_R_mem_comm_region:
	case WD_R_irqchip_pins:
	case WD_R_pio_range:
	case WD_R_pio_pci_config:
	case WD_R_pci_caps:
	case WD_R_pci_bdf_dup:
	case WD_R_ivshmem_peers:
	case WD_R_ivshmem_id:
	case WD_R_ivshmem_regions:
	case WD_R_ivshmem_layout:
	case WD_R_ivshmem_writable:
	case WD_R_ivshmem_vectors:
		return true;
	}
	return false;
}

static void mutate_loop(const struct cfg *c, unsigned int rounds)
{
	uint8_t orig[65536];
	size_t full = cfg_build(c, orig, sizeof(orig)), len;
	unsigned int i, k, flips, ok = 0;
	struct check_result r;

	for (i = 0; i < rounds; i++) {
		memcpy(scratch, orig, full);
		flips = 1 + (unsigned int)(next_rand() % 4);
		for (k = 0; k < flips; k++) {
			size_t at = next_rand() % full;

			/* Half bit flips, half random bytes. */
			if (next_rand() & 1)
				scratch[at] ^=
					(uint8_t)(1U << (next_rand() % 8));
			else
				scratch[at] = (uint8_t)next_rand();
		}
		/* Sometimes also cut the config short. */
		len = next_rand() % 8 ? full : next_rand() % (full + 1);
		r = check_raw(scratch, len, c->system);
		if (r.reason == WD_R_none) {
			ck_assert_uint_eq(r.item, 0);
			ck_assert_int_eq(r.err, 0);
			ok++;
		} else {
			ck_assert_msg(config_reason(r.reason),
				      "round %u: unexpected reason %u", i,
				      r.reason);
			ck_assert_int_eq(r.err, WD_EINVAL);
		}
	}
	/* Some mutations hit don't-care bytes: both outcomes were seen. */
	ck_assert_uint_gt(ok, 0);
	ck_assert_uint_lt(ok, rounds);
}

START_TEST(random_mutations_of_cells)
{
	struct cfg c;

	cfg_tiny(&c);
	mutate_loop(&c, 20000);
	cfg_attack(&c);
	cfg_add_mem(&c, T_DEV_PAGE + 0x100, 0x80000100, 0x40,
		    RW | WD_MEM_IO | WD_MEM_IO_32);
	cfg_add_pio(&c, 0x60, 4);
	mutate_loop(&c, 10000);
}
END_TEST

START_TEST(random_mutations_of_systems)
{
	struct cfg c;

	cfg_system(&c);
	mutate_loop(&c, 20000);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("config");
	TCase *t = tcase_create("core");

	tcase_add_test(t, default_configs_are_valid);
	tcase_add_test(t, every_truncation_of_a_cell_is_rejected);
	tcase_add_test(t, every_truncation_of_a_system_is_rejected);
	tcase_add_test(t, trailing_bytes_are_tolerated);
	tcase_add_test(t, wrong_signature);
	tcase_add_test(t, wrong_revision);
	tcase_add_test(t, count_fields_are_bounded);
	tcase_add_test(t, cpu_set_size_too_large);
	tcase_add_test(t, empty_cpu_set);
	tcase_add_test(t, name_empty_or_unterminated);
	tcase_add_test(t, region_flags_unknown);
	tcase_add_test(t, region_size_zero);
	tcase_add_test(t, region_empty_slot);
	tcase_add_test(t, region_wraps);
	tcase_add_test(t, region_overlap);
	tcase_add_test(t, region_overlaps_hypervisor);
	tcase_add_test(t, unaligned_non_io_region);
	tcase_add_test(t, subpage_without_width);
	tcase_add_test(t, comm_region_rules);
	tcase_add_test(t, pio_past_last_port);
	tcase_add_test(t, pci_caps_out_of_range);
	tcase_add_test(t, pci_duplicate_bdf);
	tcase_add_test(t, irqchip_pin_base_too_large);
	tcase_add_test(t, hypervisor_memory_unaligned_or_empty);
	tcase_add_test(t, root_cell_rules);
	tcase_add_test(t, cell_validator_refuses_system_and_vice_versa);
	tcase_add_test(t, random_mutations_of_cells);
	tcase_add_test(t, random_mutations_of_systems);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
