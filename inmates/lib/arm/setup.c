/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7 set-up after start.S: the C entry of every CPU, interrupt and
 * exception handling, CPU start-up through PSCI CPU_ON.
 */
#include <inmate.h>

extern const char secondary_entry[];

static volatile cpu_entry_t ap_entry;
static unsigned int next_index; /* set by arch_init: BSS */

static const char *const exception_names[] = {
	[1] = "undefined instruction",
	[2] = "supervisor call",
	[3] = "prefetch abort",
	[4] = "data abort",
	[7] = "FIQ",
};

void arch_init(void)
{
	next_index = 1;
	arch_cpu_init();
}

void arch_cpu_init(void)
{
	/* The GIC is set up on first use (irq_enable, timer_start). */
}

/* C entry of every CPU (start.S), in SVC mode on its own stack. */
void __attribute__((noreturn)) arm_entry(unsigned int idx)
{
	if (idx == 0) {
		arch_init();
		inmate_start();
	}
	arch_cpu_init();
	__atomic_fetch_add(&inmate_params.cpus_up, 1, __ATOMIC_SEQ_CST);
	ap_entry(idx);
	/* Done: give the CPU back to the cell (PSCI CPU_OFF, no return). */
	psci_call(PSCI_CPU_OFF, 0, 0, 0);
	inmate_halt();
}

void arm_exception(unsigned int kind, uint32_t lr, uint32_t spsr)
{
	inmate_params.state = INMATE_STATE_FATAL;
	printf("[fatal] cpu %u: %s, lr 0x%x, spsr 0x%x, dfar 0x%x, dfsr "
	       "0x%x\n",
	       cpu_index(), exception_names[kind & 7], (unsigned int)lr,
	       (unsigned int)spsr, (unsigned int)arm_read_cp32(0, c6, c0, 0),
	       (unsigned int)arm_read_cp32(0, c5, c0, 0));
	inmate_halt();
}

/* IRQ mode, from irq_entry: acknowledge, dispatch, end of interrupt. */
void arm_irq(void)
{
	uint32_t iar = mmio_read32(gicc_base() + GICC_IAR);
	unsigned int id = iar & 0x3ff;

	if (id >= GIC_SPURIOUS)
		return;
	irq_dispatch(id);
	mmio_write32(gicc_base() + GICC_EOIR, iar);
}

unsigned int cpu_index(void)
{
	return arm_read_cp32(0, c13, c0, 4); /* TPIDRPRW, set by start.S */
}

uint64_t cpu_hw_id(void)
{
	return arm_read_cp32(0, c0, c0, 5) & MPIDR_AFF_MASK; /* MPIDR */
}

long psci_call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
	register uint32_t r0 asm("r0") = fn;
	register uint32_t r1 asm("r1") = a1;
	register uint32_t r2 asm("r2") = a2;
	register uint32_t r3 asm("r3") = a3;

	if (inmate_params.psci == INMATE_PSCI_HVC)
		asm volatile("hvc #0"
			     : "+r"(r0)
			     : "r"(r1), "r"(r2), "r"(r3)
			     : "memory");
	else
		asm volatile(".arch_extension sec\n\tsmc #0"
			     : "+r"(r0)
			     : "r"(r1), "r"(r2), "r"(r3)
			     : "memory");
	return (int32_t)r0;
}

int cpu_start(uint64_t hw_id, cpu_entry_t entry)
{
	unsigned int idx = next_index;
	uint32_t up = inmate_params.cpus_up;
	long ret;

	if (idx >= INMATE_MAX_CPUS)
		return -1;
	ap_entry = entry;
	memory_barrier();
	ret = psci_call(PSCI_CPU_ON, hw_id, (uintptr_t)secondary_entry, idx);
	if (ret)
		return ret - 1000;
	next_index++;
	return cpu_wait_started(up) ? (int)idx : -1;
}

void inmate_halt(void)
{
	for (;;)
		asm volatile("cpsid if; dsb; wfi" : : : "memory");
}
