/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The trap record functions (record.c) of a core that makes records
 * (WARDEN_TRAP_RECORDS: the simulator, the trap-log images), for record.h
 * only: a production image's core uses record.h's no-ops instead.
 */
#ifndef WARDEN_CORE_RECORD_ON_H
#define WARDEN_CORE_RECORD_ON_H

#include "../hal/core.h"

extern const struct wd_trap_sink *rec_sink;

/* A trap of this CPU starts; @t: kind and request. No record for a CPU
 * that is not under the hypervisor. */
void rec_begin(struct wd_trap *t);
/* ... as rec_begin(), with @t's request filled in here: an entry's own
 * arguments (@kind, @addr, @value; the others zero), an MMIO access, a port
 * access, a hypercall. */
void rec_trap(struct wd_trap *t, unsigned int kind, uint64_t addr,
	      uint64_t value);
void rec_mmio(struct wd_trap *t, const struct mmio_access *acc);
void rec_pio(struct wd_trap *t, const struct pio_access *acc);
void rec_hvc(struct wd_trap *t, unsigned long code, unsigned long arg1,
	     unsigned long arg2, bool user);
/* ... ends with @res (returned); @result: the value read (kept for reads
 * only). */
enum access_result rec_end(struct wd_trap *t, enum access_result res,
			   uint64_t result);
/* ... ends as a hypercall returning @ret (returned). */
long rec_end_ret(struct wd_trap *t, long ret);
/* The machine stops: this CPU's open record ends "stop". */
void rec_stop(void);
/* @cpu starts afresh (hal_cpu_reset): a trap it never returned from (it
 * was parked while waiting in the core) has no end. */
void rec_forget(unsigned int cpu);

#endif /* !WARDEN_CORE_RECORD_ON_H */
