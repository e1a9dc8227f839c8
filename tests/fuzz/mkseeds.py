#!/usr/bin/env python3
"""Writes the seed corpora of the harnesses whose inputs are binary or
need a checksum (tests/fuzz/corpus/<name>/), so that they can be read
and regenerated: journal lines with their CRC, BER-encoded notification
PDUs, the structured inputs of fuzz_ptab and fuzz_probe, DateAndTime
octets.  The XML and text seeds are plain files, written by hand.

    tests/fuzz/mkseeds.py        (from the top of the tree)
"""
import os
import struct
import zlib

HERE = os.path.dirname(os.path.abspath(__file__))


def put(name, fname, data):
    d = os.path.join(HERE, "corpus", name)
    os.makedirs(d, exist_ok=True)
    if isinstance(data, str):
        data = data.encode()
    with open(os.path.join(d, fname), "wb") as f:
        f.write(data)


# --- journal ---------------------------------------------------------------

MAGIC = "#greendot-journal 1\n"


def record(*fields):
    body = "\t".join(fields)
    return "%s\t%08x" % (body, zlib.crc32(body.encode()) & 0xffffffff)


GOOD = [
    record("1732834500.123", "poll", "server", "web1", "up", "down",
           "udp:127.0.0.1:161", "connection refused"),
    record("1732834501", "notification", "notification", "web1", "-",
           "gdServerDown", "udp:10.0.0.1:161", "gdServerOperStatus=down"),
    record("1732834502.5", "monitor", "agent", "udp:[::1]:161", "up",
           "unknown", "udp:[::1]:161", ""),
    record("0.000000001", "poll", "group", "g", "up", "degraded", "a",
           "tab\\there\\nnewline\\rcr\\\\backslash\\x01\\x7f"),
    record("9999999999999999", "poll", "service", "s", "degraded", "up",
           "a", "\u00e9t\u00e9 \u2603"),
]


def journal_seeds():
    for i, line in enumerate(GOOD):
        put("journal_parse", "good%d" % i, line)
    bad = GOOD[0][:-1] + ("0" if GOOD[0][-1] != "0" else "1")
    put("journal_parse", "bad-crc", bad)
    put("journal_parse", "upper-crc", GOOD[1][:-8] + GOOD[1][-8:].upper())
    put("journal_parse", "nul-escape",
        record("1", "poll", "server", "a\\x00b", "up", "down", "a", ""))
    put("journal_parse", "fields8", record("1", "poll", "server", "a", "up",
                                            "down", "a"))
    put("journal_parse", "long-id", record("1", "poll", "server", "x" * 200,
                                            "up", "down", "a", ""))
    put("journal_read", "empty", "")
    put("journal_read", "magic", MAGIC)
    put("journal_read", "good", MAGIC + "\n".join(GOOD) + "\n")
    put("journal_read", "torn", MAGIC + GOOD[0] + "\n" + GOOD[1][:30])
    put("journal_read", "bad-middle-and-last",
        MAGIC + GOOD[0] + "\n" + bad + "\n" + GOOD[2] + "\n" + bad + "\n")
    put("journal_read", "partial-magic", MAGIC[:7])
    put("journal_read", "foreign", "#other-journal 1\n" + GOOD[0] + "\n")
    put("journal_read", "long-line",
        MAGIC + GOOD[0] + "\n" + "y" * 5000 + "\n" + GOOD[1] + "\n" +
        "z" * 4200)
    put("journal_read", "empty-lines", MAGIC + "\n\n" + GOOD[0] + "\n\n")


# --- times -----------------------------------------------------------------

def time_seeds():
    for i, s in enumerate([
            "2026-11-28T23:15:06Z", "2010-07-27T15:15:00+01:00",
            "2010-07-27T15:15-05:30", "2024-02-29T12:00:60.999999Z",
            "2023-02-29T00:00:00Z", "0000-01-01T00:00:00+23:59",
            "9999-12-31T23:59:59-23:59", "2026-11-28T23:15:06",
            "2026-11-28T23:15:06,5Z", "2026-11-28 23:15:06Z"]):
        put("iso8601", "t%d" % i, s)
    dat = [
        struct.pack(">HBBBBBB", 2026, 11, 28, 23, 15, 6, 0),
        struct.pack(">HBBBBBBcBB", 2026, 11, 28, 23, 15, 6, 5, b"+", 0, 0),
        struct.pack(">HBBBBBBcBB", 2010, 7, 27, 15, 15, 0, 0, b"+", 1, 0),
        struct.pack(">HBBBBBBcBB", 2024, 2, 29, 0, 0, 60, 9, b"-", 13, 59),
        struct.pack(">HBBBBBBcBB", 2023, 2, 31, 0, 0, 0, 0, b"+", 0, 0),
        bytes(8),
        bytes(11),
        struct.pack(">HBBBBBBcBB", 65535, 12, 31, 23, 59, 59, 9, b"-", 255,
                    255),
        struct.pack(">HBBBBBBcBB", 0, 1, 1, 0, 0, 0, 0, b"+", 14, 0),
    ]
    for i, d in enumerate(dat):
        put("dateandtime", "d%d" % i, d)


