/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Trap records as text (trace format version 1): the names of trap kinds and
 * failure reasons, and the formatter of one record line. Freestanding: the
 * core logs trap records on its console with it, the simulator writes and
 * compares traces with the very same code, so both always agree.
 *
 * Canonical record (numbers: N decimal, X lowercase 0x-hex):
 *   KIND cpu=N cell=NAME <kind keys> -> <outcome>
 *   hvc   code=N arg1=X arg2=X [user=1]               -> ret=N [reason= item=]
 *   mmio  dir=r|w addr=X size=N [val=X] [reg=N sext=N wb=N len=N]
 *   pio   dir=r|w port=X size=N [val=X]
 *   irq   chip=X pin=N
 *   reset method=psci|cf9|kbc|acpi   (also: off)
 *   exc   vector=X
 *   cpuon target=N entry=X
 *   msr, cpuid, psci, cp15: dir=r|w addr=X [val=X] (logging only)
 * Outcomes: ok [val=X] | fwd [val=X] | deny reason=NAME item=X | stop |
 *           ret=N, plus reason=NAME item=X when N < 0.
 */
#ifndef WARDEN_CORE_TRACE_H
#define WARDEN_CORE_TRACE_H

#include <stddef.h>

#include <warden/trap.h>

#include "reason_names.h"

/* Token of trap kind @kind ("hvc", "mmio", ...), "unknown" if invalid. */
const char *wd_trap_kind_name(unsigned int kind);

/* @name[0..@len) equals the NUL-terminated @token exactly. */
int wd_token_eq(const char *name, size_t len, const char *token);

/* Code of the reason token @name[0..@len), or -1 if there is none. */
int wd_reason_from_name(const char *name, size_t len);

/* Description of reason @code, "unknown reason" if none: the text
 * wd_reason_describe() gives with the item. */
const char *wd_reason_text(unsigned int code);

/* Token of machine control method @method ("psci"...), "unknown" if none. */
const char *wd_trap_method_name(unsigned int method);

/* Method of token @name[0..@len) (WD_METHOD_*), or -1. */
int wd_trap_method_from_name(const char *name, size_t len);

/*
 * Does a record of @kind carry a value on the left (writes) and on the
 * right (reads)? True for MMIO, PIO and the register-like reserved kinds.
 */
int wd_trap_kind_has_value(unsigned int kind);

/* Format the outcome of @t ("ok val=0x5", "deny reason=... item=..."). */
int wd_trap_format_outcome(char *buf, size_t size, const struct wd_trap *t);

/* Format the whole record: left side, " -> ", outcome. */
int wd_trap_format(char *buf, size_t size, const struct wd_trap *t,
		   const char *cell_name);

#endif /* !WARDEN_CORE_TRACE_H */
