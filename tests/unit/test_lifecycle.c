/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Scenario tests of the cell lifecycle on the simulator backend: create,
 * set-loadable, start, shutdown requests, destroy, disable, and the
 * privilege and hostile-argument rules around them.
 */
#include <check.h>
#include <string.h>

#include "../../core/core.h"
#include "../../sim/sim.h"
#include "support_cfg.h"
#include "support_run.h"

static void setup(void)
{
	ck_assert_int_eq(fx_enable(NULL), 0);
}

static void teardown(void)
{
	fx_teardown();
}

static long state(unsigned int id)
{
	return hc(0, WD_HC_CELL_GET_STATE, id, 0);
}

START_TEST(enable_maps_root_ram_but_not_hypervisor)
{
	struct sim_mapping m;
	struct per_cpu *pc = &per_cpu_table[0];

	/* Root RAM is mapped 1:1, with the config's rights. */
	ck_assert(sim_lookup(pc->cell, 0x1000, &m));
	ck_assert_uint_eq(m.gpa, m.hpa);
	ck_assert_uint_eq(m.flags &
				  (WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE),
			  WD_MEM_READ | WD_MEM_WRITE | WD_MEM_EXECUTE);
	ck_assert(!sim_lookup(pc->cell, T_HV_BASE, NULL));
	ck_assert(!sim_lookup(pc->cell, T_HV_BASE + T_HV_SIZE - 1, NULL));
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 1);
	ck_assert_int_eq(state(0), WD_CELL_RUNNING);
	ck_assert(strstr(sim_console(), "enabled, root cell \"root\""));
}
END_TEST

START_TEST(full_lifecycle)
{
	struct cfg c;
	struct wd_comm_region *comm;
	struct per_cpu *root = &per_cpu_table[0];
	long id;

	cfg_tiny(&c);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	ck_assert_int_eq(state(id), WD_CELL_SHUT_DOWN);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 2);
	/* CPU 2 left the root cell and is parked. */
	ck_assert_ptr_ne(core_cpu_cell(2), root->cell);
	ck_assert(sim_cpu(2)->parked);
	/* The cell's RAM left the root cell. */
	ck_assert(!sim_lookup(root->cell, T_TINY_PHYS, NULL));
	comm = fx_comm(id);
	ck_assert_int_eq(memcmp(comm->signature, "JHCOMM", 6), 0);
	ck_assert_uint_eq(comm->revision, WD_COMM_REVISION);
	ck_assert_uint_eq(comm->flags & WD_COMM_FLAG_DBG_PUTC_PERMITTED,
			  WD_COMM_FLAG_DBG_PUTC_PERMITTED);

	/* Set-loadable: the root cell sees the LOADABLE region again. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_SET_LOADABLE, id, 0), 0);
	ck_assert(sim_lookup(root->cell, T_TINY_PHYS, NULL));
	ck_assert_int_eq(state(id), WD_CELL_SHUT_DOWN);

	/* Start: loadable memory gone from root, CPU reset at the entry. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, id, 0), 0);
	ck_assert(!sim_lookup(root->cell, T_TINY_PHYS, NULL));
	ck_assert_int_eq(state(id), WD_CELL_RUNNING);
	ck_assert(!sim_cpu(2)->parked);
	ck_assert_uint_eq(sim_cpu(2)->reset_entry, 0xfff0);
	ck_assert(sim_cpu(2)->boot_cpu);
	/* Every CPU held during the operations was let go again. */
	for (unsigned int cpu = 0; cpu < T_CPUS; cpu++) {
		ck_assert(!sim_cpu(cpu)->suspended);
		ck_assert(!per_cpu_table[cpu].suspended);
	}

	/* Shutdown through set-loadable, the cell approving. */
	fx_respond(id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_SET_LOADABLE, id, 0), 0);
	ck_assert_int_eq(state(id), WD_CELL_SHUT_DOWN);
	ck_assert(sim_cpu(2)->parked);

	/* Destroy: CPU and memory return to root. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id, 0), 0);
	ck_assert_ptr_eq(core_cpu_cell(2), root->cell);
	ck_assert(sim_lookup(root->cell, T_TINY_PHYS, NULL));
	ck_assert_int_eq(state(id), -WD_ENOENT);
	ck_assert_uint_eq(fx_reason(0), WD_R_cell_unknown);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 1);
}
END_TEST

START_TEST(recreate_after_destroy_reuses_resources)
{
	struct cfg c;
	long used, id;
	int round;

	used = hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_USED, 0);
	cfg_tiny(&c);
	for (round = 0; round < 5; round++) {
		id = fx_create(&c);
		ck_assert_int_eq(id, 1);
		ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id, 0), 0);
	}
	/* No page of the hypervisor pool leaked. */
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_USED,
			    0),
			 used);
}
END_TEST

START_TEST(management_from_non_root_is_refused)
{
	static const unsigned long codes[] = { WD_HC_DISABLE, WD_HC_CELL_CREATE,
					       WD_HC_CELL_START,
					       WD_HC_CELL_SET_LOADABLE,
					       WD_HC_CELL_DESTROY };
	long id = fx_tiny_running();
	unsigned int i;

	ck_assert_int_ge(id, 1);
	for (i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		ck_assert_int_eq(hc(2, codes[i], i == 1 ? T_CFG_GPA : 0, 0),
				 -WD_EPERM);
		ck_assert_uint_eq(fx_reason(id), WD_R_not_root);
		ck_assert_uint_eq(fx_item(id), codes[i]);
	}
	/* Reading the state of another cell is refused too. */
	ck_assert_int_eq(hc(2, WD_HC_CELL_GET_STATE, 0, 0), -WD_EPERM);
	ck_assert_int_eq(hc(2, WD_HC_CPU_GET_INFO, 0, WD_CPU_INFO_STATE),
			 -WD_EPERM);
	/* ...but its own state and CPU are fine. */
	ck_assert_int_eq(hc(2, WD_HC_CELL_GET_STATE, id, 0), WD_CELL_RUNNING);
	ck_assert_int_eq(hc(2, WD_HC_CPU_GET_INFO, 2, WD_CPU_INFO_STATE),
			 WD_CPU_RUNNING);
	/* The refusals changed nothing: the cell still runs. */
	ck_assert_int_eq(state(id), WD_CELL_RUNNING);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 2);
}
END_TEST

static void create_fails(struct cfg *c, long err, unsigned int reason,
			 uint64_t item)
{
	long cells = hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0);
	long used = hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_USED, 0);

	ck_assert_int_eq(fx_create(c), err);
	ck_assert_uint_eq(fx_reason(0), reason);
	ck_assert_uint_eq(fx_item(0), item);
	/* Nothing was created and nothing leaked. */
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 cells);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_USED,
			    0),
			 used);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_LAST_REASON,
			    0),
			 reason);
}

