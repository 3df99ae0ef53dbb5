"""Course mode (issue 28): tests and points come from the teacher's master notebook; submissions are
graded each in its own sandboxed process into one gradebook; crashes, kills, endless loops, deleted
check cells and tampering are recorded or have no effect. Also: `assign` never writes over a file
without --force (issue 27)."""
import copy, json, re, shutil, subprocess, tempfile, time
from pathlib import Path
import pandas as pd
import pytest
from conftest import ROOT, BIN
from maskrec.assign import make_student, grade_class, bwrap_works, _src, _body

MASTER = ROOT/'nbs'/'assignments'/'rec_ndcg.ipynb'
ASSIGNMENTS = sorted((ROOT/'nbs'/'assignments').glob('*.ipynb'))
POINTS = {'ranks': ('ranks', 3), 'hr_at_k': ('hr', 2), 'ndcg_at_k': ('ndcg', 3), 'mrr': ('mrr', 2)}   # function -> (question, points)
FULL = sum(p for _, p in POINTS.values())

def _maskrec(*args, timeout=600):
    return subprocess.run([str(BIN/'maskrec'), *map(str, args)], cwd=ROOT, capture_output=True, text=True, timeout=timeout)

def _code(src): return dict(cell_type='code', id=f'x{abs(hash(src)) % 10**8}', metadata={}, outputs=[], execution_count=None, source=src)

@pytest.fixture(scope='module')
def student(tmp_path_factory):
    d = tmp_path_factory.mktemp('student')
    make_student(MASTER, d)
    return json.loads((d/MASTER.name).read_text())

def _solutions(master=MASTER):
    return {re.search(r'def (\w+)', _src(c)).group(1): _body(_src(c))
            for c in json.loads(master.read_text())['cells'] if c['cell_type'] == 'code' and '#| solution' in _src(c)}

def _submission(student, path, solved=(), edit=None):
    "The student version with the functions in `solved` filled in from the master, then `edit(cells)` applied."
    nb, sol = copy.deepcopy(student), _solutions()
    for c in nb['cells']:
        m = re.search(r'def (\w+)', _src(c))
        if m and 'NotImplementedError' in _src(c) and m.group(1) in solved: c['source'] = sol[m.group(1)]
    if edit: edit(nb['cells'])
    path.write_text(json.dumps(nb, indent=1))
    return path

def _drop_check(cells, q):
    cells[:] = [c for c in cells if f"grader.check('{q}')" not in _src(c)]

def _insert(cells, src, at=2): cells.insert(at, _code(src))

HOSTILE = '''
import os, pathlib, shutil, subprocess
for act in [lambda: pathlib.Path({canary!r}).unlink(), lambda: pathlib.Path({canary!r}).write_text('changed'),
            lambda: pathlib.Path({outside!r}).write_text('planted'), lambda: shutil.rmtree({subs!r}),
            lambda: pathlib.Path({root!r}, 'HACKED').write_text('x'), lambda: os.chmod({canary!r}, 0o777),
            lambda: subprocess.run(['touch', {outside!r} + '.sh'], check=True)]:
    try: act()
    except Exception as e: print('blocked:', type(e).__name__)
pathlib.Path('mine.txt').write_text('my own folder is writable')
'''

FORGE = '''
import glob, otter
for t in glob.glob(str(otter.Notebook._tests_dir_override or 'tests') + '/*.py'):
    try: open(t, 'w').write('OK_FORMAT = False\\nname = "x"\\npoints = 1000\\n')
    except OSError as e: print('blocked:', e)
'''

