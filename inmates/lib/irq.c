/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/* Interrupt handler table, shared by the x86 and ARM entry code. */
#include <inmate.h>

#define MAX_IRQS 1024

static irq_handler_t handlers[MAX_IRQS];

void irq_set_handler(unsigned int irq, irq_handler_t handler)
{
	if (irq < MAX_IRQS)
		handlers[irq] = handler;
}

void irq_dispatch(unsigned int irq)
{
	if (irq < MAX_IRQS && handlers[irq])
		handlers[irq](irq);
	else
		printf("[irq] cpu %u: unexpected interrupt %u\n", cpu_index(),
		       irq);
}