# --- probes ----------------------------------------------------------------

KINDS = {"tcp": 0, "smtp": 1, "pop3": 2, "imap": 3, "http": 4, "ftp": 5,
         "mysql": 6}


def probe(name, kind, body, expect=200, cut=5):
    put("probe", name, bytes([KINDS[kind]]) + struct.pack(">HH", expect, cut)
        + body)


def mysql_packet(payload, seq=0):
    return struct.pack("<I", len(payload))[:3] + bytes([seq]) + payload


def probe_seeds():
    probe("tcp", "tcp", b"")
    probe("smtp-ok", "smtp", b"220-mx.example ESMTP\r\n220 ready\r\n")
    probe("smtp-refused", "smtp", b"554 no service\r\n")
    probe("ftp-ok", "ftp", b"220 ProFTPD\n")
    probe("ftp-cont-bad", "ftp", b"220-welcome\r\n421-busy\r\n")
    probe("pop3-ok", "pop3", b"+OK POP3 ready\r\n")
    probe("pop3-err", "pop3", b"-ERR \x00\x1b[31m go away\r\n")
    probe("imap-ok", "imap", b"* OK [CAPABILITY IMAP4rev1] ready\r\n")
    probe("imap-preauth", "imap", b"* preauth hi\r\n")
    probe("imap-bye", "imap", b"* BYE\r\n")
    probe("http-ok", "http", b"HTTP/1.1 200 OK\r\nServer: x\r\n\r\n")
    probe("http-404", "http", b"HTTP/1.0 404 Not Found\r\n", cut=12)
    probe("http-204", "http", b"HTTP/2 204\n", expect=204)
    probe("http-garbage", "http", b"SSH-2.0-OpenSSH_9.2\r\n")
    probe("http-long", "http", b"HTTP/1.1 200 " + b"A" * 4200)
    hs = (bytes([10]) + b"8.0.36\x00" + struct.pack("<I", 7) + b"abcdefgh" +
          b"\x00" + b"\xff\xf7\x21\x02\x00")
    probe("mysql-ok", "mysql", mysql_packet(hs), cut=3)
    probe("mysql-err", "mysql",
          mysql_packet(b"\xff\x6a\x04#HY000Host is blocked"))
    probe("mysql-err-short", "mysql", mysql_packet(b"\xff\x15"))
    probe("mysql-v9", "mysql", mysql_packet(b"\x09abc\x00"))
    probe("mysql-short-hs", "mysql", mysql_packet(bytes([10]) + b"5.7"))
    probe("mysql-smtp", "mysql", b"220 mx ESMTP\r\n")
    # the request builder gets the same bytes as a path
    probe("path", "tcp", b"/status?x=1&y=%20")


# --- BER -------------------------------------------------------------------

