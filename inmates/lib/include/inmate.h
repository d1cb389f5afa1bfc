/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The inmate library: what a bare-metal program in a warden cell can use.
 * The arch-independent API is here; inmate_arch.h (lib/x86 or lib/arm) adds
 * the architecture's inline helpers. See docs/inmates.md.
 *
 * An inmate defines inmate_main(). The library's start-up code runs it on
 * the cell's first CPU with a stack, zeroed BSS, exception and interrupt
 * vectors, the comm region checked and the console set up. When it returns,
 * the CPU idles and answers shutdown requests (inmate_idle()).
 */
#ifndef INMATE_H
#define INMATE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <warden/hypercall.h>

#include "inmate_params.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
#define NS_PER_SEC 1000000000ULL

/* Provided by the inmate. */
void inmate_main(void);
extern const char inmate_name[]; /* INMATE_NAME("tiny") in the inmate */
#define INMATE_NAME(n) const char inmate_name[] = n

/* Parameters (the struct at INMATE_PARAMS_OFFSET in the image). */
extern struct inmate_params inmate_params;

#include "inmate_arch.h"

/* --- Comm region ------------------------------------------------------ */

/* The cell's comm region (validated at start-up). */
struct wd_comm_region *comm_region(void);
/* Poll for a message from the hypervisor and answer it: a shutdown request
 * is passed to the handler (default: approve), anything else is answered
 * WD_MSG_RECEIVED/UNKNOWN. Returns the message handled (WD_MSG_NONE if
 * none). Call it regularly: the hypervisor does not interrupt the cell. */
uint32_t comm_poll(void);
/* Decide on a shutdown request: return WD_MSG_REQUEST_APPROVED or
 * WD_MSG_REQUEST_DENIED, or WD_MSG_NONE to leave it unanswered. */
typedef uint32_t (*shutdown_handler_t)(void);
void comm_set_shutdown_handler(shutdown_handler_t handler);
/* Reply to the current message (clears msg_to_cell first, as Jailhouse). */
void comm_reply(uint32_t reply);
/* Report the cell's state: WD_CELL_RUNNING or WD_CELL_RUNNING_LOCKED. */
void comm_set_state(uint32_t state);
/* Idle forever on this CPU, answering messages (never returns). */
void __attribute__((noreturn)) inmate_idle(void);
/* Stop this CPU for good: interrupts off, halt loop (never returns). */
void __attribute__((noreturn)) inmate_halt(void);

/* --- Hypercalls ------------------------------------------------------- */

/* Raw hypercall: code, arg1, arg2; result >= 0 or -WD_E*. */
long hypercall(unsigned long code, unsigned long arg1, unsigned long arg2);
long hc_debug_putc(char c);
long hc_cell_get_state(uint32_t cell_id);
long hc_cpu_get_info(uint32_t cpu, uint32_t type);
long hc_hypervisor_get_info(uint32_t type);

/* --- Console ---------------------------------------------------------- */

/* Every character goes to the log ring in RAM, the UART if any, and the
 * debug console hypercall if enabled (see docs/inmates.md, "Console"). */
void console_putc(char c);
void console_puts(const char *s);
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* --- Test framework (line format: docs/inmates.md) -------------------- */

/* "[run] NAME": announce a check that may not return (the cell may be
 * stopped by the hypervisor while trying it). */
