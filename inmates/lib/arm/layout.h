/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * ARMv7 image layout, shared by start.S, inmate.lds and C. The image is
 * linked at the cell's RAM base, guest address 0, where the cell's CPU
 * starts (cpu_reset_address 0); it runs with the MMU off. Keep in step with
 * docs/inmates.md.
 */
#ifndef INMATE_LAYOUT_H
#define INMATE_LAYOUT_H

#define RAM_BASE 0x0
#define RESET_ADDRESS 0x0	       /* cpu_reset_address: vector table */
#define COMM_REGION_DEFAULT 0x80000000 /* Jailhouse's ARM comm region */
#define MMIO_TEST_BASE 0x7f000000      /* mmio-access test region */
#define MMIO_TEST_SIZE 0x100

#define STACK_SIZE 0x2000    /* SVC stack, per CPU */
#define IRQ_STACK_SIZE 0x800 /* IRQ stack, per CPU */
#define EXC_STACK_SIZE 0x400 /* abort/undefined/FIQ stack, per CPU */

/* GICv2 when the comm region gives none (QEMU virt, sim-arm). */
#define DEFAULT_GICD_BASE 0x08000000
#define DEFAULT_GICC_BASE 0x08010000

/*
 * Parameter defaults (struct inmate_params): the simulated ARM machine of
 * tests/configs/sys-arm.c (QEMU virt map). The loader patches them for
 * other machines.
 */
#define DEFAULT_CLOCK_KHZ 62500	       /* generic timer if CNTFRQ is 0 */
#define DEFAULT_APIC_KHZ 0	       /* x86 only */
#define DEFAULT_ATTACK_RAM 0x4e000000  /* tiny's RAM (physical) */
#define DEFAULT_ATTACK_HV 0x4f000000   /* hypervisor memory */
#define DEFAULT_ATTACK_MMIO 0x0a000000 /* virtio-mmio, the root cell's */
#define DEFAULT_ATTACK_PORT 0	       /* x86 only */
#define DEFAULT_ATTACK_PIN 33	       /* SPI 1 (UART), the root cell's */
#define DEFAULT_ATTACK_BDF 0x0008      /* 00:01.0, not the cell's */
#define DEFAULT_ATTACK_CPU 0	       /* MPIDR affinity 0, a root CPU */
#define DEFAULT_IVSHMEM_BAR 0x10000000 /* in virt's PCI MMIO window */

#endif /* !INMATE_LAYOUT_H */