def ber_len(n):
    if n < 0x80:
        return bytes([n])
    b = n.to_bytes((n.bit_length() + 7) // 8, "big")
    return bytes([0x80 | len(b)]) + b


def tlv(tag, body):
    return bytes([tag]) + ber_len(len(body)) + body


def ber_int(v, tag=0x02):
    n = max(1, (v.bit_length() + 8) // 8)
    return tlv(tag, v.to_bytes(n, "big", signed=True))


def ber_uint(v, tag):
    b = v.to_bytes(max(1, (v.bit_length() + 7) // 8), "big")
    if b[0] & 0x80:
        b = b"\x00" + b
    return tlv(tag, b)


def ber_oid(o):
    parts = [int(x) for x in o.strip(".").split(".")]
    out = bytes([parts[0] * 40 + parts[1]])
    for p in parts[2:]:
        enc = [p & 0x7f]
        p >>= 7
        while p:
            enc.insert(0, 0x80 | (p & 0x7f))
            p >>= 7
        out += bytes(enc)
    return tlv(0x06, out)


def octets(s):
    return tlv(0x04, s if isinstance(s, bytes) else s.encode())


def seq(*items):
    return tlv(0x30, b"".join(items))


def vb(o, value):
    return seq(ber_oid(o), value)


GD = "1.3.6.1.4.1.32473.1"
ENTRY = {"area": GD + ".1.2.1", "group": GD + ".1.3.1",
         "server": GD + ".1.4.1", "service": GD + ".1.5.1"}
UPTIME = "1.3.6.1.2.1.1.3.0"
TRAPOID = "1.3.6.1.6.3.1.1.4.1.0"
DAT = struct.pack(">HBBBBBBcBB", 2026, 11, 28, 23, 15, 6, 0, b"+", 0, 0)


def v2(tag, n, varbinds, reqid=1):
    return tlv(tag, ber_int(reqid) + ber_int(0) + ber_int(0) +
               seq(vb(UPTIME, ber_uint(12345, 0x43)),
                   vb(TRAPOID, ber_oid("%s.0.%d" % (GD, n))), *varbinds))


def v1(specific, varbinds, enterprise=GD, generic=6):
    return tlv(0xa4, ber_oid(enterprise) + tlv(0x40, bytes([127, 0, 0, 1])) +
               ber_int(generic) + ber_int(specific) +
               ber_uint(12345, 0x43) + seq(*varbinds))


def trap_seeds():
    srv = ENTRY["server"]
    grp = ENTRY["group"]
    svc = ENTRY["service"]
    server_vbs = [vb(srv + ".2.7", octets("web1")),
                  vb(srv + ".4.7", octets("web")),
                  vb(srv + ".8.7", ber_int(2)),
                  vb(srv + ".9.7", ber_int(1)),
                  vb(srv + ".5.7", ber_int(5)),
                  vb(srv + ".11.7", octets(DAT)),
                  vb(srv + ".15.7", octets(b"connection refused\r\n\x00")),
                  vb(srv + ".13.7", ber_uint(2**40, 0x46)),
                  vb(srv + ".12.7", ber_uint(850, 0x42))]
    put("trap", "v2-server-down", v2(0xa7, 1, server_vbs))
    put("trap", "inform-server-up", v2(0xa6, 2, server_vbs[:3]))
    put("trap", "v2-group-failover",
        v2(0xa7, 3, [vb(grp + ".2.3", octets("av-greylisting")),
                     vb(grp + ".5.3", ber_int(2)),
                     vb(grp + ".6.3", ber_uint(1, 0x42)),
                     vb(grp + ".7.3", ber_uint(2, 0x42)),
                     vb(srv + ".2.1", octets("av1"))]))
    put("trap", "v2-service-up",
        v2(0xa7, 7, [vb(svc + ".2.1", octets("incoming-mail")),
                     vb(svc + ".4.1", ber_int(1)),
                     vb(svc + ".5.1", octets(DAT))]))
    put("trap", "v2-no-name", v2(0xa7, 4, [vb(grp + ".5.3", ber_int(3))]))
    put("trap", "v2-unknown", tlv(0xa7, ber_int(9) + ber_int(0) + ber_int(0)
        + seq(vb(UPTIME, ber_uint(1, 0x43)),
              vb(TRAPOID, ber_oid("1.3.6.1.6.3.1.1.5.1")))))
    put("trap", "v2-no-trapoid", tlv(0xa7, ber_int(9) + ber_int(0) +
        ber_int(0) + seq(vb(UPTIME, ber_uint(1, 0x43)))))
    put("trap", "v2-oid-late",
        tlv(0xa7, ber_int(2) + ber_int(0) + ber_int(0) +
            seq(vb(svc + ".2.1", octets("s")),
                vb(TRAPOID, ber_oid(GD + ".0.6")))))
    put("trap", "v1-server-down", v1(1, server_vbs[:2]))
    put("trap", "v1-coldstart", v1(0, [], "1.3.6.1.4.1.8072.3.2.10", 0))
    put("trap", "v1-specific-99", v1(99, server_vbs[:1]))
    put("trap", "response", tlv(0xa2, ber_int(1) + ber_int(0) + ber_int(0) +
        seq(vb(srv + ".2.1", octets("x")))))


# --- ptab ------------------------------------------------------------------

TABLES = {"area": 0, "group": 1, "server": 2, "service": 3}
# per table, in column order: the harness's value type (0 octets,
# 1 INTEGER, 2 Gauge32, 3 Counter64, 4 DateAndTime)
COLS = {
    "area": [0, 0, 0, 0],
    "group": [0, 0, 0, 1, 2, 2, 4, 2],
    "server": [0, 0, 0, 1, 0, 2, 1, 1, 2, 4, 2, 3, 3, 0, 2],
    "service": [0, 0, 1, 4],
}
SAMPLE = {0: lambda i: b"id%d" % i, 1: lambda i: 1 + i % 3,
          2: lambda i: i * 1000, 3: lambda i: 2**33 + i, 4: lambda i: DAT}


def value(t, v):
    if t in (0, 4):
        return bytes([t, len(v)]) + v
    if t in (1, 2):
        return bytes([t]) + struct.pack(">I", v & 0xffffffff)
    return bytes([t]) + struct.pack(">II", v >> 32, v & 0xffffffff)


def ptab_round(types, rows, kind=0, step=1, end=False):
    vbs = b""
    n = 0
    for r in range(rows):
        for t in types:
            if end:
                vbs += bytes([kind]) + struct.pack(">I", step) + bytes([5])
            else:
                vbs += (bytes([kind]) + struct.pack(">I", step) +
                        value(t, SAMPLE[t](r)))
            n += 1
    return bytes([n]) + vbs


def ptab_seeds():
    for name, types in COLS.items():
        head = bytes([TABLES[name]]) + struct.pack(">II", 0, 0)
        walk = (head + ptab_round(types, 2) +
                ptab_round(types, 1, end=True))
        put("ptab", "walk-" + name, walk)
    types = COLS["server"]
    # a range 10..20 whose agent jumps past its end, then repeats itself
    put("ptab", "range-server",
        bytes([2]) + struct.pack(">II", 10, 20) + ptab_round(types, 1) +
        ptab_round(types, 1, step=15))
    put("ptab", "repeat-group",
        bytes([1]) + struct.pack(">II", 0, 0) + ptab_round(COLS["group"], 1) +
        ptab_round(COLS["group"], 1, step=0))
    # wrong types everywhere: the group's columns read as the server's
    put("ptab", "wrong-types",
        bytes([1]) + struct.pack(">II", 0, 0) + ptab_round(types[:8], 1))


# --- incidents ---------------------------------------------------------------

INC_IDS = {"g1": 0, "g2": 1, "svc": 2, "svc2": 3, "s1": 4, "nosuch": 5}
INC_KINDS = {"group": 0, "service": 1, "server": 2, "agent": 3}
INC_WORDS = {"up": 0, "degraded": 1, "down": 2, "unknown": 3, "sideways": 4}


def inc_event(kind, ident, word, seconds, detail=0):
    """One event of fuzz_incidents: seconds after the previous one."""
    return (bytes([INC_KINDS[kind] | INC_IDS[ident] << 2,
                   INC_WORDS[word] | detail << 4]) +
            struct.pack(">h", seconds // 8))


def gap(seconds):
    """Events about nothing the state knows, to move the clock on."""
    out = b""
    while seconds > 0:
        step = min(seconds, 32000 * 8)
        out += inc_event("agent", "nosuch", "up", step)
        seconds -= step
    return out


def incidents_seeds():
    day = 86400
    # 35 days before now: the first days fall out of the 30-day window
    put("incidents", "fall-recover",
        gap(day * 6) + inc_event("group", "g1", "down", 8) +
        inc_event("group", "g1", "unknown", 600, 1) +
        inc_event("group", "g1", "up", 600) +
        inc_event("service", "svc", "down", 3600, 2) +
        inc_event("service", "svc", "degraded", 3600))
    put("incidents", "flap", gap(day * 10) +
        b"".join(inc_event("service", "svc2", w, 120)
                 for w in ["down", "up"] * 12) +
        inc_event("service", "svc2", "down", 4000))
    put("incidents", "clock-back", gap(day * 20) +
        inc_event("group", "g2", "down", 32000) +
        inc_event("group", "g2", "up", -16000) +
        inc_event("group", "g2", "down", 16000))
    put("incidents", "many-updates", gap(day * 30) +
        inc_event("group", "g1", "down", 30000) +
        b"".join(inc_event("group", "g1", w, 64)
                 for w in ["unknown", "down"] * 15))
    put("incidents", "others",
        inc_event("server", "s1", "down", 30000) +
        inc_event("agent", "g1", "down", 8) +
        inc_event("group", "nosuch", "down", 8) +
        inc_event("group", "g1", "sideways", 8))


# --- agent state: a line longer than its reader's buffer ----------------------

def astate_seeds():
    put("astate", "long-line",
        "greendot-agent-state 1\nserver s 1 up 0 0 0 0 0 0 active active 0 0 "
        + "e" * 1500 + "\narea a 1\n")


if __name__ == "__main__":
    journal_seeds()
    time_seeds()
    probe_seeds()
    trap_seeds()
    ptab_seeds()
    astate_seeds()
    incidents_seeds()
