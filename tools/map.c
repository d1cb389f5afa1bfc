// SPDX-License-Identifier: GPL-2.0
/*
 * warden-config map SYSTEM [CELL...] [-o MAP.svg]: who owns what. Physical
 * memory in address order (each region with its owner, flags and the gaps
 * between them), then per cell its CPUs, interrupt pins, PCI devices and
 * port ranges. Conflicts are the checker's (tools/check_*.c, run through
 * check_configs_hook()), shown with its exact message at the item they are
 * about. Text for the terminal, or an SVG picture (tools/map_svg.c).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tools/check.h"
#include "tools/commands.h"
#include "tools/map.h"

/* ---- helpers -------------------------------------------------------- */

const char *map_size(uint64_t size, char *buf, size_t len)
{
	static const char *const unit[] = { "B",   "KiB", "MiB", "GiB",
					    "TiB", "PiB", "EiB" };
	unsigned int u = 0;
	uint64_t one, rest;

	while (u < 6 && size >> (10 * (u + 1)))
		u++;
	one = (uint64_t)1 << (10 * u);
	rest = size & (one - 1);
	if (!rest)
		snprintf(buf, len, "%llu %s",
			 (unsigned long long)(size >> (10 * u)), unit[u]);
	else /* one decimal; "~" when that is not exact */
		snprintf(buf, len, "%s%llu.%llu %s", rest * 10 % one ? "~" : "",
			 (unsigned long long)(size >> (10 * u)),
			 (unsigned long long)(rest * 10 / one), unit[u]);
	return buf;
}

const char *map_flags(uint64_t flags, char *buf, size_t len)
{
	static const struct {
		uint64_t bit;
		const char *name;
	} names[] = {
		{ WD_MEM_READ, "R" },
		{ WD_MEM_WRITE, "W" },
		{ WD_MEM_EXECUTE, "X" },
		{ WD_MEM_DMA, "DMA" },
		{ WD_MEM_IO, "IO" },
		{ WD_MEM_COMM_REGION, "COMM" },
		{ WD_MEM_LOADABLE, "LOADABLE" },
		{ WD_MEM_ROOTSHARED, "ROOTSHARED" },
		{ WD_MEM_NO_HUGEPAGES, "NOHUGE" },
		{ WD_MEM_IO_UNALIGNED, "UNALIGNED" },
	};
	size_t used = 0;
	unsigned int i, w;

	buf[0] = 0;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if ((flags & names[i].bit) && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? " " : "",
						 names[i].name);
	if ((flags & WD_MEM_IO_WIDTH_MASK) && used < len) {
		used += (size_t)snprintf(buf + used, len - used, "%sio",
					 used ? " " : "");
		for (w = 0; w < 4 && used < len; w++)
			if (flags &
			    ((uint64_t)1 << (WD_MEM_IO_WIDTH_SHIFT + w)))
				used += (size_t)snprintf(
					buf + used, len - used, "%s%u",
					buf[used - 1] == 'o' ? "" : "/",
					8u << w);
	}
	if ((flags & ~(uint64_t)WD_MEM_VALID_FLAGS) && used < len)
		snprintf(buf + used, len - used, "%s0x%llx", used ? " " : "",
			 (unsigned long long)(flags &
					      ~(uint64_t)WD_MEM_VALID_FLAGS));
	if (!buf[0])
		snprintf(buf, len, "-");
	return buf;
}

uint64_t map_last(const struct map_mem *r)
{
	return r->start + r->size - 1 < r->start ? UINT64_MAX :
						   r->start + r->size - 1;
}

const char *map_owners(const struct map *m, uint64_t mask, char *buf,
		       size_t len)
{
	size_t used = 0;
	unsigned int o;

	buf[0] = 0;
	for (o = 0; o < m->nowners; o++)
		if ((mask >> o & 1) && used < len)
			used += (size_t)snprintf(buf + used, len - used, "%s%s",
						 used ? ", " : "",
						 m->owner[o].name);
	return buf;
}

unsigned int map_holder(uint64_t mask)
{
	uint64_t cells = mask & ~(((uint64_t)1 << MAP_ROOT) | 1);

	if (cells)
		return (unsigned int)__builtin_ctzll(cells);
	return mask >> MAP_ROOT & 1 ? MAP_ROOT : MAP_HV;
}

