"""Hostile input and faults (issue 27): nothing lost, nothing silently wrong. Data fetches under a corrupt
mirror, local edits and kill -9; runs under SIGINT/SIGTERM/SIGKILL and a full disk; range checks; the report
per profile; sweeps run twice at once or with hostile names; hostile ratings files; a tiny LFW image.
Property tests (hypothesis) for the -p/--grid parsers and the ratings reader."""
import errno, json, os, signal, stat, subprocess, sys, threading, time
from pathlib import Path
import numpy as np, pytest
from hypothesis import given, settings, strategies as st, HealthCheck
from conftest import ROOT, BIN
from test_cli import _nb
import maskrec.data as D
from maskrec.core import sha256_file
from maskrec.runner import StudyError, parse_overrides, resolve_params, run_study, load_studies, write_report, StudyRun
from maskrec.batch import parse_grid, point_key, grid_points
from maskrec.rec.build import BuildError, read_ratings

def cli(e, *args, timeout=300):
    r = subprocess.run([str(BIN/'maskrec'), *args], cwd=ROOT, env=e, capture_output=True, text=True, timeout=timeout)
    return r.returncode, r.stdout + r.stderr

def _wait(cond, timeout=120, what='condition'):
    t0 = time.time()
    while not cond():
        if time.time() - t0 > timeout: raise AssertionError(f'timed out waiting for {what}')
        time.sleep(0.2)

def _alive(pid):
    try: os.kill(pid, 0)
    except ProcessLookupError: return False
    try:                                         # a zombie is dead for our purpose
        with open(f'/proc/{pid}/stat') as f: return f.read().split(')')[-1].split()[0] != 'Z'
    except OSError: return False

# ---------------------------------------------------------------- data

@pytest.fixture
def toy(tmp_path, monkeypatch):
    "A throw-away dataset `toy` (two files, one of them unpinned) with a mirror and a data folder of its own."
    mir = tmp_path/'mirror'/'toy'; mir.mkdir(parents=True)
    (mir/'a.txt').write_text('1 2 3\n4 5 6\n'); (mir/'b.txt').write_text('unpinned\n')
    good = sha256_file(mir/'a.txt')
    ds = D.Dataset('toy', 'test', 'https://example.invalid',
                   files=(D.DataFile('a.txt', 'http://127.0.0.1:9/a.txt', good), D.DataFile('b.txt', 'http://127.0.0.1:9/b.txt')))
    monkeypatch.setitem(D.REGISTRY, 'toy', ds)
    monkeypatch.setenv('MASKREC_DATA_DIR', str(tmp_path/'data'))
    monkeypatch.setenv('MASKREC_DATA_MIRROR', str(tmp_path/'mirror'))
    return tmp_path, good

def test_force_fetch_from_a_corrupt_mirror_keeps_the_verified_copy(toy, tmp_path):
    _, good = toy
    dest = D.fetch('toy', quiet=True)
    bad = tmp_path/'badmirror'/'toy'; bad.mkdir(parents=True)
    data = bytearray((tmp_path/'mirror'/'toy'/'a.txt').read_bytes()); data[0] ^= 1      # one flipped byte
    (bad/'a.txt').write_bytes(bytes(data)); (bad/'b.txt').write_text('unpinned\n')
    with pytest.raises(D.DatasetError, match='checksum mismatch'): D.fetch('toy', mirror=tmp_path/'badmirror', force=True)
    assert (dest/'a.txt').read_text() == '1 2 3\n4 5 6\n' and sha256_file(dest/'a.txt') == good
    assert D.dataset_path('toy') == dest and D.verify('toy')['a.txt'] == good
    assert not [p for p in dest.iterdir() if p.name.startswith(('.fetch-', 'tmp'))]