void check_run(const char *name);
/* "[check] NAME: pass|fail[ (DETAIL)]"; detail may be NULL. Returns ok. */
bool check(const char *name, bool ok, const char *detail_fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Compare two values: fail detail "got 0x.., want 0x..". */
bool check_eq(const char *name, uint64_t got, uint64_t want);
/* "[check] NAME: skip (WHY)": not counted. */
void check_skip(const char *name, const char *why);
/* "[value] NAME: N UNIT": a measurement, never pass/fail. */
void report_value(const char *name, int64_t value, const char *unit);
/* "[verdict] pass|fail PASSED/TOTAL"; returns true on pass. */
bool test_verdict(void);

/* --- Time ------------------------------------------------------------- */

uint64_t time_ns(void); /* monotonic, since an arbitrary point */
void delay_us(uint64_t us);

/* --- Interrupts ------------------------------------------------------- */

/* Handler of one interrupt (x86: vector 32..255, ARM: GIC interrupt id),
 * called in interrupt context with the interrupt acknowledged; the library
 * signals end of interrupt after it returns. */
typedef void (*irq_handler_t)(unsigned int irq);
void irq_set_handler(unsigned int irq, irq_handler_t handler);
/* ARM: enable the interrupt id in the GIC for this CPU. x86: nothing (the
 * device's MSI or the LAPIC LVT selects the vector). */
void irq_enable(unsigned int irq);

/* Periodic timer on this CPU: handler called every period_ns. Returns the
 * interrupt (vector or id) used. */
unsigned int timer_start(uint64_t period_ns, irq_handler_t handler);
void timer_stop(void);
uint64_t timer_ticks_to_ns(uint64_t ticks); /* clock ticks (tsc, cntvct) */

/* --- CPUs ------------------------------------------------------------- */

/* Index of the calling CPU in this cell: 0 for the boot CPU. */
unsigned int cpu_index(void);
/* Hardware id of the calling CPU (x86 APIC id, ARM MPIDR affinity). */
uint64_t cpu_hw_id(void);
/* Start the cell's CPU with hardware id hw_id (x86 INIT/SIPI, ARM PSCI
 * CPU_ON) and wait up to 100 ms until it runs entry(idx) on its own stack
 * with its vectors set up. Returns its index idx (CPUs get 1, 2, ... in the
 * order they are started), -1 on timeout, or another negative code (ARM:
 * the PSCI error minus 1000). Start CPUs one at a time. When entry returns,
 * the CPU stops: x86 halts, ARM gives it back with PSCI CPU_OFF. */
typedef void (*cpu_entry_t)(unsigned int idx);
int cpu_start(uint64_t hw_id, cpu_entry_t entry);
/* For cpu_start(): wait up to 100 ms until a CPU started while cpus_up was
 * @up counts itself in. */
bool cpu_wait_started(uint32_t up);

/* --- PCI (ECAM window from the comm region) --------------------------- */

bool pci_available(void);
uint32_t pci_read(uint16_t bdf, unsigned int reg, unsigned int size);
void pci_write(uint16_t bdf, unsigned int reg, uint32_t value,
	       unsigned int size);
/* Find a device by vendor/device id on bus 0, from bdf start; -1 if none. */
int pci_find(uint16_t vendor, uint16_t device, uint16_t start);
/* Offset of capability id in the function's list, 0 if none. */
unsigned int pci_find_cap(uint16_t bdf, uint8_t id);

/* --- Memory-mapped I/O ------------------------------------------------ */

static inline uint8_t mmio_read8(uintptr_t a)
{
	return *(volatile uint8_t *)a;
}

static inline uint16_t mmio_read16(uintptr_t a)
{
	return *(volatile uint16_t *)a;
}

static inline uint32_t mmio_read32(uintptr_t a)
{
	return *(volatile uint32_t *)a;
}

static inline uint64_t mmio_read64(uintptr_t a)
{
	return *(volatile uint64_t *)a;
}

static inline void mmio_write8(uintptr_t a, uint8_t v)
{
	*(volatile uint8_t *)a = v;
}

static inline void mmio_write16(uintptr_t a, uint16_t v)
{
	*(volatile uint16_t *)a = v;
}

static inline void mmio_write32(uintptr_t a, uint32_t v)
{
	*(volatile uint32_t *)a = v;
}

static inline void mmio_write64(uintptr_t a, uint64_t v)
{
	*(volatile uint64_t *)a = v;
}

/* --- Small libc ------------------------------------------------------- */

void *memset(void *s, int c, size_t n);
void *memcpy(void *d, const void *s, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);

/* --- Library internals shared between the common and arch parts ------- */

void inmate_start(void); /* boot CPU, from the arch entry */
void console_init(void);
int comm_init(void);
void arch_init(void);		     /* boot CPU: vectors, hypercalls */
void arch_cpu_init(void);	     /* every CPU: per-CPU interrupt set-up */
void irq_dispatch(unsigned int irq); /* from the arch interrupt entry */
void uart_init(uint32_t type, uint64_t base, uint32_t flags, uint32_t divider);
void uart_putc(char c);
bool uart_present(void);

#endif /* !INMATE_H */