const char *map_run_name(const struct map_run *r, char kind, char *buf,
			 size_t len)
{
	switch (kind) {
	case 'c':
		snprintf(buf, len, "CPU %llu", (unsigned long long)r->first);
		break;
	case 'i':
		if (r->first == r->last)
			snprintf(buf, len, "pin %llu",
				 (unsigned long long)r->first);
		else
			snprintf(buf, len, "pins %llu-%llu",
				 (unsigned long long)r->first,
				 (unsigned long long)r->last);
		break;
	case 'p':
		snprintf(buf, len, "%02llx:%02llx.%llx",
			 (unsigned long long)(r->first >> 8 & 0xff),
			 (unsigned long long)(r->first >> 3 & 0x1f),
			 (unsigned long long)(r->first & 7));
		break;
	default:
		snprintf(buf, len, "ports 0x%llx-0x%llx",
			 (unsigned long long)r->first,
			 (unsigned long long)r->last);
	}
	return buf;
}

/* ---- building the model --------------------------------------------- */

struct builder {
	struct map *m;
	struct cellcfg **cfgs; /* indexed by owner; [MAP_HV] NULL */
	bool failed;
};

static void *grow(void *p, unsigned int n, size_t size, bool *failed)
{
	void *q;

	/* Powers of two: grow when n is one. */
	if (n & (n - 1) && n)
		return p;
	q = realloc(p, (n ? 2 * (size_t)n : 1) * size);
	if (!q)
		*failed = true;
	return q ? q : p;
}

static unsigned int owner_of(const struct map *m, const struct cellcfg *c)
{
	unsigned int o;

	for (o = MAP_ROOT; o < m->nowners; o++)
		if (m->owner[o].cfg == c)
			return o;
	return MAP_HV;
}

static void on_problem(void *arg, const struct cellcfg *c, unsigned int kind,
		       unsigned int idx, const char *value, const char *line)
{
	struct builder *b = arg;
	struct map *m = b->m;
	struct map_problem *p;
	void *q = grow(m->prob, m->nprob, sizeof(*m->prob), &b->failed);

	if (b->failed)
		return;
	m->prob = q;
	p = &m->prob[m->nprob];
	p->owner = owner_of(m, c);
	p->kind = kind;
	p->idx = idx;
	p->value = strtoull(value, NULL, 0);
	p->line = strdup(line);
	if (!p->line)
		b->failed = true;
	else
		m->nprob++;
}

static struct map_mem *add_mem(struct builder *b, struct map_mem **arr,
			       unsigned int *n)
{
	struct map_mem *q = grow(*arr, *n, sizeof(**arr), &b->failed);

	if (b->failed)
		return NULL;
	*arr = q;
	memset(&q[*n], 0, sizeof(q[*n]));
	q[*n].problem = -1;
	return &q[(*n)++];
}

/* "ram@4e000000", or the ivshmem role of the region, or "region 3". */
static void mem_what(const struct cellcfg *c, unsigned int i, char *buf,
		     size_t len)
{
	static const char *const role[] = { "state table", "R/W section" };
	const char *node = c->node[CFG_MEM] ? c->node[CFG_MEM][i] : NULL;
	const char *base = node ? strrchr(node, '/') : NULL;
	unsigned int d, k;
	char shm[48] = "";

	for (d = 0; d < c->num[CFG_PCI]; d++) {
		const struct wd_pci_device *p = &c->pci[d];

		if (p->type != WD_PCI_TYPE_IVSHMEM ||
		    i < p->shmem_regions_start ||
		    i - p->shmem_regions_start >= 2u + p->shmem_peers)
			continue;
		k = i - p->shmem_regions_start;
		if (k < 2)
			snprintf(shm, sizeof(shm), " (ivshmem %02x:%02x.%x %s)",
				 p->bdf >> 8, (p->bdf >> 3) & 0x1f, p->bdf & 7,
				 role[k]);
		else
			snprintf(shm, sizeof(shm),
				 " (ivshmem %02x:%02x.%x output of peer %u)",
				 p->bdf >> 8, (p->bdf >> 3) & 0x1f, p->bdf & 7,
				 k - 2);
		break;
	}
	if (base)
		snprintf(buf, len, "%s%s", base + 1, shm);
	else
		snprintf(buf, len, "memory region %u%s", i, shm);
}

static void add_platform(struct builder *b, uint64_t start, uint64_t size,
			 uint64_t flags, const char *what)
{
	struct map_mem *r;

	if (!size)
		return;
	r = add_mem(b, &b->m->mem, &b->m->nmem);
	if (!r)
		return;
	r->owner = MAP_HV;
	r->idx = -1;
	r->start = start;
	r->size = size;
	r->flags = flags;
	snprintf(r->what, sizeof(r->what), "%s", what);
}

