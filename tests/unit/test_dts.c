/* SPDX-License-Identifier: GPL-2.0 */
/*
 * warden-config's DTS side (tools/cellcfg.c, dts.c, dump.c, create.c),
 * called directly: decoding errors, compile errors that name the node,
 * compile(dump(x)) == x for every shipped config, every test config and
 * random decodable files, and create --from-dtb on QEMU's virt DTB. Runs
 * from the top of the tree (configs/, tests/fixtures/, build/host/).
 */
#include <check.h>
#include <fcntl.h>
#include <glob.h>
#include <libfdt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "../../core/core.h"
#include "support_run.h"
#include "tools/dts.h"

#define MIB 0x100000ull

static char tmpdir[64];

static void make_tmpdir(void)
{
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/test_dts.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
}

static void remove_tmpdir(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}

static const char *tmp_path(const char *name)
{
	static char path[4][128];
	static unsigned int n;
	char *p = path[n++ % 4];

	snprintf(p, sizeof(path[0]), "%s/%s", tmpdir, name);
	return p;
}

static void write_text(const char *path, const char *text)
{
	ck_assert_int_eq(write_file(path, text, strlen(text)), 0);
}

/* Compile DTS @text; returns dts_compile_file()'s result, @err set. */
static int compile_text(const char *text, struct cellcfg *c, char *err,
			size_t errlen)
{
	const char *path = tmp_path("in.dts");

	write_text(path, text);
	return dts_compile_file(path, c, err, errlen);
}

static size_t encode(const struct cellcfg *c, uint8_t **buf)
{
	size_t len = cellcfg_encode(c, buf);

	ck_assert_uint_gt(len, 0);
	return len;
}

/* compile(dump(decode(@buf))) must give @buf back. */
static void assert_round_trip(const uint8_t *buf, size_t len, const char *what)
{
	struct cellcfg c, back;
	char err[512], *text = NULL;
	size_t size = 0, len2;
	uint8_t *out;
	FILE *f;

	ck_assert_msg(!cellcfg_decode(buf, len, &c, err, sizeof(err)), "%s: %s",
		      what, err);
	f = open_memstream(&text, &size);
	ck_assert_ptr_nonnull(f);
	ck_assert_int_eq(dts_dump(&c, what, f), 0);
	fclose(f);
	cellcfg_free(&c);
	ck_assert_msg(!compile_text(text, &back, err, sizeof(err)),
		      "%s: dump does not compile: %s\n%s", what, err, text);
	len2 = encode(&back, &out);
	ck_assert_msg(len2 == len && !memcmp(out, buf, len),
		      "%s: compile(dump(x)) != x\n%s", what, text);
	free(out);
	free(text);
	cellcfg_free(&back);
}

static uint8_t *load(const char *path, size_t *len)
{
	uint8_t *buf = read_file(path, len);

	ck_assert_msg(buf != NULL, "cannot read %s", path);
	return buf;
}

/* ---- decoding ---------------------------------------------------------- */

static uint8_t *test_cell(size_t *len)
{
	return load("build/host/tests/configs/tiny-x86.cell", len);
}

#define EXPECT_DECODE_ERROR(buf, len, text)                                 \
	do {                                                                \
		struct cellcfg c_;                                          \
		char e_[256];                                               \
		ck_assert_int_eq(                                           \
			cellcfg_decode(buf, len, &c_, e_, sizeof(e_)), -1); \
		ck_assert_msg(strstr(e_, text), "got '%s', want '%s'", e_,  \
			      text);                                        \
	} while (0)

START_TEST(decode_errors_are_precise)
{
	size_t len;
	uint8_t *buf = test_cell(&len), *big;

	EXPECT_DECODE_ERROR(buf, 3, "shorter than the 5-byte signature");
	EXPECT_DECODE_ERROR(buf, 100,
			    "100 bytes, shorter than the 132-byte cell header");
	EXPECT_DECODE_ERROR(buf, len - 1,
			    "PCI device count 1 points past the "
			    "end of the file (header says 296 "
			    "bytes, file has 295)");
	big = malloc(len + 3);
	memcpy(big, buf, len);
	memset(big + len, 0, 3);
	{
		/* Trailing bytes: ignored, counted. */
		struct cellcfg c;
		char e[256];

		ck_assert_int_eq(cellcfg_decode(big, len + 3, &c, e, sizeof(e)),
				 0);
		ck_assert_uint_eq(c.trailing, 3);
		cellcfg_free(&c);
	}
	free(big);
	buf[6] = 13;
	EXPECT_DECODE_ERROR(buf, len, "revision 13, expected 14");
	buf[6] = 14;
	memcpy(buf, "JH\x01YT", 5);
	EXPECT_DECODE_ERROR(buf, len,
			    "wrong signature 'JH\\x01YT' (expected "
			    "JHSYS or JHCLL)");
	memcpy(buf, "JHCLL", 5);
	/* num_memory_regions = 100000 */
	buf[52] = 0xa0;
	buf[53] = 0x86;
	buf[54] = 0x01;
	EXPECT_DECODE_ERROR(buf, len, "memory region count 100000 points past");
	free(buf);
}
END_TEST

