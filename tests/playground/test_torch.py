"""The playground's updates equal torch.optim's, step for step, on two surfaces (skipped
without PyTorch). torch.optim has no LAMB; its formula is checked in test_racers.py."""

import numpy as np
import pytest

from trainlab.playground import race

torch = pytest.importorskip("torch")

STEPS = 80
START = [-1.2, 1.5]


def rosenbrock(p):
    return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2


def himmelblau(p):
    return (p[0] ** 2 + p[1] - 11) ** 2 + (p[0] + p[1] ** 2 - 7) ** 2


SURFACES = {"rosenbrock": rosenbrock, "himmelblau": himmelblau}

# (our optimizer section, the torch.optim constructor with the same settings)
CASES = {
    "sgd": ({"name": "sgd", "lr": 0.001}, lambda p: torch.optim.SGD(p, lr=0.001)),
    "momentum": ({"name": "momentum", "lr": 0.0005},
                 lambda p: torch.optim.SGD(p, lr=0.0005, momentum=0.9)),
    "nesterov": ({"name": "momentum", "lr": 0.0005, "momentum": 0.8, "nesterov": True},
                 lambda p: torch.optim.SGD(p, lr=0.0005, momentum=0.8, nesterov=True)),
    "adagrad": ({"name": "adagrad", "lr": 0.3},
                lambda p: torch.optim.Adagrad(p, lr=0.3, eps=1e-10)),
    "rmsprop": ({"name": "rmsprop", "lr": 0.01},
                lambda p: torch.optim.RMSprop(p, lr=0.01, alpha=0.99, eps=1e-8)),
    "rmsprop-momentum": ({"name": "rmsprop", "lr": 0.003, "momentum": 0.5, "rho": 0.9},
                         lambda p: torch.optim.RMSprop(p, lr=0.003, alpha=0.9, eps=1e-8,
                                                       momentum=0.5)),
    "adam": ({"name": "adam", "lr": 0.05, "beta1": 0.8, "beta2": 0.99},
             lambda p: torch.optim.Adam(p, lr=0.05, betas=(0.8, 0.99), eps=1e-8)),
    "adamw": ({"name": "adamw", "lr": 0.05, "weight_decay": 0.1},
              lambda p: torch.optim.AdamW(p, lr=0.05, betas=(0.9, 0.999), eps=1e-8,
                                          weight_decay=0.1)),
}


@pytest.mark.parametrize("surface", list(SURFACES))
@pytest.mark.parametrize("case", list(CASES))
def test_paths_equal_torch_optim(surface, case):
    ours, make = CASES[case]
    results = race({"format": "trainlab-playground", "surface": {"name": surface},
                    "start": START, "steps": STEPS,
                    "racers": [{"label": "r", "optimizer": ours}]})
    w = torch.tensor(START, dtype=torch.float64, requires_grad=True)
    optimizer = make([w])
    path = [w.detach().numpy().copy()]
    for _ in range(STEPS):
        optimizer.zero_grad()
        SURFACES[surface](w).backward()
        optimizer.step()
        path.append(w.detach().numpy().copy())
    np.testing.assert_allclose(results["r"].points, np.array(path), rtol=1e-10, atol=1e-12)
