/* SPDX-License-Identifier: GPL-2.0 */
/*
 * svm_run(gprs, vmcb_pa, host_pa): one VMRUN. Loads the guest's GPRs but
 * RAX and RSP (the VMCB's) from @gprs, VMLOADs the guest's hidden state,
 * runs it, and on #VMEXIT VMSAVEs it, stores the GPRs back and VMLOADs the
 * host's (TR, FS, GS...) from @host_pa. Entered and left with GIF clear.
 */
	.text
	.globl svm_run
svm_run:
	pushq	%rbx
	pushq	%rbp
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	%rdx		/* host_pa */
	pushq	%rdi		/* gprs */
	movq	%rsi, %rax	/* vmcb_pa */
	call	x86_load_gprs
	vmload	%rax
	vmrun	%rax
	vmsave	%rax
	pushq	%rdi
	movq	8(%rsp), %rdi	/* gprs */
	popq	7*8(%rdi)
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
	popq	%rdi
	popq	%rax		/* host_pa */
	vmload	%rax
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbp
	popq	%rbx
	ret

/*
 * svm_resume_native(gprs, frame): DISABLE on this CPU: the guest's GPRs
 * from @gprs (but RSP), then IRETQ through @frame (RIP, CS, RFLAGS, RSP,
 * SS), which becomes the stack. Control registers, descriptor tables and
 * the VMLOADed state are the guest's already.
 */
	.globl svm_resume_native
svm_resume_native:
	movq	%rsi, %rsp
	movq	0*8(%rdi), %rax
	call	x86_load_gprs
	iretq

/*
 * The late launch's entry (docs/linux.md; the image header's entry
 * offset, warden.lds): Linux's CPU, IRQs off, CR3 = the driver's table
 * (this image 1:1), RDI = the physical address of its struct wd_x86_linux.
 * Segments, TR and the MSRs stay Linux's for C to save. On the
 * hypervisor's tables, the per-CPU stack as a standalone boot takes it
 * (entry.S), then x86_linux_main(id, RDI).
 */
	.globl x86_linux_entry
x86_linux_entry:
	movq	$boot_pml4, %rax
	movq	%rax, %cr3
	movq	%rdi, %rbx
	movq	$x86_linux_main, %rbp
	jmp	x86_cpu_stack

/*
 * x86_wait_nmi(): wait in the hypervisor until an NMI (GIF set, IF clear:
 * nothing else ends the HLT). An NMI already pending is taken at STGI,
 * before the HLT: the handler sees its RIP at x86_wait_hlt and resumes
 * after it (entry.S's exc_common), so no wakeup is lost.
 * x86_irq_window(): the interrupts the LAPIC holds taken (GIF and IF set
 * for two instructions).
 */
	.globl x86_wait_nmi, x86_wait_hlt, x86_irq_window
x86_wait_nmi:
	stgi
x86_wait_hlt:
	hlt
	clgi
	ret
x86_irq_window:
	stgi
	sti
	nop
	nop
	cli
	clgi
	ret