START_TEST(encode_decode_identity_and_item_names)
{
	struct cellcfg c;
	char err[256], name[64];
	size_t len, len2;
	uint8_t *buf = test_cell(&len), *out;

	ck_assert_int_eq(cellcfg_decode(buf, len, &c, err, sizeof(err)), 0);
	ck_assert(!c.is_system);
	ck_assert_uint_eq(c.num[CFG_MEM], 2);
	ck_assert(cellcfg_has_cpu(&c, 2));
	ck_assert(!cellcfg_has_cpu(&c, 3));
	ck_assert(!cellcfg_has_cpu(&c, 1000));
	ck_assert_str_eq(cellcfg_item_name(&c, CFG_MEM, 1, name, sizeof(name)),
			 "memory region 1");
	ck_assert_str_eq(cellcfg_item_name(&c, CFG_PCI, 0, name, sizeof(name)),
			 "PCI device 0");
	len2 = encode(&c, &out);
	ck_assert(len2 == len && !memcmp(out, buf, len));
	free(out);
	free(buf);
	cellcfg_free(&c);
}
END_TEST

/* ---- compiling --------------------------------------------------------- */

static const char cell_dts[] =
	"/dts-v1/;\n"
	"/ {\n"
	"	compatible = \"warden,cell\";\n"
	"	architecture = \"x86\";\n"
	"	cell-name = \"t\";\n"
	"	cpus = <2>;\n"
	"	stream-ids = <7 9>;\n"
	"	memory-regions {\n"
	"		ram@0 {\n"
	"			phys-start = /bits/ 64 <0x0e000000>;\n"
	"			virt-start = <0>;\n"
	"			size = <0 0x100000>;\n"
	"			flags = \"read\", \"write\", \"0x10000000\";\n"
	"		};\n"
	"		mmio@1000 {\n"
	"			phys-start = <0x1000>;\n"
	"			virt-start = <0x1000>;\n"
	"			size = <0x80>;\n"
	"			flags = \"read\", \"io\";\n"
	"			io-widths = <8 32>;\n"
	"		};\n"
	"	};\n"
	"	irqchips {\n"
	"		ioapic {\n"
	"			address = <0xfec00000>;\n"
	"			pin-base = <0>;\n"
	"			pins = <3 5>;\n"
	"			pin-ranges = <64 127>;\n"
	"		};\n"
	"	};\n"
	"	pci-devices {\n"
	"		dev {\n"
	"			type = \"device\";\n"
	"			bdf = \"00:1f.3\";\n"
	"			caps-start = <1>;\n"
	"			num-caps = <1>;\n"
	"			msi-flags = \"64bit\", \"0x80\";\n"
	"		};\n"
	"	};\n"
	"	pci-caps {\n"
	"		cap@0 { id = <0x05>; len = <14>; };\n"
	"		cap@1 { id = <0x10>; extended; start = <0x100>;\n"
	"			len = <4>; flags = \"write\"; };\n"
	"	};\n"
	"};\n";

START_TEST(compile_fills_every_field)
{
	struct cellcfg c;
	char err[512], name[64];

	ck_assert_msg(!compile_text(cell_dts, &c, err, sizeof(err)), "%s", err);
	ck_assert(!memcmp(c.cell.signature, "JHCLL", 5));
	ck_assert_str_eq(c.cell.name, "t");
	ck_assert_uint_eq(c.cell.cpu_set_size, 8);
	ck_assert_uint_eq(c.cpu_set[0], 0x04);
	ck_assert_uint_eq(c.num[CFG_MEM], 2);
	ck_assert_uint_eq(c.mem[0].phys_start, 0x0e000000);
	ck_assert_uint_eq(c.mem[0].size, MIB);
	ck_assert_uint_eq(c.mem[0].flags,
			  WD_MEM_READ | WD_MEM_WRITE | 0x10000000);
	ck_assert_uint_eq(c.mem[1].flags,
			  WD_MEM_READ | WD_MEM_IO | WD_MEM_IO_8 | WD_MEM_IO_32);
	ck_assert_uint_eq(c.irq[0].pin_bitmap[0], 1u << 3 | 1u << 5);
	ck_assert_uint_eq(c.irq[0].pin_bitmap[1], 0);
	ck_assert_uint_eq(c.irq[0].pin_bitmap[2], 0xffffffff);
	ck_assert_uint_eq(c.irq[0].pin_bitmap[3], 0xffffffff);
	ck_assert_uint_eq(c.pci[0].bdf, 0x00fb);
	ck_assert_uint_eq(c.pci[0].msi_flags, 0x81);
	ck_assert_uint_eq(c.caps[1].id, 0x8010);
	ck_assert_uint_eq(c.caps[1].flags, WD_PCICAPS_WRITE);
	ck_assert_uint_eq(c.stream_ids[1], 9);
	ck_assert_str_eq(cellcfg_item_name(&c, CFG_MEM, 1, name, sizeof(name)),
			 "/memory-regions/mmio@1000");
	ck_assert_str_eq(cellcfg_item_name(&c, CFG_STREAM, 1, name,
					   sizeof(name)),
			 "/stream-ids[1]");
	cellcfg_free(&c);
}
END_TEST