/*
 * While the root's CELL_DESTROY holds the management lock (it waits for
 * tiny's shutdown reply), the other non-root cell calls every management
 * hypercall. Each must be refused at once: were the privilege checked
 * after the lock, the call would spin on it forever (the sim aborts after
 * a virtual hour) and the root's destroy would never end.
 */
static unsigned int lock_calls;
static long lock_results[5];
static struct wd_reason_record lock_reasons[5];

static void call_while_locked(void *arg)
{
	static const unsigned long codes[] = { WD_HC_DISABLE, WD_HC_CELL_CREATE,
					       WD_HC_CELL_START,
					       WD_HC_CELL_SET_LOADABLE,
					       WD_HC_CELL_DESTROY };
	unsigned int i;

	(void)arg;
	if (lock_calls)
		return;
	for (i = 0; i < 5; i++) {
		lock_results[i] = hc(3, codes[i], i == 1 ? T_CFG_GPA : 1, 0);
		lock_reasons[i] = core_cpu_cell(3)->last_reason;
		lock_calls++;
	}
	sim_set_cpu(0); /* back to the root's waiting destroy */
	fx_comm(1)->reply_from_cell = WD_MSG_REQUEST_APPROVED;
}

START_TEST(management_refused_before_lock)
{
	struct cfg c;
	long tiny = fx_tiny_running(), attack;
	unsigned int i;

	cfg_attack(&c);
	attack = fx_create(&c);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, attack, 0), 0);
	lock_calls = 0;
	sim_set_relax_hook(call_while_locked, NULL);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, tiny, 0), 0);
	ck_assert_uint_eq(lock_calls, 5);
	for (i = 0; i < 5; i++) {
		ck_assert_int_eq(lock_results[i], -WD_EPERM);
		ck_assert_uint_eq(lock_reasons[i].code, WD_R_not_root);
		ck_assert_uint_eq(lock_reasons[i].item, i);
	}
	/* The destroy was approved, not timed out: it ended promptly. */
	ck_assert_ptr_null(strstr(sim_console(), "shutdown_timeout"));
	ck_assert_ptr_nonnull(
		strstr(sim_console(), "warden: destroyed cell \"tiny\""));
	ck_assert_int_eq(state(attack), WD_CELL_RUNNING);
}
END_TEST

/*
 * Guest user mode may not call (x86 CPL 3; ARM PL0 cannot even reach the
 * hypervisor): -EPERM with hypercall_user before any other rule, for the
 * root cell too, and nothing is done.
 */
START_TEST(user_mode_hypercall_refused)
{
	long id = fx_tiny_running();
	uint64_t hcs = core_cpu_stat(2, WD_CPU_STAT_VMEXITS_HYPERCALL);
	uint64_t mgmt = core_cpu_stat(0, WD_CPU_STAT_VMEXITS_MANAGEMENT);
	struct cfg c;

	ck_assert_int_eq(hc_user(2, WD_HC_HYPERVISOR_GET_INFO,
				 WD_INFO_NUM_CELLS, 0),
			 -WD_EPERM);
	ck_assert_uint_eq(fx_reason(id), WD_R_hypercall_user);
	ck_assert_uint_eq(fx_item(id), WD_HC_HYPERVISOR_GET_INFO);
	ck_assert_uint_eq(core_cpu_stat(2, WD_CPU_STAT_VMEXITS_HYPERCALL),
			  hcs + 1);
	ck_assert_ptr_nonnull(strstr(sim_console(),
				     "warden: cell \"tiny\": hypercall from "
				     "guest user mode (CPL 3, PL0): hypercall "
				     "code 0x5 [hypercall_user]"));
	/* Not the console either, though tiny may print. */
	sim_console_clear();
	ck_assert_int_eq(hc_user(2, WD_HC_DEBUG_CONSOLE_PUTC, 'u', 0),
			 -WD_EPERM);
	ck_assert_int_eq(hc(2, WD_HC_DEBUG_CONSOLE_PUTC, '\n', 0), 0);
	ck_assert_ptr_null(strstr(sim_console(), "[tiny] u"));
	/* The root's user mode creates nothing, destroys nothing. */
	cfg_attack(&c);
	fx_put(&c, T_CFG_GPA);
	ck_assert_int_eq(hc_user(0, WD_HC_CELL_CREATE, T_CFG_GPA, 0),
			 -WD_EPERM);
	ck_assert_uint_eq(fx_reason(0), WD_R_hypercall_user);
	ck_assert_int_eq(hc_user(0, WD_HC_CELL_DESTROY, id, 0), -WD_EPERM);
	ck_assert_int_eq(hc_user(0, WD_HC_DISABLE, 0, 0), -WD_EPERM);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 2);
	ck_assert_int_eq(state(id), WD_CELL_RUNNING);
	ck_assert_uint_eq(core_cpu_stat(0, WD_CPU_STAT_VMEXITS_MANAGEMENT),
			  mgmt);
	/* The same calls from the kernel work. */
	ck_assert_int_eq(hc(2, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 2);
}
END_TEST

START_TEST(create_config_outside_root_ram)
{
	/* The hypervisor's own memory is not the root cell's RAM. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_CREATE, T_HV_BASE, 0), -WD_EFAULT);
	ck_assert_uint_eq(fx_reason(0), WD_R_cfg_address);
	ck_assert_uint_eq(fx_item(0), T_HV_BASE);
	ck_assert_int_eq(hc(0, WD_HC_CELL_CREATE, 0x7fff0000000ULL, 0),
			 -WD_EFAULT);
	ck_assert_uint_eq(fx_reason(0), WD_R_cfg_address);
}
END_TEST

START_TEST(create_config_straddling_root_ram_end)
{
	struct cfg c;
	size_t len;

	cfg_tiny(&c);
	/* Header inside root RAM, the rest in hypervisor memory. */
	len = fx_put(&c, T_CFG_GPA);
	memmove(sim_phys_ptr(T_HV_BASE - 200, len),
		sim_phys_ptr(T_CFG_GPA, len), 200);
	ck_assert_int_eq(hc(0, WD_HC_CELL_CREATE, T_HV_BASE - 200, 0),
			 -WD_EFAULT);
	ck_assert_uint_eq(fx_reason(0), WD_R_cfg_address);
}
END_TEST

