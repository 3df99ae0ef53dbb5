"""Property tests (hypothesis) for the two recommendation readers of `maskrec.rec.data`, and the PSG cache
that must never unpickle: whatever the bytes, a reader returns checked data or raises `CDSRFormatError`
naming file and line; valid files read back exactly."""
import csv, json, os, pickle, tempfile, warnings
from pathlib import Path
import numpy as np, pandas as pd, pytest
from hypothesis import HealthCheck, given, settings, strategies as st
from maskrec.rec.data import MAX_ID, CDSRFormatError, read_cdsr_csv, read_sr

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
ids = st.integers(0, MAX_ID)
items = st.lists(ids, max_size=6)

@st.composite
def cdsr_rows(draw):
    dom = draw(st.integers(0, 1))
    s1, s2 = draw(items), draw(items)
    if not (s1, s2)[dom]: (s1, s2)[dom].append(draw(ids))        # the target-domain list holds the target
    return [draw(ids), json.dumps(s1), json.dumps(s2), dom]

def _write_csv(rows, header=('user_id', 'seq_d1', 'seq_d2', 'domain_id')) -> Path:
    d = Path(tempfile.mkdtemp()); p = d/'x.csv'
    with open(p, 'w', newline='') as f: w = csv.writer(f); w.writerow(header); w.writerows(rows)
    return p

@SETTINGS
@given(st.lists(cdsr_rows(), min_size=1, max_size=8))
def test_cdsr_valid_rows_read_back_exactly(rows):
    df = read_cdsr_csv(_write_csv(rows))
    assert df.user_id.tolist() == [r[0] for r in rows] and df.domain_id.tolist() == [r[3] for r in rows]
    assert [list(v) for v in df.seq_d1] == [json.loads(r[1]) for r in rows]
    assert [list(v) for v in df.seq_d2] == [json.loads(r[2]) for r in rows]

nasty_int = st.one_of(st.integers(-10, 10), st.integers(MAX_ID - 2, MAX_ID + 2), st.just(5_000_000_000),
                      st.just(99999999999999999999), st.integers(-2 ** 70, 2 ** 70))
nasty_cell = st.one_of(nasty_int.map(str), st.lists(nasty_int, max_size=4).map(json.dumps), st.text(max_size=8),
                       st.sampled_from(['[]', '[1.5]', '[true]', '[[1]]', '{"a": 1}', 'null', '', '1e30', 'nan']))

@SETTINGS
@given(st.lists(st.lists(nasty_cell, min_size=3, max_size=5), min_size=0, max_size=5), st.sampled_from(['raise', 'skip']))
def test_cdsr_any_cells_give_checked_rows_or_a_located_error(rows, on_error):
    p = _write_csv(rows)
    try:
        with warnings.catch_warnings(): warnings.simplefilter('ignore'); df = read_cdsr_csv(p, on_error=on_error)
    except CDSRFormatError as e:
        assert str(p) in str(e)
        return
    assert len(df) > 0
    for c in ('seq_d1', 'seq_d2'):
        assert all(0 <= x <= MAX_ID for v in df[c] for x in v)
    assert df.user_id.between(0, MAX_ID).all() and df.domain_id.isin([0, 1]).all()
    assert all(len(v) for v in np.where(df.domain_id == 0, df.seq_d1, df.seq_d2))

@SETTINGS
@given(st.lists(st.tuples(st.integers(0, MAX_ID), st.lists(st.integers(1, MAX_ID), min_size=3, max_size=8)), min_size=1, max_size=8))
def test_sr_valid_lines_read_back_exactly(users):
    p = Path(tempfile.mkdtemp())/'s.txt'
    p.write_text(''.join(' '.join(map(str, [u, *s])) + '\n' for u, s in users))
    seqs = read_sr(p)
    assert seqs.users == [u for u, _ in users] and [s.tolist() for s in seqs] == [s for _, s in users]

