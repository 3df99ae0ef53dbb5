"""One training epoch of SASRec (CE, hidden 64, 2 layers, length 50, batch 256) on Beauty, one thread: the speed bar
of `rec.train.fit` (notebook 23's slow cell). Prints wall-clock and process CPU seconds of the epoch.

    PYTHONPATH=lib python scripts/bench_rec.py [repeats]

Run the before/after versions back to back (point PYTHONPATH at each `lib/`): the machine may be shared."""
import sys, time
import torch

def main(repeats: int = 1):
    torch.set_num_threads(1)
    from maskrec.rec.data import load_sr, sr_instances
    from maskrec.rec.models import SASRec
    from maskrec.rec.train import fit
    beauty = load_sr('Beauty'); tr = sr_instances(beauty.train, 50, 'last')
    for _ in range(repeats):
        torch.manual_seed(0)
        m = SASRec(beauty.n_items, 64, max_len=50, n_layers=2, heads=2, dropout=0.5)
        r = fit(m, tr, None, epochs=1, batch_size=256, lr=1e-3, progress=False)
        h = r.history[0]
        print(f"SASRec CE Beauty epoch: {h['train_seconds']:.2f} s wall, {h['train_cpu_seconds']:.2f} s CPU, loss {h['loss']:.4f}", flush=True)

if __name__ == '__main__': main(int(sys.argv[1]) if len(sys.argv) > 1 else 1)
