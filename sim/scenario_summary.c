// SPDX-License-Identifier: GPL-2.0
/*
 * A scenario run's summary (warden-sim run -v) and the reader of a cell's
 * log ring, which the summary and the log directives share.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/cell_config.h>

#include "../core/trace.h"
#include "../hal/observe.h"
#include "../hal/hal.h"
#include "directive.h"
#include "exec.h"
#include "scenario_int.h"
#include "sim.h"
#include "verdict.h"

char *scn_read_log(struct cell *cell)
{
	uint8_t params[0xe0];
	uint64_t addr;
	uint32_t size, len, i;
	char *log;

	if (!cell ||
	    hal_copy_from_guest(cell, gpa(0x1000), params, sizeof(params)))
		return NULL;
	memcpy(&addr, params + 0xd0, 8);
	memcpy(&size, params + 0xd8, 4);
	memcpy(&len, params + 0xdc, 4);
	if (!size || size > 0x100000)
		return NULL;
	log = calloc(1, (size_t)size + 1);
	if (!log)
		return NULL;
	if (len > size) { /* wrapped: oldest byte first */
		for (i = 0; i < size; i++)
			if (hal_copy_from_guest(cell,
						gpa(addr + (len + i) % size),
						log + i, 1))
				break;
	} else if (len) {
		hal_copy_from_guest(cell, gpa(addr), log, len);
	}
	return log;
}

/*
 * -v: the summary at the end of a run. Cells are noted after every line
 * (a destroyed cell is gone from the core, and a later cell may get its
 * id); traps come from the per-CPU statistics (WD_CPU_STAT_*), which
 * start at zero for each new owner of a CPU: what they counted is added
 * up here after every line, so the table counts the whole run.
 */
#define MAX_SEEN (4 * WD_MAX_CELLS)

static struct {
	bool gone;
	unsigned int id;
	char name[WD_CELL_NAME_MAXLEN + 1];
	char cpus[64];
	unsigned int state;
	uint32_t reason;
	uint64_t item;
	char run[80]; /* last "[run] ..." line of its log ring */
} seen[MAX_SEEN];
static unsigned int num_seen;

static uint64_t stat_sum[WD_MAX_CPUS][WD_CPU_STATS];
static uint64_t stat_last[WD_MAX_CPUS][WD_CPU_STATS];

void scn_summary_reset(void)
{
	num_seen = 0;
	memset(stat_sum, 0, sizeof(stat_sum));
	memset(stat_last, 0, sizeof(stat_last));
}

/* Add what each counter counted since the last look (or since reset). */
static void stats_take(void)
{
	unsigned int cpu, k;
	uint64_t v;

	for (cpu = 0; cpu < sim_num_cpus() && cpu < WD_MAX_CPUS; cpu++)
		for (k = 0; k < WD_CPU_STATS; k++) {
			v = core_cpu_stat(cpu, k);
			stat_sum[cpu][k] += v >= stat_last[cpu][k] ?
						    v - stat_last[cpu][k] :
						    v;
			stat_last[cpu][k] = v;
		}
}

void scn_summary_note(void)
{
	unsigned int cpu, i, c, st;
	struct cell *cell;
	struct cpu_set cpus;
	char *log, *r, *nl;

	stats_take();
	for (i = 0; i < num_seen; i++) {
		cell = core_cell_by_id(seen[i].id);
		if (!cell || strcmp(core_cell_config(cell)->name, seen[i].name))
			seen[i].gone = true;
	}
	for (cpu = 0; cpu < sim_num_cpus(); cpu++) {
		cell = core_cpu_cell(cpu);
		if (!cell || !core_cell_id(cell) || !core_cell_config(cell) ||
		    !core_cell_comm(cell))
			continue;
		for (i = 0; i < num_seen &&
			    (seen[i].gone || seen[i].id != core_cell_id(cell));
		     i++)
			;
		if (i == num_seen && num_seen == MAX_SEEN)
			continue;
		if (i == num_seen)
			memset(&seen[num_seen++], 0, sizeof(seen[0]));
		seen[i].id = core_cell_id(cell);
		snprintf(seen[i].name, sizeof(seen[i].name), "%s",
			 core_cell_config(cell)->name);
		seen[i].cpus[0] = '\0';
		cpus = core_cell_cpus(cell);
		for (c = 0; c < sim_num_cpus(); c++)
			if (cpu_set_has(&cpus, c))
				snprintf(seen[i].cpus + strlen(seen[i].cpus),
					 sizeof(seen[i].cpus) -
						 strlen(seen[i].cpus),
					 "%s%u", seen[i].cpus[0] ? "," : "", c);
		st = core_cell_comm(cell)->cell_state;
		seen[i].state = st;
		seen[i].reason = core_cell_fail_reason(cell);
		seen[i].item = core_cell_fail_item(cell);
		log = scn_read_log(cell);
		for (r = log; r && strstr(r, "[run] ");
		     r = strstr(r, "[run] ") + 1)
			snprintf(seen[i].run, sizeof(seen[i].run), "%s",
				 strstr(r, "[run] "));
		if ((nl = strchr(seen[i].run, '\n')))
			*nl = '\0';
		free(log);
	}
}

