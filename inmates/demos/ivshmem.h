/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* The ivshmem inmate's interface to its arch parts. */
#ifndef IVSHMEM_H
#define IVSHMEM_H

#include <inmate.h>

/* Route the device's interrupt (vector 0) to handler on this CPU: x86 by
 * MSI-X, ARM by INTx. bar_base: where to put unassigned BARs. Returns the
 * interrupt used, or -1 (detail printed). */
int ivshmem_irq_setup(uint16_t bdf, uint64_t bar_base, irq_handler_t handler);

#endif /* !IVSHMEM_H */
