/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest traps (HYP vector 0x14): decode the HSR syndrome into one core
 * entry, complete the instruction, and park the CPU if the core asked for
 * it. Also the hypervisor's own exceptions.
 */
#include "arm.h"

#define HVC_WARDEN 0x4a48

static uint32_t read_elr(void)
{
	uint32_t v;

	asm volatile("mrs %0, ELR_hyp" : "=r"(v));
	return v;
}

static void write_elr(uint32_t v)
{
	asm volatile("msr ELR_hyp, %0" : : "r"(v) : "memory");
}

static uint32_t read_spsr(void)
{
	uint32_t v;

	asm volatile("mrs %0, spsr" : "=r"(v));
	return v;
}

/* Skip the trapped instruction: 4 bytes, or 2 for a 16-bit Thumb one. */
static void skip_insn(uint32_t hsr)
{
	write_elr(read_elr() + ((hsr & HSR_IL) ? 4 : 2));
}

#define BANKED(key, name)                                          \
	case key:                                                  \
		if (write)                                         \
			asm volatile("msr " #name ", %0"           \
				     :                             \
				     : "r"(*v)                     \
				     : "memory");                  \
		else                                               \
			asm volatile("mrs %0, " #name : "=r"(*v)); \
		return true

/* Banked registers of PL0/PL1 modes, reached from HYP with mrs/msr. */
static bool banked(uint32_t mode, unsigned int reg, uint32_t *v, bool write)
{
	switch (mode << 4 | reg) {
		BANKED(PSR_MODE_USR << 4 | 13, SP_usr);
		BANKED(PSR_MODE_SYS << 4 | 13, SP_usr);
		BANKED(0x11 << 4 | 8, r8_fiq);
		BANKED(0x11 << 4 | 9, r9_fiq);
		BANKED(0x11 << 4 | 10, r10_fiq);
		BANKED(0x11 << 4 | 11, r11_fiq);
		BANKED(0x11 << 4 | 12, r12_fiq);
		BANKED(0x11 << 4 | 13, SP_fiq);
		BANKED(0x11 << 4 | 14, LR_fiq);
		BANKED(0x12 << 4 | 13, SP_irq);
		BANKED(0x12 << 4 | 14, LR_irq);
		BANKED(PSR_MODE_SVC << 4 | 13, SP_svc);
		BANKED(PSR_MODE_SVC << 4 | 14, LR_svc);
		BANKED(0x17 << 4 | 13, SP_abt);
		BANKED(0x17 << 4 | 14, LR_abt);
		BANKED(0x1b << 4 | 13, SP_und);
		BANKED(0x1b << 4 | 14, LR_und);
	}
	return false;
}

/*
 * Read or write guest register @reg as the trapped instruction names it,
 * in the mode the guest was in: r0-r12 and LR_usr from the trap frame (r8-
 * r12 banked in FIQ mode), SP and the other LRs banked. PC: false.
 */
static bool guest_reg(struct trap_frame *f, unsigned int reg, uint32_t *v,
		      bool write)
{
	uint32_t mode = read_spsr() & PSR_MODE_MASK;
	uint32_t *slot = NULL;

	if (reg < 13 && !(mode == 0x11 && reg >= 8))
		slot = &f->r[reg];
	else if (reg == 14 && (mode == PSR_MODE_USR || mode == PSR_MODE_SYS))
		slot = &f->lr;
	if (!slot)
		return banked(mode, reg, v, write);
	if (write)
		*slot = *v;
	else
		*v = *slot;
	return true;
}

static void unhandled(const char *what, uint32_t hsr)
{
	core_printk("warden: CPU %u: %s (HSR 0x%08x, EC 0x%02x) at pc 0x%08x\n",
		    hal_cpu_id(), what, (unsigned int)hsr,
		    (unsigned int)HSR_EC(hsr), (unsigned int)read_elr());
	core_cell_fault(WD_R_cpu_exception, HSR_EC(hsr));
}

/* A data abort at an IPA outside the cell's RAM: emulate it. */
static void handle_dabt(struct trap_frame *f, uint32_t hsr)
{
	uint32_t iss = HSR_ISS(hsr);
	unsigned int reg = DABT_SRT(iss);
	struct mmio_access acc;
	uint32_t val = 0, mask;

	if (iss & DABT_S1PTW) {
		unhandled("stage-1 table walk outside the cell's RAM", hsr);
		return;
	}
	if (!(iss & DABT_ISV)) {
		/* LDM/STM, LDRD/STRD, write-back forms: no syndrome. */
		unhandled("MMIO access without syndrome (instruction decoding "
			  "not implemented on armv7 yet)",
			  hsr);
		return;
	}
	if (reg == 15) {
		unhandled("MMIO access through the PC", hsr);
		return;
	}
	acc.address = ((uint64_t)(read_hpfar() & ~0xfu) << 8) |
		      (read_hdfar() & 0xfff);
	acc.size = 1u << DABT_SAS(iss);
	acc.is_write = iss & DABT_WNR;
	mask = acc.size == 4 ? ~0u : (1u << (8 * acc.size)) - 1;
	if (acc.is_write)
		guest_reg(f, reg, &val, false);
	acc.value = val & mask;

	if (core_mmio(&acc) == ACCESS_DENIED)
		return; /* parked (or the machine stopped): not resumed */
	if (!acc.is_write) {
		val = (uint32_t)acc.value & mask;
		if ((iss & DABT_SSE) && acc.size < 4 &&
		    (val >> (8 * acc.size - 1)) & 1)
			val |= ~mask;
		guest_reg(f, reg, &val, true);
	}
	skip_insn(hsr);
}

/* PSCI from a cell (smc, or hvc #0). Result in r0. */
static void handle_psci(struct trap_frame *f)
{
	uint32_t fn = f->r[0], target;
	struct arm_cpu *t;
	bool running;

	switch (fn) {
	case PSCI_VERSION:
		core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
		f->r[0] = 2; /* 0.2 */
		return;
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		if (core_machine_control(fn == PSCI_SYSTEM_OFF,
					 WD_METHOD_PSCI) != ACCESS_FORWARDED)
			return;
		core_printk("warden: PSCI %s from the root cell\n",
			    fn == PSCI_SYSTEM_OFF ? "SYSTEM_OFF" :
						    "SYSTEM_RESET");
		f->r[0] = (uint32_t)arm_smc(fn, 0, 0, 0);
		return;
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_64:
		/* QEMU virt: affinity 0 is the CPU id, higher levels 0. */
		target = f->r[1];
		if ((target & 0xffff00u) || (target & 0xff) >= ARM_MAX_CPUS) {
			core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
			f->r[0] = (uint32_t)PSCI_INVALID_PARAMETERS;
			return;
		}
		target &= 0xff;
		t = &arm_cpus[target];
		/* The core starts CPUs it holds parked; others run already. */
		running = !core_per_cpu(target)->parked;
		/* r0 of the started CPU; only for a CPU of this cell. */
		if (!running &&
		    cpu_set_has(&core_per_cpu(hal_cpu_id())->cell->cpus,
				target))
			t->context = f->r[3];
		if (core_cpu_on(target, f->r[2]) == ACCESS_DENIED)
			return;
		f->r[0] = running ? (uint32_t)PSCI_ALREADY_ON : PSCI_SUCCESS;
		return;
	default:
		core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
		f->r[0] = (uint32_t)PSCI_NOT_SUPPORTED;
	}
}

void arm_handle_trap(struct trap_frame *f)
{
	uint32_t hsr = read_hsr();

	switch (HSR_EC(hsr)) {
	case EC_HVC:
		/* ELR_hyp already points past the hvc. */
		if ((hsr & 0xffff) == HVC_WARDEN)
			f->r[0] = (uint32_t)core_hypercall(f->r[0], f->r[1],
							   f->r[2]);
		else if ((hsr & 0xffff) == 0)
			handle_psci(f);
		else
			unhandled("hvc with an unknown immediate", hsr);
		break;
	case EC_SMC:
		/* A trapped smc has not executed: ELR_hyp points at it. */
		skip_insn(hsr);
		handle_psci(f);
		break;
	case EC_DABT_GUEST:
		handle_dabt(f, hsr);
		break;
	case EC_WFI_WFE:
		/* Cells trap wfi so a park request is seen; else a no-op. */
		skip_insn(hsr);
		break;
	case EC_IABT_GUEST:
		unhandled("instruction fetch outside the cell's RAM", hsr);
		break;
	default:
		unhandled("unhandled trap", hsr);
	}
	arm_check_park();
}

static const char *const hyp_exception_names[] = {
	"reset",      "undefined instruction",
	"svc",	      "prefetch abort",
	"data abort", "trap",
	"IRQ",	      "FIQ",
};

void arm_hyp_exception(unsigned int kind, uint32_t elr)
{
	if (kind == 2) /* svc in HYP: semihosting unavailable; just halt */
		return;
	core_printk("warden: %s in HYP mode at 0x%08x, HSR 0x%08x, HDFAR "
		    "0x%08x\n",
		    hyp_exception_names[kind & 7], (unsigned int)elr,
		    (unsigned int)read_hsr(), (unsigned int)read_hdfar());
	core_hypervisor_panic(hyp_exception_names[kind & 7], elr);
}