static void build_memory(struct builder *b)
{
	struct map *m = b->m;
	const struct wd_system *sys = &b->cfgs[MAP_ROOT]->sys;
	const struct wd_platform_info *pi = &sys->platform_info;
	unsigned int o, i;
	struct map_mem *r;

	add_platform(b, sys->hypervisor_memory.phys_start,
		     sys->hypervisor_memory.size, sys->hypervisor_memory.flags,
		     "hypervisor memory");
	if (pi->pci_mmconfig_base)
		add_platform(b, pi->pci_mmconfig_base,
			     ((uint64_t)pi->pci_mmconfig_end_bus + 1) << 20,
			     WD_MEM_IO, "PCI config space (ECAM, trapped)");
	for (o = MAP_ROOT; o < m->nowners; o++) {
		const struct cellcfg *c = b->cfgs[o];

		for (i = 0; i < c->num[CFG_MEM]; i++) {
			bool comm = c->mem[i].flags & WD_MEM_COMM_REGION;

			if (!c->mem[i].size)
				continue; /* an unused (empty) slot */
			r = comm ? add_mem(b, &m->comm, &m->ncomm) :
				   add_mem(b, &m->mem, &m->nmem);
			if (!r)
				return;
			r->owner = o;
			r->idx = (int)i;
			r->start = comm ? c->mem[i].virt_start :
					  c->mem[i].phys_start;
			r->size = c->mem[i].size;
			r->flags = c->mem[i].flags;
			mem_what(c, i, r->what, sizeof(r->what));
		}
	}
}

