/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The root-cell manager: a bare-metal root cell for standalone boots. It
 * does what the root cell's Linux driver and tools do (docs/sim.md gives
 * the same steps as a scenario): asks the hypervisor about itself, touches
 * the trapped interrupt controller, creates the cell whose config the
 * loader preloaded at BOOT_CELL_CONFIG, loads its image from
 * BOOT_CELL_IMAGE, starts it, looks at it, destroys it, disables the
 * hypervisor, prints a verdict and powers the machine off.
 * This is the arch-neutral part, the same on ARMv7 and x86 (manager.h
 * lists what each arch part provides: start-up, time, console, the
 * interrupt controller's checks, starting a spare CPU, the bench, power
 * off). Built with the inmate library's console, printf, checks and
 * hypercalls.
 */
#include "manager.h"

INMATE_NAME("manager");

void wait_ms(unsigned int ms)
{
	uint64_t end = mgr_now_ns() + ms * 1000000ULL;

	while (mgr_now_ns() < end)
		cpu_relax();
}

/*
 * A second root CPU: it counts while the hypervisor suspends and resumes
 * it around management calls, and leaves the hypervisor itself at DISABLE
 * (every running root CPU must).
 */
volatile uint32_t spare_count, spare_stop, spare_context;
volatile long spare_disable = 1;

void manager_secondary(uint32_t context)
{
	spare_context = context;
	while (!spare_stop)
		spare_count++;
	spare_disable = hypercall(WD_HC_DISABLE, 0, 0);
	inmate_halt();
}

void wait_for(volatile uint32_t *v, uint32_t old, unsigned int ms)
{
	uint64_t end = mgr_now_ns() + ms * 1000000ULL;

	while (*v == old && mgr_now_ns() < end)
		cpu_relax();
}

static bool cell_present(const struct wd_cell_desc *cfg)
{
	return !memcmp(cfg->signature, "JHCLL", 5);
}

static bool cell_has_cpu(const struct wd_cell_desc *cfg, unsigned int cpu)
{
	const uint8_t *set = wd_cell_cpu_set(cfg);

	return cpu < cfg->cpu_set_size * 8u && (set[cpu / 8] >> (cpu % 8) & 1);
}

/* The root cell's CPU set, from the system config warden booted with. */
static const struct wd_cell_desc *root_cell(void)
{
	const struct wd_system *sys = (const void *)BOOT_SYSTEM_CONFIG;

	return memcmp(sys->signature, "JHSYS", 5) ? NULL : &sys->root_cell;
}

/*
 * A root CPU other than this one (the boot CPU) that the cells at BOOT_CELL_CONFIG and BOOT_CELL2_CONFIG do
 * not take; 0 if there is none (e.g. two CPUs, one for the cell).
 */
static unsigned int spare_cpu(void)
{
	const struct wd_cell_desc *root = root_cell();
	const struct wd_cell_desc *cell = (const void *)BOOT_CELL_CONFIG;
	const struct wd_cell_desc *cell2 = (const void *)BOOT_CELL2_CONFIG;
	unsigned int cpu, self = mgr_self_cpu();

	if (!root)
		return 0;
	for (cpu = 0; cpu < root->cpu_set_size * 8u; cpu++)
		if (cpu != self && cell_has_cpu(root, cpu) &&
		    !(cell_present(cell) && cell_has_cpu(cell, cpu)) &&
		    !(cell_present(cell2) && cell_has_cpu(cell2, cpu)))
			return cpu;
	return 0;
}

/* The CPUs of the root cell, for the log. */
static void print_cpus(void)
{
	const struct wd_cell_desc *root = root_cell();
	unsigned int cpu, n = 0;

	if (!root)
		return;
	printf("[manager] root cell CPUs (system config):");
	for (cpu = 0; cpu < root->cpu_set_size * 8u; cpu++)
		if (cell_has_cpu(root, cpu)) {
			printf(" %u", cpu);
			n++;
		}
	printf(" (%u)\n", n);
}