def test_data_copies_never_write_through_to_the_mirror_and_edits_are_caught(toy, tmp_path):
    dest = D.fetch('toy', quiet=True)
    local, mirrored = dest/'a.txt', tmp_path/'mirror'/'toy'/'a.txt'
    assert not local.is_symlink() and not (local.stat().st_mode & stat.S_IWUSR)       # a read-only copy
    os.chmod(local, 0o644)
    with open(local, 'a') as f: f.write('7 8 9\n')
    assert mirrored.read_text() == '1 2 3\n4 5 6\n'
    with pytest.raises(D.DatasetError, match='changed after it was verified'): D.dataset_path('toy')
    with pytest.raises(D.DatasetError, match='changed after it was verified'): D.data_checksums('toy')
    D.fetch('toy', force=True, quiet=True)                                      # the way back, as the message says
    assert local.read_text() == '1 2 3\n4 5 6\n'

def test_unpinned_file_edit_is_caught_and_manifest_records_measured_checksums(toy):
    dest = D.fetch('toy', quiet=True)
    sums = D.data_checksums('toy')
    assert sums == {'a.txt': toy[1], 'b.txt': sha256_file(dest/'b.txt')}        # measured, the unpinned one too
    os.utime(dest/'a.txt', ns=(1, 1))                                           # touched, same bytes: re-hashed, fine
    assert D.data_checksums('toy') == sums
    os.chmod(dest/'b.txt', 0o644); (dest/'b.txt').write_text('edited!!\n')      # same size, new content
    with pytest.raises(D.DatasetError, match='b.txt'): D.data_checksums('toy')

def test_old_symlinked_layout_is_replaced_by_copies(toy, tmp_path):
    dest = tmp_path/'data'/'toy'; dest.mkdir(parents=True)
    for f in ('a.txt', 'b.txt'): (dest/f).symlink_to(tmp_path/'mirror'/'toy'/f)
    (dest/'.maskrec-verified.json').write_text(json.dumps(dict(name='toy', complete=True, sha256={})))
    D.dataset_path('toy')
    assert not (dest/'a.txt').is_symlink() and (dest/'a.txt').read_text() == '1 2 3\n4 5 6\n'

def test_leftovers_of_a_killed_fetch_are_cleaned_on_the_next_use(toy):
    dest = D.fetch('toy', quiet=True)
    (dest/'.fetch-x1y2'/'.old').mkdir(parents=True); (dest/'.fetch-x1y2'/'a.txt').write_text('half')   # a killed --force
    (dest/'.maskrec-verified.json.abc123.part').write_text('{')                                            # a killed stamp write
    assert D.dataset_path('toy') == dest
    assert sorted(p.name for p in dest.iterdir()) == ['.maskrec-fetch.lock', '.maskrec-verified.json', 'a.txt', 'b.txt']

FETCH_CHILD = """
import sys, maskrec.data as D
D.register(D.Dataset('slow', 't', 'x', files=(D.DataFile('big.bin', 'file://' + sys.argv[1], None),)))
D.fetch('slow')
"""