/*
 * Revision 14's constants by name: console SCIF (0x000a), IOMMU ARM MMU-500
 * (5), stream ids in the union's MMU-500 view (id, mask-out).
 */
START_TEST(mmu500_scif_constants_by_name)
{
	char text[sizeof(cell_dts) + 256], err[512], *out = NULL;
	const char *at = strstr(cell_dts, "stream-ids = <7 9>;");
	struct cellcfg c;
	size_t size = 0;
	uint8_t *bin;
	FILE *f;

	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - cell_dts), cell_dts,
		 "mmu500-stream-ids = <0x10 0x7f8 0x11 0>;\n"
		 "\tconsole { type = \"scif\"; address = <0xe6e88000>; };",
		 at + strlen("stream-ids = <7 9>;"));
	ck_assert_msg(!compile_text(text, &c, err, sizeof(err)), "%s", err);
	ck_assert_uint_eq(c.num[CFG_STREAM], 2);
	ck_assert_uint_eq(c.stream_ids[0], 0x07f80010);
	ck_assert_uint_eq(c.stream_ids[1], 0x11);
	ck_assert_uint_eq(((union wd_stream_id *)c.stream_ids)[0].mmu500.id,
			  0x10);
	ck_assert_uint_eq(
		((union wd_stream_id *)c.stream_ids)[0].mmu500.mask_out, 0x7f8);
	ck_assert_uint_eq(c.cell.console.type, 0x000a);
	f = open_memstream(&out, &size);
	ck_assert_int_eq(dts_dump(&c, "t", f), 0);
	fclose(f);
	ck_assert_ptr_nonnull(strstr(out, "type = \"scif\";"));
	ck_assert_ptr_nonnull(strstr(out, "stream-ids = <0x7f80010 0x11>;"));
	ck_assert_ptr_nonnull(strstr(out, "<0x10 0x7f8> <0x11 0x0>"));
	free(out);
	size = encode(&c, &bin);
	assert_round_trip(bin, size, "mmu500");
	free(bin);
	cellcfg_free(&c);
	/* 16 bits each. */
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - cell_dts), cell_dts,
		 "mmu500-stream-ids = <0x10000 0>;",
		 at + strlen("stream-ids = <7 9>;"));
	ck_assert_int_eq(compile_text(text, &c, err, sizeof(err)), -1);
	ck_assert_ptr_nonnull(strstr(err, "an MMU-500 takes 16 bits each"));
	cellcfg_free(&c);
}
END_TEST

/* Compile cell_dts with @from replaced by @to; expect error text @want. */
static void expect_error(const char *from, const char *to, const char *want)
{
	char text[sizeof(cell_dts) + 256], err[512];
	const char *at = strstr(cell_dts, from);
	struct cellcfg c;

	ck_assert_msg(at != NULL, "'%s' not in the test DTS", from);
	snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - cell_dts), cell_dts,
		 to, at + strlen(from));
	ck_assert_int_eq(compile_text(text, &c, err, sizeof(err)), -1);
	ck_assert_msg(strstr(err, want), "got '%s', want '%s'", err, want);
	cellcfg_free(&c);
}

START_TEST(compile_errors_name_node_and_property)
{
	expect_error("io-widths", "io-width",
		     "/memory-regions/mmio@1000: unknown property 'io-width' "
		     "(did you mean 'io-widths'?)");
	expect_error("\"read\", \"io\"", "\"read\", \"oi\"",
		     "/memory-regions/mmio@1000: 'flags': unknown flag 'oi' "
		     "(known: read, write,");
	expect_error("\"00:1f.3\"", "\"00:20.0\"",
		     "/pci-devices/dev: 'bdf': bad BDF '00:20.0'");
	expect_error("virt-start = <0x1000>;", "",
		     "/memory-regions/mmio@1000: missing required property "
		     "'virt-start'");
	expect_error("cell-name = \"t\";", "",
		     "/: missing required property 'cell-name'");
	expect_error("pins = <3 5>", "pins = <3 128>",
		     "/irqchips/ioapic: 'pins': pin 128 outside this chip's "
		     "pins 0..127");
	expect_error("num-caps = <1>", "num-caps = <0x10000>",
		     "/pci-devices/dev: 'num-caps': value 0x10000 out of "
		     "range (max 0xffff)");
	expect_error("size = <0x80>", "size = \"4k\"",
		     "/memory-regions/mmio@1000: 'size': expected one cell");
	expect_error("cap@1", "cap@2",
		     "/pci-caps/cap@2: unit address '2' is not this "
		     "capability's index 1");
	expect_error("pci-caps {", "pci-capz {",
		     "/pci-capz: unknown node (expected: console,");
	expect_error("cpus = <2>", "cpus = <2 2>",
		     "/: 'cpus': CPU 2 listed twice");
	expect_error("\"warden,cell\"", "\"warden,cells\"",
		     "/: 'compatible': expected \"warden,system\" or "
		     "\"warden,cell\", found \"warden,cells\"");
	expect_error("stream-ids = <7 9>;", "stream-ids = <7 9>",
		     "dtc: Error: ");
}
END_TEST

