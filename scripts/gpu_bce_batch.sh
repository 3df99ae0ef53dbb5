#!/bin/bash
# Device check for issue 3 (session 9): BCE SASRec's batch size under the cpu profile's recipe (lr 2e-3, halved after a
# validation without a new best, validation every 5 epochs, patience 4), one process per (dataset, batch, seed), all at
# once on one GPU, each fit's training capped at BUDGET minutes and the epochs at EPOCHS (early stopping decides first).
# Runs FITS, words `dataset:batch:seed`. Needs what scripts/gpu_check.sh needs (.gpu/mirror, .whl). Results in $OUT/results.txt.
# Session 9 (H200, `BUDGET=6.5 SECS=470`, the 9 default fits, 1 thread each, 421 s): test NDCG@10 (best valid, best/run epochs)
#   Sports 256: 0.01768 (0.0227, 95/97 cap), 0.01786 (0.0213, 98/98 cap), 0.01665 (0.0210, 90/97 cap); 3.9 s/epoch
#   Sports 512: 0.01735 (0.0222, 100/120), 0.01760 (0.0226, 120/140), 0.01821 (0.0224, 125/145) early-stopped; 2.2 s/epoch
#   Beauty 512: 0.03289 (0.0432, 225/245), 0.02970 (0.0410, 80/100), 0.03244 (0.0428, 110/130); 1.3-1.5 s/epoch
source scripts/gpu_setup.sh
BUDGET=${BUDGET:-7.0}; SECS=${SECS:-500}; EPOCHS=${EPOCHS:-300}; THREADS=${THREADS:-1}
FITS=${FITS:-"Sports_and_Outdoors:256:0 Sports_and_Outdoors:256:1 Sports_and_Outdoors:256:2 Sports_and_Outdoors:512:0 Sports_and_Outdoors:512:1 Sports_and_Outdoors:512:2 Beauty:512:0 Beauty:512:1 Beauty:512:2"}
$PY -c "from maskrec.cli import main; import sys; sys.exit(main())" data fetch amazon-sr > $OUT/fetch.log 2>&1   # once, before the parallel runs
for f in $FITS; do
  IFS=: read ds bs seed <<< "$f"; name=${ds:0:6}_b${bs}_s$seed
  MASKREC_OUTPUTS=/tmp/mo/$name timeout $SECS $PY -c "from maskrec.cli import main; import sys; sys.exit(main())" run rec_baselines \
    --profile cpu --no-report -p "sr_datasets=['$ds']" -p "sr_models=['sasrec_bce']" -p "sr_extra_datasets=[]" -p "cd_datasets=[]" \
    -p threads=$THREADS -p device=cuda -p budget_minutes=$BUDGET -p "budget_weights={'$ds/sasrec_bce': 1.0}" -p slow_epochs=$EPOCHS \
    -p seed=$seed -p bce_batch_size=$bs > $OUT/$name.log 2>&1 &
done
wait
for d in /tmp/mo/*/rec_baselines/*/; do echo "== $d"; tail -n +2 $d/tables/single_domain.csv | cut -d, -f1-6; tail -n +2 $d/tables/single_domain_cost.csv; $PY -c "import json,re,sys;nb=json.load(open(sys.argv[1]));v=[(float(m.group(2)),int(m.group(1))) for c in nb['cells'] for o in c.get('outputs',[]) for m in re.finditer(r\"'epoch': (\\d+),[^}]*'valid_NDCG@10': ([0-9.]+)\",''.join(o.get('text','')))];print('best valid',max(v) if v else None,'checks',len(v))" $d/notebook.ipynb; done > $OUT/results.txt 2>&1
(cd /tmp/mo && tar czf $OUT/runs.tgz --exclude='*.pt' --exclude='*.ckpt' .)
cat $OUT/results.txt; tail -n 2 $OUT/*.log
