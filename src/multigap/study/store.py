"""The resumable sweep store: a directory that cannot be corrupted or wiped by mistake.

Layout of a store::

    STORE/
      sweep.json          the specification and provenance ("multigap_store": 1 marks it)
      columns/p{i}_e{j}.npz   one finished column each, stamped and checksummed
      journal.log         one line per finished column
      .lock, lock.json    the exclusive writer lock, and who holds it

Rules:

* one writer at a time: a run holds an exclusive lock (:mod:`filelock`) for its whole
  length; a second writer is refused with the holder's pid, host and start time;
* a column file is written under a name unique to the writing process and renamed
  into place (atomic), so it is complete or absent;
* every column carries the store's stamp (a hash of the specification and the package
  version) and a checksum of its arrays; resume trusts only columns that verify, and
  recomputes the rest;
* replacing (``--force``) is allowed only for a directory that is a multigap store, and
  removes only the files listed above; anything else in the directory is left alone.
  A path that is not a store is never replaced, deleted or written into.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import os
import re
import socket
from contextlib import contextmanager
from pathlib import Path

import numpy as np

from multigap.errors import MultigapError, ParameterError

__all__ = ["SweepStore", "StoreBusy", "stamp", "MARKER"]

MARKER = "multigap_store"
META, LOCK, HOLDER, COLUMNS, JOURNAL = "sweep.json", ".lock", "lock.json", "columns", "journal.log"
OWN_FILES = {META, LOCK, HOLDER, COLUMNS, JOURNAL}
#: The names of column files and of their temporaries (``p3_e7.npz``, ``p3_e7.123.tmp.npz``).
COLUMN_NAME = re.compile(r"^p\d+_e\d+(\.\d+\.tmp)?\.npz$")


class StoreBusy(MultigapError):
    """Another process is writing this store."""


def stamp(fingerprint: dict, version: str) -> str:
    """The store's identity: a hash of the specification and the package version."""
    text = json.dumps({"spec": fingerprint, "version": version}, sort_keys=True, default=float)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


def _checksum(arrays: dict[str, np.ndarray]) -> str:
    h = hashlib.sha256()
    for name in sorted(arrays):
        a = np.ascontiguousarray(arrays[name])
        h.update(f"{name}:{a.dtype.str}:{a.shape}".encode())
        h.update(a.tobytes())
    return h.hexdigest()


