/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Cells and their lifecycle: create (SHUT_DOWN), set-loadable (LOADABLE
 * regions visible to the root cell), start (RUNNING), shutdown requests
 * through the comm region, destroy. Only the root cell manages; a cell in
 * RUNNING_LOCKED blocks every change to the others.
 */
#include "core.h"

const char *cell_name(const struct cell *cell)
{
	return cell->config ? cell->config->name : "?";
}

unsigned int num_cells; /* in use: cell_setup() .. cell_teardown() */

#define ROOT_SPLIT_PAGES 64

/* The CPU set a cell config lists (little-endian bytes; at most 8: more
 * are refused by config_check_cell(), WD_MAX_CPUS). */
static struct cpu_set cpu_set_of(const struct wd_cell_desc *cfg)
{
	struct cpu_set set = { 0 };

	wd_memcpy(&set.bits, wd_cell_cpu_set(cfg),
		  MIN(cfg->cpu_set_size, sizeof(set.bits)));
	return set;
}

static void comm_init(struct cell *cell, uint32_t state)
{
	struct wd_comm_region *comm = cell->comm;
	uint32_t flags = cell->config->flags;

	wd_memcpy(comm->signature, WD_COMM_SIGNATURE, sizeof(comm->signature));
	comm->revision = WD_COMM_REVISION;
	comm->cell_state = state;
	comm->msg_to_cell = WD_MSG_NONE;
	comm->reply_from_cell = WD_MSG_NONE;
	comm->flags = 0;
	if (flags & (WD_CELL_VIRTUAL_CONSOLE_PERMITTED |
		     WD_CELL_VIRTUAL_CONSOLE_ACTIVE))
		comm->flags |= WD_COMM_FLAG_DBG_PUTC_PERMITTED;
	if (flags & WD_CELL_VIRTUAL_CONSOLE_ACTIVE)
		comm->flags |= WD_COMM_FLAG_DBG_PUTC_ACTIVE;
	wd_memcpy(&comm->console, &cell->config->console,
		  sizeof(comm->console));
	comm->pci_mmconfig_base =
		core_system_config()->platform_info.pci_mmconfig_base;
}

/*
 * Build every resource of @cell from its validated config copy @cfg (in
 * hypervisor memory, owned by the cell from now on). On failure the cell is
 * torn down again and the error returned.
 */
int cell_setup(struct cell *cell, const void *cfg, uint64_t len)
{
	const struct wd_memory *mem = wd_cell_mem_regions(cfg);
	/*
	 * The MMIO slots @cell needs: one per region that maps something
	 * (empty slots do not), two per PCI device (BARs of virtual ones),
	 * plus ECAM and a few for the backend; the root cell also emulates
	 * pages it shares with cells' sub-page device regions.
	 */
	unsigned int i, slots = 8 + (cell == root_cell ? ROOT_SPLIT_PAGES : 0);
	uint32_t seq;
	int err;

	cell->config = (struct wd_cell_desc *)cfg;
	cell->config_size = len;
	cell->cpus = cpu_set_of(cell->config);
	cell->in_use = true;
	num_cells++;
	slots += 2 * cell->config->num_pci_devices;
	for (i = 0; i < cell->config->num_memory_regions; i++)
		slots += !mem_is_empty(&mem[i]);
	cell->comm = core_page_alloc(1);
	err = cell->comm ? mmio_cell_init(cell, slots) :
			   (int)reject(cell, WD_R_no_memory, 1, WD_ENOMEM);
	if (!err) {
		comm_init(cell, cell == root_cell ? WD_CELL_RUNNING :
						    WD_CELL_SHUT_DOWN);
		seq = core_last_reason()->seq;
		err = hal_cell_create(cell);
		/* The backend's own reason (core_refuse), or this one. */
		if (err && core_last_reason()->seq == seq)
			err = reject(cell, WD_R_no_memory, 0, -err);
	}
	if (!err)
		err = memory_cell_init(cell);
	if (!err && cell == root_cell && console_root_map())
		err = reject(cell, WD_R_no_memory, 0, WD_ENOMEM);
	if (!err)
		err = pio_cell_init(cell);
	if (!err)
		err = pci_cell_init(cell);
	if (!err)
		err = irq_cell_claim(cell);
	if (err)
		cell_teardown(cell);
	return err;
}