START_TEST(create_wrong_signature_and_revision)
{
	struct cfg c;

	cfg_tiny(&c);
	memcpy(c.cell.signature, "JHSYS", 5);
	create_fails(&c, -WD_EINVAL, WD_R_cfg_signature, 0);
	cfg_tiny(&c);
	c.cell.revision = 13;
	create_fails(&c, -WD_EINVAL, WD_R_cfg_revision, 13);
	cfg_tiny(&c);
	c.cell.architecture = WD_ARCH_ARM;
	create_fails(&c, -WD_EINVAL, WD_R_cfg_arch, WD_ARCH_ARM);
}
END_TEST

START_TEST(create_truncated_config)
{
	struct cfg c;
	struct wd_cell_desc *h;

	cfg_tiny(&c);
	fx_put(&c, T_CFG_GPA);
	/* Counts that point past the end of root RAM. */
	h = sim_phys_ptr(T_HV_BASE - sizeof(*h), sizeof(*h));
	memcpy(h, sim_phys_ptr(T_CFG_GPA, sizeof(*h)), sizeof(*h));
	ck_assert_int_eq(hc(0, WD_HC_CELL_CREATE, T_HV_BASE - sizeof(*h), 0),
			 -WD_EFAULT);
	ck_assert_uint_eq(fx_reason(0), WD_R_cfg_address);
	/* Absurd counts are refused before anything is copied. */
	cfg_tiny(&c);
	fx_put(&c, T_CFG_GPA);
	h = sim_phys_ptr(T_CFG_GPA, sizeof(*h));
	h->num_memory_regions = 0x10000000;
	ck_assert_int_eq(hc(0, WD_HC_CELL_CREATE, T_CFG_GPA, 0), -WD_EINVAL);
	ck_assert_uint_eq(fx_reason(0), WD_R_cfg_too_many);
	ck_assert_uint_eq(fx_item(0), 0x10000000);
}
END_TEST

START_TEST(create_duplicate_name)
{
	struct cfg c;

	cfg_tiny(&c);
	ck_assert_int_eq(fx_create(&c), 1);
	cfg_attack(&c);
	strcpy(c.cell.name, "tiny");
	create_fails(&c, -WD_EEXIST, WD_R_cell_name_exists, 1);
	strcpy(c.cell.name, "root");
	create_fails(&c, -WD_EEXIST, WD_R_cell_name_exists, 0);
}
END_TEST

START_TEST(create_cpu_rules)
{
	struct cfg c;

	cfg_attack(&c);
	c.cpus = 0;
	create_fails(&c, -WD_EINVAL, WD_R_cfg_cpu_set_empty, 0);
	c.cpus = 1ULL << 0; /* the calling CPU */
	create_fails(&c, -WD_EBUSY, WD_R_cpu_is_caller, 0);
	c.cpus = 1ULL << 9; /* no such CPU on this machine */
	create_fails(&c, -WD_EINVAL, WD_R_cpu_invalid, 9);
	c.cpu_set_size = 16; /* larger than WD_MAX_CPUS bits */
	create_fails(&c, -WD_EINVAL, WD_R_cfg_cpu_set_size, 16);

	/* A CPU already given to another cell is not the root cell's. */
	cfg_tiny(&c);
	ck_assert_int_eq(fx_create(&c), 1);
	cfg_attack(&c);
	c.cpus = 1ULL << 2;
	create_fails(&c, -WD_EBUSY, WD_R_cpu_not_in_root, 2);
}
END_TEST

START_TEST(create_memory_rules)
{
	struct cfg c;

	cfg_attack(&c);
	cfg_add_mem(&c, T_HV_BASE, 0x400000, 0x1000, WD_MEM_READ);
	create_fails(&c, -WD_EINVAL, WD_R_mem_hypervisor, 2);

	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0x80000, 0x1000, WD_MEM_READ);
	create_fails(&c, -WD_EINVAL, WD_R_mem_overlap, 2);

	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0x400000, 0, WD_MEM_READ);
	create_fails(&c, -WD_EINVAL, WD_R_mem_size_zero, 2);

	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0xfffffffffffff000ULL, 0x2000, WD_MEM_READ);
	create_fails(&c, -WD_EINVAL, WD_R_mem_wrap, 2);

	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, 0x400000, 0x1000, WD_MEM_READ | 0x4000);
	create_fails(&c, -WD_EINVAL, WD_R_cfg_flags, 2);

	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200800, 0x400800, 0x800, WD_MEM_READ);
	create_fails(&c, -WD_EINVAL, WD_R_mem_unaligned, 2);

	cfg_attack(&c);
	cfg_add_mem(&c, T_DEV_PAGE + 0x80, 0x400080, 0x10,
		    WD_MEM_READ | WD_MEM_IO);
	create_fails(&c, -WD_EINVAL, WD_R_mem_subpage_width, 2);

	cfg_attack(&c);
	cfg_add_mem(&c, 0, 0x500000, 0x2000,
		    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_COMM_REGION);
	create_fails(&c, -WD_EINVAL, WD_R_mem_comm_region, 2);

	/* Config space mapped as memory would bypass PCI control. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e200000, T_ECAM + 0x10000, 0x1000,
		    WD_MEM_READ | WD_MEM_WRITE);
	create_fails(&c, -WD_EINVAL, WD_R_mem_ecam, 2);
	cfg_attack(&c);
	cfg_add_mem(&c, T_ECAM, 0x400000, 0x1000, WD_MEM_READ | WD_MEM_IO);
	create_fails(&c, -WD_EINVAL, WD_R_mem_ecam, 2);

	/* Memory the root cell does not have cannot be given away. */
	cfg_attack(&c);
	cfg_add_mem(&c, 0x20000000, 0x400000, 0x1000, WD_MEM_READ);
	create_fails(&c, -WD_EINVAL, WD_R_mem_not_in_root, 2);

	/* Another cell's RAM is not available. */
	cfg_tiny(&c);
	ck_assert_int_eq(fx_create(&c), 1);
	cfg_attack(&c);
	cfg_add_mem(&c, T_TINY_PHYS, 0x400000, 0x1000,
		    WD_MEM_READ | WD_MEM_WRITE);
	create_fails(&c, -WD_EBUSY, WD_R_mem_overlap, 2);
}
END_TEST

/* Insert an empty slot ({ 0 }) into @c's memory regions at @at. */
static void add_empty_slot(struct cfg *c, unsigned int at)
{
	memmove(&c->mem[at + 1], &c->mem[at],
		(c->nmem - at) * sizeof(c->mem[0]));
	c->mem[at] = (struct wd_memory){ 0 };
	c->nmem++;
}

