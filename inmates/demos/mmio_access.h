/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The mmio-access inmate's case table, filled by its arch parts. */
#ifndef MMIO_ACCESS_H
#define MMIO_ACCESS_H

#include <inmate.h>

#define R MMIO_TEST_BASE

struct mmio_case {
	const char *name;
	/* Performs the access form against the test region, returns what
	 * it observed (loaded value, or the region read back after a
	 * store); must equal want. */
	uint64_t (*run)(void);
	uint64_t want;
};

extern const struct mmio_case mmio_cases[];
extern const unsigned int num_mmio_cases;
/* Forms the hypervisor must deny (the cell fails), numbered after the
 * cases and run only when selected; none unless the arch part has some. */
extern const struct mmio_case mmio_denied[];
extern const unsigned int num_mmio_denied;

/* Plain accesses used to prepare and read back (the first cases test
 * exactly these forms). */
static inline void put32(unsigned int off, uint32_t v)
{
	mmio_write32(R + off, v);
}

static inline uint32_t get32(unsigned int off)
{
	return mmio_read32(R + off);
}

#endif /* !MMIO_ACCESS_H */
