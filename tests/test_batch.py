"""Sweeps survive an interruption; assignments generate, and grade full (reference) and zero (stubs)."""
import json, os, signal, subprocess, time
from pathlib import Path
import pytest
from conftest import ROOT, BIN
from test_cli import _nb

PARAMS = "lr = 0.1\nepochs = 1\nnap = 0.0\nseed = 0\nout_dir = None\nprofile = 'smoke'"
BODY = ("import time\nfrom maskrec.runner import StudyRun\nrun = StudyRun('tiny', out_dir, profile)\n"
        "time.sleep(nap)\nrun.metrics['loss'] = 1 / (lr * epochs)\nrun.finish()")

def test_sweep_resumes_after_interruption(tmp_path):
    _nb(tmp_path/'tiny.ipynb', PARAMS, BODY)
    (tmp_path/'studies.yml').write_text('tiny:\n  notebook: tiny.ipynb\n  profiles: {smoke: {}}\n')
    env = dict(os.environ, MASKREC_STUDIES=str(tmp_path/'studies.yml'), MASKREC_OUTPUTS=str(tmp_path/'out'))
    cmd = [str(BIN/'maskrec'), 'sweep', 'tiny', '--profile', 'smoke', '--grid', 'lr=0.1,0.2', '--grid', 'epochs=1,2',
           '-p', 'nap=1.0', '--name', 'grid4']
    sd = tmp_path/'out'/'tiny'/'sweeps'/'grid4'
    # a point's folder appears before its manifest: only folders with one count
    done = lambda: [p for p in (sd/'points').glob('*') if (p/'manifest.json').exists()
                    and json.loads((p/'manifest.json').read_text()).get('status') == 'success'] \
        if (sd/'points').exists() else []
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, start_new_session=True)
    t0 = time.time()
    while not done() and time.time() - t0 < 300: time.sleep(0.5)
    os.killpg(proc.pid, signal.SIGKILL); proc.wait()
    first = done()
    assert 1 <= len(first) < 4, 'the sweep should have been interrupted after its first point'
    stamps = {p.name: (p/'manifest.json').stat().st_mtime_ns for p in first}
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    assert len(done()) == 4
    for name, st in stamps.items():
        assert f'skip {name} (done)' in r.stdout and (sd/'points'/name/'manifest.json').stat().st_mtime_ns == st
    summary = (sd/'summary.csv').read_text().splitlines()
    assert len(summary) == 5 and summary[0].startswith('lr,epochs,status') and (sd/'summary.png').exists()

def test_seed_sweep_cli_reports_mean_and_std(tmp_path):
    _nb(tmp_path/'tiny.ipynb', PARAMS, BODY.replace("1 / (lr * epochs)", "1 / (lr * epochs) + seed"))
    (tmp_path/'studies.yml').write_text('tiny:\n  notebook: tiny.ipynb\n  profiles: {smoke: {}}\n')
    env = dict(os.environ, MASKREC_STUDIES=str(tmp_path/'studies.yml'), MASKREC_OUTPUTS=str(tmp_path/'out'))
    r = subprocess.run([str(BIN/'maskrec'), 'sweep', 'tiny', '--grid', 'seed=0,2', '--name', 'seeds'], cwd=ROOT, env=env,
                       capture_output=True, text=True, timeout=600)
    assert r.returncode == 0, r.stdout + r.stderr
    sd = tmp_path/'out'/'tiny'/'sweeps'/'seeds'
    assert f"mean ± std over seeds: {sd/'seeds.md'}" in r.stdout
    row = [l for l in (sd/'seeds.csv').read_text().splitlines() if l.startswith('loss,')]
    assert row == ['loss,2,11.0,1.4142135623730951,10.0,12.0'], row
