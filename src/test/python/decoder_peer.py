"""PyTorch-eager peer of the decoder benchmark (BENCHMARKS.md, "Decoders (issue 23)").

A Llama decoder written in plain torch as transformers' eager LlamaForCausalLM computes it (RMSNorm in fp32,
rotary embeddings with rotate_half, grouped-query attention through repeat_kv, fp32 softmax, SwiGLU, untied or tied
head), PEFT-style LoRA on q_proj and v_proj (A kaiming_uniform(a=sqrt 5), B zeros, scaling alpha/r, dropout 0),
torch.optim.AdamW with weight decay 0, global gradient-norm clipping at 1.0 and a linear decay, as the product's
CausalLmTrainer does. It reads the same config.json, model.safetensors and token ids that DecoderBenchmark wrote
(a small safetensors reader below: no `safetensors` package is needed). Runs with Debian's /usr/bin/python3 and its
python3-torch (1.13) + python3-numpy only.

Cases (one JSON line on stdout each; progress on stderr):
  env        torch, BLAS and CPU facts
  matmul     dense fp32 GEMM throughput on the model's shapes (peak_gflops: the best)
  check      the base model's logits of the first row, the first batch's loss and greedy tokens, against the
             file our side wrote (--reference, with the greedy tokens in --reference-json)
  train      --warmup steps, then the median of --steps timed LoRA steps; peak RSS (ru_maxrss)
  generate   greedy decoding of --new-tokens from the first row's first --prompt ids, batch 1, with and without a
             KV cache: the median of --runs runs after one warm-up
  all        env, then matmul, train and generate at each of --threads, each in a child process; one JSON line

    /usr/bin/python3 src/test/python/decoder_peer.py --case all --model DIR --ids FILE [--threads 1,2]
"""
import argparse
import json
import math
import os
import platform
import re
import resource
import statistics
import struct
import subprocess
import sys
import time

sys.dont_write_bytecode = True
DEBIAN_PY = "/usr/bin/python3"


def best_openblas_coretype():
    """The peer runs at its best: OpenBLAS 0.3.21 does not recognise recent CPUs (e.g. AMD Zen 5) and hosts may pin
    OPENBLAS_CORETYPE=Haswell (AVX2). On an AVX-512 CPU its SkylakeX kernels are correct and about 1.8x faster, so
    use them unless PEER_OPENBLAS_CORETYPE names another core type. (The logic of ../shared/peer-bench's bench.py.)"""
    chosen = os.environ.get("PEER_OPENBLAS_CORETYPE")
    if chosen:
        return chosen
    try:
        flags = set(open("/proc/cpuinfo").read().split())
    except OSError:
        return os.environ.get("OPENBLAS_CORETYPE")
    if {"avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd"} <= flags:
        return "SkylakeX"
    return os.environ.get("OPENBLAS_CORETYPE")


_coretype = best_openblas_coretype()
if _coretype:
    os.environ["OPENBLAS_CORETYPE"] = _coretype  # before torch loads OpenBLAS; inherited by every child
for _variable in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
    os.environ.pop(_variable, None)  # torch.set_num_threads decides
try:
    import torch
except ImportError:  # e.g. a pyenv python3 first on PATH: Debian's torch is in /usr/bin/python3's dist-packages
    if os.path.realpath(sys.executable) != os.path.realpath(DEBIAN_PY) and os.path.exists(DEBIAN_PY):
        os.execv(DEBIAN_PY, [DEBIAN_PY] + sys.argv)
    raise
import numpy as np
import torch.nn.functional as F
from torch import nn


# ------------------------------------------------------------------ safetensors
_DTYPES = {"F32": np.float32, "F16": np.float16, "I64": np.int64, "I32": np.int32}


def read_safetensors(path):
    """{name: tensor} of a safetensors file: an 8-byte little-endian header length, a JSON header of dtype, shape
    and [begin, end) offsets into the data section that follows."""
    tensors = {}
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        start = 8 + length
        for name, info in header.items():
            if name == "__metadata__":
                continue
            if info["dtype"] not in _DTYPES:
                raise ValueError(f"{path}: tensor {name} has dtype {info['dtype']}, which this reader does not read")
            begin, end = info["data_offsets"]
            buffer = bytearray(end - begin)
            f.seek(start + begin)
            if f.readinto(buffer) != len(buffer):
                raise ValueError(f"{path}: tensor {name} is truncated")
            array = np.frombuffer(buffer, dtype=np.dtype(_DTYPES[info["dtype"]]).newbyteorder("<"))
            tensors[name] = torch.from_numpy(array.reshape(info["shape"]))
    return tensors