/* @a and @b have the same stage-2 mappings. */
static void same_mappings(const struct cell *a, const struct sim_mapping *b,
			  unsigned int n)
{
	unsigned int i;

	ck_assert_uint_eq(sim_num_mappings(a), n);
	for (i = 0; i < n; i++)
		ck_assert_int_eq(memcmp(sim_mapping(a, i), &b[i], sizeof(*b)),
				 0);
}

/*
 * @a maps what @b lists, maybe in other pieces: every mapping of @a lies
 * in one of @b with the same offset and rights, and the sizes add up.
 */
static void same_view(const struct cell *a, const struct sim_mapping *b,
		      unsigned int n)
{
	uint64_t total = 0, want = 0;
	unsigned int i, j;

	for (j = 0; j < n; j++)
		want += b[j].size;
	for (i = 0; i < sim_num_mappings(a); i++) {
		const struct sim_mapping *x = sim_mapping(a, i);

		for (j = 0; j < n; j++)
			if (x->gpa >= b[j].gpa &&
			    x->gpa + x->size <= b[j].gpa + b[j].size &&
			    x->hpa - x->gpa == b[j].hpa - b[j].gpa &&
			    x->flags == b[j].flags)
				break;
		ck_assert_uint_lt(j, n);
		total += x->size;
	}
	ck_assert_uint_eq(total, want);
}

static unsigned int save_mappings(const struct cell *cell,
				  struct sim_mapping *out, unsigned int max)
{
	unsigned int i, n = sim_num_mappings(cell);

	ck_assert_uint_le(n, max);
	for (i = 0; i < n; i++)
		out[i] = *sim_mapping(cell, i);
	return n;
}

/*
 * Jailhouse's configs declare mem_regions[] larger than they fill: the
 * trailing slots are all zero. Such a slot, anywhere, maps nothing: a root
 * cell and a cell with them map exactly what they would without, a cell's
 * address 0 stays unmapped, and destroy gives everything back. A size of
 * 0 with any other field set is still refused.
 */
START_TEST(empty_slots_map_nothing)
{
	static struct sim_mapping root_map[64], cell_map[64], before[64];
	unsigned int cpu, nroot, ncell, nbefore, mmio;
	struct cfg sys, c;
	uint64_t val = 0;
	long id, used;

	/* Without empty slots: what the root cell and the cell map. */
	cfg_attack(&c);
	c.mem[0].virt_start = 0x400000; /* address 0 is nobody's */
	cfg_add_mem(&c, T_SUBPAGE, 0x600000, 0x10,
		    WD_MEM_READ | WD_MEM_IO | WD_MEM_IO_32);
	nroot = save_mappings(root_cell, root_map, 64);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	ncell = save_mappings(core_cpu_cell(3), cell_map, 64);
	mmio = core_cell_mmio_ranges(core_cpu_cell(3));
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (uint64_t)id, 0), 0);

	/* The same with empty slots (first, between, trailing), afresh. */
	for (cpu = 0; cpu < T_CPUS - 1; cpu++)
		ck_assert_int_eq(hc(cpu, WD_HC_DISABLE, 0, 0), 0);
	cfg_system(&sys); /* CPU 3, parked since the destroy, was let go */
	add_empty_slot(&sys, 0);
	add_empty_slot(&sys, 2);
	add_empty_slot(&sys, sys.nmem);
	add_empty_slot(&sys, sys.nmem);
	ck_assert_int_eq(fx_enable(&sys), 0);
	same_mappings(root_cell, root_map, nroot);
	used = hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_USED, 0);
	add_empty_slot(&c, 0);
	add_empty_slot(&c, 2);
	add_empty_slot(&c, c.nmem);
	add_empty_slot(&c, c.nmem);
	nbefore = save_mappings(root_cell, before, 64);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	same_mappings(core_cpu_cell(3), cell_map, ncell);
	ck_assert_uint_eq(core_cell_mmio_ranges(core_cpu_cell(3)), mmio);
	ck_assert(!sim_lookup(core_cpu_cell(3), 0, NULL));
	ck_assert(!sim_lookup(root_cell, T_ATTACK_PHYS, NULL));
	ck_assert_int_eq(hc(0, WD_HC_CELL_SET_LOADABLE, id, 0), 0);
	ck_assert(sim_lookup(root_cell, T_ATTACK_PHYS, NULL));
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, id, 0), 0);
	ck_assert_int_eq(fx_mmio(3, false, 0, 4, &val), ACCESS_DENIED);
	ck_assert_uint_eq(fx_reason(id), WD_R_mmio_unhandled);
	ck_assert_uint_eq(fx_item(id), 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (uint64_t)id, 0), 0);
	same_view(root_cell, before, nbefore);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_USED,
			    0),
			 used);

	/* Size 0 and anything else set: refused, with the slot's index. */
	cfg_attack(&c);
	add_empty_slot(&c, 1);
	c.mem[1].flags = WD_MEM_READ;
	create_fails(&c, -WD_EINVAL, WD_R_mem_size_zero, 1);
	c.mem[1] = (struct wd_memory){ .virt_start = 0x400000 };
	create_fails(&c, -WD_EINVAL, WD_R_mem_size_zero, 1);
	c.mem[1] = (struct wd_memory){ .phys_start = 0x0e200000 };
	create_fails(&c, -WD_EINVAL, WD_R_mem_size_zero, 1);
}
END_TEST

START_TEST(root_cell_may_not_map_ecam)
{
	struct cfg sys;
	unsigned int cpu;

	/* Leave the fixture's hypervisor, then enable a bad system. */
	for (cpu = 0; cpu < T_CPUS; cpu++)
		ck_assert_int_eq(hc(cpu, WD_HC_DISABLE, 0, 0), 0);
	cfg_system(&sys);
	cfg_add_mem(&sys, T_ECAM, T_ECAM, 0x100000,
		    WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO);
	ck_assert_int_eq(fx_enable(&sys), -WD_EINVAL);
	ck_assert_uint_eq(core_last_reason()->code, WD_R_mem_ecam);
	ck_assert_uint_eq(core_last_reason()->item, 3);
	/* Enable failed: no CPU is under the hypervisor. */
	ck_assert(!sim_cpu(0)->virtualized);
}
END_TEST

START_TEST(enable_twice_is_refused)
{
	static uint8_t buf[65536];
	struct cfg sys;
	size_t len;

	cfg_system(&sys);
	len = cfg_build(&sys, buf, sizeof(buf));
	sim_console_clear();
	/* Same machine, hypervisor running: refused before anything else. */
	ck_assert_int_eq(sim_enable(buf, len), -WD_EBUSY);
	ck_assert_uint_eq(core_last_reason()->code, WD_R_already_enabled);
	ck_assert_str_eq(
		sim_console(),
		"warden: hypervisor already enabled [already_enabled]\n");
}
END_TEST

