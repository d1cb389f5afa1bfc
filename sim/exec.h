/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Execute mode: the non-root cells' CPUs run real inmate code in Unicorn
 * (x86-64 and ARMv7). Every port access, hypercall and access outside the
 * cell's RAM goes to the unchanged core as a backend would hand it; timers
 * and interrupts come from the models of sim/intc.h.
 */
#ifndef WARDEN_SIM_EXEC_H
#define WARDEN_SIM_EXEC_H

#include <stdbool.h>
#include <stdint.h>

#include <unicorn/unicorn.h>

/* Guest instructions per CPU and millisecond of virtual time. */
#define EXEC_INSN_PER_MS 100000ULL
/* Instructions a CPU runs before the next one gets its turn. */
#define EXEC_SLICE 10000ULL

/* Start/stop execute mode on the current sim machine. */
int exec_init(void);
void exec_free(void);

/*
 * Let @ms milliseconds of virtual time pass: (re)create engines for CPUs
 * the core reset into non-root cells, then run every runnable CPU in
 * deterministic round-robin slices. Returns 0 or -1 on an engine error.
 */
int exec_run(uint64_t ms);

/*
 * Progress of long runs: exec_run() calls @fn(ms done, ms in total) after
 * every 100 ms of virtual time (NULL: no calls). Does not change the run.
 */
void exec_set_progress(void (*fn)(uint64_t done_ms, uint64_t total_ms));

/* Console output of the cells' UARTs, one "[CELL] " prefix per line. */
const char *exec_uart(void);
/* The UARTs' bytes, NULs included (sim_text_find, sim_text_write). */
const struct sim_text *exec_uart_text(void);

/* Guest instructions executed so far (all CPUs). */
uint64_t exec_instructions(void);
/* The instructions CPU @cpu ran (idle time not counted; no code hook, so
 * no flush of the translated blocks, which costs Unicorn a 1 GiB memset). */
uint64_t exec_cpu_executed(unsigned int cpu);

/* The engine error that made exec_run() fail, or "". */
const char *exec_error(void);

/* The Unicorn engine of @cpu, or NULL if the CPU has none (yet). */
uc_engine *exec_engine(unsigned int cpu);

/*
 * Whether @addr is device space in @cpu's engine (mapped with uc_mmio_map:
 * an access there, even uc_mem_read, reaches the core or a device model).
 */
bool exec_is_device(unsigned int cpu, uint64_t addr);

typedef void (*exec_code_fn)(void *uc, uint64_t addr, uint32_t size, void *arg);
/*
 * Call @fn before every instruction @cpu executes (UC_HOOK_CODE), on its
 * current engine and on every engine created for it later. At most
 * EXEC_MAX_HOOKS per CPU. Returns 0, or -1 (bad CPU, table full, engine
 * error).
 */
#define EXEC_MAX_HOOKS 4
int exec_add_code_hook(unsigned int cpu, exec_code_fn fn, void *arg);

/*
 * Test only: leave the entry @name of the handover reset list out when
 * engines start (arch-armv7/handover.h, "VFP" for d0-d31;
 * arch-x86/handover.h, "ST" for ST0-ST7, "XMM" for XMM/YMM0-15, "ISR",
 * "IRR", "TMR", "APIC_BASE"), to show that the handover test sees what
 * the list forgets. NULL or "": the whole list.
 */
void exec_handover_skip(const char *name);

#endif /* !WARDEN_SIM_EXEC_H */