START_TEST(system_needs_hypervisor_memory_and_root_cell)
{
	struct cellcfg c;
	char err[256];

	ck_assert_int_eq(compile_text("/dts-v1/; / { compatible = "
				      "\"warden,system\"; architecture = "
				      "\"arm\"; };",
				      &c, err, sizeof(err)),
			 -1);
	ck_assert_str_eq(err, "/: missing required node 'hypervisor-memory'");
	ck_assert_int_eq(compile_text("/dts-v1/; / { compatible = "
				      "\"warden,system\"; architecture = "
				      "\"arm\"; hypervisor-memory { "
				      "phys-start = <0>; size = <0x1000>; "
				      "}; platform { x86 { }; arm { }; }; };",
				      &c, err, sizeof(err)),
			 -1);
	ck_assert_msg(strstr(err, "/platform: 'x86' and 'arm' both given"),
		      "%s", err);
}
END_TEST

/* ---- shipped configs --------------------------------------------------- */

/* Each configs/<target>/ compiles, round-trips and passes the core. */
START_TEST(shipped_configs_compile_round_trip_and_pass_the_core)
{
	glob_t g;
	size_t i, len;
	char err[512];
	unsigned int systems = 0;

	ck_assert_int_eq(glob("configs/*/*.dts", 0, NULL, &g), 0);
	ck_assert_uint_ge(g.gl_pathc, 12);
	for (i = 0; i < g.gl_pathc; i++) {
		struct cellcfg c, sys;
		const char *path = g.gl_pathv[i];
		char syspath[256];
		struct check_result r;
		uint8_t *buf, *sbuf;
		size_t slen;

		ck_assert_msg(!dts_compile_file(path, &c, err, sizeof(err)),
			      "%s: %s", path, err);
		len = encode(&c, &buf);
		assert_round_trip(buf, len, path);
		if (c.is_system) {
			r = config_check_system(buf, len);
			systems++;
		} else {
			/* Check a cell against its target's hypervisor. */
			snprintf(syspath, sizeof(syspath), "%.*s/system.dts",
				 (int)(strrchr(path, '/') - path), path);
			ck_assert_msg(!dts_compile_file(syspath, &sys, err,
							sizeof(err)),
				      "%s: %s", syspath, err);
			slen = encode(&sys, &sbuf);
			r = config_check_cell(buf, len,
					      &sys.sys.hypervisor_memory);
			free(sbuf);
			(void)slen;
			cellcfg_free(&sys);
		}
		ck_assert_msg(r.reason == WD_R_none,
			      "%s: core rejects it: reason %d item %llu", path,
			      r.reason, (unsigned long long)r.item);
		free(buf);
		cellcfg_free(&c);
	}
	/* qemu-arm-virt, qemu-arm-linux, qemu-x86-amd, qemu-x86-linux,
	 * bochs-x86, sim-arm, sim-x86, qemu-x86-vtd, qemu-x86-amdvi */
	ck_assert_uint_eq(systems, 9);
	globfree(&g);
}
END_TEST

/* The simulator configs are the test configs, byte for byte. */
START_TEST(sim_configs_equal_the_test_configs)
{
	static const char *const pairs[][2] = {
		{ "configs/sim-x86/system.dts",
		  "build/host/tests/configs/sys-x86.cell" },
		{ "configs/sim-x86/tiny.dts",
		  "build/host/tests/configs/tiny-x86.cell" },
		{ "configs/sim-x86/attack.dts",
		  "build/host/tests/configs/attack-x86.cell" },
		{ "configs/sim-arm/system.dts",
		  "build/host/tests/configs/sys-arm.cell" },
		{ "configs/sim-arm/tiny.dts",
		  "build/host/tests/configs/tiny-arm.cell" },
	};
	unsigned int i;

	for (i = 0; i < sizeof(pairs) / sizeof(pairs[0]); i++) {
		struct cellcfg c;
		char err[512];
		uint8_t *buf, *want;
		size_t len, wlen;

		ck_assert_msg(!dts_compile_file(pairs[i][0], &c, err,
						sizeof(err)),
			      "%s: %s", pairs[i][0], err);
		len = encode(&c, &buf);
		want = load(pairs[i][1], &wlen);
		ck_assert_msg(len == wlen && !memcmp(buf, want, len),
			      "%s differs from %s", pairs[i][0], pairs[i][1]);
		free(buf);
		free(want);
		cellcfg_free(&c);
	}
}
END_TEST