/* Address order; a container before what it contains; then owners. */
static int mem_cmp(const void *a, const void *b)
{
	const struct map_mem *x = a, *y = b;

	if (x->start != y->start)
		return x->start < y->start ? -1 : 1;
	if (x->size != y->size)
		return x->size > y->size ? -1 : 1;
	if (x->owner != y->owner)
		return x->owner < y->owner ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

/* Root regions a cell takes part of (not shared: ROOTSHARED keeps it). */
static void mark_taken(struct map *m)
{
	unsigned int i, j;

	for (i = 0; i < m->nmem; i++) {
		struct map_mem *r = &m->mem[i];

		if (r->owner != MAP_ROOT)
			continue;
		for (j = 0; j < m->nmem; j++) {
			const struct map_mem *c = &m->mem[j];

			if (c->owner > MAP_ROOT &&
			    !(c->flags & WD_MEM_ROOTSHARED) &&
			    c->start <= map_last(r) && r->start <= map_last(c))
				r->taken = true;
		}
	}
}

/* One id listed by one owner: sorted, then merged into runs. */
struct ev {
	uint64_t chip, id;
	unsigned int owner;
	const char *what;
};

static int ev_cmp(const void *a, const void *b)
{
	const struct ev *x = a, *y = b;

	if (x->chip != y->chip)
		return x->chip < y->chip ? -1 : 1;
	if (x->id != y->id)
		return x->id < y->id ? -1 : 1;
	return x->owner < y->owner ? -1 : x->owner > y->owner;
}

static void push_ev(struct builder *b, struct ev **evs, unsigned int *n,
		    uint64_t chip, uint64_t id, unsigned int owner,
		    const char *what)
{
	struct ev *q = grow(*evs, *n, sizeof(**evs), &b->failed);

	if (b->failed)
		return;
	*evs = q;
	q[*n] = (struct ev){ chip, id, owner, what };
	(*n)++;
}

/*
 * Runs of @evs: one per id (@merge false) or of consecutive ids with the
 * same owners (@merge true).
 */
static unsigned int make_runs(struct builder *b, struct ev *evs, unsigned int n,
			      bool merge, struct map_run **out)
{
	struct map_run *runs = NULL, *r = NULL;
	unsigned int nr = 0, i = 0, j;
	uint64_t mask;
	const char *what;

	if (n)
		qsort(evs, n, sizeof(*evs), ev_cmp);
	while (i < n) {
		mask = 0;
		what = NULL;
		for (j = i; j < n && evs[j].chip == evs[i].chip &&
			    evs[j].id == evs[i].id;
		     j++) {
			mask |= (uint64_t)1 << evs[j].owner;
			/* A device's type: the owner that claims it. */
			if (!what || !strcmp(what, "ivshmem"))
				what = evs[j].what;
		}
		if (merge && r && r->chip == evs[i].chip &&
		    r->last + 1 == evs[i].id && r->owners == mask) {
			r->last = evs[i].id;
		} else {
			runs = grow(runs, nr, sizeof(*runs), &b->failed);
			if (b->failed)
				break;
			r = &runs[nr++];
			*r = (struct map_run){ evs[i].chip, evs[i].id,
					       evs[i].id,   mask,
					       "",	    -1 };
			if (what)
				snprintf(r->what, sizeof(r->what), "%s", what);
		}
		i = j;
	}
	*out = runs;
	return nr;
}

static const char *pci_type(uint8_t type)
{
	switch (type) {
	case WD_PCI_TYPE_DEVICE:
		return "device";
	case WD_PCI_TYPE_BRIDGE:
		return "bridge";
	case WD_PCI_TYPE_IVSHMEM:
		return "ivshmem";
	}
	return "type ?";
}

static void build_runs(struct builder *b)
{
	struct map *m = b->m;
	struct ev *evs = NULL;
	unsigned int n = 0, o, i, bit;
	uint64_t *ports;

	/* CPUs */
	for (o = MAP_ROOT; o < m->nowners; o++)
		for (i = 0; i < b->cfgs[o]->cell.cpu_set_size * 8; i++)
			if (cellcfg_has_cpu(b->cfgs[o], i))
				push_ev(b, &evs, &n, 0, i, o, NULL);
	m->ncpus = make_runs(b, evs, n, false, &m->cpus);
	/* Interrupt pins, per irqchip address */
	n = 0;
	for (o = MAP_ROOT; o < m->nowners; o++)
		for (i = 0; i < b->cfgs[o]->num[CFG_IRQCHIP]; i++) {
			const struct wd_irqchip *c = &b->cfgs[o]->irq[i];

			for (bit = 0; bit < WD_IRQCHIP_PINS; bit++)
				if (c->pin_bitmap[bit / 32] >> (bit % 32) & 1)
					push_ev(b, &evs, &n, c->address,
						(uint64_t)c->pin_base + bit, o,
						NULL);
		}
	m->npins = make_runs(b, evs, n, true, &m->pins);
	/* PCI devices, by domain and BDF */
	n = 0;
	for (o = MAP_ROOT; o < m->nowners; o++)
		for (i = 0; i < b->cfgs[o]->num[CFG_PCI]; i++) {
			const struct wd_pci_device *d = &b->cfgs[o]->pci[i];

			push_ev(b, &evs, &n, d->domain, d->bdf, o,
				pci_type(d->type));
		}
	m->npci = make_runs(b, evs, n, false, &m->pci);
	/*
	 * Port ranges (x86), merged: who lists each port first, so that
	 * overlapping ranges cost one event per port, whatever the input.
	 */
	n = 0;
	ports = calloc(0x10000, sizeof(*ports));
	if (!ports) {
		b->failed = true;
		free(evs);
		return;
	}
	for (o = MAP_ROOT; o < m->nowners; o++)
		for (i = 0; i < b->cfgs[o]->num[CFG_PIO]; i++) {
			const struct wd_pio *p = &b->cfgs[o]->pio[i];
			uint32_t port;

			for (port = p->base;
			     port < (uint32_t)p->base + p->length &&
			     port < 0x10000;
			     port++)
				ports[port] |= (uint64_t)1 << o;
		}
	for (i = 0; i < 0x10000; i++)
		for (o = MAP_ROOT; o < m->nowners; o++)
			if (ports[i] >> o & 1)
				push_ev(b, &evs, &n, 0, i, o, NULL);
	free(ports);
	m->npio = make_runs(b, evs, n, true, &m->pio);
	free(evs);
}

static struct map_run *run_of(struct map_run *runs, unsigned int n,
			      uint64_t chip, uint64_t id, unsigned int owner)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		if (runs[i].chip == chip && id >= runs[i].first &&
		    id <= runs[i].last && (runs[i].owners >> owner & 1))
			return &runs[i];
	return NULL;
}