token = st.one_of(nasty_int.map(str), st.text(alphabet='0123456789-x.e', min_size=1, max_size=6))

@SETTINGS
@given(st.lists(st.lists(token, max_size=6), max_size=6), st.sampled_from(['raise', 'skip']))
def test_sr_any_tokens_give_checked_sequences_or_a_located_error(lines, on_error):
    p = Path(tempfile.mkdtemp())/'s.txt'
    p.write_text(''.join(' '.join(l) + '\n' for l in lines))
    try:
        with warnings.catch_warnings(): warnings.simplefilter('ignore'); seqs = read_sr(p, on_error=on_error)
    except CDSRFormatError as e:
        assert str(p) in str(e)
        return
    assert len(seqs) > 0 and all(len(s) >= 3 and s.min() >= 1 and s.max() <= MAX_ID for s in seqs)

def test_empty_and_header_only_files_are_errors(tmp_path):
    p = tmp_path/'e.csv'; p.write_text('')
    with pytest.raises(CDSRFormatError, match='empty file'): read_cdsr_csv(p)
    p.write_text('user_id,seq_d1,seq_d2,domain_id\n')
    with pytest.raises(CDSRFormatError, match='a header and no rows'): read_cdsr_csv(p)
    q = tmp_path/'e.txt'; q.write_text('')
    with pytest.raises(CDSRFormatError, match='empty file'): read_sr(q)

def test_load_cdsr_never_reads_the_working_directory(tmp_path, monkeypatch):
    from maskrec.rec.data import load_cdsr
    monkeypatch.chdir(tmp_path)
    (tmp_path/'cloth_sport_train.csv').write_text('user_id,seq_d1,seq_d2,domain_id\n1,[1],[],0\n')
    (tmp_path/'cloth_sport_test_csu.csv').write_text('user_id,seq_d1,seq_d2,domain_id\n1,[1],[],0\n')
    d = load_cdsr('cloth_sport')
    assert len(d.test) > 1 and Path(d.files['train']).parent != tmp_path

class _Evil:
    "Unpickling this creates the marker file: proof that code ran."
    marker = None
    def __reduce__(self): return (open, (str(self.marker), 'w'))

def test_psg_cache_is_never_unpickled(tmp_path, monkeypatch):
    import torch
    from maskrec.rec import lightgcn as L
    monkeypatch.setenv('MASKREC_DATA_DIR', str(tmp_path/'data'))
    rows = [dict(user_id=u, seq_d1=[1 + (3 * u + k) % 30 for k in range(6)], seq_d2=[], domain_id=0) for u in range(24)]
    train = pd.DataFrame(rows)
    kw = dict(n_items=32, n_users=24, epochs=1, eval_every=1, progress=False)
    first = L.fit_psg(train, **kw)
    (cache,) = (tmp_path/'data'/'cache'/'psg').glob('psg-*')
    assert cache.suffix == '.npz'
    marker = tmp_path/'pwned'; _Evil.marker = marker
    payloads = {'raw pickle': pickle.dumps(_Evil())}
    with open(tmp_path/'obj.npz', 'wb') as f: np.savez(f, users=np.array([_Evil()], dtype=object))
    payloads['object array in an npz'] = (tmp_path/'obj.npz').read_bytes()
    with open(tmp_path/'t.pt', 'wb') as f: torch.save({'users': _Evil()}, f)
    payloads['torch.save file'] = (tmp_path/'t.pt').read_bytes()
    for what, data in payloads.items():
        cache.write_bytes(data)
        cache.with_suffix('.pt').write_bytes(data)         # the old cache name too
        with pytest.warns(UserWarning, match='unreadable PSG cache'): again = L.fit_psg(train, **kw)
        assert not marker.exists(), f'{what}: code ran while reading the cache'
        assert torch.equal(again.user_emb, first.user_emb)   # retrained, same seed, same result
    assert torch.equal(L.fit_psg(train, **kw).item_emb, first.item_emb)   # the rewritten cache reads back