# ------------------------------------------------------------------ model
class RMSNorm(nn.Module):
    def __init__(self, size, eps):
        super().__init__()
        self.weight = nn.Parameter(torch.ones(size))
        self.eps = eps

    def forward(self, x):
        dtype = x.dtype
        x = x.float()
        x = x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps)
        return self.weight * x.to(dtype)


class LoraLinear(nn.Module):
    """PEFT's lora.Linear: base(x) + B(A(dropout(x))) * alpha / r, dropout 0 (an identity)."""

    def __init__(self, base, rank, alpha):
        super().__init__()
        self.base = base
        self.lora_A = nn.Linear(base.in_features, rank, bias=False)
        self.lora_B = nn.Linear(rank, base.out_features, bias=False)
        nn.init.kaiming_uniform_(self.lora_A.weight, a=math.sqrt(5))
        nn.init.zeros_(self.lora_B.weight)
        self.scaling = alpha / rank

    def forward(self, x):
        return self.base(x) + self.lora_B(self.lora_A(x)) * self.scaling


def rotate_half(x):
    half = x.shape[-1] // 2
    return torch.cat((-x[..., half:], x[..., :half]), dim=-1)


def repeat_kv(x, groups):
    """(batch, kv heads, seq, dim) -> (batch, kv heads * groups, seq, dim), as transformers' repeat_kv."""
    if groups == 1:
        return x
    b, kv, s, d = x.shape
    return x[:, :, None, :, :].expand(b, kv, groups, s, d).reshape(b, kv * groups, s, d)


