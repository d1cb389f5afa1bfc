/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Types shared by the core and every backend: address types, CPU sets,
 * the (opaque) cell and per-CPU state, and the generic access descriptions that backends
 * build from their traps.
 */
#ifndef WARDEN_HAL_TYPES_H
#define WARDEN_HAL_TYPES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <warden/cell_config.h>
#include <warden/hypercall.h>
#include <warden/reason.h>
#include <warden/trap.h>

#define WD_PAGE_SIZE 4096ULL
#define WD_PAGE_MASK (~(WD_PAGE_SIZE - 1))
#define WD_MAX_CPUS 64
#define WD_MAX_CELLS 16
#define WD_MAX_IRQ_PINS 1024 /* pin_base + 128 must not exceed it */

/*
 * Distinct address types: a guest-physical address cannot be passed where a
 * host-physical one is expected without an explicit conversion. Host-virtual
 * addresses are plain pointers.
 */
typedef struct {
	uint64_t v;
} gpa_t;
typedef struct {
	uint64_t v;
} hpa_t;

static inline gpa_t gpa(uint64_t v)
{
	return (gpa_t){ v };
}

static inline hpa_t hpa(uint64_t v)
{
	return (hpa_t){ v };
}

/* A set of CPU ids, 0 .. WD_MAX_CPUS-1. */
struct cpu_set {
	uint64_t bits;
};

_Static_assert(WD_MAX_CPUS <= 64, "cpu_set holds 64 CPUs");

static inline bool cpu_set_has(const struct cpu_set *s, unsigned int cpu)
{
	return cpu < WD_MAX_CPUS && (s->bits >> cpu) & 1;
}

#define for_each_cpu(cpu, set)                        \
	for ((cpu) = 0; (cpu) < WD_MAX_CPUS; (cpu)++) \
		if (cpu_set_has((set), (cpu)))

/*
 * A cell and a CPU's state: the core's, opaque outside core/ (defined in
 * core/state.h); backends read them through hal/core.h's accessors.
 */
struct cell;
struct per_cpu;

/*
 * What the backend decoded of the instruction behind an MMIO access, for
 * its trap record only (the core decides nothing on it): the register as
 * Capstone numbers it, sign extension, base writeback, the length. len 0:
 * not known (the record then names no register). Three bytes: it fits in
 * struct mmio_access's padding.
 */
struct mmio_insn {
	uint8_t reg;
	uint8_t sext : 1;
	uint8_t wback : 1;
	uint8_t len;
};

/* A memory-mapped access, built by the backend from its trap. */
struct mmio_access {
	uint64_t address;  /* guest-physical */
	unsigned int size; /* 1, 2, 4 or 8 */
	bool is_write;
	struct mmio_insn insn;
	uint64_t value; /* in: value written; out: value read */
};

/* A port I/O access (x86 backends). */
struct pio_access {
	uint16_t port;
	unsigned int size; /* 1, 2 or 4 */
	bool is_write;
	uint32_t value;
};

/* Result of a dispatched access. */
enum access_result {
	ACCESS_EMULATED,  /* handled, value produced or consumed */
	ACCESS_FORWARDED, /* performed on the physical device */
	ACCESS_DENIED,	  /* cell faulted: its CPU is parked */
};

#endif /* !WARDEN_HAL_TYPES_H */
