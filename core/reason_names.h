/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The failure reasons' names and texts (reason_names.c): what the
 * hypervisor's console lines and the records say of a reason. The rest of
 * the records' text is trace.h's.
 */
#ifndef WARDEN_CORE_REASON_NAMES_H
#define WARDEN_CORE_REASON_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* Token of reason @code ("mmio_unhandled"), "unknown" for unlisted codes. */
const char *wd_reason_name(unsigned int code);

/*
 * One line for humans: "port not assigned to the cell: port 0x3f8" (the
 * reason text with its item). snprintf-like return value.
 */
int wd_reason_describe(char *buf, size_t size, unsigned int reason,
		       uint64_t item);

#endif /* !WARDEN_CORE_REASON_NAMES_H */
