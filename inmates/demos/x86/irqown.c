/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * irqown (x86): the cell owns IOAPIC pin 8, the CMOS RTC's interrupt (ISA
 * IRQ 8, pin 8 on QEMU's q35 and on Bochs), and the RTC's ports 0x70/0x71.
 * Roles, chosen by the select parameter:
 *
 * 1 "owner": programs its pin (fixed, vector 0x40, physical destination
 *   its own APIC id, edge, unmasked) and the RTC's periodic interrupt
 *   (1024 Hz), and counts the interrupts its handler takes: they come
 *   straight through its IDT (the root cell's manager reads the CPU's exit
 *   counters over the run: each interrupt costs its EOI's exit, nothing
 *   for the delivery). It reads its own entry back and a foreign pin as
 *   masked. Then it leaves everything dirty and idles: the pin unmasked
 *   and firing, the RTC running, vector 0x40 in service (the last handler
 *   never returns, so no EOI), TPR 0x50, the LAPIC timer running at 1 ms
 *   (its vector pending behind them). The root destroys it.
 * 2 "next owner": the next cell on the same CPU finds its pin reset by the
 *   hypervisor (masked, vector and destination 0), the LAPIC as after
 *   handover (TPR 0, read through the xAPIC page before the library
 *   writes it; nothing in service or requested, the timer stopped and its
 *   LVT masked), and counts 10 ticks of its own LAPIC timer.
 * 3-9: one refused attempt each, which fails the cell: a pin it does not
 *   own (4, the root's: irq_foreign), its pin to a CPU of another cell
 *   (APIC id 0: cpu_foreign), NMI, INIT, ExtINT and SMI delivery
 *   (ioapic_delivery), vector 0x10 (ioapic_vector).
 */
#include <inmate.h>

INMATE_NAME("irqown");

#define IOAPIC 0xfec00000
#define IOREGSEL 0x00
#define IOWIN 0x10
#define REDIR(pin) (0x10 + 2 * (pin))
#define PIN 8	  /* the RTC's */
#define FOREIGN 4 /* COM1's, the root's */
#define VECTOR 0x40
#define MASKED 0x10000u

#define RTC_INDEX 0x70
#define RTC_DATA 0x71
#define RTC_A 0x0a
#define RTC_B 0x0b
#define RTC_C 0x0c
#define RTC_B_PIE 0x40
#define RTC_RATE_1024HZ 0x26 /* divider 32.768 kHz, rate 6 */

#define XAPIC_TPR 0xfee00080
#define MSR_X2APIC_ISR 0x810
#define MSR_X2APIC_IRR 0x820

#define WANT_TICKS 100

static volatile uint32_t ticks, timer_ticks;
static volatile bool leave_dirty;

static void timer_tick(unsigned int irq)
{
	(void)irq;
	timer_ticks++;
}

static uint32_t ioapic_read(unsigned int reg)
{
	mmio_write32(IOAPIC + IOREGSEL, reg);
	return mmio_read32(IOAPIC + IOWIN);
}

static void ioapic_write(unsigned int reg, uint32_t val)
{
	mmio_write32(IOAPIC + IOREGSEL, reg);
	mmio_write32(IOAPIC + IOWIN, val);
}

/* Program pin @pin: high half first (the destination), then the low. */
static void pin_program(unsigned int pin, uint32_t low, uint32_t dest)
{
	ioapic_write(REDIR(pin) + 1, dest << 24);
	ioapic_write(REDIR(pin), low);
}

static uint8_t rtc_read(uint8_t reg)
{
	outb(RTC_INDEX, reg);
	return inb(RTC_DATA);
}

static void rtc_write(uint8_t reg, uint8_t val)
{
	outb(RTC_INDEX, reg);
	outb(RTC_DATA, val);
}

static void rtc_periodic(bool on)
{
	rtc_write(RTC_A, RTC_RATE_1024HZ);
	rtc_write(RTC_B, (rtc_read(RTC_B) & ~RTC_B_PIE) | (on ? RTC_B_PIE : 0));
	rtc_read(RTC_C); /* flags cleared: the next period interrupts */
}

static void rtc_tick(unsigned int irq)
{
	(void)irq;
	rtc_read(RTC_C);
	ticks++;
	if (!leave_dirty)
		return;
	/* The worst state to leave: this vector in service for good (no
	 * return, no EOI), TPR above it, the LAPIC timer running behind. */
	wrmsr(MSR_X2APIC_TPR, 0x50);
	timer_start(1000000, timer_tick);
	inmate_idle();
}

static void owner(void)
{
	uint32_t low, high, foreign;
	uint64_t deadline;

	apic_init();
	irq_set_handler(VECTOR, rtc_tick);
	pin_program(PIN, VECTOR, (uint32_t)cpu_hw_id());
	low = ioapic_read(REDIR(PIN));
	high = ioapic_read(REDIR(PIN) + 1);
	check("irqown.own-entry", low == VECTOR && high >> 24 == cpu_hw_id(),
	      "pin %u reads 0x%x 0x%x", PIN, (unsigned int)high,
	      (unsigned int)low);
	foreign = ioapic_read(REDIR(FOREIGN));
	check("irqown.foreign-entry",
	      foreign == MASKED && !ioapic_read(REDIR(FOREIGN) + 1),
	      "pin %u reads 0x%x", FOREIGN, (unsigned int)foreign);

	rtc_periodic(true);
	deadline = time_ns() + 3 * NS_PER_SEC;
	irq_on();
	while (ticks < WANT_TICKS && time_ns() < deadline)
		cpu_relax();
	irq_off();
	check("irqown.pin-ticks", ticks >= WANT_TICKS,
	      "%u of %u interrupts on vector 0x%x", (unsigned int)ticks,
	      WANT_TICKS, VECTOR);
	test_verdict();
	/* Dirty: the next interrupt's handler stays. */
	leave_dirty = true;
	irq_on();
	for (;;)
		cpu_relax();
}

static void next_owner(void)
{
	uint32_t low, high, isr = 0, irr = 0;
	uint64_t tpr, lvt, tmict, deadline;
	unsigned int i;

	low = ioapic_read(REDIR(PIN));
	high = ioapic_read(REDIR(PIN) + 1);
	check("irqown.inherited-pin", low == MASKED && !high,
	      "pin %u reads 0x%x 0x%x", PIN, (unsigned int)high,
	      (unsigned int)low);
	/* TPR through the xAPIC page (handover: xAPIC mode), before
	 * apic_init() writes it. */
	tpr = mmio_read32(XAPIC_TPR);
	apic_init(); /* x2APIC mode, SIVR, TPR */
	for (i = 0; i < 8; i++) {
		isr |= (uint32_t)rdmsr(MSR_X2APIC_ISR + i);
		irr |= (uint32_t)rdmsr(MSR_X2APIC_IRR + i);
	}
	lvt = rdmsr(MSR_X2APIC_LVT_TIMER);
	tmict = rdmsr(MSR_X2APIC_TMICT);
	check("irqown.inherited-apic",
	      !isr && !irr && (lvt & APIC_LVT_MASKED) && !tmict,
	      "ISR 0x%x, IRR 0x%x, LVT timer 0x%llx, TMICT %llu (TPR was "
	      "0x%llx)",
	      (unsigned int)isr, (unsigned int)irr, (unsigned long long)lvt,
	      (unsigned long long)tmict, (unsigned long long)tpr);
	timer_start(1000000, timer_tick);
	deadline = time_ns() + 2 * NS_PER_SEC;
	irq_on();
	while (timer_ticks <= 10 && time_ns() < deadline)
		cpu_relax();
	irq_off();
	timer_stop();
	check("irqown.next-owner-ticks", timer_ticks > 10, "%u of 10 intervals",
	      timer_ticks ? timer_ticks - 1 : 0);
	test_verdict();
}

/* A refused attempt: the hypervisor stops the cell at the write. */
static void attempt(unsigned int select)
{
	static const struct {
		const char *what;
		unsigned int pin;
		uint32_t low, dest;
	} a[] = {
		{ "a foreign pin", FOREIGN, VECTOR, 0 },
		{ "a foreign CPU", PIN, VECTOR, 0 },
		{ "NMI delivery", PIN, 0x400 | VECTOR, 2 },
		{ "INIT delivery", PIN, 0x500, 2 },
		{ "ExtINT delivery", PIN, 0x700, 2 },
		{ "SMI delivery", PIN, 0x200, 2 },
		{ "vector 0x10", PIN, 0x10, 2 },
	};
	unsigned int i = select - 3;

	printf("irqown: %s on pin %u\n", a[i].what, a[i].pin);
	pin_program(a[i].pin, a[i].low,
		    a[i].dest == 2 ? (uint32_t)cpu_hw_id() : a[i].dest);
	check("irqown.refused", false, "%s not refused", a[i].what);
	test_verdict();
}

void inmate_main(void)
{
	unsigned int select = inmate_params.select;

	if (select == 1)
		owner();
	else if (select == 2)
		next_owner();
	else if (select >= 3 && select <= 9)
		attempt(select);
	else
		printf("irqown: select 1-9 (got %u)\n", select);
}