START_TEST(create_too_many_regions)
{
	struct cfg c;
	unsigned int i;

	cfg_attack(&c);
	for (i = 0; i < 255; i++)
		cfg_add_mem(&c, 0x0e200000 + i * 0x1000, 0x400000 + i * 0x1000,
			    0x1000, WD_MEM_READ);
	create_fails(&c, -WD_EINVAL, WD_R_cfg_too_many, 257);
}
END_TEST

/*
 * A cell region covered by two adjacent root regions (the second one not
 * 1:1) is the root cell's: created, both pieces leave the root at the
 * addresses the root sees them, and come back when the cell goes.
 */
START_TEST(region_over_adjacent_root_regions)
{
	static const uint64_t gone[] = { 0x0e7fe000, 0x0e7ff000, 0x4e800000,
					 0x4e801000 };
	struct sim_mapping m;
	struct cfg sys, c;
	unsigned int cpu, i;
	long id;

	for (cpu = 0; cpu < T_CPUS; cpu++)
		ck_assert_int_eq(hc(cpu, WD_HC_DISABLE, 0, 0), 0);
	cfg_system(&sys);
	sys.mem[0].size = 0x0e800000;
	cfg_add_mem(&sys, 0x0e800000, 0x4e800000, T_HV_BASE - 0x0e800000,
		    sys.mem[0].flags);
	ck_assert_int_eq(fx_enable(&sys), 0);
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e7fe000, 0x400000, 0x4000,
		    WD_MEM_READ | WD_MEM_WRITE);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	for (i = 0; i < 4; i++)
		ck_assert(!sim_lookup(root_cell, gone[i], &m));
	ck_assert(sim_lookup(root_cell, 0x0e7fd000, &m));
	ck_assert(sim_lookup(root_cell, 0x4e802000, &m));
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (uint64_t)id, 0), 0);
	for (i = 0; i < 4; i++)
		ck_assert(sim_lookup(root_cell, gone[i], &m));
	/* Past the root's device page and sub-page region: refused. */
	cfg_attack(&c);
	cfg_add_mem(&c, T_DEV_PAGE, 0x400000, 0x2000, WD_MEM_READ | WD_MEM_IO);
	create_fails(&c, -WD_EINVAL, WD_R_mem_not_in_root, 2);
}
END_TEST

/*
 * Memory a new cell takes leaves every root region that maps it, aliases at
 * other guest addresses too, and comes back to each of them.
 */
START_TEST(taken_memory_leaves_every_root_alias)
{
	static const uint64_t gone[] = { 0x0e000000, 0x0e003000, 0x60000000,
					 0x60003000 };
	struct sim_mapping m;
	struct cfg sys, c;
	unsigned int cpu, i;
	long id;

	for (cpu = 0; cpu < T_CPUS; cpu++)
		ck_assert_int_eq(hc(cpu, WD_HC_DISABLE, 0, 0), 0);
	cfg_system(&sys);
	cfg_add_mem(&sys, 0x0e000000, 0x60000000, 0x100000, sys.mem[0].flags);
	ck_assert_int_eq(fx_enable(&sys), 0);
	cfg_attack(&c);
	cfg_add_mem(&c, 0x0e000000, 0x400000, 0x4000,
		    WD_MEM_READ | WD_MEM_WRITE);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	for (i = 0; i < 4; i++)
		ck_assert(!sim_lookup(root_cell, gone[i], &m));
	ck_assert(sim_lookup(root_cell, 0x0e004000, &m));
	ck_assert(sim_lookup(root_cell, 0x60004000, &m));
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (uint64_t)id, 0), 0);
	for (i = 0; i < 4; i++)
		ck_assert(sim_lookup(root_cell, gone[i], &m));
	ck_assert_uint_eq(m.hpa + (0x60003000 - m.gpa), 0x0e003000);
}
END_TEST

/*
 * Sizes of real boards (Jailhouse's ls1028a-rdb: 76 memory regions; K3
 * J721E: 6 irqchips): a root cell with 9 interrupt controllers and a cell
 * with 200 memory regions on 8 of them load; the controllers' table comes
 * from the pool and every pin is owned where the configs say.
 */
START_TEST(real_board_sizes)
{
	struct cfg sys, c;
	unsigned int cpu, i, pin = 7;
	long id, used;

	for (cpu = 0; cpu < T_CPUS; cpu++)
		ck_assert_int_eq(hc(cpu, WD_HC_DISABLE, 0, 0), 0);
	cfg_system(&sys);
	for (i = 1; i < 9; i++)
		cfg_add_irqchip(&sys, T_IOAPIC + i * 0x1000, 0, &pin, 1);
	ck_assert_int_eq(fx_enable(&sys), 0);
	for (i = 1; i < 9; i++)
		ck_assert_ptr_eq(core_irq_owner(T_IOAPIC + i * 0x1000, 7),
				 root_cell);
	cfg_attack(&c);
	for (i = 0; i < 200; i++)
		cfg_add_mem(&c, 0x0e200000 + i * 0x2000, 0x400000 + i * 0x2000,
			    0x1000, WD_MEM_READ);
	for (i = 1; i < 9; i++)
		cfg_add_irqchip(&c, T_IOAPIC + i * 0x1000, 0, &pin, 1);
	used = hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_USED, 0);
	id = fx_create(&c);
	ck_assert_int_eq(id, 1);
	for (i = 1; i < 9; i++)
		ck_assert_ptr_eq(core_irq_owner(T_IOAPIC + i * 0x1000, 7),
				 core_cell_by_id(1));
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (uint64_t)id, 0), 0);
	for (i = 1; i < 9; i++)
		ck_assert_ptr_eq(core_irq_owner(T_IOAPIC + i * 0x1000, 7),
				 root_cell);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_MEM_POOL_USED,
			    0),
			 used);
}
END_TEST

