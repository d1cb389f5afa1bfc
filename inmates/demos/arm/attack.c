/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARM attempts of the attack inmate: a foreign GIC interrupt, a foreign CPU
 * (PSCI CPU_ON), PSCI SYSTEM_RESET / SYSTEM_OFF, and an UNPREDICTABLE load
 * on emulated MMIO. Each must be denied, which stops the cell.
 */
#include "../attack.h"

extern const char secondary_entry[];

static bool irq_foreign(char *buf, size_t size)
{
	unsigned int irq = inmate_params.attack_pin;

	mmio_write32(gicd_base() + GICD_ISENABLER + irq / 32 * 4,
		     1u << (irq % 32));
	snprintf(buf, size, "enabling interrupt %u not denied", irq);
	return false;
}

static bool cpu_foreign(char *buf, size_t size)
{
	long r = psci_call(PSCI_CPU_ON, inmate_params.attack_cpu,
			   (uintptr_t)secondary_entry, 1);

	snprintf(buf, size, "CPU_ON 0x%llx returned %ld",
		 (unsigned long long)inmate_params.attack_cpu, r);
	return false;
}

static bool psci_reset(char *buf, size_t size)
{
	long r = psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);

	snprintf(buf, size, "SYSTEM_RESET returned %ld", r);
	return false;
}

static bool psci_off(char *buf, size_t size)
{
	long r = psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);

	snprintf(buf, size, "SYSTEM_OFF returned %ld", r);
	return false;
}

/*
 * ldr r1, [r1, #4]! on the distributor: GICD_TYPER, which the cell may
 * read, but the load writes back into its own destination, which the ARMv7
 * manual makes UNPREDICTABLE. Writeback gives no syndrome, so the
 * hypervisor decodes the instruction and must refuse it, not emulate some
 * order of load and writeback. The word is written out: assemblers refuse
 * this encoding.
 */
static bool mmio_unpredictable(char *buf, size_t size)
{
	register uintptr_t r1 asm("r1") = gicd_base();

	asm volatile(".inst 0xe5b11004" : "+r"(r1) : : "memory");
	snprintf(buf, size, "ldr r1, [r1, #4]! gave r1 = 0x%lx",
		 (unsigned long)r1);
	return false;
}

/*
 * hvc from USR mode is UNDEFINED on ARMv7: the cell's own undefined
 * instruction exception at the hvc, nothing for the hypervisor.
 */
bool arch_hc_user(char *buf, size_t size)
{
	long r = arm_user_hvc(WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0);

	if (arm_user_undef_pc == (uintptr_t)arm_user_hvc_insn) {
		snprintf(buf, size, "undefined instruction at the hvc (0x%x)",
			 (unsigned int)arm_user_undef_pc);
		return true;
	}
	snprintf(buf, size, "hvc from USR mode returned %ld", r);
	return false;
}

const struct attempt arch_attempts[] = {
	{ "attack.irq-foreign", irq_foreign, true },
	{ "attack.cpu-foreign", cpu_foreign, true },
	{ "attack.psci-system-reset", psci_reset, true },
	{ "attack.psci-system-off", psci_off, true },
	{ "attack.mmio-unpredictable", mmio_unpredictable, true },
};
const unsigned int num_arch_attempts = ARRAY_SIZE(arch_attempts);