/* Undo cell_setup(), whatever stage it reached. */
void cell_teardown(struct cell *cell)
{
	bool lost = false;
	unsigned int cpu;

	console_cell_flush(cell);
	irq_cell_release(cell);
	pci_cell_exit(cell);
	pio_cell_exit(cell);
	memory_cell_exit(cell);
	if (cell != root_cell)
		pci_root_retrap();
	/*
	 * A lost CPU may still walk the cell's stage-2 tables, which
	 * memory_cell_exit() has just emptied: they are kept for good, never
	 * freed and reused as something it could then reach (hal/hal.h).
	 */
	for_each_cpu(cpu, &cell->cpus)
		lost |= per_cpu_table[cpu].lost;
	if (!lost)
		hal_cell_destroy(cell);
	mmio_cell_exit(cell);
	core_page_free(cell->comm, 1);
	/* The root cell's config is part of the system config copy. */
	if (cell != root_cell)
		core_page_free(cell->config, pages_for(cell->config_size));
	num_cells -= cell->in_use;
	wd_memset(cell, 0, sizeof(*cell));
}

static uint32_t comm_state(const struct cell *cell)
{
	return __atomic_load_n(&cell->comm->cell_state, __ATOMIC_ACQUIRE);
}

bool cell_is_running(const struct cell *cell)
{
	uint32_t s = comm_state(cell);

	return s == WD_CELL_RUNNING || s == WD_CELL_RUNNING_LOCKED;
}

/* Refused while a cell other than @except holds the lock. */
static long check_unlocked(struct cell *caller, const struct cell *except)
{
	unsigned int i;

	for (i = 0; i < WD_MAX_CELLS; i++)
		if (cells[i].in_use && &cells[i] != root_cell &&
		    &cells[i] != except &&
		    comm_state(&cells[i]) == WD_CELL_RUNNING_LOCKED)
			return reject(caller, WD_R_cell_locked, i, WD_EPERM);
	return 0;
}

/*
 * How long @cell's reply may take, in nanoseconds (0: for as long as it
 * takes). msg_reply_timeout is a bound in nanoseconds of at least
 * MSG_REPLY_MIN_NS: Jailhouse counts it in polling loops of its hypervisor,
 * and such a count read as nanoseconds would give a guest no time to
 * answer, so a smaller value is raised to the minimum (docs/abi.md 8).
 */
#define MSG_REPLY_MIN_NS 10000000ULL /* 10 ms */

static uint64_t reply_timeout_ns(const struct cell *cell)
{
	uint64_t t = cell->config->msg_reply_timeout;

	return t && t < MSG_REPLY_MIN_NS ? MSG_REPLY_MIN_NS : t;
}

/*
 * Ask @cell to shut down through its comm region and wait for the reply.
 * Returns the reply, or 0 if the cell did not answer within its timeout.
 */
static uint32_t request_shutdown(struct cell *cell)
{
	struct wd_comm_region *comm = cell->comm;
	uint64_t start = hal_time_ns();
	uint64_t timeout = reply_timeout_ns(cell);
	uint32_t reply;

	if (cell->config->flags & WD_CELL_PASSIVE_COMMREG)
		return WD_MSG_REQUEST_APPROVED;
	__atomic_store_n(&comm->reply_from_cell, WD_MSG_NONE, __ATOMIC_RELEASE);
	__atomic_store_n(&comm->msg_to_cell, WD_MSG_SHUTDOWN_REQUEST,
			 __ATOMIC_RELEASE);
	while ((reply = __atomic_load_n(&comm->reply_from_cell,
					__ATOMIC_ACQUIRE)) == WD_MSG_NONE &&
	       (!timeout || hal_time_ns() - start < timeout))
		hal_cpu_relax();
	__atomic_store_n(&comm->msg_to_cell, WD_MSG_NONE, __ATOMIC_RELEASE);
	return reply;
}

/* Hold (or release) the root cell's other CPUs while its tables change. */
static void suspend_root(bool suspend)
{
	unsigned int cpu, self = this_cpu()->id;

	for_each_cpu(cpu, &root_cell->cpus)
		if (cpu != self)
			percpu_suspend(cpu, suspend);
}