def test_kill_9_during_a_download_leaves_nothing_that_later_fetches_keep(tmp_path):
    fifo = tmp_path/'stream'; os.mkfifo(fifo)
    e = dict(os.environ, MASKREC_DATA_DIR=str(tmp_path/'data')); e.pop('MASKREC_OFFLINE', None); e.pop('MASKREC_DATA_MIRROR', None)
    child = subprocess.Popen([sys.executable, '-c', FETCH_CHILD, str(fifo)], env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    writer = []
    t = threading.Thread(target=lambda: writer.append(open(fifo, 'wb')), daemon=True); t.start()   # the download blocks on it
    dest = tmp_path/'data'/'slow'
    part = lambda: [p for p in dest.rglob('*') if p.name.endswith('.part')] if dest.exists() else []
    _wait(lambda: part() and writer, 60, 'the download to start')
    writer[0].write(b'x' * 1000); writer[0].flush()
    os.kill(child.pid, signal.SIGKILL); child.wait()
    writer[0].close()
    assert part(), 'a killed download leaves its partial file (the situation under test)'
    src = tmp_path/'big.bin'; src.write_bytes(b'y' * 5000)
    D.REGISTRY['slow'] = D.Dataset('slow', 't', 'x', files=(D.DataFile('big.bin', 'file://' + str(src), None),))
    old = {k: os.environ.get(k) for k in ('MASKREC_DATA_DIR', 'MASKREC_OFFLINE', 'MASKREC_DATA_MIRROR')}
    try:
        os.environ['MASKREC_DATA_DIR'] = str(tmp_path/'data'); os.environ.pop('MASKREC_OFFLINE', None); os.environ.pop('MASKREC_DATA_MIRROR', None)
        D.fetch('slow', quiet=True)
    finally:
        D.REGISTRY.pop('slow', None)
        for k, v in old.items():
            if v is None: os.environ.pop(k, None)
            else: os.environ[k] = v
    assert (dest/'big.bin').read_bytes() == b'y' * 5000
    assert not part() and not [p for p in dest.iterdir() if p.name.startswith(('.fetch-', 'tmp'))]

# ---------------------------------------------------------------- runs

SLEEPY = ("import os, time\nfrom pathlib import Path\nfrom maskrec.runner import StudyRun\n"
          "run = StudyRun('tiny', out_dir, profile)\nif pidfile: Path(pidfile).write_text(str(os.getpid()))\ntime.sleep(nap)\n"
          "run.metrics['v'] = float('nan')\nrun.finish()")

@pytest.fixture
def study(tmp_path):
    _nb(tmp_path/'tiny.ipynb', "nap = 0.0\npidfile = ''\nfail = False\nout_dir = None\nprofile = 'smoke'",
        SLEEPY.replace("run = StudyRun", "assert not fail, 'asked to fail: ' + 'x' * 5\nrun = StudyRun"))
    (tmp_path/'studies.yml').write_text('tiny:\n  notebook: tiny.ipynb\n  title: Tiny\n  profiles: {smoke: {}, cpu: {}}\n')
    e = dict(os.environ, MASKREC_STUDIES=str(tmp_path/'studies.yml'), MASKREC_OUTPUTS=str(tmp_path/'out'))
    return tmp_path, e

def _manifests(tmp):
    return [json.loads(p.read_text()) for p in sorted((tmp/'out'/'tiny').glob('*/manifest.json'))]

def _start_sleepy_run(tmp, e, **popen):
    "`maskrec run tiny` with a kernel that sleeps two minutes; returns the runner process once the kernel is up."
    pidfile = tmp/'kernel.pid'
    p = subprocess.Popen([str(BIN/'maskrec'), 'run', 'tiny', '--no-report', '-p', 'nap=120', '-p', f'pidfile={pidfile}'],
                         cwd=ROOT, env=e, **popen)
    try: _wait(lambda: pidfile.exists() and pidfile.read_text(), 120, 'the kernel to start')
    except BaseException: p.kill(); raise
    return p, int(pidfile.read_text())

@pytest.mark.parametrize('sig', [signal.SIGINT, signal.SIGTERM], ids=['SIGINT', 'SIGTERM'])
def test_signal_during_a_run_marks_it_interrupted_and_stops_the_kernel(study, sig):
    tmp, e = study
    p, kernel = _start_sleepy_run(tmp, e, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        p.send_signal(sig)
        out, err = p.communicate(timeout=60)
    finally:
        if p.poll() is None: p.kill()
    assert p.returncode == 130, out + err
    assert 'Traceback' not in err and 'marked interrupted' in err, err
    (m,) = _manifests(tmp)
    assert m['status'] == 'interrupted' and sig.name in m['error'] and m['finished']
    _wait(lambda: not _alive(kernel), 20, 'the kernel to exit')

def test_sigkill_leaves_a_run_that_reads_stale_in_runs_and_report(study):
    tmp, e = study
    p, _ = _start_sleepy_run(tmp, e, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    os.killpg(p.pid, signal.SIGKILL); p.wait()                       # the runner and its kernel, as a power cut would
    (m,) = _manifests(tmp)
    assert m['status'] == 'running'                                  # nothing could be written ...
    rc, out = cli(e, 'runs')                                         # ... but every reader shows it as stale
    assert rc == 0 and 'stale' in out and m['run_id'] in out, out
    rc, out = cli(e, 'report')
    assert rc == 0 and f"{m['run_id']}` (stale)" in (tmp/'out'/'REPORT.md').read_text()

def test_failed_notebook_shows_the_real_exception_on_the_terminal(study):
    tmp, e = study
    rc, out = cli(e, 'run', 'tiny', '--no-report', '-p', 'fail=true')
    assert rc == 1
    assert "AssertionError: asked to fail: xxxxx" in out, out
    assert 'assert not fail' in out                                  # a line of the traceback, not only its name
    (m,) = _manifests(tmp)
    assert m['status'] == 'failed' and m['error'].startswith('AssertionError: asked to fail')

def test_a_full_disk_while_recording_a_failure_does_not_crash_the_runner(study, monkeypatch, capsys):
    tmp, e = study
    import papermill
    def no_space(*a, **k): raise OSError(errno.ENOSPC, 'No space left on device')
    monkeypatch.setattr(papermill, 'execute_notebook', no_space)
    real = Path.write_text
    monkeypatch.setattr(Path, 'write_text', lambda self, *a, **k: no_space() if self.name == 'error.txt' else real(self, *a, **k))
    studies = load_studies(tmp/'studies.yml')
    r = run_study('tiny', 'smoke', [], outputs=tmp/'out', studies=studies, progress=False)
    assert r.status == 'failed' and 'No space left' in r.error
    assert json.loads((r.run_dir/'manifest.json').read_text())['status'] == 'failed'
    assert 'could not write' in capsys.readouterr().err
    import maskrec.core as core                                      # the disk fills up during the run: the final
    real_wj = core.write_json                                        # manifest cannot be written, and still no crash
    monkeypatch.setattr(core, 'write_json', lambda path, obj, **k: no_space() if obj.get('status') != 'running' else real_wj(path, obj, **k))
    r = run_study('tiny', 'smoke', [], outputs=tmp/'out', studies=studies, progress=False)
    assert r.status == 'failed' and 'will show it as stale' in capsys.readouterr().err

def test_outputs_are_0644_and_metrics_strict_json(study):
    tmp, e = study
    rc, out = cli(e, 'run', 'tiny', '--no-report')
    assert rc == 0, out
    run = next((tmp/'out'/'tiny').iterdir())
    umask = os.umask(0); os.umask(umask)
    for f in ('manifest.json', 'metrics.json', 'summary.md'):
        assert stat.S_IMODE((run/f).stat().st_mode) == 0o666 & ~umask, f
    txt = (run/'metrics.json').read_text()
    assert 'NaN' not in txt and json.loads(txt, parse_constant=lambda c: pytest.fail(c)) == {'v': None}

@pytest.mark.parametrize('study_name,profile,bad,msg', [
    ('rec_baselines', 'smoke', 'epochs=0', 'epochs=0 must be >= 1'),
    ('imvae', 'smoke', 'max_train=-5', 'max_train=-5 must be >= 0'),
    ('rec_baselines', 'cpu', "cd_models=['sasrec', 'nope']", "cd_models='nope' is not one of"),   # any cd_datasets pair: test_cli
    ('macd', 'smoke', 'dropout=1.5', 'dropout=1.5 must be < 1'),
    ('slmrec', 'smoke', "ablations=['ce', 'nope']", "ablations='nope' is not one of"),
    ('masked_lfw', 'smoke', 'lr=.nan', 'lr=nan must be > 0'),
])
def test_out_of_range_values_are_rejected_before_anything_runs(study_name, profile, bad, msg):
    with pytest.raises(StudyError, match='Nothing was run') as ex: resolve_params(study_name, profile, [bad])
    assert msg in str(ex.value)

def test_every_profile_passes_its_studys_checks():
    studies = load_studies()
    for s in studies:
        for p in ('smoke', 'cpu', 'paper'): resolve_params(s, p, [], studies)

def test_range_error_on_the_command_line_creates_no_run(tmp_path):
    e = dict(os.environ, MASKREC_OUTPUTS=str(tmp_path/'out')); e.pop('MASKREC_STUDIES', None)
    rc, out = cli(e, 'run', 'rec_baselines', '-p', 'epochs=0', '-p', 'max_users=-1')
    assert rc == 2 and 'epochs=0 must be >= 1' in out and 'max_users=-1 must be >= 0' in out, out
    assert not (tmp_path/'out').exists()

def _fake_run(base, name, profile, status, summary='## Tiny\n\nbody\n', **extra):
    d = base/'tiny'/name; d.mkdir(parents=True)
    m = dict(dict(study='tiny', profile=profile, status=status, git={'commit': 'abc', 'dirty': False}, wall_s=1.0), **extra)
    (d/'manifest.json').write_text(json.dumps(m)); (d/'summary.md').write_text(summary)
    return d

def test_report_has_a_section_per_profile_and_survives_malformed_manifests(study):
    tmp, e = study
    out = tmp/'out'
    _fake_run(out, '20260101-000000-cpu', 'cpu', 'success', '## Tiny\n\nCPU RESULT\n')
    _fake_run(out, '20260102-000000-smoke', 'smoke', 'success', '## Tiny\n\nSMOKE RESULT\n')
    bad = out/'tiny'/'20260103-000000-cpu'; bad.mkdir(); (bad/'manifest.json').write_text('[1, 2]')       # not an object
    _fake_run(out, '20260104-000000-cpu', 'cpu', 'success', git='not-a-dict')                           # odd field
    (out/'tiny'/'20260104-000000-cpu'/'summary.md').write_bytes(b'## Tiny\n\n\xff\xfe binary\n')
    _fake_run(out, '20260105-000000-cpu', 'cpu', 'running', pid=2**22 + 12345, host={'node': os.uname().nodename})
    rc, txt = cli(e, 'report', '--profile', 'cpu')
    assert rc == 0, txt
    rep = (out/'REPORT.md').read_text()
    assert '# Profile `cpu`' in rep and 'SMOKE RESULT' not in rep and '20260104-000000-cpu' in rep
    assert '`tiny/20260105-000000-cpu` (stale)' in rep
    rc, txt = cli(e, 'report')
    rep = (out/'REPORT.md').read_text()
    assert rep.index('# Profile `cpu`') < rep.index('# Profile `smoke`') and 'SMOKE RESULT' in rep
    (cpu_part, smoke_part) = rep.split('# Profile `smoke`')
    assert 'SMOKE RESULT' not in cpu_part and '20260102-000000-smoke' in smoke_part
    rc, txt = cli(e, 'runs')
    assert rc == 0 and 'unreadable' in txt and 'stale' in txt, txt
    rc, txt = cli(e, 'report', '--profile', 'paper')
    assert rc == 0 and 'No successful run yet at profile `paper`' in (out/'REPORT.md').read_text()

# ---------------------------------------------------------------- sweeps

def test_values_that_escape_alike_get_their_own_point_folders():
    g = parse_grid(['tag=a/b,a_b,a?b'])
    assert g == {'tag': ['a/b', 'a_b', 'a?b']}
    keys = [point_key(p) for p in grid_points(g)]
    assert len(set(keys)) == 3 and all('/' not in k and '..' not in k for k in keys)

def test_grid_list_values_and_bad_grid_values_are_clear(study):
    tmp, e = study
    assert parse_grid(['tag=[0,1]']) == {'tag': [0, 1]}
    rc, out = cli(e, 'sweep', 'tiny', '--grid', 'nap=[0,1')
    assert rc == 2 and "cannot read '[0,1' as a list" in out and 'Traceback' not in out, out

def test_sweep_name_cannot_leave_outputs(study):
    tmp, e = study
    rc, out = cli(e, 'sweep', 'tiny', '--grid', 'nap=0', '--name', '../../../escaped')
    assert rc == 2 and 'bad sweep name' in out, out
    assert not list(tmp.parent.rglob('escaped*')) and not (tmp/'out'/'tiny'/'sweeps').exists()

def test_two_identical_sweeps_at_once_the_second_is_refused(study):
    tmp, e = study
    pidfile = tmp/'kernel.pid'
    cmd = [str(BIN/'maskrec'), 'sweep', 'tiny', '--grid', 'nap=3', '-p', f'pidfile={pidfile}', '--name', 'twice']
    first = subprocess.Popen(cmd, cwd=ROOT, env=e, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait(lambda: pidfile.exists(), 120, 'the first sweep to start its point')
        rc, out = cli(e, *cmd[1:])
        assert rc == 2 and 'already running' in out, out
        assert first.wait(timeout=120) == 0, first.stdout.read()
    finally:
        if first.poll() is None: first.kill()
    sd = tmp/'out'/'tiny'/'sweeps'/'twice'
    assert not (sd/'incomplete').exists() and len(list((sd/'points').iterdir())) == 1
    rc, out = cli(e, *cmd[1:])                                       # afterwards: resumes (nothing left to do)
    assert rc == 0 and 'skip' in out, out

# ---------------------------------------------------------------- hypothesis: parsers

YAMLISH = st.text(alphabet='ab01.-_ ,:[]{}\'"#&*!|>%@`=?/\\', max_size=20)

@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(['lr', 'epochs', 'tag', 'x_1']), YAMLISH), max_size=3))
def test_grid_parser_returns_values_or_a_clear_error(items):
    try: g = parse_grid([f'{k}={v}' for k, v in items])
    except StudyError: return
    assert set(g) <= {'lr', 'epochs', 'tag', 'x_1'} and all(isinstance(v, list) and v for v in g.values())
    keys = [point_key(p) for p in grid_points(g)]
    assert all('/' not in k and k not in ('.', '..') for k in keys)

@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(-10**6, 10**6), min_size=1, max_size=5, unique=True))
def test_grid_parser_round_trips_numbers(vals):
    assert parse_grid(['k=' + ','.join(map(str, vals))]) == {'k': vals}
    assert len({point_key({'k': v}) for v in vals}) == len(vals)