/* Print the hypervisor's precise reason for the last refusal. */
static void print_reason(unsigned long cell)
{
	static struct wd_reason_record rec;
	long ret = hypercall(WD_HC_GET_REASON, cell, (uintptr_t)&rec);

	if (ret == 0)
		printf("[manager]   reason %u item 0x%llx: %s\n",
		       (unsigned int)rec.code, (unsigned long long)rec.item,
		       rec.text);
	else
		printf("[manager]   GET_REASON failed: %ld\n", ret);
}

long call(const char *what, unsigned long code, unsigned long a1,
	  unsigned long a2)
{
	long ret = hypercall(code, a1, a2);

	printf("[manager] %s = %ld\n", what, ret);
	if (ret < 0)
		print_reason(0);
	return ret;
}

/* The first CPU of @cfg's CPU set. */
static unsigned int first_cpu(const struct wd_cell_desc *cfg)
{
	const uint8_t *set = (const uint8_t *)(cfg + 1);
	unsigned int cpu;

	for (cpu = 0; cpu < cfg->cpu_set_size * 8u; cpu++)
		if (set[cpu / 8] >> (cpu % 8) & 1)
			break;
	return cpu;
}

/* MANAGER_TICKS: the exit counters of the cell's first CPU over its run. */
static long run_exits[WD_CPU_STATS];

static void read_exits(unsigned int cpu, long *stats)
{
	unsigned int n;

	for (n = 0; n < WD_CPU_STATS; n++)
		stats[n] = hypercall(WD_HC_CPU_GET_INFO, cpu,
				     WD_CPU_INFO_STAT_BASE + n);
}

/*
 * Let the started cell run until it fails or its first CPU has not trapped
 * for 300 ms (done printing), at most 5 s: fixed waits are fragile on a
 * busy host.
 */
static void wait_quiet(long id, const struct wd_cell_desc *cfg, uint64_t max_ns,
		       uint64_t quiet_ns)
{
	uint64_t start = mgr_now_ns(), changed = start;
	unsigned int cpu = first_cpu(cfg);
	long exits = -1, now;

	while (mgr_now_ns() - start < max_ns) {
		if (hypercall(WD_HC_CELL_GET_STATE, id, 0) == WD_CELL_FAILED)
			return;
		now = hypercall(WD_HC_CPU_GET_INFO, cpu,
				WD_CPU_INFO_STAT_BASE +
					WD_CPU_STAT_VMEXITS_TOTAL);
		if (now != exits) {
			exits = now;
			changed = mgr_now_ns();
		} else if (mgr_now_ns() - changed > quiet_ns) {
			return;
		}
		wait_ms(20);
	}
}

/* The cell's RAM: its first region (tiny.dts), 1:1 in the root. */
static const struct wd_memory *cell_ram(const struct wd_cell_desc *cfg)
{
	return (const void *)((const uint8_t *)(cfg + 1) + cfg->cpu_set_size);
}

static struct inmate_params *cell_params(const struct wd_cell_desc *cfg)
{
	struct inmate_params *params =
		(void *)(uintptr_t)(cell_ram(cfg)->phys_start +
				    INMATE_PARAMS_OFFSET);

	return memcmp(params->magic, INMATE_PARAMS_MAGIC, 8) ? NULL : params;
}

static void patch_param(struct inmate_params *params, unsigned int off,
			unsigned int val)
{
	if (!params || off < 0x10 || off + 4 > sizeof(*params) || (off & 3))
		return;
	*(volatile uint32_t *)((uintptr_t)params + off) = val;
	printf("[manager] cell parameter at 0x%x = %u\n", off, val);
}

/*
 * Create the cell of @cfg, load @image, patch its parameters, start it and
 * let it run (@wait ms, or until quiet). Returns its id, or <= 0.
 */
