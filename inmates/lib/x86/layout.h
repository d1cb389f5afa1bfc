/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * x86-64 image layout, shared by start.S, inmate.lds (through the SConscript
 * check) and C. The image is linked at the cell's RAM base, guest address 0,
 * and runs identity-mapped. Keep in step with docs/inmates.md.
 */
#ifndef INMATE_LAYOUT_H
#define INMATE_LAYOUT_H

#define RAM_BASE 0x0
#define RESET_ADDRESS 0xfff0	     /* cpu_reset_address: 16-bit reset stub */
#define AP_ENTRY_ADDRESS 0x0	     /* SIPI vector 0: 16-bit entry of APs */
#define ENTRY64_ADDRESS 0x800	     /* 64-bit entry (simulator shortcut) */
#define COMM_REGION_DEFAULT 0x100000 /* comm region page */
#define MMIO_TEST_BASE 0x7f000000    /* mmio-access test region (256 bytes) */
#define MMIO_TEST_SIZE 0x100

#define STACK_SIZE 0x2000 /* per CPU */

/*
 * Parameter defaults (struct inmate_params): the simulated x86 machine of
 * tests/configs/sys-x86.c. The loader patches them for other machines.
 */
#define DEFAULT_CLOCK_KHZ 1000000      /* TSC, if the comm region gives none */
#define DEFAULT_APIC_KHZ 1000000       /* APIC timer, likewise */
#define DEFAULT_ATTACK_RAM 0x0e000000  /* tiny's RAM (physical) */
#define DEFAULT_ATTACK_HV 0x0f000000   /* hypervisor memory */
#define DEFAULT_ATTACK_MMIO 0xfed00000 /* the root cell's HPET-like page */
#define DEFAULT_ATTACK_PORT 0x3f8      /* COM1, the root cell's */
#define DEFAULT_ATTACK_PIN 4	       /* IOAPIC pin 4, the root cell's */
#define DEFAULT_ATTACK_BDF 0x0008      /* 00:01.0, the root cell's */
#define DEFAULT_ATTACK_CPU 0	       /* APIC id 0, a root CPU */
#define DEFAULT_IVSHMEM_BAR 0xff000000

/* GDT selectors of start.S */
#define BOOT_CS32 0x08
#define BOOT_DS 0x10
#define BOOT_CS64 0x18

#endif /* !INMATE_LAYOUT_H */
