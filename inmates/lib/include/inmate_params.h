/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Parameters of an inmate image: one struct at a fixed offset from the start
 * of the image (INMATE_PARAMS_OFFSET), holding the defaults the inmate was
 * built with. The root cell or the simulator may patch it in the loaded image
 * before starting the cell; the inmate also reports progress in it.
 *
 * Plain stdint types, little-endian, no pointers: hosted tools may include
 * this header to patch or read images (see docs/inmates.md).
 */
#ifndef INMATE_PARAMS_H
#define INMATE_PARAMS_H

#ifndef __ASSEMBLER__
#include <stdint.h>
#endif

#define INMATE_PARAMS_OFFSET 0x1000 /* from the image start (RAM base) */
#define INMATE_PARAMS_MAGIC "WDPARAMS"
#define INMATE_PARAMS_VERSION 1
#define INMATE_MAX_CPUS 8

/* console_type: 0 = take the UART from the comm region, or a WD_CON_TYPE_*
 * value (8250, PL011) with console_base/console_flags, or this: */
#define INMATE_CON_NONE 0xffff

/* console_hc: use of the hypervisor's debug console hypercall */
#define INMATE_HC_AUTO 0 /* if ACTIVE, or if PERMITTED and no UART */
#define INMATE_HC_ALWAYS 1
#define INMATE_HC_NEVER 2

/* hypercall (x86 only): instruction used for hypercalls */
#define INMATE_HC_INSN_AUTO 0 /* CPUID vendor: AMD/Hygon vmmcall, else vmcall */
#define INMATE_HC_INSN_VMCALL 1
#define INMATE_HC_INSN_VMMCALL 2

/* psci (ARM only): PSCI conduit */
#define INMATE_PSCI_SMC 0
#define INMATE_PSCI_HVC 1

/* shutdown (shutdown demo): answer to a shutdown request */
#define INMATE_SHUTDOWN_APPROVE 0  /* approve (after deny_count denials) */
#define INMATE_SHUTDOWN_DENY 1	   /* deny every request */
#define INMATE_SHUTDOWN_IGNORE 2   /* never answer: let the timeout expire */
#define INMATE_SHUTDOWN_LOCK 0x100 /* flag: hold RUNNING_LOCKED meanwhile */

/* state: progress, written by the inmate */
#define INMATE_STATE_LOADED 0
#define INMATE_STATE_RUNNING 1
#define INMATE_STATE_DONE 2	/* verdict printed, idling */
#define INMATE_STATE_FATAL 3	/* unexpected exception, CPU halted */
#define INMATE_STATE_COMM_REV 4 /* comm region missing or wrong revision */

#ifndef __ASSEMBLER__
struct inmate_params {
	/* 0x00: identification, set at build time */
	char magic[8];	  /* "WDPARAMS", no NUL */
	uint32_t version; /* INMATE_PARAMS_VERSION */
	uint32_t size;	  /* sizeof(struct inmate_params) */

	/* 0x10: platform, may be patched by the loader */
	uint64_t comm_region;	/* guest address of the comm region page */
	uint64_t console_base;	/* UART port or address (console_type != 0) */
	uint32_t console_type;	/* 0, WD_CON_TYPE_8250/PL011, INMATE_CON_NONE */
	uint32_t console_flags; /* WD_CON_ACCESS_MMIO, WD_CON_REGDIST_4 */
	uint32_t console_hc;	/* INMATE_HC_* */
	uint32_t hypercall;	/* INMATE_HC_INSN_* (x86) */
	uint32_t psci;		/* INMATE_PSCI_* (ARM) */
	uint32_t clock_khz;	/* TSC / generic timer when the platform
				   does not say (x86: comm region tsc_khz) */
	uint32_t apic_khz;	/* x86 APIC timer when the comm region does
				   not say */
	uint32_t pad0;

	/* 0x40: demo parameters, may be patched by the loader */
	uint32_t select;	  /* attack, mmio-access: 0 = all cases in
				     order, n = only case n */
	uint32_t num_cpus;	  /* smp: CPUs to start, boot CPU included */
	uint32_t shutdown;	  /* shutdown: INMATE_SHUTDOWN_* */
	uint32_t deny_count;	  /* shutdown: requests denied before
				     approving */
	uint32_t timer_period_us; /* timer: period */
	uint32_t timer_ticks;	  /* timer: interrupts measured */
	uint32_t attack_port;	  /* attack: a port the cell does not own */
	uint32_t attack_pin;	  /* attack: an interrupt pin (x86 IOAPIC
				     pin, ARM GIC interrupt id) not owned */
	uint32_t attack_bdf;	  /* attack: a PCI function not owned */
	uint32_t ivshmem_bdf;	  /* ivshmem: 0xffff = scan bus 0 */
	uint64_t attack_ram;	  /* attack: another cell's RAM (guest) */
	uint64_t attack_hv;	  /* attack: hypervisor memory (guest) */
	uint64_t attack_mmio;	  /* attack: MMIO the cell does not own */
	uint64_t attack_cpu;	  /* attack: a CPU of another cell (x86 APIC
				     id, ARM MPIDR affinity) */
	uint64_t ivshmem_bar;	  /* ivshmem: BAR 0 (registers) address if
				     unassigned; BAR 1 (MSI-X) follows 4K
				     above */
	uint64_t cpu_ids[INMATE_MAX_CPUS]; /* smp: APIC ids / MPIDR affinity
					      of the cell's CPUs; [0] is
					      the boot CPU, ~0 = boot + i */

	/* 0xd0: written by the inmate */
	uint64_t log_addr;	   /* console log ring (guest address) */
	uint32_t log_size;	   /* its size in bytes */
	volatile uint32_t log_len; /* bytes written so far (wraps at 2^32);
					byte i is at log_addr + i % size */
	volatile uint32_t state;   /* INMATE_STATE_* */
	volatile uint32_t checks;  /* checks passed + failed */
	volatile uint32_t failed;  /* checks failed */
	volatile uint32_t cpus_up; /* smp: CPUs that reached C code */
};

#define INMATE_PARAMS_SIZE 0xf0

_Static_assert(sizeof(struct inmate_params) == INMATE_PARAMS_SIZE,
	       "inmate_params layout");
#endif

#endif /* !INMATE_PARAMS_H */
