//! DNS messages on the wire (RFC 1035): queries out, responses in. Names are text the way
//! c-ares prints them: no trailing dot, the root as the empty string, and the bytes
//! `. " ; \ ( ) @ $` escaped with a backslash, other unprintable bytes as `\DDD`.

use std::net::{Ipv4Addr, Ipv6Addr};

pub const TYPE_A: u16 = 1;
pub const TYPE_NS: u16 = 2;
pub const TYPE_CNAME: u16 = 5;
pub const TYPE_SOA: u16 = 6;
pub const TYPE_PTR: u16 = 12;
pub const TYPE_MX: u16 = 15;
pub const TYPE_TXT: u16 = 16;
pub const TYPE_AAAA: u16 = 28;
pub const TYPE_SRV: u16 = 33;
pub const TYPE_NAPTR: u16 = 35;
pub const TYPE_TLSA: u16 = 52;
pub const TYPE_ANY: u16 = 255;
pub const TYPE_CAA: u16 = 257;

const CLASS_IN: u16 = 1;

/// The longest name (in wire form) and label RFC 1035 allows.
const MAX_NAME: usize = 255;
const MAX_LABEL: usize = 63;

/// A query for `name` (c-ares's text form: `\.` and `\DDD` escapes, optional trailing dot)
/// asking for recursion; `None` when the name has an empty or too long label.
pub fn encode_query(id: u16, name: &str, qtype: u16) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(18 + name.len());
    out.extend_from_slice(&id.to_be_bytes());
    out.extend_from_slice(&[0x01, 0x00, 0, 1, 0, 0, 0, 0, 0, 0]);
    encode_name(name, &mut out)?;
    out.extend_from_slice(&qtype.to_be_bytes());
    out.extend_from_slice(&CLASS_IN.to_be_bytes());
    Some(out)
}

fn encode_name(name: &str, out: &mut Vec<u8>) -> Option<()> {
    let mut labels: Vec<Vec<u8>> = vec![Vec::new()];
    let mut bytes = name.bytes();
    while let Some(c) = bytes.next() {
        let label = labels.last_mut()?;
        match c {
            b'.' => labels.push(Vec::new()),
            b'\\' => match bytes.next()? {
                d if d.is_ascii_digit() => {
                    let (d2, d3) = (bytes.next()?, bytes.next()?);
                    if !d2.is_ascii_digit() || !d3.is_ascii_digit() {
                        return None;
                    }
                    let value = (d - b'0') as u32 * 100 + (d2 - b'0') as u32 * 10 + (d3 - b'0') as u32;
                    label.push(u8::try_from(value).ok()?);
                }
                e => label.push(e),
            },
            _ => label.push(c),
        }
    }
    // A trailing dot ends the name; "" and "." are the root.
    if labels.len() > 1 && labels.last().is_some_and(Vec::is_empty) {
        labels.pop();
    }
    let start = out.len();
    if labels.len() > 1 || !labels[0].is_empty() {
        for label in labels {
            if label.is_empty() || label.len() > MAX_LABEL {
                return None;
            }
            out.push(label.len() as u8);
            out.extend_from_slice(&label);
        }
    }
    out.push(0);
    (out.len() - start <= MAX_NAME).then_some(())
}

/// Record data, decoded for the types Node reports.
#[derive(Debug, Clone, PartialEq)]
pub enum RData {
    A(Ipv4Addr),
    Aaaa(Ipv6Addr),
    /// CNAME, NS and PTR: a single name.
    Name(String),
    Mx { priority: u16, exchange: String },
    Txt(Vec<Vec<u8>>),
    Soa { mname: String, rname: String, serial: u32, refresh: u32, retry: u32, expire: u32, minimum: u32 },
    Srv { priority: u16, weight: u16, port: u16, target: String },
    Naptr { order: u16, preference: u16, flags: Vec<u8>, service: Vec<u8>, regexp: Vec<u8>, replacement: String },
    Caa { flags: u8, tag: Vec<u8>, value: Vec<u8> },
    Tlsa { usage: u8, selector: u8, matching: u8, data: Vec<u8> },
    Other,
}

