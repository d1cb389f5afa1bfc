/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * handover (ARMv7 only): does anything of one cell survive on a CPU that
 * the next cell gets? Three roles, chosen by the select parameter:
 *
 * 1 "plant": write a distinctive value into every register a cell can
 *   write (general registers of every mode, banked SP/LR/SPSR, FIQ r8-r12,
 *   VFP/NEON d0-d31, FPSCR, FPEXC, the CP15 registers, both timers,
 *   CNTKCTL, PAR, debug watchpoints and breakpoints, the PMU), leave the
 *   CPU in SYS mode with SCTLR.TE/EE/V set, a timer armed but masked and
 *   a watchpoint on the next cell's first load; then idle until destroyed.
 * 2 "check": a new cell on the same CPU reads them all back, the general
 *   and banked registers before its start-up code touches them
 *   (inmate_early), and compares each against the documented value after
 *   handover (docs/arm.md). One [check] line per group, then the verdict.
 *   Also: PAR keeps the cell's own value across an access the hypervisor
 *   decodes with an address translation (no host physical address).
 * 3 "offon": the same within one cell of two CPUs or more, on its second
 *   CPU, across PSCI CPU_OFF and CPU_ON (offon() below).
 * 4 "plant and fail": plant, then access memory that is not the cell's:
 *   the cell fails and its CPU is parked with the planted state (check
 *   with 2 in the next cell).
 *
 * The expected values are this test's own table, not the backend's list:
 * a register the list forgets still shows up here.
 */
#include <inmate.h>

INMATE_NAME("handover");

#define ROLE_PLANT 1
#define ROLE_CHECK 2
#define ROLE_OFFON 3
#define ROLE_PLANT_FAIL 4
/* Nothing of the cell's, never emulated: the access fails the cell. */
#define UNOWNED 0x20000000u

/* ---- the state at entry, before start.S changes any of it ---- */

/*
 * Save area (words): r0-r12, SP, LR, CPSR, SPSR_svc, then SP_usr, LR_usr,
 * SP/LR/SPSR of ABT, UND, IRQ, r8-r12/SP/LR/SPSR of FIQ, then SCTLR, VBAR,
 * TPIDRPRW. In .text.early so that the first store reaches it PC-relative.
 */
#define E_CPSR 15
#define E_SPSR_SVC 16
#define E_BANKED 17
#define E_NUM_BANKED 19
#define E_SCTLR (E_BANKED + E_NUM_BANKED)
#define E_VBAR (E_SCTLR + 1)
#define E_TPIDRPRW (E_SCTLR + 2)
#define E_WORDS (E_SCTLR + 3)

extern uint32_t early_save[E_WORDS], early_save_on[E_WORDS];
extern const char handover_cpu_on_entry[];

/*
 * capture AREA, SLOT, NEXT: store the registers into AREA (SLOT: a word
 * for r0 within reach of a PC-relative store), then branch to NEXT.
 * Expanded for the cell's first CPU (inmate_early, before start.S's
 * reset code) and for a CPU the cell starts with CPU_ON
 * (handover_cpu_on_entry, before start.S's secondary_entry).
 */