@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(['lr', 'epochs', '1bad', '']), YAMLISH), max_size=3))
def test_override_parser_returns_values_or_a_clear_error(items):
    try: out = parse_overrides([f'{k}={v}' for k, v in items])
    except StudyError: return
    assert set(out) <= {'lr', 'epochs'}

# ---------------------------------------------------------------- hostile ratings files

FIELD = st.one_of(st.integers(-5, 10**6).map(str), st.sampled_from(['inf', '-inf', 'nan', '1e30', '-1e300', '', 'x', '3.5', ' 4 ', 'NA']))
LINE = st.lists(FIELD, min_size=1, max_size=6).map(','.join).filter(lambda l: l.strip() != '')

@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lines=st.lists(LINE, min_size=1, max_size=25))
def test_ratings_reader_keeps_only_sane_rows_and_accounts_for_every_line(tmp_path, lines):
    p = tmp_path/'r.csv'; p.write_text('\n'.join(lines) + '\n')
    try: df = read_ratings(p, on_error='skip')
    except BuildError: return                                        # e.g. nothing usable: a clear error
    assert len(df) + len(df.attrs['skipped']) == len(lines), (lines, df, df.attrs['skipped'])
    assert np.isfinite(df.rating.to_numpy(float)).all() and df.timestamp.dtype == np.int64
    assert (df.timestamp.abs() < 1e16).all()
    try: strict = read_ratings(p)
    except BuildError: return
    # strict mode accepts only a clean file; rows without a user or item are dropped and counted, as documented
    assert len(strict) + len(strict.attrs['skipped']) == len(lines) and len(strict) == len(df)
    assert {why for _, why in strict.attrs['skipped']} <= {'missing user or item'}

