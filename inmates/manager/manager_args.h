/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Options of the root-cell manager (inmates/manager/), the same on every
 * architecture: a test writes them at BOOT_MANAGER_ARGS of the arch's boot
 * layout (arch-armv7/boot.h, arch-x86/boot.h) with QEMU's
 * -device loader,addr=...,data=...,data-len=4 (all zero if absent).
 */
#ifndef WARDEN_MANAGER_ARGS_H
#define WARDEN_MANAGER_ARGS_H

#define MANAGER_MAX_RUNS 16

#define MANAGER_KEEP_ENABLED 0x1 /* flags: no DISABLE, power off via warden */
#define MANAGER_BENCH 0x2	 /* flags: only the trap loops of the bench */
#define MANAGER_DENIED 0x4	 /* flags: the cell must refuse CELL_DESTROY */
#define MANAGER_LOG 0x8 /* flags: print the cell's log ring after destroy */
#define MANAGER_BYSTANDER \
	0x10 /* flags: the second cell denies a request
				  after each run (shows it runs on) */
#define MANAGER_NATIVE \
	0x20 /* flags (x86): no hypervisor is expected (a run on the bare
		emulator): check that none answers, start the spare CPU
		natively, power off */
#define MANAGER_UART \
	0x40 /* flags (x86): print on COM1 also while warden runs, not
		through the debug console hypercall */
#define MANAGER_TICKS \
	0x80 /* flags (timer inmate): count the exits of the cell's first CPU
		over its run by class (CPU_GET_INFO) and check that its timer
		interrupts cost none beyond their EOI */
#define MANAGER_IRR \
	0x100 /* flags (x86): after each run, check that interrupt vector
		 param_val (0: none) is not pending in this CPU's APIC IRR
		 (interrupts stay off in the manager: what reaches it waits
		 there) */
#define MANAGER_EDU \
	0x200 /* flags (x86, with MANAGER_IRR): the edu DMA runs: a canary
		 page of the root's RAM before the cells; after each run the
		 canary, edu's buffer (no hypervisor header) and the root's
		 own DMA through edu checked (arch-x86/manager/x86.c) */
#define MANAGER_BENCH_LOOPS 1000

#ifndef __ASSEMBLER__
struct manager_args {
	unsigned int flags;	/* MANAGER_* */
	unsigned int select;	/* patched into the cell image's parameters */
	unsigned int wait_ms;	/* how long the cell runs (0: until quiet) */
	unsigned int param_off; /* one more parameter to patch: its offset */
	unsigned int param_val; /* (in struct inmate_params, 0: none) and value */
	unsigned int destroy_tries; /* CELL_DESTROY attempts (0: 1) */
	unsigned int runs;	    /* create/run/destroy the cell this often */
	unsigned int cell2_off;	    /* a parameter of the second cell: offset */
	unsigned int cell2_val;	    /* and value (0: none) */
	unsigned int selects[MANAGER_MAX_RUNS]; /* select of run i (0: select) */
};
#endif

#endif /* !WARDEN_MANAGER_ARGS_H */
