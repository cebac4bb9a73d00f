// SPDX-License-Identifier: GPL-2.0-only
/*
 * test_zram_swaps.c - zram_in_swaps() finds a zram device in a /proc/swaps
 * however the kernel named it there: by device number for a path that
 * exists, by the last component for one that does not (a swap enabled in
 * another root, a deleted node), with \ooo escapes decoded; a swap file or
 * another device of the same name is not the device (issue 12, F8: the
 * former check matched '^/dev/zram0 ' only).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "../harness.h"
#include "kernel/zram.h"

static char dir[64], swaps[96];

static void swaps_file(const char *body)
{
	FILE *f;

	snprintf(swaps, sizeof(swaps), "%s/swaps", dir);
	f = fopen(swaps, "w");
	if (f) {
		fprintf(f, "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n%s", body);
		fclose(f);
	}
}

TEST(zram_in_swaps_by_name_when_the_path_is_not_here)
{
	dev_t z = makedev(253, 0);

	snprintf(dir, sizeof(dir), "/tmp/zpb-swaps.XXXXXX");
	CHECK(mkdtemp(dir));
	swaps_file("/nonexistent/zpb/root/dev/zram0 partition\t1048572\t\t0\t\t-2\n");
	CHECK(zram_in_swaps(swaps, "zram0", z));
	CHECK(!zram_in_swaps(swaps, "zram1", makedev(253, 1)));
	swaps_file("/nonexistent/zpb/dev/zram0\\040(deleted) partition\t1048572\t0\t-2\n");
	CHECK(zram_in_swaps(swaps, "zram0", z));
	swaps_file("/nonexistent/zpb/swapfile file\t1048572\t0\t-2\n");
	CHECK(!zram_in_swaps(swaps, "zram0", z));
	CHECK(!zram_in_swaps("/nonexistent/zpb/swaps", "zram0", z));
	unlink(swaps);
	rmdir(dir);
}

TEST(zram_in_swaps_by_device_number_when_the_path_is_here)
{
	char node[128], file[128], spaced[128], body[512];
	dev_t z = makedev(253, 0), other = makedev(7, 0);

	if (geteuid() != 0)
		SKIP("needs root to make device nodes");
	snprintf(dir, sizeof(dir), "/tmp/zpb-swaps.XXXXXX");
	CHECK(mkdtemp(dir));
	/* a node named zram0 of another device is not zram0 */
	snprintf(node, sizeof(node), "%s/zram0", dir);
	CHECK(!mknod(node, S_IFBLK | 0600, other));
	snprintf(body, sizeof(body), "%s partition\t1\t0\t-2\n", node);
	swaps_file(body);
	CHECK(!zram_in_swaps(swaps, "zram0", z));
	CHECK(zram_in_swaps(swaps, "loop0", other));
	/* a node of zram0 under another name, in a folder with a space */
	snprintf(spaced, sizeof(spaced), "%s/a b", dir);
	CHECK(!mkdir(spaced, 0700));
	snprintf(file, sizeof(file), "%s/a b/swapdev", dir);
	CHECK(!mknod(file, S_IFBLK | 0600, z));
	snprintf(body, sizeof(body), "%s/a\\040b/swapdev partition\t1\t0\t-2\n", dir);
	swaps_file(body);
	CHECK(zram_in_swaps(swaps, "zram0", z));
	unlink(file);
	/* a swap file named zram0 is not the device */
	unlink(node);
	CHECK(!mknod(node, S_IFREG | 0600, 0));
	snprintf(body, sizeof(body), "%s file\t1\t0\t-2\n", node);
	swaps_file(body);
	CHECK(!zram_in_swaps(swaps, "zram0", z));
	unlink(node);
	rmdir(spaced);
	unlink(swaps);
	rmdir(dir);
}
