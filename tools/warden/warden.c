// SPDX-License-Identifier: GPL-2.0
/*
 * warden: the root cell's command (Jailhouse's `jailhouse` verbs) over the
 * Linux driver's /dev/warden and /sys/devices/warden (docs/linux.md).
 *
 * Exit status: 0 done, 1 refused or failed (one line on stderr saying
 * why, with the hypervisor's reason when it gave one), 2 bad usage.
 */
#define _GNU_SOURCE

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "../../include/warden/cell_config.h"
#include "../../include/warden/driver.h"
#include "../../include/warden/hypercall.h"

#define MAX_FILE (64u << 20)

struct verb {
	const char *name;
	int (*run)(int argc, char **argv);
	const char *args;
	const char *help;
};

static const char *prog = "warden";

static int usage_error(const char *usage, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int usage_error(const char *usage, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, "\nusage: %s %s (--help for more)\n", prog, usage);
	return 2;
}

static int fail(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static int fail(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return 1;
}

static int is_help(const char *arg)
{
	return !strcmp(arg, "--help") || !strcmp(arg, "-h");
}

/* Read a whole regular file (at most MAX_FILE bytes); NULL after saying
 * why. */
static void *read_file(const char *path, size_t *size)
{
	struct stat st;
	char *buf;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0) {
		fail("%s: %s", path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode) || st.st_size == 0 ||
	    (unsigned long long)st.st_size > MAX_FILE) {
		fail("%s: not a regular file of 1..%u bytes", path, MAX_FILE);
		close(fd);
		return NULL;
	}
	buf = malloc(st.st_size);
	if (!buf || read(fd, buf, st.st_size) != st.st_size) {
		fail("%s: cannot read", path);
		free(buf);
		close(fd);
		return NULL;
	}
	close(fd);
	*size = st.st_size;
	return buf;
}

/* A config file of the given signature; NULL after saying why. */
static void *read_config(const char *path, const char *sig, size_t min,
			 size_t *size)
{
	char *buf = read_file(path, size);

	if (buf && (*size < min || memcmp(buf, sig, WD_SIGNATURE_LEN))) {
		fail("%s: not a %s config (signature \"%s\", at least %zu bytes)",
		     path,
		     !strcmp(sig, WD_SYSTEM_SIGNATURE) ? "system" : "cell", sig,
		     min);
		free(buf);
		return NULL;
	}
	return buf;
}

/* ioctl on /dev/warden; on failure one line with the driver's reason. */
static int request(unsigned long code, void *arg, const char *what)
{
	struct wd_reason_record rec;
	int fd, r, err;

	fd = open(WARDEN_DEVICE, O_RDWR);
	if (fd < 0)
		return fail("%s: cannot open %s: %s%s", what, WARDEN_DEVICE,
			    strerror(errno),
			    errno == ENOENT ?
				    " (is the warden module loaded?)" :
				    "");
	r = ioctl(fd, code, arg);
	if (r >= 0) {
		close(fd);
		return 0;
	}
	err = errno;
	memset(&rec, 0, sizeof(rec));
	if (ioctl(fd, WARDEN_LAST_REASON, &rec) == 0 && rec.text[0]) {
		rec.text[sizeof(rec.text) - 1] = 0;
		if (rec.code)
			fail("%s: %s (reason %u, item 0x%llx): %s", what,
			     rec.text, rec.code, (unsigned long long)rec.item,
			     strerror(err));
		else
			fail("%s: %s: %s", what, rec.text, strerror(err));
	} else {
		fail("%s: %s", what, strerror(err));
	}
	close(fd);
	return 1;
}

static int enable(int argc, char **argv)
{
	struct warden_config req = { 0 };
	size_t size;
	void *cfg;
	int r;

	if (argc != 2)
		return usage_error("enable SYSTEM.cell",
				   "enable takes one system config");
	cfg = read_config(argv[1], WD_SYSTEM_SIGNATURE,
			  sizeof(struct wd_system), &size);
	if (!cfg)
		return 1;
	req.address = (uintptr_t)cfg;
	req.size = size;
	r = request(WARDEN_ENABLE, &req, "enable");
	free(cfg);
	return r;
}

