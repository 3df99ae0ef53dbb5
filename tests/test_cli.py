"""The `maskrec` console script end to end: a tiny study at the smoke profile, failures, errors, the registry."""
import json, os, subprocess, shutil
from pathlib import Path
import pytest
from conftest import ROOT, BIN

TINY = {
    'params': "epochs = 1\nlr = 0.1\nfail = False\nseed = 0\nout_dir = None\nprofile = 'smoke'",
    'body': ("from maskrec.runner import StudyRun\nimport pandas as pd\n"
             "run = StudyRun('tiny', out_dir, profile, params=dict(epochs=epochs, lr=lr), title='Tiny study')\n"
             "with run.stage('work'):\n    assert not fail, 'asked to fail'\n    run.metrics['score'] = epochs * lr\n"
             "run.table('scores', pd.DataFrame(dict(epochs=[epochs], score=[epochs * lr])), caption='Scores')\n"
             "run.finish()"),
}

def _nb(path, params, body):
    cells = [dict(cell_type='code', metadata={'tags': ['parameters']}, execution_count=None, outputs=[], source=params),
             dict(cell_type='code', metadata={}, execution_count=None, outputs=[], source=body)]
    path.write_text(json.dumps(dict(cells=cells, nbformat=4, nbformat_minor=5,
                                    metadata=dict(kernelspec=dict(name='python3', language='python', display_name='python3')))))

@pytest.fixture
def env(tmp_path):
    _nb(tmp_path/'tiny.ipynb', TINY['params'], TINY['body'])
    _nb(tmp_path/'other.ipynb', TINY['params'], TINY['body'].replace("'tiny'", "'other'"))
    (tmp_path/'studies.yml').write_text(
        "tiny:\n  notebook: tiny.ipynb\n  title: Tiny study\n  profiles:\n    smoke: {}\n    cpu: {epochs: 3}\n"
        "other:\n  notebook: other.ipynb\n  profiles:\n    smoke: {fail: true}\n")
    e = dict(os.environ, MASKREC_STUDIES=str(tmp_path/'studies.yml'), MASKREC_OUTPUTS=str(tmp_path/'out'),
             MASKREC_DATA_DIR=str(tmp_path/'data'))
    return tmp_path, e

def cli(e, *args):
    r = subprocess.run([str(BIN/'maskrec'), *args], cwd=ROOT, env=e, capture_output=True, text=True, timeout=600)
    return r.returncode, r.stdout + r.stderr

def test_run_writes_a_complete_run_folder(env):
    tmp, e = env
    rc, out = cli(e, 'run', 'tiny', '--profile', 'cpu', '-p', 'lr=0.5')
    assert rc == 0, out
    (run,) = (tmp/'out'/'tiny').iterdir()
    assert {'notebook.ipynb', 'manifest.json', 'metrics.json', 'summary.md', 'tables'} <= {p.name for p in run.iterdir()}
    m = json.loads((run/'manifest.json').read_text())
    assert m['study'] == 'tiny' and m['profile'] == 'cpu' and m['status'] == 'success'
    assert m['params']['epochs'] == 3 and m['params']['lr'] == 0.5
    assert set(m['git']) == {'commit', 'dirty'} and m['versions']['torch'] and m['device'] == 'cpu'
    assert 'work' in m['stages'] and m['wall_s'] is not None
    assert json.loads((run/'metrics.json').read_text()) == {'score': 1.5}
    assert (run/'tables'/'scores.csv').exists() and (run/'tables'/'scores.md').exists()
    report = (tmp/'out'/'REPORT.md').read_text()
    assert 'Tiny study' in report and run.name in report and '|   epochs |' in report

def test_runs_are_never_overwritten(env):
    tmp, e = env
    for _ in range(2): assert cli(e, 'run', 'tiny')[0] == 0
    assert len(list((tmp/'out'/'tiny').iterdir())) == 2

def test_failed_study_is_kept_and_the_batch_continues(env):
    tmp, e = env
    rc, out = cli(e, 'run', 'all', '--profile', 'smoke')
    assert rc == 1 and 'failed: other' in out
    (bad,) = (tmp/'out'/'other').iterdir()
    m = json.loads((bad/'manifest.json').read_text())
    assert m['status'] == 'failed' and 'asked to fail' in m['error']
    assert (bad/'notebook.ipynb').exists() and (bad/'error.txt').exists()
    assert json.loads(next((tmp/'out'/'tiny').iterdir()).joinpath('manifest.json').read_text())['status'] == 'success'
    report = (tmp/'out'/'REPORT.md').read_text()
    assert 'Tiny study' in report and 'No successful run yet' in report

@pytest.mark.parametrize('args,msg', [
    (('run', 'nope'), 'unknown study'),
    (('run', 'tiny', '--profile', 'gpu'), 'profiles: smoke, cpu, paper'),
    (('run', 'tiny', '-p', 'epoch=2'), 'valid parameters: epochs, fail, lr, seed'),
    (('run', 'tiny', '-p', 'epochs=many'), 'expects int'),
    (('run', 'tiny', '-p', 'epochs'), 'key=value'),
    (('data', 'fetch', 'no-such'), 'registered datasets: '),
])
def test_bad_requests_give_clear_errors(env, args, msg):
    tmp, e = env
    rc, out = cli(e, *args)
    assert rc == 2 and msg in out, out
    assert not (tmp/'out').exists() or not any((tmp/'out').rglob('manifest.json'))

