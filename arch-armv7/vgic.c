/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GICv2 virtualization: physical interrupts are taken in HYP (HCR.IMO),
 * acknowledged (priority drop only) at the physical CPU interface and
 * handed to the CPU's guest through list registers that request an EOI
 * maintenance interrupt: when the guest ends the interrupt, the hypervisor
 * deactivates the physical one (GICC_DIR). Not the HW bit: on QEMU 7.2 a
 * deactivation through it does not re-signal a physical interrupt that is
 * pending meanwhile (a level timer stays silent). Cells see the virtual CPU
 * interface (GICV) where the CPU interface is. SGI 0 is the hypervisor's
 * event: park, suspend, and injections for another CPU; guests' SGIs are
 * virtual. hal_config_commit() re-routes SPIs whose owner changed.
 */
#include "arm.h"
#include "gicd.h"

#define GICC_CTLR 0x000
#define GICC_PMR 0x004
#define GICC_BPR 0x008
#define GICC_IAR 0x00c
#define GICC_EOIR 0x010
#define GICC_DIR 0x1000
/* Enable both groups; EOImodeS/NS: EOIR drops priority, DIR deactivates. */
#define GICC_CTLR_VALUE (0x3 | 1u << 9 | 1u << 10)

#define GICH_HCR 0x000
#define GICH_VTR 0x004
#define GICH_VMCR 0x008
#define GICH_EISR0 0x020
#define GICH_ELSR0 0x030
#define GICH_APR 0x0f0
#define GICH_LR(n) (0x100 + 4 * (n))
#define GICH_HCR_EN (1u << 0)
#define GICH_HCR_UIE (1u << 1) /* maintenance IRQ when LRs run low */

#define LR_EOI (1u << 19) /* maintenance interrupt at the guest's EOI */
#define LR_STATE (3u << 28)
#define LR_PENDING (1u << 28)
#define LR_PRIO (0xa0u >> 3 << 23) /* below the PMR inmates/Linux set */
#define LR_CPUID(src) ((uint32_t)(src) << 10)
#define LR_VIRT(lr) ((lr)&0x3ff)

#define SGI_EVENT GICD_SGI_EVENT
#define MAX_IRQS 1020 /* and the first spurious interrupt id */

/*
 * Interrupts waiting for a free list register, per CPU, and which words of
 * them may hold any (bit n: word n), so that a flush visits only those.
 */
struct vgic_cpu {
	uint32_t hw[32];      /* acked physical interrupts (still active) */
	uint32_t sw[32];      /* virtual interrupts (hal_inject_irq) */
	uint32_t sgi_src[16]; /* guest SGIs: source CPUs per SGI */
	uint32_t hw_words, sw_words, sgi_ids;
};

static struct vgic_cpu vcpu[ARM_MAX_CPUS];
static unsigned int num_lrs;
static uint32_t lrs_all;	    /* bit n: list register n */
static uint8_t spi_owner[MAX_IRQS]; /* cell id + 1 at the last commit */
static bool routing_known;
struct arm_gic arm_gic;

#define GICD(off) (arm_gic.gicd[(off) / 4])
#define GICC(off) (arm_gic.gicc[(off) / 4])
#define GICH(off) (arm_gic.gich[(off) / 4])

void arm_gic_setup(void)
{
	const struct wd_platform_arm *arm =
		&core_system_config()->platform_info.arm;

	arm_gic.gicd_base = arm->gicd_base;
	arm_gic.gicd = (volatile uint32_t *)(uintptr_t)arm_gic.gicd_base;
	arm_gic.gicc = (volatile uint32_t *)(uintptr_t)arm->gicc_base;
	arm_gic.gich = (volatile uint32_t *)(uintptr_t)arm->gich_base;
	arm_gic.maintenance_irq = arm->maintenance_irq;
	arm_gic.hyp_pins = gicd_hyp_pins(arm->maintenance_irq);
}

/*
 * Queue @bits in word @w of @map (hw, sw or sgi_src of @c's CPU), noted in
 * @words. The flag's store orders both before it: the flusher exchanges
 * the flag before it looks at them.
 */
static void queue(struct arm_cpu *c, uint32_t *map, uint32_t *words,
		  unsigned int w, uint32_t bits)
{
	__atomic_fetch_or(&map[w], bits, __ATOMIC_RELAXED);
	__atomic_fetch_or(words, 1u << w, __ATOMIC_RELAXED);
	__atomic_store_n(&c->gic_queued, 1, __ATOMIC_SEQ_CST);
}

