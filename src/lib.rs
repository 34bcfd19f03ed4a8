//! medcode
