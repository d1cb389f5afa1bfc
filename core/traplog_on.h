/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The trap log's functions (traplog.c), for traplog.h only, in the images
 * built with WARDEN_TRAP_LOG; the production images use traplog.h's
 * empty calls instead.
 */
#ifndef WARDEN_CORE_TRAPLOG_ON_H
#define WARDEN_CORE_TRAPLOG_ON_H

#include <stdbool.h>

/*
 * Register the log as the core's trap record sink (at boot). Its lines go
 * to @line (each without its '\n'), or whole to the console if NULL.
 */
void traplog_init(void (*line)(const char *s));
/* Each trap is handled in the ordered section: taken at its start ... */
void traplog_trap_enter(void);
/* ... and left at its end. */
void traplog_trap_exit(void);
/* hal_cpu_relax(): leave the section while waiting (true if it left) ... */
bool traplog_leave(void);
/* ... and take it back (a management call: only if free, else when it
 * acts). */
void traplog_return(bool left);
/* This CPU is about to act on others (park, suspend): in the section. */
void traplog_sync(void);
/* This CPU parks: it neither holds nor waits for the section. */
void traplog_parked(void);
/*
 * hal_cpu_reset() let @cpu run guest code. With WARDEN_TRAP_LOG_RACE (the
 * test image warden-traplog-race.elf) this CPU then waits until @cpu has
 * printed a record or waits for the section (at most RACE_NS), as a slow
 * CPU on a loaded host might: the order of records must not depend on it.
 */
void traplog_released(unsigned int cpu);

#endif /* !WARDEN_CORE_TRAPLOG_ON_H */
