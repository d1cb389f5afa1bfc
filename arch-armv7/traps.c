/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Guest traps (HYP vector 0x14): decode the HSR syndrome into one core
 * entry, complete the instruction, and park the CPU if the core asked for
 * it. Also the hypervisor's own exceptions.
 */
#include "gicd.h"
#include "handover.h"
#include "../core/traplog.h"
#include "arm.h"

/* Trap-log records name the trapping instruction's register. */
#ifdef WARDEN_TRAP_LOG
#define ARM_LOG_INSN true
#else
#define ARM_LOG_INSN false
#endif

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
static inline __attribute__((always_inline)) void skip_insn(uint32_t hsr)
{
	write_elr(read_elr() + ((hsr & HSR_IL) ? 4 : 2));
}

#define BANKED(key, name)                                          \
	case key:                                                  \
		if (write)                                         \
			asm volatile("msr " #name ", %0" ::"r"(*v) \
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
	uint32_t mode = read_spsr() & PSR_MODE_MASK, *slot = NULL;

	if (reg < 8 || (reg < 13 && mode != 0x11)) /* r0-r7: never banked */
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

/*
 * The cell fails with @reason and @item by the backend's own decision; its
 * trap record is an exception record of the exception class.
 */
static void refuse(uint32_t hsr, enum wd_reason reason, uint64_t item)
{
	core_trap_denied(&(struct wd_trap){ .kind = WD_TRAP_EXCEPTION,
					    .addr = HSR_EC(hsr) },
			 reason, item);
}

static void unhandled(const char *what, uint32_t hsr)
{
	core_printk("warden: CPU %u: %s (HSR 0x%08x, EC 0x%02x) at pc 0x%08x\n",
		    hal_cpu_id(), what, (unsigned int)hsr,
		    (unsigned int)HSR_EC(hsr), (unsigned int)read_elr());
	refuse(hsr, WD_R_cpu_exception, HSR_EC(hsr));
}

/* Trap records name registers as Capstone does (docs/abi.md, 6.5). */
static uint8_t capstone_reg(unsigned int reg)
{
	static const uint8_t high[] = { 12, 10, 11 }; /* SP, LR, PC */

	return reg < 13 ? (uint8_t)(66 + reg) : high[reg - 13];
}

/*
 * One access of @size bytes at @ipa to or from guest register @reg through
 * the core, or the distributor's filter (gic.c: its records are those of
 * the pins it checks); @wback and @len describe the instruction for the
 * trap log. False if it was denied (the CPU is parked).
 */
static inline __attribute__((always_inline)) bool
mmio_one(struct trap_frame *f, uint64_t ipa, unsigned int size, bool write,
	 bool sext, unsigned int reg, bool wback, unsigned int len)
{
	unsigned int cut = 32 - 8 * size; /* the bits above the access */
	uint32_t val = 0;
	enum access_result res;

	if (write)
		guest_reg(f, reg, &val, false);
	val = val << cut >> cut;
	if (ipa - arm_gic.gicd_base <= GICD_SIZE - size) { /* gic.c's */
		res = arm_gic_access((unsigned int)(ipa - arm_gic.gicd_base),
				     size, write, &val);
	} else {
		struct mmio_access acc = { .address = ipa,
					   .size = size,
					   .is_write = write,
					   .value = val };

		if (ARM_LOG_INSN)
			acc.insn = (struct mmio_insn){ .reg = capstone_reg(reg),
						       .sext = sext,
						       .wback = wback,
						       .len = (uint8_t)len };
		res = core_mmio(&acc);
		val = (uint32_t)acc.value;
	}
	if (res == ACCESS_DENIED)
		return false;
	if (!write) {
		val = sext ? (uint32_t)((int32_t)(val << cut) >> cut) :
			     val << cut >> cut;
		guest_reg(f, reg, &val, true);
	}
	return true;
}

/*
 * Physical address of guest virtual @va (stage 1 and 2, as PL1 reads).
 * The translation lands in PAR, which is the cell's register: it gets its
 * own value back, never a host physical address.
 */
static bool guest_va_to_pa(uint32_t va, uint64_t *pa)
{
	uint64_t par, saved = arm_read_cp64(0, c7);

	arm_write_cp32(0, c7, c8, 4, va); /* ATS12NSOPR */
	asm volatile("isb" ::: "memory");
	par = arm_read_cp64(0, c7);
	arm_write_cp64(0, c7, saved);
	asm volatile("isb" ::: "memory");
	if (par & 1)
		return false;
	if (par & (1u << 11)) /* long-descriptor format */
		*pa = (par & 0xfffffff000ULL) | (va & 0xfff);
	else
		*pa = (par & 0xfffff000u) | (va & 0xfff);
	return true;
}

/*
 * The access without syndrome at @pc is refused (decode.c's rules): the
 * cell fails with @reason and @item, never the machine. The trap log shows
 * it as an exception record of the data abort, as unhandled() does.
 */
static void refuse_decode(uint32_t hsr, uint32_t pc, enum wd_reason reason,
			  uint64_t item)
{
	core_printk("warden: CPU %u: MMIO access without syndrome at pc "
		    "0x%08x refused\n",
		    hal_cpu_id(), (unsigned int)pc);
	refuse(hsr, reason, item);
}

/*
 * No syndrome: fetch the ARM instruction at ELR_hyp and decode it (write-
 * back forms, LDRD/STRD). The decoded address must be the faulting one.
 */
static void handle_dabt_decode(struct trap_frame *f, uint32_t hsr, uint64_t ipa)
{
	uint32_t regs[15], insn, elr = read_elr();
	struct arm_mmio_insn d;
	enum wd_reason why;
	unsigned int i;
	uint64_t pa;

	if (read_spsr() & PSR_T) {
		refuse_decode(hsr, elr, WD_R_insn_thumb, elr);
		return;
	}
	if (!guest_va_to_pa(elr, &pa) || pa >= 0x100000000ULL) {
		refuse_decode(hsr, elr, WD_R_insn_unreadable, elr);
		return;
	}
	insn = *(volatile uint32_t *)(uintptr_t)pa;
	for (i = 0; i < 15; i++)
		guest_reg(f, i, &regs[i], false);
	why = arm_decode_mmio(insn, regs, &d);
	if (why == WD_R_none && d.address != read_hdfar())
		why = WD_R_insn_address;
	if (why != WD_R_none) {
		refuse_decode(hsr, elr, why, insn);
		return;
	}
	for (i = 0; i < (d.pair ? 2u : 1u); i++)
		if (!mmio_one(f, ipa + 4 * i, d.size, !d.load, d.sext, d.rt + i,
			      d.writeback, 4))
			return;
	if (d.writeback)
		guest_reg(f, d.rn, &d.wb_value, true);
	write_elr(elr + 4);
}

/* A data abort at an IPA outside the cell's RAM: emulate it. */
static void handle_dabt(struct trap_frame *f, uint32_t hsr)
{
	uint32_t iss = HSR_ISS(hsr), reg = DABT_SRT(iss), val;
	uint32_t off = read_hdfar() & 0xfff, cut = 32 - (8u << DABT_SAS(iss));
	uint64_t ipa;

	/* The distributor's common case, past the general decode: the
	 * syndrome names r0-r7, the size and the direction, no sign. */
	if ((iss & (DABT_ISV | DABT_SSE | DABT_S1PTW)) == DABT_ISV && reg < 8 &&
	    read_hpfar() >> 4 == (uint32_t)(arm_gic.gicd_base >> 12) &&
	    off <= GICD_SIZE - (1u << DABT_SAS(iss))) {
		val = f->r[reg] << cut >> cut;
		if (arm_gic_access(off, 1u << DABT_SAS(iss), iss & DABT_WNR,
				   &val) == ACCESS_DENIED)
			return;
		if (!(iss & DABT_WNR))
			f->r[reg] = val;
		return skip_insn(hsr);
	}
	if (iss & DABT_S1PTW) {
		unhandled("stage-1 table walk outside the cell's RAM", hsr);
		return;
	}
	ipa = ((uint64_t)(read_hpfar() & ~0xfu) << 8) | (read_hdfar() & 0xfff);
	if (!(iss & DABT_ISV)) {
		handle_dabt_decode(f, hsr, ipa);
		return;
	}
	if (DABT_SRT(iss) == 15) {
		unhandled("MMIO access through the PC", hsr);
		return;
	}
	if (mmio_one(f, ipa, 1u << DABT_SAS(iss), iss & DABT_WNR,
		     iss & DABT_SSE, DABT_SRT(iss), false,
		     hsr & HSR_IL ? 4 : 2))
		skip_insn(hsr);
}

/*
 * A trapped coprocessor register transfer: cache maintenance by set/way
 * (carried out), or (HDCR: debug and PMU, handover.h) no such hardware for
 * cells, reads as zero, writes ignored. EC 0x03/0x05
 * MCR/MRC, 0x04/0x0c MCRR/MRRC; anything else fails the cell.
 */
static void handle_sysreg(struct trap_frame *f, uint32_t hsr)
{
	uint32_t iss = HSR_ISS(hsr), ec = HSR_EC(hsr), zero = 0;
	bool is64 = ec == EC_CP15_64 || ec == EC_CP14_64;
	unsigned int cp = ec == EC_CP15_32 || ec == EC_CP15_64 ? 15 : 14;
	unsigned int opc1 = is64 ? (iss >> 16) & 0xf : (iss >> 14) & 7;
	unsigned int crn = is64 ? 0 : (iss >> 10) & 0xf, crm = (iss >> 1) & 0xf;
	unsigned int rt = (iss >> 5) & 0xf, rt2 = (iss >> 10) & 0xf;

	/* Data cache maintenance by set/way (HCR.TSW): Linux cleans its
	 * caches so before PSCI CPU_OFF. Carried out, as clean and
	 * invalidate whatever the guest asked: an invalidate alone could
	 * drop another owner's dirty lines. */
	if (cp == 15 && !is64 && !opc1 && crn == 7 && (iss >> 17 & 7) == 2 &&
	    (crm == 6 || crm == 10 || crm == 14) && !(iss & 1)) {
		uint32_t v = 0;

		guest_reg(f, rt, &v, false);
		arm_write_cp32(0, c7, c14, 2, v); /* DCCISW */
		core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
		skip_insn(hsr);
		return;
	}
	if (!arm_handover_trapped(cp, opc1, crn, crm, (iss >> 17) & 7, is64)) {
		/* Recorded as an exception record of the class (the trace
		 * format has no kind for it; the replayer takes the reason
		 * an exc record names). */
		core_printk("warden: CPU %u: coprocessor access not emulated "
			    "(HSR 0x%08x) at pc 0x%08x\n",
			    hal_cpu_id(), (unsigned int)hsr,
			    (unsigned int)read_elr());
		refuse(hsr, WD_R_sysreg_trapped, hsr);
		return;
	}
	core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
	if (iss & 1) { /* read */
		guest_reg(f, rt, &zero, true);
		if (is64)
			guest_reg(f, rt2, &zero, true);
	}
	skip_insn(hsr);
}

/* PSCI from a cell (smc, or hvc #0): psci.c decides, r0 gets the answer. */
static void handle_psci(struct trap_frame *f)
{
	struct psci_decision d;
	enum access_result res;
	struct cpu_set cpus;
	bool running;

	psci_decide(f->r[0], f->r[1], f->r[2], f->r[3],
		    psci_machine_cpus(core_system_config()), &d);
	switch (d.action) {
	case PSCI_ACT_ANSWER:
		core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
		f->r[0] = (uint32_t)d.answer;
		return;
	case PSCI_ACT_AFFINITY:
		core_stat_inc(WD_CPU_STAT_VMEXITS_PLATFORM);
		f->r[0] = (uint32_t)psci_affinity_answer(
			d.cpu < WD_MAX_CPUS &&
				core_cpu_cell(d.cpu) ==
					core_cpu_cell(hal_cpu_id()),
			d.cpu < WD_MAX_CPUS &&
				!(core_cpu_flags(d.cpu) & CORE_CPU_PARKED));
		return;
	case PSCI_ACT_MACHINE:
		res = core_machine_control(d.off, WD_METHOD_PSCI);
		if (res != ACCESS_FORWARDED)
			return;
		core_printk("warden: PSCI %s from the root cell\n",
			    d.off ? "SYSTEM_OFF" : "SYSTEM_RESET");
		f->r[0] = (uint32_t)arm_smc(
			d.off ? PSCI_SYSTEM_OFF : PSCI_SYSTEM_RESET, 0, 0, 0);
		return;
	case PSCI_ACT_CPU_OFF:
		/* No return: the core parks this CPU (on the way out of the
		 * trap) until its cell starts it again. */
		core_cpu_off();
		return;
	case PSCI_ACT_CPU_ON:
		/* The core starts CPUs it holds parked; others run already. */
		running = !(core_cpu_flags(d.cpu) & CORE_CPU_PARKED);
		/* r0 of the started CPU; only for a CPU of this cell. */
		cpus = core_cell_cpus(core_cpu_cell(hal_cpu_id()));
		if (!running && cpu_set_has(&cpus, d.cpu))
			arm_cpus[d.cpu].context = d.context;
		res = core_cpu_on(d.cpu, d.entry);
		if (res == ACCESS_DENIED)
			return;
		f->r[0] = (uint32_t)psci_cpu_on_answer(
			running, cpu_set_has(&cpus, d.cpu));
		return;
	}
}

/*
 * hvc #0x4a48: code in r0, arguments in r1 and r2, result in r0. The
 * caller's privilege is the mode in SPSR_hyp. An HVC executed in USR mode
 * is UNDEFINED (ARM ARM B1.8.5, B9.3.3): the guest takes its own undefined
 * instruction exception and HYP never sees it, so user is always false on
 * hardware; it is passed all the same, for the core's rule to be the one
 * that decides.
 */
static void handle_hvc(struct trap_frame *f)
{
	bool user = (read_spsr() & PSR_MODE_MASK) == PSR_MODE_USR;
	uint32_t code = f->r[0];

	f->r[0] = (uint32_t)core_hypercall(code, f->r[1], f->r[2], user);
	/* The deep paths: cell management, DISABLE. */
	if (code <= WD_HC_CELL_DESTROY)
		arm_stack_check();
}

void arm_handle_trap(struct trap_frame *f)
{
	uint32_t hsr;

	arm_check_park();
	hsr = read_hsr();
	traplog_trap_enter(); /* trap log: one ordered section per trap */
	switch (__builtin_expect(HSR_EC(hsr), EC_DABT_GUEST)) {
	case EC_HVC:
		/* ELR_hyp already points past the hvc. */
		if ((hsr & 0xffff) == HVC_WARDEN)
			handle_hvc(f);
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
		/* Not trapped (HCR.TWI clear); harmless if it ever is. */
		skip_insn(hsr);
		break;
	case EC_CP15_32:
	case EC_CP15_64:
	case EC_CP14_32:
	case EC_CP14_64:
		handle_sysreg(f, hsr);
		break;
	case EC_IABT_GUEST:
		unhandled("instruction fetch outside the cell's RAM", hsr);
		break;
	default:
		unhandled("unhandled trap", hsr);
	}
	traplog_trap_exit();
	arm_gic_flush();
	arm_check_park();
	if (arm_this_cpu()->leave) /* DISABLE done on a CPU from Linux */
		arm_linux_leave();
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
	arm_stack_check(); /* a fault from a HYP stack overflow says so */
	core_hypervisor_panic(hyp_exception_names[kind & 7], elr);
}
