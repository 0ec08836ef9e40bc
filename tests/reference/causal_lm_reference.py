#!/usr/bin/env python3
"""An independent forward pass of the Qwen3, Qwen2 and Llama (3) causal language models.

Written from the published model definitions (the Llama/Qwen papers and the families' reference code): RMSNorm,
rotary embeddings in the "rotate half" layout (with Llama 3's frequency scaling), grouped-query attention with a
causal mask, Qwen2's q/k/v biases, Qwen3's per-head q/k RMSNorm before the rotation, a SwiGLU MLP, and an output head
tied to the embedding or not. It shares no code with Recontext: it reads config.json and the safetensors files with
its own parser and computes in float32 with PyTorch (Debian's python3-torch 1.13), so the C# model's logits can be
checked against it (tests/Recontext.Model.Tests/ReferenceParityTests.cs).

Usage: causal_lm_reference.py MODEL_DIR --ids 1,2,3 [--greedy N] [--rows N] [--adapter DIR] [--mutate NAME] [--hidden] --out FILE.safetensors
Writes 'logits' (float32 [rows, vocab]: the last --rows positions, all by default) and 'greedy' (int64 [N]: a greedy
continuation, recomputing the whole sequence at each step) to a safetensors file, and prints a JSON summary.
--adapter applies a LoRA adapter saved in PEFT's layout (adapter_config.json, adapter_model.safetensors with keys
base_model.model.<module>.lora_A.weight / lora_B.weight): W + lora_alpha / r * B @ A.
--mutate breaks one piece on purpose, to show the comparison can fail: rope-index (frequency index off by one),
kv-tiled (key/value heads shared in the wrong order), no-rope-scaling, no-qk-norm, norm-eps (epsilon x100).
"""
import argparse
import json
import math
import os
import struct
import sys
import time

import numpy as np
import torch

MUTATIONS = ["rope-index", "kv-tiled", "no-rope-scaling", "no-qk-norm", "norm-eps"]


def read_safetensors(path):
    with open(path, "rb") as f:
        (length,) = struct.unpack("<Q", f.read(8))
        header = json.loads(f.read(length))
        data = f.read()
    tensors = {}
    for name, meta in header.items():
        if name == "__metadata__":
            continue
        start, end = meta["data_offsets"]
        raw = data[start:end]
        kind = meta["dtype"]
        if kind == "F32":
            values = np.frombuffer(raw, dtype="<f4")
        elif kind == "F16":
            values = np.frombuffer(raw, dtype="<f2").astype(np.float32)
        elif kind == "BF16":
            # bfloat16 is the top half of a float32
            values = (np.frombuffer(raw, dtype="<u2").astype(np.uint32) << 16).view(np.float32)
        else:
            sys.exit(f"{path}: tensor {name} has dtype {kind}; the reference reads F32, F16 and BF16")
        tensors[name] = torch.from_numpy(values.reshape(meta["shape"]).copy())
    return tensors


def write_safetensors(path, tensors):
    header, blobs, offset = {}, [], 0
    for name, array in tensors.items():
        blob = np.ascontiguousarray(array).tobytes()
        kind = {np.dtype("float32"): "F32", np.dtype("int64"): "I64"}[array.dtype]
        header[name] = {"dtype": kind, "shape": list(array.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * (-len(text) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)))
        f.write(text)
        for blob in blobs:
            f.write(blob)


def load_weights(folder):
    single = os.path.join(folder, "model.safetensors")
    if os.path.exists(single):
        return read_safetensors(single)
    with open(os.path.join(folder, "model.safetensors.index.json")) as f:
        shards = sorted(set(json.load(f)["weight_map"].values()))
    weights = {}
    for shard in shards:
        weights.update(read_safetensors(os.path.join(folder, shard)))
    return weights