def test_fetch_offline_without_mirror_names_source_and_mirror(env):
    tmp, e = env
    e = {k: v for k, v in e.items() if k != 'MASKREC_DATA_MIRROR'} | {'MASKREC_OFFLINE': '1'}
    rc, out = cli(e, 'data', 'fetch', 'amazon-sr')
    assert rc == 2 and 'raw.githubusercontent.com/RUCAIBox' in out and 'MASKREC_DATA_MIRROR' in out and '--mirror' in out
    assert not any(p.is_file() and not p.name.startswith('.maskrec') for p in (tmp/'data').rglob('*'))

def test_bad_checksum_in_mirror_is_refused(env, mirror):
    tmp, e = env
    bad = tmp/'badmirror'/'amazon-sr'; bad.mkdir(parents=True)
    for f in (mirror/'amazon-sr').iterdir(): (bad/f.name).symlink_to(f)
    (bad/'LastFM.txt').unlink(); (bad/'LastFM.txt').write_text('1 2 3\n')
    rc, out = cli(e, 'data', 'fetch', 'amazon-sr', '--mirror', str(tmp/'badmirror'))
    assert rc == 2 and 'checksum mismatch' in out and 'LastFM.txt' in out

def test_unmirrored_dataset_says_where_to_get_it(env, mirror):
    tmp, e = env
    rc, out = cli(e, 'data', 'fetch', 'amazon-cdsr-game_video', '--mirror', str(mirror))
    assert rc == 2 and 'not mirrored' in out and 'WujiangXu/IM-VAE' in out

def test_every_mirrored_dataset_fetches_and_verifies(env, mirror):
    tmp, e = env
    e['MASKREC_DATA_MIRROR'] = str(mirror)
    rc, out = cli(e, 'data', 'fetch'); assert rc == 0, out
    rc, out = cli(e, 'data', 'verify'); assert rc == 0, out
    assert all(f'{n}: OK' in out for n in ('lfw', 'amazon-cdsr', 'amazon-cdsr-aux', 'amazon-sr'))

def test_imvae_study_runs_unchanged_on_another_pair(tmp_path, mirror):
    "A pair in the release format that the study has never seen, without shipped pseudo lists (as game_video)."
    e = dict(os.environ, MASKREC_DATA_DIR=str(tmp_path/'data'), MASKREC_OUTPUTS=str(tmp_path/'out'), MASKREC_DATA_MIRROR=str(mirror))
    e.pop('MASKREC_STUDIES', None)
    rc, out = cli(e, 'data', 'fetch', 'amazon-cdsr'); assert rc == 0, out
    src, dst = mirror/'amazon-cdsr', tmp_path/'data'/'amazon-cdsr'
    for kind, n in (('train', 3000), ('test_csu', 800)):          # the first rows of phone_elec, renamed
        lines = (src/f'phone_elec_{kind}.csv').read_text().splitlines()[:n + 1]
        (dst/f'toy_{kind}.csv').write_text('\n'.join(lines) + '\n')
    rc, out = cli(e, 'run', 'imvae', '--profile', 'smoke', '--no-report', '-p', "pairs=['toy']", '-p', 'n_neg=99')
    assert rc == 0, out
    run = next((tmp_path/'out'/'imvae').iterdir())
    verdict = (run/'tables'/'verdict.csv').read_text()
    assert verdict.count('toy') == 8                                 # 2 domains x (all, cold, cold_aux, tail)
    assert 'generator agreement check was skipped' in (run/'summary.md').read_text()

def test_rec_baselines_runs_on_another_pair(tmp_path, mirror):
    "rec_baselines takes any pair in the release format, as imvae does; a pair without files is refused before any fit."
    e = dict(os.environ, MASKREC_DATA_DIR=str(tmp_path/'data'), MASKREC_OUTPUTS=str(tmp_path/'out'), MASKREC_DATA_MIRROR=str(mirror))
    e.pop('MASKREC_STUDIES', None)
    for ds in ('amazon-cdsr', 'amazon-sr', 'amazon-cdsr-aux'):
        rc, out = cli(e, 'data', 'fetch', ds); assert rc == 0, out
    src, dst = mirror/'amazon-cdsr', tmp_path/'data'/'amazon-cdsr'
    for kind, n in (('train', 3000), ('test_csu', 800)):          # the first rows of phone_elec, renamed
        lines = (src/f'phone_elec_{kind}.csv').read_text().splitlines()[:n + 1]
        (dst/f'toy_{kind}.csv').write_text('\n'.join(lines) + '\n')
    small = ('-p', 'max_users=300', '-p', 'max_test=200', '-p', 'n_neg=99', '-p', 'overlap_ratios=[]', '-p', "cd_models=['sasrec']")
    rc, out = cli(e, 'run', 'rec_baselines', '--profile', 'smoke', '--no-report', '-p', "cd_datasets=['toy']",
                  '-p', "epoch_caps={'toy/sasrec': 2}", *small)
    assert rc == 0, out
    run = next((tmp_path/'out'/'rec_baselines').iterdir())
    assert 'toy' in (run/'metrics.json').read_text()
    cost = (run/'tables'/'cross_domain_cost.csv').read_text().splitlines()
    assert cost[1].startswith('toy,SASRec (CE),') and ',2,epochs,' in cost[1], cost   # the cap, not the profile's 1 epoch
    rc, out = cli(e, 'run', 'rec_baselines', '--profile', 'smoke', '--no-report', '-p', "cd_datasets=['toy']",
                  '-p', "epoch_caps={'toy/c2dsr': 2}", *small)
    assert rc != 0 and "epoch_caps key 'toy/c2dsr' names no fit of this run" in out and "'toy/sasrec'" in out, out
    rc, out = cli(e, 'run', 'rec_baselines', '--profile', 'smoke', '--no-report', '-p', "cd_datasets=['nopair']", *small)
    assert rc != 0 and 'nopair_train.csv' in out and '<pair>_train.csv' in out, out
