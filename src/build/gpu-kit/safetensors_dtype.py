"""Rewrites a safetensors file with its F32 tensors as F16 (--to f16) or its F16 tensors as F32 (--to f32); other
tensors and __metadata__ are copied as they are. The standard library (numpy when present, faster), so that it runs
on the build machine (no safetensors package there) and on the device alike. The kit ships the bundled model's weights in fp16 to fit the transfer limit
and widens them on arrival: fp16 -> fp32 is exact, so the device's fp32 model is the fp16-rounded bundled model.

    python3 safetensors_dtype.py --to f16|f32 IN OUT
"""
import argparse
import json
import struct
import sys

try:
    import numpy as np
except ImportError:  # struct's 'e' and 'f' formats do the same, more slowly
    np = None

sys.dont_write_bytecode = True
FMT = {"F32": "f", "F16": "e"}


def cast(raw, frm, to):
    if np is not None:
        kinds = {"F32": np.float32, "F16": np.float16}
        return np.frombuffer(raw, dtype=kinds[frm]).astype(kinds[to]).tobytes()
    n = len(raw) // struct.calcsize(FMT[frm])
    return struct.pack(f"<{n}{FMT[to]}", *struct.unpack(f"<{n}{FMT[frm]}", raw))


def convert(src, dst, to):
    frm = "F32" if to == "F16" else "F16"
    with open(src, "rb") as fh:
        n = struct.unpack("<Q", fh.read(8))[0]
        header = json.loads(fh.read(n))
        data = fh.read()
    out_header, chunks, offset = {}, [], 0
    names = sorted((k for k in header if k != "__metadata__"), key=lambda k: header[k]["data_offsets"][0])
    for name in names:
        t = header[name]
        b, e = t["data_offsets"]
        raw = data[b:e]
        dtype = t["dtype"]
        if dtype == frm:
            raw = cast(raw, frm, to)
            dtype = to
        out_header[name] = {"dtype": dtype, "shape": t["shape"], "data_offsets": [offset, offset + len(raw)]}
        chunks.append(raw)
        offset += len(raw)
    if "__metadata__" in header:
        out_header["__metadata__"] = header["__metadata__"]
    text = json.dumps(out_header, separators=(",", ":")).encode()
    text += b" " * (-len(text) % 8)
    with open(dst, "wb") as fh:
        fh.write(struct.pack("<Q", len(text)))
        fh.write(text)
        for c in chunks:
            fh.write(c)
    return len(names)


if __name__ == "__main__":
    p = argparse.ArgumentParser()
    p.add_argument("--to", choices=["f16", "f32"], required=True)
    p.add_argument("src")
    p.add_argument("dst")
    a = p.parse_args()
    n = convert(a.src, a.dst, a.to.upper())
    print(f"safetensors_dtype: {n} tensors -> {a.to} in {a.dst}")
