#!/bin/bash
# Device check for issue 3 (session 8, H100): Sports BCE SASRec in the S3-Rec paper's regime (constant lr 1e-3, up to
# 400 epochs, validation every 5, patience 5) and, with RECIPE=1 (default), the cpu profile's recipe (lr 2e-3 halved
# after each validation without a new best) with no epoch cap; seeds SEEDS as parallel processes on one GPU; each fit's
# training capped at BUDGET minutes so the call ends in time. Needs what scripts/gpu_check.sh needs (.gpu/mirror, .whl).
# Session 8: `BUDGET=4.0 SECS=330` (6 fits, cap reached at 60-63 epochs), then `RECIPE=0 THREADS=4 BUDGET=5.5 SECS=420`
# (3 fits, early-stopped at 110-117 epochs: test NDCG@10 0.01651 / 0.01646 / 0.01710). Results in $OUT/results.txt.
source scripts/gpu_setup.sh
PROFILE=${PROFILE:-paper}; BUDGET=${BUDGET:-4.5}; SECS=${SECS:-330}; SEEDS=${SEEDS:-0 1 2}; EXTRA=${EXTRA:-}
# data build once, so the parallel runs do not race on it
$PY -c "from maskrec.cli import main; import sys; sys.exit(main())" data fetch amazon-sr > $OUT/fetch.log 2>&1
common="-p sr_datasets=['Sports_and_Outdoors'] -p sr_models=['sasrec_bce'] -p sr_extra_datasets=[] -p cd_datasets=[] -p overlap_ratios=[] -p init_std=0.02 -p threads=${THREADS:-2} -p budget_minutes=$BUDGET -p budget_weights={'Sports_and_Outdoors/sasrec_bce':1.0} $EXTRA"
for seed in $SEEDS; do
  MASKREC_OUTPUTS=/tmp/mo/paper$seed timeout $SECS $PY -c "from maskrec.cli import main; import sys; sys.exit(main())" run rec_baselines --profile $PROFILE --no-report $common -p seed=$seed -p bce_lr=0.001 -p slow_lr_decay=1.0 -p slow_epochs=400 -p patience=5 > $OUT/paper$seed.log 2>&1 &
  [ "${RECIPE:-1}" = 1 ] && MASKREC_OUTPUTS=/tmp/mo/recipe$seed timeout $SECS $PY -c "from maskrec.cli import main; import sys; sys.exit(main())" run rec_baselines --profile $PROFILE --no-report $common -p seed=$seed -p bce_lr=0.002 -p slow_lr_decay=0.5 -p slow_epochs=400 -p patience=4 > $OUT/recipe$seed.log 2>&1 &
done
wait
for d in /tmp/mo/*/rec_baselines/*/; do echo "== $d"; tail -n +2 $d/tables/single_domain.csv | cut -d, -f1-6; tail -n +2 $d/tables/single_domain_cost.csv; grep -o '"device": *"[^"]*"' $d/manifest.json; $PY -c "import json,re,sys;nb=json.load(open(sys.argv[1]));v=[(float(m.group(2)),int(m.group(1))) for c in nb['cells'] for o in c.get('outputs',[]) for m in re.finditer(r\"'epoch': (\\d+),[^}]*'valid_NDCG@10': ([0-9.]+)\",''.join(o.get('text','')))];print('best valid',max(v) if v else None,'checks',len(v))" $d/notebook.ipynb; done > $OUT/results.txt 2>&1
(cd /tmp/mo && tar czf $OUT/runs.tgz --exclude='*.pt' --exclude='*.ckpt' --exclude='*.ipynb' .)
cat $OUT/results.txt; tail -n 3 $OUT/*.log