@pytest.mark.parametrize('content,msg', [
    (b'\x00\x01\x02binary\xff\xfe' * 50, 'binary data'),
    ('u1,i1\nu2,i2\n'.encode(), 'line 1 has 2 field(s)'),
    (b'u1,i1,5,1000\nu2,i2\n', 'fewer than 4 fields'),
    (b'u1,i1,5,1000\nu2,i2,4,1e30\n', 'timestamp value(s) that are not a finite number'),
    (b'u1,i1,inf,1000\n', 'rating value(s) that are not a finite number'),
    (b'\xc3\x28,i,1,2\n', 'not UTF-8'),
])
def test_hostile_ratings_files_are_clear_errors(tmp_path, content, msg):
    p = tmp_path/'r.csv'; p.write_bytes(content)
    with pytest.raises(BuildError, match=None) as ex: read_ratings(p)
    assert msg in str(ex.value) and str(p) in str(ex.value), str(ex.value)

def test_data_build_cli_confines_names_and_checks_options(tmp_path):
    e = dict(os.environ, MASKREC_DATA_DIR=str(tmp_path/'data'))
    rows = [f'u{u},i{i},5,{u * 100 + i}' for u in range(8) for i in range(6)]
    (tmp_path/'r.csv').write_text('\n'.join(rows) + '\n')
    rc, out = cli(e, 'data', 'build', 'sr', '--ratings', str(tmp_path/'r.csv'), '--name', '../../../x',
                  '--user-min', '1', '--item-min', '1')
    assert rc == 2 and 'bad dataset name' in out, out
    assert not [p for p in tmp_path.rglob('x-*')]
    rc, out = cli(e, 'data', 'build', 'overlap', '--ratios', 'abc')
    assert rc == 2 and "--ratios: 'abc' is not a number" in out and 'Traceback' not in out, out
    rc, out = cli(e, 'data', 'build', 'overlap', '--ratios', '0.5,7')
    assert rc == 2 and 'outside [0, 1]' in out, out
    (tmp_path/'bin.csv').write_bytes(bytes(range(256)) * 4)
    rc, out = cli(e, 'data', 'build', 'sr', '--ratings', str(tmp_path/'bin.csv'))
    assert rc == 2 and 'binary data' in out and 'Traceback' not in out, out

