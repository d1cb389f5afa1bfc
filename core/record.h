/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Trap records, produced once, at the core's entry boundary (hal/core.h,
 * core_set_trap_sink). Built with WARDEN_TRAP_RECORDS (the simulator, the
 * trap-log images), each trap entry of hal/core.h is record.c's: it fills
 * in a struct wd_trap's request from its arguments, hands it to the sink
 * if one is registered, calls the module's handler of the trap (defined
 * as CORE_ENTRY(name): name_unrecorded) and hands the record over again
 * with the outcome. Without the option the module's handler is the entry
 * itself (CORE_ENTRY(name): name): a production image carries no record
 * code at all. The record functions are declared in record_on.h.
 */
#ifndef WARDEN_CORE_RECORD_H
#define WARDEN_CORE_RECORD_H

#ifdef WARDEN_TRAP_RECORDS
#include "record_on.h"
#define CORE_ENTRY(name) name##_unrecorded
#else
#define CORE_ENTRY(name) name
#define rec_stop() ((void)0)
#define rec_forget(cpu) ((void)(cpu))
#endif

#endif /* !WARDEN_CORE_RECORD_H */
