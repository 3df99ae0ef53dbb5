"""Every registered study is runnable by papermill: one `parameters` cell with literal defaults, the
runner's reserved names present, and every profile naming only real parameters of the right type."""
import pytest
from maskrec.runner import load_studies, notebook_parameters, resolve_params, PROFILES

STUDIES = load_studies()

def test_the_five_studies_are_registered():
    assert {'masked_lfw', 'rec_baselines', 'imvae', 'macd', 'slmrec'} <= set(STUDIES)

@pytest.mark.parametrize('study', sorted(STUDIES))
def test_study_parameters_and_profiles(study):
    params = notebook_parameters(STUDIES[study]['notebook'])
    assert {'out_dir', 'profile', 'seed'} <= set(params) and params['out_dir'] is None and params['profile'] == 'smoke'
    assert set(STUDIES[study]['profiles']) == set(PROFILES)
    for p in PROFILES: resolve_params(study, p, [], STUDIES)

@pytest.mark.parametrize('study', sorted(STUDIES))
def test_papermill_reads_every_parameter(study):
    "papermill's own parser sees the same names as ours (a '=' inside a trailing comment used to hide a line from it)."
    import papermill as pm
    ours = set(notebook_parameters(STUDIES[study]['notebook']))
    assert set(pm.inspect_notebook(str(STUDIES[study]['notebook']))) == ours
