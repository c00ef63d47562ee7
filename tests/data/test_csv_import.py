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


# -- files that are no CSV, sizes, what a message quotes ------------------------------------------


def test_a_device_is_refused_before_it_is_read():
    # /dev/zero once read forever, growing without bound
    msg = error("/dev/zero")
    assert "not a regular file" in msg and "device" in msg


def test_a_pipe_is_refused_without_blocking(tmp_path):
    import os
    import threading

    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)

    def feed():  # a writer, so that a reader that opens the pipe gets a good table
        with open(fifo, "w") as pipe:
            pipe.write("a,y\n1,x\n2,z\n")

    writer = threading.Thread(target=feed, daemon=True)
    writer.start()
    try:
        assert "pipe" in error(fifo)
    finally:  # let the writer finish: open the reading end ourselves, without blocking
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        writer.join()
        os.close(fd)


def test_a_symbolic_link_loop_is_named_as_such(tmp_path):
    (tmp_path / "a.csv").symlink_to(tmp_path / "b.csv")
    (tmp_path / "b.csv").symlink_to(tmp_path / "a.csv")
    msg = error(tmp_path / "a.csv")
    assert "loop" in msg and "not found" not in msg


def test_a_symbolic_link_to_a_good_file_is_read(tmp_path):
    real = write(tmp_path, "a,y\n1,x\n2,z\n")
    (tmp_path / "link.csv").symlink_to(real)
    assert read_csv(tmp_path / "link.csv").class_names == ["x", "z"]


def test_a_file_over_the_size_cap_is_refused(tmp_path, monkeypatch):
    from trainlab.data import csv_import

    monkeypatch.setattr(csv_import, "MAX_BYTES", 10)
    assert "larger than" in error(write(tmp_path, "a,y\n1,x\n2,z\n"))


def test_a_message_quotes_at_most_a_short_escaped_piece_of_the_file(tmp_path):
    # e.g. data.path pointing at a process's environment: one huge "column name"
    secret = "HOME=/root\x00PATH=/bin\x1b[2J" + "X" * 10_000
    path = tmp_path / "environ"
    path.write_bytes(secret.encode())
    msg = error(path)
    assert len(msg) < 300 and "\x1b" not in msg and "\x00" not in msg
    assert "XXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXXX" not in msg


def test_unknown_target_in_a_wide_file_lists_a_few_columns(tmp_path):
    names = [f"column_{j}" for j in range(500)]
    path = write(tmp_path, ",".join(names) + "\n" + ",".join("1" * 500) + "\n")
    msg = error(path, target="nope")
    assert "column_0" in msg and "column_499" not in msg and "470 more" in msg


# -- the fast reader and the exact reader agree ---------------------------------------------------

AGREE = {
    "clean": "a,b,y\n1,2.5,x\n3,-4e3,y\n5,6,x\n",
    "spaces_and_quotes": 'a , b,y\n 1 , "2",x\n3,4 , y \n',
    "numeric_target": "a,y\n" + "".join(f"{i},{i % 3}\n" for i in range(12)),
    "float_target": "a,y\n1,0.5\n2,1.5\n3,2.25\n",
    "python_only_number": "a,y\n1,1_000\n2,2_000\n3,3_000\n",
    "blank_lines": "a,y\n\n1,x\n\n\n2,z\n",
    "crlf": "a,y\r\n1,x\r\n2,z\r\n",
    "bom": "\ufeffa,y\n1,x\n2,z\n",
    "missing_feature": "a,b,y\n1,2,x\n3,,y\n",
    "nan_feature": "a,b,y\n1,2,x\n3,NaN,y\n",
    "missing_label": "a,y\n1,x\n2,null\n",
    "ragged": "a,b,y\n1,2,x\n3,4\n",
    "quoted_newline": 'a,y\n1,"x\ny"\n2,z\n',
    "text_regression": "a,y\n1,1.5\n2,cat\n",
}


@pytest.mark.parametrize("case", list(AGREE), ids=list(AGREE))
def test_the_fast_and_the_exact_reader_give_the_same_result(case, tmp_path):
    from tests.data.csv_readers import both_readers

    path = write(tmp_path, AGREE[case])
    task = "regression" if case == "text_regression" else "auto"
    fast, exact = both_readers(path, task)
    assert fast == exact


def test_a_large_clean_file_takes_the_fast_reader(tmp_path, monkeypatch):
    from trainlab.data import csv_import

    def refuse(*args):
        raise AssertionError("the exact reader was used")

    monkeypatch.setattr(csv_import, "_exact_table", refuse)
    rows = "".join(f"{i * 0.5},{-i},{'abc'[i % 3]}\n" for i in range(5000))
    ds = read_csv(write(tmp_path, "a,b,y\n" + rows))
    assert ds.X.shape == (5000, 2) and ds.X[4999, 0] == 2499.5 and ds.X[4999, 1] == -4999
    np.testing.assert_array_equal(ds.y[:3], [0, 1, 2])