START_TEST(test_config_cells_round_trip)
{
	glob_t g;
	size_t i, len;

	ck_assert_int_eq(glob("build/host/tests/configs/*.cell", 0, NULL, &g),
			 0);
	ck_assert_uint_ge(g.gl_pathc, 5);
	for (i = 0; i < g.gl_pathc; i++) {
		uint8_t *buf = load(g.gl_pathv[i], &len);

		assert_round_trip(buf, len, g.gl_pathv[i]);
		free(buf);
	}
	globfree(&g);
}
END_TEST

/* ---- foreign files ----------------------------------------------------- */

/*
 * A Jailhouse-style system config as Jailhouse's own tools write it: root
 * cell header without signature, an id set by a loader, bytes that only
 * foreign tools set (platform padding, the unused tail of the platform
 * union, cache padding, unknown flag bits, garbage after the name), a
 * 16-byte CPU set, an IOMMU unit, and devices sharing capabilities.
 */
START_TEST(foreign_jailhouse_system_round_trips)
{
	struct {
		struct wd_system h;
		uint8_t cpus[16];
		struct wd_memory mem[1];
		struct wd_cache cache[1];
		struct wd_irqchip irq[1];
		struct wd_pio pio[1];
		struct wd_pci_device pci[2];
		struct wd_pci_capability caps[2];
		uint32_t sids[1];
	} __attribute__((packed)) f;
	uint8_t *un = (uint8_t *)&f.h.platform_info +
		      offsetof(struct wd_platform_info, x86);

	memset(&f, 0, sizeof(f));
	memcpy(f.h.signature, "JHSYS", 5);
	f.h.revision = 14;
	f.h.flags = WD_SYS_VIRTUAL_DEBUG_CONSOLE | 0x100;
	f.h.hypervisor_memory.phys_start = 0x3a000000;
	f.h.hypervisor_memory.size = 0x600000;
	f.h.debug_console.type = 0x77;
	f.h.debug_console.flags = WD_CON_ACCESS_MMIO | 0x0400;
	f.h.platform_info.iommu_units[0].type = WD_IOMMU_AMD;
	f.h.platform_info.iommu_units[0].amd.bdf = 0x02;
	f.h.platform_info.iommu_units[0].tipvu.tlb_size = 0x1234;
	f.h.platform_info.iommu_units[3].type = WD_IOMMU_PVU;
	f.h.platform_info.iommu_units[3].tipvu.tlb_base = 0x123456789ull;
	un[7] = 0xaa;  /* x86 padding[1] */
	un[30] = 0x55; /* beyond the x86 part */
	memcpy(f.h.root_cell.name, "RootCell\0junk", 13);
	f.h.root_cell.id = 7;
	f.h.root_cell.flags = 0x100;
	f.h.root_cell.cpu_set_size = 16;
	f.h.root_cell.num_memory_regions = 1;
	f.h.root_cell.num_cache_regions = 1;
	f.h.root_cell.num_irqchips = 1;
	f.h.root_cell.num_pio_regions = 1;
	f.h.root_cell.num_pci_devices = 2;
	f.h.root_cell.num_pci_caps = 2;
	f.h.root_cell.num_stream_ids = 1;
	f.cpus[0] = 0x0f;
	f.cpus[9] = 0x80;
	f.mem[0] = (struct wd_memory){ 0, 0, 0x3a000000, 0x7 | 1ull << 40 };
	f.cache[0] = (struct wd_cache){ 0, 8, 9, 0xee, 0x8001 };
	f.irq[0].address = 0xfec00000;
	f.irq[0].pin_base = 0xffffffc0; /* pins past 2^32 */
	f.irq[0].pin_bitmap[0] = 0xf0f0f0f0;
	f.pio[0] = (struct wd_pio){ 0x3f8, 8 };
	f.pci[0].type = 0x09;
	f.pci[0].bdf = 0xffff;
	f.pci[0].num_caps = 2;
	f.pci[0].msi_flags = 0xff;
	f.pci[0].shmem_protocol = 0x4001;
	f.pci[1].type = WD_PCI_TYPE_DEVICE;
	f.pci[1].bdf = 0x10;
	f.pci[1].num_caps = 2; /* shares both capabilities */
	f.caps[0] = (struct wd_pci_capability){ 0x05, 0x50, 14, 0xf0 };
	f.caps[1] = (struct wd_pci_capability){ 0x8001, 0x100, 4, 1 };
	f.sids[0] = 0xdeadbeef;
	assert_round_trip((const uint8_t *)&f, sizeof(f), "foreign");
}
END_TEST

