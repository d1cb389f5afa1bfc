/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Late launch from Linux on x86 (docs/linux.md, "Entering warden from
 * Linux"), AMD-V image: the driver's trampoline enters each CPU Linux has
 * online at x86_linux_entry (entry.S) with its struct wd_x86_linux. The
 * first CPU checks the header, waits for the others and sets up as a
 * standalone boot does (x86_hv_setup) from the config the driver placed;
 * each CPU turns its Linux into the root cell's guest from its live state
 * (the backend's x86_vendor_linux_state) or continues it natively with
 * -errno and the reason in the header (x86_vendor_linux_leave).
 */
#include <warden/hv_header.h>

#include "hal.h"
#include "linux.h"
#include "msr.h"
#include "x2apic.h"
#include "x86.h"

/* About a second on the machines warden runs on (1-4 GHz TSCs). */
#define ANSWER_CYCLES 3000000000ULL

extern char __hv_start[];

static int linux_arrived, linux_entered, linux_setup_done, core_lock;

/* Spin until *@v >= @n (or < 0), at most @cycles of the TSC (the first
 * CPU calibrates it meanwhile); whether it got there. */
static bool await_count(const int *v, int n, uint64_t cycles)
{
	uint64_t start = rdtsc();
	int now;

	while ((now = __atomic_load_n(v, __ATOMIC_SEQ_CST)) < n && now >= 0 &&
	       rdtsc() - start <= cycles)
		cpu_pause();
	return now >= n;
}

/* The first CPU from Linux: the header's fields the driver wrote, every
 * online CPU arrived, then the standalone set-up with the config the
 * driver placed. */
static int linux_setup(const struct wd_hv_header *hdr,
		       const struct wd_x86_linux *blk, uint32_t *reason,
		       uint64_t *item)
{
	uint32_t off = hdr->config_offset, end = off + hdr->config_size;
	const struct wd_system *sys = (const void *)(__hv_start + off);
	uint32_t lvt, tdcr, count;
	int ret;

	*reason = WD_R_late_header;
	*item = 36; /* offsetof(struct wd_hv_header, config_offset) */
	if (!hdr->online_cpus || hdr->online_cpus > X86_MAX_CPUS ||
	    off % 4096 || off < hdr->memory_size || end < off ||
	    hdr->config_size < sizeof(*sys))
		return -WD_EINVAL;
	*item = 40; /* config_size */
	if (wd_system_config_size(sys) > hdr->config_size ||
	    end > sys->hypervisor_memory.size)
		return -WD_EINVAL;
	*reason = WD_R_late_cpus_missing;
	if (!await_count(&linux_arrived, (int)hdr->online_cpus,
			 ANSWER_CYCLES)) {
		*item = (uint32_t)linux_arrived;
		return -110; /* -ETIMEDOUT */
	}
	*reason = 0;
	x86_tsc_khz = blk->tsc_khz;
	/* Linux's LAPIC timer, which the set-up calibrates: set again
	 * afterwards, its count restarted from what was left. */
	lvt = x86_lapic->read(X2APIC_LVT_TIMER);
	tdcr = x86_lapic->read(X2APIC_TDCR);
	count = x86_lapic->read(X2APIC_TMCCT);
	ret = x86_hv_setup(sys, (uintptr_t)__hv_start + ((end + 4095) & ~4095u),
			   reason, item);
	x86_lapic->write(X2APIC_TDCR, tdcr);
	x86_lapic->write(X2APIC_LVT_TIMER, lvt);
	x86_lapic->write(X2APIC_TMICT, count);
	return ret;
}

/*
 * x86_linux_entry, on each CPU Linux had online: its state becomes its
 * VMCB's, the first sets up, then one by one each joins the root cell and
 * all continue Linux as its guest together; or it continues natively with
 * -errno, the reason in the header's reserved bytes for the driver.
 */
void x86_linux_main(unsigned int id, const struct wd_x86_linux *blk)
{
	struct wd_hv_header *hdr = (struct wd_hv_header *)__hv_start;
	struct x86_cpu *c = x86_this_cpu();
	uint32_t reason = 0;
	uint64_t item = 0;
	int err = 0;

	c->id = id;
	c->apic_base = rdmsr(MSR_APIC_BASE); /* as Linux set it */
	x86_apic_ldr(id, x86_lapic->read(X2APIC_LDR));
	x86_vendor_linux_state(c, blk);
	x86_cpu_tables(c); /* the way back (native_resume) needs its GDT */
	/* CS and SS from its GDT too (Linux's until here). */
	asm volatile("mov %0, %%ss; pushq %1; leaq 1f(%%rip), %%rax; "
		     "pushq %%rax; lretq; 1:" ::"r"(GDT_DS),
		     "i"(GDT_CS64)
		     : "rax", "memory");
	if (!__atomic_fetch_add(&linux_arrived, 1, __ATOMIC_SEQ_CST)) {
		err = linux_setup(hdr, blk, &reason, &item);
		__atomic_store_n(&linux_setup_done, err ?: 1, __ATOMIC_SEQ_CST);
	} else if (!await_count(&linux_setup_done, 1, 5 * ANSWER_CYCLES)) {
		/* The first CPU's reason is in the header. */
		err = linux_setup_done < 0 ? linux_setup_done : -WD_EBUSY;
	}
	if (!err && x86_vendor_cpu_init(c)) {
		err = -WD_EINVAL;
		reason = WD_R_cpu_init;
	}
	if (!err) {
		while (__atomic_exchange_n(&core_lock, 1, __ATOMIC_ACQUIRE))
			cpu_pause();
		err = core_cpu_entry();
		__atomic_store_n(&core_lock, 0, __ATOMIC_RELEASE);
		reason = core_last_reason()->code;
		item = core_last_reason()->item;
	}
	if (err) {
		if (reason) {
			memcpy(&hdr->reserved[0], &reason, 4);
			memcpy(&hdr->reserved[4], &item, 4); /* low half */
		}
		__atomic_fetch_add(&linux_entered, 1, __ATOMIC_SEQ_CST);
		x86_vendor_linux_leave(c, err);
	}
	c->state = CPU_GUEST;
	/* Into Linux together: no CPU traps while another still enters. */
	__atomic_fetch_add(&linux_entered, 1, __ATOMIC_SEQ_CST);
	await_count(&linux_entered, (int)hdr->online_cpus, 5 * ANSWER_CYCLES);
	x86_vendor_run(c);
}