/* Ask @cpu to look at its requests and queues (SGI 0). */
void arm_gic_send_event(unsigned int cpu)
{
	asm volatile("dsb" ::: "memory");
	GICD(GICD_SGIR) = (1u << (16 + cpu)) | SGI_EVENT;
}

/* Empty every list register; deactivate the physical interrupts in them. */
static void vgic_reset(void)
{
	struct vgic_cpu *v = &vcpu[hal_cpu_id()];
	uint32_t lr, eisr = GICH(GICH_EISR0);
	unsigned int i;

	for (i = 0; i < num_lrs; i++) {
		lr = GICH(GICH_LR(i));
		/* A physical interrupt still active for the guest. */
		if ((lr & LR_EOI) && ((lr & LR_STATE) || (eisr >> i & 1)))
			GICC(GICC_DIR) = LR_VIRT(lr);
		GICH(GICH_LR(i)) = 0;
	}
	for (i = 0; i < MAX_IRQS; i++)
		if (v->hw[i / 32] >> (i % 32) & 1)
			GICC(GICC_DIR) = i;
	memset(v, 0, sizeof(*v));
	arm_this_cpu()->gic_queued = 0;
	GICH(GICH_APR) = 0;
	GICH(GICH_VMCR) = GICD_RESET_VMCR;
	GICH(GICH_HCR) = GICH_HCR_EN;
}

/*
 * This CPU changes hands: the virtual CPU interface and list registers
 * emptied, the banked SGI/PPI distributor state set by the policy's list
 * (gicd_reset_regs(): the cell's pins off, the hypervisor's as it needs).
 */
void arm_gic_reset_cpu(void)
{
	struct gicd_reg regs[GICD_RESET_REGS];
	unsigned int i, n = gicd_reset_regs(arm_gic.hyp_pins, regs);

	vgic_reset();
	for (i = 0; i < n; i++)
		GICD(regs[i].off) = regs[i].value;
	asm volatile("dsb" ::: "memory");
}

/* Per CPU, from hal_cpu_init(): physical CPU interface and GICH. */
void arm_gic_cpu_init(void)
{
	/* The distributor once; it is the root cell's to configure. */
	GICD(0) |= 1;
	GICC(GICC_PMR) = 0xff;
	GICC(GICC_BPR) = 0;
	GICC(GICC_CTLR) = GICC_CTLR_VALUE;
	/* The root cell's own banked state stays as the root set it. */
	GICD(GICD_ISENABLER) = arm_gic.hyp_pins;
	num_lrs = (GICH(GICH_VTR) & 0x3f) + 1;
	num_lrs = num_lrs > 32 ? 32 : num_lrs; /* ELSR0, EISR0: 32 at most */
	lrs_all = ~0u >> (32 - num_lrs);
	vgic_reset();
}

/* A free list register for @value; false if all are in use. */
static bool lr_put(uint32_t value, bool merge)
{
	uint32_t empty = GICH(GICH_ELSR0) & lrs_all, used, lr;

	/* The same pending SGI/interrupt once is enough. */
	for (used = merge ? ~empty & lrs_all : 0; used; used &= used - 1) {
		lr = GICH(GICH_LR(__builtin_ctz(used)));
		if ((lr & 0x1fff) == (value & 0x1fff) &&
		    (lr & LR_STATE) == LR_PENDING)
			return true;
	}
	if (empty)
		GICH(GICH_LR(__builtin_ctz(empty))) = value;
	return empty;
}

/*
 * Word @w of @map into list registers: SGIs (@sgi: bit n = source CPU n of
 * SGI @w) or interrupts w * 32 + n, with @flags. What finds no free list
 * register is queued again; true then.
 */
static bool flush_word(uint32_t *map, uint32_t *words, unsigned int w,
		       uint32_t flags, bool sgi)
{
	uint32_t bits = __atomic_exchange_n(&map[w], 0, __ATOMIC_SEQ_CST);
	uint32_t left = 0;
	unsigned int b;

	for (; bits; bits &= bits - 1) {
		b = (unsigned int)__builtin_ctz(bits);
		/* A pending SGI from a source, or an interrupt, once is
		 * enough (merge); a physical one is never pending twice. */
		if (!lr_put(flags | LR_PENDING | LR_PRIO |
				    (sgi ? LR_CPUID(b) | w : w * 32 + b),
			    !(flags & LR_EOI)))
			left |= 1u << b;
	}
	if (left)
		queue(arm_this_cpu(), map, words, w, left);
	return left;
}

/* The words of @map that @words notes (flush_word()'s other arguments);
 * inlined: an empty map costs its callers a load. */
