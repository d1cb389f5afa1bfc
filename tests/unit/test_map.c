/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warden-config map (tools/map.c, tools/map_svg.c). For every shipped
 * target (configs/<target>/: system.dts with each set of cells, the sets
 * as the build checks them) the text and the SVG are made; the text must
 * list every memory region with its owner, the SVG must parse and name
 * every region (range and owner), CPU and cell: tests/unit/map_svg_check.py
 * checks it with xml.etree against expectations written here from the
 * configs. A set with deliberate conflicts (tests/fixtures/map-clash.dts)
 * must show check's exact messages in both. The SVGs are left in
 * build/host/tests/map/ to look at. Run from the top of the tree.
 */
#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "../../tools/check.h"
#include "../../tools/commands.h"
#include "../../tools/map.h"
#include "support_run.h"

#define MAX_SET 16
#define OUT_DIR "build/host/tests/map"

static struct cellcfg cfg[MAX_SET];
/* The SVG and expectation files draw() wrote, for one python3 run. */
static char checks[8192];

static void run_checks(void)
{
	char cmd[sizeof(checks) + 64];
	int rc;

	snprintf(cmd, sizeof(cmd), "python3 tests/unit/map_svg_check.py%s",
		 checks);
	rc = system(cmd);
	ck_assert_msg(WIFEXITED(rc) && WEXITSTATUS(rc) == 0, "%s failed", cmd);
	checks[0] = 0;
}

static void load(const char *path, struct cellcfg *out)
{
	ck_assert_msg(!check_load(path, out, stderr), "%s", path);
}

static char *text_of(const struct map *m, bool colour)
{
	char *text = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&text, &size);

	ck_assert_ptr_nonnull(f);
	map_text(m, f, colour);
	fclose(f);
	return text;
}

/* Does some line of @text hold both @a and @b? */
static bool line_has(const char *text, const char *a, const char *b)
{
	const char *p = text, *nl;
	char line[1024];
	size_t n;

	while (*p) {
		nl = strchr(p, '\n');
		n = nl ? (size_t)(nl - p) : strlen(p);
		snprintf(line, sizeof(line), "%.*s", (int)n, p);
		if (strstr(line, a) && strstr(line, b))
			return true;
		p += n + (nl != NULL);
	}
	return false;
}

static const char *cell_name(const struct cellcfg *c, char *buf, size_t len)
{
	snprintf(buf, len, "%.*s", (int)sizeof(c->cell.name), c->cell.name);
	return buf;
}

/*
 * Map the @n configs: assert the text names every region of every config
 * with its owner, write MAP.svg and its expectations (plus @conflicts, the
 * lines check prints) and run map_svg_check.py on them.
 */
