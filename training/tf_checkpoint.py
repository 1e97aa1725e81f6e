"""TensorFlow v2 checkpoints (a SavedModel's `variables/`) read and written with numpy and the standard library.

A checkpoint with prefix `variables/variables` is two files:

- `variables.index`: a LevelDB-format table (SSTable). Its blocks hold sorted
  keys with shared prefixes and restart points; a 48-byte footer gives the
  index block, whose values are the handles of the data blocks. Each block
  ends with a compression byte and a masked CRC-32C. The value of key "" is a
  `BundleHeaderProto` (shard count, byte order); the value of every other key,
  a variable's name, is a `BundleEntryProto` (dtype, shape, shard, offset,
  size, masked CRC-32C of the bytes).
- `variables.data-00000-of-00001`: the tensors' raw little-endian bytes.

The protobuf messages are decoded by hand (varints and length-delimited
fields), so neither TensorFlow nor protobuf is needed. Snappy-compressed
blocks are rejected with a clear error: TensorFlow writes bundle indexes
uncompressed, and so does `write_checkpoint`, which exists so that tests can
build small checkpoints without TensorFlow.

This is a training-time tool (an encoder is converted once into the user cache
and then loaded like any Hugging Face model); the extractors never read
checkpoints.
"""

from __future__ import annotations

import os
import struct
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from movegraph.schema.errors import MovegraphError

TABLE_MAGIC = 0xDB4775248B80FB57
FOOTER_SIZE = 48
BLOCK_TRAILER_SIZE = 5
NO_COMPRESSION, SNAPPY_COMPRESSION = 0, 1
HEADER_KEY = b""
DATA_SUFFIX = ".data-00000-of-00001"

# tensorflow/core/framework/types.proto: the numeric dtypes a checkpoint of weights holds.
DTYPES: dict[int, np.dtype] = {
    1: np.dtype("<f4"), 2: np.dtype("<f8"), 3: np.dtype("<i4"), 4: np.dtype("u1"), 5: np.dtype("<i2"),
    6: np.dtype("i1"), 9: np.dtype("<i8"), 10: np.dtype("?"), 17: np.dtype("<u2"), 19: np.dtype("<f2"),
    22: np.dtype("<u4"), 23: np.dtype("<u8"),
}
DTYPE_CODES: dict[np.dtype, int] = {dtype: code for code, dtype in DTYPES.items()}


class CheckpointError(MovegraphError):
    """A checkpoint file is missing, truncated, corrupt or in a form this reader does not handle."""


# -- CRC-32C (Castagnoli), as LevelDB and TensorFlow mask it ---------------------------------------------------
_POLY = 0x82F63B78
_MASK_DELTA = 0xA282EAD8
_LANE = 4096  # bytes per lane when a long buffer is checksummed as many lanes at once with numpy


def _byte_table() -> list[int]:
    table = []
    for i in range(256):
        c = i
        for _ in range(8):
            c = (c >> 1) ^ (_POLY if c & 1 else 0)
        table.append(c)
    return table


_TABLE = _byte_table()
_NP_TABLE = np.array(_TABLE, dtype=np.uint32)


def _raw(state: int, data: bytes | memoryview) -> int:
    table = _TABLE
    for byte in bytes(data):
        state = table[(state ^ byte) & 0xFF] ^ (state >> 8)
    return state


def _shift_tables(length: int) -> list[list[int]]:
    """Byte tables of the linear map 'advance the CRC register over `length` zero bytes'."""
    images = [_raw(1 << bit, bytes(length)) for bit in range(32)]
    tables = []
    for k in range(4):
        row = []
        for value in range(256):
            out = 0
            for bit in range(8):
                if value >> bit & 1:
                    out ^= images[8 * k + bit]
            row.append(out)
        tables.append(row)
    return tables


_SHIFT: list[list[int]] = []