/* Any decodable bytes round-trip: random headers and arrays. */
START_TEST(random_decodable_files_round_trip)
{
	uint8_t buf[4096];
	unsigned int it, i;

	srandom(1234);
	for (it = 0; it < 150; it++) {
		bool sys = it & 1;
		size_t hdr = sys ? sizeof(struct wd_system) :
				   sizeof(struct wd_cell_desc);
		struct wd_cell_desc *c;
		size_t len;

		/* Half of the files mostly zero, half pure noise. */
		for (i = 0; i < sizeof(buf); i++)
			buf[i] = (it & 2) || !(random() % 4) ?
					 (uint8_t)random() :
					 0;
		memcpy(buf, sys ? "JHSYS" : "JHCLL", 5);
		buf[6] = 14;
		buf[7] = 0;
		c = (struct wd_cell_desc *)(buf + hdr - sizeof(*c));
		c->cpu_set_size = (uint32_t)(random() % 20);
		c->num_memory_regions = (uint32_t)(random() % 5);
		c->num_cache_regions = (uint32_t)(random() % 3);
		c->num_irqchips = (uint32_t)(random() % 3);
		c->num_pio_regions = (uint32_t)(random() % 4);
		c->num_pci_devices = (uint32_t)(random() % 3);
		c->num_pci_caps = (uint32_t)(random() % 5);
		c->num_stream_ids = (uint32_t)(random() % 4);
		len = hdr - sizeof(*c) + wd_cell_config_size(c);
		assert_round_trip(buf, len, "random");
	}
}
END_TEST

/* ---- create ------------------------------------------------------------ */

START_TEST(create_from_qemu_virt_dtb)
{
	char *argv[] = { "create",
			 "--from-dtb",
			 "tests/fixtures/qemu-arm-virt.dtb",
			 "-o",
			 (char *)tmp_path("virt.dts"),
			 "--name",
			 "virt",
			 NULL };
	const struct wd_platform_arm *arm;
	struct check_result r;
	struct cellcfg c;
	char err[512];
	uint8_t *buf;
	size_t len;

	ck_assert_int_eq(cmd_create(7, argv), 0);
	ck_assert_msg(!dts_compile_file(argv[4], &c, err, sizeof(err)), "%s",
		      err);
	ck_assert(c.is_system);
	ck_assert_uint_eq(c.sys.architecture, WD_ARCH_ARM);
	ck_assert_uint_eq(c.sys.hypervisor_memory.phys_start, 0x4f000000);
	ck_assert_uint_eq(c.sys.hypervisor_memory.size, 16 * MIB);
	ck_assert_uint_eq(c.sys.debug_console.address, 0x09000000);
	ck_assert_uint_eq(c.sys.debug_console.type, WD_CON_TYPE_PL011);
	arm = &c.sys.platform_info.arm;
	ck_assert_uint_eq(arm->maintenance_irq, 25);
	ck_assert_uint_eq(arm->gic_version, 2);
	ck_assert_uint_eq(arm->gicd_base, 0x08000000);
	ck_assert_uint_eq(arm->gicc_base, 0x08010000);
	ck_assert_uint_eq(arm->gich_base, 0x08030000);
	ck_assert_uint_eq(arm->gicv_base, 0x08040000);
	ck_assert_str_eq(c.cell.name, "virt");
	ck_assert_uint_eq(c.cpu_set[0], 0x0f);
	ck_assert_uint_eq(c.num[CFG_MEM], 2);
	ck_assert_uint_eq(c.mem[0].phys_start, 0x40000000);
	ck_assert_uint_eq(c.mem[0].size, 240 * MIB);
	ck_assert_uint_eq(c.irq[0].pin_base, 32);
	len = encode(&c, &buf);
	r = config_check_system(buf, len);
	ck_assert_msg(r.reason == WD_R_none, "reason %d item %llu", r.reason,
		      (unsigned long long)r.item);
	free(buf);
	cellcfg_free(&c);
}
END_TEST

/*
 * Run create with @args (after "create --from-dtb @dtb"), its stderr and
 * stdout captured in @msg; returns its exit status.
 */