def apply_adapter(weights, folder):
    with open(os.path.join(folder, "adapter_config.json")) as f:
        config = json.load(f)
    if config.get("peft_type", "LORA") != "LORA" or config.get("use_rslora") or config.get("use_dora"):
        sys.exit(f"{folder}: only plain LoRA adapters are supported")
    scale = config["lora_alpha"] / config["r"]
    tensors = read_safetensors(os.path.join(folder, "adapter_model.safetensors"))
    prefix = "base_model.model."
    for key, a in tensors.items():
        if not key.endswith(".lora_A.weight"):
            continue
        module = key[len(prefix):-len(".lora_A.weight")]
        b = tensors[f"{prefix}{module}.lora_B.weight"]
        weights[f"{module}.weight"] = weights[f"{module}.weight"] + scale * (b @ a)


class Reference:
    def __init__(self, folder, mutate=None, adapter=None):
        with open(os.path.join(folder, "config.json")) as f:
            config = json.load(f)
        self.family = config["model_type"]
        if self.family not in ("qwen3", "qwen2", "llama"):
            sys.exit(f"model_type {self.family} is not one the reference implements")
        self.mutate = mutate
        self.heads = config["num_attention_heads"]
        self.kv_heads = config.get("num_key_value_heads", self.heads)
        self.head_dim = config.get("head_dim") or config["hidden_size"] // self.heads
        self.layers = config["num_hidden_layers"]
        self.eps = config["rms_norm_eps"] * (100 if mutate == "norm-eps" else 1)
        self.qk_norm = self.family == "qwen3" and mutate != "no-qk-norm"
        self.bias = config.get("attention_bias", self.family == "qwen2")
        self.tied = config.get("tie_word_embeddings", False)
        self.weights = load_weights(folder)
        if adapter:
            apply_adapter(self.weights, adapter)
        self.used = set()

        # theta^(-2i/d) for i = 0 .. d/2-1
        index = torch.arange(0, self.head_dim // 2, dtype=torch.float64) + (1 if mutate == "rope-index" else 0)
        inverse = 1.0 / (config.get("rope_theta", 10000.0) ** (2 * index / self.head_dim))
        scaling = config.get("rope_scaling") or {}
        if (scaling.get("rope_type") or scaling.get("type")) == "llama3" and mutate != "no-rope-scaling":
            inverse = torch.tensor([llama3_scaled(float(x), scaling) for x in inverse], dtype=torch.float64)
        self.inverse_frequencies = inverse.float()

    def w(self, name):
        self.used.add(name)
        return self.weights[name]

    def norm(self, x, weight):
        return x * torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + self.eps) * weight

    def rotate(self, x, positions):
        angles = positions[:, None].float() * self.inverse_frequencies[None, :]
        angles = torch.cat([angles, angles], dim=-1)
        half = self.head_dim // 2
        rotated = torch.cat([-x[..., half:], x[..., :half]], dim=-1)
        return x * angles.cos() + rotated * angles.sin()

    def project(self, x, prefix, bias):
        out = x @ self.w(prefix + ".weight").T
        return out + self.w(prefix + ".bias") if bias else out

    def logits(self, ids, last_only=False, hidden=None):
        """hidden: a list that receives the residual stream after each decoder layer ([length, hidden size], before the final norm)."""
        length = len(ids)
        x = self.w("model.embed_tokens.weight")[torch.tensor(ids)]
        positions = torch.arange(length)
        causal = torch.full((length, length), float("-inf")).triu(1)
        group = self.heads // self.kv_heads
        for layer in range(self.layers):
            p = f"model.layers.{layer}."
            h = self.norm(x, self.w(p + "input_layernorm.weight"))
            q = self.project(h, p + "self_attn.q_proj", self.bias).view(length, self.heads, self.head_dim).transpose(0, 1)
            k = self.project(h, p + "self_attn.k_proj", self.bias).view(length, self.kv_heads, self.head_dim).transpose(0, 1)
            v = self.project(h, p + "self_attn.v_proj", self.bias).view(length, self.kv_heads, self.head_dim).transpose(0, 1)
            if self.family == "qwen3":
                q_norm, k_norm = self.w(p + "self_attn.q_norm.weight"), self.w(p + "self_attn.k_norm.weight")
                if self.qk_norm:
                    q, k = self.norm(q, q_norm), self.norm(k, k_norm)
            q, k = self.rotate(q, positions), self.rotate(k, positions)
            if self.mutate == "kv-tiled":
                k, v = k.repeat(group, 1, 1), v.repeat(group, 1, 1)
            else:
                # query head j reads key/value head j // group
                k, v = k.repeat_interleave(group, dim=0), v.repeat_interleave(group, dim=0)
            scores = q @ k.transpose(-1, -2) / math.sqrt(self.head_dim) + causal
            attended = (scores.softmax(-1) @ v).transpose(0, 1).reshape(length, self.heads * self.head_dim)
            x = x + attended @ self.w(p + "self_attn.o_proj.weight").T
            h = self.norm(x, self.w(p + "post_attention_layernorm.weight"))
            gate = torch.nn.functional.silu(h @ self.w(p + "mlp.gate_proj.weight").T)
            x = x + (gate * (h @ self.w(p + "mlp.up_proj.weight").T)) @ self.w(p + "mlp.down_proj.weight").T
            if hidden is not None:
                hidden.append(x.clone())
        x = self.norm(x[-1:] if last_only else x, self.w("model.norm.weight"))
        head = self.w("model.embed_tokens.weight") if self.tied else self.w("lm_head.weight")
        return x @ head.T