START_TEST(create_irq_pci_rules)
{
	struct cfg c;
	unsigned int pin = 5;

	cfg_tiny(&c);
	ck_assert_int_eq(fx_create(&c), 1);
	/* Pin 5 belongs to tiny now. */
	cfg_attack(&c);
	cfg_add_irqchip(&c, T_IOAPIC, 0, &pin, 1);
	create_fails(&c, -WD_EBUSY, WD_R_irqchip_pins, 5);
	/* Pin 30 was never the root cell's. */
	pin = 30;
	cfg_attack(&c);
	cfg_add_irqchip(&c, T_IOAPIC, 0, &pin, 1);
	create_fails(&c, -WD_EBUSY, WD_R_irqchip_pins, 30);
	/* 00:02.0 is taken, 00:05.0 never existed. */
	cfg_attack(&c);
	cfg_add_pci(&c, T_BDF_NIC, 0, 0);
	create_fails(&c, -WD_EBUSY, WD_R_pci_not_in_root, T_BDF_NIC);
	cfg_attack(&c);
	cfg_add_pci(&c, 0x28, 0, 0);
	create_fails(&c, -WD_EBUSY, WD_R_pci_not_in_root, 0x28);
	cfg_attack(&c);
	cfg_add_pci(&c, 0x28, 0, 3);
	create_fails(&c, -WD_EINVAL, WD_R_pci_caps, 0);
	cfg_attack(&c);
	cfg_add_pci(&c, 0x28, 0, 0);
	cfg_add_pci(&c, 0x28, 0, 0);
	create_fails(&c, -WD_EINVAL, WD_R_pci_bdf_dup, 0x28);
	cfg_attack(&c);
	cfg_add_pio(&c, 0xfff0, 0x20);
	create_fails(&c, -WD_EINVAL, WD_R_pio_range, 0);
}
END_TEST

START_TEST(start_destroy_bad_ids)
{
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 0, 0), -WD_EINVAL);
	ck_assert_uint_eq(fx_reason(0), WD_R_cell_is_root);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, 0, 0), -WD_EINVAL);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 7, 0), -WD_ENOENT);
	ck_assert_uint_eq(fx_reason(0), WD_R_cell_unknown);
	ck_assert_uint_eq(fx_item(0), 7);
	ck_assert_int_eq(hc(0, WD_HC_CELL_SET_LOADABLE, ~0UL, 0), -WD_ENOENT);
	ck_assert_int_eq(hc(0, 77, 0, 0), -WD_ENOSYS);
	ck_assert_uint_eq(fx_reason(0), WD_R_hypercall_unknown);
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, 99, 0), -WD_EINVAL);
	ck_assert_uint_eq(fx_reason(0), WD_R_info_type);
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 40, 0), -WD_EINVAL);
	ck_assert_uint_eq(fx_reason(0), WD_R_cpu_invalid);
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 1, 5000), -WD_EINVAL);
}
END_TEST

START_TEST(shutdown_denied_and_timeout)
{
	long id = fx_tiny_running();

	/* The cell denies: nothing changes. */
	fx_respond(id, WD_MSG_REQUEST_DENIED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id, 0), -WD_EPERM);
	ck_assert_uint_eq(fx_reason(0), WD_R_shutdown_denied);
	ck_assert_uint_eq(fx_item(0), id);
	ck_assert_int_eq(state(id), WD_CELL_RUNNING);
	ck_assert(!sim_cpu(2)->parked);
	ck_assert_uint_eq(fx_comm(id)->msg_to_cell, WD_MSG_NONE);

	/* The cell stays silent: after its timeout it is FAILED. */
	fx_respond(id, 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_SET_LOADABLE, id, 0), 0);
	ck_assert_int_eq(state(id), WD_CELL_FAILED);
	ck_assert_uint_ge(sim_time_ns(), 100000000);
	ck_assert(sim_cpu(2)->parked);
	/* A failed cell can be restarted. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, id, 0), 0);
	ck_assert_int_eq(state(id), WD_CELL_RUNNING);
}
END_TEST

/*
 * A Jailhouse config's msg_reply_timeout (a count of polling loops there,
 * e.g. 1000) is a bound of at least 10 ms here: the silent cell fails no
 * earlier, and the reason's item is the bound applied.
 */
START_TEST(small_reply_timeout_has_a_minimum)
{
	struct cfg c;
	long id;

	cfg_tiny(&c);
	c.cell.msg_reply_timeout = 1000;
	id = fx_create(&c);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, id, 0), 0);
	fx_respond(id, 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_SET_LOADABLE, id, 0), 0);
	ck_assert_int_eq(state(id), WD_CELL_FAILED);
	ck_assert_uint_ge(sim_time_ns(), 10000000);
	ck_assert_uint_lt(sim_time_ns(), 100000000);
	ck_assert_uint_eq(fx_reason((unsigned int)id), WD_R_shutdown_timeout);
	ck_assert_uint_eq(fx_item((unsigned int)id), 10000000);
}
END_TEST

START_TEST(passive_commreg_needs_no_answer)
{
	struct cfg c;
	long id;

	cfg_tiny(&c);
	c.cell.flags |= WD_CELL_PASSIVE_COMMREG;
	id = fx_create(&c);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, id, 0), 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id, 0), 0);
	ck_assert_uint_eq(sim_time_ns(), 0);
}
END_TEST

START_TEST(locked_cell_blocks_changes)
{
	struct cfg c;
	long id = fx_tiny_running(), id2;

	fx_comm(id)->cell_state = WD_CELL_RUNNING_LOCKED;
	cfg_attack(&c);
	ck_assert_int_eq(fx_create(&c), -WD_EPERM);
	ck_assert_uint_eq(fx_reason(0), WD_R_cell_locked);
	ck_assert_uint_eq(fx_item(0), id);
	ck_assert_int_eq(hc(0, WD_HC_DISABLE, 0, 0), -WD_EBUSY);
	ck_assert_uint_eq(fx_reason(0), WD_R_cells_exist);
	/* Unlocked, another cell can come and go. */
	fx_comm(id)->cell_state = WD_CELL_RUNNING;
	id2 = fx_create(&c);
	ck_assert_int_eq(id2, 2);
	fx_comm(id)->cell_state = WD_CELL_RUNNING_LOCKED;
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id2, 0), -WD_EPERM);
	/* The locked cell itself is asked: it may agree to stop. */
	fx_respond(id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id, 0), 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id2, 0), 0);
}
END_TEST

START_TEST(invalid_state_written_by_cell)
{
	long id = fx_tiny_running();

	fx_comm(id)->cell_state = 0x1234;
	ck_assert_int_eq(state(id), -WD_EINVAL);
	ck_assert_uint_eq(fx_reason(0), WD_R_cell_state);
	ck_assert_uint_eq(fx_item(0), 0x1234);
}
END_TEST

