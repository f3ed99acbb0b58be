import Foundation
import FerryCore
import FuzzSupport
import SalesforceModels

/// Parses arbitrary bytes as a Bulk API 2.0 result CSV (table, successful rows, failed rows).
///
/// Invariants: every parsed row has as many fields as the header, and a parsed table encoded with `CSVEncoder`
/// parses back to the same table.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let text = input.text
    _ = try? CSVTable.parseRecords(text)
    if let successful = try? BulkSuccessfulRow.parse(text) { _ = successful.count }
    if let failed = try? BulkFailedRow.parse(text) { _ = failed.count }
    let table: CSVTable
    do {
        table = try CSVTable(parsing: input.data)
    } catch {
        _ = error.description
        return 0
    }
    for row in table.rows { fuzzCheck(row.count == table.header.count, "a row's width differs from the header's") }
    _ = table.dictionaries
    for ending in [CSVEncoder.LineEnding.lf, .crlf] {
        let encoded = CSVEncoder(lineEnding: ending).encode(header: table.header, rows: table.rows)
        do {
            let again = try CSVTable(parsing: encoded)
            fuzzCheck(again == table, "CSV round trip changed the table: \(encoded.prefix(200).debugDescription)")
        } catch {
            fuzzCheck(false, "encoded CSV does not parse: \(error.description)")
        }
    }
    return 0
}

/// The entry point SwiftPM links `main` to: hands over to libFuzzer's driver.
@_cdecl("fuzz_bulkcsv_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in withFuzzInput(data, size, fuzz) }
}
