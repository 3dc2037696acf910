"""The device kit's PyTorch peer (docs/gpu.md): PyTorch + transformers' BertModel + peft LoRA (q, v; r=8, alpha=16,
no dropout) + mean-pooled Linear head, AdamW 5e-4, on our config.json and model.safetensors, at the shapes the Java
check times (seq 128, batch 16 and 64), dropouts 0 as in our benchmark. Eager fp32, eager fp16 autocast with
GradScaler, and torch.compile fp32 where it works offline. Synthetic token ids, attention mask all ones, random
labels. One JSON file; the CPU peer of BENCHMARKS.md is ../shared/peer-bench/pytorch-lora/bench.py.

    python3 peer.py --model DIR --out FILE [--device cuda] [--batches 16,64] [--seq 128] [--warmup 3] [--steps 20]
"""
import argparse
import json
import os
import statistics
import sys
import time
import traceback

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402
from peft import LoraConfig, get_peft_model  # noqa: E402

import bert_peer  # noqa: E402


def run_case(a, batch, mode):
    torch.manual_seed(0)
    dev = torch.device(a.device)
    base = bert_peer.load_encoder(a.model, dropout=0.0)
    model = get_peft_model(base, LoraConfig(r=8, lora_alpha=16, lora_dropout=0.0, target_modules=["query", "value"],
                                            modules_to_save=["classifier"])).to(dev)
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    opt = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=5e-4)
    fwd = model.base_model.model.pooled_logits
    if mode == "compile":
        fwd = torch.compile(fwd)
    amp = mode == "fp16"
    scaler = torch.amp.GradScaler("cuda", enabled=amp and dev.type == "cuda")
    g = torch.Generator().manual_seed(1234)
    n = a.warmup + a.steps
    data = [(torch.randint(0, 30522, (batch, a.seq), generator=g).to(dev),
             torch.ones(batch, a.seq, dtype=torch.long, device=dev),
             torch.randint(0, 2, (batch,), generator=g).to(dev)) for _ in range(n)]
    ts, losses = [], []
    compile_s = None
    for i, (ids, mask, y) in enumerate(data):
        if dev.type == "cuda":
            torch.cuda.synchronize()
        t0 = time.perf_counter()
        opt.zero_grad(set_to_none=True)
        with torch.autocast(dev.type, dtype=torch.float16, enabled=amp):
            loss = F.cross_entropy(fwd(ids, mask).float(), y)
        scaler.scale(loss).backward()
        scaler.step(opt)
        scaler.update()
        losses.append(loss.item())  # synchronises, as our trainer's loss read does
        dt = time.perf_counter() - t0
        if i == 0:
            compile_s = dt
        if i >= a.warmup:
            ts.append(dt)
    med = statistics.median(ts)
    r = {"batch": batch, "seq": a.seq, "mode": mode, "median_s": med, "min_s": min(ts), "max_s": max(ts),
         "tokens_per_s": batch * a.seq / med, "trainable_params": trainable, "first_step_s": compile_s,
         "loss_first": losses[0], "loss_last": losses[-1],
         "attn_implementation": getattr(base.config, "_attn_implementation", None)}
    if dev.type == "cuda":
        r["peak_mem_mib"] = torch.cuda.max_memory_allocated() / 2**20
        torch.cuda.reset_peak_memory_stats()
    return r


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--model", required=True)
    p.add_argument("--out", required=True)
    p.add_argument("--device", default="cuda")
    p.add_argument("--batches", default="16,64")
    p.add_argument("--seq", type=int, default=128)
    p.add_argument("--warmup", type=int, default=3)
    p.add_argument("--steps", type=int, default=20)
    p.add_argument("--no-compile", action="store_true")
    a = p.parse_args()
    import peft
    import transformers
    env = {"torch": torch.__version__, "transformers": transformers.__version__, "peft": peft.__version__,
           "device": a.device, "cuda": torch.version.cuda,
           "gpu": torch.cuda.get_device_name() if torch.cuda.is_available() else None,
           "tf32_matmul": torch.backends.cuda.matmul.allow_tf32}
    modes = ["eager", "fp16"] + ([] if a.no_compile else ["compile"])
    rows, errors = [], []
    for batch in [int(b) for b in a.batches.split(",")]:
        for mode in modes:
            if mode == "fp16" and a.device != "cuda":
                continue
            try:
                r = run_case(a, batch, mode)
                rows.append(r)
                print(f"peer {mode} batch {batch} seq {a.seq}: median {r['median_s']:.4f} s/step, "
                      f"{r['tokens_per_s']:.0f} tokens/s", flush=True)
            except Exception as e:  # torch.compile may need what an offline machine lacks: record, go on
                errors.append({"batch": batch, "mode": mode, "error": repr(e)[:2000]})
                traceback.print_exc()
    with open(a.out, "w") as fh:
        json.dump({"environment": env, "rows": rows, "errors": errors}, fh, indent=1)
    ok = any(r["mode"] == "eager" for r in rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
