"""``dist/`` (and the folders the publish steps upload) into `Dist` models.

File names are parsed with `packaging.utils.parse_wheel_filename` and
`parse_sdist_filename`; a wheel's ``METADATA`` (from the zip) and an sdist's ``PKG-INFO``
(from the tar) are read with `packaging.metadata.parse_email` for Name, Version and
Metadata-Version, under size caps. Whatever the
upload tool would choke on (a name it cannot parse, a corrupt zip, a wheel without METADATA)
is kept as the file's ``problem`` for a rule to report, never raised.

Locally ``dist/`` is usually absent or left over from an old build; CI builds it fresh. So a
missing folder is not a problem, and the folder is read only when it exists: run
``pubdoctor check`` after the build step in CI to check exactly what will be uploaded.
"""

from __future__ import annotations

from dataclasses import field
from pathlib import Path, PurePosixPath
from typing import Any, Literal

from pubdoctor.errors import InputError
from pubdoctor.files import display_path
from pubdoctor.findings import Location
from pubdoctor.records import record

DEFAULT_DIR = "dist"
#: METADATA larger than this is not read (real ones are a few kB, long READMEs a few 100 kB).
MAX_METADATA_BYTES = 4 * 1024 * 1024
#: sdists are gzipped tars, read from the start: larger ones are not scanned for PKG-INFO.
MAX_SCANNED_SDIST_BYTES = 64 * 1024 * 1024
MAX_SCANNED_MEMBERS = 50_000
#: nor past this many bytes once decompressed (a small gzip can expand a thousandfold)
MAX_UNPACKED_SDIST_BYTES = 512 * 1024 * 1024
#: Companion files twine accepts next to the distributions (signatures, attestations).
COMPANIONS = (".asc", ".attestation", ".publish.attestation", ".sigstore", ".sigstore.json")
_GLOB = set("*?[")

Kind = Literal["wheel", "sdist", "other"]


@record(kw_only=True)
class DistFile:
    """One file in a folder that gets uploaded."""

    path: str
    filename: str
    kind: Kind
    name: str | None = None  # canonical name from the file name
    version: str | None = None  # normalised version from the file name
    build_tag: str | None = None
    tags: list[str] = field(default_factory=list)
    metadata_version: str | None = None  # Metadata-Version from the wheel's METADATA
    metadata_name: str | None = None
    metadata_version_field: str | None = None  # Version from METADATA
    problem: str | None = None

    @property
    def location(self) -> Location:
        return Location(path=self.path)

    @property
    def has_local_label(self) -> bool:
        from packaging.version import Version

        return self.version is not None and Version(self.version).local is not None

    def same_file(self, other_filename: str) -> bool:
        """Whether an index file name denotes this very file (names compared canonically)."""
        if other_filename == self.filename:
            return True
        other = parse_filename(other_filename)
        if other is None or self.kind == "other" or other[0] != self.kind:
            return False
        return (self.name, self.version, self.build_tag, sorted(self.tags)) == (
            other[1], other[2], other[3], sorted(other[4]))


@record(kw_only=True)
class DistDir:
    """A folder of distributions: ``dist/`` or a publish step's ``packages-dir``."""

    path: str
    exists: bool = False
    files: list[DistFile] = field(default_factory=list)
    #: the publish steps that upload this folder (their locations)
    uploaded_by: list[Location] = field(default_factory=list)

    @property
    def distributions(self) -> list[DistFile]:
        return [f for f in self.files if f.kind != "other"]


@record(kw_only=True)
class Dist:
    """Every folder of distributions pubdoctor looked at."""

    dirs: list[DistDir] = field(default_factory=list)

    @property
    def files(self) -> list[DistFile]:
        return [f for d in self.dirs for f in d.files]


def parse_filename(filename: str) -> tuple[Kind, str, str, str | None, list[str]] | None:
    """``(kind, canonical name, version, build tag, tags)`` of a distribution file name."""
    from packaging.utils import parse_sdist_filename, parse_wheel_filename

    try:
        if filename.endswith(".whl"):
            name, version, build, tags = parse_wheel_filename(filename)
            return "wheel", str(name), str(version), "".join(map(str, build)) or None, sorted(str(t) for t in tags)
        if filename.endswith((".tar.gz", ".zip")):
            name, version = parse_sdist_filename(filename)
            return "sdist", str(name), str(version), None, []
    except ValueError:  # InvalidWheelFilename, InvalidSdistFilename, InvalidVersion
        return None
    return None