static long cell_run(const struct wd_cell_desc *cfg, uintptr_t image,
		     unsigned int select, unsigned int off, unsigned int val,
		     unsigned int wait)
{
	const struct manager_args *args = (const void *)BOOT_MANAGER_ARGS;
	const struct wd_memory *ram = cell_ram(cfg);
	struct inmate_params *params;
	long id, ret, before[WD_CPU_STATS];
	unsigned int n;

	printf("[manager] cell config \"%s\" at 0x%x, image at 0x%x\n",
	       cfg->name, (unsigned int)(uintptr_t)cfg, (unsigned int)image);
	id = call("CELL_CREATE", WD_HC_CELL_CREATE, (uintptr_t)cfg, 0);
	if (args->flags & MANAGER_REFUSED) {
		check("manager.cell-create-refused", id < 0, "result %ld", id);
		return id > 0 ? 0 : id;
	}
	if (!check("manager.cell-create", id > 0, "result %ld", id))
		return id;
	ret = call("CELL_GET_STATE", WD_HC_CELL_GET_STATE, id, 0);
	check_eq("manager.state-created", ret, WD_CELL_SHUT_DOWN);
	ret = call("CELL_SET_LOADABLE", WD_HC_CELL_SET_LOADABLE, id, 0);
	check_eq("manager.set-loadable", ret, 0);
	printf("[manager] loading %u KiB at 0x%llx (cell RAM 0x%llx)\n",
	       BOOT_CELL_IMAGE_MAX / 1024, (unsigned long long)ram->phys_start,
	       (unsigned long long)ram->virt_start);
	memcpy((void *)(uintptr_t)ram->phys_start, (const void *)image,
	       BOOT_CELL_IMAGE_MAX);
	params = cell_params(cfg);
	if (select && params) {
		params->select = select;
		printf("[manager] cell parameter select = %u\n", select);
	}
	patch_param(params, off, val);
	/* Quiet while the cell starts: warden's lines about it (another
	 * CPU) share the UART with ours. */
	if (args->flags & MANAGER_TICKS)
		read_exits(first_cpu(cfg), before);
	ret = hypercall(WD_HC_CELL_START, id, 0);
	if (wait)
		wait_ms(wait);
	/* MANAGER_TICKS: each tick's EOI exits (AMD-V), so quiet means done;
	 * a loaded emulator's cell counts its ticks slowly. */
	if (!wait || (args->flags & MANAGER_TICKS))
		wait_quiet(id, cfg, (wait ? 30 : 5) * NS_PER_SEC,
			   wait ? NS_PER_SEC : 300000000ULL);
	if (args->flags & MANAGER_TICKS) {
		read_exits(first_cpu(cfg), run_exits);
		for (n = 0; n < WD_CPU_STATS; n++)
			run_exits[n] -= before[n];
	}
	printf("[manager] CELL_START = %ld\n", ret);
	check_eq("manager.cell-start", ret, 0);
	/* Running, or contained (FAILED) if it tried what it may not. */
	ret = call("CELL_GET_STATE", WD_HC_CELL_GET_STATE, id, 0);
	check("manager.state-after-start",
	      ret == WD_CELL_RUNNING || ret == WD_CELL_FAILED, "state %ld",
	      ret);
	if (ret == WD_CELL_FAILED)
		print_reason(id);
	return id;
}

/* CELL_DESTROY, asked up to @tries times while the cell refuses. */
static long cell_destroy(long id, unsigned int tries)
{
	long ret = -1;

	while (tries--) {
		ret = call("CELL_DESTROY", WD_HC_CELL_DESTROY, id, 0);
		if (!ret)
			break;
		call("CELL_GET_STATE", WD_HC_CELL_GET_STATE, id, 0);
	}
	return ret;
}

/*
 * The console log ring of a destroyed cell (its RAM is the root's again):
 * what a cell without a console printed, e.g. attack's refused hypercalls.
 */
static void print_log(const struct wd_cell_desc *cfg)
{
	struct inmate_params *params = cell_params(cfg);
	const char *ring;
	uint32_t i, len, size;
	char c;

	if (!params || !params->log_size)
		return;
	ring = (const char *)(uintptr_t)(cell_ram(cfg)->phys_start +
					 params->log_addr);
	len = params->log_len;
	size = params->log_size;
	printf("[manager] log of \"%s\" (%u bytes, checks %u, failed %u):\n",
	       cfg->name, (unsigned int)len, (unsigned int)params->checks,
	       (unsigned int)params->failed);
	printf("[%s log] ", cfg->name);
	for (i = len > size ? len - size : 0; i < len; i++) {
		c = ring[i % size];
		console_putc(c);
		if (c == '\n' && i + 1 < len)
			printf("[%s log] ", cfg->name);
	}
	if (len && ring[(len - 1) % size] != '\n')
		console_putc('\n');
}

