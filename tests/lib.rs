//! Black-box test binaries live in `api/` and `browser/`; this library is empty on purpose.
