/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VT-x exit handling (vmx_exit.c): one VM exit of the current VMCS, read
 * through the accessor interface (vmcs.h), decoded into a call of the x86
 * exit layer (exit.h) or handled here (CR accesses, XSETBV, INVD, the VMX
 * instructions, fatal exits), and the guest's state written back. No
 * VMX instruction in here: the mechanism it needs comes from the backend
 * (vmx.c) through the functions below, so the host tests drive it on a
 * fake VMCS (tests/unit/test_vmxexit.c).
 */
#ifndef WARDEN_X86_VMX_EXIT_H
#define WARDEN_X86_VMX_EXIT_H

#include "exit.h"
#include "vmcs.h"

#define CR0_PE (1ULL << 0)
#define CR0_NE (1ULL << 5)
#define CR0_NW (1ULL << 29)
#define CR0_CD (1ULL << 30)
#define CR4_VMXE (1ULL << 13)
/* CR0 bits the guest/host mask owns: NE (VMX requires it), CD and NW. */
#define VMX_CR0_CACHE (CR0_CD | CR0_NW)
#define VMX_CR0_MASK (CR0_NE | VMX_CR0_CACHE)
#define EFER_LME (1ULL << 8)

/*
 * The mechanism vmx_exit() needs, which vmx.c gives with VMX and CPU
 * instructions and the host tests with fakes: the exit layer's ops (the
 * context is NULL: VT-x's state is the current VMCS and this CPU's), XSETBV
 * of @val to XCR0 (the guest's own: the CPU's), and INVD's replacement
 * (write back and invalidate the caches).
 */
extern const struct x86_exit_ops vmx_ops;
void vmx_xsetbv(uint64_t val);
void vmx_wbinvd(void);

/*
 * Handle exit @reason of the current VMCS, with the guest's GPRs @gprs (16
 * by encoding number; [4] unused: GUEST_RSP). @reason VMX_EXIT_ENTRY_FAILED
 * alone (no basic reason) is a VMfail: VMLAUNCH or VMRESUME refused the
 * VMCS, the cell fails with the VM-instruction error. RESUME: the guest
 * state is updated (RIP advanced, registers, injected exception) and it may
 * be entered again; PARKED: the cell failed (a precise reason, through the
 * core's trap record) or this CPU was parked, do not enter.
 */
enum x86_exit_result vmx_exit(uint64_t *gprs, uint32_t reason);

/* Inject hardware exception @vector (error code 0 for #GP in protected
 * mode) at the next VM entry; RIP stays at the faulting instruction. The
 * ops' inject (@ctx unused). */
void vmx_inject(void *ctx, unsigned int vector);

/* The CR0 (@cr4 false) or CR4 the guest sees (the read shadow's bits
 * where the guest/host mask owns them). */
uint64_t vmx_guest_cr(bool cr4);

#endif /* !WARDEN_X86_VMX_EXIT_H */
