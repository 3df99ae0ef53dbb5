"""Fast synthetic checks of maskrec.rec.data / maskrec.rec.metrics (the notebooks hold the real-data tests)."""
import warnings
import numpy as np
import pandas as pd
import pytest
import torch
from maskrec.rec.data import (CDSRFormatError, cdsr_instances, fixed_negatives, pad_left, read_cdsr_csv, read_sr,
                              sample_negatives, sr_instances, tau_threshold, user_groups)
from maskrec.rec.metrics import evaluate, full_ranks, metric_table, metrics_from_ranks, ranks_from_scores

CSV = 'user_id,seq_d1,seq_d2,domain_id\n1,"[1, 2, 3]","[7]",0\n2,"[4,"' + ',[],0\n3,[],"[5, 6]",1\n'

def test_reader_errors_name_file_and_line(tmp_path):
    p = tmp_path/'x.csv'; p.write_text(CSV)
    with pytest.raises(CDSRFormatError, match=r'x\.csv:3: column seq_d1'): read_cdsr_csv(p)
    with warnings.catch_warnings(record=True):
        warnings.simplefilter('always'); df = read_cdsr_csv(p, on_error='skip')
    assert df.user_id.tolist() == [1, 3] and [l for l, _ in df.attrs['skipped']] == [3]
    with pytest.raises(CDSRFormatError, match='out of range'): read_cdsr_csv(_ok(tmp_path), n_items=5)

def _ok(tmp_path):
    p = tmp_path/'ok.csv'; p.write_text('user_id,seq_d1,seq_d2,domain_id\n1,"[1, 9]",[],0\n'); return p

def test_sr_reader(tmp_path):
    p = tmp_path/'s.txt'; p.write_text('1 1 2 3\n2 4 5\n')
    with pytest.raises(CDSRFormatError, match=r's\.txt:2: user 2 has 2 items'): read_sr(p)
    with warnings.catch_warnings(record=True): seqs = read_sr(p, on_error='skip')
    assert len(seqs) == 1 and seqs.users == [1] and seqs.skipped[0][0] == 2

def test_instances_and_groups():
    df = pd.DataFrame(dict(user_id=[1, 2], seq_d1=[[1, 2, 3], [4]], seq_d2=[[5], [6, 7]], domain_id=[0, 1]))
    inst = cdsr_instances(df, n_items=10, max_len=2, tau={0: 2, 1: 2})
    assert inst['target'].tolist() == [3, 7] and inst['seq_t'].tolist() == [[1, 2], [10, 6]]
    assert inst['seq_o'].tolist() == [[10, 5], [10, 4]] and inst['tail'].tolist() == [False, True]
    assert user_groups(df, {0: 3, 1: 3})['tail'].tolist() == [True, True]
    assert tau_threshold(pd.DataFrame(dict(seq_d1=[[1] * n for n in (3, 4, 5, 6, 10)])), 0) == 4   # drop top 20 % (10)
    assert pad_left([[1, 2, 3]], 2, 0)[0].tolist() == [[2, 3]]
    assert sr_instances([np.array([1, 2, 3])], 2, 'all_prefixes')['seq'].tolist() == [[0, 1], [1, 2]]

def test_negatives_exclude_own_items_and_are_reproducible(tmp_path):
    df = pd.DataFrame(dict(user_id=range(40), seq_d1=[[i % 30, (i + 1) % 30] for i in range(40)],
                           seq_d2=[[100 + i % 20] for i in range(40)], domain_id=[i % 2 for i in range(40)]))
    a = fixed_negatives(df, 9, seed=3, cache_dir=tmp_path); b = fixed_negatives(df, 9, seed=3, cache_dir=False)
    assert (a == b).all() and len(list(tmp_path.iterdir())) == 1
    for i, r in enumerate(a):
        own = set(df.seq_d1[i] if i % 2 == 0 else df.seq_d2[i])
        assert len(set(r)) == 9 and not own & set(r) and ((r < 30).all() if i % 2 == 0 else (r >= 100).all())
    with pytest.raises(ValueError, match='fewer than n_neg'): sample_negatives([np.arange(3)], [0], [[1]], 3)