/*
 * MANAGER_TICKS: a cell's interrupts handled (the count in its check line
 * in its log ring) against the exits its CPU made over the run. Each
 * interrupt is delivered with no exit; its handler's EOI (an x2APIC MSR
 * write, emulated on the xAPIC) exits once. Irqchip exits beyond the
 * inmate's own set-up and one EOI per interrupt are delivery exits, and
 * must be none. Per inmate: its check line and its set-up exits. Where
 * the x2APIC's EOI and TPR run natively (VT-x with the LAPIC in x2APIC
 * mode, docs/x86.md) neither the EOIs nor the set-up's TPR writes exit:
 * fewer irqchip exits than interrupts beyond that set-up count (native)
 * say so, and then every irqchip exit beyond it is a delivery exit. The
 * runner pins which of the two each machine must show.
 * - timer: "timer.ticks: pass (N of N intervals)", N + 1 interrupts; the
 *   x2APIC MSR accesses SIVR and TPR (apic_init), TDCR, LVT timer and
 *   TMICT (timer_start), LVT timer and TMICT (timer_stop), in
 *   inmates/lib/x86/apic.c: 7.
 * - irqown, owner (inmates/demos/x86/irqown.c): "irqown.pin-ticks: pass
 *   (N of ...", N interrupts of its IOAPIC pin; SIVR and TPR, 2 IOAPIC
 *   writes and 4 reads of 2 accesses each (IOREGSEL, IOWIN), and what it
 *   leaves dirty: TPR, TDCR, LVT timer, TMICT: 18.
 * - irqown, next owner: "irqown.next-owner-ticks: pass (N of 10
 *   intervals)", N + 1 interrupts of its LAPIC timer; 2 IOAPIC reads (4
 *   exits), the xAPIC TPR read, SIVR and TPR written, the 8 ISR and 8 IRR
 *   registers, LVT timer and TMICT read, the timer's 5 as above: 30.
 */
static const struct {
	const char *key, *name;
	unsigned int setup, extra, native; /* native: without TPR writes */
} tick_lines[] = {
	{ "timer.ticks: pass (", "timer", 7, 1, 6 },
	{ "irqown.pin-ticks: pass (", "irqown", 18, 0, 16 },
	{ "irqown.next-owner-ticks: pass (", "irqown", 30, 1, 29 },
};

static unsigned int log_ticks(const struct wd_cell_desc *cfg,
			      unsigned int *line)
{
	struct inmate_params *params = cell_params(cfg);
	const char *ring, *key;
	uint32_t i, k, len, size;
	unsigned int n, ticks = 0;

	if (!params || !params->log_size)
		return 0;
	ring = (const char *)(uintptr_t)(cell_ram(cfg)->phys_start +
					 params->log_addr);
	len = params->log_len;
	size = params->log_size;
	for (n = 0; n < ARRAY_SIZE(tick_lines); n++) {
		key = tick_lines[n].key;
		for (i = len > size ? len - size : 0; i < len; i++) {
			for (k = 0; key[k] && i + k < len; k++)
				if (ring[(i + k) % size] != key[k])
					break;
			if (key[k])
				continue;
			for (i += k; i < len && ring[i % size] >= '0' &&
				     ring[i % size] <= '9';
			     i++)
				ticks = ticks * 10 + (ring[i % size] - '0');
			*line = n;
			return ticks;
		}
	}
	return 0;
}

