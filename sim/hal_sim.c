/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The simulator's implementation of hal/hal.h. Physical RAM is one host
 * mapping; stage-2 tables are interval lists per cell, kept exactly as the
 * core asked; CPUs are flags. Everything is deterministic: time is virtual
 * and only advances in hal_cpu_relax().
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "../arch-x86/ioapic.h"
#include "../hal/core.h"
#include "../arch-x86/msi.h"
#include "../arch-x86/msr.h"
#include "../hal/hal.h"
#include "sim.h"

struct sim_cell {
	struct sim_mapping *map; /* sorted by gpa, non-overlapping */
	unsigned int num, cap;
	struct sim_cell *next; /* every cell state alive (sim.cells) */
};

static struct {
	uint8_t *ram;
	uint64_t ram_base, ram_size;
	unsigned int num_cpus, current;
	struct sim_cpu cpus[WD_MAX_CPUS];
	uint8_t arch;
	uint64_t time_ns;
	uint64_t wait_ns; /* relaxed since the cells last ran */
	bool stopped;
	unsigned int commits;
	sim_device_fn device_fn;
	void *device_arg;
	sim_pio_fn pio_fn;
	void *pio_arg;
	sim_relax_fn relax_fn;
	void *relax_arg;
	sim_irq_fn irq_fn;
	void *irq_arg;
	struct sim_text console;
	/* Backend cell states not destroyed (kept ones of lost CPUs too). */
	struct sim_cell *cells;
	/* PCI ownership (hal_device_assign/release): cell id + 1, 0 = none. */
	uint8_t dev_owner[0x10000];
	unsigned int dev_assigns, dev_releases;
	int dev_fail_bdf, dev_fail_err; /* -1: no failure injected */
} sim;

static void cell_state_free(struct sim_cell *s)
{
	struct sim_cell **p;

	for (p = &sim.cells; *p; p = &(*p)->next) {
		if (*p == s) {
			*p = s->next;
			break;
		}
	}
	free(s->map);
	free(s);
}