/* Each problem at the item it is about: the first one there wins. */
static void attach_problems(struct builder *b)
{
	struct map *m = b->m;
	unsigned int p, i;

	for (p = m->nprob; p-- > 0;) {
		const struct map_problem *pr = &m->prob[p];
		const struct cellcfg *c = b->cfgs[pr->owner];
		struct map_run *r = NULL;

		if (pr->owner == MAP_HV)
			continue;
		switch (pr->kind) {
		case CFG_MEM:
			for (i = 0; i < m->nmem; i++)
				if (m->mem[i].owner == pr->owner &&
				    m->mem[i].idx == (int)pr->idx)
					m->mem[i].problem = (int)p;
			for (i = 0; i < m->ncomm; i++)
				if (m->comm[i].owner == pr->owner &&
				    m->comm[i].idx == (int)pr->idx)
					m->comm[i].problem = (int)p;
			break;
		case CFG_CPUS:
			r = run_of(m->cpus, m->ncpus, 0, pr->idx, pr->owner);
			break;
		case CFG_IRQCHIP:
			if (pr->idx < c->num[CFG_IRQCHIP])
				r = run_of(m->pins, m->npins,
					   c->irq[pr->idx].address, pr->value,
					   pr->owner);
			break;
		case CFG_PCI:
			if (pr->idx < c->num[CFG_PCI])
				r = run_of(m->pci, m->npci,
					   c->pci[pr->idx].domain,
					   c->pci[pr->idx].bdf, pr->owner);
			break;
		case CFG_PIO:
			r = run_of(m->pio, m->npio, 0, pr->value, pr->owner);
			break;
		}
		if (r)
			r->problem = (int)p;
	}
}

int map_build(struct map *m, struct cellcfg **cfgs, unsigned int n, FILE *err)
{
	struct cellcfg *order[MAP_MAX_OWNERS] = { NULL };
	struct builder b = { m, order, false };
	unsigned int i, systems = 0;

	memset(m, 0, sizeof(*m));
	if (n + 1 > MAP_MAX_OWNERS) {
		fprintf(err, "warden-config map: %u configs: at most %u\n", n,
			MAP_MAX_OWNERS - 1);
		return -1;
	}
	for (i = 0; i < n; i++)
		systems += cfgs[i]->is_system;
	if (systems != 1) {
		fprintf(err,
			"warden-config map: %u system configs given: exactly "
			"one expected, with the cells meant to run on it\n",
			systems);
		return -1;
	}
	m->nowners = 1;
	snprintf(m->owner[MAP_HV].name, sizeof(m->owner[0].name), "hypervisor");
	for (i = 0; i < n; i++)
		if (cfgs[i]->is_system)
			order[m->nowners++] = cfgs[i];
	for (i = 0; i < n; i++)
		if (!cfgs[i]->is_system)
			order[m->nowners++] = cfgs[i];
	for (i = MAP_ROOT; i < m->nowners; i++) {
		m->owner[i].cfg = order[i];
		snprintf(m->owner[i].name, sizeof(m->owner[i].name), "%.*s",
			 (int)sizeof(order[i]->cell.name), order[i]->cell.name);
	}
	m->arch = order[MAP_ROOT]->sys.architecture;
	/* The checker's messages, as `check` prints them (system first). */
	check_configs_hook(order + MAP_ROOT, m->nowners - MAP_ROOT, NULL,
			   on_problem, &b);
	build_memory(&b);
	build_runs(&b);
	if (b.failed) {
		fprintf(err, "warden-config map: out of memory\n");
		map_free(m);
		return -1;
	}
	if (m->nmem)
		qsort(m->mem, m->nmem, sizeof(*m->mem), mem_cmp);
	if (m->ncomm)
		qsort(m->comm, m->ncomm, sizeof(*m->comm), mem_cmp);
	mark_taken(m);
	attach_problems(&b);
	return 0;
}

void map_free(struct map *m)
{
	unsigned int i;

	for (i = 0; i < m->nprob; i++)
		free(m->prob[i].line);
	free(m->prob);
	free(m->mem);
	free(m->comm);
	free(m->cpus);
	free(m->pins);
	free(m->pci);
	free(m->pio);
	memset(m, 0, sizeof(*m));
}

/* ---- text ----------------------------------------------------------- */

struct tout {
	FILE *f;
	bool colour;
	bool *shown; /* per problem: printed at its item */
};

/* ANSI colour of each owner (hypervisor grey, root blue, then cells). */
static const char *owner_sgr(unsigned int o)
{
	static const char *const sgr[] = { "90", "34", "33", "32", "35", "36",
					   "93", "92", "95", "96", "94", "91" };

	return o < sizeof(sgr) / sizeof(sgr[0]) ? sgr[o] :
						  sgr[2 + (o - 2) % 10];
}

static void on(const struct tout *t, const char *sgr)
{
	if (t->colour)
		fprintf(t->f, "\033[%sm", sgr);
}

static void off(const struct tout *t)
{
	if (t->colour)
		fputs("\033[0m", t->f);
}