static void report_ticks(const struct wd_cell_desc *cfg)
{
	unsigned int cpu = first_cpu(cfg), ticks, line = 0, setup, eoi = 1;
	long irqchip = run_exits[WD_CPU_STAT_VMEXITS_IRQCHIP], beyond;
	const char *name;

	ticks = log_ticks(cfg, &line);
	if (!check("manager.timer-ticks", ticks, "%s",
		   ticks ? "counted" : "no tick count in the cell's log"))
		return;
	ticks += tick_lines[line].extra; /* interrupts handled */
	setup = tick_lines[line].setup;
	name = tick_lines[line].name;
	if (irqchip - (long)tick_lines[line].native < (long)ticks) {
		setup = tick_lines[line].native; /* EOI and TPR native */
		eoi = 0;
	}
	beyond = irqchip - setup - (long)(eoi * ticks);
	printf("[manager] %s: %u ticks, %ld VM exits on CPU %u: irqchip "
	       "%ld (set-up %u), hypercall %ld, platform %ld, mmio %ld, pio "
	       "%ld\n",
	       name, ticks, run_exits[WD_CPU_STAT_VMEXITS_TOTAL], cpu, irqchip,
	       setup, run_exits[WD_CPU_STAT_VMEXITS_HYPERCALL],
	       run_exits[WD_CPU_STAT_VMEXITS_PLATFORM],
	       run_exits[WD_CPU_STAT_VMEXITS_MMIO],
	       run_exits[WD_CPU_STAT_VMEXITS_PIO]);
	printf("[manager] %s: %ld.%02ld irqchip exits per tick (delivery "
	       "%ld, EOI %u)\n",
	       name, (irqchip - setup) / (long)ticks,
	       (irqchip - setup) % (long)ticks * 100 / (long)ticks, beyond,
	       eoi);
	check("manager.timer-delivery-exits", beyond == 0,
	      "%ld irqchip exits beyond set-up and EOI", beyond);
}

/*
 * The cell at BOOT_CELL_CONFIG is created, loaded, started, looked at and
 * destroyed args->runs times (args->selects[i] for run i). A second cell at
 * BOOT_CELL2_CONFIG, if present, is started first and destroyed last (e.g.
 * an ivshmem peer). With MANAGER_BYSTANDER it must deny a shutdown request
 * after each run (the shutdown inmate with deny_count >= runs), which
 * shows that it still runs, and approve the last one.
 */
static void cell_lifecycle(void)
{
	const struct wd_cell_desc *cfg = (const void *)BOOT_CELL_CONFIG;
	const struct wd_cell_desc *cfg2 = (const void *)BOOT_CELL2_CONFIG;
	const struct manager_args *args = (const void *)BOOT_MANAGER_ARGS;
	unsigned int runs = args->runs ? args->runs : 1, run, select;
	unsigned int tries = args->destroy_tries ? args->destroy_tries : 1;
	long id, id2 = 0, ret;
	char name[40];

	if (!cell_present(cfg)) {
		check("manager.cell-config-present", false, "no config at 0x%x",
		      BOOT_CELL_CONFIG);
		return;
	}
	if (runs > MANAGER_MAX_RUNS)
		runs = MANAGER_MAX_RUNS;
	if (cell_present(cfg2)) {
		id2 = cell_run(cfg2, BOOT_CELL2_IMAGE, 0, args->cell2_off,
			       args->cell2_val, 0);
		if (id2 <= 0)
			return;
	}
	for (run = 1; run <= runs; run++) {
		select = args->selects[run - 1] ? args->selects[run - 1] :
						  args->select;
		if (runs > 1)
			printf("[manager] run %u of %u\n", run, runs);
		id = cell_run(cfg, BOOT_CELL_IMAGE, select, args->param_off,
			      args->param_val, args->wait_ms);
		if (id <= 0)
			return;
		ret = cell_destroy(id, tries);
		if (args->flags & MANAGER_DENIED) {
			check("manager.cell-destroy-denied", ret == -WD_EPERM,
			      "result %ld", ret);
			ret = call("CELL_GET_STATE", WD_HC_CELL_GET_STATE, id,
				   0);
			check_eq("manager.state-after-denial", ret,
				 WD_CELL_RUNNING);
			break;
		}
		snprintf(name, sizeof(name), "manager.cell-destroy-%u", run);
		check_eq(name, ret, 0);
		if (!ret && (args->flags & MANAGER_LOG))
			print_log(cfg);
		if (!ret && (args->flags & MANAGER_TICKS))
			report_ticks(cfg);
		if (args->flags & MANAGER_IRR)
			mgr_irr_check(run, args->param_val);
		if (!id2 || !(args->flags & MANAGER_BYSTANDER))
			continue;
		/* The bystander runs on: it answers (denies) a request. */
		ret = hypercall(WD_HC_CELL_GET_STATE, id2, 0);
		printf("[manager] \"%s\" CELL_GET_STATE = %ld\n", cfg2->name,
		       ret);
		snprintf(name, sizeof(name), "manager.bystander-running-%u",
			 run);
		check_eq(name, ret, WD_CELL_RUNNING);
		ret = hypercall(WD_HC_CELL_DESTROY, id2, 0);
		printf("[manager] \"%s\" CELL_DESTROY = %ld (request %u)\n",
		       cfg2->name, ret, run);
		snprintf(name, sizeof(name), "manager.bystander-denies-%u",
			 run);
		check_eq(name, ret, -WD_EPERM);
	}
	if (id2) {
		ret = call("CELL_DESTROY", WD_HC_CELL_DESTROY, id2, 0);
		check_eq("manager.bystander-destroy", ret, 0);
	}
	ret = call("HYPERVISOR_GET_INFO(NUM_CELLS)", WD_HC_HYPERVISOR_GET_INFO,
		   WD_INFO_NUM_CELLS, 0);
	check_eq("manager.cells-after-destroy", ret,
		 args->flags & MANAGER_DENIED ? 2 : 1);
}