def llama3_scaled(inverse_frequency, scaling):
    """Llama 3.1's apply_scaling, one frequency at a time."""
    factor = scaling["factor"]
    low, high = scaling.get("low_freq_factor", 1.0), scaling.get("high_freq_factor", 4.0)
    original = scaling.get("original_max_position_embeddings", 8192)
    wavelength = 2 * math.pi / inverse_frequency
    if wavelength < original / high:
        return inverse_frequency
    if wavelength > original / low:
        return inverse_frequency / factor
    smooth = (original / wavelength - low) / (high - low)
    return (1 - smooth) * inverse_frequency / factor + smooth * inverse_frequency


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("--ids", required=True, help="comma-separated prompt token ids")
    parser.add_argument("--greedy", type=int, default=0, help="greedy continuation length")
    parser.add_argument("--rows", type=int, default=0, help="write the logits of the last N positions (0: all)")
    parser.add_argument("--adapter", help="a LoRA adapter folder in PEFT's layout")
    parser.add_argument("--mutate", choices=MUTATIONS)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--time", type=int, default=0, help="time the forward pass over --ids: best of N runs after one warm-up")
    parser.add_argument("--hidden", action="store_true", help="also write 'hidden.K': the residual stream after decoder layer K at every position")
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    ids = [int(t) for t in args.ids.split(",") if t.strip()]
    reference = Reference(args.model, args.mutate, args.adapter)
    hidden = [] if args.hidden else None
    with torch.no_grad():
        logits = reference.logits(ids, hidden=hidden)
        unused = sorted(set(reference.weights) - reference.used)
        if unused:
            sys.exit(f"the checkpoint holds tensors the {reference.family} definition does not use: {unused[:5]}")
        seconds = None
        if args.time > 0:
            reference.logits(ids)
            seconds = float("inf")
            for _ in range(args.time):
                started = time.perf_counter()
                reference.logits(ids)
                seconds = min(seconds, time.perf_counter() - started)
        sequence = list(ids)
        for _ in range(args.greedy):
            sequence.append(int(reference.logits(sequence, last_only=True)[-1].argmax()))
    rows = logits if args.rows <= 0 else logits[-args.rows:]
    tensors = {"logits": rows.numpy().astype(np.float32), "greedy": np.array(sequence[len(ids):], dtype=np.int64)}
    for layer, state in enumerate(hidden or []):
        tensors[f"hidden.{layer}"] = state.numpy().astype(np.float32)
    write_safetensors(args.out, tensors)
    print(json.dumps({"family": reference.family, "tokens": len(ids), "rows": int(rows.shape[0]), "vocab": int(rows.shape[1]),
                      "greedy": sequence[len(ids):], "torch": torch.__version__, "threads": torch.get_num_threads(), "seconds": seconds,
                      "blas": next((part.split("=")[1] for part in torch.__config__.show().replace(",", " ").split() if part.startswith("BLAS_INFO=")), "unknown")}))


if __name__ == "__main__":
    main()
