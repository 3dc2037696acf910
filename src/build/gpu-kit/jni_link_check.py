"""Does DJL's JNI library link against this libtorch? Lists the dynamic symbols libdjl_torch.so imports and checks
each against the symbols the libraries of a torch/lib folder define (nm -D), then names the unresolved ones,
demangled and grouped by namespace. Versioned imports (@GLIBC_*, @GLIBCXX_*, @CXXABI_*, @GCC_*) come from the system
and weak ones may stay unresolved: both are counted, not checked. Exit 0 when every unversioned import resolves, 1 otherwise.

    python3 jni_link_check.py LIBDJL_TORCH_SO TORCH_LIB_DIR [--out FILE.json]
"""
import argparse
import collections
import glob
import json
import os
import re
import shutil
import subprocess
import sys

sys.dont_write_bytecode = True


def nm(path, *flags):
    r = subprocess.run(["nm", "-D", *flags, path], capture_output=True, text=True)
    if r.returncode != 0:
        raise RuntimeError(f"nm -D {' '.join(flags)} {path}: {r.stderr.strip()}")
    return r.stdout.splitlines()


def demangle(names):
    if not names or not shutil.which("c++filt"):
        return list(names)
    r = subprocess.run(["c++filt"], input="\n".join(names), capture_output=True, text=True)
    return r.stdout.splitlines() if r.returncode == 0 else list(names)


def namespace(demangled):
    m = re.match(r"(?:typeinfo (?:name )?for |vtable for |guard variable for )?([A-Za-z_][\w]*(?:::[A-Za-z_]\w*)?)",
                 demangled)
    return m.group(1) if m else "?"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("jni")
    p.add_argument("torch_lib")
    p.add_argument("--out")
    a = p.parse_args()
    entries = [line.split() for line in nm(a.jni, "--undefined-only") if line.strip()]
    imports = [e[-1] for e in entries]
    weak = [e[-1] for e in entries if len(e) >= 2 and e[-2] in "wv"]  # may stay unresolved (e.g. __gmon_start__)
    system = [s for s in imports if "@" in s]
    wanted = sorted({e[-1] for e in entries if "@" not in e[-1] and not (len(e) >= 2 and e[-2] in "wv")})
    defined, per_lib = set(), {}
    libs = sorted(f for f in glob.glob(os.path.join(a.torch_lib, "lib*.so*")) if os.path.isfile(f))
    # the JNI resolves in its own dependency tree, which holds what torch/lib's libraries need in turn (the CUDA
    # runtime of the wheel's nvidia packages, for the cudaEvent*/cudaStream* calls of the cu128 JNI): add those
    deps = set()
    for lib in libs:
        r = subprocess.run(["ldd", lib], capture_output=True, text=True)
        for line in r.stdout.splitlines():
            m = re.search(r"=>\s*(/\S+)", line)
            if m and os.path.realpath(os.path.dirname(m.group(1))) != os.path.realpath(a.torch_lib):
                deps.add(m.group(1))
    libs += sorted(d for d in deps if not re.search(r"/(libc|libm|libdl|libpthread|librt|ld-linux[^/]*)\.so", d))
    for lib in libs:
        names = set()
        for line in nm(lib, "--defined-only"):
            parts = line.split()
            if len(parts) >= 3 and parts[1] in "TtWwVvBbDdRriu":
                names.add(parts[2].split("@")[0])
        per_lib[os.path.basename(lib)] = names
        defined |= names
    missing = [s for s in wanted if s not in defined]
    resolved_by = collections.Counter()
    for s in wanted:
        for lib, names in per_lib.items():
            if s in names:
                resolved_by[lib] += 1
                break
    dm_missing = demangle(missing)
    dm_wanted = demangle(wanted)
    by_ns = collections.Counter(namespace(d) for d in dm_wanted)
    missing_by_ns = collections.Counter(namespace(d) for d in dm_missing)
    result = {
        "jni": a.jni,
        "torch_lib": a.torch_lib,
        "libraries": [os.path.basename(x) for x in libs],
        "imports_total": len(imports),
        "imports_system_versioned": len(system),
        "imports_weak": len(weak),
        "imports_torch": len(wanted),
        "imports_by_namespace": dict(by_ns.most_common()),
        "resolved_by_library": dict(resolved_by.most_common()),
        "unresolved": len(missing),
        "unresolved_by_namespace": dict(missing_by_ns.most_common()),
        "unresolved_symbols": [{"mangled": m, "demangled": d} for m, d in zip(missing, dm_missing)],
    }
    if a.out:
        with open(a.out, "w") as fh:
            json.dump(result, fh, indent=1)
    print(f"jni_link_check: {len(wanted)} torch imports of {os.path.basename(a.jni)}, {len(missing)} unresolved in "
          f"{a.torch_lib} and its dependencies ({len(libs)} libraries)")
    for m, d in list(zip(missing, dm_missing))[:200]:
        print(f"  UNRESOLVED {d}")
    if len(missing) > 200:
        print(f"  ... {len(missing) - 200} more in the JSON")
    return 0 if not missing else 1


if __name__ == "__main__":
    sys.exit(main())
