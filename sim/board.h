/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulated board, described by a flattened device tree (configs/
 * sim-<arch>/board.dts, compiled by the build): RAM, CPUs, UARTs and the
 * interrupt controller. `warden-sim run` builds the machine from it
 * (scenario directive `board`), and the executor puts its device models
 * where it says. docs/sim.md, "The simulated machine", has the binding.
 */
#ifndef WARDEN_SIM_BOARD_H
#define WARDEN_SIM_BOARD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BOARD_MAX_UARTS 4

struct board {
	uint8_t arch; /* WD_ARCH_X86 or WD_ARCH_ARM */
	uint64_t ram_base, ram_size;
	unsigned int cpus;
	/* ARM: PL011 MMIO bases; x86: 8250 I/O port bases */
	uint64_t uart[BOARD_MAX_UARTS];
	unsigned int num_uarts;
	/* ARM: GICv2 distributor and CPU interface; x86: the local APIC */
	uint64_t gicd, gicc, lapic;
};

/*
 * Read the board from the DTB @blob of @size bytes. Returns 0, or -1 with
 * a message naming the node and property that is wrong in @err.
 */
int board_parse(const void *blob, size_t size, struct board *b, char *err,
		size_t err_len);

/*
 * The board of the current scenario (copied), or NULL for a machine made
 * with `machine`, whose devices follow the system config instead.
 */
void board_set(const struct board *b);
const struct board *board_get(void);

/*
 * Does the system config describe this board (architecture, ARM: the GIC's
 * addresses)? 0, or -1 with the difference in @err.
 */
struct wd_system;
int board_check_system(const struct board *b, const struct wd_system *sys,
		       char *err, size_t err_len);

#endif /* !WARDEN_SIM_BOARD_H */
