/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * warden hypercall ABI: Jailhouse's codes and conventions plus documented
 * additive extensions (see docs/abi.md).
 *
 * Calling conventions:
 *   x86-64 (VT-x vmcall / AMD-V vmmcall): code in RAX, arguments in RDI, RSI,
 *           result in RAX.
 *   ARMv7:  hvc #0x4a48, code in r0, arguments in r1, r2, result in r0.
 * Results are >= 0 on success or a negative errno (WD_E* below).
 */
#ifndef WARDEN_HYPERCALL_H
#define WARDEN_HYPERCALL_H

#include <stdint.h>

#include "cell_config.h"

#define WD_HC_DISABLE 0
#define WD_HC_CELL_CREATE 1
#define WD_HC_CELL_START 2
#define WD_HC_CELL_SET_LOADABLE 3
#define WD_HC_CELL_DESTROY 4
#define WD_HC_HYPERVISOR_GET_INFO 5
#define WD_HC_CELL_GET_STATE 6
#define WD_HC_CPU_GET_INFO 7
#define WD_HC_DEBUG_CONSOLE_PUTC 8
/* Extension: copy a failure reason record (struct wd_reason_record) to the
 * caller. arg1 = cell id (the caller's own id for its last rejected call),
 * arg2 = guest-physical address of the record in the caller's RAM. */
#define WD_HC_GET_REASON 0x100

#define WD_HVC_IMM_ARM 0x4a48

/* Linux errno values, as returned (negated) by hypercalls. */
#define WD_EPERM 1
#define WD_ENOENT 2
#define WD_E2BIG 7
#define WD_ENOMEM 12
#define WD_EFAULT 14
#define WD_EBUSY 16
#define WD_EEXIST 17
#define WD_ENODEV 19 /* no IOMMU unit translates a device */
#define WD_EINVAL 22
#define WD_ERANGE 34
#define WD_ENOSYS 38

/* HYPERVISOR_GET_INFO types */
#define WD_INFO_MEM_POOL_SIZE 0
#define WD_INFO_MEM_POOL_USED 1
#define WD_INFO_REMAP_POOL_SIZE 2
#define WD_INFO_REMAP_POOL_USED 3
#define WD_INFO_NUM_CELLS 4
/* Extension: the reason code of the caller's last rejected hypercall. */
#define WD_INFO_LAST_REASON 0x100

/* CPU_GET_INFO types */
#define WD_CPU_INFO_STATE 0
#define WD_CPU_INFO_STAT_BASE 1000

/* CPU states */
#define WD_CPU_RUNNING 0
#define WD_CPU_FAILED 2

/* CPU statistics counters: the generic ones are Jailhouse's, the rest are
 * warden's (arch-independent names so every backend counts the same way). */
#define WD_CPU_STAT_VMEXITS_TOTAL 0
#define WD_CPU_STAT_VMEXITS_MMIO 1
#define WD_CPU_STAT_VMEXITS_MANAGEMENT 2
#define WD_CPU_STAT_VMEXITS_HYPERCALL 3
#define WD_CPU_STAT_VMEXITS_PIO 4
#define WD_CPU_STAT_VMEXITS_PCI 5
#define WD_CPU_STAT_VMEXITS_IRQCHIP 6
#define WD_CPU_STAT_VMEXITS_PLATFORM 7 /* MSR, CPUID, PSCI, CP15, SMC */
#define WD_CPU_STAT_VMEXITS_DENIED 8   /* traps that made the cell fail */
#define WD_CPU_STAT_DMA_FAULTS 9       /* blocked DMA/interrupts of its devices */
#define WD_CPU_STATS 10

/* Messages to a cell */
#define WD_MSG_NONE 0
#define WD_MSG_SHUTDOWN_REQUEST 1
#define WD_MSG_RECONFIG_COMPLETED 2

/* Replies from a cell */
#define WD_MSG_UNKNOWN 1
#define WD_MSG_REQUEST_DENIED 2
#define WD_MSG_REQUEST_APPROVED 3
#define WD_MSG_RECEIVED 4

/* Cell states: initialised by the hypervisor, updated by the cell. */
#define WD_CELL_RUNNING 0
#define WD_CELL_RUNNING_LOCKED 1
#define WD_CELL_SHUT_DOWN 2
#define WD_CELL_FAILED 3
#define WD_CELL_FAILED_COMM_REV 4

/* Communication region: one page the hypervisor maps into each cell at the
 * address of its WD_MEM_COMM_REGION memory region. */
#define WD_COMM_SIGNATURE "JHCOMM"
#define WD_COMM_REVISION 2

#define WD_COMM_FLAG_DBG_PUTC_PERMITTED 0x0001
#define WD_COMM_FLAG_DBG_PUTC_ACTIVE 0x0002

struct wd_comm_region {
	char signature[6];
	uint16_t revision;
	volatile uint32_t cell_state;
	volatile uint32_t msg_to_cell;
	volatile uint32_t reply_from_cell;
	uint32_t flags; /* static: WD_COMM_FLAG_* */
	struct wd_console console;
	uint64_t pci_mmconfig_base;
	/* Arch-specific part, filled by the backend: */
	union {
		struct {
			uint8_t gic_version;
			uint8_t padding[7];
			uint64_t gicd_base;
			uint64_t gicc_base;
			uint64_t gicr_base;
			uint32_t vpci_irq_base;
		} __attribute__((packed)) arm;
		struct {
			uint16_t pm_timer_address;
			uint16_t num_cpus;
			uint32_t tsc_khz;
			uint32_t apic_khz;
		} __attribute__((packed)) x86;
	};
} __attribute__((packed));

_Static_assert(sizeof(struct wd_comm_region) <= 4096, "comm region page");

/* Reason record returned by WD_HC_GET_REASON (extension). */
#define WD_REASON_TEXT_LEN 80

struct wd_reason_record {
	uint32_t code;	  /* enum wd_reason */
	uint32_t cell_id; /* cell the reason belongs to */
	uint32_t cpu;	  /* CPU that hit it, or ~0 */
	uint32_t seq;	  /* increments with each recorded reason */
	uint64_t item;	  /* offending item: index, address, CPU, pin, BDF */
	char text[WD_REASON_TEXT_LEN]; /* one line, NUL-terminated */
} __attribute__((packed));

#endif /* !WARDEN_HYPERCALL_H */
