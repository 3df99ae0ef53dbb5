"""`--executor dask`: a 2-worker local cluster runs a 4-point smoke sweep and two studies at once with the
metrics of the local executor, survives a killed worker, isolates a failing point; the Slurm job script."""
import json, os, signal, subprocess, time
from pathlib import Path
import pytest
from conftest import ROOT, BIN
from test_cli import _nb
from maskrec.batch import point_key

STUDY = 'imvae'   # the cheapest study at the smoke profile (~15 s on one core; macd ~17 s, rec_baselines ~21 s)
DASK = ['--executor', 'dask', '--workers', '2', '--gpus', '']

def maskrec(*args, env=None, timeout=600):
    r = subprocess.run([str(BIN/'maskrec'), *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout + r.stderr

def metrics(run_dir) -> dict:
    "A run's metrics without its `bench` section (timings and memory, which differ from run to run)."
    m = json.loads((Path(run_dir)/'metrics.json').read_text()); m.pop('bench', None); return m

def only_run(base: Path) -> Path:
    runs = [d for d in base.iterdir() if (d/'manifest.json').exists()]
    assert len(runs) == 1, runs
    return runs[0]

@pytest.fixture(scope='module')
def local_runs(mirror, tmp_path_factory):
    "The reference: both studies and one sweep point with the local executor."
    out = tmp_path_factory.mktemp('local')
    rc, log = maskrec('run', STUDY, 'macd', '--outputs', str(out), '--no-report')
    assert rc == 0, log
    # where a run stands: stage lines and the study's own lines, not papermill's cell counter nor the kernel's TCP warning
    assert '  | ▶ stage ' in log and '  | [1/16] sasrec' in log and 'Executing:' not in log and 'without encryption' not in log, log
    rc, log = maskrec('sweep', STUDY, '--grid', 'seed=1', '--name', 'ref', '--outputs', str(out))
    assert rc == 0, log
    assert f'expected ~' in log and f'(the last successful smoke run, {only_run(out/STUDY).name})' in log, log   # time left from the run above
    return out

def test_two_studies_in_parallel_match_the_local_executor(local_runs, tmp_path):
    t0 = time.perf_counter()
    rc, log = maskrec('run', STUDY, 'macd', '--outputs', str(tmp_path), '--no-report', *DASK)
    assert rc == 0, log
    print(f'run {STUDY} macd on 2 dask workers: {time.perf_counter() - t0:.0f} s')
    assert 'dask: 2 worker(s)' in log and '[2 done · 0 running · 0 failed · 0 left]' in log, log
    assert f'[{STUDY}] | ▶ stage' in log and 'without encryption' not in log, log   # stage lines come back from the workers
    for s in (STUDY, 'macd'):
        assert metrics(only_run(tmp_path/s)) == metrics(only_run(local_runs/s)), s
    ms = [json.loads((only_run(tmp_path/s)/'manifest.json').read_text()) for s in (STUDY, 'macd')]
    assert max(m['started'] for m in ms) < min(m['finished'] for m in ms), ms   # they ran at the same time

def test_four_point_sweep_matches_the_local_executor(local_runs, tmp_path):
    t0 = time.perf_counter()
    rc, log = maskrec('sweep', STUDY, '--grid', 'seed=0,1,2,3', '--name', 's4', '--outputs', str(tmp_path), *DASK)
    assert rc == 0, log
    print(f'4-point {STUDY} sweep on 2 dask workers: {time.perf_counter() - t0:.0f} s')
    points = tmp_path/STUDY/'sweeps'/'s4'/'points'
    assert sorted(p.name for p in points.iterdir()) == sorted(point_key({'seed': i}) for i in range(4))
    assert metrics(points/point_key({'seed': 0})) == metrics(only_run(local_runs/STUDY))          # = `maskrec run` (seed 0)
    assert metrics(points/point_key({'seed': 1})) == metrics(local_runs/STUDY/'sweeps'/'ref'/'points'/point_key({'seed': 1}))
    assert metrics(points/point_key({'seed': 0})) != metrics(points/point_key({'seed': 1}))
    rows = (tmp_path/STUDY/'sweeps'/'s4'/'summary.csv').read_text().splitlines()
    assert len(rows) == 5 and all(',success,' in r for r in rows[1:]), rows

PARAMS = "x = 1\nnap = 0.0\nout_dir = None\nprofile = 'smoke'"
BODY = ("import time\nfrom maskrec.runner import StudyRun\nrun = StudyRun('tiny', out_dir, profile)\n"
        "with run.stage('nap'): time.sleep(nap)\nassert x != 3, 'x=3 fails on purpose'\nrun.metrics['y'] = x * x\nrun.finish()")

def _worker_of(run_dir: Path) -> int | None:
    "Pid of the Dask worker running the point in `run_dir` (the manifest's pid, or the parent of a kernel's)."
    import psutil
    try: pid = json.loads((run_dir/'manifest.json').read_text()).get('pid')
    except (FileNotFoundError, json.JSONDecodeError): return None
    if not pid or not psutil.pid_exists(pid): return None
    p = psutil.Process(pid)
    return p.parent().pid if 'ipykernel' in ' '.join(p.cmdline()) else pid

def test_killed_worker_and_failing_point(tmp_path):
    "A worker killed mid-run: its point runs again elsewhere; a failing point is recorded and the others finish; a rerun skips."
    _nb(tmp_path/'tiny.ipynb', PARAMS, BODY)
    (tmp_path/'studies.yml').write_text('tiny:\n  notebook: tiny.ipynb\n  profiles: {smoke: {}}\n')
    env = dict(os.environ, MASKREC_STUDIES=str(tmp_path/'studies.yml'), MASKREC_OUTPUTS=str(tmp_path/'out'))
    cmd = [str(BIN/'maskrec'), 'sweep', 'tiny', '--grid', 'x=1,2,3,4', '-p', 'nap=4.0', '--name', 'g', *DASK]
    sd = tmp_path/'out'/'tiny'/'sweeps'/'g'
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    victim, t0 = None, time.time()
    while victim is None and time.time() - t0 < 120 and proc.poll() is None:
        time.sleep(0.3)
        victim = _worker_of(sd/'points'/point_key({'x': 1}))
        if victim: m = json.loads((sd/'points'/point_key({'x': 1})/'manifest.json').read_text())
        if victim and m.get('status') != 'running': victim = None
    assert victim, 'the first point never started'
    os.kill(victim, signal.SIGKILL)
    log, _ = proc.communicate(timeout=300)
    assert proc.returncode == 1, log   # one point failed
    summary = {l.split(',')[0]: l.split(',')[1] for l in (sd/'summary.csv').read_text().splitlines()[1:]}
    assert summary == {'1': 'success', '2': 'success', '3': 'failed', '4': 'success'}, (summary, log)
    assert f"moved unfinished {point_key({'x': 1})}" in log and len(list((sd/'incomplete').iterdir())) == 1, log
    assert 'x=3 fails on purpose' in log and json.loads((sd/'points'/point_key({'x': 4})/'metrics.json').read_text()) == {'y': 16}
    stamps = {x: (sd/'points'/point_key({'x': x})/'manifest.json').stat().st_mtime_ns for x in (1, 2, 4)}
    r = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    for x, st in stamps.items():
        assert f"skip {point_key({'x': x})} (done)" in r.stdout and (sd/'points'/point_key({'x': x})/'manifest.json').stat().st_mtime_ns == st, r.stdout

def test_slurm_job_script():
    import dask
    from maskrec.executors import jobqueue_cluster
    with dask.config.set({'jobqueue.slurm.queue': 'gpu', 'jobqueue.slurm.account': 'mylab', 'jobqueue.slurm.memory': '32GB'}):
        c = jobqueue_cluster('slurm', root='/shared/maskrec', python='/shared/venv/bin/python', cores=8, walltime='02:00:00')
        try: script = c.job_script()
        finally: c.close()
    lines = script.splitlines()
    for want in ['#SBATCH -p gpu', '#SBATCH -A mylab', '#SBATCH --cpus-per-task=8', '#SBATCH --mem=30G', '#SBATCH -t 02:00:00',
                 '#SBATCH --gres=gpu:1', 'cd /shared/maskrec', 'export OMP_NUM_THREADS=8', 'export MKL_NUM_THREADS=8']:
        assert want in lines, (want, script)
    if os.environ.get('MASKREC_DATA_MIRROR'): assert f"export MASKREC_DATA_MIRROR={os.environ['MASKREC_DATA_MIRROR']}" in lines
    worker = lines[-1]
    assert worker.startswith('/shared/venv/bin/python -m distributed.cli.dask_worker tcp://') and '--resources run=1' in worker, worker

def test_local_workers_get_one_gpu_and_their_share_of_the_cores():
    from maskrec.executors import connect
    client, cluster = connect(2, gpus=['3', '5'], cpus=4)
    try: env = client.run(lambda: (os.environ.get('CUDA_VISIBLE_DEVICES'), os.environ.get('OMP_NUM_THREADS')))
    finally: client.close(); cluster.close()
    assert sorted(env.values()) == [('3', '2'), ('5', '2')], env
