//! What crosses IPC besides the core's own types: the argument wrapper
//! that turns a missing or wrong-typed argument into a coded error, and
//! the result type every command returns.
//!
//! Tauri rejects an argument it cannot deserialize with a bare string
//! before the command runs. Every command argument is therefore an
//! [`Arg<T>`]: it always deserializes, keeping the problem, and the command
//! turns it into an `invalid_input` error with the argument's name, so the
//! UI (or a script calling `invoke` by hand) always gets `{code, message}`.

use std::marker::PhantomData;

use serde::de::{DeserializeOwned, Deserializer, Visitor};
use serde::Deserialize;
use specta::datatype::reference::Reference;
use specta::datatype::DataType;
use specta::{Generics, Type, TypeCollection};
use tidings::{Error, ErrorCode};

/// Every command's result: the core's error type, `{code, message}`.
pub type IpcResult<T> = Result<T, Error>;

/// A command argument that always deserializes; see the module docs.
pub struct Arg<T>(Result<T, String>);

impl<T> Arg<T> {
    /// The value, or an `invalid_input` error naming the argument.
    pub fn get(self, name: &str) -> Result<T, Error> {
        self.0.map_err(|why| {
            Error::new(
                ErrorCode::InvalidInput,
                format!("The argument '{name}' is {why}: the app sent a request this version does not understand; update or restart Tidings"),
            )
        })
    }
}

impl<'de, T: DeserializeOwned> Deserialize<'de> for Arg<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: DeserializeOwned> Visitor<'de> for V<T> {
            type Value = Arg<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a command argument")
            }
            // Tauri calls `visit_none` when the key is absent.
            fn visit_none<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                Ok(Arg(
                    T::deserialize(serde_json::Value::Null).map_err(|_| "missing".to_string())
                ))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Self::Value, E> {
                self.visit_none()
            }
            fn visit_some<D2: Deserializer<'de>>(self, d: D2) -> Result<Self::Value, D2::Error> {
                let value = serde_json::Value::deserialize(d)?;
                Ok(Arg(
                    T::deserialize(value).map_err(|e| format!("not valid ({e})"))
                ))
            }
        }
        d.deserialize_option(V(PhantomData))
    }
}

// The generated TypeScript shows the wrapped type: the wrapper is an
// implementation detail of error reporting.
impl<T: Type> Type for Arg<T> {
    fn inline(types: &mut TypeCollection, generics: Generics) -> DataType {
        T::inline(types, generics)
    }
    fn reference(types: &mut TypeCollection, generics: &[DataType]) -> Reference {
        T::reference(types, generics)
    }
}

/// Runs blocking store work off the async runtime's threads; a panic in it
/// becomes an `internal` error instead of crossing IPC.
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, Error> + Send + 'static,
) -> Result<T, Error> {
    match tokio::task::spawn_blocking(f).await {
        Ok(r) => r,
        Err(e) => {
            tracing::error!("a command failed unexpectedly: {e}");
            Err(Error::new(
                ErrorCode::Internal,
                "Tidings hit a bug and did not finish this; your data is unchanged. Try again, and report it with the log from Settings → Storage",
            ))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Deserialize)]
    struct Req {
        a: Arg<String>,
        b: Arg<Option<u32>>,
    }

    #[test]
    fn wrong_types_and_missing_values_are_kept_as_coded_errors() {
        let r: Req = serde_json::from_str(r#"{"a": 5, "b": null}"#).unwrap();
        let e = r.a.get("a").unwrap_err();
        assert_eq!(e.code, ErrorCode::InvalidInput);
        assert!(e.message.contains("'a' is not valid"), "{}", e.message);
        assert_eq!(r.b.get("b").unwrap(), None);
        let r: Req = serde_json::from_str(r#"{"a": null, "b": "x"}"#).unwrap();
        assert!(r.a.get("a").unwrap_err().message.contains("missing"));
        assert!(r.b.get("b").is_err());
        let r: Req = serde_json::from_str(r#"{"a": "hi", "b": 3}"#).unwrap();
        assert_eq!(r.a.get("a").unwrap(), "hi");
        assert_eq!(r.b.get("b").unwrap(), Some(3));
    }
}
