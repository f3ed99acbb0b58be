import Foundation
import FerryCore
import Testing

/// The validator reads plain string text eight bytes at a time and jumps to the first byte that needs a look of
/// its own; these cases put each such byte at every offset of a word, with strings ending at every distance from
/// the end of the buffer, and require the validator and the parser to agree.
@Suite("JSON string scan, word at a time")
struct JSONStringScanTests {
    static let specials: [[UInt8]] = [
        Array(#"\""#.utf8), Array(#"\\"#.utf8), Array(#"\n"#.utf8), Array(#"\u00e9"#.utf8), Array(#"\ud83d\ude00"#.utf8),
        Array("é".utf8), Array("😀".utf8), [0x01], [0x1F], [0x7F], [0x22], [0x5C], [0x5C, 0x78], [0xC3, 0x28], [0xFF],
        [0xED, 0xA0, 0x80], Array(#"\ud83d"#.utf8),
    ]

    @Test("the validator agrees with the parser wherever a special byte falls", arguments: specials)
    func agreesWithParser(special: [UInt8]) {
        for before in 0..<17 {
            for after in 0..<10 {
                let text = Array(repeating: UInt8(ascii: "a"), count: before) + special
                    + Array(repeating: UInt8(ascii: "b"), count: after)
                for document in [[UInt8(ascii: "[")] + [0x22] + text + [0x22, UInt8(ascii: "]")],
                                 [0x22] + text + [0x22],
                                 Array(#"{"k": ""#.utf8) + text + Array(#"", "next": "plain text here"}"#.utf8)] {
                    let parsed = (try? JSONValue(parsing: Data(document))) != nil
                    let valid = document.withUnsafeBufferPointer { RawJSON.isValid($0) }
                    #expect(valid == parsed, "\(String(decoding: document, as: UTF8.self).debugDescription)")
                }
            }
        }
    }

    @Test("long plain strings, and strings cut off before their closing quote")
    func longAndUnterminated() {
        let long = String(repeating: "abcdefgh", count: 40)
        #expect(PayloadCheck.isValid(#"["\#(long)", "\#(long)x"]"#))
        for cut in 0..<20 {
            #expect(!PayloadCheck.isValid(#"[""# + String(long.prefix(cut))))
        }
    }
}

private enum PayloadCheck {
    static func isValid(_ text: String) -> Bool {
        Array(text.utf8).withUnsafeBufferPointer { RawJSON.isValid($0) }
    }
}