static int create_msg(const char *dtb, const char *const *args, char *msg,
		      size_t len)
{
	char *argv[16] = { "create", "--from-dtb", (char *)dtb };
	const char *path = tmp_path("stderr.txt");
	int argc = 3, fd, saved, saved_out, rc;
	FILE *f;
	size_t n;

	while (*args && argc < 15)
		argv[argc++] = (char *)*args++;
	fflush(stderr);
	fflush(stdout);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	saved = dup(STDERR_FILENO);
	saved_out = dup(STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	dup2(fd, STDOUT_FILENO);
	close(fd);
	rc = cmd_create(argc, argv);
	fflush(stderr);
	fflush(stdout);
	dup2(saved, STDERR_FILENO);
	dup2(saved_out, STDOUT_FILENO);
	close(saved);
	close(saved_out);
	f = fopen(path, "r");
	ck_assert_ptr_nonnull(f);
	n = fread(msg, 1, len - 1, f);
	msg[n] = '\0';
	fclose(f);
	return rc;
}

#define VIRT_DTB "tests/fixtures/qemu-arm-virt.dtb"

/* create's message for @args must be @rc and contain @want. */
static void expect_create(const char *dtb, const char *const *args, int rc,
			  const char *want)
{
	char msg[1024];

	ck_assert_int_eq(create_msg(dtb, args, msg, sizeof(msg)), rc);
	ck_assert_msg(strstr(msg, want), "wanted \"%s\" in \"%s\"", want, msg);
}

/* The system @args create from @dtb, compiled into @c. */
static void create_compiled(const char *dtb, const char *const *args,
			    struct cellcfg *c)
{
	const char *out = tmp_path("created.dts");
	const char *all[12] = { "-o", out };
	char msg[1024], err[512];
	unsigned int i = 2;

	while (*args && i < 11)
		all[i++] = *args++;
	ck_assert_msg(!create_msg(dtb, all, msg, sizeof(msg)), "%s", msg);
	ck_assert_msg(!dts_compile_file(out, c, err, sizeof(err)), "%s", err);
}

START_TEST(create_hv_size_and_start)
{
	struct cellcfg c;

	expect_create(VIRT_DTB, (const char *[]){ "--hv-size", "-4096", NULL },
		      2, "--hv-size -4096: not a size");
	expect_create(VIRT_DTB, (const char *[]){ "--hv-size", "0", NULL }, 2,
		      "--hv-size 0: must not be 0");
	expect_create(VIRT_DTB, (const char *[]){ "--hv-size", "1000", NULL },
		      2, "--hv-size 1000: 0x3e8 is not a multiple of 4 KiB");
	expect_create(VIRT_DTB, (const char *[]){ "--hv-size", "16Q", NULL }, 2,
		      "--hv-size 16Q: not a size");
	expect_create(VIRT_DTB,
		      (const char *[]){ "--hv-size", "99999999999G", NULL }, 2,
		      "too large for 64 bits");
	expect_create(VIRT_DTB,
		      (const char *[]){ "--hv-start", "0x48000800", NULL }, 2,
		      "--hv-start 0x48000800: 0x48000800 is not a multiple");
	expect_create(VIRT_DTB,
		      (const char *[]){ "--hv-start", "0x3f000000", NULL }, 1,
		      "hypervisor memory 0x3f000000..0x40000000 is not inside "
		      "one RAM bank");
	/* 16M: 16 MiB at the top of the 256 MiB; the root may print. */
	create_compiled(VIRT_DTB, (const char *[]){ "--hv-size", "16M", NULL },
			&c);
	ck_assert_uint_eq(c.sys.hypervisor_memory.phys_start, 0x4f000000);
	ck_assert_uint_eq(c.sys.hypervisor_memory.size, 16 * MIB);
	ck_assert(c.cell.flags & WD_CELL_VIRTUAL_CONSOLE_PERMITTED);
	cellcfg_free(&c);
	/* 4K and 1G suffixes too; 3M: 2 MiB aligned below the top. */
	create_compiled(VIRT_DTB, (const char *[]){ "--hv-size", "3M", NULL },
			&c);
	ck_assert_uint_eq(c.sys.hypervisor_memory.phys_start, 0x4fc00000);
	ck_assert_uint_eq(c.sys.hypervisor_memory.size, 3 * MIB);
	cellcfg_free(&c);
	create_compiled(VIRT_DTB, (const char *[]){ "--hv-size", "512K", NULL },
			&c);
	ck_assert_uint_eq(c.sys.hypervisor_memory.size, 512 * 1024);
	cellcfg_free(&c);
	/* --hv-start: there, the root's RAM below and above it. */
	create_compiled(VIRT_DTB,
			(const char *[]){ "--hv-start", "0x48000000",
					  "--hv-size", "0x800000", NULL },
			&c);
	ck_assert_uint_eq(c.sys.hypervisor_memory.phys_start, 0x48000000);
	ck_assert_uint_eq(c.sys.hypervisor_memory.size, 8 * MIB);
	ck_assert_uint_eq(c.mem[0].phys_start, 0x40000000);
	ck_assert_uint_eq(c.mem[0].size, 128 * MIB);
	ck_assert_uint_eq(c.mem[1].phys_start, 0x48800000);
	ck_assert_uint_eq(c.mem[1].size, 120 * MIB);
	cellcfg_free(&c);
}
END_TEST

/*
 * A copy of QEMU's virt DTB with every node of @compat or of device_type
 * @type deleted, written to @name; its path.
 */
static const char *dtb_without(const char *name, const char *compat,
			       const char *type)
{
	size_t len;
	void *orig = read_file(VIRT_DTB, &len);
	size_t size = len + 4096;
	void *fdt = malloc(size);
	const char *path = tmp_path(name);
	int node;

	ck_assert_ptr_nonnull(orig);
	ck_assert_ptr_nonnull(fdt);
	ck_assert_int_eq(fdt_open_into(orig, fdt, (int)size), 0);
	while (compat &&
	       (node = fdt_node_offset_by_compatible(fdt, -1, compat)) >= 0)
		ck_assert_int_eq(fdt_del_node(fdt, node), 0);
	while (type && (node = fdt_node_offset_by_prop_value(
				fdt, -1, "device_type", type,
				(int)strlen(type) + 1)) >= 0)
		ck_assert_int_eq(fdt_del_node(fdt, node), 0);
	ck_assert_int_eq(fdt_pack(fdt), 0);
	ck_assert_int_eq(write_file(path, fdt, fdt_totalsize(fdt)), 0);
	free(orig);
	free(fdt);
	return path;
}

/* A copy of QEMU's virt DTB with only its first @n CPUs, as @name. */
static const char *dtb_with_cpus(const char *name, int n)
{
	size_t len;
	void *orig = read_file(VIRT_DTB, &len);
	size_t size = len + 4096;
	void *fdt = malloc(size);
	const char *path = tmp_path(name);
	int node, seen = 0;

	ck_assert_ptr_nonnull(orig);
	ck_assert_ptr_nonnull(fdt);
	ck_assert_int_eq(fdt_open_into(orig, fdt, (int)size), 0);
	node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "cpu", 4);
	while (node >= 0) {
		if (seen++ < n) {
			node = fdt_node_offset_by_prop_value(
				fdt, node, "device_type", "cpu", 4);
			continue;
		}
		ck_assert_int_eq(fdt_del_node(fdt, node), 0);
		node = fdt_node_offset_by_prop_value(fdt, -1, "device_type",
						     "cpu", 4);
		seen = 0;
	}
	ck_assert_int_eq(fdt_pack(fdt), 0);
	ck_assert_int_eq(write_file(path, fdt, fdt_totalsize(fdt)), 0);
	free(orig);
	free(fdt);
	return path;
}