static void draw(const char *name, struct cellcfg **cfgs, unsigned int n,
		 const char *conflicts)
{
	char svg[700], exp[700], cmd[1600], range[64], owner[40];
	const char *p, *nl;
	struct map m;
	unsigned int i, k, cpu;
	char *text;
	FILE *f, *e;

	ck_assert_int_eq(map_build(&m, cfgs, n, stderr), 0);
	text = text_of(&m, false);
	mkdir("build/host/tests", 0777);
	mkdir(OUT_DIR, 0777);
	snprintf(svg, sizeof(svg), OUT_DIR "/%s.svg", name);
	snprintf(exp, sizeof(exp), OUT_DIR "/%s.expect", name);
	f = fopen(svg, "w");
	e = fopen(exp, "w");
	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(e);
	map_svg(&m, f, name);
	fclose(f);
	for (i = 0; i < n; i++) {
		const struct cellcfg *c = cfgs[i];

		cell_name(c, owner, sizeof(owner));
		fprintf(e, "cell %s\n", owner);
		for (k = 0; k < c->num[CFG_MEM]; k++) {
			const struct wd_memory *r = &c->mem[k];
			bool comm = r->flags & WD_MEM_COMM_REGION;
			uint64_t start = comm ? r->virt_start : r->phys_start;

			if (!r->size)
				continue;
			snprintf(range, sizeof(range), "0x%08llx-0x%08llx",
				 (unsigned long long)start,
				 (unsigned long long)(start + r->size - 1));
			fprintf(e, "region %s %s\n", range, owner);
			/* The text: physical ranges in the memory list,
			 * comm regions in the cell's block. */
			if (!comm)
				ck_assert_msg(line_has(text, range, owner),
					      "%s: text lacks %s of %s", name,
					      range, owner);
		}
		for (cpu = 0; cpu < c->cell.cpu_set_size * 8; cpu++)
			if (cellcfg_has_cpu(c, cpu))
				fprintf(e, "cpu %u\n", cpu);
	}
	/* Check's messages, each in the text after "! ", and in the SVG. */
	for (p = conflicts; *p; p = nl + 1) {
		nl = strchr(p, '\n');
		ck_assert_ptr_nonnull(nl);
		fprintf(e, "conflict %.*s\n", (int)(nl - p), p);
		snprintf(cmd, sizeof(cmd), "! %.*s\n", (int)(nl - p), p);
		ck_assert_msg(strstr(text, cmd), "%s: text lacks %s", name,
			      cmd);
	}
	fclose(e);
	snprintf(checks + strlen(checks), sizeof(checks) - strlen(checks),
		 " %s %s", svg, exp);
	ck_assert_uint_lt(strlen(checks), sizeof(checks) - 1);
	free(text);
	map_free(&m);
}

static int is_target(const struct dirent *d)
{
	return d->d_name[0] != '.' && d->d_type == DT_DIR;
}

static int is_dts(const struct dirent *d)
{
	size_t n = strlen(d->d_name);

	return n > 4 && !strcmp(d->d_name + n - 4, ".dts");
}

/* "GROUP" of GROUP-x.dts, else "" (configs/README.md). */
static size_t group_len(const char *name)
{
	const char *dash = strrchr(name, '-');

	return dash ? (size_t)(dash - name) : 0;
}

static bool same_group(const char *a, const char *b)
{
	return group_len(a) == group_len(b) && !strncmp(a, b, group_len(a));
}

/* system.dts with the cells of @group's set, in name order. */
static void draw_set(const char *target, struct dirent **names, int count,
		     const char *group)
{
	/* Configs keep the name they were loaded from (messages). */
	static char path[MAX_SET][600];
	struct cellcfg *cfgs[MAX_SET];
	char name[600];
	unsigned int n = 1, i;
	int k;

	snprintf(path[0], sizeof(path[0]), "configs/%s/system.dts", target);
	load(path[0], &cfg[0]);
	cfgs[0] = &cfg[0];
	for (k = 0; k < count; k++)
		if (strcmp(names[k]->d_name, "system.dts") &&
		    same_group(names[k]->d_name, group) && n < MAX_SET) {
			snprintf(path[n], sizeof(path[n]), "configs/%s/%s",
				 target, names[k]->d_name);
			load(path[n], &cfg[n]);
			cfgs[n] = &cfg[n];
			n++;
		}
	ck_assert_uint_gt(n, 1);
	snprintf(name, sizeof(name), "%s%s%.*s", target,
		 group_len(group) ? "-" : "", (int)group_len(group), group);
	draw(name, cfgs, n, "");
	for (i = 0; i < n; i++)
		cellcfg_free(&cfg[i]);
}

START_TEST(every_shipped_target)
{
	struct dirent **targets, **names;
	char dir[300];
	int t, count, k, j, sets = 0;
	int ntargets = scandir("configs", &targets, is_target, alphasort);

	ck_assert_int_gt(ntargets, 0);
	for (t = 0; t < ntargets; t++) {
		snprintf(dir, sizeof(dir), "configs/%s", targets[t]->d_name);
		count = scandir(dir, &names, is_dts, alphasort);
		ck_assert_int_gt(count, 1);
		/* Each set once, at its first member. */
		for (k = 0; k < count; k++) {
			if (!strcmp(names[k]->d_name, "system.dts"))
				continue;
			for (j = 0; j < k; j++)
				if (strcmp(names[j]->d_name, "system.dts") &&
				    same_group(names[j]->d_name,
					       names[k]->d_name))
					break;
			if (j == k) {
				draw_set(targets[t]->d_name, names, count,
					 names[k]->d_name);
				sets++;
			}
		}
		for (k = 0; k < count; k++)
			free(names[k]);
		free(names);
		free(targets[t]);
	}
	free(targets);
	/* sim-x86, sim-arm, qemu-arm-virt: main set and ivshmem pair;
	 * qemu-arm-virt also the smp cell; qemu-x86-amd: one set. */
	ck_assert_int_ge(sets, 8);
	run_checks();
}
END_TEST

