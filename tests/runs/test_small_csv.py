"""A CSV too small to split is refused for its size, not blamed on the loss."""

import pytest

from trainlab.data import DataError
from trainlab.presets import default_preset, preset_to_dict
from trainlab.runs.prepared import prepare


def csv_preset(path) -> dict:
    d = preset_to_dict(default_preset())
    d["data"].update(source="csv", path=str(path))
    return d


@pytest.mark.parametrize("rows", [["1,2,0"], ["1,2,0", "3,4,1", "5,6,0"]])
def test_a_csv_with_too_few_rows_says_how_many_it_has(tmp_path, rows):
    path = tmp_path / "small.csv"
    path.write_text("a,b,y\n" + "\n".join(rows) + "\n", encoding="utf-8")
    with pytest.raises(DataError) as caught:
        prepare(csv_preset(path))
    message = str(caught.value)
    assert message.startswith(f"data.path: small.csv has {len(rows)} data row")
    assert "at least 4" in message and "loss" not in message
    assert "\n" not in message


def test_four_rows_are_enough(tmp_path):
    path = tmp_path / "four.csv"
    path.write_text("a,b,y\n1,2,a\n3,4,b\n5,6,a\n7,8,b\n", encoding="utf-8")
    d = csv_preset(path)
    d["data"]["split"] = {"train": 0.5, "val": 0.25, "test": 0.25}
    assert len(prepare(d).splits.y_train) == 2
