/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The AMD-V (SVM) backend: SVM enable per CPU, one VMCB per CPU, the VMRUN
 * loop and its exits (handed to the x86 exit layer, arch-x86/exit.c),
 * nested paging per cell with ASIDs (arch-x86/cell.c), the handover reset
 * list (arch-x86/handover.h) applied whenever a CPU enters a cell from
 * reset, DISABLE.
 *
 * What a cell reaches natively: its RAM (nested paging), its own
 * interrupts (INTR is not intercepted: a cell's device and timer
 * interrupts go straight through its IDT, no exit), HLT (a halted CPU
 * wakes on its interrupts or the hypervisor's NMI), the MSRs the policy
 * lets it write (x86_msr_native(), but EFER: SVME stays set and hidden).
 * Everything else exits: VMMCALL, CPUID, every port (the core decides),
 * the other MSRs, nested page faults (MMIO and the xAPIC page), NMI (the
 * hypervisor's requests), INIT, shutdown (a triple fault fails the cell),
 * and the SVM instructions (#UD into the guest).
 */
#include "../arch-x86/cell.h"
#include "../arch-x86/exit.h"
#include "../arch-x86/hal.h"
#include "../arch-x86/handover.h"
#include "../arch-x86/linux.h"
#include "../arch-x86/msr.h"
#include "../core/traplog.h"
#include "../arch-x86/x86.h"
#include "insn_len.h"
#include "vmcb.h"

#define MSR_VM_HSAVE_PA 0xc0010117
#define MSR_PAT 0x277

void svm_run(struct x86_gprs *gprs, uint64_t vmcb_pa, uint64_t host_pa);

/* Per-CPU pages (struct x86_cpu's vendor pages): the VMCB, the host save
 * area, the host's VMSAVE area, then the late launch's state. */
struct svm_cpu {
	uint8_t vmcb[4096], hsave[4096], host[4096];
	bool entry_linux;	       /* the VMCB holds Linux's state */
	uint64_t *linux_frame;	       /* the block's frame, or NULL */
	struct wd_x86_linux linux_blk; /* ... and the block as it came */
};
_Static_assert(sizeof(struct svm_cpu) <= X86_VENDOR_PAGES * 4096,
	       "struct svm_cpu in the vendor pages");
#define SVM(c) ((struct svm_cpu *)(c)->vendor)
#define VMCB(c) ((void *)SVM(c)->vmcb)

#define IOPM_PAGES 3 /* the core's port bitmap, then ones */
static uint8_t msrpm[2 * 4096] __attribute__((aligned(4096)));
static bool has_nrip, has_rdtscp, has_xsave;
static unsigned int pt_sizes;
/* hal_config_commit() counts; a CPU whose count is behind flushes. */
static uint64_t cpu_tlb_seen[X86_MAX_CPUS];

static uint64_t pa(const void *p)
{
	return hal_virt_to_phys(p).v;
}

/*
 * The MSRPM: 2 bits per MSR (read, write; set: exit) in three ranges of
 * 0x2000 MSRs, from 0, 0xc0000000 and 0xc0010000: MSR @i (0-0x1fff) or
 * 0xc0000000 + @i - 0x2000 (@i 0x2000-0x3fff) has bits 2 * @i and up.
 */
static void bitmaps_init(void)
{
	uint32_t msr;
	unsigned int i;

	memset(msrpm, 0xff, sizeof(msrpm)); /* every MSR, but: */
	/* EFER exits (SVME hidden); TSC_AUX runs natively only where CPUID
	 * has RDTSCP (QEMU implements the MSR without it: its value would
	 * outlive the cell, exits reach the per-CPU copy instead). */
	for (i = 0; i < 0x4000; i++) {
		msr = i < 0x2000 ? i : 0xc0000000u - 0x2000 + i;
		if (x86_msr_native(msr) && msr != MSR_EFER &&
		    (msr != MSR_TSC_AUX || has_rdtscp))
			msrpm[i / 4] &= (uint8_t) ~(3u << i % 4 * 2);
	}
}

const char *x86_vendor_cpu_init(struct x86_cpu *c)
{
	uint32_t r[4], svm[4]; /* CPUID 0x80000001, 0x8000000A */
	uint64_t cr4;

	cpuid(0x80000001, 0, r);
	cpuid(0x8000000a, 0, svm);
	if (!(r[2] & (1U << 2)))
		return "AMD-V (SVM, CPUID 0x80000001 ECX bit 2) missing";
	if (!(svm[3] & 1))
		return "nested paging (CPUID 0x8000000A EDX bit 0) missing";
	if (c->id == 0) {
		has_nrip = svm[3] & (1U << 3);
		has_rdtscp = r[3] & (1U << 27);
		pt_sizes = X86_PT_2M | (r[3] & (1U << 26) ? X86_PT_1G : 0);
		bitmaps_init();
		core_printk("warden: AMD-V with nested paging, %u ASIDs, NRIP "
			    "save %s\n",
			    svm[1], has_nrip ? "yes" : "no (decoded lengths)");
	}
	/* SSE for the handover of the guests' vector registers, XSAVE
	 * (OSXSAVE) for XCR0's where the CPU has it. */
	cpuid(1, 0, r);
	has_xsave = r[2] & (1U << 26);
	asm volatile("mov %%cr4, %0" : "=r"(cr4));
	asm volatile("mov %0, %%cr4" ::"r"(cr4 | 0x600 |
					   (has_xsave ? 1ul << 18 : 0)));
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	wrmsr(MSR_VM_HSAVE_PA, pa(SVM(c)->hsave));
	asm volatile("clgi; vmsave %0" ::"a"(pa(SVM(c)->host)) : "memory");
	return NULL;
}

/* ---- cells ---- */

int hal_cell_create(struct cell *cell)
{
	return x86_cell_create(cell, &x86_pt_npt, pt_sizes, IOPM_PAGES);
}

/* ---- guest MSRs held in the VMCB ---- */

/* The VMCB field of a guest-state MSR (x86_msr_native()), 0 if none. */
static unsigned int msr_field(uint32_t msr)
{
	static const struct {
		uint32_t msr;
		uint16_t field;
	} fields[] = {
		{ MSR_EFER, VMCB_EFER },
		{ 0x174, VMCB_SYSENTER_CS },
		{ 0x175, VMCB_SYSENTER_ESP },
		{ 0x176, VMCB_SYSENTER_EIP },
		{ MSR_PAT, VMCB_G_PAT },
		{ 0xc0000081, VMCB_STAR },
		{ 0xc0000082, VMCB_LSTAR },
		{ 0xc0000083, VMCB_CSTAR },
		{ 0xc0000084, VMCB_SFMASK },
		{ 0xc0000100, VMCB_FS + SEG_BASE },
		{ 0xc0000101, VMCB_GS + SEG_BASE },
		{ 0xc0000102, VMCB_KERNEL_GS_BASE },
	};
	unsigned int i;

	for (i = 0; i < sizeof(fields) / sizeof(fields[0]); i++)
		if (fields[i].msr == msr)
			return fields[i].field;
	return 0;
}

/* The exit layer's msr_read and msr_write (@v: the context, the VMCB),
 * the handover's MSR writes. */
static uint64_t guest_msr_read(void *v, uint32_t msr)
{
	unsigned int f = msr_field(msr);

	if (msr == MSR_EFER)
		return vmcb_read(v, f, 8) & ~EFER_SVME; /* hidden */
	if (f)
		return vmcb_read(v, f, 8);
	/* TSC_AUX: the one native MSR the VMCB does not hold. */
	return has_rdtscp ? rdmsr(msr) : x86_this_cpu()->tsc_aux;
}

static void guest_msr_write(void *v, uint32_t msr, uint64_t val)
{
	unsigned int f = msr_field(msr);

	/* SVME: VMRUN requires it, the cell never sees it; LMA: the CPU's
	 * (CR0.PG with LME), kept. */
	if (msr == MSR_EFER)
		val = (val & ~EFER_LMA) | (vmcb_get(v, EFER) & EFER_LMA) |
		      EFER_SVME;
	if (f)
		vmcb_write(v, f, 8, val);
	else if (msr == MSR_TSC_AUX && has_rdtscp)
		wrmsr(msr, val);
	else if (msr == MSR_TSC_AUX)
		x86_this_cpu()->tsc_aux = val;
	/* A CPU that does not switch the guest PAT (QEMU's TCG) lets the
	 * cell's WRMSR reach the CPU's own: keep both the same. */
	if (msr == MSR_PAT)
		wrmsr(msr, val);
}

/* ---- the guest's state from reset ---- */

#define ATTR(ar, flags) ((uint16_t)((ar) | (flags) << 8))

/*
 * Enter the cell from the architectural reset state (arch-x86/handover.h)
 * at c->entry: real mode, CS base and IP from the entry (the cell's
 * cpu_reset_address with CS base 0; a SIPI page: CS = page >> 4, IP 0).
 * The boot CPU's root cell instead starts in 32-bit protected mode with
 * flat 4 GiB segments, paging off, EAX = 0 (docs/x86.md).
 */
static void handover(struct x86_cpu *c)
{
	void *v = VMCB(c);
	uint64_t zero = 0;
	unsigned int seg, i;

	memset(v, 0, 4096);
	for (i = 0; i < X86_HANDOVER_GPRS; i++)
		c->gprs.r[i] = X86_HANDOVER_GPR_VALUE;
	vmcb_set(v, RAX, X86_HANDOVER_GPR_VALUE);
	vmcb_set(v, RSP, X86_HANDOVER_GPR_VALUE);
	vmcb_set(v, RFLAGS, X86_HANDOVER_RFLAGS);
#define CR(name, n, val) vmcb_set(v, name, val);
	X86_HANDOVER_CRS(CR)
#undef CR
#define SEG(name, sel, base, limit, ar) \
	vmcb_seg(v, VMCB_##name, sel, ATTR(ar, 0), limit, base);
	X86_HANDOVER_SEGS(SEG)
#undef SEG
#define DTR(name, base, limit) vmcb_seg(v, VMCB_##name, 0, 0, limit, base);
	X86_HANDOVER_DTRS(DTR)
#undef DTR
	/* DR0-3 are not switched by VMRUN: the CPU's own. So is CR2 on
	 * Bochs (the VMCB's is not loaded there): both the same. */
	asm volatile("mov %0, %%cr2" ::"r"(zero));
#define DR(name, n, val)                                             \
	if (n >= 6)                                                  \
		vmcb_write(v, n == 6 ? VMCB_DR6 : VMCB_DR7, 8, val); \
	else                                                         \
		asm volatile("mov %0, %%dr" #n ::"r"(val));
	X86_HANDOVER_DRS(DR)
#undef DR
#define MSR(name, msr, val) guest_msr_write(v, msr, val);
	X86_HANDOVER_MSRS(MSR)
#undef MSR
	x86_handover(has_xsave);

	if (c->entry_root) {
		vmcb_set(v, CR0, 0x11); /* PE, ET */
		for (seg = VMCB_ES; seg <= VMCB_GS; seg += VMCB_CS - VMCB_ES)
			vmcb_seg(v, seg, 0x10, ATTR(0x93, 0xc), 0xffffffff, 0);
		vmcb_seg(v, VMCB_CS, 0x08, ATTR(0x9b, 0xc), 0xffffffff, 0);
		vmcb_set(v, RIP, c->entry);
	} else {
		/* A page below 1 MiB: CS = page >> 4, IP 0; else CS base the
		 * entry's 64 KiB (0xffff0000, CS 0xf000 for the reset vector). */
		uint64_t base = !(c->entry & 0xfff) && c->entry < 0x100000 ?
					c->entry :
					c->entry & ~0xffffull;
		vmcb_seg(v, VMCB_CS, (uint16_t)(base >> 4), ATTR(0x9b, 0),
			 0xffff, base);
		vmcb_set(v, RIP, c->entry - base);
	}
	c->entry_root = false;
}

/* ---- exit layer mechanism (struct x86_exit_ops; the context: the VMCB) ---- */

static void inject(void *v, unsigned int vector)
{
	uint64_t ev = vector | 3u << 8 | 1u << 31; /* exception, valid */

	if (vector == X86_EXC_GP)
		ev |= 1u << 11; /* error code 0 */
	vmcb_set(v, EVENTINJ, ev);
}

static const struct x86_exit_ops svm_ops = {
	.read_gpa = x86_op_read_gpa,
	.cpuid = x86_op_cpuid,
	.msr_read = guest_msr_read,
	.msr_write = guest_msr_write,
	.tsc = x86_op_tsc,
	.apic_read = x86_op_apic_read,
	.apic_write = x86_op_apic_write,
	.send_ipi = x86_op_send_ipi,
	.inject = inject,
};

/* ---- the VMRUN loop ---- */

static void native_resume(struct x86_cpu *c) __attribute__((noreturn));

static void guest_get(struct x86_cpu *c, struct x86_guest *g)
{
	void *v = VMCB(c);
	uint16_t cs = (uint16_t)vmcb_read(v, VMCB_CS + SEG_ATTR, 2);
	uint64_t nrip = vmcb_get(v, NRIP);
	unsigned int i;

	/* Every member set (no memset of the whole struct: 136 instructions
	 * per exit, docs/x86.md "Figures"); the assertion catches a new one. */
	_Static_assert(sizeof(*g) == 232, "struct x86_guest: set every member");
	for (i = 0; i < 16; i++)
		g->regs.gpr[i] = c->gprs.r[i];
	g->regs.gpr[0] = vmcb_get(v, RAX);
	g->regs.gpr[4] = vmcb_get(v, RSP);
	g->regs.rip = vmcb_get(v, RIP);
	g->regs.fs_base = vmcb_read(v, VMCB_FS + SEG_BASE, 8);
	g->regs.gs_base = vmcb_read(v, VMCB_GS + SEG_BASE, 8);
	g->cr0 = vmcb_get(v, CR0);
	g->cr3 = vmcb_get(v, CR3);
	g->cr4 = vmcb_get(v, CR4);
	g->efer = vmcb_get(v, EFER) & ~EFER_SVME;
	g->cs_base = vmcb_read(v, VMCB_CS + SEG_BASE, 8);
	g->cpl = (unsigned int)vmcb_read(v, VMCB_CPL, 1) & 3;
	g->code64 = (cs >> 9 & 1) && (g->efer & EFER_LMA);
	g->code32 = cs >> 10 & 1;
	g->insn_len = 0;
	if (has_nrip && nrip > g->regs.rip && nrip - g->regs.rip <= 15)
		g->insn_len = (unsigned int)(nrip - g->regs.rip);
	g->ops = &svm_ops;
	g->ctx = v;
	g->advance = 0;
}

static void guest_put(struct x86_cpu *c, const struct x86_guest *g)
{
	void *v = VMCB(c);
	unsigned int i;

	for (i = 0; i < 16; i++)
		c->gprs.r[i] = g->regs.gpr[i];
	vmcb_set(v, RAX, g->regs.gpr[0]);
	vmcb_set(v, RSP, g->regs.gpr[4]);
	vmcb_set(v, RIP, g->regs.rip + g->advance);
}

/* Guest state warden sets on every entry to a cell. */
static void vmcb_controls(struct x86_cpu *c, struct cell *cell)
{
	struct x86_cell *xc = core_cell_arch(cell);
	void *v = VMCB(c);

	vmcb_write(v, VMCB_INTERCEPT_3, 4,
		   INT3_NMI | INT3_INIT | INT3_CPUID | INT3_INVD |
			   INT3_INVLPGA | INT3_IOIO | INT3_MSR | INT3_SHUTDOWN);
	vmcb_write(v, VMCB_INTERCEPT_4, 4, INT4_SVM_INSNS);
	/* #DF: the cell fails there, before a triple fault (which Bochs
	 * does not turn into a SHUTDOWN exit: it stops the emulator). */
	vmcb_write(v, VMCB_INTERCEPT_EXC, 4, 1u << 8);
	vmcb_set(v, IOPM_PA, pa(xc->io));
	vmcb_set(v, MSRPM_PA, pa(msrpm));
	vmcb_write(v, VMCB_ASID, 4, xc->asid);
	vmcb_set(v, NP_ENABLE, 1);
	vmcb_set(v, NCR3, x86_pt_pointer(&xc->pt));
	vmcb_write(v, VMCB_TLB_CONTROL, 1, 1); /* flush all: new owner */
	vmcb_set(v, CLEAN, 0);
}

static enum x86_exit_result svm_exit(struct x86_cpu *c, uint64_t code)
{
	void *v = VMCB(c);
	uint64_t info1 = vmcb_get(v, EXITINFO1), info2 = vmcb_get(v, EXITINFO2);
	uint64_t event = vmcb_get(v, EXITINTINFO);
	struct x86_guest g;
	enum x86_exit_result res = X86_EXIT_RESUME;

	guest_get(c, &g);
	/* An event whose delivery the exit interrupted (an interrupt on its
	 * way through the cell's IDT when an NMI or a nested page fault came)
	 * is delivered at the next VMRUN; set on every exit, so nothing
	 * stale stays. Handlers that inject (#UD, #GP) handle instruction
	 * intercepts, which never interrupt a delivery. */
	vmcb_set(v, EVENTINJ, svm_event_reinject(event));
	/* Without NRIP save: CPUID's, RDMSR's and WRMSR's length decoded. */
	if (!g.insn_len && (code == EXIT_CPUID || code == EXIT_MSR))
		g.insn_len = x86_insn_length(&g);
	switch (code) {
	case EXIT_NMI:
	case EXIT_INIT:
		return X86_EXIT_RESUME; /* requests: checked before VMRUN */
	case EXIT_VMMCALL:
		res = x86_exit_hypercall(&g);
		break;
	case EXIT_CPUID:
		res = x86_exit_cpuid(&g);
		break;
	case EXIT_MSR:
		res = x86_exit_msr(&g, info1 & 1);
		break;
	case EXIT_IOIO:
		/* SZ8, SZ16, SZ32: bits 4-6, one of them set; EXITINFO2: the
		 * next RIP (with or without NRIP save). */
		g.insn_len = (unsigned int)(info2 - g.regs.rip);
		res = x86_exit_io(&g, (uint16_t)(info1 >> 16), info1 >> 4 & 7,
				  info1 & 1, info1 & 0xc);
		break;
	case EXIT_NPF:
		/* The delivery itself faulted (the cell's IDT, stack or TSS
		 * outside its RAM): no instruction to emulate, the cell
		 * fails. */
		if (event & EVENT_VALID)
			return x86_exit_refuse(X86_EXIT_EPT_VIOLATION,
					       WD_R_x86_event_npf, info2);
		res = x86_exit_npf(&g, info2, info1 & 2, info1 & 0x10);
		break;
	case EXIT_INVD:
		/* Dropping dirty lines would lose the hypervisor's writes
		 * too: written back instead (0F 08, 2 bytes). */
		asm volatile("wbinvd" ::: "memory");
		vmcb_set(v, RIP, g.regs.rip + (g.insn_len ? g.insn_len : 2));
		return X86_EXIT_RESUME;
	case EXIT_VMRUN:
	case EXIT_VMLOAD ... EXIT_SKINIT: /* VMLOAD VMSAVE STGI CLGI SKINIT */
	case EXIT_INVLPGA:
		return x86_exit_inject(&g, X86_EXC_UD); /* no SVM in a cell */
	case EXIT_EXCP_BASE + 8:
	case EXIT_SHUTDOWN:
		/* Double or triple fault: the cell fails, not the machine. */
		return x86_exit_refuse(code, WD_R_cpu_exception, 8);
	case EXIT_INVALID:
		/* The cell's own state (EFER, CR0/CR4, segments) that VMRUN's
		 * consistency checks refuse: the cell fails. */
		return x86_exit_refuse(code, WD_R_svm_state_invalid,
				       g.regs.rip);
	default:
		return x86_exit_refuse(code, WD_R_cpu_exception, code);
	}
	if (res == X86_EXIT_RESUME)
		guest_put(c, &g);
	return res;
}

void x86_vendor_run(struct x86_cpu *c)
{
	struct cell *cell = core_cpu_cell(c->id);
	enum x86_exit_result res;
	uint64_t code, gen;

	if (!SVM(c)->entry_linux)
		handover(c);
	SVM(c)->entry_linux = false;
	vmcb_controls(c, cell);
	for (;;) {
		x86_check_requests();
		gen = __atomic_load_n(&x86_tlb_generation, __ATOMIC_SEQ_CST);
		if (cpu_tlb_seen[c->id] != gen) {
			cpu_tlb_seen[c->id] = gen;
			vmcb_write(VMCB(c), VMCB_TLB_CONTROL, 1, 1);
		}
		svm_run(&c->gprs, pa(VMCB(c)), pa(SVM(c)->host));
		vmcb_write(VMCB(c), VMCB_TLB_CONTROL, 1, 0);
		/* Let a pending NMI in (it only returns), then mask again. */
		asm volatile("stgi; clgi" ::: "memory");
		code = vmcb_get(VMCB(c), EXITCODE);
		/* Taken from its cell meanwhile: the trap is not the cell's. */
		if (__atomic_load_n(&c->park_req, __ATOMIC_SEQ_CST) ==
		    PARK_REMOTE)
			x86_cpu_wait();
		/* Trap log: one ordered section per exit (not for the NMI
		 * and INIT of requests, checked above and before VMRUN). */
		if (code != EXIT_NMI && code != EXIT_INIT)
			traplog_trap_enter();
		res = svm_exit(c, code);
		traplog_trap_exit();
		if (res == X86_EXIT_PARKED) {
			if (!__atomic_load_n(&c->park_req, __ATOMIC_SEQ_CST))
				c->park_req = PARK_SELF;
		} else if (c->native_exit) {
			native_resume(c);
		}
	}
}

/* A parked CPU's part of DISABLE: SVM off, then halt until the INIT. */
void x86_vendor_exit(struct x86_cpu *c)
{
	(void)c;
	asm volatile("stgi");
	wrmsr(MSR_VM_HSAVE_PA, 0);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) & ~EFER_SVME);
	for (;;)
		asm volatile("cli; hlt");
}

void svm_resume_native(struct x86_gprs *gprs, uint64_t *frame)
	__attribute__((noreturn));

/*
 * The root continues natively from its state after DISABLE: the guest's
 * hidden state by VMLOAD (FS, GS, TR, LDTR, KERNEL_GS_BASE, STAR...), its
 * control registers, descriptor tables, data segments and PAT, then its
 * GPRs and IRETQ. Long mode only. The manager's page tables map the
 * hypervisor 1:1; Linux's do not: its CR3, GDT and DS/ES are loaded at the
 * driver's trampoline (struct wd_x86_linux), reached by the IRETQ on the
 * driver's table with the hypervisor's GDT.
 */
static void native_resume(struct x86_cpu *c)
{
	void *v = VMCB(c);
	uint64_t frame[5], *f = SVM(c)->linux_frame;
	struct x86_dtr gdtr, idtr;
	uint16_t ds = (uint16_t)vmcb_read(v, VMCB_DS, 2);
	uint64_t cr3 = vmcb_get(v, CR3);

	if (!(vmcb_get(v, EFER) & EFER_LMA))
		core_hypervisor_panic("DISABLE: root cell not in long mode",
				      vmcb_get(v, RIP));
	c->gprs.r[0] = vmcb_get(v, RAX);
	/* The IRETQ frame: RIP, CS, RFLAGS, RSP, SS. */
	frame[0] = vmcb_get(v, RIP);
	frame[1] = vmcb_read(v, VMCB_CS, 2);
	frame[2] = vmcb_get(v, RFLAGS);
	frame[3] = vmcb_get(v, RSP);
	frame[4] = vmcb_read(v, VMCB_SS, 2);
	gdtr.limit = (uint16_t)vmcb_read(v, VMCB_GDTR + SEG_LIMIT, 4);
	gdtr.base = vmcb_read(v, VMCB_GDTR + SEG_BASE, 8);
	idtr.limit = (uint16_t)vmcb_read(v, VMCB_IDTR + SEG_LIMIT, 4);
	idtr.base = vmcb_read(v, VMCB_IDTR + SEG_BASE, 8);
	core_printk("warden: CPU %u continues natively at 0x%llx\n", c->id,
		    (unsigned long long)frame[0]);
	if (f) {
		memcpy(f, frame, sizeof(frame));
		f[5] = (uint64_t)gdtr.limit << 48;
		f[6] = gdtr.base;
		f[7] = ds;
		f[8] = (uint64_t)idtr.limit << 48;
		f[9] = idtr.base;
		c->gprs.r[7] = cr3;
		cr3 = SVM(c)->linux_blk.tables;
		frame[0] = SVM(c)->linux_blk.leave;
		frame[1] = GDT_CS64;
		frame[2] = 2;
		frame[3] = SVM(c)->linux_blk.frame_va;
		frame[4] = ds = GDT_DS;
		asm volatile("sgdt %0; sidt %1" : "=m"(gdtr), "=m"(idtr));
	}
	c->state = CPU_OFF;
	wrmsr(MSR_PAT, vmcb_get(v, G_PAT));
	wrmsr(MSR_VM_HSAVE_PA, 0);
	/* NMIs still pending (requests) are taken here, not by Linux. */
	asm volatile("stgi; clgi; vmload %%rax" ::"a"(pa(v)) : "memory");
	/* Linux's trampoline sets GIF and clears SVME: an NMI now would find
	 * Linux's TSS, not mapped here. */
	if (!f) {
		asm volatile("stgi");
		wrmsr(MSR_EFER, vmcb_get(v, EFER) & ~EFER_SVME);
	}
	asm volatile("mov %0, %%cr4; mov %1, %%cr3; mov %2, %%cr0; "
		     "lgdt %3; lidt %4; mov %5, %%ds; mov %5, %%es"
		     :
		     : "r"(vmcb_get(v, CR4)), "r"(cr3), "r"(vmcb_get(v, CR0)),
		       "m"(gdtr), "m"(idtr), "r"((uint64_t)ds)
		     : "memory");
	svm_resume_native(&c->gprs, frame);
}

/* A selector and its LAR access rights (the trampoline's seg[]) as VMCB
 * attributes; in long mode base and limit do not matter. */
static void linux_seg(void *v, unsigned int seg, uint64_t s)
{
	uint32_t ar = (uint32_t)(s >> 32);

	vmcb_seg(v, seg, (uint16_t)s,
		 (uint16_t)((ar >> 8 & 0xff) | (ar >> 12 & 0xf00)),
		 ar ? 0xffffffff : 0, 0);
}

/*
 * Late launch: this CPU's VMCB from Linux's live state. VMSAVE takes FS,
 * GS, TR and LDTR (hidden parts too), KERNEL_GS_BASE, STAR, LSTAR, CSTAR,
 * SFMASK and SYSENTER; the control registers, EFER, descriptor tables, PAT
 * and DR7 are read here, CS/SS/DS/ES come from the trampoline (Linux's
 * GDT is not mapped here); Linux continues at its resume point with RAX 0.
 * XCR0, x87/SSE and the LAPIC stay the CPU's (Linux's).
 */
void x86_vendor_linux_state(struct x86_cpu *c, const struct wd_x86_linux *blk)
{
	void *v = VMCB(c);
	struct x86_dtr gdtr, idtr;
	uint64_t cr0, cr4, dr7;
	unsigned int i;

	SVM(c)->linux_blk = *blk;
	SVM(c)->linux_frame = (uint64_t *)blk->frame;
	SVM(c)->entry_linux = true;
	memset(v, 0, 4096);
	memset(&c->gprs, 0, sizeof(c->gprs));
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SVME);
	asm volatile("vmsave %%rax" ::"a"(pa(v)) : "memory");
	asm volatile("sgdt %0; sidt %1; mov %%cr0, %2; mov %%cr4, %3; "
		     "mov %%dr7, %4"
		     : "=m"(gdtr), "=m"(idtr), "=r"(cr0), "=r"(cr4), "=r"(dr7));
	vmcb_seg(v, VMCB_GDTR, 0, 0, gdtr.limit, gdtr.base);
	vmcb_seg(v, VMCB_IDTR, 0, 0, idtr.limit, idtr.base);
	for (i = 0; i < 4; i++)
		linux_seg(v, VMCB_ES + i * (VMCB_CS - VMCB_ES), blk->seg[i]);
	vmcb_set(v, CR0, cr0);
	vmcb_set(v, CR3, blk->cr3);
	vmcb_set(v, CR4, cr4);
	vmcb_set(v, EFER, rdmsr(MSR_EFER));
	vmcb_set(v, G_PAT, rdmsr(MSR_PAT));
	vmcb_set(v, DR7, dr7);
	vmcb_set(v, DR6, 0xffff0ff0ull);
	vmcb_set(v, RFLAGS, 2);
	vmcb_set(v, RIP, blk->resume);
	vmcb_set(v, RSP, blk->rsp);
}

void x86_vendor_linux_leave(struct x86_cpu *c, int err)
{
	asm volatile("clgi");
	vmcb_set(VMCB(c), RAX, (uint64_t)(int64_t)err);
	native_resume(c);
}
