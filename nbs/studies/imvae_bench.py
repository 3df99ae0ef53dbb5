"""Cost of one IM-VAE epoch on a full pair, one torch thread: ours (clean) vs our model run with the release's
computation pattern (all quirk flags on: no padding mask so no trimming, both domains for every row).
Usage: python imvae_bench.py [pair] [clean|released] [released_batches] [micro_batch, 0 = whole batch]. Prints one JSON line.
Wall and CPU seconds are both given: on a shared box CPU seconds are the fairer figure.
The speed bar compares `clean` with the release itself run on the same machine (see the imvae study's Cost section:
the release's code is not part of this repository; time it with one thread, num_workers=0, `.cuda()` made a no-op,
random pseudo columns for its unshipped `<pair>_train_updated.csv`, and a tuple for its loader's `random.sample(set)`)."""
import json, sys, time
import numpy as np, torch
torch.set_num_threads(1)
from maskrec.core import peak_rss_mb, seed_everything
from maskrec.rec.data import load_cdsr, cdsr_instances, fixed_negatives, negative_pool
from maskrec.rec.train import LeanAdam
from maskrec.rec.imvae import IMVAE, IMVAEConfig, imvae_instances, TrainNegatives, bucket_keys, imvae_ranks, _tensors
from maskrec.rec.data import length_batches
pair = sys.argv[1] if len(sys.argv) > 1 else 'cloth_sport'
mode = sys.argv[2] if len(sys.argv) > 2 else 'clean'
nb_rel = int(sys.argv[3]) if len(sys.argv) > 3 else 8
rss0 = peak_rss_mb()
seed_everything(0)
d = load_cdsr(pair)
rng = np.random.default_rng(0)
fake = lambda n: dict(corr_d1=rng.integers(0, d.n_items, (n, 20)), corr_d2=rng.integers(0, d.n_items, (n, 20)))
tr = imvae_instances(cdsr_instances(d.train, d.n_items, 20, tau=d.tau['train']), fake(len(d.train)), d.n_items)
te = imvae_instances(cdsr_instances(d.test, d.n_items, 20, tau=d.tau['test']), fake(len(d.test)), d.n_items)
own = [a if k == 0 else b for a, b, k in zip(d.train.seq_d1, d.train.seq_d2, d.train.domain_id)]
negs = TrainNegatives(tr['domain'], own, [negative_pool(d.train, 0), negative_pool(d.train, 1)])
tc = fixed_negatives(d.test, 999)
cfg = IMVAEConfig() if mode == 'clean' else IMVAEConfig.released()
m = IMVAE(d.n_items, cfg); opt = LeanAdam(m.parameters(), lr=8e-4)   # as fit_imvae
T = _tensors(tr); T['neg'] = torch.from_numpy(negs(rng)); N = len(T['target'])
bl = length_batches(bucket_keys(tr), 512, rng) if mode == 'clean' else np.array_split(rng.permutation(N), int(np.ceil(N / 512)))
n_all = len(bl); bl = bl if mode == 'clean' else bl[:nb_rel]
mb_arg = int(sys.argv[4]) if len(sys.argv) > 4 else 64
mb = (mb_arg or None) if mode == 'clean' else None
m.train(); w0, c0 = time.perf_counter(), time.process_time()
for idx in bl:
    idx = torch.from_numpy(np.asarray(idx)); opt.zero_grad()
    for j in range(0, len(idx), mb or len(idx)):
        sub = idx[j:j + (mb or len(idx))]
        (m.loss({k: v[sub] for k, v in T.items()}) * len(sub) / len(idx)).backward()
    opt.step()
scale = n_all / len(bl)
tw, tcpu = (time.perf_counter() - w0) * scale, (time.process_time() - c0) * scale
w1, c1 = time.perf_counter(), time.process_time(); imvae_ranks(m, te, tc)
ew, ec = time.perf_counter() - w1, time.process_time() - c1
print(json.dumps(dict(pair=pair, mode=mode, micro_batch=mb, batches_timed=len(bl), batches_per_epoch=n_all, train_rows=N,
                      train_wall_s_per_epoch=round(tw, 1), train_cpu_s_per_epoch=round(tcpu, 1),
                      eval_wall_s=round(ew, 1), eval_cpu_s=round(ec, 1), test_rows=len(te['target']),
                      peak_rss_mb=round(peak_rss_mb(), 0), rss_after_import_mb=round(rss0, 0),
                      compiler_stack_imported="torch._dynamo" in sys.modules or "sympy" in sys.modules)))
