/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * Trap records: one exit from a cell to the hypervisor and its outcome.
 * Every backend produces them (the hypervisor can log them on its console,
 * the simulator writes and replays them). Text format, one record a line,
 * specified in docs/abi.md ("Trap records"); this header is the C side.
 */
#ifndef WARDEN_TRAP_H
#define WARDEN_TRAP_H

#include <stdint.h>

#define WD_TRACE_VERSION 1

/* X(kind, token) */
#define WD_TRAP_KINDS(X)                                                     \
	X(WD_TRAP_HVC, "hvc")	    /* hypercall: addr=code, value=arg1 */   \
	X(WD_TRAP_MMIO, "mmio")	    /* memory-mapped I/O outside RAM */      \
	X(WD_TRAP_PIO, "pio")	    /* x86 port I/O: addr=port */            \
	X(WD_TRAP_IRQCHIP, "irq")   /* irqchip pin: addr=pin, value=chip */  \
	X(WD_TRAP_RESET, "reset")   /* machine reset attempt: addr=method */ \
	X(WD_TRAP_POWEROFF, "off")  /* machine power-off attempt */          \
	X(WD_TRAP_EXCEPTION, "exc") /* unhandled exception: addr=vector */   \
	X(WD_TRAP_CPU_ON,                                                    \
	  "cpuon")	      /* start own CPU: addr=target, value=entry */  \
	X(WD_TRAP_MSR, "msr") /* x86 MSR: addr=index */                      \
	X(WD_TRAP_CPUID, "cpuid")    /* x86 CPUID: addr=leaf */              \
	X(WD_TRAP_PSCI, "psci")	     /* ARM PSCI/SMC: addr=function id */    \
	X(WD_TRAP_CP15, "cp15")	     /* ARM coprocessor access */            \
	X(WD_TRAP_CPU_OFF, "cpuoff") /* a CPU stops itself (PSCI CPU_OFF) */

enum wd_trap_kind {
#define WD_TRAP_KIND_ENUM(kind, token) kind,
	WD_TRAP_KINDS(WD_TRAP_KIND_ENUM)
#undef WD_TRAP_KIND_ENUM
	WD_TRAP_KIND_COUNT
};

/* Machine control methods (addr of RESET/POWEROFF records). */
#define WD_METHOD_PSCI 1 /* PSCI SYSTEM_RESET / SYSTEM_OFF */
#define WD_METHOD_CF9 2	 /* x86 reset control register, port 0xcf9 */
#define WD_METHOD_KBC 3	 /* x86 keyboard controller pulse, port 0x64 */
#define WD_METHOD_ACPI 4 /* ACPI PM1 control */

enum wd_trap_outcome {
	WD_OUT_NONE = 0, /* not yet handled */
	WD_OUT_OK,	 /* emulated by the hypervisor (value = read result) */
	WD_OUT_FWD,	 /* performed on the device for the cell */
	WD_OUT_RET,	 /* hypercall returned (value = result) */
	WD_OUT_DENY,	 /* denied: the cell's CPUs park, the cell fails */
	WD_OUT_STOP,	 /* hypervisor stopped the machine */
};

#define WD_TRAP_NO_REG 0xff

struct wd_trap {
	uint32_t cpu;
	uint32_t cell_id;
	uint8_t kind;  /* enum wd_trap_kind */
	uint8_t write; /* 1 = write / store, 0 = read / load */
	uint8_t size;  /* access size in bytes: 1, 2, 4, 8 */
	/* decoded instruction facts (optional, WD_TRAP_NO_REG if unknown) */
	uint8_t reg;	  /* destination/source register number */
	uint8_t sext;	  /* load is sign-extended */
	uint8_t wback;	  /* base register written back */
	uint8_t insn_len; /* instruction length, 0 if unknown */
	uint8_t user;	  /* hvc: the caller ran in guest user mode */
	uint64_t addr;	  /* address, port, code, pin, vector, MSR, leaf... */
	uint64_t value;	  /* value written, hypercall arg1, irqchip address,
			   or the entry of a CPU start */
	uint64_t arg2;	  /* hypercall arg2 */

	/* outcome */
	uint8_t outcome; /* enum wd_trap_outcome */
	uint8_t pad2[3];
	uint32_t reason; /* enum wd_reason when denied or failed */
	uint64_t result; /* value read, or hypercall result (two's complement) */
	uint64_t item;	 /* reason item */
};

#endif /* !WARDEN_TRAP_H */