static int disable(int argc, char **argv)
{
	(void)argv;
	if (argc != 1)
		return usage_error("disable", "disable takes no arguments");
	return request(WARDEN_DISABLE, NULL, "disable");
}

static int cell_create(int argc, char **argv)
{
	struct warden_config req = { 0 };
	size_t size;
	void *cfg;
	int r;

	if (argc != 2)
		return usage_error("cell create CELL.cell",
				   "cell create takes one cell config");
	cfg = read_config(argv[1], WD_CELL_SIGNATURE,
			  sizeof(struct wd_cell_desc), &size);
	if (!cfg)
		return 1;
	req.address = (uintptr_t)cfg;
	req.size = size;
	r = request(WARDEN_CELL_CREATE, &req, "cell create");
	free(cfg);
	return r;
}

/* A cell by number (its id) or name. */
static int cell_id(const char *arg, struct warden_cell_id *id,
		   const char *usage)
{
	char *end;
	long v;

	memset(id, 0, sizeof(*id));
	v = strtol(arg, &end, 10);
	if (*arg && !*end) {
		if (v < 0 || v > INT32_MAX)
			return usage_error(usage, "cell id %s out of range",
					   arg);
		id->id = v;
		return 0;
	}
	if (strlen(arg) >= WARDEN_NAME_LEN || !*arg)
		return usage_error(usage, "cell name \"%s\": 1..%d characters",
				   arg, WARDEN_NAME_LEN - 1);
	id->id = -1;
	strcpy(id->name, arg);
	return 0;
}

static int parse_address(const char *arg, __u64 *addr)
{
	char *end;

	errno = 0;
	*addr = strtoull(arg, &end, 0);
	return errno || !*arg || *end || arg[0] == '-';
}

#define LOAD_USAGE "cell load {ID|NAME} IMAGE [-a ADDR] [IMAGE [-a ADDR]]..."

static int cell_load(int argc, char **argv)
{
	struct warden_cell_load *req;
	void *data[WARDEN_MAX_IMAGES];
	unsigned int n = 0, i;
	int a, r = 1;
	size_t size;

	if (argc < 3)
		return usage_error(LOAD_USAGE,
				   "cell load takes a cell and images");
	req = calloc(1,
		     sizeof(*req) + WARDEN_MAX_IMAGES * sizeof(req->image[0]));
	if (!req)
		return fail("out of memory");
	if (cell_id(argv[1], &req->cell, LOAD_USAGE)) {
		free(req);
		return 2;
	}
	for (a = 2; a < argc; a++) {
		if (!strcmp(argv[a], "-a") || !strcmp(argv[a], "--address")) {
			if (n == 0 || a + 1 == argc ||
			    parse_address(argv[a + 1],
					  &req->image[n - 1].target)) {
				r = usage_error(
					LOAD_USAGE,
					"%s needs an address after an image (e.g. -a 0x0)",
					argv[a]);
				goto out;
			}
			a++;
			continue;
		}
		if (argv[a][0] == '-') {
			r = usage_error(LOAD_USAGE, "unknown option %s",
					argv[a]);
			goto out;
		}
		if (n == WARDEN_MAX_IMAGES) {
			r = usage_error(LOAD_USAGE, "at most %d images",
					WARDEN_MAX_IMAGES);
			goto out;
		}
		data[n] = read_file(argv[a], &size);
		if (!data[n])
			goto out;
		req->image[n].size = size;
		req->image[n].source = (uintptr_t)data[n];
		n++;
	}
	req->num_images = n;
	r = request(WARDEN_CELL_LOAD, req, "cell load");
out:
	for (i = 0; i < n; i++)
		free(data[i]);
	free(req);
	return r;
}

static int cell_simple(int argc, char **argv, unsigned long code,
		       const char *usage, const char *what)
{
	struct warden_cell_id id;

	if (argc != 2)
		return usage_error(usage, "%s takes one cell", what);
	if (cell_id(argv[1], &id, usage))
		return 2;
	return request(code, &id, what);
}

static int cell_start(int argc, char **argv)
{
	return cell_simple(argc, argv, WARDEN_CELL_START,
			   "cell start {ID|NAME}", "cell start");
}

