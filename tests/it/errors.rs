//! Bad input: each folder of `tests/fixtures/errors/` is a dossier with problems, and
//! `expected.txt` beside it is what `dossier build` says about it.

use crate::{copy_tree, dossier, expect_file, repo};

#[test]
fn every_error_fixture_reports_what_is_wrong_and_writes_nothing() {
    let fixtures = repo().join("tests/fixtures/errors");
    let mut cases: Vec<_> = std::fs::read_dir(&fixtures)
        .expect("fixtures")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    cases.sort();
    assert!(cases.len() >= 10, "the error fixtures are missing");
    for case in cases {
        let tmp = tempfile::tempdir().expect("tempdir");
        let root = tmp.path().join("dossier");
        let input = case.join("input");
        copy_tree(&input, &root);
        let root_s = root.to_string_lossy().into_owned();
        let out = dossier(&["build", "--root", &root_s]);
        let shown = format!(
            "exit: {}\n{}",
            out.code,
            out.stderr
                .replace(&format!("{root_s}/"), "<root>/")
                .replace(&root_s, "<root>")
        );
        expect_file(&case.join("expected.txt"), &shown);
        assert_ne!(out.code, 0, "{}: a bad dossier must fail", case.display());
        assert!(
            !out.stderr.contains("panicked"),
            "{}: panic",
            case.display()
        );
        assert!(
            !root.join("public").exists(),
            "{}: a failed build wrote output",
            case.display()
        );
    }
}