class Attention(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.heads, self.kv_heads, self.head_dim = c["heads"], c["kv_heads"], c["head_dim"]
        self.q_proj = nn.Linear(c["hidden"], self.heads * self.head_dim, bias=False)
        self.k_proj = nn.Linear(c["hidden"], self.kv_heads * self.head_dim, bias=False)
        self.v_proj = nn.Linear(c["hidden"], self.kv_heads * self.head_dim, bias=False)
        self.o_proj = nn.Linear(self.heads * self.head_dim, c["hidden"], bias=False)

    def forward(self, x, cos, sin, mask, cache):
        b, s, _ = x.shape
        q = self.q_proj(x).view(b, s, self.heads, self.head_dim).transpose(1, 2)
        k = self.k_proj(x).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        v = self.v_proj(x).view(b, s, self.kv_heads, self.head_dim).transpose(1, 2)
        q = q * cos + rotate_half(q) * sin
        k = k * cos + rotate_half(k) * sin
        if cache is not None:
            if cache:
                k = torch.cat((cache[0], k), dim=2)
                v = torch.cat((cache[1], v), dim=2)
            cache[:] = [k, v]
        groups = self.heads // self.kv_heads
        k, v = repeat_kv(k, groups), repeat_kv(v, groups)
        scores = torch.matmul(q, k.transpose(2, 3)) / math.sqrt(self.head_dim)
        if mask is not None:
            scores = scores + mask
        probs = F.softmax(scores, dim=-1, dtype=torch.float32).to(q.dtype)
        context = torch.matmul(probs, v).transpose(1, 2).reshape(b, s, self.heads * self.head_dim)
        return self.o_proj(context)


class Mlp(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.gate_proj = nn.Linear(c["hidden"], c["intermediate"], bias=False)
        self.up_proj = nn.Linear(c["hidden"], c["intermediate"], bias=False)
        self.down_proj = nn.Linear(c["intermediate"], c["hidden"], bias=False)

    def forward(self, x):
        return self.down_proj(F.silu(self.gate_proj(x)) * self.up_proj(x))


class Layer(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.input_layernorm = RMSNorm(c["hidden"], c["eps"])
        self.self_attn = Attention(c)
        self.post_attention_layernorm = RMSNorm(c["hidden"], c["eps"])
        self.mlp = Mlp(c)

    def forward(self, h, cos, sin, mask, cache):
        h = h + self.self_attn(self.input_layernorm(h), cos, sin, mask, cache)
        return h + self.mlp(self.post_attention_layernorm(h))


class Model(nn.Module):
    """LlamaModel under LlamaForCausalLM's names (model.embed_tokens, model.layers.N..., model.norm, lm_head)."""

    def __init__(self, c):
        super().__init__()
        self.c = c
        self.model = nn.Module()
        self.model.embed_tokens = nn.Embedding(c["vocab"], c["hidden"])
        self.model.layers = nn.ModuleList([Layer(c) for _ in range(c["layers"])])
        self.model.norm = RMSNorm(c["hidden"], c["eps"])
        self.lm_head = nn.Linear(c["hidden"], c["vocab"], bias=False)
        if c["tied"]:
            self.lm_head.weight = self.model.embed_tokens.weight
        dim = c["head_dim"]
        self.register_buffer("inv_freq", 1.0 / (c["rope_theta"] ** (torch.arange(0, dim, 2).float() / dim)),
                             persistent=False)

    def hidden(self, ids, caches=None):
        """Final normed states of the new tokens; `caches` (one list per layer, [] at first) grows by them."""
        b, s = ids.shape
        past = caches[0][0].shape[2] if caches and caches[0] else 0
        positions = torch.arange(past, past + s).float()
        freqs = positions[:, None] * self.inv_freq[None, :]
        emb = torch.cat((freqs, freqs), dim=-1)
        cos, sin = emb.cos()[None, None], emb.sin()[None, None]
        mask = None
        if s > 1:  # causal; a single new token sees every cached one
            mask = torch.full((s, past + s), torch.finfo(torch.float32).min).triu(past + 1)[None, None]
        h = self.model.embed_tokens(ids)
        for i, layer in enumerate(self.model.layers):
            h = layer(h, cos, sin, mask, caches[i] if caches is not None else None)
        return self.model.norm(h)

    def forward(self, ids):
        return self.lm_head(self.hidden(ids)).float()


def load_config(folder):
    j = json.load(open(os.path.join(folder, "config.json")))
    if j.get("model_type") != "llama" or j.get("rope_scaling") or j.get("attention_bias") or j.get("mlp_bias"):
        raise ValueError(f"{folder}: this peer computes plain Llama (no rope scaling, no biases), got {j}")
    heads = j["num_attention_heads"]
    return {"hidden": j["hidden_size"], "layers": j["num_hidden_layers"], "heads": heads,
            "kv_heads": j.get("num_key_value_heads", heads), "head_dim": j.get("head_dim", j["hidden_size"] // heads),
            "intermediate": j["intermediate_size"], "vocab": j["vocab_size"], "eps": j.get("rms_norm_eps", 1e-6),
            "rope_theta": j.get("rope_theta", 10000.0), "tied": j.get("tie_word_embeddings", False)}


def load_model(folder):
    c = load_config(folder)
    model = Model(c)
    weights = read_safetensors(os.path.join(folder, "model.safetensors"))
    if c["tied"]:
        weights.pop("lm_head.weight", None)
    missing, unexpected = model.load_state_dict(weights, strict=False)
    missing = [m for m in missing if not (c["tied"] and m == "lm_head.weight")]
    if missing or unexpected:
        raise ValueError(f"{folder}: missing {missing[:5]}, unexpected {unexpected[:5]}")
    for p in model.parameters():
        p.requires_grad_(False)
    return model


def add_lora(model, rank, alpha, seed):
    torch.manual_seed(seed)
    for layer in model.model.layers:
        layer.self_attn.q_proj = LoraLinear(layer.self_attn.q_proj, rank, alpha)
        layer.self_attn.v_proj = LoraLinear(layer.self_attn.v_proj, rank, alpha)
    return [p for n, p in model.named_parameters() if "lora_" in n]


def causal_lm_loss(logits, ids):
    """transformers' shift: logits at t predict the id at t + 1; the mean over every predicted token."""
    vocab = logits.shape[-1]
    return F.cross_entropy(logits[:, :-1, :].reshape(-1, vocab), ids[:, 1:].reshape(-1))


@torch.no_grad()
def greedy(model, prompt, new_tokens, use_cache):
    """Greedy decoding of a (1, prompt) batch; only the last position goes through the head, as generate() does."""
    ids = prompt
    caches = [[] for _ in model.model.layers] if use_cache else None
    feed = ids
    out = []
    for _ in range(new_tokens):
        h = model.hidden(feed if use_cache else ids, caches)
        token = model.lm_head(h[:, -1:, :]).float().argmax(-1)
        out.append(int(token[0, 0]))
        ids = torch.cat((ids, token), dim=1)
        feed = token
    return out


# ------------------------------------------------------------------ cases
def rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # Linux: KiB


def case_check(a):
    model = load_model(a.model).eval()
    ids = read_safetensors(a.ids)["input_ids"]
    reference = read_safetensors(a.reference)["logits_row0"]
    ours = json.load(open(a.reference_json)) if a.reference_json else {}
    batch = ids[: a.batch]
    with torch.no_grad():
        logits = model(batch)
        loss = causal_lm_loss(logits, batch).item()
    diff = (logits[0] - reference).abs()
    prompt = ids[:1, : a.prompt]
    cached = greedy(model, prompt, a.new_tokens, True)
    uncached = greedy(model, prompt, a.new_tokens, False)
    result = {"max_abs_logit_diff": diff.max().item(), "mean_abs_logit_diff": diff.mean().item(),
              "max_abs_logit": reference.abs().max().item(), "loss": loss,
              "greedy_cached": cached, "greedy_uncached": uncached,
              "greedy_cache_equals_full": cached == uncached}
    if "loss" in ours:
        result["loss_diff"] = abs(loss - ours["loss"])
    for key in ("greedy_cached", "greedy_uncached"):
        if key in ours:
            theirs = ours[key]
            same = next((i for i, (x, y) in enumerate(zip(result[key], theirs)) if x != y), len(theirs))
            result[key + "_tokens_equal_to_ours"] = same
    return result


def case_train(a):
    model = load_model(a.model)
    trainable = add_lora(model, a.rank, a.alpha, a.seed)
    model.train()
    ids = read_safetensors(a.ids)["input_ids"]
    total = a.warmup + a.steps
    if ids.shape[0] < a.batch * total:
        raise ValueError(f"{a.ids} holds {ids.shape[0]} rows, {a.batch * total} needed")
    optimizer = torch.optim.AdamW(trainable, lr=a.learning_rate, weight_decay=0.0)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda step: max(0.0, (total - step) / total))
    rss_after_load = rss_mib()
    times, cpu, losses = [], [], []
    for step in range(total):
        batch = ids[step * a.batch:(step + 1) * a.batch]
        t0, c0 = time.perf_counter(), time.process_time()
        optimizer.zero_grad(set_to_none=True)
        loss = causal_lm_loss(model(batch), batch)
        loss.backward()
        torch.nn.utils.clip_grad_norm_(trainable, 1.0)
        optimizer.step()
        schedule.step()
        losses.append(loss.item())
        if step >= a.warmup:
            times.append(time.perf_counter() - t0)
            cpu.append(time.process_time() - c0)
    median = statistics.median(times)
    return {"median_s": median, "min_s": min(times), "max_s": max(times), "cpu_s_median": statistics.median(cpu),
            "tokens_per_s": a.batch * ids.shape[1] / median, "trainable_params": sum(p.numel() for p in trainable),
            "loss_first": losses[0], "loss_last": losses[-1], "step_times_s": [round(t, 4) for t in times],
            "rss_after_load_mib": rss_after_load}


def case_generate(a):
    model = load_model(a.model).eval()
    prompt = read_safetensors(a.ids)["input_ids"][:1, : a.prompt]
    result = {"prompt": a.prompt, "new_tokens": a.new_tokens}
    for use_cache in (True, False):
        times, cpu, tokens = [], [], None
        for run in range(-1, a.runs):
            t0, c0 = time.perf_counter(), time.process_time()
            tokens = greedy(model, prompt, a.new_tokens, use_cache)
            if run >= 0:
                times.append(time.perf_counter() - t0)
                cpu.append(time.process_time() - c0)
        median = statistics.median(times)
        result["cached" if use_cache else "uncached"] = {
            "median_s": median, "tokens_per_s": a.new_tokens / median, "cpu_s_median": statistics.median(cpu),
            "run_times_s": [round(t, 4) for t in times], "tokens": tokens}
    return result


MATMUL_SHAPES = [(1024, 1024, 1024), (2048, 512, 1408), (2048, 1408, 512), (2048, 512, 32000)]  # as DecoderWorker


def case_matmul(a):
    """Dense fp32 GEMM throughput: the median of 10 products per shape, after 3; peak_gflops is the best shape."""
    torch.manual_seed(0)
    result = {}
    for m, k, n in MATMUL_SHAPES:
        x, y = torch.randn(m, k), torch.randn(k, n)
        times = []
        for i in range(-3, 10):
            t0 = time.perf_counter()
            torch.matmul(x, y)
            if i >= 0:
                times.append(time.perf_counter() - t0)
        result[f"{m}x{k}@{k}x{n}"] = 2 * m * k * n / statistics.median(times) / 1e9
    result["peak_gflops"] = max(result.values())
    return result


def blas_libraries():
    """Shared objects of BLAS/LAPACK/OpenMP actually mapped into a torch process."""
    torch.matmul(torch.ones(64, 64), torch.ones(64, 64))
    libs = set()
    with open("/proc/self/maps") as fh:
        for line in fh:
            p = line.split()[-1]
            if any(s in p for s in ("blas", "lapack", "blis", "mkl", "gomp", "libomp", "dnnl")):
                libs.add(os.path.realpath(p))
    return sorted(libs)


def case_env(a):
    config = torch.__config__.show()
    info = {}
    for key in ("BLAS_INFO", "LAPACK_INFO", "USE_MKLDNN", "USE_OPENMP", "TORCH_VERSION"):
        m = re.search(r"\b" + key + r"=([^,\s]+)", config)
        if m:
            info[key] = m.group(1)
    deb = subprocess.run(["dpkg-query", "-W", "-f=${Version}", "python3-torch"], capture_output=True,
                         text=True).stdout
    return {"torch_version": torch.__version__, "debian_python3_torch": deb, "numpy": np.__version__,
            "torch_config": info, "blas_libraries": blas_libraries(), "python": platform.python_version(),
            "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"), "default_torch_threads": torch.get_num_threads()}


CASES = {"check": case_check, "train": case_train, "generate": case_generate, "matmul": case_matmul, "env": case_env}


def case_all(a):
    """env, then train and generate per thread count, each case in a child process of its own."""
    out = {"env": case_env(a), "results": {}}
    for threads in a.threads.split(","):
        for case in ("matmul", "train", "generate"):
            command = [sys.executable, os.path.abspath(__file__), "--case", case, "--threads", threads] + [
                f"--{k.replace('_', '-')}={v}" for k, v in vars(a).items()
                if k not in ("case", "threads") and v is not None]
            print(f"[peer] {case} threads={threads} ...", file=sys.stderr, flush=True)
            p = subprocess.run(command, capture_output=True, text=True)
            if p.returncode != 0:
                sys.stderr.write(p.stderr)
                raise SystemExit(f"{case}/{threads} failed: rc={p.returncode}")
            out["results"].setdefault(case, {})[threads] = json.loads(p.stdout.strip().splitlines()[-1])
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--case", required=True, choices=sorted(CASES) + ["all"])
    ap.add_argument("--model", required=True, help="folder with config.json and model.safetensors")
    ap.add_argument("--ids", required=True, help="safetensors file with an I64 input_ids (rows, seq)")
    ap.add_argument("--threads", default="2", help="one count per case; a list for --case all")
    ap.add_argument("--batch", type=int, default=8)
    ap.add_argument("--warmup", type=int, default=3)
    ap.add_argument("--steps", type=int, default=10)
    ap.add_argument("--rank", type=int, default=8)
    ap.add_argument("--alpha", type=float, default=16.0)
    ap.add_argument("--learning-rate", type=float, default=5e-4)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--prompt", type=int, default=64)
    ap.add_argument("--new-tokens", type=int, default=64)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--reference", help="check: logits our side wrote (logits_row0)")
    ap.add_argument("--reference-json", help="check: our side's reference result (loss, greedy tokens)")
    a = ap.parse_args()
    if a.case == "all":
        result = case_all(a)
    else:
        if a.case != "env":  # env reports torch's own default
            torch.set_num_threads(int(a.threads.split(",")[-1]))
        t0 = time.perf_counter()
        result = CASES[a.case](a)
        result["threads"] = torch.get_num_threads()
        result["wall_s"] = time.perf_counter() - t0
        result["peak_rss_mib"] = rss_mib()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