/* @name padded to @width, in the owner's colour. */
static void owner_name(const struct tout *t, unsigned int o, const char *name,
		       int width)
{
	on(t, owner_sgr(o));
	fprintf(t->f, "%-*s", width, name);
	off(t);
}

static void problem_line(const struct tout *t, const struct map *m, int p,
			 int indent)
{
	if (p < 0)
		return;
	on(t, "1;31");
	fprintf(t->f, "%*s! %s", indent, "", m->prob[p].line);
	off(t);
	fputc('\n', t->f);
	t->shown[p] = true;
}

/* Every problem about (@owner, @kind[, @idx]) not printed yet. */
static void problems_of(const struct tout *t, const struct map *m,
			unsigned int owner, unsigned int kind, int indent)
{
	unsigned int p;

	for (p = 0; p < m->nprob; p++)
		if (!t->shown[p] && m->prob[p].owner == owner &&
		    m->prob[p].kind == kind)
			problem_line(t, m, (int)p, indent);
}

static int addr_digits(const struct map *m)
{
	unsigned int i;

	for (i = 0; i < m->nmem; i++)
		if (map_last(&m->mem[i]) > 0xffffffffull)
			return 12;
	return 8;
}

/*
 * Indentation of region @i: how many earlier regions contain it (@stack
 * holds their indices, @depth of them; both updated). Regions come by
 * start address, so those that end before @i ends do not contain it. A range equal to
 * the one above is listed beside it, not inside.
 */
static unsigned int nest(const struct map *m, unsigned int i,
			 unsigned int *stack, unsigned int *depth)
{
	const struct map_mem *r = &m->mem[i], *top;

	while (*depth && map_last(&m->mem[stack[*depth - 1]]) < map_last(r))
		(*depth)--;
	top = *depth ? &m->mem[stack[*depth - 1]] : NULL;
	if (top && top->start == r->start && top->size == r->size)
		return *depth - 1;
	if (*depth < 64)
		stack[(*depth)++] = i;
	return *depth - 1;
}

static void text_memory(const struct tout *t, const struct map *m)
{
	unsigned int stack[64];
	uint64_t covered = 0;
	unsigned int i, depth = 0, indent;
	int w = addr_digits(m), nw = 10, rw = 0;
	bool any = false;
	char size[24], flags[96], range[64];

	for (i = MAP_HV; i < m->nowners; i++)
		if ((int)strlen(m->owner[i].name) > nw)
			nw = (int)strlen(m->owner[i].name);
	/* The range column fits the deepest indentation. */
	for (i = 0; i < m->nmem; i++) {
		indent = nest(m, i, stack, &depth);
		if ((int)indent * 2 + 2 * w + 5 > rw)
			rw = (int)indent * 2 + 2 * w + 5;
	}
	depth = 0;
	fprintf(t->f, "Physical memory (address order; indented: inside the "
		      "range above)\n");
	fprintf(t->f, "  %-*s %10s  %-*s %-22s %s\n", rw, "RANGE", "SIZE", nw,
		"OWNER", "FLAGS", "WHAT");
	for (i = 0; i < m->nmem; i++) {
		const struct map_mem *r = &m->mem[i];

		if (any && r->start > covered) {
			on(t, "2");
			fprintf(t->f, "  %-*s %10s  (gap: no one's)\n", rw,
				"...",
				map_size(r->start - covered, size,
					 sizeof(size)));
			off(t);
		}
		indent = nest(m, i, stack, &depth);
		snprintf(range, sizeof(range), "%*s0x%0*llx-0x%0*llx",
			 2 * (int)indent, "", w, (unsigned long long)r->start,
			 w, (unsigned long long)map_last(r));
		fprintf(t->f, "  %-*s %10s  ", rw, range,
			map_size(r->size, size, sizeof(size)));
		owner_name(t, r->owner, m->owner[r->owner].name, nw);
		fprintf(t->f, " %-22s %s%s\n",
			map_flags(r->flags, flags, sizeof(flags)), r->what,
			r->taken ? " [cells take part of it]" : "");
		problem_line(t, m, r->problem, 4);
		if (!any || map_last(r) + 1 > covered)
			covered = map_last(r) + 1;
		if (map_last(r) == UINT64_MAX)
			covered = UINT64_MAX;
		any = true;
	}
	if (!any)
		fprintf(t->f, "  (none)\n");
}