static inline __attribute__((always_inline)) bool
flush_map(uint32_t *map, uint32_t *words, uint32_t flags, bool sgi)
{
	uint32_t w = *words ? __atomic_exchange_n(words, 0, __ATOMIC_SEQ_CST) :
			      0;
	bool left = false;

	for (; w; w &= w - 1)
		left |= flush_word(map, words, (unsigned int)__builtin_ctz(w),
				   flags, sgi);
	return left;
}

/* arm_gic_flush() when something is queued (arm_cpu.gic_queued). */
void arm_gic_flush_queued(void)
{
	struct arm_cpu *c = arm_this_cpu();
	struct vgic_cpu *v = &vcpu[c->id];
	bool left;

	if (!__atomic_exchange_n(&c->gic_queued, 0, __ATOMIC_SEQ_CST))
		return;
	left = flush_map(v->sgi_src, &v->sgi_ids, 0, true);
	left |= flush_map(v->hw, &v->hw_words, LR_EOI, false);
	left |= flush_map(v->sw, &v->sw_words, 0, false);
	/* Still waiting: a maintenance interrupt once list registers free. */
	GICH(GICH_HCR) = GICH_HCR_EN | (left ? GICH_HCR_UIE : 0);
}

/* EOI maintenance: the guest ended these physical interrupts. */
static void handle_eoi(void)
{
	uint32_t eisr = GICH(GICH_EISR0), lr;
	unsigned int i;

	for (; eisr; eisr &= eisr - 1) {
		i = (unsigned int)__builtin_ctz(eisr);
		lr = GICH(GICH_LR(i));
		GICH(GICH_LR(i)) = 0;
		GICC(GICC_DIR) = LR_VIRT(lr);
	}
}

/* HYP vector 0x18: physical interrupts while a guest ran. */
void arm_handle_irq(struct trap_frame *f)
{
	struct vgic_cpu *v = &vcpu[arm_this_cpu()->id];
	uint32_t iar, id;

	(void)f;
	arm_check_park();
	for (;;) {
		iar = GICC(GICC_IAR);
		id = iar & 0x3ff;
		if (id >= MAX_IRQS)
			break;
		GICC(GICC_EOIR) = iar;
		/* SGIs and the maintenance interrupt end here, the others
		 * when the guest ends them (handle_eoi). */
		if (id < 16 || id == arm_gic.maintenance_irq)
			GICC(GICC_DIR) = iar;
		if (id == arm_gic.maintenance_irq)
			handle_eoi();
		else if (id >= 16)
			queue(arm_this_cpu(), v->hw, &v->hw_words, id / 32,
			      1u << (id % 32));
		else if (id != SGI_EVENT) /* the event's work is below */
			/* From a root CPU that left at DISABLE (native now):
			 * Linux's IPI, given to this CPU's root as virtual. */
			queue(arm_this_cpu(), v->sgi_src, &v->sgi_ids, id,
			      1u << (iar >> 10 & 7));
	}
	arm_gic_flush();
	arm_check_park();
}

/* A guest's SGIR write, filtered: SGI @id to the CPUs in @targets. */
void arm_gic_send_sgi(uint32_t targets, unsigned int id)
{
	unsigned int cpu, self = arm_this_cpu()->id;

	for (targets &= (1u << ARM_MAX_CPUS) - 1; targets;
	     targets &= targets - 1) {
		cpu = (unsigned int)__builtin_ctz(targets);
		if (arm_native_cpus >> cpu &
		    1) { /* left at DISABLE: real IPI */
			asm volatile("dsb" ::: "memory");
			GICD(GICD_SGIR) = 1u << (16 + cpu) | (id & 0xf);
			continue;
		}
		queue(&arm_cpus[cpu], vcpu[cpu].sgi_src, &vcpu[cpu].sgi_ids,
		      id & 0xf, 1u << self);
		if (cpu != self)
			arm_gic_send_event(cpu);
	}
	/* This CPU's own: flushed when its trap returns. */
}

void hal_inject_irq(unsigned int cpu, unsigned int irq)
{
	if (cpu >= ARM_MAX_CPUS || irq >= MAX_IRQS)
		return;
	queue(&arm_cpus[cpu], vcpu[cpu].sw, &vcpu[cpu].sw_words, irq / 32,
	      1u << (irq % 32));
	if (cpu != hal_cpu_id())
		arm_gic_send_event(cpu);
}

/*
 * Called from hal_config_commit(): an SPI that changed owner is disabled,
 * its pending and active states cleared, and routed to the new owner's
 * first CPU. The first commit (enable) only takes note.
 */