START_TEST(create_board_errors_say_what_is_missing)
{
	const char *none[] = { NULL };
	char msg[1024];

	expect_create(dtb_without("nocpu.dtb", NULL, "cpu"), none, 1,
		      "no CPUs: /cpus has no node with device_type \"cpu\" "
		      "(QEMU: give -smp 2 or more)");
	expect_create(dtb_without("nogic.dtb", "arm,cortex-a15-gic", NULL),
		      none, 1, "no GIC: no GICv2 with virtualization");
	expect_create(dtb_without("noram.dtb", NULL, "memory"), none, 1,
		      "no RAM");
	/* The RAM rule: the bank holds twice the hypervisor + 2 MiB. */
	expect_create(VIRT_DTB, (const char *[]){ "--hv-size", "128M", NULL },
		      1,
		      "too little RAM: bank 0x40000000..0x50000000 (256 MiB) "
		      "is smaller than twice the hypervisor memory plus 2 MiB "
		      "(258 MiB for --hv-size 128 MiB)");
	ck_assert_int_eq(create_msg(VIRT_DTB,
				    (const char *[]){ "--hv-size", "127M", "-o",
						      tmp_path("ok.dts"),
						      NULL },
				    msg, sizeof(msg)),
			 0);
	/* One CPU: a warning, the skeleton is written. */
	ck_assert_int_eq(
		create_msg(dtb_with_cpus("onecpu.dtb", 1),
			   (const char *[]){ "-o", tmp_path("1.dts"), NULL },
			   msg, sizeof(msg)),
		0);
	ck_assert_msg(strstr(msg, "warning: one CPU: the root cell keeps it"),
		      "%s", msg);
	/* --help: its example dumps a DTB with CPUs. */
	expect_create(VIRT_DTB, (const char *[]){ "--help", NULL }, 0,
		      "-smp 4 -m 512 -machine dumpdtb=virt.dtb");
}
END_TEST

START_TEST(create_rejects_bad_input)
{
	char *bad_size[] = {
		"create",    "--from-dtb", "tests/fixtures/qemu-arm-virt.dtb",
		"--hv-size", "1000",	   NULL
	};
	char *not_dtb[] = { "create", "--from-dtb", "configs/README.md", NULL };
	char *too_big[] = {
		"create",    "--from-dtb", "tests/fixtures/qemu-arm-virt.dtb",
		"--hv-size", "0x8000000",  NULL
	};

	ck_assert_int_eq(cmd_create(5, bad_size), 2);
	ck_assert_int_eq(cmd_create(3, not_dtb), 1);
	ck_assert_int_eq(cmd_create(5, too_big), 1);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("dts");
	TCase *t = tcase_create("dts");

	tcase_add_checked_fixture(t, make_tmpdir, remove_tmpdir);
	tcase_set_timeout(t, 120);
	tcase_add_test(t, decode_errors_are_precise);
	tcase_add_test(t, encode_decode_identity_and_item_names);
	tcase_add_test(t, compile_fills_every_field);
	tcase_add_test(t, mmu500_scif_constants_by_name);
	tcase_add_test(t, compile_errors_name_node_and_property);
	tcase_add_test(t, system_needs_hypervisor_memory_and_root_cell);
	tcase_add_test(t, shipped_configs_compile_round_trip_and_pass_the_core);
	tcase_add_test(t, sim_configs_equal_the_test_configs);
	tcase_add_test(t, test_config_cells_round_trip);
	tcase_add_test(t, foreign_jailhouse_system_round_trips);
	tcase_add_test(t, random_decodable_files_round_trip);
	tcase_add_test(t, create_from_qemu_virt_dtb);
	tcase_add_test(t, create_rejects_bad_input);
	tcase_add_test(t, create_hv_size_and_start);
	tcase_add_test(t, create_board_errors_say_what_is_missing);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	return check_run(suite());
}
