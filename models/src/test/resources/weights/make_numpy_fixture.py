# Writes numpy_state_dict.npz, read by TensorFilesTest: a file numpy itself wrote (numpy 2.4.6 made the
# committed copy). Run: python3 make_numpy_fixture.py
import numpy as np

np.savez(
    "numpy_state_dict.npz",
    **{
        "in_proj_weight": (np.arange(12, dtype="<f4") / 4).reshape(6, 2),
        "out_proj.bias": np.array([0.5, -1.5], dtype="<f8"),
    },
)