/* Stateful create checks: name, CPUs, pins and devices available. */
static long check_create(struct cell *caller, const struct wd_cell_desc *cfg)
{
	const struct wd_system *sys = core_system_config();
	struct check_result r;
	struct cpu_set set;
	unsigned int cpu, i;

	if (cfg->architecture != sys->architecture)
		return reject(caller, WD_R_cfg_arch, cfg->architecture,
			      WD_EINVAL);
	for (i = 0; i < WD_MAX_CELLS; i++)
		if (cells[i].in_use &&
		    !wd_strncmp(cells[i].config->name, cfg->name,
				sizeof(cfg->name)))
			return reject(caller, WD_R_cell_name_exists, i,
				      WD_EEXIST);
	set = cpu_set_of(cfg);
	for_each_cpu(cpu, &set) {
		if (!per_cpu_table[cpu].online)
			return reject(caller, WD_R_cpu_invalid, cpu, WD_EINVAL);
		if (!cpu_set_has(&root_cell->cpus, cpu))
			return reject(caller, WD_R_cpu_not_in_root, cpu,
				      WD_EBUSY);
		if (cpu == this_cpu()->id)
			return reject(caller, WD_R_cpu_is_caller, cpu,
				      WD_EBUSY);
		if (per_cpu_table[cpu].lost)
			return reject(caller, WD_R_cpu_lost, cpu, WD_EBUSY);
	}
	r = irq_check(cfg, false);
	if (!r.reason)
		r = irq_check(cfg, true);
	if (!r.reason)
		r = pci_check_claim(cfg);
	if (!r.reason)
		r = pio_check_claim(cfg);
	return r.reason ? reject(caller, r.reason, r.item, r.err) : 0;
}

/*
 * Copy the config at @gpa out of the root cell into *@out, *@size bytes
 * (the caller's to free, refused or not), and validate it.
 */
static long fetch_config(struct cell *caller, uint64_t config_gpa, void **out,
			 uint64_t *size)
{
	struct wd_cell_desc hdr;
	struct check_result r;

	if (hal_copy_from_guest(caller, gpa(config_gpa), &hdr, sizeof(hdr)))
		return reject(caller, WD_R_cfg_address, config_gpa, WD_EFAULT);
	r = config_check_cell(&hdr, sizeof(hdr), NULL);
	if (r.reason != WD_R_cfg_truncated)
		return reject(caller, r.reason ? r.reason : WD_R_cfg_truncated,
			      r.item, WD_EINVAL);
	*size = r.item;
	*out = core_page_alloc(pages_for(*size));
	if (!*out)
		return reject(caller, WD_R_no_memory, pages_for(*size),
			      WD_ENOMEM);
	/* Validate our copy: the root cell may change its own meanwhile. */
	if (hal_copy_from_guest(caller, gpa(config_gpa), *out, *size))
		return reject(caller, WD_R_cfg_address, config_gpa + *size - 1,
			      WD_EFAULT);
	r = config_check_cell(*out, *size,
			      &core_system_config()->hypervisor_memory);
	return r.reason ? reject(caller, r.reason, r.item, r.err) : 0;
}

long cell_create(uint64_t config_gpa)
{
	struct cell *caller = this_cpu()->cell, *cell = NULL;
	uint64_t size = 0;
	unsigned int i, cpu;
	void *cfg = NULL;
	long err = check_unlocked(caller, NULL);

	if (!err)
		err = fetch_config(caller, config_gpa, &cfg, &size);
	if (!err)
		err = check_create(caller, cfg);
	for (i = 0; !err && i < WD_MAX_CELLS && cells[i].in_use; i++)
		;
	if (!err && i == WD_MAX_CELLS)
		err = reject(caller, WD_R_too_many_cells, WD_MAX_CELLS,
			     WD_ENOMEM);
	if (err) {
		core_page_free(cfg, pages_for(size));
		return err;
	}

	suspend_root(true);
	cell = &cells[i];
	cell->id = i;
	err = cell_setup(cell, cfg, size);
	if (err) {
		/* The reason was recorded for the new cell: give it to root. */
		wd_memcpy(&caller->last_reason, core_last_reason(),
			  sizeof(caller->last_reason));
		suspend_root(false);
		return err;
	}
	for_each_cpu(cpu, &cell->cpus) {
		/* Leaves the root cell parked: no longer held for the root. */
		percpu_park(cpu);
		percpu_suspend(cpu, false);
		root_cell->cpus.bits &= ~(1ULL << cpu);
		per_cpu_table[cpu].cell = cell;
		per_cpu_table[cpu].failed = per_cpu_table[cpu].lost;
		/* Its counters count the new owner's exits only. */
		wd_memset(per_cpu_table[cpu].stats, 0, WD_CPU_STATS * 8);
	}
	hal_config_commit(cell);
	suspend_root(false);
	core_printk("warden: created cell \"%s\" (id %u)\n", cell_name(cell),
		    cell->id);
	return cell->id;
}

