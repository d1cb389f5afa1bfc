/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Trap records, produced once, at the core's entry boundary (hal/core.h,
 * core_set_trap_sink). An entry asks rec_on(); if a sink is registered it
 * fills the request part of a struct wd_trap on its stack, rec_begin()
 * hands it to the sink, and one of the rec_end*() fills in the outcome and
 * hands it over again. Built with WARDEN_TRAP_RECORDS (the simulator, the
 * ARMv7 trap-log images); without it rec_on() is false at compile time and
 * the compiler drops the records.
 */
#ifndef WARDEN_CORE_RECORD_H
#define WARDEN_CORE_RECORD_H

#include "../hal/core.h"

/*
 * An entry's recording path: out of line, so the entry's own path stays as
 * it was (one load and a branch more); unused in builds without records.
 */
#define REC_PATH static __attribute__((noinline, cold, unused))

#ifdef WARDEN_TRAP_RECORDS
extern const struct wd_trap_sink *rec_sink;

/* Does anyone take records? (One load: the entries' fast path.) */
static inline bool rec_on(void)
{
	return __atomic_load_n(&rec_sink, __ATOMIC_RELAXED) != NULL;
}

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
static inline bool rec_on(void)
{
	return false;
}

static inline void rec_begin(struct wd_trap *t)
{
	(void)t;
}

static inline void rec_end(struct wd_trap *t, enum access_result res,
			   uint64_t result)
{
	(void)t;
	(void)res;
	(void)result;
}

static inline void rec_end_ret(struct wd_trap *t, long ret)
{
	(void)t;
	(void)ret;
}

static inline void rec_stop(void)
{
}

static inline void rec_forget(unsigned int cpu)
{
	(void)cpu;
}
#endif

#endif /* !WARDEN_CORE_RECORD_H */
