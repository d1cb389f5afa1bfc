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
 * written without them). The functions are declared in record_on.h.
 */
#ifndef WARDEN_CORE_RECORD_H
#define WARDEN_CORE_RECORD_H

#ifdef WARDEN_TRAP_RECORDS
#include "record_on.h"
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