def crc32c(data: bytes | memoryview | np.ndarray) -> int:
    """CRC-32C of `data`. Long buffers run as 4 KiB lanes in parallel with numpy, then combine (CRC is affine)."""
    if isinstance(data, np.ndarray):
        view = np.ascontiguousarray(data).reshape(-1).view(np.uint8).data
    else:
        view = memoryview(data).cast("B")
    state, n = 0xFFFFFFFF, len(view)
    lanes = n // _LANE
    if lanes < 8:
        return _raw(state, view) ^ 0xFFFFFFFF
    if not _SHIFT:
        _SHIFT.extend(_shift_tables(_LANE))
    t0, t1, t2, t3 = _SHIFT
    flat = np.frombuffer(view, dtype=np.uint8)
    step = max(1, (16 << 20) // _LANE)  # lanes per pass: 16 MiB transposed at a time
    for first in range(0, lanes, step):
        block = flat[first * _LANE:min(lanes, first + step) * _LANE].reshape(-1, _LANE)
        columns = np.ascontiguousarray(block.T)  # column j: byte j of every lane
        regs = np.zeros(block.shape[0], dtype=np.uint32)
        index = np.empty_like(regs)
        for column in columns:
            np.bitwise_xor(regs, column, out=index)
            np.bitwise_and(index, 0xFF, out=index)
            np.right_shift(regs, 8, out=regs)
            np.bitwise_xor(regs, _NP_TABLE[index], out=regs)
        for reg in regs.tolist():
            state = (t0[state & 0xFF] ^ t1[state >> 8 & 0xFF] ^ t2[state >> 16 & 0xFF] ^ t3[state >> 24]) ^ reg
    return _raw(state, view[lanes * _LANE:]) ^ 0xFFFFFFFF


def mask_crc(crc: int) -> int:
    """LevelDB's masked CRC (stored so that a CRC of data holding CRCs stays well-behaved)."""
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def unmask_crc(masked: int) -> int:
    """The CRC that `mask_crc` stored."""
    rot = (masked - _MASK_DELTA) & 0xFFFFFFFF
    return ((rot >> 17) | (rot << 15)) & 0xFFFFFFFF


# -- varints and protobuf fields -------------------------------------------------------------------------------
def read_varint(buf: bytes, pos: int, limit: int | None = None) -> tuple[int, int]:
    """A base-128 varint at `pos`: (value, position after it). ValueError when cut off or longer than 64 bits."""
    end = len(buf) if limit is None else limit
    value = shift = 0
    while True:
        if pos >= end or shift > 63:
            raise ValueError("truncated or overlong varint")
        byte = buf[pos]
        pos += 1
        value |= (byte & 0x7F) << shift
        if not byte & 0x80:
            return value, pos
        shift += 7


def varint(value: int) -> bytes:
    """The base-128 varint of a non-negative integer."""
    out = bytearray()
    while True:
        byte, value = value & 0x7F, value >> 7
        out.append(byte | (0x80 if value else 0))
        if not value:
            return bytes(out)


def proto_fields(buf: bytes) -> dict[int, list[int | bytes]]:
    """A protobuf message's fields: number -> values (ints for varint/fixed, bytes for length-delimited)."""
    fields: dict[int, list[int | bytes]] = {}
    pos = 0
    while pos < len(buf):
        tag, pos = read_varint(buf, pos)
        number, wire = tag >> 3, tag & 7
        value: int | bytes
        if wire == 0:
            value, pos = read_varint(buf, pos)
        elif wire == 1:
            value, pos = int.from_bytes(_take(buf, pos, 8), "little"), pos + 8
        elif wire == 2:
            size, pos = read_varint(buf, pos)
            value, pos = _take(buf, pos, size), pos + size
        elif wire == 5:
            value, pos = int.from_bytes(_take(buf, pos, 4), "little"), pos + 4
        else:
            raise ValueError(f"unsupported protobuf wire type {wire} (field {number})")
        fields.setdefault(number, []).append(value)
    return fields


def _take(buf: bytes, pos: int, size: int) -> bytes:
    if pos + size > len(buf):
        raise ValueError("protobuf field runs past the end of its message")
    return buf[pos:pos + size]


def _int(fields: dict[int, list[int | bytes]], number: int, default: int = 0) -> int:
    values = fields.get(number)
    if not values:
        return default
    value = values[-1]
    if not isinstance(value, int):
        raise ValueError(f"field {number} is not a number")
    return value


def _field(number: int, wire: int) -> bytes:
    return varint(number << 3 | wire)


# -- the bundle's messages -------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BundleEntry:
    """Where one tensor's bytes are in the data file, and what they are (a `BundleEntryProto`)."""

    name: str
    dtype: int
    shape: tuple[int, ...]
    shard_id: int
    offset: int
    size: int
    crc32c: int  # unmasked
    sliced: bool = False

    @classmethod
    def parse(cls, name: str, value: bytes) -> BundleEntry:
        """Decode the protobuf value of the index key `name`."""
        fields = proto_fields(value)
        shape: list[int] = []
        for raw_shape in fields.get(2, []):
            if not isinstance(raw_shape, bytes):
                raise ValueError("shape is not a message")
            shape_fields = proto_fields(raw_shape)
            if _int(shape_fields, 3):
                raise ValueError("unknown rank")
            for dim in shape_fields.get(2, []):
                if not isinstance(dim, bytes):
                    raise ValueError("dim is not a message")
                size = _int(proto_fields(dim), 1)
                shape.append(size - (1 << 64) if size >= 1 << 63 else size)
        return cls(name=name, dtype=_int(fields, 1), shape=tuple(shape), shard_id=_int(fields, 3),
                   offset=_int(fields, 4), size=_int(fields, 5), crc32c=unmask_crc(_int(fields, 6)),
                   sliced=bool(fields.get(7)))

    def encode(self) -> bytes:
        """The `BundleEntryProto` bytes (fields at their defaults are left out, as protobuf does)."""
        dims = b"".join(_field(2, 2) + varint(len(d)) + d
                        for d in (_field(1, 0) + varint(size) if size else b"" for size in self.shape))
        out = bytearray()
        if self.dtype:
            out += _field(1, 0) + varint(self.dtype)
        out += _field(2, 2) + varint(len(dims)) + dims
        for number, value in ((3, self.shard_id), (4, self.offset), (5, self.size)):
            if value:
                out += _field(number, 0) + varint(value)
        out += _field(6, 5) + struct.pack("<I", mask_crc(self.crc32c))
        return bytes(out)


# -- the SSTable -----------------------------------------------------------------------------------------------
def _block_entries(block: bytes) -> Iterator[tuple[bytes, bytes]]:
    """The (key, value) pairs of one block, keys rebuilt from their shared prefixes; checks the restart array."""
    if len(block) < 4:
        raise ValueError("block shorter than its restart count")
    (restarts,) = struct.unpack_from("<I", block, len(block) - 4)
    limit = len(block) - 4 - 4 * restarts
    if restarts == 0 or limit < 0:
        raise ValueError(f"bad restart count {restarts}")
    restart_offsets = set(struct.unpack_from(f"<{restarts}I", block, limit))
    if max(restart_offsets) >= max(limit, 1) or 0 not in restart_offsets:
        raise ValueError("restart point outside the block's entries")
    pos, key = 0, b""
    while pos < limit:
        at = pos
        shared, pos = read_varint(block, pos, limit)
        unshared, pos = read_varint(block, pos, limit)
        size, pos = read_varint(block, pos, limit)
        if shared > len(key) or (at in restart_offsets and shared) or pos + unshared + size > limit:
            raise ValueError(f"bad entry at block offset {at}")
        key = key[:shared] + block[pos:pos + unshared]
        pos += unshared
        yield key, block[pos:pos + size]
        pos += size


def _read_block(data: bytes, handle: bytes, what: str) -> bytes:
    offset, pos = read_varint(handle, 0)
    size, pos = read_varint(handle, pos)
    end = offset + size + BLOCK_TRAILER_SIZE
    if end > len(data):
        raise ValueError(f"{what} block [{offset}, {end}) runs past the end of the file ({len(data)} bytes)")
    block, kind = data[offset:offset + size], data[offset + size]
    (stored,) = struct.unpack_from("<I", data, offset + size + 1)
    if unmask_crc(stored) != crc32c(data[offset:offset + size + 1]):
        raise ValueError(f"{what} block at offset {offset}: CRC-32C mismatch")
    if kind == SNAPPY_COMPRESSION:
        raise ValueError(f"{what} block at offset {offset} is snappy-compressed, which this reader does not decode")
    if kind != NO_COMPRESSION:
        raise ValueError(f"{what} block at offset {offset}: unknown compression type {kind}")
    return block


def read_table(path: Path) -> list[tuple[bytes, bytes]]:
    """Every (key, value) of a LevelDB-format table file, in key order; CheckpointError naming the file if bad."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CheckpointError(f"{path}: cannot read the checkpoint index ({exc.strerror or exc})") from None
    try:
        if len(data) < FOOTER_SIZE:
            raise ValueError(f"{len(data)} bytes, shorter than the {FOOTER_SIZE}-byte table footer")
        footer = data[-FOOTER_SIZE:]
        if struct.unpack_from("<Q", footer, 40)[0] != TABLE_MAGIC:
            raise ValueError("no table magic number at the end (truncated, or not a TensorFlow checkpoint index)")
        _, pos = read_varint(footer, 0)  # the metaindex handle: bundles keep no filters or stats in it
        _, pos = read_varint(footer, pos)
        index_offset, index_end = pos, pos
        _, index_end = read_varint(footer, index_end)
        _, index_end = read_varint(footer, index_end)
        index = _read_block(data, footer[index_offset:index_end], "index")
        rows: list[tuple[bytes, bytes]] = []
        previous = None
        for separator, handle in _block_entries(index):
            for key, value in _block_entries(_read_block(data, handle, "data")):
                if previous is not None and key <= previous:
                    raise ValueError(f"keys out of order at {key!r}")
                if key > separator:
                    raise ValueError(f"key {key!r} past its index separator")
                rows.append((key, value))
                previous = key
        return rows
    except ValueError as exc:
        raise CheckpointError(f"{path}: corrupt checkpoint index: {exc}") from None


def _build_block(rows: list[tuple[bytes, bytes]], restart_interval: int) -> bytes:
    out, restarts, previous = bytearray(), [], b""
    for i, (key, value) in enumerate(rows):
        shared = 0
        if i % restart_interval:
            limit = min(len(previous), len(key))
            while shared < limit and previous[shared] == key[shared]:
                shared += 1
        else:
            restarts.append(len(out))
        out += varint(shared) + varint(len(key) - shared) + varint(len(value)) + key[shared:] + value
        previous = key
    for offset in restarts or [0]:
        out += struct.pack("<I", offset)
    return bytes(out + struct.pack("<I", len(restarts) or 1))


def write_table(path: Path, rows: Iterable[tuple[bytes, bytes]], block_size: int = 4096,
                restart_interval: int = 16) -> None:
    """Write sorted (key, value) rows as a LevelDB-format table: uncompressed data blocks, an empty
    metaindex block, an index block whose keys are each data block's last key, and the footer."""
    out = bytearray()

    def emit(block: bytes) -> bytes:
        handle = varint(len(out)) + varint(len(block))
        out.extend(block + bytes([NO_COMPRESSION]))
        out.extend(struct.pack("<I", mask_crc(crc32c(block + bytes([NO_COMPRESSION])))))
        return handle

    index: list[tuple[bytes, bytes]] = []
    pending: list[tuple[bytes, bytes]] = []
    size = 0
    for key, value in sorted(rows):
        pending.append((key, value))
        size += len(key) + len(value) + 3
        if size >= block_size:
            index.append((key, emit(_build_block(pending, restart_interval))))
            pending, size = [], 0
    if pending:
        index.append((pending[-1][0], emit(_build_block(pending, restart_interval))))
    meta = emit(_build_block([], restart_interval))
    index_handle = emit(_build_block(index, 1))
    footer = meta + index_handle
    out += footer + bytes(40 - len(footer)) + struct.pack("<Q", TABLE_MAGIC)
    path.write_bytes(bytes(out))


# -- checkpoints -----------------------------------------------------------------------------------------------
def index_path(prefix: Path) -> Path:
    """`<prefix>.index`."""
    return prefix.with_name(prefix.name + ".index")


def data_path(prefix: Path) -> Path:
    """The single data shard `<prefix>.data-00000-of-00001`."""
    return prefix.with_name(prefix.name + DATA_SUFFIX)


def read_index(prefix: Path) -> dict[str, BundleEntry]:
    """The entries of a single-shard, little-endian checkpoint, by variable name."""
    path = index_path(prefix)
    rows = read_table(path)
    try:
        if not rows or rows[0][0] != HEADER_KEY:
            raise ValueError("no bundle header (key '')")
        header = proto_fields(rows[0][1])
        shards, endianness = _int(header, 1), _int(header, 2)
        if shards != 1 or endianness != 0:
            raise ValueError(f"{shards} shards, {'big' if endianness else 'little'}-endian: "
                             "only single-shard little-endian checkpoints are read")
        entries = {}
        for key, value in rows[1:]:
            name = key.decode()
            entries[name] = BundleEntry.parse(name, value)
        return entries
    except (ValueError, UnicodeDecodeError) as exc:
        raise CheckpointError(f"{path}: corrupt checkpoint index: {exc}") from None


def read_checkpoint(prefix: Path, names: Iterable[str] | None = None, verify: bool = True) -> dict[str, np.ndarray]:
    """Tensors of the checkpoint at `prefix` (e.g. `saved_model/variables/variables`) as numpy arrays.

    `names` picks variables (default: every numeric one; strings and other dtypes are skipped). With
    `verify`, each tensor's bytes are checked against the CRC-32C of its entry. The arrays are views of a
    read-only memory map of the data file.
    """
    entries = read_index(prefix)
    wanted = list(entries) if names is None else list(names)
    missing = [name for name in wanted if name not in entries]
    if missing:
        raise CheckpointError(f"{index_path(prefix)}: no variable {missing[0]!r} ({len(missing)} missing)")
    shard = data_path(prefix)
    try:
        size = os.path.getsize(shard)
        raw = np.memmap(shard, dtype=np.uint8, mode="r") if size else np.zeros(0, np.uint8)
    except OSError as exc:
        raise CheckpointError(f"{shard}: cannot read the checkpoint data ({exc.strerror or exc})") from None
    tensors: dict[str, np.ndarray] = {}
    for name in wanted:
        entry = entries[name]
        dtype = DTYPES.get(entry.dtype)
        if dtype is None or entry.sliced:
            if names is None:
                continue
            what = "a partitioned variable" if entry.sliced else f"dtype {entry.dtype}"
            raise CheckpointError(f"{index_path(prefix)}: {name!r} is {what}, which this reader does not handle")
        count = int(np.prod(entry.shape, dtype=np.int64))
        if entry.shard_id != 0 or count * dtype.itemsize != entry.size or entry.offset + entry.size > size:
            raise CheckpointError(f"{shard}: {name!r} ({entry.size} bytes at {entry.offset}, shape {entry.shape}) "
                                  f"does not fit the {size}-byte data file: truncated or mismatched index")
        data = raw[entry.offset:entry.offset + entry.size]
        if verify and crc32c(data) != entry.crc32c:
            raise CheckpointError(f"{shard}: {name!r} fails its CRC-32C check: the data file is corrupt")
        tensors[name] = data.view(dtype).reshape(entry.shape)
    return tensors


def write_checkpoint(prefix: Path, tensors: Mapping[str, np.ndarray]) -> None:
    """Write `tensors` as a TensorFlow v2 checkpoint at `prefix` (index + one data shard), as TensorFlow lays
    it out: data in key order, entries with offsets, sizes and masked CRC-32Cs. For tests and round trips."""
    prefix.parent.mkdir(parents=True, exist_ok=True)
    rows = [(HEADER_KEY, _field(1, 0) + varint(1))]  # num_shards 1; endianness LITTLE and version left default
    offset = 0
    with open(data_path(prefix), "wb") as out:
        for name in sorted(tensors):
            array = np.asarray(tensors[name], order="C")  # ascontiguousarray would make a scalar 1-d
            dtype = array.dtype.newbyteorder("<") if array.dtype.byteorder == ">" else array.dtype
            if dtype not in DTYPE_CODES:
                raise ValueError(f"{name}: dtype {array.dtype} has no TensorFlow checkpoint code here")
            data = array.astype(dtype, copy=False).tobytes()
            entry = BundleEntry(name, DTYPE_CODES[dtype], tuple(array.shape), 0, offset, len(data), crc32c(data))
            out.write(data)
            rows.append((name.encode(), entry.encode()))
            offset += len(data)
    write_table(index_path(prefix), rows)
