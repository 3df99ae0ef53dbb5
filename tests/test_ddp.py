"""Data-parallel training is correct: two CPU processes (gloo, started by torchrun) train SASRec and SLMRec's LM
recommender a few steps through `Trainer`; after every step both ranks hold identical parameters, equal (to
floating-point tolerance) to one process trained on the same global batches (`tests/ddp_worker.py`)."""
import os, subprocess, sys
import pytest, torch
from conftest import ROOT

WORKER = ROOT/'tests'/'ddp_worker.py'
RUNS = ('sasrec', 'sasrec_micro', 'lmrec')

def _run(cmd, tmp_path, name):
    env = {**os.environ, 'PYTHONPATH': os.pathsep.join([str(ROOT/'lib'), os.environ.get('PYTHONPATH', '')]),
           'OMP_NUM_THREADS': '1', 'MKL_NUM_THREADS': '1'}
    for k in ('RANK', 'WORLD_SIZE', 'LOCAL_RANK', 'MASTER_ADDR', 'MASTER_PORT'): env.pop(k, None)
    p = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=240, cwd=tmp_path)
    assert p.returncode == 0, f'{name} failed ({p.returncode}):\n{p.stdout[-3000:]}\n{p.stderr[-5000:]}'

@pytest.fixture(scope='module')
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp('ddp')
    _run([sys.executable, str(WORKER), str(tmp/'one')], tmp, 'one process')
    _run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2', str(WORKER), str(tmp/'two')],
         tmp, 'torchrun, 2 processes')
    load = lambda p: torch.load(p, weights_only=True)
    return {n: (load(tmp/'one'/f'{n}_rank0.pt'), load(tmp/'two'/f'{n}_rank0.pt'), load(tmp/'two'/f'{n}_rank1.pt')) for n in RUNS}

@pytest.mark.parametrize('name', RUNS)
def test_ranks_identical_and_equal_to_one_process(runs, name):
    one, r0, r1 = runs[name]
    assert (one['world'], r0['world'], r1['world']) == (1, 2, 2)
    assert len(one['snaps']) == len(r0['snaps']) == len(r1['snaps']) == 3          # 3 updates each
    for step, (a, b, c) in enumerate(zip(r0['snaps'], r1['snaps'], one['snaps']), 1):
        assert torch.equal(a, b), f'{name}: ranks differ after step {step} by {(a - b).abs().max():.3g}'
        torch.testing.assert_close(a, c, rtol=1e-4, atol=1e-5, msg=lambda m: f'{name}, step {step}: 2 processes vs 1: {m}')
    assert abs(r0['loss'] - one['loss']) < 1e-4 and r0['loss'] == r1['loss']          # the epoch loss is reduced over ranks