int sim_machine_init(uint64_t ram_base, uint64_t ram_size,
		     unsigned int num_cpus)
{
	sim_machine_free();
	if (!num_cpus || num_cpus > WD_MAX_CPUS || !ram_size ||
	    ram_size & ~WD_PAGE_MASK)
		return -WD_EINVAL;
	/* Reserve only: pages appear as the simulated machine touches them. */
	sim.ram = mmap(NULL, ram_size, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (sim.ram == MAP_FAILED) {
		sim.ram = NULL;
		return -WD_ENOMEM;
	}
	sim.ram_base = ram_base;
	sim.ram_size = ram_size;
	sim.num_cpus = num_cpus;
	return 0;
}

void sim_machine_free(void)
{
	if (sim.ram)
		munmap(sim.ram, sim.ram_size);
	free(sim.console.buf);
	while (sim.cells)
		cell_state_free(sim.cells);
	memset(&sim, 0, sizeof(sim));
	sim_ioapic_reset();
}

void *sim_phys_ptr(uint64_t addr, uint64_t len)
{
	if (!sim.ram || addr < sim.ram_base || len > sim.ram_size ||
	    addr - sim.ram_base > sim.ram_size - len)
		return NULL;
	return sim.ram + (addr - sim.ram_base);
}

void sim_set_cpu(unsigned int cpu)
{
	sim.current = cpu;
}

unsigned int sim_num_cpus(void)
{
	return sim.num_cpus;
}

struct sim_cpu *sim_cpu(unsigned int cpu)
{
	return cpu < sim.num_cpus ? &sim.cpus[cpu] : NULL;
}

int sim_enable(const void *cfg, uint64_t size)
{
	return sim_enable_boot(cfg, size, false);
}

int sim_enable_boot(const void *cfg, uint64_t size, bool standalone)
{
	const struct wd_system *sys = cfg;
	struct hv_memory mem;
	const uint8_t *set;
	unsigned int cpu;
	int err;

	if (size < sizeof(*sys))
		return -WD_EINVAL;
	sim.arch = sys->architecture;
	mem.base = sim_phys_ptr(sys->hypervisor_memory.phys_start,
				sys->hypervisor_memory.size);
	mem.phys = hpa(sys->hypervisor_memory.phys_start);
	mem.size = sys->hypervisor_memory.size;
	if (!mem.base || !mem.size)
		return -WD_EINVAL;
	sim_set_cpu(0);
	err = core_init(cfg, size, &mem);
	if (err)
		return err;
	set = wd_cell_cpu_set(&sys->root_cell);
	for (cpu = 0;
	     cpu < sys->root_cell.cpu_set_size * 8 && cpu < sim.num_cpus;
	     cpu++) {
		if (!(set[cpu / 8] >> (cpu % 8) & 1))
			continue;
		sim_set_cpu(cpu);
		err = standalone && cpu ? core_cpu_entry_parked() :
					  core_cpu_entry();
		if (err)
			return err;
	}
	sim_set_cpu(0);
	return 0;
}

/* ---- stage-2 bookkeeping --------------------------------------------- */

static struct sim_cell *sc(const struct cell *cell)
{
	return cell ? core_cell_arch(cell) : NULL;
}

static void insert_at(struct sim_cell *s, unsigned int pos,
		      struct sim_mapping m)
{
	if (s->num == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 16;
		s->map = realloc(s->map, s->cap * sizeof(*s->map));
		if (!s->map)
			abort();
	}
	memmove(&s->map[pos + 1], &s->map[pos],
		(s->num - pos) * sizeof(*s->map));
	s->map[pos] = m;
	s->num++;
}

static void remove_range(struct sim_cell *s, uint64_t gpa, uint64_t size)
{
	uint64_t end = gpa + size;
	unsigned int i = 0;

	while (i < s->num) {
		struct sim_mapping *m = &s->map[i];
		uint64_t mend = m->gpa + m->size;

		if (mend <= gpa || m->gpa >= end) {
			i++;
			continue;
		}
		if (m->gpa < gpa && mend > end) { /* split in two */
			struct sim_mapping tail = *m;

			tail.hpa += end - m->gpa;
			tail.size = mend - end;
			tail.gpa = end;
			m->size = gpa - m->gpa;
			insert_at(s, i + 1, tail);
			return;
		}
		if (m->gpa < gpa) { /* keep the head */
			m->size = gpa - m->gpa;
			i++;
		} else if (mend > end) { /* keep the tail */
			m->hpa += end - m->gpa;
			m->size = mend - end;
			m->gpa = end;
			i++;
		} else { /* fully covered */
			memmove(m, m + 1, (s->num - i - 1) * sizeof(*m));
			s->num--;
		}
	}
}

int hal_map(struct cell *cell, gpa_t gpa, hpa_t hpa, uint64_t size,
	    uint64_t flags)
{
	struct sim_cell *s = sc(cell);
	unsigned int pos;

	if (!s || (gpa.v | hpa.v | size) & ~WD_PAGE_MASK || !size)
		return -WD_EINVAL;
	remove_range(s, gpa.v, size);
	for (pos = 0; pos < s->num && s->map[pos].gpa < gpa.v; pos++)
		;
	insert_at(s, pos, (struct sim_mapping){ gpa.v, hpa.v, size, flags });
	return 0;
}

int hal_unmap(struct cell *cell, gpa_t gpa, uint64_t size)
{
	struct sim_cell *s = sc(cell);

	if (!s || (gpa.v | size) & ~WD_PAGE_MASK)
		return -WD_EINVAL;
	remove_range(s, gpa.v, size);
	return 0;
}

bool sim_lookup(const struct cell *cell, uint64_t gpa, struct sim_mapping *m)
{
	struct sim_cell *s = sc(cell);
	unsigned int i;

	for (i = 0; s && i < s->num; i++) {
		if (gpa >= s->map[i].gpa &&
		    gpa - s->map[i].gpa < s->map[i].size) {
			if (m)
				*m = s->map[i];
			return true;
		}
	}
	return false;
}

unsigned int sim_num_mappings(const struct cell *cell)
{
	return sc(cell) ? sc(cell)->num : 0;
}

const struct sim_mapping *sim_mapping(const struct cell *cell, unsigned int i)
{
	return i < sim_num_mappings(cell) ? &sc(cell)->map[i] : NULL;
}

/* Host pointer for @len bytes at @gpa of @cell if mapped as RAM with @need. */
static uint8_t *guest_ptr(struct cell *cell, uint64_t gpa, size_t *len,
			  uint64_t need)
{
	struct sim_mapping m;
	uint64_t off, avail;

	if (!sim_lookup(cell, gpa, &m) || (m.flags & need) != need ||
	    m.flags & WD_MEM_IO)
		return NULL;
	off = gpa - m.gpa;
	avail = m.size - off;
	if (*len > avail)
		*len = avail;
	return sim_phys_ptr(m.hpa + off, *len);
}

static int copy_guest(struct cell *cell, uint64_t gpa, void *buf, size_t len,
		      bool to_guest)
{
	uint8_t *p = buf;

	while (len) {
		size_t chunk = len;
		uint8_t *g = guest_ptr(cell, gpa, &chunk,
				       to_guest ? WD_MEM_WRITE : WD_MEM_READ);

		if (!g)
			return -WD_EFAULT;
		if (to_guest)
			memcpy(g, p, chunk);
		else
			memcpy(p, g, chunk);
		p += chunk;
		gpa += chunk;
		len -= chunk;
	}
	return 0;
}

int hal_copy_from_guest(struct cell *cell, gpa_t gpa, void *dst, size_t len)
{
	return copy_guest(cell, gpa.v, dst, len, false);
}

int hal_copy_to_guest(struct cell *cell, gpa_t gpa, const void *src, size_t len)
{
	return copy_guest(cell, gpa.v, (void *)src, len, true);
}

hpa_t hal_virt_to_phys(const void *p)
{
	return hpa(sim.ram_base + (uint64_t)((const uint8_t *)p - sim.ram));
}

void hal_phys_access(hpa_t addr, struct mmio_access *acc)
{
	uint8_t *ram = sim_phys_ptr(addr.v, acc->size);

	/* A forwarded access that lands in RAM reads and writes RAM. */
	if (ram && acc->is_write)
		memcpy(ram, &acc->value, acc->size);
	else if (ram) {
		acc->value = 0;
		memcpy(&acc->value, ram, acc->size);
	} else if (sim_ioapic_access(addr.v, acc)) {
		/* the x86 machine's IOAPIC */
	} else if (sim.device_fn)
		sim.device_fn(sim.device_arg, addr.v, acc);
	else if (!acc->is_write)
		acc->value = 0;
}

void sim_set_device_hook(sim_device_fn fn, void *arg)
{
	sim.device_fn = fn;
	sim.device_arg = arg;
}

void hal_pio_access(struct pio_access *acc)
{
	if (sim.pio_fn)
		sim.pio_fn(sim.pio_arg, acc);
}

void sim_set_pio_hook(sim_pio_fn fn, void *arg)
{
	sim.pio_fn = fn;
	sim.pio_arg = arg;
}

/* ---- cells and CPUs ---------------------------------------------------- */

/* The comm region's arch part, as the real backends fill it. */
static void comm_arch(struct cell *cell)
{
	const struct wd_platform_info *pi =
		&core_system_config()->platform_info;
	struct wd_comm_region *comm = core_cell_comm(cell);

	if (core_cell_config(cell)->architecture == WD_ARCH_ARM) {
		comm->arm.gic_version = pi->arm.gic_version;
		comm->arm.gicd_base = pi->arm.gicd_base;
		comm->arm.gicc_base = pi->arm.gicc_base;
		comm->arm.vpci_irq_base = core_cell_config(cell)->vpci_irq_base;
	} else {
		comm->x86.num_cpus = (uint16_t)__builtin_popcountll(
			core_cell_cpus(cell).bits);
		comm->x86.tsc_khz = SIM_CLOCK_KHZ;
		comm->x86.apic_khz = SIM_CLOCK_KHZ;
	}
}

int hal_cell_create(struct cell *cell)
{
	struct sim_cell *s = calloc(1, sizeof(*s));

	if (!s)
		return -WD_ENOMEM;
	s->next = sim.cells;
	sim.cells = s;
	core_cell_set_arch(cell, s);
	comm_arch(cell);
	if (sim.arch == WD_ARCH_X86)
		x86_ioapic_cell_create(cell);
	return 0;
}

void hal_cell_destroy(struct cell *cell)
{
	struct sim_cell *s = sc(cell);

	if (s)
		cell_state_free(s);
	core_cell_set_arch(cell, NULL);
}

int sim_cell_state_mappings(const void *arch)
{
	const struct sim_cell *s;

	for (s = sim.cells; s; s = s->next)
		if (s == arch)
			return (int)s->num;
	return -1;
}

void hal_config_commit(struct cell *changed)
{
	(void)changed;
	sim.commits++;
	if (sim.arch == WD_ARCH_X86)
		x86_ioapic_commit();
}

unsigned int sim_commits(void)
{
	return sim.commits;
}

unsigned int hal_cpu_id(void)
{
	return sim.current;
}

int hal_cpu_init(struct per_cpu *cpu)
{
	if (core_cpu_id(cpu) >= sim.num_cpus)
		return -WD_EINVAL;
	sim.cpus[core_cpu_id(cpu)].virtualized = true;
	return 0;
}

void hal_cpu_exit(struct per_cpu *cpu)
{
	sim.cpus[core_cpu_id(cpu)].virtualized = false;
}

int hal_cpu_park(unsigned int cpu)
{
	if (cpu >= sim.num_cpus)
		return 0;
	if (sim.cpus[cpu].deaf)
		return -WD_EBUSY; /* runs on, as a CPU no event reaches */
	sim.cpus[cpu].parked = true;
	return 0;
}

void hal_cpu_reset(unsigned int cpu, uint64_t entry, bool run)
{
	if (cpu >= sim.num_cpus)
		return;
	/* As INIT: no logical id of the CPU's last owner. */
	x86_apic_ldr(cpu, 0);
	sim.cpus[cpu].parked = !run; /* the others wait for SIPI/CPU_ON */
	sim.cpus[cpu].resets++;
	sim.cpus[cpu].reset_entry = entry;
	sim.cpus[cpu].boot_cpu = run;
}

int hal_cpu_suspend(unsigned int cpu)
{
	if (cpu >= sim.num_cpus)
		return 0;
	if (sim.cpus[cpu].deaf)
		return -WD_EBUSY;
	sim.cpus[cpu].suspended = true;
	return 0;
}

void hal_cpu_resume(unsigned int cpu)
{
	if (cpu < sim.num_cpus)
		sim.cpus[cpu].suspended = false;
}

/* ---- interrupts ------------------------------------------------------- */

bool hal_irq_assignable(const struct wd_irqchip *chip, unsigned int pin)
{
	(void)chip;
	/* ARM: SGIs and PPIs (0..31) are per CPU, never a cell's to own. */
	return sim.arch != WD_ARCH_ARM || pin >= 32;
}

void hal_inject_irq(unsigned int cpu, unsigned int irq)
{
	if (cpu >= sim.num_cpus)
		return;
	sim.cpus[cpu].pending_irqs++;
	sim.cpus[cpu].last_irq = irq;
	if (sim.irq_fn)
		sim.irq_fn(sim.irq_arg, cpu, irq);
}

void sim_set_irq_hook(sim_irq_fn fn, void *arg)
{
	sim.irq_fn = fn;
	sim.irq_arg = arg;
}

/* ---- PCI devices -------------------------------------------------------- */

int hal_device_assign(struct cell *cell, uint16_t bdf)
{
	int err = sim.dev_fail_err;

	if (err && sim.dev_fail_bdf == bdf) {
		sim.dev_fail_err = 0; /* once */
		return err;
	}
	sim.dev_owner[bdf] = (uint8_t)(core_cell_id(cell) + 1);
	sim.dev_assigns++;
	return 0;
}

void hal_device_release(struct cell *cell, uint16_t bdf)
{
	if (sim.dev_owner[bdf] == core_cell_id(cell) + 1)
		sim.dev_owner[bdf] = 0;
	sim.dev_releases++;
}

int sim_device_owner(uint16_t bdf)
{
	return sim.dev_owner[bdf] - 1;
}

unsigned int sim_device_calls(bool assign)
{
	return assign ? sim.dev_assigns : sim.dev_releases;
}

void sim_device_fail(uint16_t bdf, int err)
{
	sim.dev_fail_bdf = bdf;
	sim.dev_fail_err = err;
}

/* The x86 rule (arch-x86/msi.c); ARMv7's GICv2 has no MSI, as on hardware. */
enum wd_reason hal_msi_route(const struct cell *cell, uint16_t bdf,
			     unsigned int index, uint64_t address,
			     uint32_t data, struct msi_route *route)
{
	(void)bdf;
	(void)index;
	if (sim.arch == WD_ARCH_ARM)
		return WD_R_msi_unsupported;
	return x86_msi_check(cell, address, data, route);
}

/* ---- console, time, machine ------------------------------------------- */

void sim_text_putc(struct sim_text *t, char c)
{
	if (t->len + 2 > t->cap) {
		t->cap = t->cap ? t->cap * 2 : 4096;
		t->buf = realloc(t->buf, t->cap);
		if (!t->buf)
			abort();
	}
	t->buf[t->len++] = c;
	t->buf[t->len] = '\0';
}

const char *sim_text_find(const struct sim_text *t, const char *want)
{
	size_t n = strlen(want), i;

	if (!n)
		return sim_text(t);
	for (i = 0; i + n <= t->len; i++)
		if (t->buf[i] == want[0] && !memcmp(t->buf + i, want, n))
			return t->buf + i;
	return NULL;
}

void sim_text_write(const struct sim_text *t, FILE *f)
{
	if (!t->len)
		return;
	fwrite(t->buf, 1, t->len, f);
	if (t->buf[t->len - 1] != '\n')
		fputc('\n', f);
}

void hal_console_putc(char c)
{
	sim_text_putc(&sim.console, c);
}

const char *sim_console(void)
{
	return sim_text(&sim.console);
}

const struct sim_text *sim_console_text(void)
{
	return &sim.console;
}

void sim_console_clear(void)
{
	sim.console.len = 0;
	if (sim.console.buf)
		sim.console.buf[0] = '\0';
}

uint64_t hal_time_ns(void)
{
	return sim.time_ns;
}

uint64_t sim_time_ns(void)
{
	return sim.time_ns;
}

void sim_advance_time(uint64_t ns)
{
	sim.time_ns += ns;
	sim.wait_ns = 0; /* the cells ran: no wait goes on forever */
}

void hal_cpu_relax(void)
{
	if (sim.relax_fn)
		sim.relax_fn(sim.relax_arg);
	sim.time_ns += 1000000;
	sim.wait_ns += 1000000;
	/* A wait without timeout on a silent cell would hang the test. */
	if (sim.wait_ns > 3600ULL * 1000000000ULL) {
		fprintf(stderr, "sim: the hypervisor waited a virtual hour: "
				"a cell never answers and has no timeout\n");
		abort();
	}
}

void sim_set_relax_hook(sim_relax_fn fn, void *arg)
{
	sim.relax_fn = fn;
	sim.relax_arg = arg;
}

void hal_machine_stop(void)
{
	sim.stopped = true;
}

bool sim_machine_stopped(void)
{
	return sim.stopped;
}
