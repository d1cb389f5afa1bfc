/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The late-launch test (manager-late.elf, docs/arm.md "Late launch"): a
 * stand-in for Linux does what the Linux driver does (docs/linux.md,
 * "Entering warden from Linux") on every CPU of the root cell, all of them
 * running: it copies warden.bin from where the loader put it to the start
 * of hypervisor memory, zeroes the rest of the image's memory, places the
 * system config after it and enters warden through its HYP stub on every
 * CPU at once. Checked: a launch that misses a CPU, and one with the
 * config inside the image's memory, fail on every CPU with the stub back in
 * place and the reason in the header; then the launch
 * returns 0 everywhere with every register intact, the CPUs run as the
 * root cell (a hypercall answers), PSCI CPU_OFF parks a CPU and CPU_ON
 * brings it back in SVC at the address given, a config address outside
 * the root's RAM is refused. Then the CPUs other than 0 give themselves
 * up (CPU_OFF) and the manager goes on as after a standalone boot: a
 * spare CPU by CPU_ON, tiny created, run and destroyed, DISABLE (back to
 * the stub: its error answers the next hypercall), power off.
 */
#include <warden/hv_header.h>

#include "manager.h"

#define LATE_IMAGE 0x48000000 /* where the loader put warden.bin */
#define STUB_ERR 0xbadca11    /* HVC_STUB_ERR of Linux's stub */
#define PSCI_CPU_OFF 0x84000002
#define PSCI_CPU_ON 0x84000003
#define PSCI_AFFINITY_INFO 0x84000004

void late_start(void);
void late_secondary(void);
void late_again(void);
uint32_t late_enter(uint32_t entry, volatile uint32_t *out);
void late_main(void);
void late_cpu(unsigned int cpu);
void late_again_main(uint32_t context, uint32_t cpsr);
void late_relaunch(void);

/* Read by mgr_check_disabled() (in .data: the manager's start-up clears
 * the BSS after late_main). */
extern uint32_t mgr_late;

static volatile uint32_t round_go, entry_addr;
static volatile uint32_t done[8], out[8][16], answer[8];
static volatile uint32_t again_cpsr, again_context, again_done;

static long smc(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
	register uint32_t r0 asm("r0") = fn;
	register uint32_t r1 asm("r1") = a1;
	register uint32_t r2 asm("r2") = a2;
	register uint32_t r3 asm("r3") = a3;

	asm volatile("smc #0"
		     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
		     :
		     : "memory");
	return (long)r0;
}

/* This CPU's part of a round: enter, then ask the hypervisor (or the stub,
 * which answers STUB_ERR) how many cells there are. */
static void enter_round(unsigned int cpu, unsigned int round)
{
	late_enter(entry_addr, out[cpu]);
	answer[cpu] = (uint32_t)hypercall(WD_HC_HYPERVISOR_GET_INFO,
					  WD_INFO_NUM_CELLS, 0);
	asm volatile("dsb" ::: "memory");
	done[cpu] = round;
}

void late_cpu(unsigned int cpu)
{
	unsigned int round;

	for (round = 1; round <= 3; round++) {
		while (round_go < round)
			;
		enter_round(cpu, round);
	}
	if (out[cpu][0] == 0)
		smc(PSCI_CPU_OFF, 0, 0, 0); /* parks it: no return */
	for (;;)
		asm volatile("wfi");
}

void late_again_main(uint32_t context, uint32_t cpsr)
{
	again_context = context;
	again_cpsr = cpsr;
	asm volatile("dsb" ::: "memory");
	again_done = 1;
	smc(PSCI_CPU_OFF, 0, 0, 0);
	for (;;)
		asm volatile("wfi");
}

/* The driver's load: the image, its memory zeroed, the config after it. */
static void load(struct wd_hv_header *hdr, const struct wd_system *sys,
		 unsigned int online)
{
	const struct wd_hv_header *img = (const void *)LATE_IMAGE;
	uint32_t cfg_off = (img->memory_size + 4095) & ~4095u;
	uint32_t cfg_size = (uint32_t)wd_system_config_size(sys);

	memcpy(hdr, img, img->image_size);
	memset((char *)hdr + img->image_size, 0,
	       img->memory_size - img->image_size);
	memcpy((char *)hdr + cfg_off, sys, cfg_size);
	hdr->online_cpus = online;
	hdr->config_offset = cfg_off;
	hdr->config_size = cfg_size;
	entry_addr = (uint32_t)(uintptr_t)hdr + hdr->entry_offset;
	asm volatile("dsb" ::: "memory");
}

