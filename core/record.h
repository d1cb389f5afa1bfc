/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Trap records, produced once, at the core's entry boundary (hal/core.h,
 * core_set_trap_sink). An entry has a struct wd_trap on its stack; one of
 * rec_trap/mmio/pio/hvc() fills in its request from the entry's arguments
 * and hands it to the sink if one is registered (rec_begin() for a request
 * the backend filled in), and one of the rec_end*() fills in the outcome
 * and hands it over again. Built with WARDEN_TRAP_RECORDS (the
 * simulator, the trap-log images); without it these are no-ops and the
 * compiler drops the records (the production images' entries are as if
 * written without them).
 */
#ifndef WARDEN_CORE_RECORD_H
#define WARDEN_CORE_RECORD_H

#include "../hal/core.h"

#ifdef WARDEN_TRAP_RECORDS
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
#else
/* No records: no-ops; the compiler drops the struct wd_trap they get, and
 * rec_end*() are their result. */
#define rec_begin(t) ((void)(t))
#define rec_trap(t, kind, addr, value) ((void)(t), (void)(addr), (void)(value))
#define rec_mmio(t, acc) ((void)(t), (void)(acc))
#define rec_pio(t, acc) ((void)(t), (void)(acc))
#define rec_hvc(t, code, arg1, arg2, user) \
	((void)(t), (void)(code), (void)(arg1), (void)(arg2), (void)(user))
#define rec_end(t, res, result) ((void)(t), (void)(result), (res))
#define rec_end_ret(t, ret) ((void)(t), (ret))
#define rec_stop() ((void)0)
#define rec_forget(cpu) ((void)(cpu))
#endif

#endif /* !WARDEN_CORE_RECORD_H */