void arm_gic_commit(void)
{
	unsigned int pin, lines = 32 * ((GICD(GICD_TYPER) & 0x1f) + 1);
	volatile uint8_t *targets = (volatile uint8_t *)arm_gic.gicd;
	struct cell *owner;
	uint32_t cpus;
	uint8_t now;

	for (pin = 32; pin < lines && pin < MAX_IRQS; pin++) {
		owner = core_irq_owner(arm_gic.gicd_base, pin);
		now = owner ? (uint8_t)(core_cell_id(owner) + 1) : 0;
		if (routing_known && now != spi_owner[pin]) {
			cpus = owner ? core_cell_cpus(owner).bits & 0xff : 0;
			GICD(GICD_ICENABLER + pin / 32 * 4) = 1u << (pin % 32);
			GICD(GICD_ICPENDR + pin / 32 * 4) = 1u << (pin % 32);
			GICD(GICD_ICACTIVER + pin / 32 * 4) = 1u << (pin % 32);
			targets[GICD_ITARGETSR + pin] =
				cpus ? (uint8_t)(cpus & -cpus) : 1;
		}
		spi_owner[pin] = now;
	}
	routing_known = true;
}

/*
 * Late launch: Linux's CPU interface becomes its virtual one. Before the
 * core's CPU set-up (arm_gic_cpu_init) overwrites the physical one, keep
 * its enable, EOI mode, priority mask and binary point; afterwards carry
 * them into GICH_VMCR. An SGI Linux is handling (on_each_cpu's IPI, its
 * priority already dropped in EOI mode 1) is deactivated: Linux's later
 * write to GICC_DIR reaches GICV and ends nothing. SGIs pending for this
 * CPU become virtual ones from the same sources; pending PPIs and SPIs
 * stay pending and arrive through HYP as any physical interrupt.
 */
static uint32_t linux_vmcr[ARM_MAX_CPUS]; /* as GICH_VMCR holds them */

void arm_gic_linux_save(void)
{
	uint32_t ctlr = GICC(GICC_CTLR);

	linux_vmcr[hal_cpu_id()] = (GICC(GICC_PMR) >> 3) << 27 |
				   (GICC(GICC_BPR) & 7) << 21 | (ctlr & 1) |
				   (ctlr & 1u << 9);
}

void arm_gic_linux_enter(void)
{
	struct vgic_cpu *v = &vcpu[hal_cpu_id()];
	uint32_t pend;
	unsigned int id;

	GICH(GICH_VMCR) = linux_vmcr[hal_cpu_id()];
	GICD(GICD_ICACTIVER) = 0xffffu & ~(1u << SGI_EVENT);
	for (id = 0; id < 16; id++) {
		pend = GICD(GICD_SPENDSGIR + (id & ~3u)) >> (id % 4 * 8) & 0xff;
		if (id == SGI_EVENT || !pend)
			continue;
		GICD(GICD_CPENDSGIR + (id & ~3u)) = pend << (id % 4 * 8);
		queue(arm_this_cpu(), v->sgi_src, &v->sgi_ids, id, pend);
	}
	arm_gic_flush();
}

/*
 * DISABLE on a CPU from Linux: its virtual interface state back into the
 * physical one. Pending virtual SGIs (Linux's IPIs, queued or in list
 * registers: their physical SGIs ended on arrival) become physically
 * pending again from the same sources, so no IPI is lost; other pending
 * virtual interrupts are dropped, their physical ones deactivated: a level
 * interrupt asserts again.
 */
void arm_gic_linux_leave(void)
{
	struct vgic_cpu *v = &vcpu[hal_cpu_id()];
	uint32_t vmcr = GICH(GICH_VMCR), srcs[16], lr;
	unsigned int i, id;

	memcpy(srcs, v->sgi_src, sizeof(srcs));
	for (i = 0; i < num_lrs; i++) {
		lr = GICH(GICH_LR(i));
		if ((lr & LR_PENDING) && LR_VIRT(lr) < 16)
			srcs[LR_VIRT(lr)] |= 1u << (lr >> 10 & 7);
	}
	vgic_reset();
	GICH(GICH_HCR) = 0;
	GICD(GICD_ICENABLER) = 1u << arm_gic.maintenance_irq;
	for (id = 0; id < 16; id++)
		if (id != SGI_EVENT && srcs[id])
			GICD(GICD_SPENDSGIR + (id & ~3u)) = (srcs[id] & 0xff)
							    << (id % 4 * 8);
	GICC(GICC_PMR) = (vmcr >> 27) << 3;
	GICC(GICC_BPR) = (vmcr >> 21) & 7;
	GICC(GICC_CTLR) = (vmcr & 1) | (vmcr & 1u << 9);
	asm volatile("dsb" ::: "memory");
}