def test_ranks_are_pessimistic_and_metrics():
    assert ranks_from_scores(torch.tensor([[1., 1., 1.], [2., 1., 2.]])).tolist() == [2, 1]
    s = torch.tensor([[5., 5., 1., 9.]])
    assert full_ranks(s, [1]).tolist() == [2] and full_ranks(s, [1], pad_id=0, exclude=[[3]]).tolist() == [0]
    m = metrics_from_ranks([0, 9])
    assert m['HR@1'] == 0.5 and m['HR@10'] == 1.0 and abs(m['MRR'] - 0.55) < 1e-12
    inst = dict(target=np.array([1, 2]), user=np.array([0, 1]))
    r = evaluate(lambda b, c: torch.tensor([[0., 3., 2.], [0., 3., 2.]])[b['user']], inst, pad_id=0)
    assert r.tolist() == [0, 1]
    t = metric_table(r, domain=[0, 1])
    assert t.domain.tolist() == ['X', 'Y', 'avg'] and t.n.tolist() == [1, 1, 2]


def test_paper_samplers_keep_their_draws():
    """imvae.TrainNegatives, macd.sample_negatives and slmrec.fixed_negatives are thin uses of rec.data.rejection_negatives:
    their draws are pinned to those of the separate copies they replaced (the studies' numbers depend on them)."""
    from maskrec.rec.imvae import TrainNegatives
    from maskrec.rec.macd import sample_negatives as macd_negatives
    from maskrec.rec.slmrec import SeqData, fixed_negatives as slm_negatives
    df = pd.DataFrame(dict(user_id=[1, 2, 3, 4, 5, 6], domain_id=[0, 0, 1, 1, 0, 1],
                           seq_d1=[[1, 2, 3], [3, 4], [5], [], [0, 6, 7, 8], [2]],
                           seq_d2=[[], [11], [12, 13], [11, 14, 15], [], [10, 16]]))
    pools = {0: np.arange(10), 1: np.arange(10, 18)}
    assert macd_negatives(df, pools, 3, 20, seed=7).tolist() == [[9, 6, 8], [8, 1, 7], [16, 11, 14], [16, 13, 12], [4, 5, 9], [17, 11, 15]]
    own = [a if d == 0 else b for a, b, d in zip(df.seq_d1, df.seq_d2, df.domain_id)]
    t, rng = TrainNegatives(df.domain_id.to_numpy(), own, [pools[0], pools[1]]), np.random.default_rng(3)
    assert [t(rng).tolist() for _ in range(3)] == [[8, 0, 11, 16, 1, 14], [0, 0, 15, 10, 3, 13], [4, 6, 17, 16, 3, 13]]
    sd = SeqData('toy', [np.array([1, 2, 3]), np.array([4, 5, 6, 7, 8, 9, 10, 11]), np.array([2, 12])], 14)
    assert slm_negatives(sd, 4, seed=5).tolist() == [[9, 11, 7, 4], [13, 3, 2, 1], [5, 11, 1, 3]]
    assert slm_negatives(sd, 4, seed=5, users=[2, 0]).tolist() == [[9, 11, 1, 7], [13, 7, 5, 4]]
    y = t(rng)
    for r, (d, o) in enumerate(zip(df.domain_id, own)):            # never an own item, always from the row's pool
        assert y[r] not in o and y[r] in pools[d]
    with pytest.raises(ValueError, match='pool too small'): macd_negatives(df, pools, 8, 20)


def test_rejection_negatives_exclusion_and_seed():
    "The shared sampler: no negative is an own item, distinct per row, from the row's pool, deterministic per seed."
    from maskrec.rec.data import rejection_negatives
    rng = np.random.default_rng(0)
    pools = [np.arange(0, 40), np.arange(40, 60)]
    pool_of_row = rng.integers(0, 2, 500)
    own = [rng.choice(pools[p], rng.integers(0, 12), replace=False) for p in pool_of_row]
    for kw in (dict(), dict(draws=10, rounds=200), dict(draws=8, rounds=1, chunk=64, exact_fallback=True)):
        x = rejection_negatives(pools, pool_of_row, own, 5, rng=11, **kw)
        assert x.shape == (500, 5)
        assert (x == rejection_negatives(pools, pool_of_row, own, 5, rng=11, **kw)).all()
        for r, p in enumerate(pool_of_row):
            assert len(set(x[r])) == 5 and not set(x[r]) & set(own[r]) and set(x[r]) <= set(pools[p].tolist())
