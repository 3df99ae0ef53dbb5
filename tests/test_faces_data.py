"""The dataset-creation API that the masked_lfw study and maskrec.faces.train rely on (fast checks on a few real LFW images)."""
import numpy as np
import pandas as pd
import pytest
from maskrec.faces.lfw import lfw_manifest, lfw_root, read_image
from maskrec.faces.masks import (MANIFEST_COLUMNS, MASK_METHODS, MASK_STYLES, FaceLandmarks, apply_mask, build_masked_lfw,
                                 detect_landmarks, load_masked_lfw)

@pytest.fixture(scope='module')
def face(mirror):
    img, info = read_image(lfw_root()/'Colin_Powell/Colin_Powell_0001.jpg')
    assert info['ok']
    return img, detect_landmarks(img)

def test_default_selection_is_50_identities_1702_images(mirror):
    df = lfw_manifest()
    assert (df.identity.nunique(), len(df)) == (50, 1702)
    assert list(df.columns) == ['identity', 'label', 'image', 'split'] and set(df.split) == {'train', 'val', 'test'}

def test_landmarks_and_every_style_method(face):
    img, fl = face
    assert isinstance(fl, FaceLandmarks) and fl.ok and fl.detector == 'dlib' and fl.points.shape == (68, 2)
    mouth = fl.points[48:68].mean(0).astype(int)
    for s in MASK_STYLES:
        for m in MASK_METHODS:
            out = apply_mask(img, fl.points, s, m)
            assert out.shape == img.shape and out.dtype == np.uint8
            assert (out[mouth[1], mouth[0]] != img[mouth[1], mouth[0]]).any()

def test_on_the_fly_augmentation_is_seeded_and_scales(face):
    img, fl = face
    a = apply_mask(img, fl.points, 'random', 'random', rng=np.random.default_rng(5))
    assert np.array_equal(a, apply_mask(img, fl.points, 'random', 'random', rng=np.random.default_rng(5)))
    import cv2
    small = cv2.resize(img, (96, 96), interpolation=cv2.INTER_AREA)
    assert apply_mask(small, fl.points * 96 / img.shape[1], 'cloth_black', 'polygon').shape == (96, 96, 3)

def test_small_build_roundtrip(tmp_path, mirror):
    man = lfw_manifest(2, 3)
    b = build_masked_lfw(tmp_path, manifest=man, workers=1, progress=False)
    assert list(b.manifest.columns) == MANIFEST_COLUMNS and b.landmarks.shape == (6, 68, 2)
    assert (b.manifest.status == 'ok').all() and all(p.exists() for p in b.paths())
    again = load_masked_lfw(b.root)
    assert again.manifest.equals(b.manifest) and np.array_equal(again.landmarks, b.landmarks, equal_nan=True)
    assert build_masked_lfw(tmp_path, manifest=man, workers=1, progress=False).root == b.root   # reused
