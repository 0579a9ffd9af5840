//! Bytes to UTF-8, with a map from decoded offsets back to the original bytes.

use encoding_rs::{Encoding, UTF_8};
use kulisy_model::{EncodingInfo, EncodingSource, OffsetMap, OffsetMapBuilder, Span};

use crate::ReadError;

/// Decoded text and how its offsets map to the original bytes.
pub(crate) struct Decoded {
    pub text: String,
    pub map: OffsetMap,
    pub encoding: EncodingInfo,
}

/// Whether the bytes look like a binary file rather than text in any encoding.
pub(crate) fn looks_binary(bytes: &[u8]) -> bool {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        return false; // UTF-16 with a byte-order mark: NULs are expected
    }
    let head = &bytes[..bytes.len().min(64 * 1024)];
    if memchr::memchr(0, head).is_some() {
        return true;
    }
    let controls = head.iter().filter(|&&b| b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r' | 0x0C)).count();
    controls * 20 > head.len()
}

/// The charset an HTML `<meta>` or XML declaration names in the first bytes.
fn declared(bytes: &[u8]) -> Option<&'static Encoding> {
    let head = &bytes[..bytes.len().min(2048)];
    let lower: Vec<u8> = head.iter().map(u8::to_ascii_lowercase).collect();
    for key in [&b"charset="[..], &b"encoding="[..]] {
        if let Some(p) = memchr::memmem::find(&lower, key) {
            let rest = &head[p + key.len()..];
            let rest = rest.strip_prefix(b"\"").or_else(|| rest.strip_prefix(b"'")).unwrap_or(rest);
            let end = rest.iter().position(|b| !(b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b':' | b'.'))).unwrap_or(rest.len());
            if let Some(enc) = Encoding::for_label(&rest[..end]) {
                return Some(enc);
            }
        }
    }
    None
}

/// Decodes `bytes`: a byte-order mark first, then valid UTF-8, then the
/// document's own declaration, then a guess from the bytes.
pub(crate) fn decode(bytes: &[u8]) -> Result<Decoded, ReadError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        return Ok(transcode(enc, bytes, bom_len, EncodingSource::Bom));
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Ok(Decoded {
            text: s.to_owned(),
            map: OffsetMap::identity(bytes.len()),
            encoding: EncodingInfo { name: UTF_8.name(), source: EncodingSource::Valid, had_errors: false },
        });
    }
    if let Some(enc) = declared(bytes).filter(|e| *e != UTF_8 && e.is_ascii_compatible()) {
        return Ok(transcode(enc, bytes, 0, EncodingSource::Declared));
    }
    let mut detector = chardetng::EncodingDetector::new(chardetng::Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let enc = detector.guess(None, chardetng::Utf8Detection::Allow);
    Ok(transcode(enc, bytes, 0, EncodingSource::Detected))
}

/// Decodes with `enc`, one input byte at a time, so that every output
/// character is tied to the input bytes that produced it. Runs of ASCII are
/// copied in one step.
fn transcode(enc: &'static Encoding, bytes: &[u8], skip: usize, source: EncodingSource) -> Decoded {
    let mut decoder = enc.new_decoder_without_bom_handling();
    let mut text = String::with_capacity(bytes.len() + bytes.len() / 4);
    let mut map = OffsetMapBuilder::new();
    let mut had_errors = false;
    let mut buf = [0u8; 32];
    let mut pos = skip;
    let mut pending_start = skip; // first input byte not yet accounted for in the map
    let ascii_compatible = enc.is_ascii_compatible();
    while pos < bytes.len() {
        // Fast path: a run of ASCII in an ASCII-compatible encoding, with nothing pending.
        if ascii_compatible && pending_start == pos {
            let run = bytes[pos..].iter().take_while(|b| b.is_ascii()).count();
            if run > 0 {
                // ASCII bytes are valid UTF-8 and valid in the encoding alike.
                text.push_str(std::str::from_utf8(&bytes[pos..pos + run]).unwrap_or(""));
                map.copy(pos, run);
                pos += run;
                pending_start = pos;
                continue;
            }
        }
        let last = pos + 1 == bytes.len();
        let Ok(out) = std::str::from_utf8_mut(&mut buf) else { break };
        let (_, read, written, errors) = decoder.decode_to_str(&bytes[pos..pos + 1], out, last);
        had_errors |= errors;
        pos += read.max(1);
        if written > 0 {
            let out = std::str::from_utf8(&buf[..written]).unwrap_or("\u{FFFD}");
            text.push_str(out);
            map.replace(Span::new(pending_start, pos), written);
            pending_start = pos;
        }
    }
    Decoded { text, map: map.finish(bytes.len()), encoding: EncodingInfo { name: enc.name(), source, had_errors } }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_1252_maps_each_character_to_its_byte() {
        // "caf\xe9 \x93x\x94" in windows-1252: café “x”
        let bytes = b"caf\xe9 \x93x\x94";
        let d = decode(bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.text, "café “x”");
        assert_eq!(d.encoding.source, EncodingSource::Detected);
        let x = d.text.find('x').unwrap_or(0);
        assert_eq!(d.map.to_original(x), 6);
        assert_eq!(d.map.to_original_span(Span::new(3, 5)), Span::new(3, 4));
    }

    #[test]
    fn utf8_bom_is_skipped_and_mapped() {
        let d = decode("\u{FEFF}abc".as_bytes()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(d.text, "abc");
        assert_eq!(d.encoding.source, EncodingSource::Bom);
        assert_eq!(d.map.to_original(0), 3);
    }

    #[test]
    fn koi8_r_is_read_when_declared() {
        // "<meta charset=koi8-r>" then "Ленин" in KOI8-R
        let mut bytes = b"<meta charset=koi8-r><p>".to_vec();
        bytes.extend_from_slice(&[0xEC, 0xC5, 0xCE, 0xC9, 0xCE]);
        let d = decode(&bytes).unwrap_or_else(|e| panic!("{e}"));
        assert!(d.text.ends_with("Ленин"), "{}", d.text);
        assert_eq!(d.encoding.name, "KOI8-R");
        assert_eq!(d.encoding.source, EncodingSource::Declared);
    }

    #[test]
    fn binary_is_recognised() {
        assert!(looks_binary(b"\x7fELF\x02\x01\x01\x00\x00\x00"));
        assert!(!looks_binary("plain “text”\r\n".as_bytes()));
    }
}