/* The runs of @kind listed by owner @o, on one line; problems below. */
static void text_runs(const struct tout *t, const struct map *m,
		      const struct map_run *runs, unsigned int n, char kind,
		      unsigned int o, const char *label)
{
	unsigned int i, count = 0;
	uint64_t chip = UINT64_MAX;
	char name[64], who[256];

	for (i = 0; i < n; i++) {
		const struct map_run *r = &runs[i];

		if (!(r->owners >> o & 1))
			continue;
		if (!count++)
			fprintf(t->f, "    %-10s", label);
		if (kind == 'i' && r->chip != chip) {
			fprintf(t->f, " [irqchip 0x%llx]",
				(unsigned long long)r->chip);
			chip = r->chip;
		}
		map_run_name(r, kind, name, sizeof(name));
		/* "pins 32-63" -> "32-63" after the label */
		fprintf(t->f, "%s%s", kind == 'p' && count > 1 ? ", " : " ",
			kind == 'c' ? name + 4 :
			kind == 'i' ? strchr(name, ' ') + 1 :
			kind == 'o' ? name + 6 :
				      name);
		if (kind == 'p')
			fprintf(t->f, " %s", r->what);
		/* Who else lists it: the root cell lends, cells take. */
		if (r->owners & ~((uint64_t)1 << o)) {
			map_owners(m, r->owners & ~((uint64_t)1 << o), who,
				   sizeof(who));
			fprintf(t->f, " (%s %s)",
				o == MAP_ROOT ? "given to" : "also", who);
		}
		if (r->problem >= 0 && m->prob[r->problem].owner == o) {
			on(t, "1;31");
			fputs(" !", t->f);
			off(t);
		}
	}
	if (count)
		fputc('\n', t->f);
	/* The problems of this kind reported on this cell. */
	problems_of(t, m, o,
		    kind == 'c' ? CFG_CPUS :
		    kind == 'i' ? CFG_IRQCHIP :
		    kind == 'p' ? CFG_PCI :
				  CFG_PIO,
		    6);
}

static void text_cells(const struct tout *t, const struct map *m)
{
	unsigned int o, i;
	char size[24];

	fprintf(t->f, "\nCells (CPUs, interrupt pins, PCI devices, ports; a "
		      "cell takes what it lists from the root cell)\n");
	for (o = MAP_ROOT; o < m->nowners; o++) {
		const struct cellcfg *c = m->owner[o].cfg;

		fputs("  ", t->f);
		owner_name(t, o, m->owner[o].name, 0);
		fprintf(t->f, "  %s%s\n", o == MAP_ROOT ? "root cell, " : "",
			c->file ? c->file : "");
		problems_of(t, m, o, CHECK_HDR, 6);
		text_runs(t, m, m->cpus, m->ncpus, 'c', o, "CPUs");
		text_runs(t, m, m->pins, m->npins, 'i', o, "IRQ pins");
		text_runs(t, m, m->pci, m->npci, 'p', o, "PCI");
		text_runs(t, m, m->pio, m->npio, 'o', o, "ports");
		for (i = 0; i < m->ncomm; i++)
			if (m->comm[i].owner == o) {
				fprintf(t->f,
					"    %-10s guest 0x%llx-0x%llx (%s, "
					"a hypervisor page)\n",
					"comm",
					(unsigned long long)m->comm[i].start,
					(unsigned long long)map_last(
						&m->comm[i]),
					map_size(m->comm[i].size, size,
						 sizeof(size)));
				problem_line(t, m, m->comm[i].problem, 6);
			}
	}
}

void map_text(const struct map *m, FILE *out, bool colour)
{
	struct tout t = { out, colour, calloc(m->nprob + 1, sizeof(bool)) };
	unsigned int p, left = 0;

	if (!t.shown) {
		fprintf(out, "warden-config map: out of memory\n");
		return;
	}
	fprintf(out, "%s system \"%s\" with %u cell%s (%s)\n\n",
		m->arch == WD_ARCH_X86 ? "x86" :
		m->arch == WD_ARCH_ARM ? "ARM" :
					 "ARM64",
		m->owner[MAP_ROOT].name, m->nowners - 2,
		m->nowners == 3 ? "" : "s",
		m->owner[MAP_ROOT].cfg->file ? m->owner[MAP_ROOT].cfg->file :
					       "");
	text_memory(&t, m);
	text_cells(&t, m);
	for (p = 0; p < m->nprob; p++)
		left += !t.shown[p];
	if (left) {
		fprintf(out, "\nOther problems\n");
		for (p = 0; p < m->nprob; p++)
			if (!t.shown[p])
				problem_line(&t, m, (int)p, 2);
	}
	on(&t, m->nprob ? "1;31" : "32");
	fprintf(out, "\n%u problem%s found by warden-config check", m->nprob,
		m->nprob == 1 ? "" : "s");
	off(&t);
	fputc('\n', out);
	free(t.shown);
}

