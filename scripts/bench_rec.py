"""Training-epoch benchmarks of the recommenders' trainers, one thread; prints wall-clock and process CPU seconds.

    PYTHONPATH=lib python scripts/bench_rec.py sasrec   # SASRec CE (hidden 64, 2 layers, length 50, batch 256) on Beauty
    PYTHONPATH=lib python scripts/bench_rec.py imvae    # IM-VAE (clean config, batch 512) on cloth_sport, via fit_imvae
    PYTHONPATH=lib python scripts/bench_rec.py macd     # MACD over SASRec at the release's size (the macd study's bench cell)
    PYTHONPATH=lib python scripts/bench_rec.py rank     # all 22,363 Beauty test users ranked over all items, every metric
    PYTHONPATH=lib python scripts/bench_rec.py slmrec   # SLMRec inference: 8-layer teacher vs 2-layer student (the cpu profile's sizes)

Run the before/after versions back to back (point PYTHONPATH at each `lib/`): on a shared machine the CPU
seconds are the fairer figure."""
import sys
import numpy as np, torch

def sasrec():
    from maskrec.rec.data import load_sr, sr_instances
    from maskrec.rec.models import SASRec
    from maskrec.rec.train import fit
    beauty = load_sr('Beauty'); tr = sr_instances(beauty.train, 50, 'last')
    torch.manual_seed(0)
    m = SASRec(beauty.n_items, 64, max_len=50, n_layers=2, heads=2, dropout=0.5)
    return fit(m, tr, None, epochs=1, batch_size=256, lr=1e-3, progress=False).history[0]

def imvae():
    "One epoch of `fit_imvae` on cloth_sport (random pseudo columns, as nbs/studies/imvae_bench.py)."
    from maskrec.rec.data import load_cdsr, cdsr_instances, fixed_negatives, negative_pool
    from maskrec.rec.imvae import IMVAE, IMVAEConfig, imvae_instances, TrainNegatives, fit_imvae
    d = load_cdsr('cloth_sport'); rng = np.random.default_rng(0)
    fake = lambda n: dict(corr_d1=rng.integers(0, d.n_items, (n, 20)), corr_d2=rng.integers(0, d.n_items, (n, 20)))
    tr = imvae_instances(cdsr_instances(d.train, d.n_items, 20, tau=d.tau['train']), fake(len(d.train)), d.n_items)
    va = imvae_instances(cdsr_instances(d.valid, d.n_items, 20, tau=d.tau['valid']), fake(len(d.valid)), d.n_items)
    own = [a if k == 0 else b for a, b, k in zip(d.train.seq_d1, d.train.seq_d2, d.train.domain_id)]
    negs = TrainNegatives(tr['domain'], own, [negative_pool(d.train, 0), negative_pool(d.train, 1)])
    torch.manual_seed(0); m = IMVAE(d.n_items, IMVAEConfig())
    vc = fixed_negatives(d.valid, 99)[:len(va['target'])]
    return fit_imvae(m, tr, va, vc, negs, epochs=1, batch_size=512, progress=False, device='cpu').history[0]

