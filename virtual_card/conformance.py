"""The card's conformance table: each command in each state → the status word the card gives, with the source.

Why generated: docs/CARD.md must say what the card *does*, so the table is produced by driving a `valid` card and
a test (tests/virtual_card/test_card_doc.py) fails when the document and the card disagree.
`python -m virtual_card.conformance` prints the table.

Sources (all read 2026-11-27): OSC = OpenSC `src/libopensc/card-jpki.c` / `pkcs15-jpki.c`
(https://github.com/OpenSC/OpenSC); MC = soltia48/myna-card (https://github.com/soltia48/myna-card, `src/card.rs`,
`src/ap/*.rs`, real-card dumps in `tests/fixtures`); MYNA = jpki/myna (https://github.com/jpki/myna); J-LIS =
https://www2.jpki.go.jp/procedure/password.html; ISO = ISO/IEC 7816-4 via JICSAP table 25 as quoted by MC;
assumed = no public source, our choice.
"""

from __future__ import annotations

JPKI = "00A4040C0AD392F000260100000001"
SUPPORT = "00A4040C0AD3921000310001010408"
COMMON = "00A4040C0AD3921000310001010100"

#: state label → APDUs that put a freshly powered `valid` card into it
STATES: dict[str, tuple[str, ...]] = {
    "power-on": (),
    "JPKI AP": (JPKI,),
    "JPKI, auth PIN verified": (JPKI, "002000980431323334"),
    "JPKI, sign password verified": (JPKI, "0020009B06414243313233"),
    "JPKI, auth PIN blocked": (JPKI, "002000980430303030", "002000980430303030", "002000980430303030"),
    "support AP": (SUPPORT,),
    "support, PIN verified": (SUPPORT, "002000910431323334"),
    "common AP": (COMMON,),
}

#: (command label, APDU, source)
COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("SELECT JPKI AP by AID", JPKI, "OSC, MC"),
    ("SELECT unknown AID", "00A4040C0AD392F000260100000002", "OSC (ctx.c probes), MC"),
    ("SELECT MF 00 A4 00 00", "00A40000", "MC (6A86 after cold reset, 9000 once an AP was selected)"),
    ("SELECT 3F00 by FID", "00A4000C023F00", "MC (6A82 in every state)"),
    ("SELECT EF 000A", "00A4020C02000A", "OSC, MC"),
    ("READ BINARY auth cert (SFI 0A)", "00B08A0004", "MC, nm004"),
    ("READ BINARY SFI 01 (JPKI: sign cert; support: My Number)", "00B0810004",
     "OSC (#3169 log: 6982 without password), MC, MYNA"),
    ("READ RECORD 1, SFI 1", "00B2010C00", "MYNA `unknown.rs`, MC `common.rs`"),
    ("VERIFY query auth PIN (SFI 18)", "00200098", "OSC, MC"),
    ("VERIFY auth PIN right (SFI 18)", "002000980431323334", "OSC, MC"),
    ("VERIFY sign password lower case (SFI 1B)", "0020009B06616263313233", "J-LIS (the card compares bytes)"),
    ("CHANGE REFERENCE DATA sign, letters only", "0024019B06414243444546", "J-LIS (letters and digits mixed)"),
    ("COMPUTE DIGITAL SIGNATURE auth key (SFI 17)", "802A00973330313030" + "00" * 47 + "00", "OSC, MC"),
    ("INTERNAL AUTHENTICATE (SFI 17)", "0088009708" + "11" * 8 + "00",
     "MC (JPKI keys refuse: 6982); the common AP's EF 0019 key is not emulated (assumed 6982)"),
    ("GET DATA 0045", "00CA004500", "MC `mf.rs` (absent object: 6A88)"),
    ("GET CHALLENGE 8", "0084000008", "MC"),
    ("SET SESSION KEY", "80AE0000", "MC (JPKI AP: 6982; other APs differ on a real card, assumed 6982 here)"),
    ("last-command indicator 80 FC", "80FC0000", "MC (physical card: 6700)"),
    ("unknown INS", "00EE000000", "ISO, MC"),
    ("unknown CLA", "FFCA000000", "ISO, MC"),
    ("logical channel CLA 01", "01A4040C0AD392F000260100000001", "assumed (ISO 6881)"),
)


def run(card_factory) -> list[tuple[str, str, str, str]]:
    """(command, state, SW, source) for every pair; `card_factory()` gives a fresh powered-off `valid` card."""
    rows = []
    for label, apdu, source in COMMANDS:
        for state, setup in STATES.items():
            card = card_factory()
            card.power_on()
            for step in setup:
                card.transmit(bytes.fromhex(step))
            sw = card.transmit(bytes.fromhex(apdu))[-2:].hex().upper()
            rows.append((label, state, sw, source))
    return rows


def markdown(rows) -> str:
    states = list(STATES)
    head = "| command | source | " + " | ".join(states) + " |\n|---|---|" + "---|" * len(states) + "\n"
    by_command: dict[str, dict[str, str]] = {}
    sources: dict[str, str] = {}
    for label, state, sw, source in rows:
        by_command.setdefault(label, {})[state] = sw
        sources[label] = source
    lines = [f"| {label} | {sources[label]} | " + " | ".join(sws[s] for s in states) + " |"
             for label, sws in by_command.items()]
    return head + "\n".join(lines) + "\n"


if __name__ == "__main__":
    from .card import MyNumberCard
    from .pki import TestPKI
    from .profiles import load_profile

    pki = TestPKI()
    profile = load_profile("valid")
    creds = pki.issue_card(profile)
    print(markdown(run(lambda: MyNumberCard(profile, creds))), end="")
