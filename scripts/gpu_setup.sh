# Sourced by the device-check scripts (gpu_sports_bce.sh, gpu_bce_batch.sh) from the repository root on the GPU machine:
# papermill's stack from the carried .whl when the image lacks it, the library on PYTHONPATH, the offline dataset
# mirror, and the machine's description in $OUT/env.txt.
set -u; PY=${PY:-python3}; OUT=${OUT:-/tmp/out}; mkdir -p $OUT
if [ -d .whl ] && ! $PY -c "import papermill" 2>/dev/null; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 3
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=$PWD/lib${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
export MASKREC_DATA_MIRROR=${MASKREC_DATA_MIRROR:-$PWD/.gpu/mirror} MASKREC_OFFLINE=1 MASKREC_DATA_DIR=/tmp/mdata
(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv; $PY -c "import torch,sys;print(sys.version, torch.__version__, torch.cuda.is_available())") > $OUT/env.txt 2>&1
