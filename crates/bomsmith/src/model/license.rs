//! Licenses outside the SPDX license list.

/// A license that is not on the SPDX license list, declared once and named by its
/// `LicenseRef-` identifier in license expressions.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct ExtractedLicense {
    /// `LicenseRef-...` identifier.
    pub id: String,
    /// The license text as found.
    pub text: String,
    /// A human-readable name.
    pub name: Option<String>,
    /// Free-text comment.
    pub comment: Option<String>,
    /// URLs where the license can be read.
    pub see_also: Vec<String>,
}
