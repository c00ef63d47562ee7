import numpy as np
import pytest

from trainlab.data import DataError, read_csv


def write(tmp_path, text, name="data.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def numbered(header, rows):
    return header + "\n" + "\n".join(rows) + "\n"


# -- good files ---------------------------------------------------------------------------------


def test_string_target_maps_to_sorted_labels(tmp_path):
    path = write(tmp_path, "a,b,species\n1,2,virginica\n3,4,setosa\n5,6,versicolor\n7,8,setosa\n")
    ds = read_csv(path)
    assert ds.task == "classification"
    assert ds.class_names == ["setosa", "versicolor", "virginica"]
    np.testing.assert_array_equal(ds.y, [2, 0, 1, 0])
    np.testing.assert_array_equal(ds.X, [[1, 2], [3, 4], [5, 6], [7, 8]])
    assert ds.feature_names == ["a", "b"]
    assert ds.target_name == "species"
    assert ds.name == "data.csv"


def test_few_integer_values_are_classification_in_numeric_order(tmp_path):
    rows = [f"{i},{[10, 2, 9][i % 3]}" for i in range(30)]
    ds = read_csv(write(tmp_path, numbered("x,label", rows)))
    assert ds.task == "classification"
    assert ds.class_names == ["2", "9", "10"]
    np.testing.assert_array_equal(ds.y[:3], [2, 0, 1])


def test_float_target_is_regression(tmp_path):
    rows = [f"{i},{i * 0.5 + 0.25}" for i in range(10)]
    ds = read_csv(write(tmp_path, numbered("x,y", rows)))
    assert ds.task == "regression"
    assert ds.y.shape == (10, 1) and ds.y.dtype == np.float64
    assert ds.n_classes == 0 and ds.class_names == []


def test_many_distinct_integers_are_regression(tmp_path):
    rows = [f"{i},{i * 3}" for i in range(30)]  # 30 distinct values: not < half the rows
    assert read_csv(write(tmp_path, numbered("x,y", rows))).task == "regression"


def test_task_override(tmp_path):
    rows = [f"{i},{i % 3}" for i in range(30)]
    path = write(tmp_path, numbered("x,y", rows))
    assert read_csv(path).task == "classification"
    ds = read_csv(path, task="regression")
    assert ds.task == "regression"
    np.testing.assert_array_equal(ds.y[:4, 0], [0.0, 1.0, 2.0, 0.0])
    floats = write(tmp_path, numbered("x,y", ["1,0.5", "2,1.5", "3,0.5"]), "f.csv")
    ds = read_csv(floats, task="classification")
    assert ds.class_names == ["0.5", "1.5"]
    np.testing.assert_array_equal(ds.y, [0, 1, 0])


def test_target_by_name_and_spaces_bom_blank_lines_quotes(tmp_path):
    text = '\ufeff label , "x, first", x2\n\nb, 1.5 ,2\na,3,"4"\n\n'
    ds = read_csv(write(tmp_path, text), target="label")
    assert ds.feature_names == ["x, first", "x2"]
    np.testing.assert_array_equal(ds.X, [[1.5, 2.0], [3.0, 4.0]])
    assert ds.class_names == ["a", "b"]
    np.testing.assert_array_equal(ds.y, [1, 0])


def test_crlf_line_endings(tmp_path):
    path = tmp_path / "win.csv"
    path.write_bytes(b"x,y\r\n1,a\r\n2,b\r\n")
    assert read_csv(path).class_names == ["a", "b"]


# -- errors -------------------------------------------------------------------------------------


def error(path, **kwargs) -> str:
    with pytest.raises(DataError) as info:
        read_csv(path, **kwargs)
    assert isinstance(info.value, ValueError)
    return str(info.value)


def test_missing_file(tmp_path):
    assert "file not found" in error(tmp_path / "nope.csv")


def test_empty_file(tmp_path):
    assert "empty" in error(write(tmp_path, ""))
    assert "empty" in error(write(tmp_path, "\n\n  \n", "blank.csv"))


def test_header_only(tmp_path):
    assert "header but no data rows" in error(write(tmp_path, "a,b,c\n"))


@pytest.mark.parametrize("cell", ["", "NA", "nan", "?"])
def test_missing_value_names_line_and_column(tmp_path, cell):
    path = write(tmp_path, f"a,b,y\n1,2,x\n3,{cell},z\n")
    msg = error(path)
    assert "line 3" in msg and "column 'b'" in msg and "missing value" in msg


def test_missing_target_value(tmp_path):
    msg = error(write(tmp_path, "a,y\n1,x\n2,\n"))
    assert "line 3" in msg and "column 'y'" in msg and "missing" in msg


def test_non_numeric_feature_shows_value(tmp_path):
    msg = error(write(tmp_path, "a,b,y\n1,2,x\n3,4,y\n5,abc,x\n"))
    assert "line 4" in msg and "column 'b'" in msg and "'abc'" in msg and "not a number" in msg


def test_decimal_comma_hint(tmp_path):
    msg = error(write(tmp_path, 'a,y\n"1,5",x\n2,y\n'))
    assert "line 2" in msg and "column 'a'" in msg and "decimals with a point" in msg


def test_infinite_feature(tmp_path):
    msg = error(write(tmp_path, "a,y\n1,x\ninf,y\n"))
    assert "line 3" in msg and "column 'a'" in msg and "not a finite number" in msg


def test_ragged_row(tmp_path):
    msg = error(write(tmp_path, "a,b,y\n1,2,x\n3,4\n5,6,x\n"))
    assert "line 3" in msg and "2 fields" in msg and "3 columns" in msg


def test_line_numbers_count_blank_lines(tmp_path):
    msg = error(write(tmp_path, "a,y\n1,x\n\n\n2,y,3\n"))
    assert "line 5" in msg


def test_unknown_target_lists_columns(tmp_path):
    msg = error(write(tmp_path, "alpha,beta,label\n1,2,x\n3,4,y\n"), target="lable")
    assert "data.target" in msg and "alpha, beta, label" in msg and "did you mean 'label'" in msg


def test_single_class(tmp_path):
    msg = error(write(tmp_path, "a,y\n1,cat\n2,cat\n3,cat\n"))
    assert "single class" in msg and "'cat'" in msg and "'y'" in msg


def test_regression_override_on_text_target(tmp_path):
    msg = error(write(tmp_path, "a,y\n1,cat\n2,dog\n"), task="regression")
    assert "line 2" in msg and "column 'y'" in msg and "'cat'" in msg


@pytest.mark.parametrize(("delimiter", "spoken"), [(";", "';'"), ("\t", "a tab"), ("|", "'|'")])
def test_wrong_delimiter_is_detected(tmp_path, delimiter, spoken):
    text = delimiter.join(["a", "b", "y"]) + "\n" + delimiter.join(["1", "2", "x"]) + "\n"
    msg = error(write(tmp_path, text))
    assert f"looks like the delimiter is {spoken}" in msg
    assert "comma-separated" in msg


def test_wrong_delimiter_in_data_rows(tmp_path):
    msg = error(write(tmp_path, "a,y\n1;x\n"))
    assert "line 2" in msg and "looks like the delimiter is ';'" in msg


def test_single_column(tmp_path):
    assert "one column" in error(write(tmp_path, "y\n1\n2\n"))


def test_bad_header(tmp_path):
    assert "column 2 has no name" in error(write(tmp_path, "a,,y\n1,2,x\n"))
    assert "'a' appears twice" in error(write(tmp_path, "a,a,y\n1,2,x\n", "dup.csv"))


def test_unbalanced_quote(tmp_path):
    msg = error(write(tmp_path, 'a,y\n1,"x\n2,y\n'))
    assert "line" in msg


def test_bad_task(tmp_path):
    path = write(tmp_path, "a,y\n1,x\n2,y\n")
    assert "data.task" in error(path, task="clustering")


def test_folder_is_not_a_file(tmp_path):
    assert "folder" in error(tmp_path)


def test_not_utf8(tmp_path):
    path = tmp_path / "latin.csv"
    path.write_bytes("a,y\n1,caf\xe9\n2,b\n".encode("latin-1"))
    assert "UTF-8" in error(path)