asm(".macro capture area, slot, next\n"
    "	str	r0, \\slot\n"
    "	adr	r0, \\area\n"
    "	stmia	r0, {r0-r12, sp, lr}\n"
    "	ldr	r1, \\slot\n"
    "	str	r1, [r0]\n"
    "	mrs	r1, cpsr\n"
    "	mrs	r2, spsr\n"
    "	str	r1, [r0, #60]\n"
    "	str	r2, [r0, #64]\n"
    "	add	r0, r0, #68\n"
    "	mrs	r1, SP_usr\n"
    "	mrs	r2, LR_usr\n"
    "	mrs	r3, SP_abt\n"
    "	mrs	r4, LR_abt\n"
    "	mrs	r5, SPSR_abt\n"
    "	mrs	r6, SP_und\n"
    "	mrs	r7, LR_und\n"
    "	mrs	r8, SPSR_und\n"
    "	stmia	r0!, {r1-r8}\n"
    "	mrs	r1, SP_irq\n"
    "	mrs	r2, LR_irq\n"
    "	mrs	r3, SPSR_irq\n"
    "	mrs	r4, r8_fiq\n"
    "	mrs	r5, r9_fiq\n"
    "	mrs	r6, r10_fiq\n"
    "	mrs	r7, r11_fiq\n"
    "	mrs	r8, r12_fiq\n"
    "	stmia	r0!, {r1-r8}\n"
    "	mrs	r1, SP_fiq\n"
    "	mrs	r2, LR_fiq\n"
    "	mrs	r3, SPSR_fiq\n"
    "	mrc	p15, 0, r4, c1, c0, 0\n"
    "	mrc	p15, 0, r5, c12, c0, 0\n"
    "	mrc	p15, 0, r6, c13, c0, 4\n"
    "	stmia	r0!, {r1-r6}\n"
    "	ldr	r0, \\slot\n"
    "	b	\\next\n"
    ".endm\n"
    ".section .text.early, \"ax\"\n"
    ".arm\n"
    ".globl inmate_early\n"
    "inmate_early:\n"
    "	capture early_save, early_r0, inmate_reset_continue\n"
    ".globl handover_cpu_on_entry\n"
    "handover_cpu_on_entry:\n"
    "	capture early_save_on, early_r0_on, secondary_entry\n"
    "early_r0: .word 0\n"
    "early_r0_on: .word 0\n"
    ".globl early_save\n"
    "early_save: .space 4 * 39\n"
    ".globl early_save_on\n"
    "early_save_on: .space 4 * 39\n"
    ".previous\n");

_Static_assert(E_WORDS == 39, "early_save size in the asm above");

static const char *const banked_names[E_NUM_BANKED] = {
	"SP_usr",   "LR_usr", "SP_abt",	  "LR_abt",   "SPSR_abt",
	"SP_und",   "LR_und", "SPSR_und", "SP_irq",   "LR_irq",
	"SPSR_irq", "r8_fiq", "r9_fiq",	  "r10_fiq",  "r11_fiq",
	"r12_fiq",  "SP_fiq", "LR_fiq",	  "SPSR_fiq",
};

/* ---- registers read and written from C ---- */

enum {
	R32,
	R64
};

struct sysreg {
	const char *group, *name;
	int width;
	uint64_t after; /* documented value after handover */
	uint64_t plant; /* what "plant" writes */
	uint64_t (*read)(void);
	void (*write)(uint64_t v);
};

#define CP32(op1, crn, crm, op2, fn)                             \
	static uint64_t rd_##fn(void)                            \
	{                                                        \
		return arm_read_cp32(op1, crn, crm, op2);        \
	}                                                        \
	static void wr_##fn(uint64_t v)                          \
	{                                                        \
		arm_write_cp32(op1, crn, crm, op2, (uint32_t)v); \
		asm volatile("isb" ::: "memory");                \
	}
#define CP64(op1, crm, fn)                        \
	static uint64_t rd_##fn(void)             \
	{                                         \
		return arm_read_cp64(op1, crm);   \
	}                                         \
	static void wr_##fn(uint64_t v)           \
	{                                         \
		arm_write_cp64(op1, crm, v);      \
		asm volatile("isb" ::: "memory"); \
	}
#define CP14(op1, crn, crm, op2, fn)                                  \
	static uint64_t rd_##fn(void)                                 \
	{                                                             \
		uint32_t v_;                                          \
		asm volatile("mrc p14, " #op1 ", %0, " #crn ", " #crm \
			     ", " #op2                                \
			     : "=r"(v_));                             \
		return v_;                                            \
	}                                                             \
	static void wr_##fn(uint64_t v)                               \
	{                                                             \
		asm volatile("mcr p14, " #op1 ", %0, " #crn ", " #crm \
			     ", " #op2 "\n\tisb"                      \
			     :                                        \
			     : "r"((uint32_t)v)                       \
			     : "memory");                             \
	}