void manager_main(void)
{
	const struct manager_args *args = (const void *)BOOT_MANAGER_ARGS;
	unsigned int spare;
	uint32_t before;
	long ret;

	mgr_console_hv();
	mgr_banner();

	if (args->flags & MANAGER_BENCH)
		mgr_bench();
	ret = call("HYPERVISOR_GET_INFO(MEM_POOL_SIZE)",
		   WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_SIZE, 0);
	check("manager.pool-size", ret > 0, "result %ld", ret);
	ret = call("HYPERVISOR_GET_INFO(MEM_POOL_USED)",
		   WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_USED, 0);
	check("manager.pool-used", ret > 0, "result %ld", ret);
	ret = call("HYPERVISOR_GET_INFO(NUM_CELLS)", WD_HC_HYPERVISOR_GET_INFO,
		   WD_INFO_NUM_CELLS, 0);
	check_eq("manager.cells", ret, 1);
	ret = call("CPU_GET_INFO(0, STATE)", WD_HC_CPU_GET_INFO, 0,
		   WD_CPU_INFO_STATE);
	check_eq("manager.cpu0-state", ret, WD_CPU_RUNNING);
	ret = call("CELL_GET_STATE(0)", WD_HC_CELL_GET_STATE, 0, 0);
	check_eq("manager.root-state", ret, WD_CELL_RUNNING);
	/* A deliberate probe: warden must refuse a code it does not know,
	 * and its console says so ("unknown hypercall: code 0x4d"). */
	printf("[manager] probe: hypercall 77 (0x4d) is no hypercall; warden "
	       "must refuse it and report why\n");
	ret = call("unknown hypercall 77", 77, 0, 0);
	check("manager.unknown-refused", ret < 0, "result %ld", ret);

	mgr_irqchip_checks();
	print_cpus();
	spare = spare_cpu();
	if (spare)
		mgr_start_spare(spare);
	else
		printf("[manager] no spare root CPU: the cells take them all\n");
	before = spare_count;
	cell_lifecycle();
	if (spare) {
		wait_for(&spare_count, before, 1000);
		printf("[manager] CPU %u still counting after the management "
		       "calls: %s\n",
		       spare, spare_count != before ? "yes" : "no");
		check("manager.spare-resumed", spare_count != before, NULL);
	}

	if (args->flags & MANAGER_KEEP_ENABLED)
		/* trapped: warden forwards it for the root */
		mgr_power_off(test_verdict());
	/* Leave the hypervisor: from now on this runs natively and prints on
	 * the UART itself. */
	ret = hypercall(WD_HC_DISABLE, 0, 0);
	mgr_console_native();
	printf("[manager] DISABLE = %ld\n", ret);
	check_eq("manager.disable", ret, 0);
	if (spare) {
		/* The other running root CPU leaves too. */
		spare_stop = 1;
		wait_for((volatile uint32_t *)&spare_disable, 1, 1000);
		printf("[manager] DISABLE on CPU %u = %ld\n", spare,
		       spare_disable);
		check_eq("manager.disable-spare", spare_disable, 0);
	}
	mgr_check_disabled();
	mgr_power_off(test_verdict()); /* natively */
}