/* A failed launch's reason (@off 0) or item (4), in the reserved bytes. */
static unsigned int reason(const struct wd_hv_header *hdr, unsigned int off)
{
	uint32_t v;

	memcpy(&v, &hdr->reserved[off], 4);
	return v;
}

/* Registers as late_enter left them: all but r0 as they were. */
static bool intact(unsigned int cpu)
{
	volatile uint32_t *o = out[cpu];
	unsigned int r;

	if (o[1] != entry_addr || o[13] != 0xeeeeeeee || o[15] != o[14] - 4)
		return false;
	for (r = 2; r <= 12; r++)
		if (o[r] != r * 0x11111111u)
			return false;
	return true;
}

/* Start a round on every CPU and wait for all of them. */
static void run_round(unsigned int round, unsigned int ncpus)
{
	unsigned int cpu;

	round_go = round;
	asm volatile("dsb; sev" ::: "memory");
	enter_round(0, round);
	for (cpu = 1; cpu < ncpus; cpu++)
		wait_for(&done[cpu], round - 1, 3000);
}

static long affinity(unsigned int cpu)
{
	uint64_t end = mgr_now_ns() + 1000000000ULL;
	long ret;

	/* CPU_OFF takes effect once the CPU's own trap returns. */
	do
		ret = smc(PSCI_AFFINITY_INFO, cpu, 0, 0);
	while (ret != 1 && mgr_now_ns() < end);
	return ret;
}

