#!/usr/bin/env python3
"""Which tables and indexes the commits in an SQLite WAL wrote, page by page.

Use it on a copy of a running server's database taken while the server is stopped, so the
WAL still holds the commits since the last checkpoint:

    mkdir wal-copy
    kill -STOP $PID
    cp wasla-data/wasla.db wasla-data/wasla.db-wal wal-copy/
    kill -CONT $PID
    python3 bench/wal_pages.py wal-copy/wasla.db

It reads the frame headers of the WAL's current generation (the frames whose salts match the
WAL header), groups them into commits, and names each page's b-tree with SQLite's `dbstat`
table (opening the copy applies its WAL, so the names are those of the last commit). Each
commit writes every page it changed once, so the count of pages per b-tree is what the commit
cost in WAL writes and, later, in checkpoint copies. Only the copy is opened, never the live
database.
"""

import argparse
import collections
import sqlite3
import struct
import sys

WAL_HEADER = struct.Struct(">IIIIIIII")
FRAME_HEADER = struct.Struct(">IIII")
FRAME_HEADER_SIZE = 24


def commits(wal: bytes):
    """The page numbers each committed transaction of the current generation wrote."""
    _magic, _version, page_size, _ckpt, salt1, salt2, _c1, _c2 = WAL_HEADER.unpack_from(wal)
    done, pending = [], []
    offset = WAL_HEADER.size
    while offset + FRAME_HEADER_SIZE + page_size <= len(wal):
        page, db_size, s1, s2 = FRAME_HEADER.unpack_from(wal, offset)
        if (s1, s2) != (salt1, salt2):
            break
        pending.append(page)
        if db_size:  # the last frame of a commit carries the database size
            done.append(pending)
            pending = []
        offset += FRAME_HEADER_SIZE + page_size
    return page_size, done


def btree_of_pages(db_path: str):
    """Page number -> name of the table or index it belongs to."""
    conn = sqlite3.connect(db_path)
    try:
        return {page: name for name, page in conn.execute("SELECT name, pageno FROM dbstat")}
    finally:
        conn.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("db", help="a copy of the database; its -wal file lies beside it")
    parser.add_argument("--top", type=int, default=12, help="b-trees listed per line")
    args = parser.parse_args()
    with open(args.db + "-wal", "rb") as f:
        page_size, txs = commits(f.read())
    if not txs:
        print("no committed frames in the WAL's current generation")
        return 1
    names = btree_of_pages(args.db)
    total = collections.Counter()
    print(f"page size {page_size}; {len(txs)} commits")
    for pages in txs:
        per_tree = collections.Counter(names.get(p, "(freed)") for p in set(pages))
        total.update(per_tree)
        listed = ", ".join(f"{n} {c}" for n, c in per_tree.most_common(args.top))
        print(f"{len(set(pages))} pages: {listed}")
    frames = sum(total.values())
    print(f"all {len(txs)} commits, {frames} pages:")
    for name, count in total.most_common():
        print(f"  {name:40} {count:7} {100 * count / frames:5.1f} %")
    return 0


if __name__ == "__main__":
    sys.exit(main())
