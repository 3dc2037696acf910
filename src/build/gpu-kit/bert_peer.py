"""What the device kit's Python scripts share: the bundled encoder as transformers' BertModel, built from our
config.json and model.safetensors (Hugging Face names, no pooler), with adapterloop's classification head (mean of
the last hidden states over real tokens, then Linear(hidden, labels))."""
import json
import os
import sys

import torch
from safetensors.torch import load_file
from transformers import BertConfig, BertModel

sys.dont_write_bytecode = True


class MeanPooledBert(BertModel):
    """BertModel plus adapterloop's head, under the module name 'classifier' that our PEFT export's modules_to_save
    names; module paths are BertModel's (encoder.layer.N...), as in the export's keys."""

    def __init__(self, config, labels=2):
        super().__init__(config, add_pooling_layer=False)
        self.classifier = torch.nn.Linear(config.hidden_size, labels)

    def pooled_logits(self, input_ids, attention_mask):
        hidden = self(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
        m = attention_mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * m).sum(1) / m.sum(1).clamp(min=1)
        return self.classifier(pooled)


def load_encoder(folder, dropout=None, attn=None, labels=2):
    with open(os.path.join(folder, "config.json")) as fh:
        cfg = json.load(fh)
    if dropout is not None:
        cfg["hidden_dropout_prob"] = dropout
        cfg["attention_probs_dropout_prob"] = dropout
    config = BertConfig(**cfg)
    if attn:
        config._attn_implementation = attn
    model = MeanPooledBert(config, labels)
    state = load_file(os.path.join(folder, "model.safetensors"))
    state = {k[len("bert."):] if k.startswith("bert.") else k: v.float() for k, v in state.items()}
    missing, unexpected = model.load_state_dict(state, strict=False)
    missing = [k for k in missing if not k.startswith("classifier.")]
    if missing or unexpected:
        raise RuntimeError(f"weights do not fit BertModel: missing {missing[:8]}, unexpected {unexpected[:8]}")
    return model