CP32(0, c1, c0, 2, cpacr)
CP32(0, c2, c0, 2, ttbcr)
CP64(0, c2, ttbr0)
CP64(1, c2, ttbr1)
CP32(0, c3, c0, 0, dacr)
CP32(0, c5, c0, 0, dfsr)
CP32(0, c5, c0, 1, ifsr)
CP32(0, c5, c1, 0, adfsr)
CP32(0, c5, c1, 1, aifsr)
CP32(0, c6, c0, 0, dfar)
CP32(0, c6, c0, 2, ifar)
CP64(0, c7, par)
CP32(0, c10, c2, 0, prrr)
CP32(0, c10, c2, 1, nmrr)
CP32(0, c10, c3, 0, amair0)
CP32(0, c10, c3, 1, amair1)
CP32(0, c13, c0, 0, fcseidr)
CP32(0, c13, c0, 1, contextidr)
CP32(0, c13, c0, 2, tpidrurw)
CP32(0, c13, c0, 3, tpidruro)
CP32(2, c0, c0, 0, csselr)
CP32(0, c14, c1, 0, cntkctl)
CP32(0, c14, c2, 1, cntp_ctl)
CP32(0, c14, c3, 1, cntv_ctl)
CP64(2, c14, cntp_cval)
CP64(3, c14, cntv_cval)
CP14(0, c0, c0, 4, dbgbvr0)
CP14(0, c0, c0, 5, dbgbcr0)
CP14(0, c0, c0, 6, dbgwvr0)
CP14(0, c0, c0, 7, dbgwcr0)
CP14(0, c0, c1, 4, dbgbvr1)
CP14(0, c0, c1, 5, dbgbcr1)
CP14(0, c0, c2, 2, dbgdscrext)
CP32(0, c9, c12, 0, pmcr)
CP32(0, c9, c12, 1, pmcntenset)
CP32(0, c9, c12, 3, pmovsr)
CP32(0, c9, c12, 5, pmselr)
CP32(0, c9, c13, 0, pmccntr)
CP32(0, c9, c13, 1, pmxevtyper)
CP32(0, c9, c14, 0, pmuserenr)
CP32(0, c9, c14, 1, pmintenset)

/* The next cell's first load of its own: its role (watched). */
#define WATCHED 0x1040u /* &inmate_params.select */
_Static_assert(WATCHED == INMATE_PARAMS_OFFSET + 0x40, "select's address");

#define REG(g, n, w, after, plant, fn)                  \
	{                                               \
		g, n, w, after, plant, rd_##fn, wr_##fn \
	}

static const struct sysreg sysregs[] = {
	REG("cp15", "CPACR", R32, 0, 0x00f00000, cpacr),
	REG("cp15", "TTBCR", R32, 0, 0x2, ttbcr),
	REG("cp15", "TTBR0", R64, 0, 0x00000000aa5a4000ull, ttbr0),
	REG("cp15", "TTBR1", R64, 0, 0x00000000bb5b8000ull, ttbr1),
	REG("cp15", "DACR", R32, 0, 0x55555555, dacr),
	REG("cp15", "DFSR", R32, 0, 0x00000805, dfsr),
	REG("cp15", "IFSR", R32, 0, 0x00000005, ifsr),
	REG("cp15", "ADFSR", R32, 0, 0x0000a5a5, adfsr),
	REG("cp15", "AIFSR", R32, 0, 0x00005a5a, aifsr),
	REG("cp15", "DFAR", R32, 0, 0xdfa0dfa0, dfar),
	REG("cp15", "IFAR", R32, 0, 0x1fa01fa0, ifar),
	REG("cp15", "PAR", R64, 0, 0x000000004e0aa000ull, par),
	REG("cp15", "PRRR", R32, 0, 0x000a8aa4, prrr),
	REG("cp15", "NMRR", R32, 0, 0x44e048e0, nmrr),
	REG("cp15", "AMAIR0", R32, 0, 0x12345678, amair0),
	REG("cp15", "AMAIR1", R32, 0, 0x87654321, amair1),
	/* Read only: a PID would relocate the planting cell's own code
	 * (QEMU implements the FCSE, which an MP core need not). */
	REG("cp15", "FCSEIDR", R32, 0, 0, fcseidr),
	REG("cp15", "CONTEXTIDR", R32, 0, 0xc0de00a5, contextidr),
	REG("cp15", "TPIDRURW", R32, 0, 0xc0ffee01, tpidrurw),
	REG("cp15", "TPIDRURO", R32, 0, 0xc0ffee02, tpidruro),
	REG("cp15", "CSSELR", R32, 0, 0x1, csselr),
	REG("timer", "CNTKCTL", R32, 0, 0x303, cntkctl),
	REG("timer", "CNTP_CVAL", R64, 0, 0x00ffffff00000000ull, cntp_cval),
	REG("timer", "CNTV_CVAL", R64, 0, 0x00eeeeee00000000ull, cntv_cval),
	/* enabled, masked: it never fires at the planting cell */
	REG("timer", "CNTP_CTL", R32, 0, 0x3, cntp_ctl),
	REG("timer", "CNTV_CTL", R32, 0, 0x3, cntv_ctl),
	/* Absent hardware for cells: reads as zero, writes ignored. */
	REG("debug", "DBGBVR0", R32, 0, WATCHED, dbgbvr0),
	REG("debug", "DBGBCR0", R32, 0, 0x1e7, dbgbcr0),
	REG("debug", "DBGWVR0", R32, 0, WATCHED, dbgwvr0),
	/* enabled, any privilege, loads, all bytes */
	REG("debug", "DBGWCR0", R32, 0, 0x1ef, dbgwcr0),
	REG("debug", "DBGBVR1", R32, 0, 0x2000, dbgbvr1),
	REG("debug", "DBGBCR1", R32, 0, 0x1e7, dbgbcr1),
	REG("debug", "DBGDSCRext", R32, 0, 1u << 15, dbgdscrext), /* MDBGen */
	REG("pmu", "PMCR", R32, 0, 0x7, pmcr),
	REG("pmu", "PMCNTENSET", R32, 0, 0x80000001, pmcntenset),
	REG("pmu", "PMOVSR", R32, 0, 0x80000001, pmovsr),
	REG("pmu", "PMSELR", R32, 0, 0x1f, pmselr),
	REG("pmu", "PMCCNTR", R32, 0, 0x12345678, pmccntr),
	REG("pmu", "PMXEVTYPER", R32, 0, 0x11, pmxevtyper),
	REG("pmu", "PMUSERENR", R32, 0, 0x1, pmuserenr),
	REG("pmu", "PMINTENSET", R32, 0, 0x80000001, pmintenset),
};