START_TEST(debug_console_putc)
{
	struct cfg c;
	long id = fx_tiny_running(), id2;
	unsigned int i;

	sim_console_clear();
	ck_assert_int_eq(hc(2, WD_HC_DEBUG_CONSOLE_PUTC, 'h', 0), 0);
	ck_assert_int_eq(hc(2, WD_HC_DEBUG_CONSOLE_PUTC, 'i', 0), 0);
	ck_assert_int_eq(hc(2, WD_HC_DEBUG_CONSOLE_PUTC, '\n', 0), 0);
	ck_assert_str_eq(sim_console(), "[tiny] hi\n");
	/* A cell's line is printed whole when it ends: a hypervisor message
	 * in the middle of it comes first. */
	sim_console_clear();
	ck_assert_int_eq(hc(2, WD_HC_DEBUG_CONSOLE_PUTC, 'a', 0), 0);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 9, 0), -WD_ENOENT);
	ck_assert_int_eq(hc(2, WD_HC_DEBUG_CONSOLE_PUTC, 'b', 0), 0);
	ck_assert_int_eq(hc(2, WD_HC_DEBUG_CONSOLE_PUTC, '\n', 0), 0);
	ck_assert_str_eq(sim_console(),
			 "warden: cell \"root\": no cell with that id: id 0x9 "
			 "[cell_unknown]\n"
			 "[tiny] ab\n");
	/* 128 characters make a line of their own. */
	sim_console_clear();
	for (i = 0; i < 130; i++)
		ck_assert_int_eq(hc(2, WD_HC_DEBUG_CONSOLE_PUTC, 'x', 0), 0);
	ck_assert_uint_eq(strlen(sim_console()), strlen("[tiny] \n") + 128);
	/* What is left is printed when the cell fails (here: it does not
	 * answer the shutdown request), before the verdict. */
	sim_console_clear();
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, id, 0), 0);
	ck_assert_str_eq(sim_console(),
			 "[tiny] xx\n"
			 "warden: cell \"tiny\": cell did not answer the "
			 "shutdown request in time: timeout in ns 0x5f5e100 "
			 "[shutdown_timeout]\n"
			 "warden: cell \"tiny\" FAILED, its CPUs are parked\n"
			 "warden: destroyed cell \"tiny\"\n");
	/* "attack" has no console permission. */
	cfg_attack(&c);
	id2 = fx_create(&c);
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, id2, 0), 0);
	ck_assert_int_eq(hc(3, WD_HC_DEBUG_CONSOLE_PUTC, 'x', 0), -WD_EPERM);
	ck_assert_uint_eq(fx_reason(id2), WD_R_putc_not_permitted);
}
END_TEST

START_TEST(reason_record_hypercall)
{
	struct wd_reason_record *rec;
	long id = fx_tiny_running();

	/* Root provokes a failure, then reads it back into its RAM. */
	ck_assert_int_eq(hc(0, WD_HC_CELL_START, 9, 0), -WD_ENOENT);
	ck_assert_int_eq(hc(0, WD_HC_GET_REASON, 0, 0x300000), 0);
	rec = sim_phys_ptr(0x300000, sizeof(*rec));
	ck_assert_uint_eq(rec->code, WD_R_cell_unknown);
	ck_assert_uint_eq(rec->item, 9);
	ck_assert_uint_eq(rec->cpu, 0);
	ck_assert(strstr(rec->text, "no cell with that id"));
	/* A cell may read its own reason, not root's. */
	ck_assert_int_eq(hc(2, WD_HC_GET_REASON, 0, 0x1000), -WD_EPERM);
	ck_assert_uint_eq(fx_reason(id), WD_R_reason_access);
	ck_assert_int_eq(hc(2, WD_HC_GET_REASON, id, 0x1000), 0);
	rec = sim_phys_ptr(T_TINY_PHYS + 0x1000, sizeof(*rec));
	ck_assert_uint_eq(rec->code, WD_R_reason_access);
	/* Destination outside the caller's RAM. */
	ck_assert_int_eq(hc(0, WD_HC_GET_REASON, 0, T_HV_BASE), -WD_EFAULT);
}
END_TEST

/*
 * A standalone boot (the ARMv7 backend on QEMU): only CPU 0 runs the root
 * cell, the others join it parked. The root cell starts CPU 1 like a cell
 * starts its own CPUs, and DISABLE releases the still parked ones.
 */
START_TEST(standalone_boot_parked_cpus)
{
	static uint8_t buf[65536];
	struct cfg sys;
	size_t len;
	unsigned int cpu;

	cfg_system(&sys);
	len = cfg_build(&sys, buf, sizeof(buf));
	ck_assert_int_eq(sim_machine_init(0, T_RAM_SIZE, T_CPUS), 0);
	ck_assert_int_eq(sim_enable_boot(buf, len, true), 0);
	ck_assert(!(core_cpu_flags(0) & CORE_CPU_PARKED));
	for (cpu = 1; cpu < T_CPUS; cpu++) {
		ck_assert((core_cpu_flags(cpu) & CORE_CPU_PARKED));
		ck_assert(sim_cpu(cpu)->virtualized);
	}
	sim_set_cpu(0);
	ck_assert_int_eq(core_cpu_on(1, 0x8000), ACCESS_EMULATED);
	ck_assert(!(core_cpu_flags(1) & CORE_CPU_PARKED));
	ck_assert_uint_eq(sim_cpu(1)->resets, 1);
	ck_assert_uint_eq(sim_cpu(1)->reset_entry, 0x8000);
	ck_assert(sim_cpu(1)->boot_cpu);
	/* Running now: a second CPU_ON leaves it alone. */
	ck_assert_int_eq(core_cpu_on(1, 0x9000), ACCESS_EMULATED);
	ck_assert_uint_eq(sim_cpu(1)->resets, 1);
	/* CPU 1 stops itself (PSCI CPU_OFF): parked, and the root cell may
	 * start it again. */
	sim_set_cpu(1);
	ck_assert_int_eq(core_cpu_off(), ACCESS_EMULATED);
	ck_assert((core_cpu_flags(1) & CORE_CPU_PARKED));
	ck_assert(sim_cpu(1)->parked);
	sim_set_cpu(0);
	ck_assert_int_eq(core_cpu_on(1, 0xa000), ACCESS_EMULATED);
	ck_assert(!(core_cpu_flags(1) & CORE_CPU_PARKED));
	ck_assert_uint_eq(sim_cpu(1)->resets, 2);
	ck_assert_uint_eq(sim_cpu(1)->reset_entry, 0xa000);
	/* DISABLE: the running CPUs leave themselves, 2 and 3 are let go. */
	ck_assert_int_eq(hc(0, WD_HC_DISABLE, 0, 0), 0);
	ck_assert(!sim_cpu(2)->virtualized && !sim_cpu(3)->virtualized);
	ck_assert(sim_cpu(1)->virtualized);
	ck_assert_int_eq(hc(1, WD_HC_DISABLE, 0, 0), 0);
	ck_assert(!sim_cpu(1)->virtualized);
	ck_assert(strstr(sim_console(), "hypervisor disabled"));
	sim_machine_free();
}
END_TEST

