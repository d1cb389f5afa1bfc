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

/*
 * Accesses to the distributor (an emulated page) that hardware reports
 * without syndrome and the backend does not emulate: LDM, STM, LDREX
 * (insn_not_emulated, item = the instruction), a Thumb load with
 * writeback (insn_thumb, item = its PC); and an unaligned word load
 * (one access of 4 bytes at GICD + 2: the distributor's width rule).
 * Each must fail the cell the same way in the simulator and on QEMU.
 * The words are written out so that the registers are known.
 */
static bool mmio_ldm(char *buf, size_t size)
{
	register uintptr_t r0 asm("r0") = gicd_base();
	register uint32_t r2 asm("r2"), r3 asm("r3");

	asm volatile(".inst 0xe890000c" /* ldm r0, {r2, r3} */
		     : "=r"(r2), "=r"(r3)
		     : "r"(r0)
		     : "memory");
	snprintf(buf, size, "ldm gave 0x%x 0x%x", (unsigned int)r2,
		 (unsigned int)r3);
	return false;
}

static bool mmio_stm(char *buf, size_t size)
{
	register uintptr_t r0 asm("r0") = gicd_base() + GICD_ISENABLER;
	register uint32_t r2 asm("r2") = 0, r3 asm("r3") = 0;

	asm volatile(".inst 0xe880000c" /* stm r0, {r2, r3} */
		     :
		     : "r"(r0), "r"(r2), "r"(r3)
		     : "memory");
	snprintf(buf, size, "stm to GICD_ISENABLER0 not refused");
	return false;
}

static bool mmio_ldrex(char *buf, size_t size)
{
	register uintptr_t r0 asm("r0") = gicd_base();
	register uint32_t r2 asm("r2");

	asm volatile(".inst 0xe1902f9f" /* ldrex r2, [r0] */
		     : "=r"(r2)
		     : "r"(r0)
		     : "memory");
	snprintf(buf, size, "ldrex gave 0x%x", (unsigned int)r2);
	return false;
}

static bool mmio_thumb_writeback(char *buf, size_t size)
{
	register uintptr_t r0 asm("r0") = gicd_base();
	register uint32_t r2 asm("r2");

	asm volatile("adr r3, 1f + 1\n\t"
		     "adr r12, 2f\n\t"
		     "bx r3\n\t"
		     ".thumb\n"
		     "1:\t.inst.w 0xf8502b04\n\t" /* ldr.w r2, [r0], #4 */
		     "bx r12\n\t"
		     ".balign 4\n\t"
		     ".arm\n"
		     "2:"
		     : "+r"(r0), "=r"(r2)
		     :
		     : "r3", "r12", "memory");
	snprintf(buf, size, "thumb ldr.w r2, [r0], #4 gave 0x%x",
		 (unsigned int)r2);
	return false;
}

static bool mmio_unaligned(char *buf, size_t size)
{
	register uintptr_t r0 asm("r0") = gicd_base();
	register uint32_t r2 asm("r2");

	asm volatile(".inst 0xe5902002" /* ldr r2, [r0, #2] */
		     : "=r"(r2)
		     : "r"(r0)
		     : "memory");
	snprintf(buf, size, "unaligned ldr gave 0x%x", (unsigned int)r2);
	return false;
}

/*
 * PSCI answers (arch-armv7/psci.c, docs/arm.md): the cell reads them, the
 * same in the simulator and on QEMU. Not fatal: all are answered.
 */
static bool psci_answers(char *buf, size_t size)
{
	uint32_t self = (uint32_t)cpu_hw_id() & 0xff;
	long v[9] = {
		psci_call(0x84000000, 0, 0, 0),		  /* VERSION */
		psci_call(0x8400000a, PSCI_CPU_ON, 0, 0), /* FEATURES */
		psci_call(0x8400000a, 0x84000005, 0, 0),  /* MIGRATE */
		psci_call(0x84000006, 0, 0, 0),	    /* MIGRATE_INFO_TYPE */
		psci_call(PSCI_CPU_ON, 0xff, 0, 0), /* no such CPU */
		psci_call(0x84000004, self, 0, 0),  /* AFFINITY_INFO self */
		psci_call(0x84000004, inmate_params.attack_cpu, 0, 0),
		psci_call(0x84000001, 0, 0, 0),	   /* CPU_SUSPEND */
		psci_call(0xc4000003, self, 0, 0), /* CPU_ON SMC64 */
	};
	static const long want[9] = { 0x10000, 0, -1, 2, -2, 0, -2, 0, -1 };
	unsigned int i;

	snprintf(buf, size, "%lx %ld %ld %ld %ld %ld %ld %ld %ld", v[0], v[1],
		 v[2], v[3], v[4], v[5], v[6], v[7], v[8]);
	for (i = 0; i < 9; i++)
		if (v[i] != want[i])
			return false;
	return true;
}

const struct attempt arch_more_attempts[] = {
	{ "attack.mmio-ldm", mmio_ldm, true },
	{ "attack.mmio-stm", mmio_stm, true },
	{ "attack.mmio-ldrex", mmio_ldrex, true },
	{ "attack.mmio-thumb-writeback", mmio_thumb_writeback, true },
	{ "attack.mmio-unaligned", mmio_unaligned, true },
	{ "attack.psci-answers", psci_answers, false },
};
const unsigned int num_arch_more_attempts = ARRAY_SIZE(arch_more_attempts);