/* The clash set: sim-arm's system and tiny plus the fixture. */
static unsigned int load_clash(struct cellcfg **cfgs)
{
	load("configs/sim-arm/system.dts", &cfg[0]);
	load("configs/sim-arm/tiny.dts", &cfg[1]);
	load("tests/fixtures/map-clash.dts", &cfg[2]);
	cfgs[0] = &cfg[0];
	cfgs[1] = &cfg[1];
	cfgs[2] = &cfg[2];
	return 3;
}

START_TEST(conflicts_show_checks_message)
{
	struct cellcfg *cfgs[3];
	unsigned int n = load_clash(cfgs), i;
	char *lines = NULL;
	size_t size = 0;
	FILE *f = open_memstream(&lines, &size);
	int problems;

	ck_assert_ptr_nonnull(f);
	problems = check_configs(cfgs, n, f);
	fclose(f);
	/* CPU 2, the overlap with tiny's RAM, the RAM outside the root
	 * cell's, SPI 40. */
	ck_assert_int_eq(problems, 4);
	ck_assert_ptr_nonnull(strstr(lines, "CPU already given to cell"));
	ck_assert_ptr_nonnull(strstr(lines, "not covered by the root cell"));
	draw("clash", cfgs, n, lines);
	run_checks();
	free(lines);
	for (i = 0; i < n; i++)
		cellcfg_free(&cfg[i]);
}
END_TEST

START_TEST(text_layout)
{
	struct cellcfg *cfgs[3];
	unsigned int n = load_clash(cfgs), i;
	struct map m;
	char *plain, *colour;

	ck_assert_int_eq(map_build(&m, cfgs, n, stderr), 0);
	ck_assert_uint_eq(m.nprob, 4);
	plain = text_of(&m, false);
	colour = text_of(&m, true);
	/* Gaps between regions, sized: uart@9000000 to rtc@9010000. */
	ck_assert_ptr_nonnull(strstr(plain, "60 KiB  (gap: no one's)"));
	/* A cell's RAM indented under the root cell's it is taken from. */
	ck_assert_ptr_nonnull(strstr(plain, "\n    0x4e000000-0x4e0fffff "));
	ck_assert(line_has(plain, "0x4e000000-0x4e0fffff", " tiny "));
	/* Overlapping tiny's but not inside it: beside it, not under it. */
	ck_assert_ptr_nonnull(strstr(plain, "\n    0x4e080000-0x4e17ffff "));
	ck_assert_ptr_nonnull(strstr(plain, "ram@40000000 [cells take part "
					    "of it]"));
	/* The hypervisor's memory and the ECAM window are on the map. */
	ck_assert(line_has(plain, "0x4f000000-0x4fffffff", "hypervisor"));
	ck_assert(line_has(plain, "0x3f000000-0x3f0fffff", "ECAM"));
	/* CPUs and pins per cell: the root cell lends, cells take. */
	ck_assert_ptr_nonnull(strstr(plain, "2 (given to tiny, clash)"));
	ck_assert_ptr_nonnull(strstr(plain, "40 (also root, tiny) !"));
	ck_assert_ptr_nonnull(strstr(plain, "guest 0x80000000-0x80000fff"));
	ck_assert_ptr_nonnull(strstr(plain, "4 problems found"));
	/* Colour only when asked for (stdout a terminal, NO_COLOR unset). */
	ck_assert_ptr_null(strchr(plain, '\033'));
	ck_assert_ptr_nonnull(strstr(colour, "\033[1;31m    ! warden-config: "
					     "tests/fixtures/map-clash.dts"));
	free(plain);
	free(colour);
	map_free(&m);
	for (i = 0; i < n; i++)
		cellcfg_free(&cfg[i]);
}
END_TEST

