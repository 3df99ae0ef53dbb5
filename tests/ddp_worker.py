"""A few optimizer steps of SASRec and of SLMRec's LM recommender (a small random Llama) through
`maskrec.rec.train.Trainer`, recording the trainable parameters after every step; each process writes
`OUT/<run>_rank<r>.pt`. One process: `python tests/ddp_worker.py OUT`; several (DDP, gloo on CPU):
`torchrun --standalone --nproc_per_node 2 tests/ddp_worker.py OUT` (or `accelerate launch --num_processes 2 ...`).
`tests/test_ddp.py` compares the ranks with each other and with one process on the same global batches."""
import sys
from pathlib import Path
import numpy as np, torch
from maskrec.rec.train import Trainer, TrainConfig, default_batches
from maskrec.rec.models import SASRec
from maskrec.rec.slmrec import make_lmrec

class Snapshots:
    "A 'scheduler' for the trainer's `make_scheduler` hook: stepped after every update, it records the parameters."
    def __init__(self, opt): self.params, self.snaps = [p for g in opt.param_groups for p in g['params']], []
    def step(self): self.snaps.append(torch.cat([p.detach().flatten() for p in self.params]).clone())

def data(n=64, L=6, V=30, seed=0) -> dict:
    "Full-length rows (no padding): every row has as many targets, so a shard's mean loss weighs like one process's."
    rng = np.random.default_rng(seed)
    return dict(seq=rng.integers(1, V, (n, L)), target=rng.integers(1, V, n))

def run(name: str, model, out: Path, micro_batches: int = 1):
    cfg = TrainConfig(epochs=1, batch_size=16, lr=0.1, grad_clip=0.5, max_batches=3, amp=False, patience=None,
                      micro_batches=micro_batches, seed=0)
    rec = {}
    # SGD with momentum: Adam divides by sqrt(v), which magnifies float noise in near-zero gradients into visible steps
    sgd = lambda params, c: torch.optim.SGD(params, lr=c.lr, momentum=0.9)
    tr = Trainer(cfg, default_batches(data(), cfg, bucket=0), make_optimizer=sgd,
                 make_scheduler=lambda opt: rec.setdefault('s', Snapshots(opt)))
    res = tr.fit(model, 'cpu')
    torch.save(dict(snaps=rec['s'].snaps, world=res.n_processes, loss=res.history[0]['loss']), out/f'{name}_rank{tr.rank}.pt')

if __name__ == '__main__':
    out = Path(sys.argv[1]); out.mkdir(parents=True, exist_ok=True)
    torch.set_num_threads(1)
    for name, mb in (('sasrec', 1), ('sasrec_micro', 2)):
        torch.manual_seed(0)
        run(name, SASRec(30, dim=16, max_len=6, n_layers=1, heads=1, dropout=0.0), out, mb)
    torch.manual_seed(0); E0 = torch.randn(30, 16)
    run('lmrec', make_lmrec(E0, 'llama-random', 2, 32, 2, prompt='short'), out)