@pytest.fixture(scope='module')
def troublemakers(student, tmp_path_factory):
    "One class of misbehaving submissions, graded once through the CLI."
    d = tmp_path_factory.mktemp('trouble'); subs = d/'subs'; subs.mkdir()
    outside = Path(tempfile.mkdtemp(dir='/var/tmp' if Path('/var/tmp').is_dir() else None))   # not under /tmp
    canary = outside/'canary.txt'; canary.write_text('teacher data')
    everything = list(POINTS)
    def tamper(cells):
        for c in cells:
            if 'grader.check(' in _src(c): c['source'] = 'pass  # tests edited away'
        _insert(cells, '#| points: 1000\n# my own test\nassert True')
        _drop_check(cells, 'ndcg')
        if bwrap_works(): cells.append(_code(FORGE))
    _submission(student, subs/'tampered.ipynb', ['hr_at_k'], tamper)
    _submission(student, subs/'exits.ipynb', everything, lambda cs: _insert(cs, 'import os\nos._exit(0)'))
    _submission(student, subs/'killed.ipynb', everything, lambda cs: _insert(cs, 'import os, signal\nos.kill(os.getpid(), signal.SIGKILL)'))
    _submission(student, subs/'crashes.ipynb', everything, lambda cs: _insert(cs, 'import os, signal\nos.kill(os.getppid(), signal.SIGKILL)'))
    (subs/'broken.ipynb').write_text('{"cells": [')
    _submission(student, subs/'loops.ipynb', everything, lambda cs: _insert(
        cs, 'import time\nwhile True:\n    try: time.sleep(0.05)\n    except BaseException: pass'))
    _submission(student, subs/'deleted.ipynb', everything, lambda cs: (_drop_check(cs, 'ndcg'), _drop_check(cs, 'mrr')))
    if bwrap_works():
        _submission(student, subs/'hostile.ipynb', everything, lambda cs: _insert(cs, HOSTILE.format(
            canary=str(canary), outside=str(outside/'planted.txt'), subs=str(subs), root=str(ROOT))))
    t0 = time.monotonic()
    r = _maskrec('grade', MASTER, subs, '--out', d/'grades', '--jobs', 2, '--cell-timeout', 10, '--timeout', 30)
    book = pd.read_csv(d/'grades'/'gradebook.csv').set_index('student')
    yield dict(r=r, book=book, out=d/'grades', canary=canary, outside=outside, subs=subs, seconds=time.monotonic() - t0)
    shutil.rmtree(outside, ignore_errors=True)

def test_tampered_submission_scores_what_the_teachers_tests_give(troublemakers):
    b = troublemakers['book'].loc['tampered']
    assert b.status == 'graded', b.notes
    assert (b.ranks, b.hr, b.ndcg, b.mrr, b.total, b.possible) == (0, 2, 0, 0, 2, FULL), b
    assert 'check cell deleted for' in b.notes and 'ndcg' in b.notes
    assert list(troublemakers['book'].columns[:4]) == ['ranks', 'hr', 'ndcg', 'mrr']   # one column per question, no extra

def test_deleted_check_cells_are_recorded_and_their_tests_still_run(troublemakers):
    b = troublemakers['book'].loc['deleted']
    assert b.status == 'graded' and b.total == FULL, b
    assert 'check cell deleted for ndcg, mrr' in b.notes

def test_os_exit_and_a_killed_kernel_are_recorded(troublemakers):
    book = troublemakers['book']
    for s in ('exits', 'killed'):
        assert book.loc[s].status == 'kernel died', book.loc[s]
        assert pd.isna(book.loc[s].total) and 'cell 2' in book.loc[s].notes
    fb = (troublemakers['out']/'feedback'/'exits.md').read_text()
    assert 'kernel died' in fb and 'no score' in fb

def test_a_killed_grading_process_and_an_unreadable_notebook_are_recorded(troublemakers):
    book = troublemakers['book']
    assert book.loc['crashes'].status == 'crashed' and 'without a result' in book.loc['crashes'].notes
    assert book.loc['broken'].status == 'unreadable' and 'not a notebook' in book.loc['broken'].notes
    assert pd.isna(book.loc['crashes'].total) and pd.isna(book.loc['broken'].total)

def test_endless_loop_catching_baseexception_is_recorded(troublemakers):
    b = troublemakers['book'].loc['loops']
    assert b.status == 'timeout' and pd.isna(b.total), b
    assert 'cell 2 ran past the cell limit (10 s)' in b.notes and 'notebook limit of 30 s' in b.notes