#[derive(Debug, Clone)]
pub struct Record {
    pub name: String,
    pub rtype: u16,
    pub class: u16,
    pub ttl: u32,
    pub data: RData,
}

pub struct Response {
    pub id: u16,
    pub truncated: bool,
    pub rcode: u8,
    /// The question as asked, in wire form (case kept), to match it to the query.
    pub question: Option<(Vec<u8>, u16)>,
    /// The question's name as text.
    pub question_name: String,
    pub answers: Vec<Record>,
}

/// Why a message could not be read.
#[derive(Debug, PartialEq)]
pub enum ParseError {
    /// Not even a header and question: the message is not a usable response.
    Header,
    /// A record in the answer section is malformed.
    Record,
}

struct Reader<'a> {
    msg: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        let bytes = self.msg.get(self.pos..self.pos.checked_add(n)?)?;
        self.pos += n;
        Some(bytes)
    }

    fn u8(&mut self) -> Option<u8> {
        Some(self.take(1)?[0])
    }

    fn u16(&mut self) -> Option<u16> {
        Some(u16::from_be_bytes(self.take(2)?.try_into().ok()?))
    }

    fn u32(&mut self) -> Option<u32> {
        Some(u32::from_be_bytes(self.take(4)?.try_into().ok()?))
    }

    /// A length-prefixed character string.
    fn string(&mut self) -> Option<Vec<u8>> {
        let n = self.u8()? as usize;
        Some(self.take(n)?.to_vec())
    }

    /// A possibly compressed name, as text.
    fn name(&mut self) -> Option<String> {
        let mut text = String::new();
        let mut pos = self.pos;
        let mut end = None;
        // Each pointer must go backwards, so following them always ends.
        let mut limit = pos;
        loop {
            let len = *self.msg.get(pos)? as usize;
            match len & 0xc0 {
                0x00 => {
                    if len == 0 {
                        pos += 1;
                        break;
                    }
                    let label = self.msg.get(pos + 1..pos + 1 + len)?;
                    if !text.is_empty() {
                        text.push('.');
                    }
                    escape_label(label, &mut text);
                    pos += 1 + len;
                }
                0xc0 => {
                    let target = (len & 0x3f) << 8 | *self.msg.get(pos + 1)? as usize;
                    if target >= limit {
                        return None;
                    }
                    end.get_or_insert(pos + 2);
                    limit = target;
                    pos = target;
                }
                _ => return None,
            }
        }
        self.pos = end.unwrap_or(pos);
        Some(text)
    }

    /// The question's name in wire form, uncompressed (questions come first).
    fn question_name(&mut self) -> Option<Vec<u8>> {
        let start = self.pos;
        loop {
            let len = self.u8()? as usize;
            if len == 0 {
                break;
            }
            if len & 0xc0 != 0 {
                return None;
            }
            self.take(len)?;
        }
        Some(self.msg[start..self.pos].to_vec())
    }
}

fn escape_label(label: &[u8], out: &mut String) {
    for &b in label {
        match b {
            b'.' | b'"' | b';' | b'\\' | b'(' | b')' | b'@' | b'$' => {
                out.push('\\');
                out.push(b as char);
            }
            0x20..=0x7e => out.push(b as char),
            _ => out.push_str(&format!("\\{b:03}")),
        }
    }
}