/* Print the lines of @text that contain "[verdict]". */
static void print_verdicts(const struct sim_text *t)
{
	static const char tag[] = "[verdict]";
	const char *text = sim_text(t), *end = text + t->len, *v, *e;
	size_t i;

	for (i = 0; i + sizeof(tag) - 1 <= t->len; i++) {
		if (memcmp(text + i, tag, sizeof(tag) - 1))
			continue;
		for (v = text + i; v > text && v[-1] != '\n'; v--)
			;
		for (e = text + i; e < end && *e != '\n'; e++)
			;
		printf("  ");
		fwrite(v, 1, (size_t)(e - v), stdout);
		printf("\n");
		i = (size_t)(e - text);
	}
}

void scn_summary_print(int ret)
{
	static const char *const kinds[WD_CPU_STATS] = {
		"total", "mmio",    "management", "hypercall", "pio",
		"pci",	 "irqchip", "platform",	  "denied",
	};
	static const unsigned int order[] = { 1, 5, 3, 2, 4, 6, 7, 0, 8 };
	unsigned int i, k, cpu, n = sim_num_cpus();
	char line[512];
	uint64_t sum;
	bool gone;

	printf("--- hypervisor console\n");
	sim_text_write(sim_console_text(), stdout);
	printf("--- cell UARTs\n");
	sim_text_write(exec_uart_text(), stdout);
	verdict_line(ret, line, sizeof(line));
	printf("=== summary: %s\n", line);
	printf("%-12s %-3s %-6s %-15s %-10s %s\n", "cell", "id", "CPUs",
	       "last state", "at end", "fail reason");
	for (i = 0; i < num_seen; i++) {
		gone = seen[i].gone || !core_cell_by_id(seen[i].id);
		printf("%-12s %-3u %-6s %-15s %-10s %s", seen[i].name,
		       seen[i].id, seen[i].cpus, dir_state_name(seen[i].state),
		       gone ? "destroyed" : "exists",
		       seen[i].reason ? wd_reason_name(seen[i].reason) : "-");
		if (seen[i].reason)
			printf(" item=0x%" PRIx64, seen[i].item);
		printf("\n");
	}
	stats_take();
	printf("%-12s", "traps");
	for (cpu = 0; cpu < n; cpu++)
		printf(" %7s%u", "cpu", cpu);
	printf(" %8s\n", "all");
	for (k = 0; k < sizeof(order) / sizeof(order[0]); k++) {
		sum = 0;
		printf("%-12s", kinds[order[k]]);
		for (cpu = 0; cpu < n; cpu++) {
			uint64_t v =
				cpu < WD_MAX_CPUS ? stat_sum[cpu][order[k]] : 0;

			printf(" %8" PRIu64, v);
			sum += v;
		}
		printf(" %8" PRIu64 "\n", sum);
	}
	printf("guest instructions executed: %" PRIu64 "\n",
	       exec_instructions());
	printf("verdicts and last [run] lines:\n");
	print_verdicts(sim_console_text());
	print_verdicts(exec_uart_text());
	for (i = 0; i < num_seen; i++)
		if (seen[i].run[0])
			printf("  [%s] (log) %s\n", seen[i].name, seen[i].run);
}
