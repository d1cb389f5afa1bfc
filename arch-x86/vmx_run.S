/* SPDX-License-Identifier: GPL-2.0 */
/*
 * int vmx_run(struct x86_gprs *gprs, int launched): one VM entry of the
 * current VMCS (VMLAUNCH the first time, then VMRESUME). Loads the guest's
 * GPRs but RSP (the VMCS's) from @gprs; the VM exit lands at vmx_exit_rip
 * (the VMCS's HOST_RIP) with HOST_RSP as written here, stores the GPRs
 * back and returns 0. Returns 1 if the entry failed (VMfailValid or
 * VMfailInvalid: VMCS_INSN_ERROR says why).
 */
	.text
	.globl vmx_run, vmx_exit_rip
vmx_run:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdi		/* gprs */
	movl	$0x6c14, %eax	/* the VMCS's HOST_RSP field */
	vmwrite	%rsp, %rax
	testl	%esi, %esi	/* ZF: not launched (MOV, CALL, RET keep it) */
	movq	0*8(%rdi), %rax
	call	x86_load_gprs
	jnz	1f
	vmlaunch
	jmp	2f
1:	vmresume
2:	movl	$1, %eax
	jmp	3f

vmx_exit_rip:
	pushq	%rdi
	movq	8(%rsp), %rdi	/* gprs */
	popq	7*8(%rdi)
	movq	%rax, 0*8(%rdi)
	movq	%rcx, 1*8(%rdi)
	movq	%rdx, 2*8(%rdi)
	movq	%rbx, 3*8(%rdi)
	movq	%rbp, 5*8(%rdi)
	movq	%rsi, 6*8(%rdi)
	movq	%r8, 8*8(%rdi)
	movq	%r9, 9*8(%rdi)
	movq	%r10, 10*8(%rdi)
	movq	%r11, 11*8(%rdi)
	movq	%r12, 12*8(%rdi)
	movq	%r13, 13*8(%rdi)
	movq	%r14, 14*8(%rdi)
	movq	%r15, 15*8(%rdi)
	xorl	%eax, %eax
3:	popq	%rdi		/* gprs */
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

/*
 * vmx_resume_native(gprs, frame): DISABLE on this CPU, after VMXOFF: the
 * guest's GPRs from @gprs (but RSP), then IRETQ through @frame (RIP, CS,
 * RFLAGS, RSP, SS), which becomes the stack; control registers,
 * descriptor tables and segments are the guest's already.
 */
	.globl vmx_resume_native
vmx_resume_native:
	movq	%rsi, %rsp
	movq	0*8(%rdi), %rax
	call	x86_load_gprs
	iretq

/*
 * int x86_wrmsr_safe(uint32_t msr, uint64_t val): WRMSR; a #GP it raises
 * (a value the x2APIC refuses) resumes at x86_wrmsr_safe_fault
 * (entry.S's exc_common), which returns -1.
 */
	.globl x86_wrmsr_safe, x86_wrmsr_safe_insn, x86_wrmsr_safe_fault
x86_wrmsr_safe:
	movl	%edi, %ecx
	movl	%esi, %eax
	movq	%rsi, %rdx
	shrq	$32, %rdx
x86_wrmsr_safe_insn:
	wrmsr
	xorl	%eax, %eax
	ret
x86_wrmsr_safe_fault:
	movl	$-1, %eax
	ret

/*
 * x86_wait_nmi(): wait in the hypervisor until an NMI (IF clear: nothing
 * else ends the HLT; an NMI at the HLT resumes after it, entry.S's
 * exc_common). x86_irq_window(): the interrupts the LAPIC holds taken (IF
 * set for two instructions).
 */
	.globl x86_wait_nmi, x86_wait_hlt, x86_irq_window
x86_wait_nmi:
x86_wait_hlt:
	hlt
	ret
x86_irq_window:
	sti
	nop
	nop
	cli
	ret
