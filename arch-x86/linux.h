/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The late launch from Linux (linux.c, the AMD-V image; docs/x86.md):
 * what it takes from setup.c and the backend (arch-amd/svm.c).
 */
#ifndef WARDEN_X86_LINUX_H
#define WARDEN_X86_LINUX_H

#include <warden/hv_header.h>

#include "x86.h"

/* The set-up both ways in share (setup.c): 0 or -WD_E*, the reason in
 * @reason, @item; the page pool from @pool. This CPU's GDT, TSS, IDT. */
int x86_hv_setup(const struct wd_system *sys, uintptr_t pool, uint32_t *reason,
		 uint64_t *item);
void x86_cpu_tables(struct x86_cpu *c);
/* The backend: this CPU's guest state from Linux's live state, Linux to
 * continue at the trampoline's resume point; or Linux continues natively
 * with RAX = @err (< 0), nothing of the hypervisor left on the CPU. */
void x86_vendor_linux_state(struct x86_cpu *c, const struct wd_x86_linux *blk);
void x86_vendor_linux_leave(struct x86_cpu *c, int err)
	__attribute__((noreturn));

#endif /* !WARDEN_X86_LINUX_H */