def test_grade_exits_non_zero_when_a_submission_could_not_be_graded(troublemakers):
    r = troublemakers['r']
    assert r.returncode == 1, r.stdout + r.stderr
    assert 'not graded: exits: kernel died' in r.stderr and 'not graded: loops: timeout' in r.stderr
    assert len(list((troublemakers['out']/'feedback').glob('*.md'))) == len(troublemakers['book'])
    print(f"troublemakers: {len(troublemakers['book'])} submissions in {troublemakers['seconds']:.1f} s")

def test_hostile_cell_cannot_change_files_outside_its_working_folder(troublemakers):
    if not bwrap_works(): pytest.skip("bubblewrap is not installed (make test installs it where apt works); grading is unisolated here")
    b = troublemakers['book'].loc['hostile']
    assert b.status == 'graded' and b.total == FULL, b
    assert troublemakers['canary'].read_text() == 'teacher data' and troublemakers['canary'].stat().st_mode & 0o777 != 0o777
    assert sorted(p.name for p in troublemakers['outside'].iterdir()) == ['canary.txt']
    assert (troublemakers['subs']/'hostile.ipynb').exists() and not (ROOT/'HACKED').exists()

def test_class_of_20_generated_submissions_into_one_gradebook(student, tmp_path):
    funcs, expect = list(POINTS), {}
    (tmp_path/'class').mkdir()
    for i in range(20):
        solved = [f for k, f in enumerate(funcs) if (i >> k) & 1] if i < 16 else funcs[: i - 16]
        edit = (lambda cs: _insert(cs, '#| points: 99\nassert True')) if i % 5 == 0 else None   # tests and points of its own: ignored
        _submission(student, tmp_path/'class'/f's{i:02d}.ipynb', solved, edit)
        expect[f's{i:02d}'] = sum(POINTS[f][1] for f in solved)
    t0 = time.monotonic()
    r = _maskrec('grade', MASTER, tmp_path/'class', '--out', tmp_path/'grades', '--jobs', 2, '--cell-timeout', 30, '--timeout', 180)
    seconds = time.monotonic() - t0
    assert r.returncode == 0, r.stdout + r.stderr
    book = pd.read_csv(tmp_path/'grades'/'gradebook.csv')
    assert list(book.columns) == ['student', 'ranks', 'hr', 'ndcg', 'mrr', 'total', 'possible', 'status', 'notes', 'seconds']
    assert len(book) == 20 and (book.status == 'graded').all(), book
    assert book.set_index('student').total.to_dict() == expect
    assert sorted(p.stem for p in (tmp_path/'grades'/'feedback').glob('*.md')) == sorted(expect)
    print(f'graded a class of 20 in {seconds:.1f} s')

@pytest.mark.parametrize('nb', ASSIGNMENTS, ids=lambda p: p.stem)
def test_assignment_reference_full_marks_student_zero(nb, tmp_path):
    r = _maskrec('assign', nb, '--out', tmp_path/'student')
    assert r.returncode == 0, r.stderr
    stu = json.loads((tmp_path/'student'/nb.name).read_text())
    hints = re.findall(r"NotImplementedError\('Exercise: ([^']*)'\)", json.dumps(stu))
    assert hints and len(set(hints)) == len(hints), hints           # one specific hint per stub
    if nb == MASTER: return   # graded by the class-of-20 test here and by the example in nbs/06_assign.ipynb
    (tmp_path/'subs').mkdir(); shutil.copy(nb, tmp_path/'subs'/'reference.ipynb'); shutil.copy(tmp_path/'student'/nb.name, tmp_path/'subs'/'stub.ipynb')
    book = grade_class(nb, tmp_path/'subs', tmp_path/'grades', jobs=2, cell_timeout=60, timeout=300).set_index('student')
    assert (book.status == 'graded').all(), book
    assert book.loc['reference'].total == book.loc['reference'].possible > 0 and book.loc['stub'].total == 0, book
    assert 'NotImplementedError' in (tmp_path/'grades'/'feedback'/'stub.md').read_text()

