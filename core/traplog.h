/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trap log of the hardware backends (build option WARDEN_TRAP_LOG: the
 * images build/armv7/warden-traplog*.elf and build/x86-amd/warden-traplog.*,
 * linked with the core that makes trap records, WARDEN_TRAP_RECORDS): one
 * trace record (docs/abi.md, section 6) per trap on the console, formatted
 * by the core's wd_trap_format(), so that emulator runs replay in the
 * simulator (docs/arm.md and docs/x86.md, "Trap log"). The core produces
 * the records; core/traplog.c, built into those images only, is their sink
 * (core_set_trap_sink) and keeps them in causal order with one ordered
 * section per trap. The backend calls traplog_trap_enter/exit around each
 * trap it handles, and the rest where its CPUs wait, park or act on other
 * CPUs. With the option its functions are traplog_on.h's; without it
 * every call here is empty.
 */
#ifndef WARDEN_CORE_TRAPLOG_H
#define WARDEN_CORE_TRAPLOG_H

#include <stdbool.h>

#ifdef WARDEN_TRAP_LOG
#include "traplog_on.h"
#else
/* Macros: no code, and @line is not even evaluated (it exists in trap-log
 * images only). */
#define traplog_init(line) ((void)0)
#define traplog_trap_enter() ((void)0)
#define traplog_trap_exit() ((void)0)
#define traplog_leave() false
#define traplog_return(left) ((void)(left))
#define traplog_sync() ((void)0)
#define traplog_parked() ((void)0)
#define traplog_released(cpu) ((void)(cpu))
#endif

#endif /* !WARDEN_CORE_TRAPLOG_H */
