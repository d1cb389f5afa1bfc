// SPDX-License-Identifier: GPL-2.0
/*
 * VT-x exit handling (vmx_exit.h): the VMCS's exit decoded onto the x86
 * exit layer, on the accessor interface only. Freestanding.
 *
 * What exits and why (the controls are vmx.c's): VMCALL, CPUID, XSETBV,
 * INVD, GETSEC and the VMX instructions (unconditional), port I/O (the
 * cell's I/O bitmaps), the MSRs the bitmap does not pass, EPT violations
 * (MMIO, the xAPIC page), NMI (the hypervisor's requests), INIT and SIPI,
 * #DF (exception bitmap: the cell fails before a triple fault), triple
 * fault, a CR0 write changing NE, CD or NW and a CR4 write setting VMXE
 * (the guest/host masks), failed VM entries.
 */
#include "vmx_exit.h"

uint64_t vmx_guest_cr(bool cr4)
{
	uint64_t m = vmcs_read(cr4 ? VMCS_CR4_MASK : VMCS_CR0_MASK);

	return (vmcs_read(cr4 ? VMCS_GUEST_CR4 : VMCS_GUEST_CR0) & ~m) |
	       (vmcs_read(cr4 ? VMCS_CR4_SHADOW : VMCS_CR0_SHADOW) & m);
}

void vmx_inject(void *ctx, unsigned int vector)
{
	uint32_t info = vector | 3u << 8 | 1u << 31; /* exception, valid */

	(void)ctx;
	/* An error code (0) only in protected mode (VM entry checks it). */
	if (vector == X86_EXC_GP && (vmcs_read(VMCS_GUEST_CR0) & CR0_PE))
		info |= 1u << 11;
	vmcs_write(VMCS_ENTRY_EXC_ERROR, 0);
	vmcs_write(VMCS_ENTRY_INTR_INFO, info);
}

enum x86_exit_result vmx_exit(uint64_t *gprs, uint32_t reason)
{
	uint64_t qual = vmcs_read(VMCS_EXIT_QUAL), gpa, info, val, efer;
	uint64_t cs = vmcs_read(VMCS_SEG_AR(VSEG_CS));
	uint32_t event;
	unsigned int basic = reason & 0xffff, i;
	enum x86_exit_result res = X86_EXIT_RESUME;
	struct x86_guest g;
	struct x86_cpuid r;