/* ---- VFP/NEON ---- */

static uint64_t vfp_d[32];

static void vfp_on(void)
{
	arm_write_cp32(0, c1, c0, 2, 0x00f00000); /* CPACR: cp10, cp11 */
	asm volatile("isb\n\t"
		     ".fpu neon-vfpv4\n\t"
		     "vmsr fpexc, %0\n\t"
		     "isb" ::"r"(1u << 30)
		     : "memory");
}

static uint32_t read_fpexc(void)
{
	uint32_t v;

	asm volatile(".fpu neon-vfpv4\n\tvmrs %0, fpexc" : "=r"(v));
	return v;
}

static uint32_t read_fpscr(void)
{
	uint32_t v;

	asm volatile(".fpu neon-vfpv4\n\tvmrs %0, fpscr" : "=r"(v));
	return v;
}

static void vfp_store(uint64_t *d)
{
	asm volatile(".fpu neon-vfpv4\n\t"
		     "vstmia %0!, {d0-d15}\n\t"
		     "vstmia %0, {d16-d31}"
		     : "+r"(d)
		     :
		     : "memory");
}

static void vfp_load(const uint64_t *d)
{
	asm volatile(".fpu neon-vfpv4\n\t"
		     "vldmia %0!, {d0-d15}\n\t"
		     "vldmia %0, {d16-d31}"
		     : "+r"(d)
		     :
		     : "memory");
}

static uint64_t plant_d(unsigned int i)
{
	return 0xd0d0000000000000ull | (uint64_t)i << 32 | (0xa5a50000u + i);
}

/* ---- plant ---- */

static uint32_t read_cpsr(void)
{
	uint32_t v;

	asm volatile("mrs %0, cpsr" : "=r"(v));
	return v;
}

static uint32_t planted(unsigned int i)
{
	return 0xbad00000u | i << 8;
}

