/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Trap log (build option: build/armv7/warden-traplog.elf, compiled with
 * WARDEN_TRAP_LOG and linked with the core that makes trap records): one
 * trace record (docs/abi.md, section 6) per trap on the console, formatted
 * by the core's wd_trap_format(), so that QEMU runs replay in the
 * simulator. The core produces the records; traplog.c is their sink
 * (core_set_trap_sink, hal/core.h) and keeps them in causal order.
 * Without the option every call here is empty.
 */
#ifndef WARDEN_ARM_TRAPLOG_H
#define WARDEN_ARM_TRAPLOG_H

#include "arm.h"

#ifdef WARDEN_TRAP_LOG
/* Records name the trapping instruction's register (struct mmio_insn). */
#define ARM_LOG_INSN true
/* Register the log as the core's trap record sink (at boot). */
void arm_log_init(void);
/*
 * The log's order (traplog.c): each trap is handled in one ordered section,
 * entered when the trap starts and left when it ends ...
 */
void arm_log_trap_enter(void);
void arm_log_trap_exit(void);
/* ... and while the CPU waits in hal_cpu_relax(): true if it left. */
bool arm_log_leave(void);
void arm_log_return(bool left);
/* This CPU is about to act on others (park, suspend): in the section. */
void arm_log_sync(void);
/* This CPU parks (arm_cpu_wait): it neither holds nor waits for the order. */
void arm_log_parked(void);
/*
 * hal_cpu_reset() let @cpu run guest code. With WARDEN_TRAP_LOG_RACE (the
 * test image warden-traplog-race.elf) this CPU then waits until @cpu has
 * printed a record or waits for the log's order (at most RACE_NS), as a
 * slow root CPU on a loaded host might: the order of records must not
 * depend on it.
 */
void arm_log_released(unsigned int cpu);
#else
#define ARM_LOG_INSN false

static inline void arm_log_init(void)
{
}

static inline void arm_log_trap_enter(void)
{
}

static inline void arm_log_trap_exit(void)
{
}

static inline bool arm_log_leave(void)
{
	return false;
}

static inline void arm_log_return(bool left)
{
	(void)left;
}

static inline void arm_log_sync(void)
{
}

static inline void arm_log_parked(void)
{
}

static inline void arm_log_released(unsigned int cpu)
{
	(void)cpu;
}
#endif

#endif /* !WARDEN_ARM_TRAPLOG_H */
