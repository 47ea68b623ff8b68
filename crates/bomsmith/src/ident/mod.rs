//! Identifiers, one file per kind: SPDX element IDs, package URLs, CPEs, Python names,
//! artifact file names, timestamps and UUIDs.

pub mod artifact;
pub mod cpe;
pub mod purl;
pub mod python;
pub mod spdx_id;
pub mod time;
pub mod uuid;
pub mod version;

pub use artifact::{
    ArtifactName, Convention, parse_artifact_name, parse_top_directory, split_artifact_name,
};
pub use cpe::{Cpe23, CpeName, cpe_with_version, parse_cpe23};
pub use purl::{Purl, npm_purl, parse_purl, purl_encode, pypi_purl};
pub use python::{parse_pin, pep503, pin_parts};
pub use spdx_id::{IdAllocator, is_element_id, is_ref_id, spdx_id};
pub use time::{creation_time, format_timestamp, parse_timestamp};
pub use uuid::{is_uuid, uuid_v5_url};