def macd():
    "One epoch of `fit_macd` on the whole phone_elec training file, dim 128, 8 heads (as the macd study's `bench`)."
    from maskrec.core import seed_everything
    from maskrec.data import dataset_path
    from maskrec.rec.macd import macd_instances, domain_pools, sample_negatives, MACD, fit_macd, AUX_COLS
    try:                                   # the one reader and the registry (after #26)
        from maskrec.rec.data import read_cdsr_csv; from maskrec.rec.registry import backbone_factory
        read = lambda p: read_cdsr_csv(p, require=AUX_COLS); encoder = lambda: backbone_factory('sasrec_encoder', heads=8, dropout=0.5)
    except ImportError:                    # before: macd's own reader and backbone helper
        from maskrec.rec.macd import read_aux_csv as read, get_backbone
        encoder = lambda: get_backbone('sasrec', 'local', heads=8, dropout=0.5)
    root = dataset_path('amazon-cdsr-aux')
    train_all = read(root/'phone_elec_train25.csv'); test_df = read(root/'phone_elec_test_csu.csv')
    n_items = 1 + max(max(max(v) for v in d[c] if len(v)) for d in (train_all, test_df) for c in AUX_COLS)
    seed_everything(0)
    btr, bte = macd_instances(train_all, n_items, 60, 100), macd_instances(test_df, n_items, 60, 100)
    bc = np.concatenate([bte['target'][:, None], sample_negatives(test_df, domain_pools(test_df), 199, n_items, seed=0)], 1)
    bm = MACD(encoder(), n_items, dim=128, max_len=60, aux_len=100, heads=8,
              cl_weight=1.0, scorer='mlp')
    return fit_macd(bm, train_all, btr, bte, bc, epochs=1, batch_size=256, lr=5e-4, seed=0, progress=False).history[0]

def rank():
    "All Beauty test users scored against all items (random 64-d vectors) and every metric computed; best of 3 (21_rec.metrics)."
    import time
    from maskrec.rec.data import load_sr, sr_eval_instances
    from maskrec.rec.metrics import evaluate, metric_table, SR_KS
    b = load_sr('Beauty'); ev = sr_eval_instances(b, 'test')
    g = torch.Generator().manual_seed(0)
    U, V = torch.randn(22363, 64, generator=g), torch.randn(12102, 64, generator=g)
    inst = dict(user=np.arange(22363), target=b.test[1], history=ev['history'])
    wall = cpu = float('inf')
    for _ in range(3):
        t0, c0 = time.perf_counter(), time.process_time()
        metric_table(evaluate(lambda batch, c: U[batch['user']] @ V.T, inst, pad_id=0), **SR_KS)
        wall, cpu = min(wall, time.perf_counter() - t0), min(cpu, time.process_time() - c0)
    return dict(train_seconds=wall, train_cpu_seconds=cpu)

def slmrec():
    "Seconds per 1,000 users, teacher (8 layers) and student (2 layers), hidden 64, 2 heads, length 20, 1,024 users (the cpu profile)."
    from maskrec.rec.slmrec import make_lmrec, time_inference
    g = torch.Generator().manual_seed(0)
    E = torch.randn(12101, 64, generator=g) * 0.1; E[0] = 0
    seq = torch.randint(1, 12101, (1024, 20), generator=g).numpy(); seq[::3, :10] = 0    # some left padding
    t, s = make_lmrec(E, 'llama-random', 8, 64, 2), make_lmrec(E, 'llama-random', 2, 64, 2)
    out = {}
    with torch.no_grad():
        for part in ('scores', 'states'):
            r = time_inference({'teacher': t, 'student': s}, seq, 256, 5, torch.device('cpu'), part=part)
            out[part] = (r['teacher'], r['student'], r['teacher'] / r['student'])
    return out

if __name__ == '__main__':
    torch.set_num_threads(1)
    what = sys.argv[1] if len(sys.argv) > 1 else 'sasrec'
    if what == 'slmrec':                     # timings per model, not one epoch
        for part, (t, s, x) in slmrec().items():
            print(f"slmrec inference ({'end to end' if part == 'scores' else 'backbone'}): teacher {t:.3f} s, student {s:.3f} s per 1,000 users, speed-up {x:.2f}x", flush=True)
        sys.exit(0)
    h = dict(sasrec=sasrec, imvae=imvae, macd=macd, rank=rank)[what]()
    wall, cpu = (h[k] if k in h else h[s] for k, s in (('train_seconds', 'train_s'), ('train_cpu_seconds', 'train_cpu_s')))
    print(f"{what} {'ranking' if what == 'rank' else 'epoch'}: {wall:.2f} s wall, {cpu:.2f} s CPU", flush=True)    # (train_s: the loops before the one trainer)
