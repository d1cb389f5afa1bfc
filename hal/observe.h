/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The HAL contract, part 3: what the core offers those who watch it rather
 * than run on it: the simulator, the unit tests and the trap log of the
 * hardware backends' trap-log images. Trap records, and the accessors of
 * core state only they read (core/state_sim.c). None of this is built into
 * the production images, whose backends include hal/core.h alone.
 */
#ifndef WARDEN_HAL_OBSERVE_H
#define WARDEN_HAL_OBSERVE_H

#include "core.h"

/*
 * The sink of trap records (include/warden/trap.h, docs/abi.md 6).
 * The core produces one record per trap at its entry boundary: every entry
 * here that handles a trap (core_hypercall, core_mmio, core_pio,
 * core_irqchip_access, core_machine_control, core_cpu_on, core_cpu_off,
 * core_trap_denied) fills the request on entry and the outcome on exit and
 * hands the record to the registered sink; with none (NULL, the default)
 * it makes no record. Only a core built with WARDEN_TRAP_RECORDS makes
 * records (the simulator, the ARMv7 trap-log images); elsewhere this does
 * nothing and the record code is compiled out.
 *
 * begin(): a trap of this CPU starts; @t has cpu, cell_id, kind and the
 * request, no outcome. Called before the core acts on it, so a sink that
 * keeps records in causal order can order them here and read the state
 * before the call.
 * end(): the same trap ends; @t has its outcome (ok, fwd, deny with reason
 * and item, ret, or stop: then just before hal_machine_stop()). One end per
 * begin, on the same CPU, except for a CPU parked while it waits in the
 * core (hal_cpu_relax): its trap never returns, it has no end.
 * Both run on the trapping CPU, may not call a core entry, and see @t only
 * during the call. Set the sink while no trap is in progress.
 */
struct wd_trap_sink {
	void (*begin)(const struct wd_trap *t);
	void (*end)(const struct wd_trap *t);
};
void core_set_trap_sink(const struct wd_trap_sink *sink);

/* The cell's name from its config ("?" before it has one). */
const char *core_cell_name(const struct cell *cell);

/* The last reason recorded for the cell (a rejected hypercall). */
const struct wd_reason_record *core_cell_last_reason(const struct cell *cell);

/* Why the cell went FAILED (WD_R_none, 0 if it did not) and the item. */
enum wd_reason core_cell_fail_reason(const struct cell *cell);
uint64_t core_cell_fail_item(const struct cell *cell);

/* Counter @stat (WD_CPU_STAT_*) of CPU @cpu, 0 if out of range. */
uint64_t core_cpu_stat(unsigned int cpu, unsigned int stat);

/* How many emulated MMIO ranges the cell has registered. */
unsigned int core_cell_mmio_ranges(const struct cell *cell);

#endif /* !WARDEN_HAL_OBSERVE_H */