class SweepStore:
    """A sweep store at *path* (a directory). See the module docstring for the rules."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self._listed: set[str] | None = None  # the journal's names, read at the first append

    # -- what is at the path ----------------------------------------------------------
    def kind(self) -> str:
        """``"absent"``, ``"empty"`` (an empty directory), ``"store"``, ``"unfinished"``
        (only multigap's own names, but no sweep.json: a creation that was interrupted, or
        a deleted sweep.json), ``"damaged"`` (a sweep.json that does not parse), ``"file"``
        or ``"foreign"`` (anything else).
        """
        p = self.path
        if not p.exists():
            return "absent"
        if not p.is_dir():
            return "file"
        if not any(p.iterdir()):
            return "empty"
        meta = p / META
        if not meta.exists() and not meta.is_symlink():
            return "foreign" if self.foreign_files() else "unfinished"
        if meta.is_symlink() or not meta.is_file():
            return "foreign"
        try:
            data = json.loads(meta.read_text())
        except (OSError, ValueError, UnicodeDecodeError):
            return "damaged"
        return "store" if isinstance(data, dict) and "sweep_spec" in data else "damaged"

    def planted_links(self) -> list[str]:
        """The store's own names that are symbolic links: multigap never made them, and never
        writes or deletes through them.
        """
        names = [n for n in OWN_FILES if (self.path / n).is_symlink()]
        cols = self.path / COLUMNS
        if cols.is_dir() and not cols.is_symlink():
            names += [f"{COLUMNS}/{e.name}" for e in cols.iterdir() if e.is_symlink()]
        return sorted(names)

    def check_links(self) -> None:
        """Refuse a store in which any of multigap's own names is a symbolic link."""
        links = self.planted_links()
        if links:
            raise ParameterError(
                "out",
                str(self.path),
                "a store whose own files are regular files (these are symbolic links that "
                f"multigap did not make: {', '.join(links[:5])}; nothing was written)",
            )

    def meta(self) -> dict:
        """The parsed sweep.json, or a clear error."""
        kind = self.kind()
        if kind != "store":
            what = {
                "absent": "does not exist",
                "empty": "is an empty directory",
                "file": "is a file",
                "foreign": "has no sweep.json",
                "unfinished": "has no sweep.json (an unfinished store)",
                "damaged": "has a damaged sweep.json",
            }[kind]
            raise ParameterError(
                "STORE", str(self.path), f"a multigap sweep store (this path {what})"
            )
        data = json.loads((self.path / META).read_text())
        for key in ("sweep_spec", "attrs"):
            if key not in data:
                raise ParameterError(
                    "STORE", str(self.path), f"a multigap sweep store (sweep.json lacks '{key}')"
                )
        return data

    def foreign_files(self) -> list[str]:
        """Entries of the store directory that multigap did not create: any name that is
        not its own, a column file that its journal does not list, and anything behind a
        symbolic link.
        """
        out = sorted(e.name for e in self.path.iterdir() if e.name not in OWN_FILES)
        cols = self.path / COLUMNS
        if cols.is_symlink():
            return out + [COLUMNS]
        if cols.is_dir():
            listed = self.journal()
            out += sorted(
                f"{COLUMNS}/{e.name}"
                for e in cols.iterdir()
                if e.is_symlink()
                or not COLUMN_NAME.match(e.name)
                or (e.name.split(".")[0] not in listed and ".tmp." not in e.name)
            )
        return out

    def journal(self) -> set[str]:
        """The columns this store has written (``p3_e7``), from its journal."""
        path = self.path / JOURNAL
        if path.is_symlink() or not path.is_file():
            return set()
        try:
            return {line.strip() for line in path.read_text().splitlines() if line.strip()}
        except (OSError, UnicodeDecodeError):
            return set()

    # -- creation and replacement --------------------------------------------------------
    def write_meta(self, meta: dict) -> None:
        """Write ``sweep.json`` atomically (refusing links planted in the store)."""
        self.check_links()
        (self.path / COLUMNS).mkdir(exist_ok=True)
        tmp = self.path / f"{META}.{os.getpid()}.tmp"
        tmp.write_text(json.dumps({MARKER: 1, **meta}, indent=1, default=float))
        os.replace(tmp, self.path / META)

    def clear(self) -> None:
        """Remove the store's own files: the column files its journal lists (and their
        temporaries), the journal and sweep.json; nothing else, never through a link.
        """
        self.check_links()
        foreign = self.foreign_files()
        if foreign:
            raise ParameterError(
                "out",
                str(self.path),
                "a store holding only multigap's files (replacing it would leave "
                f"{', '.join(foreign[:5])} alone and refuses to mix them; nothing was deleted)",
            )
        cols = self.path / COLUMNS
        if cols.is_dir():
            for f in cols.iterdir():
                if f.is_file() and not f.is_symlink() and COLUMN_NAME.match(f.name):
                    f.unlink()
        for name in (JOURNAL, META):
            (self.path / name).unlink(missing_ok=True)
        self._listed = None

    # -- the writer lock ---------------------------------------------------------------
    @contextmanager
    def writer(self):
        """Hold the store's exclusive lock while the body runs; refuse if it is held."""
        from filelock import FileLock, Timeout

        self.check_links()
        lock = FileLock(str(self.path / LOCK), timeout=0)
        try:
            lock.acquire()
        except Timeout:
            raise StoreBusy(
                f"{self.path} is being written by {self._holder()}; wait for it "
                "to finish, or stop it (a killed run resumes)"
            ) from None
        holder = self.path / HOLDER
        try:
            holder.write_text(
                json.dumps(
                    {
                        "pid": os.getpid(),
                        "host": socket.gethostname(),
                        "since": datetime.datetime.now().isoformat(timespec="seconds"),
                    }
                )
            )
            yield self
        finally:
            holder.unlink(missing_ok=True)
            lock.release()

    def _holder(self) -> str:
        try:
            h = json.loads((self.path / HOLDER).read_text())
            return f"pid {h['pid']} on {h['host']} since {h['since']}"
        except (OSError, ValueError, KeyError):
            return "another process"

    # -- columns ------------------------------------------------------------------------
    def column_file(self, ip: int, ie: int) -> Path:
        """The file of column (ip, ie)."""
        return self.path / COLUMNS / f"p{ip}_e{ie}.npz"

    def write_column(self, ip: int, ie: int, arrays: dict, store_stamp: str) -> None:
        """Write a column under a process-unique temporary name, then rename it into place."""
        target = self.column_file(ip, ie)
        tmp = target.with_name(f"{target.stem}.{os.getpid()}.tmp.npz")
        arrays = {k: np.asarray(v) for k, v in arrays.items()}
        # the journal lists a column before its file exists, so every column file of this
        # store is in its manifest (a replacement deletes only what the journal lists); a
        # column recomputed after a kill (listed, but its file never written) is not
        # listed twice
        self._append_journal(target.stem)
        (self.path / COLUMNS).mkdir(exist_ok=True)
        np.savez(tmp, **arrays, _stamp=np.array(store_stamp), _checksum=np.array(_checksum(arrays)))
        os.replace(tmp, target)

    def _append_journal(self, name: str) -> None:
        """List a column in the journal once (the journal is read once per store object)."""
        if self._listed is None:
            self._listed = self.journal()
        if name in self._listed:
            return
        path = self.path / JOURNAL
        if path.is_symlink():
            self.check_links()
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT | os.O_NOFOLLOW, 0o644)
        with os.fdopen(fd, "a") as log:
            log.write(f"{name}\n")
        self._listed.add(name)

    def read_column(self, ip: int, ie: int, store_stamp: str, names) -> dict | None:
        """The column's arrays if its file exists, loads, carries this store's stamp, has
        every expected variable and matches its checksum; otherwise None.
        """
        f = self.column_file(ip, ie)
        if not f.is_file():
            return None
        try:
            with np.load(f, allow_pickle=False) as col:
                if str(col["_stamp"]) != store_stamp:
                    return None
                arrays = {k: col[k] for k in col.files if not k.startswith("_")}
                if set(names) - arrays.keys() or _checksum(arrays) != str(col["_checksum"]):
                    return None
                return arrays
        except Exception:  # truncated, random bytes, a zip error: the column is not there
            return None