static void plant_banked(void)
{
	/* Every mode's banked registers but SVC's and USR's, from SVC. */
	asm volatile("msr SP_abt, %0\n\tmsr LR_abt, %1\n\tmsr SPSR_abt, %2\n\t"
		     "msr SP_und, %3\n\tmsr LR_und, %4\n\tmsr SPSR_und, %5"
		     :
		     : "r"(planted(2)), "r"(planted(3)), "r"(0xf00001d7),
		       "r"(planted(5)), "r"(planted(6)), "r"(0xf00001db));
	asm volatile("msr SP_irq, %0\n\tmsr LR_irq, %1\n\tmsr SPSR_irq, %2\n\t"
		     "msr r8_fiq, %3\n\tmsr r9_fiq, %4\n\tmsr r10_fiq, %5"
		     :
		     : "r"(planted(8)), "r"(planted(9)), "r"(0xf00001d2),
		       "r"(planted(11)), "r"(planted(12)), "r"(planted(13)));
	asm volatile("msr r11_fiq, %0\n\tmsr r12_fiq, %1\n\tmsr SP_fiq, %2\n\t"
		     "msr LR_fiq, %3\n\tmsr SPSR_fiq, %4"
		     :
		     : "r"(planted(14)), "r"(planted(15)), "r"(planted(16)),
		       "r"(planted(17)), "r"(0xf00001d1));
	/*
	 * Go on in SYS mode (USR's registers, this stack), and leave SVC's
	 * SP, LR and SPSR planted: the next cell starts in SVC mode.
	 */
	asm volatile("mov r0, sp\n\t"
		     "cps #0x1f\n\t"
		     "mov sp, r0\n\t"
		     "msr SP_svc, %0\n\tmsr LR_svc, %1\n\tmsr SPSR_svc, %2"
		     :
		     : "r"(0xbad0ff0du), "r"(0xbad0ff1eu), "r"(0xf00001df)
		     : "r0", "memory");
}

static void plant(void)
{
	unsigned int i, n = 0, absent = 0, len = 0;
	char lost[96] = "";
	uint32_t sctlr;

	for (i = 0; i < ARRAY_SIZE(sysregs); i++) {
		const struct sysreg *r = &sysregs[i];
		uint64_t mask = r->width == R32 ? 0xffffffffu : ~0ull;

		r->write(r->plant);
		if ((r->read() & mask) == r->plant)
			n++;
		else if (!strcmp(r->group, "debug") || !strcmp(r->group, "pmu"))
			absent++; /* read as zero: trapped */
		else if (len < sizeof(lost))
			len += (unsigned int)snprintf(
				lost + len, sizeof(lost) - len, " %s", r->name);
	}
	printf("handover: planted %u system registers (%u read back)\n",
	       (unsigned int)ARRAY_SIZE(sysregs), n);
	/* What this CPU does not keep (RAZ/WI here): checked all the same. */
	printf("handover: %u debug/PMU read as zero; not kept:%s\n", absent,
	       lost);
	vfp_on();
	for (i = 0; i < 32; i++)
		vfp_d[i] = plant_d(i);
	vfp_load(vfp_d);
	asm volatile(".fpu neon-vfpv4\n\tvmsr fpscr, %0" ::"r"(0xf3c0009fu));
	printf("handover: planted d0-d31, FPSCR 0x%x, FPEXC 0x%x, CPACR 0x%x\n",
	       (unsigned int)read_fpscr(), (unsigned int)read_fpexc(),
	       (unsigned int)rd_cpacr());
	/* Exceptions taken in Thumb, big-endian, at the high vectors; a
	 * foreign VBAR and TPIDRPRW (interrupts stay masked here). */
	sctlr = arm_read_cp32(0, c1, c0, 0);
	arm_write_cp32(0, c1, c0, 0,
		       sctlr | (1u << 30) | (1u << 25) | (1u << 13));
	arm_write_cp32(0, c12, c0, 0, 0xbad0bad0u & ~0x1fu);
	arm_write_cp32(0, c13, c0, 4, 0xbad0c0deu);
	asm volatile("isb" ::: "memory");
	plant_banked();
	printf("handover: planted banked registers; SCTLR 0x%x; idling in "
	       "mode 0x%x\n",
	       (unsigned int)arm_read_cp32(0, c1, c0, 0),
	       (unsigned int)(read_cpsr() & 0x1f));
	check("handover.planted", true, NULL);
}

/* ---- check ---- */