/// Reads a response: header, first question and the answer section.
pub fn parse_response(msg: &[u8]) -> Result<Response, ParseError> {
    let mut r = Reader { msg, pos: 0 };
    let header = (|| Some((r.u16()?, r.u16()?, r.u16()?, r.u16()?)))().ok_or(ParseError::Header)?;
    let (id, flags, qdcount, ancount) = header;
    r.take(4).ok_or(ParseError::Header)?;
    let mut question = None;
    let mut question_name = String::new();
    for i in 0..qdcount {
        if i == 0 {
            question_name = Reader { msg, pos: r.pos }.name().ok_or(ParseError::Header)?;
        }
        let name = r.question_name().ok_or(ParseError::Header)?;
        let qtype = r.u16().ok_or(ParseError::Header)?;
        r.u16().ok_or(ParseError::Header)?;
        if i == 0 {
            question = Some((name, qtype));
        }
    }
    let mut answers = Vec::with_capacity(ancount as usize);
    for _ in 0..ancount {
        answers.push(read_record(&mut r).ok_or(ParseError::Record)?);
    }
    Ok(Response { id, truncated: flags & 0x0200 != 0, rcode: (flags & 0x000f) as u8, question, question_name, answers })
}

fn read_record(r: &mut Reader) -> Option<Record> {
    let name = r.name()?;
    let (rtype, class, ttl, len) = (r.u16()?, r.u16()?, r.u32()?, r.u16()? as usize);
    let end = r.pos + len;
    if end > r.msg.len() {
        return None;
    }
    let data = match rtype {
        TYPE_A => RData::A(Ipv4Addr::from(<[u8; 4]>::try_from(r.take(len)?).ok()?)),
        TYPE_AAAA => RData::Aaaa(Ipv6Addr::from(<[u8; 16]>::try_from(r.take(len)?).ok()?)),
        TYPE_CNAME | TYPE_NS | TYPE_PTR => RData::Name(r.name()?),
        TYPE_MX => RData::Mx { priority: r.u16()?, exchange: r.name()? },
        TYPE_TXT => {
            let mut chunks = Vec::new();
            while r.pos < end {
                chunks.push(r.string()?);
            }
            RData::Txt(chunks)
        }
        TYPE_SOA => RData::Soa {
            mname: r.name()?,
            rname: r.name()?,
            serial: r.u32()?,
            refresh: r.u32()?,
            retry: r.u32()?,
            expire: r.u32()?,
            minimum: r.u32()?,
        },
        TYPE_SRV => RData::Srv { priority: r.u16()?, weight: r.u16()?, port: r.u16()?, target: r.name()? },
        TYPE_NAPTR => RData::Naptr {
            order: r.u16()?,
            preference: r.u16()?,
            flags: r.string()?,
            service: r.string()?,
            regexp: r.string()?,
            replacement: r.name()?,
        },
        TYPE_CAA => {
            let flags = r.u8()?;
            let tag = r.string()?;
            let value = r.take(end.checked_sub(r.pos)?)?.to_vec();
            RData::Caa { flags, tag, value }
        }
        TYPE_TLSA => {
            let (usage, selector, matching) = (r.u8()?, r.u8()?, r.u8()?);
            RData::Tlsa { usage, selector, matching, data: r.take(end.checked_sub(r.pos)?)?.to_vec() }
        }
        _ => RData::Other,
    };
    // The data must fill the record exactly.
    if r.pos > end || (r.pos < end && data != RData::Other) {
        return None;
    }
    r.pos = end;
    Some(Record { name, rtype, class, ttl, data })
}

