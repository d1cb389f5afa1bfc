/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The root-cell manager: the arch-neutral part (manager.c: queries, the
 * cell life cycle, parameters, log rings, the spare root CPU's counting,
 * DISABLE, the verdict) and the hooks each architecture's part provides
 * (arch-armv7/manager/, arch-x86/manager/). manager_arch.h, found on the
 * arch part's include path, gives the boot layout (BOOT_* addresses).
 */
#ifndef WARDEN_MANAGER_H
#define WARDEN_MANAGER_H

#include <inmate.h>
#include <warden/cell_config.h>

#include "manager_arch.h"
#include "manager_args.h"

/* --- Common part (manager.c), for the arch part ----------------------- */

/* The boot CPU, once the arch start-up has a C environment. */
void __attribute__((noreturn)) manager_main(void);
/* A spare root CPU the arch part started: counts until told to stop,
 * then leaves the hypervisor (DISABLE) unless there is none. */
void __attribute__((noreturn)) manager_secondary(uint32_t context);
extern volatile uint32_t spare_count, spare_stop, spare_context;
extern volatile long spare_disable;

void wait_ms(unsigned int ms);
/* Wait up to @ms until *@v differs from @old (the host may be busy). */
void wait_for(volatile uint32_t *v, uint32_t old, unsigned int ms);
/* The hypercall @code, its result printed as "[manager] @what = N" and,
 * if negative, the hypervisor's reason. */
long call(const char *what, unsigned long code, unsigned long a1,
	  unsigned long a2);

/* --- Arch part -------------------------------------------------------- */

/* Monotonic time. */
uint64_t mgr_now_ns(void);
/* The console while warden runs, then the first line; a part may end the
 * run here (x86: no hypervisor answers). */
void mgr_console_hv(void);
void mgr_banner(void);
/* The console after DISABLE (native). */
void mgr_console_native(void);
/* Id of this CPU as the system config's CPU sets count it. */
unsigned int mgr_self_cpu(void);
/* Accesses to the interrupt controller the hypervisor decides. */
void mgr_irqchip_checks(void);
/* MANAGER_IRR: interrupt @vector did not reach this CPU (run @run). */
void mgr_irr_check(unsigned int run, unsigned int vector);
/* Start root CPU @cpu at manager_secondary() and check that it counts. */
void mgr_start_spare(unsigned int cpu);
/* After DISABLE: check that the hypervisor is gone. */
void mgr_check_disabled(void);
/* MANAGER_BENCH: the trap loops, then power off. */
void __attribute__((noreturn)) mgr_bench(void);
/* Power the machine off (@pass: the verdict, for an exit status). */
void __attribute__((noreturn)) mgr_power_off(bool pass);

#endif /* !WARDEN_MANAGER_H */
