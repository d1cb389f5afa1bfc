/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Standalone boot layout on QEMU virt (docs/arm.md): where QEMU's -kernel
 * and -device loader (or U-Boot's load commands) put each blob before
 * warden runs. Shared by warden and the root-cell manager.
 */
#ifndef WARDEN_ARM_BOOT_H
#define WARDEN_ARM_BOOT_H

#define BOOT_DTB 0x40000000	      /* the board's DTB (QEMU puts it here) */
#define BOOT_ROOT_ENTRY 0x40100000    /* root-cell image, entered in SVC */
#define BOOT_SYSTEM_CONFIG 0x40800000 /* system config (.cell) */
#define BOOT_CONFIG_MAX 0x10000	      /* largest accepted config */
#define BOOT_CELL_CONFIG 0x40810000   /* a cell config for the manager */
#define BOOT_CELL_IMAGE 0x40820000    /* that cell's raw image */
#define BOOT_CELL_IMAGE_MAX 0x40000   /* bytes the manager copies */
#define BOOT_MANAGER_ARGS 0x4081f000  /* struct manager_args, 0 if absent */
#define BOOT_CELL2_CONFIG 0x40860000  /* optional second cell, created first */
#define BOOT_CELL2_IMAGE 0x40870000   /* its raw image (BOOT_CELL_IMAGE_MAX) */
#define MANAGER_MAX_RUNS 16

/* Optional run options of the manager (a test writes them with QEMU's
 * -device loader,addr=...,data=...,data-len=4). */
#define MANAGER_KEEP_ENABLED 0x1 /* flags: no DISABLE, power off via warden */
#define MANAGER_BENCH 0x2  /* flags: only the trap loops of manager_bench() */
#define MANAGER_DENIED 0x4 /* flags: the cell must refuse CELL_DESTROY */
#define MANAGER_LOG 0x8	   /* flags: print the cell's log ring after destroy */
#define MANAGER_BYSTANDER \
	0x10 /* flags: the second cell denies a request
				  after each run (shows it runs on) */
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

#endif /* !WARDEN_ARM_BOOT_H */