START_TEST(sizes_and_flags)
{
	char b[64];

	ck_assert_str_eq(map_size(0x100, b, sizeof(b)), "256 B");
	ck_assert_str_eq(map_size(0x1000, b, sizeof(b)), "4 KiB");
	ck_assert_str_eq(map_size(0x0f000000, b, sizeof(b)), "240 MiB");
	ck_assert_str_eq(map_size(0x60000000, b, sizeof(b)), "1.5 GiB");
	ck_assert_str_eq(map_size(0x1001, b, sizeof(b)), "~4.0 KiB");
	ck_assert_str_eq(map_size(1ull << 40, b, sizeof(b)), "1 TiB");
	ck_assert_str_eq(map_flags(WD_MEM_READ | WD_MEM_WRITE | WD_MEM_IO |
					   WD_MEM_IO_8 | WD_MEM_IO_32,
				   b, sizeof(b)),
			 "R W IO io8/32");
	ck_assert_str_eq(map_flags(WD_MEM_READ | WD_MEM_ROOTSHARED |
					   WD_MEM_COMM_REGION,
				   b, sizeof(b)),
			 "R COMM ROOTSHARED");
	ck_assert_str_eq(map_flags(0, b, sizeof(b)), "-");
}
END_TEST

/* docs/config.md shows the map of sim-arm's system and tiny: that one. */
START_TEST(docs_example_is_true)
{
	static const char start[] = "configs/sim-arm/tiny.dts\n\nprints\n\n"
				    "```text\n";
	struct cellcfg *cfgs[2] = { &cfg[0], &cfg[1] };
	FILE *f = fopen("docs/config.md", "r");
	char *doc = calloc(1, 1 << 20), *text, *from, *end;
	struct map m;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(doc);
	ck_assert_uint_gt(fread(doc, 1, (1 << 20) - 1, f), 0);
	fclose(f);
	from = strstr(doc, start);
	ck_assert_ptr_nonnull(from);
	from += strlen(start);
	end = strstr(from, "```\n");
	ck_assert_ptr_nonnull(end);
	*end = 0;
	load("configs/sim-arm/system.dts", &cfg[0]);
	load("configs/sim-arm/tiny.dts", &cfg[1]);
	ck_assert_int_eq(map_build(&m, cfgs, 2, stderr), 0);
	text = text_of(&m, false);
	ck_assert_str_eq(from, text);
	free(text);
	free(doc);
	map_free(&m);
	cellcfg_free(&cfg[0]);
	cellcfg_free(&cfg[1]);
}
END_TEST

static int run_cmd(int argc, const char **argv)
{
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stdout));
	ck_assert_ptr_nonnull(freopen("/dev/null", "w", stderr));
	return cmd_map(argc, (char **)argv);
}