/*
 * Start, set-loadable or destroy (@code) the cell @id. The caller is the
 * root cell (core_hypercall() checked it before the management lock). The
 * target must exist and not be the root cell, no cell may hold the lock,
 * and the target must agree to stop (or time out, and be marked FAILED).
 * Then its CPUs are parked and the root cell's other CPUs held
 * (suspend_root) until the change is committed. The target's LOADABLE
 * regions are the root cell's from set-loadable to start or destroy.
 */
long cell_manage(unsigned long code, uint64_t id)
{
	struct cell *caller = this_cpu()->cell, *cell = core_cell_by_id(id);
	bool start = code == WD_HC_CELL_START;
	unsigned int cpu, boot;
	uint32_t reply;
	long err = 0;

	if (!cell)
		return reject(caller, WD_R_cell_unknown, id, WD_ENOENT);
	if (cell == root_cell)
		return reject(caller, WD_R_cell_is_root, id, WD_EINVAL);
	if (check_unlocked(caller, cell))
		return -WD_EPERM;
	if (cell_is_running(cell)) {
		reply = request_shutdown(cell);
		/* Silent past its timeout: contained like a fault. */
		if (reply == WD_MSG_NONE)
			cell_fail(cell, WD_R_shutdown_timeout,
				  reply_timeout_ns(cell));
		else if (reply != WD_MSG_REQUEST_APPROVED)
			return reject(caller, WD_R_shutdown_denied, cell->id,
				      WD_EPERM);
	}
	for_each_cpu(cpu, &cell->cpus)
		percpu_park(cpu);
	suspend_root(true);
	if (cell->loadable != (code == WD_HC_CELL_SET_LOADABLE))
		err = memory_loadable_to_root(cell, !cell->loadable);
	if (code == WD_HC_CELL_DESTROY) {
		/* Its CPUs back to the root cell, parked until it restarts
		 * them; then the rest. */
		for_each_cpu(cpu, &cell->cpus) {
			root_cell->cpus.bits |= 1ULL << cpu;
			per_cpu_table[cpu].cell = root_cell;
			per_cpu_table[cpu].failed = per_cpu_table[cpu].lost;
			wd_memset(per_cpu_table[cpu].stats, 0,
				  WD_CPU_STATS * 8);
		}
		console_cell_flush(cell); /* its last line, suppressed count */
		core_printk("warden: destroyed cell \"%s\"\n", cell_name(cell));
		cell_teardown(cell);
		cell = NULL;
		err = 0; /* the regions went back to the root cell anyway */
	} else if (start && !err) {
		/* Reset state; its CPUs wait until the commit. */
		comm_init(cell, WD_CELL_RUNNING);
		pci_cell_reset(cell);
		cell->pci_addr = 0;
		for_each_cpu(cpu, &cell->cpus)
			per_cpu_table[cpu].failed = per_cpu_table[cpu].lost;
	} else if (!start && cell->comm->cell_state != WD_CELL_FAILED) {
		cell->comm->cell_state = WD_CELL_SHUT_DOWN; /* set-loadable */
	}
	hal_config_commit(cell);
	suspend_root(false);
	if (!start || err)
		return err;
	boot = (unsigned int)__builtin_ctzll(cell->cpus.bits); /* not empty */
	for_each_cpu(cpu, &cell->cpus)
		percpu_reset(cpu, cell->config->cpu_reset_address, cpu == boot);
	core_printk("warden: started cell \"%s\"\n", cell_name(cell));
	return 0;
}

long cell_get_state(uint64_t id)
{
	struct cell *caller = this_cpu()->cell, *cell = core_cell_by_id(id);
	uint32_t state;

	if (caller != root_cell && caller != cell)
		return reject(caller, WD_R_not_root, WD_HC_CELL_GET_STATE,
			      WD_EPERM);
	if (!cell)
		return reject(caller, WD_R_cell_unknown, id, WD_ENOENT);
	state = comm_state(cell);
	if (state > WD_CELL_FAILED_COMM_REV)
		return reject(caller, WD_R_cell_state, state, WD_EINVAL);
	return state;
}
