//! The `uniffi-bindgen` command of the workspace.
//!
//! It reads the metadata that uniffi's proc-macros embed in the built
//! `dueregard-uniffi` library and writes the foreign-language sources:
//!
//! ```text
//! uniffi-bindgen generate target/debug/libdueregard_uniffi.so \
//!     --language kotlin --out-dir build/uniffi/kotlin --no-format
//! ```

fn main() {
    uniffi::uniffi_bindgen_main()
}