/* ---- the command ---------------------------------------------------- */

static void usage(FILE *f)
{
	fprintf(f,
		"usage: warden-config map SYSTEM [CELL...] [-o MAP.svg]\n"
		"\n"
		"Draw who owns what in a system config and the cell configs\n"
		"meant to run on it (.dts, .dtb or binary .cell files; the\n"
		"cells in the order they are created):\n"
		"  - physical memory in address order: each region with its\n"
		"    owner (hypervisor, root cell, cell), size, flags and DTS\n"
		"    node, regions inside others indented, gaps between them;\n"
		"  - per cell: CPUs, interrupt pins per irqchip, PCI devices\n"
		"    (BDF, type), port ranges and the comm region.\n"
		"Conflicts are those of `warden-config check` (overlaps between\n"
		"cells, a cell's region outside the root cell's memory, a CPU\n"
		"in two cells, ...), printed with check's message at the item\n"
		"they are about.\n"
		"\n"
		"Without -o the map is text on stdout, coloured when stdout is\n"
		"a terminal and NO_COLOR is unset. With -o MAP.svg it is a\n"
		"self-contained SVG picture: memory bars on a segmented scale\n"
		"(a 4 KiB page and 1 GiB of RAM both visible, gaps shortened),\n"
		"one lane per owner, CPU, interrupt, PCI and port lanes, the\n"
		"region list and the conflicts; open it in a browser.\n"
		"\n"
		"Example:\n"
		"  warden-config map configs/sim-x86/system.dts \\\n"
		"      configs/sim-x86/tiny.dts configs/sim-x86/attack.dts\n"
		"\n"
		"Exit status: 0 map drawn, no conflicts; 1 conflicts found (the\n"
		"map is drawn) or a file cannot be read; 2 usage error.\n");
}

int cmd_map(int argc, char **argv)
{
	struct cellcfg *cfgs = calloc((size_t)argc, sizeof(*cfgs));
	struct cellcfg **ptrs = calloc((size_t)argc, sizeof(*ptrs));
	const char *svg = NULL, *nc = getenv("NO_COLOR");
	unsigned int n = 0, i;
	int a, ret = 1;
	struct map m;
	FILE *f;

	if (!cfgs || !ptrs) {
		fprintf(stderr, "warden-config: out of memory\n");
		goto out;
	}
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "--help") || !strcmp(argv[a], "-h")) {
			usage(stdout);
			ret = 0;
			goto out;
		}
		if (!strcmp(argv[a], "-o")) {
			if (++a >= argc) {
				fprintf(stderr, "warden-config map: -o needs "
						"a file name (MAP.svg)\n");
				ret = 2;
				goto out;
			}
			svg = argv[a];
		} else if (argv[a][0] == '-' && argv[a][1]) {
			fprintf(stderr,
				"warden-config map: unknown option %s\n",
				argv[a]);
			usage(stderr);
			ret = 2;
			goto out;
		}
	}
	for (a = 1; a < argc; a++) {
		if (!strcmp(argv[a], "-o")) {
			a++;
			continue;
		}
		if (check_load(argv[a], &cfgs[n], stderr))
			goto out;
		ptrs[n] = &cfgs[n];
		n++;
	}
	if (!n) {
		usage(stderr);
		ret = 2;
		goto out;
	}
	if (map_build(&m, ptrs, n, stderr))
		goto out;
	if (svg) {
		f = fopen(svg, "w");
		if (f)
			map_svg(&m, f, ptrs[0]->file);
		if (!f || fclose(f)) {
			fprintf(stderr,
				"warden-config map: %s: cannot write: "
				"%s\n",
				svg, strerror(errno));
			map_free(&m);
			goto out;
		}
		printf("wrote %s: %u memory ranges, %u cells, %u conflicts\n",
		       svg, m.nmem + m.ncomm, m.nowners - MAP_ROOT, m.nprob);
	} else {
		map_text(&m, stdout, isatty(STDOUT_FILENO) && !(nc && *nc));
	}
	ret = m.nprob ? 1 : 0;
	map_free(&m);
out:
	for (i = 0; i < n; i++)
		cellcfg_free(&cfgs[i]);
	free(cfgs);
	free(ptrs);
	return ret;
}
