#!/usr/bin/python3
"""
Writes the sample gbdt model of the default deployment: config/data/gbdt_model.json,
an XGBoost binary:logistic model saved with save_model (JSON), served by the
gbdt_main algorithm of alg/rank.ini through the global table gbdt_model.

Its columns are the feature ids of the sample requests (0 .. 16383; see
make-candidates.ts): each training row has 40 of them, the rest missing, and
a click depends on a fixed, hidden effect per column. Fixed seeds and one
thread, so a rerun with the same XGBoost writes the same file:
    /usr/bin/python3 config/data/make-gbdt-model.py
(Debian's python3-xgboost; the python3 first on PATH may lack it.)
"""
import os

import numpy as np
import scipy.sparse
import xgboost as xgb

COLUMNS = 16384
ROWS = 30000
PER_ROW = 40

rng = np.random.default_rng(20261122)
effect = np.zeros(COLUMNS)
effect[rng.choice(COLUMNS, 1500, replace=False)] = rng.normal(0, 1.5, 1500)

cols = np.concatenate([rng.choice(COLUMNS, PER_ROW, replace=False) for _ in range(ROWS)])
values = np.round(rng.random(ROWS * PER_ROW), 3).astype(np.float32)
indptr = np.arange(0, ROWS * PER_ROW + 1, PER_ROW)
x = scipy.sparse.csr_matrix((values, cols, indptr), shape=(ROWS, COLUMNS))
z = -1.5 + x @ effect
y = (rng.random(ROWS) < 1 / (1 + np.exp(-z))).astype(np.float32)

booster = xgb.train(
    {"objective": "binary:logistic", "max_depth": 4, "eta": 0.3, "tree_method": "hist", "seed": 7, "nthread": 1},
    xgb.DMatrix(x, label=y),  # sparse: absent columns are missing
    num_boost_round=30,
)
out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "gbdt_model.json")
booster.save_model(out)
print(f"xgboost {xgb.__version__}: wrote {out}")