/*
 * DISABLE while a cell exists is refused by the hypervisor (cells_exist,
 * item = how many), whatever the cell would answer, and changes nothing:
 * the root cell destroys its cells first. Then every root CPU leaves.
 */
START_TEST(disable_tears_down)
{
	long id = fx_tiny_running();
	unsigned int cpu;

	fx_respond(id, WD_MSG_REQUEST_APPROVED);
	sim_console_clear();
	ck_assert_int_eq(hc(0, WD_HC_DISABLE, 0, 0), -WD_EBUSY);
	ck_assert_uint_eq(fx_reason(0), WD_R_cells_exist);
	ck_assert_uint_eq(fx_item(0), 1);
	ck_assert(strstr(sim_console(), "[cells_exist]"));
	ck_assert(!strstr(sim_console(), "disabling"));
	ck_assert_int_eq(state(id), WD_CELL_RUNNING);
	ck_assert(sim_cpu(0)->virtualized);
	ck_assert_int_eq(hc(1, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 2);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (uint64_t)id, 0), 0);
	ck_assert_int_eq(hc(0, WD_HC_DISABLE, 0, 0), 0);
	ck_assert(!sim_cpu(0)->virtualized);
	/* Other hypercalls are refused while the others leave. */
	ck_assert_int_eq(hc(1, WD_HC_HYPERVISOR_GET_INFO, 4, 0), -WD_EBUSY);
	/* CPU 2 came back parked from "tiny": it was let go powered off. */
	ck_assert(sim_cpu(2)->parked);
	ck_assert(!sim_cpu(2)->virtualized);
	ck_assert_int_eq(hc(2, WD_HC_DISABLE, 0, 0), -WD_EPERM);
	ck_assert_int_eq(hc(1, WD_HC_DISABLE, 0, 0), 0);
	ck_assert(!strstr(sim_console(), "hypervisor disabled"));
	ck_assert_int_eq(hc(3, WD_HC_DISABLE, 0, 0), 0);
	for (cpu = 0; cpu < T_CPUS; cpu++)
		ck_assert(!sim_cpu(cpu)->virtualized);
	ck_assert(strstr(sim_console(), "hypervisor disabled"));
	ck_assert_int_eq(hc(0, WD_HC_HYPERVISOR_GET_INFO, 4, 0), -WD_EPERM);
	/* Everything went back to the pool but its own bitmap page. */
	ck_assert_uint_eq(page_pool_used, 1);
	/* The backend's root cell state was released too. */
	ck_assert_uint_eq(sim_num_mappings(core_cpu_cell(0)), 0);
}
END_TEST

/*
 * A cell's statistics count its own exits only: a CPU's counters start at
 * zero when it goes to a cell, and again when it comes back to the root.
 */
START_TEST(stats_start_at_zero_for_each_cell)
{
	const unsigned int hcs =
		WD_CPU_INFO_STAT_BASE + WD_CPU_STAT_VMEXITS_HYPERCALL;
	unsigned int s;
	long id;

	/* CPU 2 works for the root cell first. */
	ck_assert_int_eq(hc(2, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 1);
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 2, hcs), 1);
	ck_assert_uint_eq(core_cpu_stat(2, WD_CPU_STAT_VMEXITS_TOTAL), 1);
	id = fx_tiny_running();
	for (s = 0; s < WD_CPU_STATS; s++)
		ck_assert_uint_eq(core_cpu_stat(2, s), 0);
	ck_assert_int_eq(hc(2, WD_HC_HYPERVISOR_GET_INFO, WD_INFO_NUM_CELLS, 0),
			 2);
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 2, hcs), 1);
	fx_respond(id, WD_MSG_REQUEST_APPROVED);
	ck_assert_int_eq(hc(0, WD_HC_CELL_DESTROY, (uint64_t)id, 0), 0);
	for (s = 0; s < WD_CPU_STATS; s++)
		ck_assert_uint_eq(core_cpu_stat(2, s), 0);
	/* A new cell on the same CPU starts from zero too. */
	id = fx_tiny_running();
	ck_assert_int_eq(hc(0, WD_HC_CPU_GET_INFO, 2, hcs), 0);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("lifecycle");
	TCase *t = tcase_create("core");

	tcase_add_checked_fixture(t, setup, teardown);
	tcase_add_test(t, enable_maps_root_ram_but_not_hypervisor);
	tcase_add_test(t, full_lifecycle);
	tcase_add_test(t, recreate_after_destroy_reuses_resources);
	tcase_add_test(t, management_from_non_root_is_refused);
	tcase_add_test(t, management_refused_before_lock);
	tcase_add_test(t, user_mode_hypercall_refused);
	tcase_add_test(t, create_config_outside_root_ram);
	tcase_add_test(t, create_config_straddling_root_ram_end);
	tcase_add_test(t, create_wrong_signature_and_revision);
	tcase_add_test(t, create_truncated_config);
	tcase_add_test(t, create_duplicate_name);
	tcase_add_test(t, create_cpu_rules);
	tcase_add_test(t, create_memory_rules);
	tcase_add_test(t, create_too_many_regions);
	tcase_add_test(t, real_board_sizes);
	tcase_add_test(t, region_over_adjacent_root_regions);
	tcase_add_test(t, taken_memory_leaves_every_root_alias);
	tcase_add_test(t, root_cell_may_not_map_ecam);
	tcase_add_test(t, enable_twice_is_refused);
	tcase_add_test(t, create_irq_pci_rules);
	tcase_add_test(t, start_destroy_bad_ids);
	tcase_add_test(t, shutdown_denied_and_timeout);
	tcase_add_test(t, small_reply_timeout_has_a_minimum);
	tcase_add_test(t, passive_commreg_needs_no_answer);
	tcase_add_test(t, locked_cell_blocks_changes);
	tcase_add_test(t, invalid_state_written_by_cell);
	tcase_add_test(t, debug_console_putc);
	tcase_add_test(t, reason_record_hypercall);
	tcase_add_test(t, disable_tears_down);
	tcase_add_test(t, stats_start_at_zero_for_each_cell);
	tcase_add_test(t, empty_slots_map_nothing);
	suite_add_tcase(s, t);
	/* Its own enable: no fixture. */
	t = tcase_create("standalone");
	tcase_add_test(t, standalone_boot_parked_cpus);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