static bool check_early(const uint32_t *e, uint32_t r0)
{
	char buf[96] = "";
	unsigned int i;
	bool ok = true;

	/* r0: the PSCI context (0: the cell's first CPU); r1-r12, LR 0.
	 * SP_svc is banked: below. */
	for (i = 0; i <= 12 && ok; i++)
		if (e[i] != (i ? 0 : r0)) {
			snprintf(buf, sizeof(buf), "r%u = 0x%x", i,
				 (unsigned int)e[i]);
			ok = false;
		}
	if (ok && e[14]) {
		snprintf(buf, sizeof(buf), "LR_svc = 0x%x",
			 (unsigned int)e[14]);
		ok = false;
	}
	check("handover.gprs", ok,
	      ok ? "r0 the context, r1-r12, LR_svc 0" : "%s", buf);

	ok = true;
	if (e[13] || e[E_SPSR_SVC]) {
		snprintf(buf, sizeof(buf), "SP_svc 0x%x SPSR_svc 0x%x",
			 (unsigned int)e[13], (unsigned int)e[E_SPSR_SVC]);
		ok = false;
	}
	for (i = 0; i < E_NUM_BANKED && ok; i++)
		if (e[E_BANKED + i]) {
			snprintf(buf, sizeof(buf), "%s = 0x%x", banked_names[i],
				 (unsigned int)e[E_BANKED + i]);
			ok = false;
		}
	check("handover.banked", ok, ok ? "SP/LR/SPSR of every mode 0" : "%s",
	      buf);

	/* SVC, A/I/F masked, ARM state, little-endian. */
	check("handover.cpsr", (e[E_CPSR] & 0xffff03ff) == 0x1d3, "0x%x",
	      (unsigned int)e[E_CPSR]);

	ok = e[E_SCTLR] == 0x00c50078 && !e[E_VBAR] && !e[E_TPIDRPRW];
	return check("handover.sctlr-vbar-tpidrprw", ok,
		     "SCTLR 0x%x VBAR 0x%x TPIDRPRW 0x%x",
		     (unsigned int)e[E_SCTLR], (unsigned int)e[E_VBAR],
		     (unsigned int)e[E_TPIDRPRW]);
}

static void check_group(const char *group)
{
	char buf[96] = "", name[32];
	unsigned int i, n = 0;
	bool ok = true;

	for (i = 0; i < ARRAY_SIZE(sysregs); i++) {
		const struct sysreg *r = &sysregs[i];
		uint64_t v;

		if (strcmp(r->group, group))
			continue;
		n++;
		v = r->read();
		if (r->width == R32)
			v &= 0xffffffffu;
		/* CTL.ISTATUS is the timer's condition, not state. */
		if (!strcmp(group, "timer") && (!strcmp(r->name, "CNTP_CTL") ||
						!strcmp(r->name, "CNTV_CTL")))
			v &= ~4ull;
		if (v != r->after && ok) {
			snprintf(buf, sizeof(buf), "%s = 0x%llx, not 0x%llx",
				 r->name, (unsigned long long)v,
				 (unsigned long long)r->after);
			ok = false;
		}
	}
	snprintf(buf + strlen(buf), sizeof(buf) - strlen(buf), "%s%u registers",
		 ok ? "" : "; ", n);
	snprintf(name, sizeof(name), "handover.%s", group);
	check(name, ok, "%s", buf);
}

static void check_vfp(void)
{
	uint32_t cpacr = (uint32_t)rd_cpacr(), fpexc, fpscr;
	char buf[96] = "";
	unsigned int i;
	bool ok;

	/* CPACR is in the cp15 group; VFP needs it on to be read at all. */
	vfp_on();
	(void)cpacr;
	fpexc = read_fpexc(); /* EN is ours now; the rest must be 0 */
	fpscr = read_fpscr();
	vfp_store(vfp_d);
	ok = fpscr == 0 && (fpexc & ~(1u << 30)) == 0;
	if (!ok)
		snprintf(buf, sizeof(buf), "FPSCR 0x%x FPEXC 0x%x",
			 (unsigned int)fpscr, (unsigned int)fpexc);
	for (i = 0; i < 32 && ok; i++)
		if (vfp_d[i]) {
			snprintf(buf, sizeof(buf), "d%u = 0x%llx", i,
				 (unsigned long long)vfp_d[i]);
			ok = false;
		}
	check("handover.vfp", ok, ok ? "d0-d31, FPSCR, FPEXC 0" : "%s", buf);
}

/* The FPEXC of the handover: read before vfp_on() sets EN. */
static void check_fpexc_at_entry(void)
{
	uint32_t fpexc;

	/* VFP is denied by CPACR 0: allow it, read FPEXC before EN. */
	arm_write_cp32(0, c1, c0, 2, 0x00f00000);
	asm volatile("isb" ::: "memory");
	fpexc = read_fpexc();
	check("handover.fpexc", fpexc == 0, "0x%x", (unsigned int)fpexc);
}

/*
 * An MMIO access without syndrome (post-indexed: write-back) makes the
 * hypervisor translate the instruction's address (ATS12NSOPR on ARMv7):
 * PAR must still hold what the cell put there.
 */
