/* SPDX-License-Identifier: GPL-2.0 */
/*
 * x86 trap log (build option: build/x86-amd/warden-traplog.elf32 / .bin,
 * compiled with WARDEN_TRAP_LOG and linked with the core built with
 * WARDEN_TRAP_RECORDS): one trace record (docs/abi.md, section 6) per trap
 * on the console, formatted by the core's wd_trap_format(), so that QEMU
 * and Bochs runs replay in the simulator (docs/x86.md, "Trap records and
 * equivalence"). The core makes the records; traplog.c is their sink and
 * keeps them in causal order with one ordered section per trap, as the
 * ARMv7 trap log does (docs/arm.md, "Trap log"). Backend-neutral: the
 * backend calls x86_log_trap_enter/exit around each exit it handles, the
 * common runtime (setup.c) the rest. Without the option every call is
 * empty.
 */
#ifndef WARDEN_X86_TRAPLOG_H
#define WARDEN_X86_TRAPLOG_H

#include <stdbool.h>
#include <stdint.h>

#ifdef WARDEN_TRAP_LOG
/* Register the log as the core's trap record sink (at boot). */
void x86_log_init(void);
/* Each exit is handled in the ordered section: taken at its start ... */
void x86_log_trap_enter(void);
/* ... and left at its end. */
void x86_log_trap_exit(void);
/* hal_cpu_relax(): leave the section while waiting (true if it left) ... */
bool x86_log_leave(void);
/* ... and take it back (a management call: only if free, else when it
 * acts). */
void x86_log_return(bool left);
/* This CPU is about to act on others (park, suspend): in the section. */
void x86_log_sync(void);
/* This CPU parks (x86_cpu_wait): it neither holds nor waits for it. */
void x86_log_parked(void);
/*
 * The records go to I/O port @port (the command line's traplog=e9: the
 * debug port of QEMU's isa-debugcon and Bochs' port_e9_hack) instead of
 * the console: no UART timing (Bochs sends 11,520 characters per
 * emulated second at 115200 baud, slower than a cell traps under the log).
 */
void x86_log_to_port(uint16_t port);
#else
static inline void x86_log_init(void)
{
}

static inline void x86_log_trap_enter(void)
{
}

static inline void x86_log_trap_exit(void)
{
}

static inline bool x86_log_leave(void)
{
	return false;
}

static inline void x86_log_return(bool left)
{
	(void)left;
}

static inline void x86_log_sync(void)
{
}

static inline void x86_log_parked(void)
{
}

static inline void x86_log_to_port(uint16_t port)
{
	(void)port;
}
#endif

#endif /* !WARDEN_X86_TRAPLOG_H */