def _top_level(member: str, name: str, folder_suffix: str = "") -> bool:
    """``x/name`` exactly one folder deep (``x`` ending in ``folder_suffix``)."""
    parts = PurePosixPath(member).parts
    return len(parts) == 2 and parts[1] == name and parts[0].endswith(folder_suffix)


def _read_zip_member(path: Path, name: str, folder_suffix: str) -> bytes | str:
    """The bytes of ``*/name`` in a zip, or why it cannot be read."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        candidates = [i for i in archive.infolist() if _top_level(i.filename, name, folder_suffix)]
        if not candidates:
            return f"no `*{folder_suffix}/{name}`"
        info = candidates[0]
        if info.file_size > MAX_METADATA_BYTES:
            return f"{name} is {info.file_size:,} bytes, larger than pubdoctor reads"
        with archive.open(info) as handle:
            return handle.read(MAX_METADATA_BYTES + 1)


class _TooMuch(Exception):
    """The archive decompresses to more than pubdoctor reads (a gzip bomb, say)."""


class _Bounded:
    """A file object that refuses to read past ``limit`` bytes: the tar stream is read in
    order, and every member skipped is decompressed, so its total is what bounds the time."""

    def __init__(self, raw: Any, limit: int) -> None:
        self.raw, self.left = raw, limit

    def read(self, size: int = -1) -> bytes:
        data = self.raw.read(size if size >= 0 else self.left + 1)
        self.left -= len(data)
        if self.left < 0:
            raise _TooMuch
        return bytes(data)


def _read_tar_member(path: Path, name: str) -> bytes | str | None:
    """The bytes of ``*/name`` in a ``.tar.gz``; None when the archive is too large to scan
    (compressed, or once decompressed)."""
    import gzip
    import tarfile

    if path.stat().st_size > MAX_SCANNED_SDIST_BYTES:
        return None
    with gzip.open(path) as raw:
        bounded: Any = _Bounded(raw, MAX_UNPACKED_SDIST_BYTES)  # all tarfile reads of a stream
        with tarfile.open(fileobj=bounded, mode="r|") as archive:
            for count, member in enumerate(archive):
                if count > MAX_SCANNED_MEMBERS:
                    return None
                if member.isfile() and _top_level(member.name, name):
                    if member.size > MAX_METADATA_BYTES:
                        return f"{name} is {member.size:,} bytes, larger than pubdoctor reads"
                    handle = archive.extractfile(member)
                    return handle.read(MAX_METADATA_BYTES + 1) if handle else f"cannot read {name}"
    return f"no `*/{name}`"


def _read_metadata(path: Path, item: DistFile) -> None:
    """Fill the metadata fields from a wheel's METADATA or an sdist's PKG-INFO, or ``problem``."""
    import tarfile
    import zipfile  # both only when dist/ holds distributions

    import lzma
    import zlib

    data: bytes | str | None
    kind = "zip" if item.kind == "wheel" or item.filename.endswith(".zip") else "gzipped tar"
    try:
        if item.kind == "wheel":
            data = _read_zip_member(path, "METADATA", ".dist-info")
        elif item.filename.endswith(".zip"):
            data = _read_zip_member(path, "PKG-INFO", "")
        else:
            data = _read_tar_member(path, "PKG-INFO")
    except _TooMuch:
        return  # not scanned, as an archive too large to scan
    except RuntimeError as exc:  # zipfile: "File ... is encrypted, password required"
        item.problem = f"its metadata cannot be read ({exc}): the upload tool will refuse it"
        return
    # a truncated stream (EOFError), a bad CRC (BadZipFile), corrupt deflate, bzip2 or xz data
    # (zlib.error, OSError, LZMAError), an unknown method (NotImplementedError)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, tarfile.TarError, EOFError, OSError,
            ValueError, NotImplementedError, zlib.error, lzma.LZMAError) as exc:
        item.problem = f"not a valid {kind} archive ({exc}): the upload will fail"
        return
    if data is None:
        return
    if isinstance(data, str):
        item.problem = f"{data}: the upload tool will refuse it"
        return
    _check_metadata(item, data)


def _check_metadata(item: DistFile, data: bytes) -> None:
    from packaging.metadata import parse_email
    from packaging.utils import canonicalize_name

    raw, _unparsed = parse_email(data)
    item.metadata_version = raw.get("metadata_version")
    item.metadata_name = raw.get("name")
    item.metadata_version_field = raw.get("version")
    what = "METADATA" if item.kind == "wheel" else "PKG-INFO"
    if not item.metadata_name or not item.metadata_version_field:
        item.problem = f"its {what} lacks `Name` or `Version`: the upload tool will refuse it"
    elif item.name and canonicalize_name(item.metadata_name) != item.name:
        item.problem = (f"the file name says `{item.name}` but its {what} says "
                        f"`Name: {item.metadata_name}`: the index will refuse it")
    elif item.version and not _same_version(item.version, item.metadata_version_field):
        item.problem = (f"the file name says version {item.version} but its {what} says "
                        f"`Version: {item.metadata_version_field}`: the index will refuse it")


def _same_version(a: str, b: str) -> bool:
    from packaging.version import InvalidVersion, Version

    try:
        return Version(a) == Version(b)
    except InvalidVersion:
        return False


def read_file(path: Path, root: Path) -> DistFile:
    """One file of a distributions folder."""
    shown = display_path(path, root)
    parsed = parse_filename(path.name)
    if parsed is None:
        item = DistFile(path=shown, filename=path.name, kind="other")
        if path.name.endswith((".whl", ".tar.gz", ".zip")):
            item.problem = ("the file name is not a valid wheel or sdist name (name-version[-build]"
                            "-python-abi-platform.whl, name-version.tar.gz): the upload tool will refuse it")
        elif not path.name.endswith(COMPANIONS):
            item.problem = "not a distribution (.whl or .tar.gz): `twine upload dist/*` refuses it"
        return item
    kind, name, version, build, tags = parsed
    item = DistFile(path=shown, filename=path.name, kind=kind, name=name, version=version,
                    build_tag=build, tags=tags)
    _read_metadata(path, item)
    return item


def upload_dir(packages: str) -> str | None:
    """The folder an upload argument names: ``dist/``, ``dist/*``, ``wheelhouse/*.whl``.

    ``None`` for expressions (``${{ ... }}``), absolute paths and paths leaving the repository.
    """
    value = packages.strip()
    if not value or "${{" in value or value.startswith(("/", "~")) or ":" in value:
        return None
    parts: list[str] = []
    for part in PurePosixPath(value).parts:
        if _GLOB & set(part):
            break
        parts.append(part)
    else:
        if value.endswith((".whl", ".tar.gz", ".zip")):
            parts = parts[:-1]
    path = PurePosixPath(*parts) if parts else PurePosixPath(".")
    if ".." in path.parts or str(path) == ".":
        return None
    return str(path)


def _regular_file(path: Path) -> bool:
    """Only regular files are read: a FIFO or a device would hang or never end."""
    import stat

    try:
        return stat.S_ISREG(path.stat().st_mode)
    except (OSError, RuntimeError):  # a dangling link, a name too long, a loop
        return False


def _read_dir(root: Path, rel: str) -> DistDir:
    folder = root / rel
    try:
        exists = folder.is_dir()
    except OSError:  # a folder named in a workflow, too long for the file system: not there
        exists = False
    entry = DistDir(path=rel, exists=exists)
    if entry.exists:
        try:
            paths = sorted(folder.iterdir())
        except OSError as exc:
            raise InputError(f"cannot list: {exc.strerror or exc}", rel) from None
        for path in paths:
            if path.name.startswith(".") or not _regular_file(path):
                continue
            entry.files.append(read_file(path, root))
    return entry


def load_dist(root: Path, workflows: Any = None) -> Dist:
    """``dist/`` and every relative folder the publish steps of ``workflows`` upload."""
    uploads: dict[str, list[Location]] = {}
    if workflows is not None:
        for job in (j for w in workflows.files for j in w.jobs.values()):
            for step in job.publish_steps:
                publish = step.publish
                folders = [upload_dir(p) for p in publish.packages] or [DEFAULT_DIR]
                where = step.with_keys.get("packages-dir", step.location)
                for folder in folders:
                    if folder is not None:
                        uploads.setdefault(folder, []).append(where)
    dirs = []
    for rel in sorted({DEFAULT_DIR, *uploads}):
        entry = _read_dir(root, rel)
        entry.uploaded_by = uploads.get(rel, [])
        dirs.append(entry)
    return Dist(dirs=dirs)


def load_dist_for(context: Any) -> Dist:
    """Context loader: the distribution folders of the checked repository."""
    return load_dist(context.root, context.get("workflows"))