START_TEST(exit_status)
{
	const char *help[] = { "map", "--help" };
	const char *bad[] = { "map", "--frob", "configs/sim-arm/system.dts" };
	const char *no_out[] = { "map", "configs/sim-arm/system.dts", "-o" };
	const char *clean[] = { "map", "configs/sim-arm/system.dts",
				"configs/sim-arm/tiny.dts" };
	const char *clash[] = { "map",
				"configs/sim-arm/system.dts",
				"configs/sim-arm/tiny.dts",
				"tests/fixtures/map-clash.dts",
				"-o",
				OUT_DIR "/clash-cmd.svg" };
	const char *two_sys[] = { "map", "configs/sim-arm/system.dts",
				  "configs/sim-x86/system.dts" };
	const char *cell_only[] = { "map", "configs/sim-arm/tiny.dts" };
	const char *missing[] = { "map", "no-such-file.cell" };
	struct stat st;

	mkdir("build/host/tests", 0777);
	mkdir(OUT_DIR, 0777);
	unlink(OUT_DIR "/clash-cmd.svg");
	ck_assert_int_eq(run_cmd(2, help), 0);
	ck_assert_int_eq(run_cmd(1, help), 2);
	ck_assert_int_eq(run_cmd(3, bad), 2);
	ck_assert_int_eq(run_cmd(3, no_out), 2);
	ck_assert_int_eq(run_cmd(3, clean), 0);
	ck_assert_int_eq(run_cmd(6, clash), 1);
	ck_assert_int_eq(stat(OUT_DIR "/clash-cmd.svg", &st), 0);
	ck_assert_int_gt(st.st_size, 1000);
	ck_assert_int_eq(run_cmd(3, two_sys), 1);
	ck_assert_int_eq(run_cmd(2, cell_only), 1);
	ck_assert_int_eq(run_cmd(2, missing), 1);
}
END_TEST

/* The map (text, SVG) of the two configs @cfgs: nmem in *@nmem. */
static char *map_of(struct cellcfg **cfgs, unsigned int *nmem)
{
	char *text = NULL, *svg = NULL, *both;
	size_t size = 0;
	struct map m;
	FILE *f;

	ck_assert_int_eq(map_build(&m, cfgs, 2, stderr), 0);
	*nmem = m.nmem;
	text = text_of(&m, false);
	f = open_memstream(&svg, &size);
	ck_assert_ptr_nonnull(f);
	map_svg(&m, f, "empty-slots");
	fclose(f);
	both = malloc(strlen(text) + strlen(svg) + 1);
	ck_assert_ptr_nonnull(both);
	strcpy(both, text);
	strcat(both, svg);
	free(text);
	free(svg);
	map_free(&m);
	return both;
}

/* Empty slots ({ 0 }: Jailhouse's unused tail) are not drawn at all. */
START_TEST(empty_slots_are_not_drawn)
{
	struct cellcfg *cfgs[2] = { &cfg[0], &cfg[1] };
	unsigned int k, n0, n1;
	char *before, *after;

	load("configs/sim-arm/system.dts", &cfg[0]);
	load("configs/sim-arm/tiny.dts", &cfg[1]);
	before = map_of(cfgs, &n0);
	for (k = 0; k < 2; k++) {
		struct cellcfg *c = &cfg[k];

		c->mem = realloc(c->mem,
				 (c->num[CFG_MEM] + 2) * sizeof(*c->mem));
		ck_assert_ptr_nonnull(c->mem);
		memset(&c->mem[c->num[CFG_MEM]], 0, 2 * sizeof(*c->mem));
		if (c->node[CFG_MEM]) { /* no DTS node: as in a binary */
			c->node[CFG_MEM] =
				realloc(c->node[CFG_MEM],
					(c->num[CFG_MEM] + 2) * sizeof(char *));
			ck_assert_ptr_nonnull(c->node[CFG_MEM]);
			c->node[CFG_MEM][c->num[CFG_MEM]] = NULL;
			c->node[CFG_MEM][c->num[CFG_MEM] + 1] = NULL;
		}
		c->num[CFG_MEM] += 2;
	}
	after = map_of(cfgs, &n1);
	ck_assert_uint_eq(n1, n0);
	ck_assert_str_eq(after, before);
	free(before);
	free(after);
	cellcfg_free(&cfg[0]);
	cellcfg_free(&cfg[1]);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("map");
	TCase *t = tcase_create("map");

	/* Every shipped set through dtc, and python3: slow on a busy host. */
	tcase_set_timeout(t, 120);
	tcase_add_test(t, every_shipped_target);
	tcase_add_test(t, conflicts_show_checks_message);
	tcase_add_test(t, text_layout);
	tcase_add_test(t, sizes_and_flags);
	tcase_add_test(t, docs_example_is_true);
	tcase_add_test(t, exit_status);
	tcase_add_test(t, empty_slots_are_not_drawn);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
