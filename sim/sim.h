/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulator backend: the HAL implemented on host memory so the
 * unchanged core runs inside a host process. This header is the sim's own
 * API for the replayer, the CLI and the tests; the core never sees it.
 *
 * Physical memory of the simulated machine is one host mapping covering
 * [ram_base, ram_base + ram_size); everything else is device space, whose
 * accesses go to the device hook. CPUs are plain objects: "running on CPU
 * n" means sim_set_cpu(n) was called before entering the core.
 */
#ifndef WARDEN_SIM_H
#define WARDEN_SIM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "../hal/types.h"

struct sim_cpu {
	bool parked;
	bool suspended;
	bool virtualized;     /* hal_cpu_init done, hal_cpu_exit not yet */
	unsigned int resets;  /* hal_cpu_reset calls */
	uint64_t reset_entry; /* last reset address */
	bool boot_cpu;	      /* last reset let it run (not wait for a start) */
	unsigned int pending_irqs; /* hal_inject_irq count */
	unsigned int last_irq;
	/* Test hook: answers no park or suspend request (hal_cpu_park() and
	 * hal_cpu_suspend() fail), like a CPU no event reaches. */
	bool deaf;
};

/* One stage-2 mapping as the core asked for it (tracked for inspection). */
struct sim_mapping {
	uint64_t gpa, hpa, size, flags;
};

/*
 * Growing console output: the hypervisor console's, the cells' UARTs'.
 * Bytes with a length: a NUL a cell writes is one byte like any other and
 * hides nothing after it (readers use sim_text_find / sim_text_write). A
 * NUL follows the last byte, so sim_text() also reads as a C string, up
 * to the first NUL.
 */
struct sim_text {
	char *buf;
	size_t len, cap;
};

void sim_text_putc(struct sim_text *t, char c);
/* Its bytes so far ("" before the first one; see sim_text.len). */
static inline const char *sim_text(const struct sim_text *t)
{
	return t->buf ? t->buf : "";
}
/* Where @want first occurs in all of @t's bytes, or NULL. */
const char *sim_text_find(const struct sim_text *t, const char *want);
/* Write all of @t's bytes to @f; a newline after them if the last is not. */
void sim_text_write(const struct sim_text *t, FILE *f);

/* The value of hex digit @c (either case), or -1. */
static inline int sim_hex_digit(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Create the machine: RAM window, CPU count; resets all sim state. */
int sim_machine_init(uint64_t ram_base, uint64_t ram_size,
		     unsigned int num_cpus);
/* Release the machine (RAM mapping, mapping tables, console buffer). */
void sim_machine_free(void);

/* Host pointer for physical [addr, addr+len) of RAM, or NULL if outside. */
void *sim_phys_ptr(uint64_t addr, uint64_t len);

/* Make @cpu the CPU that executes the next core entry. */
void sim_set_cpu(unsigned int cpu);
unsigned int sim_num_cpus(void);
struct sim_cpu *sim_cpu(unsigned int cpu);

/*
 * Enable the hypervisor with the system config at @cfg: hands the config's
 * hypervisor_memory (which must lie in RAM) to core_init() and runs
 * core_cpu_entry() on every CPU of the root cell. Returns core's result.
 */
int sim_enable(const void *cfg, uint64_t size);
/*
 * The same; @standalone: as a standalone boot, where only CPU 0 runs the
 * root cell and its other CPUs join it parked (core_cpu_entry_parked()).
 */
int sim_enable_boot(const void *cfg, uint64_t size, bool standalone);

/* Is @gpa..+len mapped in @cell? Fills the mapping containing @gpa. */
bool sim_lookup(const struct cell *cell, uint64_t gpa, struct sim_mapping *m);
/* Number of mappings of @cell and the i-th one (sorted by gpa). */
unsigned int sim_num_mappings(const struct cell *cell);
const struct sim_mapping *sim_mapping(const struct cell *cell, unsigned int i);

/*
 * Device space: hal_phys_access() calls this hook (default: reads 0).
 * Forwarded accesses to addresses inside RAM go to RAM instead.
 */
typedef void (*sim_device_fn)(void *arg, uint64_t addr,
			      struct mmio_access *acc);
void sim_set_device_hook(sim_device_fn fn, void *arg);

/*
 * The x86 machine's IOAPICs (sim/ioapic.c): hal_phys_access() of an
 * irqchip page of an x86 system config reaches them before the device
 * hook. Reset with the machine; an entry of the chip at @base (tests).
 */
void sim_ioapic_reset(void);
bool sim_ioapic_access(uint64_t addr, struct mmio_access *acc);
uint64_t sim_ioapic_entry(uint64_t base, unsigned int pin);
/* A device raises @pin: delivered as its entry says (fixed, physical),
 * unless masked; a level-triggered one sets remote IRR until its EOI. */
void sim_ioapic_raise(uint64_t base, unsigned int pin);

/* Ports: hal_pio_access() calls this hook (default: nothing happens). */
typedef void (*sim_pio_fn)(void *arg, struct pio_access *acc);
void sim_set_pio_hook(sim_pio_fn fn, void *arg);

/* hal_cpu_relax() calls this hook, then advances virtual time by 1 ms. */
typedef void (*sim_relax_fn)(void *arg);
void sim_set_relax_hook(sim_relax_fn fn, void *arg);
uint64_t sim_time_ns(void);
/* Let @ns of virtual time pass (the executor, as the cells run). */
void sim_advance_time(uint64_t ns);

/* hal_inject_irq() also calls this hook (the executor delivers it). */
typedef void (*sim_irq_fn)(void *arg, unsigned int cpu, unsigned int irq);
void sim_set_irq_hook(sim_irq_fn fn, void *arg);

/*
 * Clock of the simulated timers (TSC, APIC timer, ARM generic timer), as
 * the comm region reports it: 100 MHz, one tick per guest instruction at
 * the executor's speed (EXEC_INSN_PER_MS).
 */
#define SIM_CLOCK_KHZ 100000U

/* Hypervisor console: everything hal_console_putc() printed so far. */
const char *sim_console(void);
/* The console's bytes, NULs included (sim_text_find, sim_text_write). */
const struct sim_text *sim_console_text(void);
void sim_console_clear(void);

/* hal_machine_stop() was called. */
bool sim_machine_stopped(void);

/* Number of hal_config_commit() calls (each management op commits). */
unsigned int sim_commits(void);

/*
 * Stage-2 mappings left in the backend state @arch (a cell's arch pointer
 * while it existed), or -1 once hal_cell_destroy() has freed it.
 */
int sim_cell_state_mappings(const void *arch);

/*
 * PCI ownership as hal_device_assign/release left it: the owning cell's
 * id, -1 for none; how many calls of either; and a failure to inject:
 * the next hal_device_assign() of @bdf returns @err (negative; 0: none).
 */
int sim_device_owner(uint16_t bdf);
unsigned int sim_device_calls(bool assign);
void sim_device_fail(uint16_t bdf, int err);

#endif /* !WARDEN_SIM_H */
