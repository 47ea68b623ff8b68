//! Any bytes through the pbzx decoder (Apple's chunked xz): it may fail, never panic, and never
//! give more bytes than the chunks it read declare (64 MiB each at most).
#![no_main]

use bomsmith::input::Pbzx;
use libfuzzer_sys::fuzz_target;
use std::io::Read;

fuzz_target!(|data: &[u8]| {
    let mut decoder = Pbzx::new(data);
    let mut buf = vec![0u8; 64 * 1024];
    let mut total = 0u64;
    // Every chunk header takes 16 bytes of the input and declares 64 MiB at most.
    let bound = (data.len() as u64 / 16 + 1) * (64 << 20);
    loop {
        match decoder.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                total += n as u64;
                assert!(total <= bound, "{total} bytes from {} bytes of input", data.len());
            }
        }
    }
});