# ---------------------------------------------------------------- masked-LFW builder

def test_a_tiny_image_is_a_counted_skip_naming_the_file(tmp_path):
    import cv2
    from maskrec.faces.masks import _mask_rows, MASK_STYLES, MASK_METHODS
    (tmp_path/'src'/'A').mkdir(parents=True)
    cv2.imwrite(str(tmp_path/'src'/'A'/'A_0001.jpg'), np.full((13, 13, 3), 128, np.uint8))
    rows = [dict(row=0, image='A/A_0001.jpg', mask_style=MASK_STYLES[0], mask_method=MASK_METHODS[0])]
    recs, lms, _ = _mask_rows(rows, str(tmp_path/'src'), str(tmp_path/'dst'),
                              dict(detectors=('dlib', 'mtcnn'), min_face=40, seed=0, quality=95))
    assert recs[0]['status'] == 'skipped' and 'too small' in recs[0]['reason'] and '13x13' in recs[0]['reason']

def test_sweep_summary_survives_a_malformed_point_manifest(tmp_path):
    from maskrec.batch import summarize_sweep
    sd = tmp_path/'sweep'; g = {'lr': [0.1, 0.2]}
    (sd/'points').mkdir(parents=True)
    (sd/'sweep.json').write_text(json.dumps(dict(study='tiny', profile='smoke', grid=g, overrides={})))
    for p, text in zip(grid_points(g), ['[1, 2]', json.dumps(dict(status='success'))]):
        (sd/'points'/point_key(p)).mkdir(); (sd/'points'/point_key(p)/'manifest.json').write_text(text)
    assert list(summarize_sweep(sd).status) == ['not run', 'success']
