/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Trap records, produced once, at the core's entry boundary (hal/core.h,
 * core_set_trap_sink). An entry fills the request part of a struct wd_trap
 * on its stack; rec_begin() hands it to the sink if one is registered, and
 * one of the rec_end*() fills in the outcome and hands it over again. Built
 * with WARDEN_TRAP_RECORDS (the simulator, the trap-log images); without it
 * these are no-ops and the compiler drops the records (the production
 * images' entries are as if written without them).
 */
#ifndef WARDEN_CORE_RECORD_H
#define WARDEN_CORE_RECORD_H

#include "../hal/core.h"

#ifdef WARDEN_TRAP_RECORDS
extern const struct wd_trap_sink *rec_sink;

/* A trap of this CPU starts; @t: kind and request. No record for a CPU
 * that is not under the hypervisor. */
void rec_begin(struct wd_trap *t);
/* ... ends with @res; @result: the value read (kept for reads only). */
void rec_end(struct wd_trap *t, enum access_result res, uint64_t result);
/* ... ends as a hypercall returning @ret. */
void rec_end_ret(struct wd_trap *t, long ret);
/* The machine stops: this CPU's open record ends "stop". */
void rec_stop(void);
/* @cpu starts afresh (hal_cpu_reset): a trap it never returned from (it
 * was parked while waiting in the core) has no end. */
void rec_forget(unsigned int cpu);
#else
/* No records: no-ops; the compiler drops the struct wd_trap they get. */
#define rec_begin(t) ((void)(t))
#define rec_end(t, res, result) ((void)(t), (void)(res), (void)(result))
#define rec_end_ret(t, ret) ((void)(t), (void)(ret))
#define rec_stop() ((void)0)
#define rec_forget(cpu) ((void)(cpu))
#endif

#endif /* !WARDEN_CORE_RECORD_H */
