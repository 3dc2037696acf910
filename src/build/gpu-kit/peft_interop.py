"""(4) PEFT interop (docs/gpu.md): PeftModel.from_pretrained loads adapterloop's PEFT export onto transformers'
BertModel (with our mean-pooled head as the module 'classifier', which the export's modules_to_save names), and its
class probabilities on the held-out texts are compared with the ones our serving path gave (device-check writes both
the export and peft-interop.json). Passes when max |diff| <= --tolerance (default 1e-4).

    python3 peft_interop.py INTEROP_JSON --out FILE [--device cuda]
"""
import argparse
import json
import os
import sys

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import torch  # noqa: E402
from peft import PeftModel  # noqa: E402
from transformers import PreTrainedTokenizerFast  # noqa: E402

import bert_peer  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument("interop")
    p.add_argument("--out", required=True)
    p.add_argument("--device", default="cuda")
    p.add_argument("--tolerance", type=float, default=1e-4)
    a = p.parse_args()
    with open(a.interop) as fh:
        spec = json.load(fh)
    dev = torch.device(a.device)
    with open(os.path.join(spec["peft_dir"], "adapter_config.json")) as fh:
        adapter_config = json.load(fh)
    base = bert_peer.load_encoder(spec["base_model"], labels=len(spec["labels"]))
    model = PeftModel.from_pretrained(base, spec["peft_dir"]).to(dev).eval()
    tok = PreTrainedTokenizerFast(tokenizer_file=os.path.join(spec["base_model"], "tokenizer.json"))
    tok.pad_token = tok.pad_token or "[PAD]"
    enc = tok(spec["texts"], truncation=True, max_length=spec["seq"], padding=True, return_tensors="pt")
    with torch.no_grad():
        logits = model.base_model.model.pooled_logits(enc["input_ids"].to(dev), enc["attention_mask"].to(dev))
        probs = logits.float().softmax(-1).cpu()
    ours = torch.tensor(spec["probabilities"], dtype=torch.float32)
    diff = (probs - ours).abs()
    agree = (probs.argmax(-1) == ours.argmax(-1)).float().mean().item()
    result = {
        "texts": len(spec["texts"]),
        "device": a.device,
        "peft_type": adapter_config.get("peft_type"),
        "task_type": adapter_config.get("task_type"),
        "max_abs_diff": diff.max().item(),
        "mean_abs_diff": diff.mean().item(),
        "argmax_agreement": agree,
        "tolerance": a.tolerance,
        "passed": diff.max().item() <= a.tolerance,
        "first_rows": {"peft": probs[:3].tolist(), "ours": ours[:3].tolist()},
    }
    with open(a.out, "w") as fh:
        json.dump(result, fh, indent=1)
    print(f"peft_interop: {len(spec['texts'])} texts, max |PEFT - served| {result['max_abs_diff']:.3g}, "
          f"argmax agreement {agree:.3f}: {'passed' if result['passed'] else 'FAILED'}")
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