static void check_par_after_decode(void)
{
	const uint64_t mine = 0x00000000a5a5a000ull;
	uintptr_t p = gicd_base() + 4; /* GICD_TYPER */
	uint32_t v;
	uint64_t par;

	wr_par(mine);
	asm volatile("ldr %0, [%1], #0" : "=r"(v), "+r"(p) : : "memory");
	par = rd_par();
	check("handover.par-after-decode", par == mine,
	      "PAR 0x%llx (TYPER 0x%x)", (unsigned long long)par,
	      (unsigned int)v);
}

static void check_all(const uint32_t *e, uint32_t r0)
{
	check_early(e, r0);
	/* Before anything reads CPACR's value away: it is in "cp15". */
	check_group("cp15");
	check_fpexc_at_entry();
	check_vfp();
	check_group("timer");
	check_group("debug");
	/* A watchpoint left armed would have failed the cell on its first
	 * load of its role (the switch in inmate_main): it got here. */
	check("handover.watched-load", inmate_params.select >= ROLE_CHECK,
	      NULL);
	check_group("pmu");
	check_par_after_decode();
}

/*
 * 3 "offon", in a cell of two CPUs or more: the cell's second CPU plants
 * and gives itself back (PSCI CPU_OFF, by returning); started again with
 * CPU_ON (through handover_cpu_on_entry, which captures its registers),
 * the same CPU checks. The handover inside one cell.
 */
static volatile uint32_t offon_step;
/* Set by the first CPU once it printed its CPU_ON check: the restarted
 * CPU's checks come after it, so the output has one order everywhere. */
static volatile uint32_t offon_go;

/* Waits are generous (5 s): on a loaded host QEMU's vCPUs share it. */
#define OFFON_WAIT_NS (5 * NS_PER_SEC)

static void offon_cpu(unsigned int idx)
{
	uint64_t until;

	if (offon_step == 0) {
		plant();
		offon_step = 1;
		return; /* the library: PSCI CPU_OFF */
	}
	/* Its registers were captured at entry (early_save_on). */
	until = time_ns() + OFFON_WAIT_NS;
	while (!offon_go && time_ns() < until)
		cpu_relax();
	check_all(early_save_on, idx);
	offon_step = 2;
	for (;;)
		cpu_relax();
}

static bool wait_step(uint32_t step)
{
	uint64_t until = time_ns() + OFFON_WAIT_NS;

	while (offon_step != step && time_ns() < until)
		cpu_relax();
	return offon_step == step;
}

static void offon(void)
{
	uint64_t hw = inmate_params.cpu_ids[1] != ~0ull ?
			      inmate_params.cpu_ids[1] :
			      cpu_hw_id() + 1;
	uint64_t until;
	int idx = cpu_start(hw, offon_cpu);
	long ret = -1;

	if (!check("handover.offon-start", idx > 0 && wait_step(1),
		   "CPU 0x%llx: %d", (unsigned long long)hw, idx))
		return;
	/* It is off once CPU_ON no longer says ALREADY_ON. */
	until = time_ns() + OFFON_WAIT_NS;
	do
		ret = psci_call(PSCI_CPU_ON, hw,
				(uintptr_t)handover_cpu_on_entry, idx);
	while (ret == -4 && time_ns() < until);
	if (!check("handover.offon-restart", ret == 0, "CPU_ON %ld", ret))
		return;
	__sync_synchronize(); /* the line is out before the go */
	offon_go = 1;
	check("handover.offon-checked", wait_step(2), NULL);
}

void inmate_main(void)
{
	switch (inmate_params.select) {
	case ROLE_PLANT:
		plant();
		break;
	case ROLE_CHECK:
		check_all(early_save, 0);
		break;
	case ROLE_OFFON:
		offon();
		break;
	case ROLE_PLANT_FAIL:
		/* Planted, then failed: its CPU is parked by the hypervisor
		 * as it is, not given back by the cell. */
		plant();
		printf("handover: reading 0x%x (not the cell's)\n", UNOWNED);
		mmio_read32(UNOWNED);
		check("handover.still-running", false, NULL);
		break;
	default:
		check("handover.role", false,
		      "select %u: 1 plant, 2 check, 3 CPU_OFF/CPU_ON, "
		      "4 plant and fail",
		      (unsigned int)inmate_params.select);
	}
	test_verdict();
}
