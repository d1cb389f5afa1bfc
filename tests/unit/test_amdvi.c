// SPDX-License-Identifier: GPL-2.0
/*
 * The AMD-Vi driver's fault reporting (arch-x86/amd_iommu.c,
 * iommu_unit_poll()) against a unit made of host memory: its registers and
 * its event log in the format of the AMD IOMMU specification (#48882,
 * "Event Log", "IO_PAGE_FAULT Event"). QEMU's AMD-Vi model (7.2, and the
 * 10.0 of bookworm-backports) never writes its event log (docs/x86.md,
 * "IOMMU: AMD-Vi"), so this is where the path from a logged event to
 * core_dma_fault() runs: which device, which reason and address, the
 * head register advanced past what was taken, an event the core declines
 * kept for the next poll, the log's wrap and its restart after overflow.
 *
 * The driver's file is included so that the test can set up its unit
 * state; core_dma_fault() is the test's (the link wraps it).
 */
#include <check.h>
#include <string.h>

/* x86.h's inline asm under the tests' -std=c11 */
#define asm __asm__
#include "../../arch-x86/amd_iommu.c"
#include "support_run.h"

#define MAX_CALLS 8

static uint64_t regs[0x3000 / 8] __attribute__((aligned(8)));
static uint64_t log_page[RING / 8] __attribute__((aligned(4096)));
static struct {
	uint16_t bdf;
	enum wd_reason reason;
	uint64_t address;
} calls[MAX_CALLS];
static unsigned int ncalls, accept = MAX_CALLS;

bool __wrap_core_dma_fault(uint16_t bdf, enum wd_reason reason,
			   uint64_t address);
bool __wrap_core_dma_fault(uint16_t bdf, enum wd_reason reason,
			   uint64_t address)
{
	if (ncalls >= accept)
		return false; /* the core is busy: try again later */
	ck_assert_uint_lt(ncalls, MAX_CALLS);
	calls[ncalls].bdf = bdf;
	calls[ncalls].reason = reason;
	calls[ncalls].address = address;
	ncalls++;
	return true;
}

static uint64_t *r(unsigned int off)
{
	return &regs[off / 8];
}

/* An IO_PAGE_FAULT event (type 2 in bits 63:60 of the first quadword) of
 * device @bdf at @address, logged at entry @i; the tail moved past it. */
static void log_fault(unsigned int i, uint16_t bdf, uint64_t address)
{
	log_page[2 * i] = 2ULL << 60 | bdf;
	log_page[2 * i + 1] = address;
	*r(EVT_TAIL) = (i + 1) % (RING / 16) * 16ULL;
	*r(STATUS) |= 1ULL << 1; /* EventLogInt */
}

static void setup(void)
{
	memset(regs, 0, sizeof(regs));
	memset(log_page, 0, sizeof(log_page));
	memset(&units[0], 0, sizeof(units[0]));
	units[0].regs = (volatile uint8_t *)regs;
	units[0].events = log_page;
	ncalls = 0;
	accept = MAX_CALLS;
}

START_TEST(test_quiet)
{
	*r(EVT_TAIL) = 0x20; /* events there, but no interrupt: not read */
	iommu_unit_poll(0);
	ck_assert_uint_eq(ncalls, 0);
	ck_assert_uint_eq(*r(EVT_HEAD), 0);
}
END_TEST

START_TEST(test_dma_fault)
{
	log_fault(0, 0x0010, 0x7001234); /* 00:02.0 into the hypervisor */
	iommu_unit_poll(0);
	ck_assert_uint_eq(ncalls, 1);
	ck_assert_uint_eq(calls[0].bdf, 0x0010);
	ck_assert_int_eq(calls[0].reason, WD_R_dma_fault);
	ck_assert_uint_eq(calls[0].address, 0x7001000); /* its page */
	ck_assert_uint_eq(*r(EVT_HEAD), 0x10);		/* taken */
	ck_assert_uint_eq(*r(STATUS), 1ULL << 1);	/* written 1: cleared */
	ck_assert(!units[0].behind);
}
END_TEST

START_TEST(test_irq_fault)
{
	/* A message write the unit's interrupt table refused: its address
	 * is in the interrupt range, reported as it is. */
	log_fault(0, 0x0318, 0xfee02000);
	iommu_unit_poll(0);
	ck_assert_uint_eq(ncalls, 1);
	ck_assert_uint_eq(calls[0].bdf, 0x0318);
	ck_assert_int_eq(calls[0].reason, WD_R_dma_irq_fault);
	ck_assert_uint_eq(calls[0].address, 0xfee02000);
}
END_TEST

START_TEST(test_declined_kept)
{
	log_fault(0, 0x0010, 0x100000);
	log_fault(1, 0x0011, 0x200000);
	accept = 1; /* the core takes one, then declines */
	iommu_unit_poll(0);
	ck_assert_uint_eq(ncalls, 1);
	ck_assert_uint_eq(*r(EVT_HEAD), 0x10); /* the second one stays */
	ck_assert(units[0].behind);

	*r(STATUS) = 0; /* no new interrupt: polled because it is behind */
	accept = MAX_CALLS;
	iommu_unit_poll(0);
	ck_assert_uint_eq(ncalls, 2);
	ck_assert_uint_eq(calls[1].bdf, 0x0011);
	ck_assert_uint_eq(calls[1].address, 0x200000);
	ck_assert_uint_eq(*r(EVT_HEAD), 0x20);
	ck_assert(!units[0].behind);
}
END_TEST

START_TEST(test_wrap)
{
	unsigned int last = RING / 16 - 1;

	*r(EVT_HEAD) = last * 16ULL;
	log_fault(last, 0x0020, 0x300000);
	log_fault(0, 0x0021, 0x400000); /* the tail wrapped to entry 1 */
	iommu_unit_poll(0);
	ck_assert_uint_eq(ncalls, 2);
	ck_assert_uint_eq(calls[0].bdf, 0x0020);
	ck_assert_uint_eq(calls[1].bdf, 0x0021);
	ck_assert_uint_eq(*r(EVT_HEAD), 0x10);
}
END_TEST

START_TEST(test_overflow_restart)
{
	log_fault(0, 0x0010, 0x100000);
	*r(STATUS) |= 1; /* EventOverflow: the log stopped */
	iommu_unit_poll(0);
	ck_assert_uint_eq(ncalls, 1);
	/* Restarted: EventLogEn written 0, then the control word again. */
	ck_assert_uint_eq(*r(CONTROL), CTL_ON);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("amdvi");
	TCase *tc = tcase_create("poll");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, test_quiet);
	tcase_add_test(tc, test_dma_fault);
	tcase_add_test(tc, test_irq_fault);
	tcase_add_test(tc, test_declined_kept);
	tcase_add_test(tc, test_wrap);
	tcase_add_test(tc, test_overflow_restart);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return check_run(suite());
}
