/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The trap record functions (record.c) of a core that makes records
 * (WARDEN_TRAP_RECORDS: the simulator, the trap-log images), for record.h
 * only: a production image's core has none of them.
 */
#ifndef WARDEN_CORE_RECORD_ON_H
#define WARDEN_CORE_RECORD_ON_H

#include "../hal/core.h"

extern const struct wd_trap_sink *rec_sink;

/* The machine stops: this CPU's open record ends "stop". */
void rec_stop(void);
/* @cpu starts afresh (hal_cpu_reset): a trap it never returned from (it
 * was parked while waiting in the core) has no end. */
void rec_forget(unsigned int cpu);

/*
 * The modules' handlers of the trap entries of hal/core.h (defined as
 * CORE_ENTRY(name), record.h), each as the entry of that name would be
 * without records: record.c's entry calls it between the trap's request
 * and its outcome.
 */
long core_hypercall_unrecorded(unsigned long code, unsigned long arg1,
			       unsigned long arg2, bool user);
enum access_result core_mmio_unrecorded(struct mmio_access *acc);
enum access_result core_pio_unrecorded(struct pio_access *acc);
enum access_result core_irqchip_access_unrecorded(uint64_t chip,
						  unsigned int pin);
enum access_result core_machine_control_unrecorded(bool off,
						   unsigned int method);
enum access_result core_cpu_on_unrecorded(unsigned int target, uint64_t entry);
enum access_result core_cpu_off_unrecorded(void);
void core_trap_denied_unrecorded(const struct wd_trap *req,
				 enum wd_reason reason, uint64_t item);
enum access_result core_trap_refused_unrecorded(const struct wd_trap *req,
						enum wd_reason reason,
						uint64_t item);

#endif /* !WARDEN_CORE_RECORD_ON_H */
