/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ccache.h - the compression cache: a corpus compressed with one codec,
 * kept on disk so that later runs skip the compression, and read back a
 * page at a time (pread) so that a run never holds all compressed pages in
 * memory.
 *
 * One file per corpus, codec and page size, named by the corpus sha256, the
 * codec spec and, for pages other than 4096 bytes, the page size:
 * DIR/<sha256>-<codec>.zpbcc, DIR/<sha256>-<codec>-p16384.zpbcc (':' in the
 * codec becomes '_'; a corpus read as 4 KiB pages of its 16 KiB ones has the
 * same sha256, but other compressed pages).  DIR is
 * --ccache DIR, else $ZPB_CCACHE_DIR, else $XDG_CACHE_HOME/zpoolbench, else
 * $HOME/.cache/zpoolbench; "off" disables the cache (the compressed pages
 * then go to an unlinked temporary file, still streamed).
 *
 * File format version 3, host byte order (the header's byte-order mark
 * refuses a file from a machine of the other order):
 *
 *	header (192 bytes, 256 reserved): magic "ZPBCCACH", version, header size, the
 *	    byte-order mark 0x01020304, the page size, pages, index and data offsets, data
 *	    bytes, the build's compression wall time, codec spec, corpus
 *	    sha256, XXH3-64 checksums of the index and of the data, and one of
 *	    the header itself;
 *	index (20 bytes per page, struct cpage): offset of the page's bytes
 *	    in the data area, compressed length, compression time, same-filled,
 *	    and the XXH3-64 of the original page (for a same-filled page: its
 *	    8-byte word), against which every load is checked;
 *	data: the compressed bytes, in the order the workers finished them.
 *
 * The file is written as an unnamed file in the cache folder (O_TMPFILE) and
 * given its name only when complete (linked under a temporary name, renamed),
 * so an interruption, even SIGKILL, leaves nothing behind.  Opening checks
 * everything: the type (a regular file: a FIFO, a directory or a device at
 * that path is refused without blocking), magic, version, byte order, sizes (a
 * truncated file), the header, index and data checksums (data in 1 MiB
 * blocks, on all cores), that every index entry lies inside the data, the
 * codec and the sha256.  Then the page set (pageset.h) checks the entry
 * against the corpus itself, page by page, before any of it is used.  Any
 * problem is reported in one line and the caller rebuilds, or runs without
 * the cache.
 */
#ifndef ZPB_CCACHE_H
#define ZPB_CCACHE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CCACHE_VERSION 3 /* 3: page sizes other than 4096, lengths up to 2^18 - 1 */
#define CCACHE_MAGIC "ZPBCCACH"
#define CCACHE_BOM 0x01020304u
#define CCACHE_BLOCK (1u << 20) /* data checksum block */

/*
 * One page of a compressed corpus; the index record of the cache file:
 * 20 bytes, so that a million pages keep 20 MB in memory.
 */
struct cpage {
	uint64_t off : 40; /* offset of the compressed bytes in the data area (< 1 TiB) */
	uint64_t len : 18; /* compressed length (may exceed the page; at most codec_bound()) */
	uint64_t same : 1; /* every 8-byte word equal */
	uint64_t unused : 5;
	uint32_t comp_ns; /* time codec_compress took for this page */
	uint64_t sum;	  /* XXH3-64 of the page; a same-filled page: its word */
} __attribute__((packed));

struct ccache_header {
	char magic[8];
	uint32_t version;
	uint32_t header_size;
	uint32_t bom;
	uint32_t page_size; /* bytes per page compressed */
	uint64_t pages;
	uint64_t index_off;
	uint64_t data_off;
	uint64_t data_bytes;
	uint64_t wall_ns; /* compressing the corpus when the file was built */
	char codec[32];
	char sha256[65];
	char pad1[7];
	uint64_t index_sum;
	uint64_t data_sum;
	uint64_t header_sum; /* of the bytes before this field */
};

/* Where the data area of a cache file for @pages pages starts. */
uint64_t ccache_data_off(uint64_t pages);

/* XXH3-64 of @len bytes with @seed (xxHash; catches corruption, not attacks). */
uint64_t ccache_sum(const void *p, size_t len, uint64_t seed);
/* The index record's sum of an original page (pageset.h checks loads with it). */
uint64_t ccache_page_sum(const void *page, size_t len, bool same, uint64_t word);

/*
 * The cache folder: @opt (--ccache), else the environment as above.  Writes
 * "" for "off".  0, -1 if no folder can be named (no HOME), or -2 if the
 * name does not fit in @len: the caller runs without the cache.
 */
int ccache_dir(const char *opt, char *out, size_t len);
/*
 * DIR/<sha256>-<codec>.zpbcc (pages of @page bytes: -p@page before .zpbcc
 * unless 4096): 0, or -1 if it does not fit in @len (never shortened).
 */
int ccache_path(const char *dir, const char *sha256, const char *codec, uint32_t page, char *out,
		size_t len);

/*
 * Open and check a cache file for @pages pages of @page bytes of the corpus
 * @sha256 with @codec.  Returns the open descriptor and fills @hdr and @index
 * (@pages entries, allocated by the caller); -1 with the reason in @why when
 * the file is missing (why = "") or unusable (truncated, corrupt, another
 * version or page size).
 */
int ccache_open(const char *path, const char *sha256, const char *codec, uint32_t page,
		uint64_t pages, struct ccache_header *hdr, struct cpage *index, int threads,
		char *why, size_t whylen);

/* Checksum of @len bytes at @off of @fd, read in CCACHE_BLOCK blocks on @threads threads. */
int ccache_data_sum(int fd, uint64_t off, uint64_t len, int threads, uint64_t *sum);

/*
 * A new cache file: an unnamed file in the folder of @path (O_TMPFILE; where
 * the file system has none, a temporary name beside @path, removed again on
 * a signal, at exit or by ccache_abort), or with @path NULL an unlinked
 * temporary file in $TMPDIR, else in memory (memfd): a run without a
 * cache.  The descriptor, or -1 with errno.
 */
struct ccache_writer {
	int fd;
	char path[4096];
	char tmp[4096 + 32]; /* the temporary name, "" while unnamed or after commit */
	bool unnamed;	     /* O_TMPFILE: linked at commit */
	int hook;	     /* index of the clean-up hook, -1: none */
	void *rec;	     /* its record */
};
int ccache_create(struct ccache_writer *w, const char *path);
/*
 * Complete the file: data checksum, index, header; give it its name.
 * @hdr has page_size, pages, data_bytes, wall_ns, codec and sha256 set.  0, or -1 with
 * errno (the file is removed).
 */
int ccache_commit(struct ccache_writer *w, struct ccache_header *hdr, const struct cpage *index,
		  int threads);
/* Forget a file being written (on errors); the descriptor is closed. */
void ccache_abort(struct ccache_writer *w);

#endif /* ZPB_CCACHE_H */