/// Case-insensitive name comparison, as DNS names compare.
pub fn same_name(a: &str, b: &str) -> bool {
    a.eq_ignore_ascii_case(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wire_name(text: &str) -> Option<Vec<u8>> {
        let mut out = Vec::new();
        encode_name(text, &mut out)?;
        Some(out)
    }

    #[test]
    fn names_encode_with_escapes() {
        assert_eq!(wire_name("a.bc").unwrap(), b"\x01a\x02bc\x00");
        assert_eq!(wire_name("a.bc.").unwrap(), b"\x01a\x02bc\x00");
        assert_eq!(wire_name("").unwrap(), b"\x00");
        assert_eq!(wire_name(".").unwrap(), b"\x00");
        assert_eq!(wire_name(r"a\.b.c").unwrap(), b"\x03a.b\x01c\x00");
        assert_eq!(wire_name(r"\065").unwrap(), b"\x01A\x00");
        assert!(wire_name("a..b").is_none());
        assert!(wire_name(&"x".repeat(64)).is_none());
        assert!(wire_name(&"x".repeat(63)).is_some());
        assert!(wire_name(&["x".repeat(63).as_str(); 4].join(".")).is_none());
    }

    /// A response to `query` with the given flags and answer records (already encoded).
    fn response(query: &[u8], flags: u16, answers: &[&[u8]]) -> Vec<u8> {
        let mut msg = query.to_vec();
        msg[2..4].copy_from_slice(&flags.to_be_bytes());
        msg[6..8].copy_from_slice(&(answers.len() as u16).to_be_bytes());
        for a in answers {
            msg.extend_from_slice(a);
        }
        msg
    }

    #[test]
    fn responses_parse() {
        let query = encode_query(0x1234, "a.test", TYPE_A).unwrap();
        assert_eq!(&query[..4], &[0x12, 0x34, 0x01, 0x00]);
        // A CNAME (name compressed to the question) and an A record for its target.
        let cname: &[u8] = b"\xc0\x0c\x00\x05\x00\x01\x00\x00\x00\x1e\x00\x04\x01b\xc0\x0e";
        let a: &[u8] = b"\x01b\xc0\x0e\x00\x01\x00\x01\x00\x00\x01\x2c\x00\x04\x01\x02\x03\x04";
        let msg = response(&query, 0x8180, &[cname, a]);
        let parsed = parse_response(&msg).unwrap();
        assert_eq!((parsed.id, parsed.rcode, parsed.truncated), (0x1234, 0, false));
        assert_eq!(parsed.question_name, "a.test");
        assert_eq!(parsed.answers[0].data, RData::Name("b.test".into()));
        assert_eq!((parsed.answers[1].name.as_str(), parsed.answers[1].ttl), ("b.test", 300));
        assert_eq!(parsed.answers[1].data, RData::A(Ipv4Addr::new(1, 2, 3, 4)));
        // Truncated, NXDOMAIN.
        let parsed = parse_response(&response(&query, 0x8383, &[])).unwrap();
        assert_eq!((parsed.rcode, parsed.truncated), (3, true));
        // TXT chunks, including an empty one.
        let txt: &[u8] = b"\xc0\x0c\x00\x10\x00\x01\x00\x00\x00\x01\x00\x06\x02hi\x00\x01!";
        let parsed = parse_response(&response(&query, 0x8180, &[txt])).unwrap();
        assert_eq!(parsed.answers[0].data, RData::Txt(vec![b"hi".to_vec(), vec![], b"!".to_vec()]));
        // An A record with three bytes of data, a record cut short, a message without a question.
        let short_a: &[u8] = b"\xc0\x0c\x00\x01\x00\x01\x00\x00\x00\x01\x00\x03\x01\x02\x03";
        assert_eq!(parse_response(&response(&query, 0x8180, &[short_a])).err(), Some(ParseError::Record));
        assert_eq!(parse_response(&response(&query, 0x8180, &[&a[..10]])).err(), Some(ParseError::Record));
        assert_eq!(parse_response(&query[..14]).err(), Some(ParseError::Header));
    }

    #[test]
    fn names_decode_with_compression_and_escapes() {
        let msg = b"\x03a b\x03x.y\x00\x01z\xc0\x00\x01q\xc0\x09";
        let mut r = Reader { msg, pos: 0 };
        assert_eq!(r.name().unwrap(), r"a b.x\.y");
        assert_eq!(r.name().unwrap(), r"z.a b.x\.y");
        assert_eq!(r.pos, 13);
        assert_eq!(r.name().unwrap(), r"q.z.a b.x\.y");
        let mut bad = Reader { msg: b"\xc0\x00", pos: 0 };
        assert!(bad.name().is_none());
        let mut odd = Reader { msg: b"\x03\xc3\xa9\x01\x00", pos: 0 };
        assert_eq!(odd.name().unwrap(), r"\195\169\001");
    }
}