def test_student_version_self_checks_public_tests_only(student, tmp_path):
    text = json.dumps(student) + ''.join(p.read_text() for p in tmp_path.glob('**/*.py'))
    master = json.loads(MASTER.read_text())
    hidden = [_body(_src(c)) for c in master['cells'] if c['cell_type'] == 'code' and '#| hidden' in _src(c)]
    assert hidden and not any(h.splitlines()[1] in text for h in hidden)
    d = tmp_path/'s'; make_student(MASTER, d)
    assert not any('hidden=True' in p.read_text() for p in (d/'tests'/'rec_ndcg').glob('*.py'))
    _submission(student, d/MASTER.name, ['hr_at_k'])
    import nbformat
    from nbclient import NotebookClient
    nb = nbformat.read(d/MASTER.name, as_version=4)
    NotebookClient(nb, timeout=120, allow_errors=True, resources={'metadata': {'path': str(d)}}).execute()
    out = {m.group(1): json.dumps(c.outputs) for c in nb.cells for m in [re.search(r"grader\.check\('(\w+)'\)", c.source)] if m}
    assert set(out) == {'ranks', 'hr', 'ndcg', 'mrr'}
    assert 'passed' in out['hr'] and 'NotImplementedError' in out['ranks'], out

def test_isolation_degrades_with_a_clear_message(monkeypatch, capsys):
    import maskrec.assign as A
    monkeypatch.setattr(A, 'bwrap_works', lambda: False)
    with pytest.raises(RuntimeError, match='apt-get install bubblewrap'): A.resolve_isolation('bwrap')
    assert A.resolve_isolation('auto') == 'none' and 'grading without isolation' in capsys.readouterr().err
    assert A.resolve_isolation('none') == 'none' and A.sandbox_argv(['x'], Path('/w'), 'none') == ['x']
    argv = A.sandbox_argv(['python'], Path('/w'), 'bwrap', hide=[Path('/h')], ro=[Path('/t')])
    assert argv[:3] == ['bwrap', '--ro-bind', '/'] and argv[-1] == 'python' and '--unshare-net' in argv
    assert argv.index('--tmpfs') < argv.index('/t') < argv.index('/w')   # hide, then read-only tests, then the writable folder

def test_points_that_are_not_positive_numbers_name_the_notebook_and_cell(tmp_path):
    for bad, msg in [('lots', 'is not a number'), ('-5', 'must be positive')]:
        nb = json.loads(MASTER.read_text())
        cell = next(i for i, c in enumerate(nb['cells']) if '#| points: 2' in _src(c))
        nb['cells'][cell]['source'] = _src(nb['cells'][cell]).replace('#| points: 2', f'#| points: {bad}')
        (tmp_path/'bad.ipynb').write_text(json.dumps(nb))
        for args in (['assign', tmp_path/'bad.ipynb', '--out', tmp_path/'o'], ['grade', tmp_path/'bad.ipynb', MASTER, '--out', tmp_path/'g']):
            r = _maskrec(*args)
            assert r.returncode == 2 and 'Traceback' not in r.stderr, r.stderr
            assert f"bad.ipynb, cell {cell} (id {nb['cells'][cell]['id']}): `#| points: {bad}` {msg}" in r.stderr, r.stderr

def test_assign_never_writes_over_a_file_without_force(tmp_path):
    before = MASTER.read_bytes()
    for extra in ([], ['--force']):   # issue 27: this used to replace the reference notebook with the stubs
        r = _maskrec('assign', MASTER, '--out', MASTER.parent, *extra)
        assert r.returncode == 2 and 'master notebook itself' in r.stderr, r.stderr
    assert MASTER.read_bytes() == before
    assert _maskrec('assign', MASTER, '--out', tmp_path).returncode == 0
    (tmp_path/MASTER.name).write_text('my edits')
    r = _maskrec('assign', MASTER, '--out', tmp_path)
    assert r.returncode == 2 and 'pass --force' in r.stderr and (tmp_path/MASTER.name).read_text() == 'my edits'
    assert _maskrec('assign', MASTER, '--out', tmp_path, '--force').returncode == 0
    assert 'grader.check' in (tmp_path/MASTER.name).read_text()