	/* VMfail: the controls or host state (warden's) or a guest field
	 * the checks refuse. */
	if (reason == VMX_EXIT_ENTRY_FAILED)
		return x86_exit_refuse(reason, WD_R_vmx_entry_failed,
				       vmcs_read(VMCS_INSN_ERROR));
	for (i = 0; i < 16; i++)
		g.regs.gpr[i] = gprs[i];
	g.regs.gpr[4] = vmcs_read(VMCS_GUEST_RSP);
	g.regs.rip = vmcs_read(VMCS_GUEST_RIP);
	g.regs.fs_base = vmcs_read(VMCS_SEG_BASE(VSEG_FS));
	g.regs.gs_base = vmcs_read(VMCS_SEG_BASE(VSEG_GS));
	g.cr0 = vmx_guest_cr(false);
	g.cr3 = vmcs_read(VMCS_GUEST_CR3);
	g.cr4 = vmx_guest_cr(true);
	g.efer = vmcs_read(VMCS_GUEST_EFER);
	g.cs_base = vmcs_read(VMCS_SEG_BASE(VSEG_CS));
	/* CPL = SS.DPL (0 in real mode: SS's DPL is 0 there). */
	g.cpl = (unsigned int)(vmcs_read(VMCS_SEG_AR(VSEG_SS)) >> 5) & 3;
	g.code64 = (cs & AR_L) && (g.efer & EFER_LMA);
	g.code32 = (cs & AR_DB) != 0;
	/* The VM-exit instruction length: defined (1-15) for instruction
	 * exits. */
	g.insn_len = basic != X86_EXIT_EPT_VIOLATION ?
			     (unsigned int)vmcs_read(VMCS_EXIT_INSN_LEN) :
			     0;
	g.ops = &vmx_ops;
	g.ctx = NULL;
	g.advance = 0;
	/* An event whose delivery the exit interrupted (an interrupt on its
	 * way through the cell's IDT when an NMI or an EPT violation came) is
	 * delivered at the next entry: external interrupts and hardware
	 * exceptions (types 0 and 3, with their error code), not NMIs (a cell
	 * gets none) nor software interrupts and exceptions (RIP is still at
	 * the INTn/INT3/INTO, which raises them again). Handlers that inject
	 * (#UD, #GP) handle instruction exits, which never interrupt a
	 * delivery. */
	event = (uint32_t)vmcs_read(VMCS_IDT_VECTORING_INFO);
	vmcs_write(VMCS_ENTRY_INTR_INFO,
		   (event & 1u << 31) && (9u >> (event >> 8 & 7) & 1) &&
				   (event & 0xff) != 2 ?
			   event & (0xff | 7u << 8 | 1u << 11 | 1u << 31) :
			   0);
	/* Its error code, if it has one (else the field is not used). */
	vmcs_write(VMCS_ENTRY_EXC_ERROR, vmcs_read(VMCS_IDT_VECTORING_ERROR));
	if (reason & VMX_EXIT_ENTRY_FAILED) {
		/* The cell's own state (CR0/CR4, EFER, segments) that the VM
		 * entry checks refuse: the cell fails. */
		if (basic == VMX_EXIT_INVALID_STATE)
			return x86_exit_refuse(basic, WD_R_vmx_state_invalid,
					       g.regs.rip);
		return x86_exit_refuse(basic, WD_R_vmx_entry_failed, reason);
	}
	switch (basic) {
	case VMX_EXIT_EXC_NMI:
		info = vmcs_read(VMCS_EXIT_INTR_INFO);
		/* #DF (the exception bitmap): before a triple fault. */
		if ((info >> 8 & 7) != 2)
			return x86_exit_refuse(basic, WD_R_cpu_exception,
					       info & 0xff);
		/* An NMI: the hypervisor's requests, checked on entry. Every
		 * NMI exits, a cell never takes one: its "blocking by NMI"
		 * stays clear (Bochs saves it set at an NMI exit, which would
		 * mask the next). */
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) & ~8ull);
		return X86_EXIT_RESUME;
	case VMX_EXIT_INIT:
	case VMX_EXIT_SIPI:
		return X86_EXIT_RESUME; /* a cell's CPUs start by core_cpu_on */
	case VMX_EXIT_TRIPLE_FAULT:
		return x86_exit_refuse(basic, WD_R_cpu_exception, 8);
	case VMX_EXIT_VMCALL:
		res = x86_exit_hypercall(&g);
		break;
	case VMX_EXIT_CPUID:
		res = x86_exit_cpuid(&g);
		break;
	case VMX_EXIT_RDMSR:
	case VMX_EXIT_WRMSR:
		res = x86_exit_msr(&g, basic == VMX_EXIT_WRMSR);
		break;
	case VMX_EXIT_IO:
		res = x86_exit_io(&g, (uint16_t)(qual >> 16),
				  (unsigned int)(qual & 7) + 1, qual & 8,
				  qual & 0x30);
		break;
	case X86_EXIT_EPT_VIOLATION:
		gpa = vmcs_read(VMCS_GUEST_PHYS_ADDR);
		/* The delivery itself faulted (the cell's IDT, stack or TSS
		 * outside its RAM): no instruction to emulate, the cell
		 * fails. */
		if (event & 1u << 31)
			return x86_exit_refuse(basic, WD_R_x86_event_npf, gpa);
		res = x86_exit_npf(&g, gpa, qual & 2, qual & 4);
		break;
	case VMX_EXIT_CR:
		/* MOV to CR0 or CR4, which exits only when it changes a bit
		 * the guest/host masks own (type 0, CR 0 or 4: no CR3 or CR8
		 * exiting). CR0 (NE, CD, NW): the guest's value into the
		 * shadow, NE kept set and CD/NW clear in the real CR0, and
		 * what a native write of PG does to long mode (EFER.LMA, the
		 * IA-32e entry control); values the CPU refuses: #GP. CR4:
		 * VMXE set (no VMX for cells: CPUID says so), #GP. */
		if (qual & 0x3b)
			return x86_exit_refuse(basic, WD_R_vmx_exit_unhandled,
					       qual);
		val = g.regs.gpr[qual >> 8 & 0xf] &
		      (g.code64 ? ~0ull : 0xffffffffull);
		if ((qual & 0xf) == 4 || val >> 32 ||
		    ((val & CR0_PG) && !(val & CR0_PE)) ||
		    ((val & CR0_NW) && !(val & CR0_CD)))
			return x86_exit_inject(&g, X86_EXC_GP);
		efer = g.efer;
		if ((val & CR0_PG) && !(g.cr0 & CR0_PG) && (efer & EFER_LME))
			efer |= EFER_LMA;
		if (!(val & CR0_PG))
			efer &= ~EFER_LMA;
		vmcs_write(VMCS_GUEST_EFER, efer);
		info = vmcs_read(VMCS_ENTRY_CTLS) & ~ENTRY_IA32E;
		vmcs_write(VMCS_ENTRY_CTLS,
			   efer & EFER_LMA ? info | ENTRY_IA32E : info);
		vmcs_write(VMCS_CR0_SHADOW, val);
		vmcs_write(VMCS_GUEST_CR0, (val | CR0_NE) & ~VMX_CR0_CACHE);
		g.advance = g.insn_len;
		break;
	case VMX_EXIT_XSETBV:
		/* XCR0 only, at CPL 0, with x87 and the components the CPU
		 * has (AVX with SSE); else #GP. */
		val = (g.regs.gpr[2] & 0xffffffffull) << 32 |
		      (g.regs.gpr[0] & 0xffffffffull);
		g.ops->cpuid(g.ctx, 0xd, 0, &r);
		if (g.cpl || (uint32_t)g.regs.gpr[1] || !(val & 1) ||
		    val & ~((uint64_t)r.edx << 32 | r.eax) ||
		    ((val & 4) && !(val & 2)))
			return x86_exit_inject(&g, X86_EXC_GP);
		vmx_xsetbv(val);
		g.advance = g.insn_len;
		break;
	case VMX_EXIT_INVD:
		/* Dropping dirty lines would lose the hypervisor's writes
		 * too: written back instead. */
		vmx_wbinvd();
		g.advance = g.insn_len;
		break;
	default:
		if (basic < 64 && (VMX_EXITS_UD >> basic & 1))
			return x86_exit_inject(&g, X86_EXC_UD); /* no VMX */
		/* Task switches, EPT misconfigurations, anything else. */
		return x86_exit_refuse(basic, WD_R_vmx_exit_unhandled, basic);
	}
	if (res != X86_EXIT_RESUME)
		return res;
	for (i = 0; i < 16; i++) /* [4]: unused, RSP the VMCS's */
		gprs[i] = g.regs.gpr[i];
	vmcs_write(VMCS_GUEST_RSP, g.regs.gpr[4]);
	if (g.advance) {
		vmcs_write(VMCS_GUEST_RIP, g.regs.rip + g.advance);
		/* The instruction completed: an STI or MOV SS shadow before
		 * it ends. */
		vmcs_write(VMCS_GUEST_INTERRUPTIBILITY,
			   vmcs_read(VMCS_GUEST_INTERRUPTIBILITY) & ~3ull);
	}
	return res;
}