static int cell_shutdown(int argc, char **argv)
{
	return cell_simple(argc, argv, WARDEN_CELL_SHUTDOWN,
			   "cell shutdown {ID|NAME}", "cell shutdown");
}

static int cell_destroy(int argc, char **argv)
{
	return cell_simple(argc, argv, WARDEN_CELL_DESTROY,
			   "cell destroy {ID|NAME}", "cell destroy");
}

/* The first line of sysfs file DIR/NAME, without its newline. */
static int read_attr(const char *dir, const char *name, char *buf, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f || !fgets(buf, len, f)) {
		if (f)
			fclose(f);
		return -1;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return 0;
}

static int enabled(void)
{
	char v[8];

	if (read_attr(WARDEN_SYSFS, "enabled", v, sizeof(v)))
		return fail(
			"cannot read %s/enabled (is the warden module loaded?)",
			WARDEN_SYSFS);
	if (strcmp(v, "1"))
		return fail("warden is not enabled");
	return 0;
}

static int cell_list(int argc, char **argv)
{
	char dir[512], id[16], state[32], cpus[128];
	struct dirent **names;
	int n, i;

	(void)argv;
	if (argc != 1)
		return usage_error("cell list", "cell list takes no arguments");
	if (enabled())
		return 1;
	n = scandir(WARDEN_SYSFS "/cells", &names, NULL, alphasort);
	if (n < 0)
		return fail("%s/cells: %s", WARDEN_SYSFS, strerror(errno));
	printf("%-8s%-24s%-18s%s\n", "ID", "Name", "State", "CPUs");
	for (i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.') {
			snprintf(dir, sizeof(dir), "%s/cells/%s", WARDEN_SYSFS,
				 names[i]->d_name);
			if (read_attr(dir, "id", id, sizeof(id)) ||
			    read_attr(dir, "state", state, sizeof(state)) ||
			    read_attr(dir, "cpus", cpus, sizeof(cpus)))
				strcpy(state, "(vanished)");
			printf("%-8s%-24s%-18s%s\n", id, names[i]->d_name,
			       state, cpus);
		}
		free(names[i]);
	}
	free(names);
	return 0;
}

static int cell_stats(int argc, char **argv)
{
	char path[512], line[128];
	FILE *f;

	if (argc != 2)
		return usage_error("cell stats NAME",
				   "cell stats takes one cell name");
	if (enabled())
		return 1;
	snprintf(path, sizeof(path), "%s/cells/%s/statistics", WARDEN_SYSFS,
		 argv[1]);
	f = fopen(path, "r");
	if (!f)
		return fail("cell stats: no cell named \"%s\"", argv[1]);
	printf("Statistics of cell \"%s\" (all its CPUs)\n", argv[1]);
	while (fgets(line, sizeof(line), f))
		fputs(line, stdout);
	fclose(f);
	return 0;
}

/*
 * The hypervisor's console ring (/sys/devices/warden/console): the file
 * offset is the byte of its output since enable, and what the ring no
 * longer holds (it wrapped before we read) reads as NUL bytes, which the
 * hypervisor never prints: counted and said instead.
 */
static int console(int argc, char **argv)
{
	unsigned long long lost = 0;
	char buf[4096];
	size_t n, i;
	FILE *f;

	if (argc > 2 ||
	    (argc == 2 && strcmp(argv[1], "-f") && strcmp(argv[1], "--follow")))
		return usage_error("console [-f]", "unknown argument %s",
				   argv[1]);
	f = fopen(WARDEN_SYSFS "/console", "r");
	if (!f)
		return fail("console: this driver and image keep no console "
			    "buffer (%s/console): the hypervisor prints on its "
			    "UART",
			    WARDEN_SYSFS);
	do {
		while ((n = fread(buf, 1, sizeof(buf), f)) > 0)
			for (i = 0; i < n; i++) {
				if (!buf[i]) {
					lost++;
					continue;
				}
				if (lost)
					printf("[warden console: %llu bytes "
					       "lost: the ring wrapped]\n",
					       lost);
				lost = 0;
				putchar(buf[i]);
			}
		fflush(stdout);
		if (argc == 2)
			sleep(1);
		clearerr(f);
	} while (argc == 2);
	fclose(f);
	return 0;
}

