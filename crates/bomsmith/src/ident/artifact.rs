//! Names and versions read from artifact file names.

/// Archive suffixes recognised when a name and version are read from a file name.
const SUFFIXES: &[&str] = &[
    ".tar.gz", ".tar.xz", ".tar.bz2", ".tar.zst", ".tgz", ".txz", ".tbz2", ".tbz", ".tzst", ".tar",
    ".zip", ".whl", ".jar",
];

/// Reads `NAME-VERSION.EXT` (and wheel names `NAME-VERSION-TAGS.whl`): the name, and the
/// version when one follows the first `-` that precedes a digit.
pub fn split_artifact_name(file_name: &str) -> (String, Option<String>) {
    let lower = file_name.to_ascii_lowercase();
    let stem = SUFFIXES
        .iter()
        .find(|s| lower.ends_with(*s))
        .map_or(file_name, |s| &file_name[..file_name.len() - s.len()]);
    if lower.ends_with(".whl") {
        let mut parts = stem.split('-');
        if let (Some(n), Some(v)) = (parts.next(), parts.next()) {
            return (n.to_owned(), Some(v.to_owned()));
        }
    }
    let bytes = stem.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'-' && i > 0 && bytes.get(i + 1).is_some_and(u8::is_ascii_digit) {
            return (stem[..i].to_owned(), Some(stem[i + 1..].to_owned()));
        }
    }
    (stem.to_owned(), None)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn artifact_names() {
        assert_eq!(
            split_artifact_name("Python-3.13.5.tar.xz"),
            ("Python".into(), Some("3.13.5".into()))
        );
        assert_eq!(
            split_artifact_name("foo-bar-1.2.tgz"),
            ("foo-bar".into(), Some("1.2".into()))
        );
        assert_eq!(
            split_artifact_name("pip-25.1.1-py3-none-any.whl"),
            ("pip".into(), Some("25.1.1".into()))
        );
        assert_eq!(split_artifact_name("tree"), ("tree".into(), None));
    }
}