void late_main(void)
{
	const struct wd_system *sys = (const void *)BOOT_SYSTEM_CONFIG;
	struct wd_hv_header *hdr =
		(void *)(uintptr_t)sys->hypervisor_memory.phys_start;
	const struct wd_hv_header *img = (const void *)LATE_IMAGE;
	const uint8_t *set = wd_cell_cpu_set(&sys->root_cell);
	unsigned int cpu, ncpus = 0;
	bool ok;
	long ret;

	mgr_console_native();
	printf("[late] a stand-in for Linux in SVC mode, its HYP stub "
	       "installed\n");
	if (!check("late.header",
		   !memcmp(img->signature, WD_HV_SIGNATURE,
			   WD_HV_SIGNATURE_LEN) &&
			   img->revision == WD_HV_REVISION &&
			   img->arch == WD_HV_ARCH_ARMV7 &&
			   img->memory_size >= img->image_size,
		   "image at 0x%x", LATE_IMAGE))
		mgr_power_off(false);
	printf("[late] warden.bin: entry +0x%x, %u bytes, needs %u bytes, up "
	       "to %u CPUs\n",
	       (unsigned int)img->entry_offset, (unsigned int)img->image_size,
	       (unsigned int)img->memory_size, (unsigned int)img->max_cpus);
	while (ncpus < 8 && (set[ncpus / 8] >> (ncpus % 8) & 1))
		ncpus++;
	for (cpu = 1; cpu < ncpus; cpu++) {
		ret = smc(PSCI_CPU_ON, cpu, (uintptr_t)late_secondary, cpu);
		check_eq("late.cpu-on-firmware", ret, 0);
	}
	printf("[late] %u CPUs online in SVC\n", ncpus);

	/* A launch that waits for one CPU more than enter. */
	load(hdr, sys, ncpus + 1);
	run_round(1, ncpus);
	for (cpu = 0, ok = true; cpu < ncpus; cpu++) {
		printf("[late] CPU %u: enter = %d, hypercall after = 0x%x\n",
		       cpu, (int)out[cpu][0], (unsigned int)answer[cpu]);
		ok &= out[cpu][0] == (uint32_t)-110 &&
		      answer[cpu] == STUB_ERR && intact(cpu);
	}
	printf("[late] header reason %u item %u\n", reason(hdr, 0),
	       reason(hdr, 4));
	check("late.missing-cpu-refused", ok, NULL);
	check("late.missing-cpu-reason",
	      reason(hdr, 0) == 161 && reason(hdr, 4) == ncpus, NULL);

	/* A launch with the config where the image's memory is. */
	load(hdr, sys, ncpus);
	hdr->config_offset = img->memory_size - 4096;
	run_round(2, ncpus);
	for (cpu = 0, ok = true; cpu < ncpus; cpu++)
		ok &= out[cpu][0] == (uint32_t)-WD_EINVAL &&
		      answer[cpu] == STUB_ERR && intact(cpu);
	printf("[late] config offset 0x%x: CPU 0 enter = %d, header reason %u "
	       "item %u\n",
	       (unsigned int)hdr->config_offset, (int)out[0][0], reason(hdr, 0),
	       reason(hdr, 4));
	check("late.bad-config-refused", ok, NULL);
	check("late.bad-config-reason",
	      reason(hdr, 0) == 160 && reason(hdr, 4) == 36 /* config_offset */,
	      NULL);

	/* The launch. */
	load(hdr, sys, ncpus);
	run_round(3, ncpus);
	for (cpu = 0, ok = true; cpu < ncpus; cpu++) {
		printf("[late] CPU %u: enter = %d, registers intact: %s, "
		       "NUM_CELLS = %d\n",
		       cpu, (int)out[cpu][0], intact(cpu) ? "yes" : "no",
		       (int)answer[cpu]);
		ok &= out[cpu][0] == 0 && intact(cpu) && answer[cpu] == 1;
	}
	check("late.entered", ok, NULL);
	mgr_late = 1;
	ret = hypercall(WD_HC_CPU_GET_INFO, 0, WD_CPU_INFO_STATE);
	check_eq("late.cpu0-running", ret, WD_CPU_RUNNING);

	/* PSCI: the others are off for the root (parked), CPU_ON in SVC. */
	for (cpu = 1; cpu < ncpus; cpu++) {
		ret = affinity(cpu);
		printf("[late] CPU %u after CPU_OFF: AFFINITY_INFO = %ld\n",
		       cpu, ret);
		check_eq("late.cpu-off", ret, 1);
	}
	if (ncpus > 1) {
		ret = smc(PSCI_CPU_ON, 1, (uintptr_t)late_again, 0x77);
		wait_for(&again_done, 0, 1000);
		printf("[late] CPU_ON(1) = %ld: it runs in mode 0x%x, context "
		       "0x%x\n",
		       ret, (unsigned int)(again_cpsr & 0x1f),
		       (unsigned int)again_context);
		check("late.cpu-on-svc",
		      !ret && again_done && (again_cpsr & 0x1f) == 0x13 &&
			      again_context == 0x77,
		      NULL);
		check_eq("late.cpu-off-again", affinity(1), 1);
	}

	/* A config address outside the root's RAM: hypervisor memory. */
	ret = hypercall(WD_HC_CELL_CREATE, (uintptr_t)hdr, 0);
	printf("[late] CELL_CREATE(0x%x, in hypervisor memory) = %ld\n",
	       (unsigned int)(uintptr_t)hdr, ret);
	check_eq("late.foreign-config", ret, -WD_EFAULT);
}

/*
 * After the manager's DISABLE (the spare CPU halted natively, CPUs 2 and 3
 * off through the firmware): launch again on CPU 0 alone, as Linux would
 * with one CPU online, from a freshly loaded image. Nothing of the first
 * run may be in the way: the stub is back, HYP's MMU off, the GIC's CPU
 * interface Linux's. Then DISABLE again, and the stub answers.
 */
void late_relaunch(void)
{
	const struct wd_system *sys = (const void *)BOOT_SYSTEM_CONFIG;
	struct wd_hv_header *hdr =
		(void *)(uintptr_t)sys->hypervisor_memory.phys_start;
	long ret;

	load(hdr, sys, 1);
	late_enter(entry_addr, out[0]);
	ret = hypercall(WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0);
	printf("[late] again on CPU 0 alone: enter = %d, registers intact: "
	       "%s, NUM_CELLS = %ld\n",
	       (int)out[0][0], intact(0) ? "yes" : "no", ret);
	check("late.relaunch", out[0][0] == 0 && intact(0) && ret == 1, NULL);
	ret = hypercall(WD_HC_DISABLE, 0, 0);
	printf("[late] DISABLE = %ld, then the stub answers 0x%lx\n", ret,
	       (unsigned long)hypercall(WD_HC_HYPERVISOR_GET_INFO,
					WD_INFO_NUM_CELLS, 0));
	check_eq("late.relaunch-disable", ret, 0);
}