static int config(int argc, char **argv)
{
	char **args;
	int i;

	if (argc < 2 || (strcmp(argv[1], "check") && strcmp(argv[1], "dump")))
		return usage_error("config {check|dump} ARGS...",
				   "config takes check or dump");
	/* warden-config does both; it prints its own help and errors. */
	args = calloc(argc + 1, sizeof(*args));
	if (!args)
		return fail("out of memory");
	args[0] = "warden-config";
	for (i = 1; i < argc; i++)
		args[i] = argv[i];
	execvp(args[0], args);
	fail("config: cannot run warden-config: %s", strerror(errno));
	free(args);
	return 1;
}

static const struct verb cell_verbs[] = {
	{ "create", cell_create, "CELL.cell",
	  "create a cell from its config: its CPUs leave Linux" },
	{ "load", cell_load, "{ID|NAME} IMAGE [-a ADDR]...",
	  "copy images into the cell's loadable memory, at ADDR (cell\n"
	  "    address; default 0); the cell is shut down first" },
	{ "start", cell_start, "{ID|NAME}",
	  "start the cell at its reset address" },
	{ "shutdown", cell_shutdown, "{ID|NAME}",
	  "stop the cell (it can be loaded and started again)" },
	{ "destroy", cell_destroy, "{ID|NAME}",
	  "destroy the cell: its CPUs come back to Linux" },
	{ "list", cell_list, "", "the cells, their state and CPUs" },
	{ "stats", cell_stats, "NAME", "the cell's exit counters" },
	{ NULL, NULL, NULL, NULL },
};

static int cell(int argc, char **argv);

static const struct verb verbs[] = {
	{ "enable", enable, "SYSTEM.cell",
	  "load the hypervisor (warden-armv7.bin by the firmware loader)\n"
	  "    and make the running Linux its root cell" },
	{ "disable", disable, "",
	  "leave the hypervisor: Linux runs on bare metal again" },
	{ "cell", cell, "VERB ...", "manage cells (warden cell --help)" },
	{ "console", console, "[-f]",
	  "print the hypervisor console (-f: follow)" },
	{ "config", config, "{check|dump} ARGS...",
	  "check or dump configs (runs warden-config)" },
	{ NULL, NULL, NULL, NULL },
};

static int help(const char *prefix, const struct verb *v, const char *only)
{
	const char *sp = *prefix ? " " : "";

	if (!only)
		printf("usage: %s%s%s VERB [ARGS]\n\nVerbs:\n", prog, sp,
		       prefix);
	for (; v->name; v++)
		if (!only || !strcmp(only, v->name))
			printf("  %s%s%s%s%s\n    %s\n", prefix, sp, v->name,
			       *v->args ? " " : "", v->args, v->help);
	if (!only)
		printf("\nExit status: 0 done, 1 refused or failed (the reason "
		       "on stderr), 2 bad usage.\n");
	return 0;
}

static int dispatch(const char *prefix, const struct verb *table, int argc,
		    char **argv)
{
	const struct verb *v;
	int i;

	if (argc < 1 || is_help(argv[0]))
		return argc < 1 ? (help(prefix, table, NULL), 2) :
				  help(prefix, table, NULL);
	for (v = table; v->name; v++) {
		if (strcmp(v->name, argv[0]))
			continue;
		for (i = 1; i < argc; i++)
			if (is_help(argv[i]) && v->run != cell)
				return help(prefix, table, v->name);
		return v->run(argc, argv);
	}
	fprintf(stderr, "%s: unknown verb \"%s%s%s\" (%s%s%s --help)\n", prog,
		prefix, *prefix ? " " : "", argv[0], prog, *prefix ? " " : "",
		prefix);
	return 2;
}

static int cell(int argc, char **argv)
{
	return dispatch("cell", cell_verbs, argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	if (argc < 2 || is_help(argv[1])) {
		help("", verbs, NULL);
		printf("\n");
		help("cell", cell_verbs, NULL);
		return argc < 2 ? 2 : 0;
	}
	return dispatch("", verbs, argc - 1, argv + 1);
}
