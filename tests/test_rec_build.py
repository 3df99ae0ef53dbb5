"""`maskrec data build ...` end to end (rec.build, issue 9): the CLI on the mirrored pairs and on generated raw files."""
import gzip, json, os
from pathlib import Path
import numpy as np, pandas as pd
import pytest
from maskrec.cli import main
from maskrec.rec import build as B


@pytest.fixture
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv('MASKREC_DATA_DIR', str(tmp_path/'data'))
    return tmp_path/'data'


def test_cli_overlap_variants(data_dir, mirror, capsys):
    assert main(['data', 'build', 'overlap', '--pair', 'cloth_sport,phone_elec', '--ratios', '0.1,0.5']) == 0
    out = capsys.readouterr().out
    paths = {(p, r): data_dir/'built'/'overlap'/f'imvae-{p}'/f'r{r}-s0'/f'{p}_train{r}.csv'
             for p in ('cloth_sport', 'phone_elec') for r in ('10', '50')}
    assert all(str(p) in out and p.exists() for p in paths.values())
    both = {}
    for k, p in paths.items():
        df = B._read_release(p)
        both[k] = set(df.user_id[(df.seq_d1.map(len) > 0) & (df.seq_d2.map(len) > 0)] * 2 + df.domain_id[(df.seq_d1.map(len) > 0) & (df.seq_d2.map(len) > 0)])
        card = json.loads((p.parent/'card.json').read_text())
        assert card['params']['ratio'] in (0.1, 0.5) and card['files'][p.name]['rows'] == len(df)
    assert len(both['cloth_sport', '10']) == int(0.1 * 5942) and both['cloth_sport', '10'] <= both['cloth_sport', '50']  # nested
    mtime = paths['cloth_sport', '10'].stat().st_mtime_ns
    assert B.overlap_variant('cloth_sport', 0.1, 0) == paths['cloth_sport', '10']          # reused, never rewritten
    assert paths['cloth_sport', '10'].stat().st_mtime_ns == mtime
    assert B.overlap_variant('cloth_sport', 0.1, 1) != paths['cloth_sport', '10']          # another seed, another folder


def _raw(rng, n, users, items):
    return pd.DataFrame(dict(user=[f'u{u}' for u in rng.integers(*users, n)], item=[f'i{i}' for i in rng.integers(*items, n)],
                             rating=rng.integers(1, 6, n).astype(float), timestamp=rng.integers(0, 10**6, n)))


def test_cli_cdsr_and_sr_from_raw_files(tmp_path, data_dir):
    rng = np.random.default_rng(0)
    x, y = _raw(rng, 6000, (0, 400), (0, 80)), _raw(rng, 6000, (250, 700), (50, 150))   # item ids 50-79 in both domains
    x.to_csv(tmp_path/'x.csv', header=False, index=False); y.to_csv(tmp_path/'y.csv', header=False, index=False)
    with gzip.open(tmp_path/'meta_x.json.gz', 'wt') as f:
        for i in range(80): f.write(repr({'asin': f'i{i}', 'related': {'also_viewed': [f'i{(i * 7) % 150}', 'nope']}}) + '\n')
    args = ['data', 'build', 'cdsr', '--ratings-x', str(tmp_path/'x.csv'), '--ratings-y', str(tmp_path/'y.csv'), '--name', 'xy',
            '--meta-x', str(tmp_path/'meta_x.json.gz'), '--min-user', '3', '--overlap-ratios', '0.25,0.75', '--sample', '1,0.5,1']
    assert main(args) == 0
    (out,) = (data_dir/'built'/'cdsr').iterdir()
    names = {p.name for p in out.iterdir()}
    assert {'xy_train.csv', 'xy_valid.csv', 'xy_test.csv', 'xy_test_csu.csv', 'xy_train25.csv', 'xy_train75.csv',
            'item_map.csv', 'user_map.csv', 'card.md', 'card.json'} == names
    card = json.loads((out/'card.json').read_text())
    assert card['params']['min_user'] == 3 and card['params']['sample'] == [1.0, 0.5, 1.0] and card['info']['sample']['y_only']['kept'] < card['info']['sample']['y_only']['before']
    tr = B._read_release(out/'xy_train.csv')
    assert list(tr.columns) == ['user_id', 'seq_d1', 'seq_d2', 'domain_id', 'also_view', 'also_view_d1', 'also_view_d2']
    imap = pd.read_csv(out/'item_map.csv')
    assert sorted(imap.item_id) == list(range(len(imap)))                             # one dense shared id space
    assert set(imap.domains) <= {'X', 'Y', 'XY', 'aux'} and (imap.domains == 'XY').any()
    assert 'nope' not in set(imap['item'])                                            # also-viewed cut to the item universe
    assert main(args) == 0 and len(list((data_dir/'built'/'cdsr').iterdir())) == 1   # same build: reused
    # single domain, and errors
    assert main(['data', 'build', 'sr', '--ratings', str(tmp_path/'x.csv'), '--name', 'X', '--user-min', '3', '--item-min', '3']) == 0
    (sr,) = (data_dir/'built'/'sr').iterdir()
    lines = (sr/'X.txt').read_text().splitlines()
    assert [int(l.split()[0]) for l in lines] == list(range(1, len(lines) + 1)) and min(len(l.split()) for l in lines) >= 4
    assert main(['data', 'build', 'sr', '--ratings', str(tmp_path/'missing.csv')]) == 2
    (tmp_path/'bad.csv').write_text('u1,i1,5,100\nu1,i2,five,101\n')
    assert main(['data', 'build', 'sr', '--ratings', str(tmp_path/'bad.csv')]) == 2


def test_built_files_load_with_rec_data(tmp_path, mirror):
    "The written files parse with maskrec.rec.data's readers (once that module is present)."
    D = pytest.importorskip('maskrec.rec.data')
    rng = np.random.default_rng(1)
    p = B.build_cdsr(_raw(rng, 3000, (0, 200), (0, 40)), _raw(rng, 3000, (100, 300), (100, 140)), 'z', out_dir=tmp_path/'z', min_user=2)
    for f in ('train', 'valid', 'test', 'test_csu'):
        df = D.read_cdsr_csv(p/f'z_{f}.csv')
        assert len(df) == json.loads((p/'card.json').read_text())['files'][f'z_{f}.csv']['rows']
    s = B.build_sr(_raw(rng, 3000, (0, 100), (0, 50)), 'S', out_dir=tmp_path/'s', user_min=3, item_min=3)
    assert len(D.read_sr(s/'S.txt')) == json.loads((s/'card.json').read_text())['files']['S.txt']['users']
